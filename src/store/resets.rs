//! Moderator resets of a server's or a player's scores, recorded so a mistaken one is visible.

use sqlx::Row;

use super::scores::lock_guild;
use super::types::{from_sql_id, to_sql_id};
use super::{ResetRecord, Store, StoreError, UnixMillis};

impl Store {
    /// Clears every player's all-time totals in the server, and takes the answers given so far
    /// out of the week and month boards. Game and event boards are not changed.
    pub async fn reset_guild(
        &self,
        guild: u64,
        by: u64,
        now: UnixMillis,
    ) -> Result<ResetRecord, StoreError> {
        self.with_retry("reset server", || self.reset_once(guild, None, by, now))
            .await
    }

    /// Like [`Store::reset_guild`], for one player.
    pub async fn reset_player(
        &self,
        guild: u64,
        user: u64,
        by: u64,
        now: UnixMillis,
    ) -> Result<ResetRecord, StoreError> {
        self.with_retry("reset player", || {
            self.reset_once(guild, Some(user), by, now)
        })
        .await
    }

    async fn reset_once(
        &self,
        guild: u64,
        user: Option<u64>,
        by: u64,
        now: UnixMillis,
    ) -> Result<ResetRecord, StoreError> {
        let _turn = self.write_turn().await;
        let mut tx = self.begin_write().await?;
        lock_guild(&mut tx, guild).await?;
        let reset_id: i64 = sqlx::query_scalar(
            "INSERT INTO resets (guild_id, user_id, reset_by, reset_at) \
             VALUES ($1, $2, $3, $4) RETURNING reset_id",
        )
        .bind(to_sql_id(guild))
        .bind(user.map(to_sql_id))
        .bind(to_sql_id(by))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        // `$3 IS NULL` selects the whole server; a PostgreSQL CAST gives the NULL a type.
        sqlx::query(
            "UPDATE answers SET cleared_by_reset = $2 \
             WHERE guild_id = $1 AND cleared_by_reset IS NULL \
               AND (CAST($3 AS BIGINT) IS NULL OR user_id = $3)",
        )
        .bind(to_sql_id(guild))
        .bind(reset_id)
        .bind(user.map(to_sql_id))
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM players \
             WHERE guild_id = $1 AND (CAST($2 AS BIGINT) IS NULL OR user_id = $2)",
        )
        .bind(to_sql_id(guild))
        .bind(user.map(to_sql_id))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(ResetRecord {
            reset_id,
            user,
            by,
            at: now,
        })
    }

    /// The server's resets, newest first.
    pub async fn resets(&self, guild: u64) -> Result<Vec<ResetRecord>, StoreError> {
        let rows = self
            .with_retry("list resets", || async {
                Ok(sqlx::query(
                    "SELECT reset_id, user_id, reset_by, reset_at FROM resets \
                     WHERE guild_id = $1 ORDER BY reset_at DESC, reset_id DESC",
                )
                .bind(to_sql_id(guild))
                .fetch_all(&self.pool)
                .await?)
            })
            .await?;
        rows.iter()
            .map(|row| -> Result<ResetRecord, StoreError> {
                Ok(ResetRecord {
                    reset_id: row.try_get("reset_id")?,
                    user: row.try_get::<Option<i64>, _>("user_id")?.map(from_sql_id),
                    by: from_sql_id(row.try_get("reset_by")?),
                    at: row.try_get("reset_at")?,
                })
            })
            .collect()
    }
}
