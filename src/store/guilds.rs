//! Per-server odds and ends: settings, display names, running games' snapshots.

use sqlx::Row;

use super::types::{from_sql_id, to_sql_id};
use super::{GameSnapshot, GuildSettings, Store, StoreError, UnixMillis, now_millis};

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
        let name: String = name.chars().take(MAX_NAME_CHARS).collect();
        self.with_retry("remember name", || async {
            let _turn = self.write_turn().await;
            sqlx::query(
                "INSERT INTO display_names (guild_id, user_id, name, updated_at) \
                 VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (guild_id, user_id) DO UPDATE SET \
                     name = excluded.name, updated_at = excluded.updated_at \
                 WHERE display_names.name <> excluded.name",
            )
            .bind(to_sql_id(guild))
            .bind(to_sql_id(user))
            .bind(name.as_str())
            .bind(now_millis())
            .execute(&self.pool)
            .await?;
            Ok(())
        })
        .await
    }

    /// Saves (or replaces) the state of the game running in `channel`.
    pub async fn save_game_snapshot(&self, snapshot: &GameSnapshot) -> Result<(), StoreError> {
        self.with_retry("save game snapshot", || async {
            let _turn = self.write_turn().await;
            sqlx::query(
                "INSERT INTO game_snapshots (channel_id, guild_id, game_id, snapshot, updated_at) \
                 VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (channel_id) DO UPDATE SET guild_id = excluded.guild_id, \
                     game_id = excluded.game_id, snapshot = excluded.snapshot, \
                     updated_at = excluded.updated_at",
            )
            .bind(to_sql_id(snapshot.channel))
            .bind(to_sql_id(snapshot.guild))
            .bind(snapshot.game_id)
            .bind(snapshot.json.as_str())
            .bind(snapshot.updated_at)
            .execute(&self.pool)
            .await?;
            Ok(())
        })
        .await
    }

    /// Every saved running game, oldest first (to resume after a restart).
    pub async fn load_game_snapshots(&self) -> Result<Vec<GameSnapshot>, StoreError> {
        let rows = self
            .with_retry("load game snapshots", || async {
                Ok(sqlx::query(
                    "SELECT guild_id, channel_id, game_id, snapshot, updated_at \
                     FROM game_snapshots ORDER BY updated_at, channel_id",
                )
                .fetch_all(&self.pool)
                .await?)
            })
            .await?;
        rows.iter()
            .map(|row| {
                Ok(GameSnapshot {
                    guild: from_sql_id(row.try_get("guild_id")?),
                    channel: from_sql_id(row.try_get("channel_id")?),
                    game_id: row.try_get("game_id")?,
                    json: row.try_get("snapshot")?,
                    updated_at: row.try_get::<UnixMillis, _>("updated_at")?,
                })
            })
            .collect()
    }

    /// Forgets the snapshot of `channel`'s game (it ended). Returns false if there was none.
    pub async fn delete_game_snapshot(&self, channel: u64) -> Result<bool, StoreError> {
        self.with_retry("delete game snapshot", || async {
            let _turn = self.write_turn().await;
            let done = sqlx::query("DELETE FROM game_snapshots WHERE channel_id = $1")
                .bind(to_sql_id(channel))
                .execute(&self.pool)
                .await?;
            Ok(done.rows_affected() > 0)
        })
        .await
    }
}
