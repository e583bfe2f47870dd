//! `/trivia`: start and control games, leaderboards, stats, packs.

use std::fmt::Write as _;

use poise::serenity_prelude::{self as serenity, CreateActionRow, CreateEmbed};

use super::{caller, caller_settings, guild_of, spoiler_limit, whisper};
use crate::discord::custom_id::Period;
use crate::discord::games::Meta;
use crate::discord::render::game::{GameInfo, reject_text};
use crate::discord::render::info::{self, INFO_COLOUR, escape};
use crate::discord::render::{clip, limits, out};
use crate::discord::{Bot, Context, Error, now_ms};
use crate::game::{AnswerRule, DeckSpec, Effect, Game, GameConfig, Input, Scoring};
use crate::quiz::{Category, DeckOptions, Difficulty, Form};
use crate::store::{Board, NewGame};

/// Seconds between a reveal and the next question.
pub const REVEAL_SECONDS: u32 = 5;
/// Shortest and longest answer time a game may have.
pub const MIN_SECONDS: u32 = 5;
pub const MAX_SECONDS: u32 = 300;
pub const MAX_ROUNDS: u32 = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, poise::ChoiceParameter)]
pub enum FormChoice {
    #[name = "mixed"]
    Mixed,
    #[name = "multiple choice"]
    MultipleChoice,
    #[name = "true/false"]
    TrueFalse,
    #[name = "typed"]
    Typed,
}

impl FormChoice {
    fn forms(self) -> Vec<Form> {
        match self {
            FormChoice::Mixed => Vec::new(),
            FormChoice::MultipleChoice => vec![Form::MultipleChoice],
            FormChoice::TrueFalse => vec![Form::TrueFalse],
            FormChoice::Typed => vec![Form::Typed],
        }
    }

    fn name(self) -> &'static str {
        match self {
            FormChoice::Mixed => "mixed",
            FormChoice::MultipleChoice => "multiple choice",
            FormChoice::TrueFalse => "true/false",
            FormChoice::Typed => "typed",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, poise::ChoiceParameter)]
pub enum RuleChoice {
    #[name = "everyone answers once"]
    Once,
    #[name = "first right answer wins"]
    Race,
}

impl From<RuleChoice> for AnswerRule {
    fn from(r: RuleChoice) -> Self {
        match r {
            RuleChoice::Once => AnswerRule::Once,
            RuleChoice::Race => AnswerRule::Race,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, poise::ChoiceParameter)]
pub enum ScoringChoice {
    #[name = "speed (faster answers earn more)"]
    Speed,
    #[name = "classic (one point a right answer)"]
    Classic,
}

impl From<ScoringChoice> for Scoring {
    fn from(s: ScoringChoice) -> Self {
        match s {
            ScoringChoice::Speed => Scoring::Speed,
            ScoringChoice::Classic => Scoring::Classic,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, poise::ChoiceParameter)]
pub enum CategoryChoice {
    #[name = "dates"]
    Dates,
    #[name = "cast"]
    Cast,
    #[name = "episodes"]
    Episodes,
    #[name = "crew"]
    Crew,
    #[name = "production"]
    Production,
    #[name = "universe"]
    Universe,
    #[name = "plot"]
    Plot,
}

impl From<CategoryChoice> for Category {
    fn from(c: CategoryChoice) -> Self {
        match c {
            CategoryChoice::Dates => Category::Dates,
            CategoryChoice::Cast => Category::Cast,
            CategoryChoice::Episodes => Category::Episodes,
            CategoryChoice::Crew => Category::Crew,
            CategoryChoice::Production => Category::Production,
            CategoryChoice::Universe => Category::Universe,
            CategoryChoice::Plot => Category::Plot,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, poise::ChoiceParameter)]
pub enum DifficultyChoice {
    #[name = "easy"]
    Easy,
    #[name = "medium"]
    Medium,
    #[name = "hard"]
    Hard,
}

impl From<DifficultyChoice> for Difficulty {
    fn from(d: DifficultyChoice) -> Self {
        match d {
            DifficultyChoice::Easy => Difficulty::Easy,
            DifficultyChoice::Medium => Difficulty::Medium,
            DifficultyChoice::Hard => Difficulty::Hard,
        }
    }
}

/// Trivia games, scores and fact packs
#[poise::command(
    slash_command,
    guild_only,
    subcommands(
        "start",
        "stop",
        "skip",
        "pause",
        "resume",
        "hint",
        "leaderboard",
        "stats",
        "packs"
    ),
    subcommand_required
)]
pub async fn trivia(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Pack ids for the `pack` option.
async fn autocomplete_pack(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    // Built-in packs, then the server's own (`/pack upload`).
    let guild = ctx.guild_id().map(|g| g.get());
    let choices = crate::discord::packs::pack_choices(ctx.data(), guild, partial).await;
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

/// Start a trivia game in this channel
#[allow(clippy::too_many_arguments)]
#[poise::command(slash_command, guild_only)]
pub async fn start(
    ctx: Context<'_>,
    #[description = "Fact pack to ask from (default: the first pack)"]
    #[autocomplete = "autocomplete_pack"]
    pack: Option<String>,
    #[description = "Number of questions (default: the server's setting)"]
    #[min = 1]
    #[max = 50]
    rounds: Option<u32>,
    #[description = "Seconds to answer each question (default: the server's setting)"]
    #[min = 5]
    #[max = 300]
    seconds: Option<u32>,
    #[description = "Question form"] form: Option<FormChoice>,
    #[description = "Who scores: everyone once, or the first right answer"] rule: Option<
        RuleChoice,
    >,
    #[description = "How right answers score"] scoring: Option<ScoringChoice>,
    #[description = "Only questions of this category"] category: Option<CategoryChoice>,
    #[description = "Only questions of this difficulty"] difficulty: Option<DifficultyChoice>,
    #[description = "End the game when someone reaches this score"]
    #[min = 1]
    target: Option<u32>,
    #[description = "Also race answers typed in the channel (needs the Message Content intent)"]
    chat: Option<bool>,
) -> Result<(), Error> {
    let bot = ctx.data();
    let guild = guild_of(ctx)?;
    let channel = ctx.channel_id().get();
    if let Some(running) = bot.games.get(channel) {
        return whisper(
            ctx,
            format!(
                "A game is already running in this channel (game {}, started by <@{}>): \
                 answer its questions, or `/trivia stop` it first.",
                running.game_id, running.started_by
            ),
        )
        .await;
    }
    // A built-in pack, or one uploaded to this server (`/pack upload`).
    let Some(pack) = crate::discord::packs::resolve(bot, guild, pack.as_deref()).await? else {
        let text = if bot.catalog.packs.packs.is_empty() {
            "No fact packs are loaded, so games cannot start. The bot's operator can check the \
             packs with `trivia-bot check`."
                .to_owned()
        } else {
            format!(
                "No such pack; {}.",
                crate::discord::packs::known(bot, guild).await
            )
        };
        return whisper(ctx, text).await;
    };
    let chat = chat.unwrap_or(false);
    if chat {
        if let Some(refusal) = bot.race.refusal() {
            return whisper(ctx, refusal).await;
        }
        if rule == Some(RuleChoice::Once) {
            return whisper(
                ctx,
                "Answers typed in the channel are a race (the first right answer wins): leave \
                 out `rule`, or set it to \"first right answer wins\".",
            )
            .await;
        }
    }
    let settings = caller_settings(bot, guild).await?;
    if !settings.allowed_channels.is_empty() && !settings.allowed_channels.contains(&channel) {
        let list: Vec<String> = settings
            .allowed_channels
            .iter()
            .map(|c| format!("<#{c}>"))
            .collect();
        return whisper(
            ctx,
            format!("Games run only in {} on this server.", list.join(", ")),
        )
        .await;
    }
    // Dealing and the database may take a moment under load: acknowledge within 3 s.
    ctx.defer().await?;

    let form = form.unwrap_or(if chat {
        FormChoice::Typed
    } else {
        FormChoice::Mixed
    });
    let rule: AnswerRule = match (rule, chat) {
        (Some(r), _) => r.into(),
        (None, true) => AnswerRule::Race,
        (None, false) => settings.default_rule.parse().unwrap_or_default(),
    };
    let scoring: Scoring = match scoring {
        Some(s) => s.into(),
        None => settings.default_scoring.parse().unwrap_or_default(),
    };
    let rounds = rounds
        .unwrap_or(settings.default_rounds)
        .clamp(1, MAX_ROUNDS);
    let seconds = seconds
        .unwrap_or(settings.default_seconds)
        .clamp(MIN_SECONDS, MAX_SECONDS);
    let spoilers = spoiler_limit(&settings);
    let seed: u64 = rand::random();
    let options = DeckOptions {
        seed,
        count: rounds as usize,
        categories: category.map(Category::from).into_iter().collect(),
        difficulties: difficulty.map(Difficulty::from).into_iter().collect(),
        forms: form.forms(),
        spoiler_limit: spoilers,
    };
    let mut deck = bot.catalog.deal(&pack, &options);
    // Spellings hosts accepted in this server's events count here too.
    crate::discord::quiz_events::apply_server_aliases(bot, guild, &mut deck).await;
    if deck.is_empty() {
        return whisper(ctx, "No questions match these options (pack, category, difficulty, form and the server's spoiler limit). Try fewer filters.").await;
    }
    let config = GameConfig {
        rounds: rounds as usize,
        question_seconds: seconds,
        reveal_seconds: REVEAL_SECONDS,
        rule,
        scoring,
        target_score: target.map(u64::from),
        deck: DeckSpec {
            pack: pack.id().to_owned(),
            seed,
            categories: options.categories.clone(),
            difficulties: options.difficulties.clone(),
            spoiler_limit: spoilers,
        },
        ..GameConfig::default()
    };
    let started_by = ctx.author().id.get();
    let game_id = bot
        .store
        .start_game(&NewGame {
            guild,
            channel,
            started_by,
            pack: pack.id().to_owned(),
            seed,
            mode: format!("{}/{}/{}", form.name(), rule, scoring),
            started_at: now_ms(),
        })
        .await?;
    let info = GameInfo {
        game_id,
        pack_title: pack.title().to_owned(),
        rule,
        scoring,
        chat_answers: chat,
    };
    let questions = deck.len();
    let meta = Meta {
        guild,
        channel,
        started_by,
        info,
    };
    let game = Game::new(config, deck);
    let http = ctx.serenity_context().http.clone();
    if let Err(running) = bot.games.start(bot, http, meta, game) {
        // Another start won the race for this channel.
        bot.store.finish_game(game_id, now_ms(), &[]).await?;
        return whisper(
            ctx,
            format!(
                "A game is already running in this channel (game {}).",
                running.game_id
            ),
        )
        .await;
    }
    let mut text = format!(
        "**{questions}** questions from **{}**, {seconds} s each.\nRule: {}. Scoring: {}. Form: {}.",
        escape(pack.title()),
        match (rule, chat) {
            (AnswerRule::Once, _) => "everyone answers once",
            (AnswerRule::Race, false) => "first right answer wins",
            (AnswerRule::Race, true) => "first right answer wins — type answers in the channel",
        },
        scoring,
        form.name()
    );
    if let Some(t) = target {
        let _ = write!(text, "\nFirst to **{t}** points wins.");
    }
    if let Some(limit) = spoilers {
        let _ = write!(text, "\nNo spoilers after {limit}.");
    }
    let embed = CreateEmbed::new()
        .title("🎲 Trivia time!")
        .description(clip(&text, limits::EMBED_DESCRIPTION))
        .colour(INFO_COLOUR)
        .footer(serenity::CreateEmbedFooter::new(format!(
            "game {game_id} · the first question is coming"
        )));
    ctx.send(out::reply().embed(embed)).await?;
    Ok(())
}

/// Stop, skip, pause or resume: for the player who started the game and for moderators.
async fn control(ctx: Context<'_>, input: Input, done: &str) -> Result<(), Error> {
    let bot = ctx.data();
    let guild = guild_of(ctx)?;
    let Some(handle) = bot.games.get(ctx.channel_id().get()) else {
        return whisper(ctx, "No game is running in this channel.").await;
    };
    let caller = caller(ctx).await;
    if caller.user != handle.started_by {
        let settings = caller_settings(bot, guild).await?;
        if !caller.may_control_game(handle.started_by, settings.quiz_master_role) {
            return whisper(
                ctx,
                format!(
                    "Only <@{}>, who started this game, or a moderator can do that.",
                    handle.started_by
                ),
            )
            .await;
        }
    }
    let Ok(effects) = handle.send(input).await else {
        return whisper(ctx, "That game has just ended.").await;
    };
    if let Some(reason) = effects.iter().find_map(|e| match e {
        Effect::Rejected { reason, .. } => Some(*reason),
        _ => None,
    }) {
        return whisper(ctx, reject_text(reason)).await;
    }
    let who = escape(ctx.author().display_name());
    ctx.send(out::reply().content(format!("{done} ({who})")))
        .await?;
    Ok(())
}

/// Stop the game in this channel (its starter or a moderator)
#[poise::command(slash_command, guild_only)]
pub async fn stop(ctx: Context<'_>) -> Result<(), Error> {
    control(ctx, Input::Stop, "⏹ Game stopped.").await
}

/// Skip the current question; it scores nothing (its starter or a moderator)
#[poise::command(slash_command, guild_only)]
pub async fn skip(ctx: Context<'_>) -> Result<(), Error> {
    control(ctx, Input::Skip, "⏭ Skipped.").await
}

/// Pause the game; the clock stops (its starter or a moderator)
#[poise::command(slash_command, guild_only)]
pub async fn pause(ctx: Context<'_>) -> Result<(), Error> {
    control(ctx, Input::Pause, "⏸ Paused. `/trivia resume` goes on.").await
}

/// Resume a paused game (its starter or a moderator)
#[poise::command(slash_command, guild_only)]
pub async fn resume(ctx: Context<'_>) -> Result<(), Error> {
    control(ctx, Input::Resume, "▶ Resumed.").await
}

/// Show a letter hint for the current typed question
#[poise::command(slash_command, guild_only)]
pub async fn hint(ctx: Context<'_>) -> Result<(), Error> {
    let Some(handle) = ctx.data().games.get(ctx.channel_id().get()) else {
        return whisper(ctx, "No game is running in this channel.").await;
    };
    match handle.hint().await {
        Ok(Ok(text)) => {
            let who = escape(ctx.author().display_name());
            let text = format!("💡 Hint ({who} asked): `{}`", text.replace('`', "'"));
            ctx.send(out::reply().content(clip(&text, limits::CONTENT)))
                .await?;
            Ok(())
        }
        Ok(Err(why)) => whisper(ctx, why).await,
        Err(_) => whisper(ctx, "That game has just ended.").await,
    }
}

fn board_of(period: Period) -> Board {
    match period {
        Period::AllTime => Board::AllTime,
        Period::Week => Board::Week,
        Period::Month => Board::Month,
    }
}

/// One leaderboard page (the page is clamped to the board's length).
pub async fn board_page(
    bot: &Bot,
    guild: u64,
    period: Period,
    page: u32,
) -> Result<(CreateEmbed, Vec<CreateActionRow>), Error> {
    let board = board_of(period);
    let now = now_ms();
    let len = bot.store.board_len(guild, board, now).await?;
    let pages = info::page_count(len);
    let page = page.min(pages - 1);
    let rows = bot
        .store
        .leaderboard(
            guild,
            board,
            now,
            u64::from(page) * info::BOARD_PAGE,
            info::BOARD_PAGE,
        )
        .await?;
    Ok((
        info::leaderboard(period, page, pages, &rows),
        info::leaderboard_buttons(period, page, pages),
    ))
}

/// Show the server's leaderboard
#[poise::command(slash_command, guild_only)]
pub async fn leaderboard(
    ctx: Context<'_>,
    #[description = "Which scores: all-time (default), this week or this month"] period: Option<
        Period,
    >,
) -> Result<(), Error> {
    let guild = guild_of(ctx)?;
    ctx.defer().await?;
    let (embed, rows) = board_page(ctx.data(), guild, period.unwrap_or(Period::AllTime), 0).await?;
    ctx.send(out::reply().embed(embed).components(rows)).await?;
    Ok(())
}

/// Show a player's scores in this server
#[poise::command(slash_command, guild_only)]
pub async fn stats(
    ctx: Context<'_>,
    #[description = "Whose stats (default: yours)"] user: Option<serenity::User>,
) -> Result<(), Error> {
    let guild = guild_of(ctx)?;
    let user = user.map_or(ctx.author().id.get(), |u| u.id.get());
    ctx.defer().await?;
    let stats = ctx.data().store.player_stats(guild, user).await?;
    ctx.send(out::reply().embed(info::stats(user, stats.as_ref())))
        .await?;
    Ok(())
}

/// List the fact packs games can use
#[poise::command(slash_command, guild_only)]
pub async fn packs(ctx: Context<'_>) -> Result<(), Error> {
    let bot = ctx.data();
    let guild = ctx.guild_id().map_or(0, |g| g.get());
    let mine = crate::discord::packs::server_packs(bot, guild).await?;
    let mine: Vec<&crate::facts::FactPack> = mine.iter().map(|p| p.pack()).collect();
    let embed = info::packs(&bot.catalog.packs, &mine);
    ctx.send(out::reply().embed(embed).ephemeral(true)).await?;
    Ok(())
}
