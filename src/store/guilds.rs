//! Per-server odds and ends: settings and display names.

use sqlx::{Any, Transaction};

use super::types::to_sql_id;
use super::{GuildSettings, Store, StoreError, now_millis};

/// Longest display name kept; Discord's are at most 32 characters, this only guards the table.
const MAX_NAME_CHARS: usize = 100;

impl Store {
    /// The server's settings, or the defaults if it never saved any.
    pub async fn guild_settings(&self, guild: u64) -> Result<GuildSettings, StoreError> {
        let stored: Option<Option<String>> = self
            .with_retry("read settings", || async {
                Ok(
                    sqlx::query_scalar("SELECT settings FROM guilds WHERE guild_id = $1")
                        .bind(to_sql_id(guild))
                        .fetch_optional(&self.pool)
                        .await?,
                )
            })
            .await?;
        match stored.flatten() {
            None => Ok(GuildSettings::default()),
            Some(json) => serde_json::from_str(&json).map_err(|e| {
                StoreError::Corrupt(format!(
                    "the settings of server {guild} cannot be read ({e}); save them again to replace them"
                ))
            }),
        }
    }

    pub async fn set_guild_settings(
        &self,
        guild: u64,
        settings: &GuildSettings,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_string(settings)
            .map_err(|e| StoreError::Corrupt(format!("cannot encode settings: {e}")))?;
        self.with_retry("save settings", || async {
            let _turn = self.write_turn().await;
            sqlx::query(
                "INSERT INTO guilds (guild_id, settings, settings_updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (guild_id) DO UPDATE SET \
                     settings = excluded.settings, settings_updated_at = excluded.settings_updated_at",
            )
            .bind(to_sql_id(guild))
            .bind(json.as_str())
            .bind(now_millis())
            .execute(&self.pool)
            .await?;
            Ok(())
        })
        .await
    }

    /// Remembers a member's display name for leaderboards. Writes only when it changed.
    pub async fn remember_name(&self, guild: u64, user: u64, name: &str) -> Result<(), StoreError> {
        self.with_retry("remember name", || async {
            let _turn = self.write_turn().await;
            let mut tx = self.begin_write().await?;
            remember_names(&mut tx, guild, &[(user, name.to_owned())]).await?;
            tx.commit().await?;
            Ok(())
        })
        .await
    }
}

/// Upserts display names inside a transaction, in one statement (each player once; a
/// question's results carry its new players' names).
pub(super) async fn remember_names(
    tx: &mut Transaction<'static, Any>,
    guild: u64,
    names: &[(u64, String)],
) -> Result<(), sqlx::Error> {
    let mut names: Vec<(u64, String)> = names
        .iter()
        .map(|(user, name)| (*user, name.chars().take(MAX_NAME_CHARS).collect()))
        .collect();
    // PostgreSQL refuses an upsert that touches a row twice: the last name of a player wins.
    names.reverse();
    names.sort_by_key(|(user, _)| *user);
    names.dedup_by_key(|(user, _)| *user);
    let now = now_millis();
    for chunk in names.chunks(500) {
        let values = super::scores::values_list(chunk.len(), 4, |p| {
            format!("(${}, ${}, ${}, ${})", p, p + 1, p + 2, p + 3)
        });
        let sql = format!(
            "INSERT INTO display_names (guild_id, user_id, name, updated_at) VALUES {values} \
             ON CONFLICT (guild_id, user_id) DO UPDATE SET \
                 name = excluded.name, updated_at = excluded.updated_at \
             WHERE display_names.name <> excluded.name"
        );
        // Built from constants and numbered placeholders only: the values are bound.
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (user, name) in chunk {
            query = query
                .bind(to_sql_id(guild))
                .bind(to_sql_id(*user))
                .bind(name.as_str())
                .bind(now);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}
