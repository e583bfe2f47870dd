//! `/config`: a server's settings and score resets, for moderators (Manage Server or the
//! quiz-master role). Discord hides the command from members without Manage Server
//! (`default_member_permissions`); the bot checks again on every use.

use std::fmt::Write as _;

use poise::serenity_prelude::{
    self as serenity, ButtonStyle, CreateActionRow, CreateButton, CreateEmbed,
};

use super::trivia::{MAX_ROUNDS, MAX_SECONDS, MIN_SECONDS, RuleChoice, ScoringChoice};
use super::{guild_of, require_moderator, save_settings, whisper};
use crate::discord::custom_id::ComponentId;
use crate::discord::render::info::INFO_COLOUR;
use crate::discord::render::out;
use crate::discord::{Context, Error};
use crate::facts::EpisodeCode;
use crate::game::{AnswerRule, Scoring};
use crate::store::GuildSettings;

/// Server settings and score resets (moderators)
#[poise::command(
    slash_command,
    guild_only,
    default_member_permissions = "MANAGE_GUILD",
    subcommands("show", "set", "channel", "reset_scores"),
    subcommand_required
)]
pub async fn config(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

fn describe(s: &GuildSettings) -> CreateEmbed {
    let mut text = String::new();
    let _ = writeln!(text, "**Rounds:** {}", s.default_rounds);
    let _ = writeln!(text, "**Seconds a question:** {}", s.default_seconds);
    let rule = match s.default_rule.parse::<AnswerRule>() {
        Ok(AnswerRule::Race) => "first right answer wins",
        _ => "everyone answers once",
    };
    let _ = writeln!(text, "**Rule:** {rule}");
    let _ = writeln!(text, "**Scoring:** {}", s.default_scoring);
    match s.quiz_master_role {
        Some(role) => {
            let _ = writeln!(text, "**Quiz-master role:** <@&{role}>");
        }
        None => text.push_str("**Quiz-master role:** none (Manage Server only)\n"),
    }
    if s.allowed_channels.is_empty() {
        text.push_str("**Game channels:** any\n");
    } else {
        let list: Vec<String> = s
            .allowed_channels
            .iter()
            .map(|c| format!("<#{c}>"))
            .collect();
        let _ = writeln!(text, "**Game channels:** {}", list.join(", "));
    }
    match &s.spoiler_limit {
        Some(limit) => {
            let _ = writeln!(text, "**Spoiler limit:** up to {limit}");
        }
        None => text.push_str("**Spoiler limit:** none\n"),
    }
    CreateEmbed::new()
        .title("Trivia settings")
        .description(text)
        .colour(INFO_COLOUR)
}

/// Show this server's trivia settings
#[poise::command(slash_command, guild_only)]
pub async fn show(ctx: Context<'_>) -> Result<(), Error> {
    let Some(settings) = require_moderator(ctx).await? else {
        return Ok(());
    };
    ctx.send(out::reply().embed(describe(&settings)).ephemeral(true))
        .await?;
    Ok(())
}

/// Change the defaults of new games, the quiz-master role or the spoiler limit
#[allow(clippy::too_many_arguments)]
#[poise::command(slash_command, guild_only)]
pub async fn set(
    ctx: Context<'_>,
    #[description = "Questions in a game"]
    #[min = 1]
    #[max = 50]
    rounds: Option<u32>,
    #[description = "Seconds to answer a question"]
    #[min = 5]
    #[max = 300]
    seconds: Option<u32>,
    #[description = "Who scores on a question"] rule: Option<RuleChoice>,
    #[description = "How right answers score"] scoring: Option<ScoringChoice>,
    #[description = "Members with this role may run games and change settings"]
    quiz_master_role: Option<serenity::Role>,
    #[description = "Remove the quiz-master role"] clear_quiz_master_role: Option<bool>,
    #[description = "Ask and show nothing after this episode, e.g. S1E4; \"none\" to lift it"]
    #[max_length = 20]
    spoiler_limit: Option<String>,
) -> Result<(), Error> {
    let Some(mut settings) = require_moderator(ctx).await? else {
        return Ok(());
    };
    let guild = guild_of(ctx)?;
    if let Some(r) = rounds {
        settings.default_rounds = r.clamp(1, MAX_ROUNDS);
    }
    if let Some(s) = seconds {
        settings.default_seconds = s.clamp(MIN_SECONDS, MAX_SECONDS);
    }
    if let Some(r) = rule {
        settings.default_rule = AnswerRule::from(r).as_str().to_owned();
    }
    if let Some(s) = scoring {
        settings.default_scoring = Scoring::from(s).as_str().to_owned();
    }
    if let Some(role) = quiz_master_role {
        settings.quiz_master_role = Some(role.id.get());
    }
    if clear_quiz_master_role == Some(true) {
        settings.quiz_master_role = None;
    }
    if let Some(limit) = spoiler_limit {
        let limit = limit.trim();
        if limit.eq_ignore_ascii_case("none") || limit.is_empty() {
            settings.spoiler_limit = None;
        } else {
            match limit.parse::<EpisodeCode>() {
                Ok(code) => settings.spoiler_limit = Some(code.to_string()),
                Err(e) => return whisper(ctx, e).await,
            }
        }
    }
    save_settings(ctx.data(), guild, &settings).await?;
    ctx.send(
        out::reply()
            .content("Saved.")
            .embed(describe(&settings))
            .ephemeral(true),
    )
    .await?;
    Ok(())
}

/// Allow or disallow games in a channel (no allowed channel means any)
#[poise::command(slash_command, guild_only)]
pub async fn channel(
    ctx: Context<'_>,
    #[description = "The channel"]
    #[channel_types("Text", "PublicThread", "PrivateThread", "Voice")]
    channel: serenity::GuildChannel,
    #[description = "Whether games may run there"] allowed: bool,
) -> Result<(), Error> {
    let Some(mut settings) = require_moderator(ctx).await? else {
        return Ok(());
    };
    let guild = guild_of(ctx)?;
    let id = channel.id.get();
    settings.allowed_channels.retain(|c| *c != id);
    if allowed {
        settings.allowed_channels.push(id);
    }
    save_settings(ctx.data(), guild, &settings).await?;
    ctx.send(
        out::reply()
            .content("Saved.")
            .embed(describe(&settings))
            .ephemeral(true),
    )
    .await?;
    Ok(())
}

/// Reset the scores of a player, or of everyone in this server (asks to confirm)
#[poise::command(slash_command, guild_only, rename = "reset-scores")]
pub async fn reset_scores(
    ctx: Context<'_>,
    #[description = "Whose scores (default: everyone's)"] user: Option<serenity::User>,
) -> Result<(), Error> {
    if require_moderator(ctx).await?.is_none() {
        return Ok(());
    }
    let by = ctx.author().id.get();
    let target = user.as_ref().map(|u| u.id.get());
    let question = match target {
        Some(u) => format!("Reset all scores of <@{u}> in this server? This cannot be undone."),
        None => "Reset **every** score in this server? This cannot be undone.".to_owned(),
    };
    let buttons = vec![CreateActionRow::Buttons(vec![
        CreateButton::new(ComponentId::ConfirmReset { user: target, by }.encode())
            .label("Reset")
            .style(ButtonStyle::Danger),
        CreateButton::new(ComponentId::CancelReset { by }.encode())
            .label("Cancel")
            .style(ButtonStyle::Secondary),
    ])];
    ctx.send(
        out::reply()
            .content(question)
            .components(buttons)
            .ephemeral(true),
    )
    .await?;
    Ok(())
}
