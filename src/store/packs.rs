//! Packs a server uploaded (`/pack upload`), usable in that server only.
//!
//! Only a [`ValidPack`] (one that passed [`crate::events::check_upload`]) can be saved, and
//! the save replaces the previous version in one statement, so a bad upload never changes
//! what the server plays. The source is kept as uploaded; the shell loads it again with
//! [`crate::facts::load_str`] when it needs the pack (a later bot may check more strictly).

use sqlx::Row;
use sqlx::any::AnyRow;

use super::scores::lock_guild;
use super::types::{from_sql_id, to_sql_id};
use super::{Store, StoreError, UnixMillis};
use crate::events::ValidPack;

/// Most packs one server may keep (an autocomplete list shows 25).
pub const MAX_SERVER_PACKS: usize = 25;

/// A stored server pack, without its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerPackInfo {
    pub guild: u64,
    pub id: String,
    pub title: String,
    /// 1 for the first upload of this id, then one more for each replacement.
    pub version: i64,
    pub size_bytes: i64,
    pub uploaded_by: u64,
    pub uploaded_at: UnixMillis,
}

/// A stored server pack with its TOML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerPack {
    pub info: ServerPackInfo,
    pub source: String,
}

/// What [`Store::save_server_pack`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SavePack {
    /// Stored as `version`; `replaced` if an earlier version was there.
    Saved { version: i64, replaced: bool },
    /// The server already keeps [`MAX_SERVER_PACKS`] other packs; nothing was stored.
    TooMany { limit: usize },
}

const INFO_COLUMNS: &str =
    "guild_id, pack_id, title, version, size_bytes, uploaded_by, uploaded_at";

fn info_from_row(row: &AnyRow) -> Result<ServerPackInfo, StoreError> {
    Ok(ServerPackInfo {
        guild: from_sql_id(row.try_get("guild_id")?),
        id: row.try_get("pack_id")?,
        title: row.try_get("title")?,
        version: row.try_get("version")?,
        size_bytes: row.try_get("size_bytes")?,
        uploaded_by: from_sql_id(row.try_get("uploaded_by")?),
        uploaded_at: row.try_get("uploaded_at")?,
    })
}

impl Store {
    /// Stores a validated pack for `guild`, replacing an earlier upload with the same id.
    pub async fn save_server_pack(
        &self,
        guild: u64,
        pack: &ValidPack,
        uploaded_by: u64,
        now: UnixMillis,
    ) -> Result<SavePack, StoreError> {
        let size = i64::try_from(pack.source().len()).unwrap_or(i64::MAX);
        self.with_retry("save server pack", || async {
            let _turn = self.write_turn().await;
            let mut tx = self.begin_write().await?;
            // Two uploads in one server take turns, so the count below stays true.
            lock_guild(&mut tx, guild).await?;
            let others: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM guild_packs WHERE guild_id = $1 AND pack_id <> $2",
            )
            .bind(to_sql_id(guild))
            .bind(pack.id())
            .fetch_one(&mut *tx)
            .await?;
            if usize::try_from(others).unwrap_or(usize::MAX) >= MAX_SERVER_PACKS {
                return Ok(SavePack::TooMany {
                    limit: MAX_SERVER_PACKS,
                });
            }
            let version: i64 = sqlx::query_scalar(
                "INSERT INTO guild_packs (guild_id, pack_id, title, version, source, size_bytes, \
                     uploaded_by, uploaded_at) VALUES ($1, $2, $3, 1, $4, $5, $6, $7) \
                 ON CONFLICT (guild_id, pack_id) DO UPDATE SET title = excluded.title, \
                     version = guild_packs.version + 1, source = excluded.source, \
                     size_bytes = excluded.size_bytes, uploaded_by = excluded.uploaded_by, \
                     uploaded_at = excluded.uploaded_at \
                 RETURNING version",
            )
            .bind(to_sql_id(guild))
            .bind(pack.id())
            .bind(pack.title())
            .bind(pack.source())
            .bind(size)
            .bind(to_sql_id(uploaded_by))
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(SavePack::Saved {
                version,
                replaced: version > 1,
            })
        })
        .await
    }

    /// The server's packs, by id.
    pub async fn server_packs(&self, guild: u64) -> Result<Vec<ServerPackInfo>, StoreError> {
        let sql =
            format!("SELECT {INFO_COLUMNS} FROM guild_packs WHERE guild_id = $1 ORDER BY pack_id");
        let rows = self
            .with_retry("list server packs", || async {
                Ok(sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(to_sql_id(guild))
                    .fetch_all(&self.pool)
                    .await?)
            })
            .await?;
        rows.iter().map(info_from_row).collect()
    }

    /// One of the server's packs with its text, or None (no such pack in this server).
    pub async fn server_pack(
        &self,
        guild: u64,
        id: &str,
    ) -> Result<Option<ServerPack>, StoreError> {
        let sql = format!(
            "SELECT {INFO_COLUMNS}, source FROM guild_packs WHERE guild_id = $1 AND pack_id = $2"
        );
        let row = self
            .with_retry("read server pack", || async {
                Ok(sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(to_sql_id(guild))
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            })
            .await?;
        row.map(|row| -> Result<ServerPack, StoreError> {
            Ok(ServerPack {
                info: info_from_row(&row)?,
                source: row.try_get("source")?,
            })
        })
        .transpose()
    }

    /// Removes one of the server's packs; false if it had none by that id.
    pub async fn remove_server_pack(&self, guild: u64, id: &str) -> Result<bool, StoreError> {
        self.with_retry("remove server pack", || async {
            let _turn = self.write_turn().await;
            let done = sqlx::query("DELETE FROM guild_packs WHERE guild_id = $1 AND pack_id = $2")
                .bind(to_sql_id(guild))
                .bind(id)
                .execute(&self.pool)
                .await?;
            Ok(done.rows_affected() == 1)
        })
        .await
    }
}
