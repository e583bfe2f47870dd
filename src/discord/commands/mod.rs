//! The slash commands: `/trivia` (games, boards, packs), `/fact` (lookups) and `/config`
//! (moderators: server settings and score resets).
//!
//! Discord's `default_member_permissions` applies to a whole top-level command, so the
//! moderator commands live under their own `/config`; every moderator action checks the
//! member's permissions again on the bot's side ([`require_moderator`]).

pub mod fact;
pub mod settings;
pub mod trivia;

use std::collections::HashMap;
use std::sync::Mutex;

use tracing::{error, warn};

use super::permissions::{Caller, NOT_A_MODERATOR};
use super::render::out;
use super::{Bot, Context, Data, Error};
use crate::facts::EpisodeCode;
use crate::store::{GuildSettings, StoreError};

/// Every command the bot registers.
pub fn all() -> Vec<poise::Command<Data, Error>> {
    vec![
        trivia::trivia(),
        fact::fact(),
        settings::config(),
        super::quiz_events::event(),
        super::packs::pack(),
    ]
}

/// Guild settings, cached: autocomplete must answer well inside 3 s, and settings change only
/// through `/config` in the same server, which runs on this process (its shard).
#[derive(Default)]
pub struct SettingsCache {
    cached: Mutex<HashMap<u64, GuildSettings>>,
}

impl SettingsCache {
    fn get(&self, guild: u64) -> Option<GuildSettings> {
        self.cached
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&guild)
            .cloned()
    }

    fn put(&self, guild: u64, settings: GuildSettings) {
        self.cached
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(guild, settings);
    }
}

/// The server's settings (cached after the first read).
pub async fn caller_settings(bot: &Bot, guild: u64) -> Result<GuildSettings, StoreError> {
    if let Some(settings) = bot.settings.get(guild) {
        return Ok(settings);
    }
    let settings = bot.store.guild_settings(guild).await?;
    bot.settings.put(guild, settings.clone());
    Ok(settings)
}

/// Saves the server's settings and refreshes the cache.
pub async fn save_settings(
    bot: &Bot,
    guild: u64,
    settings: &GuildSettings,
) -> Result<(), StoreError> {
    bot.store.set_guild_settings(guild, settings).await?;
    bot.settings.put(guild, settings.clone());
    Ok(())
}

/// The server's spoiler limit ("up to S1E4"), if it has a readable one.
pub fn spoiler_limit(settings: &GuildSettings) -> Option<EpisodeCode> {
    let raw = settings.spoiler_limit.as_deref()?;
    match raw.parse() {
        Ok(code) => Some(code),
        Err(e) => {
            warn!("ignoring an unreadable spoiler limit {raw:?}: {e}");
            None
        }
    }
}

/// The guild a command runs in (commands are `guild_only`, so this is a formality).
pub fn guild_of(ctx: Context<'_>) -> Result<u64, Error> {
    ctx.guild_id()
        .map(|g| g.get())
        .ok_or_else(|| anyhow::anyhow!("this command works in servers only"))
}

/// The caller as a member (permissions from the interaction itself).
pub async fn caller(ctx: Context<'_>) -> Caller {
    match ctx.author_member().await {
        Some(member) => Caller::from_member(&member),
        None => Caller {
            user: ctx.author().id.get(),
            permissions: None,
            roles: Vec::new(),
        },
    }
}

/// Checks that the caller is a moderator; if not, answers with an ephemeral refusal and
/// returns None.
pub async fn require_moderator(ctx: Context<'_>) -> Result<Option<GuildSettings>, Error> {
    let guild = guild_of(ctx)?;
    let settings = caller_settings(ctx.data(), guild).await?;
    if caller(ctx).await.is_moderator(settings.quiz_master_role) {
        Ok(Some(settings))
    } else {
        ctx.send(out::ephemeral_reply(NOT_A_MODERATOR)).await?;
        Ok(None)
    }
}

/// An ephemeral text reply.
pub async fn whisper(ctx: Context<'_>, text: impl Into<String>) -> Result<(), Error> {
    ctx.send(out::ephemeral_reply(text)).await?;
    Ok(())
}

/// Turns framework errors into ephemeral messages for the person who ran the command.
pub async fn on_error(err: poise::FrameworkError<'_, Data, Error>) {
    use poise::FrameworkError as F;
    let (ctx, text) = match err {
        F::Command { error, ctx, .. } => {
            error!(command = %ctx.command().qualified_name, "command failed: {error:#}");
            (ctx, format!("Something went wrong: {error}"))
        }
        F::ArgumentParse {
            error, input, ctx, ..
        } => {
            let input = input.map(|i| format!(" ({i:?})")).unwrap_or_default();
            (ctx, format!("An option could not be read{input}: {error}"))
        }
        F::GuildOnly { ctx, .. } => (ctx, "This command works in servers only.".to_owned()),
        F::CommandCheckFailed { ctx, .. } | F::MissingUserPermissions { ctx, .. } => {
            (ctx, NOT_A_MODERATOR.to_owned())
        }
        F::Setup { error, .. } => return error!("start-up failed: {error:#}"),
        F::EventHandler { error, .. } => return warn!("event handler failed: {error:#}"),
        other => {
            if let Err(e) = poise::builtins::on_error(other).await {
                error!("cannot report an error: {e}");
            }
            return;
        }
    };
    if let Err(e) = ctx.send(out::ephemeral_reply(text)).await {
        error!("cannot report an error to the user: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Discord's command limits (DESIGN.md): names 1–32 lowercase `[-_\p{L}\p{N}]`,
    /// descriptions 1–100 characters, at most 25 options and 25 choices, at every level.
    #[test]
    fn registered_commands_are_within_discords_limits() {
        let commands = poise::builtins::create_application_commands(&all());
        let json = serde_json::to_value(&commands).unwrap();
        let mut problems = Vec::new();
        for command in json.as_array().unwrap() {
            check(command, &mut problems, "");
        }
        assert!(problems.is_empty(), "{problems:#?}");
    }

    fn check(v: &serde_json::Value, problems: &mut Vec<String>, parent: &str) {
        let name = v["name"].as_str().unwrap_or_default();
        let path = format!("{parent}/{name}");
        let name_ok = (1..=32).contains(&name.chars().count())
            && name
                .chars()
                .all(|c| c == '-' || c == '_' || c.is_alphanumeric())
            && name.to_lowercase() == name;
        if !name_ok {
            problems.push(format!("{path}: bad name"));
        }
        // Top-level context-menu commands have no description; ours are all slash commands.
        let description = v["description"].as_str().unwrap_or_default();
        if !(1..=100).contains(&description.chars().count()) {
            problems.push(format!(
                "{path}: description has {} chars",
                description.chars().count()
            ));
        }
        let options = v["options"].as_array().cloned().unwrap_or_default();
        if options.len() > 25 {
            problems.push(format!("{path}: {} options", options.len()));
        }
        let choices = v["choices"].as_array().cloned().unwrap_or_default();
        if choices.len() > 25 {
            problems.push(format!("{path}: {} choices", choices.len()));
        }
        for choice in &choices {
            let n = choice["name"].as_str().unwrap_or_default().chars().count();
            if !(1..=100).contains(&n) {
                problems.push(format!("{path}: choice name of {n} chars"));
            }
        }
        for option in &options {
            check(option, problems, &path);
        }
    }

    #[test]
    fn moderator_command_carries_default_permissions() {
        let commands = poise::builtins::create_application_commands(&all());
        let json = serde_json::to_value(&commands).unwrap();
        let config = json
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "config")
            .unwrap();
        let manage_guild = 1u64 << 5;
        assert_eq!(
            config["default_member_permissions"],
            manage_guild.to_string()
        );
        let trivia = json
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "trivia")
            .unwrap();
        assert!(trivia["default_member_permissions"].is_null());
    }
}
