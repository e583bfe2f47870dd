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
            remember_name(&mut tx, guild, user, name).await?;
            tx.commit().await?;
            Ok(())
        })
        .await
    }
}

/// Upserts a display name inside a transaction (a question's results carry new players').
pub(super) async fn remember_name(
    tx: &mut Transaction<'static, Any>,
    guild: u64,
    user: u64,
    name: &str,
) -> Result<(), sqlx::Error> {
    let name: String = name.chars().take(MAX_NAME_CHARS).collect();
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
    .execute(&mut **tx)
    .await?;
    Ok(())
}
