//! `/event`: create, edit, run and report quiz events. Moderators only (Manage Server or the
//! quiz-master role): Discord hides the command from others (`default_member_permissions`), and
//! every subcommand checks again on the bot's side.
//!
//! Rounds in a slash command: `/event create` takes round 1's settings and `rounds:` for "N
//! rounds like this"; `/event round round:k …` then changes round k (or adds one after the
//! last, or removes one with `remove:true`).

use std::fmt::Write as _;

use poise::serenity_prelude::{self as serenity, CreateAttachment};

use super::ids::PanelAction;
use super::options::{self, parse_duration, parse_start};
use super::{Want, render, signup, sync};
use crate::discord::commands::trivia::{
    CategoryChoice, DifficultyChoice, FormChoice, RuleChoice, ScoringChoice,
};
use crate::discord::commands::{guild_of, require_moderator, whisper};
use crate::discord::render::info::escape;
use crate::discord::render::{clip, limits, out};
use crate::discord::{Context, Error, packs};
use crate::events::{
    Event, EventSpec, EventStatus, ExportFormat, MAX_ROUND_SECONDS, MAX_ROUNDS, MIN_ROUND_SECONDS,
    RoundSpec, TeamMode, Transition, export_filename, standings,
};
use crate::quiz::{Category, Difficulty, Form};
use crate::store::GuildSettings;

/// The announcement comes this long before the start unless the moderator says otherwise.
pub const DEFAULT_LEAD_MS: i64 = 30 * 60_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, poise::ChoiceParameter)]
pub enum TeamModeChoice {
    #[name = "players choose"]
    Choose,
    #[name = "balanced by the bot"]
    Balanced,
}

impl From<TeamModeChoice> for TeamMode {
    fn from(m: TeamModeChoice) -> Self {
        match m {
            TeamModeChoice::Choose => TeamMode::Choose,
            TeamModeChoice::Balanced => TeamMode::Balanced,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, poise::ChoiceParameter)]
pub enum FormatChoice {
    #[name = "csv"]
    Csv,
    #[name = "json"]
    Json,
}

fn forms_of(choice: FormChoice) -> Vec<Form> {
    match choice {
        FormChoice::Mixed => Vec::new(),
        FormChoice::MultipleChoice => vec![Form::MultipleChoice],
        FormChoice::TrueFalse => vec![Form::TrueFalse],
        FormChoice::Typed => vec![Form::Typed],
    }
}

/// Quiz events: schedule, sign-ups, hosting, results (moderators)
#[poise::command(
    slash_command,
    guild_only,
    default_member_permissions = "MANAGE_GUILD",
    subcommands(
        "create",
        "edit",
        "round",
        "list",
        "show",
        "start",
        "panel",
        "pause",
        "resume",
        "skip",
        "next_round",
        "stop",
        "cancel",
        "results",
        "export"
    ),
    subcommand_required
)]
pub async fn event(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// The server's events for the `event` option, newest first.
async fn autocomplete_event(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let mut choices = Vec::new();
    if let Some(guild) = ctx.guild_id()
        && let Ok(events) = ctx.data().store.list_events(guild.get(), 100).await
    {
        let wanted = crate::text::fold(partial.trim_start_matches('#'));
        choices = events
            .iter()
            .filter(|e| {
                e.id.to_string().starts_with(wanted.trim())
                    || crate::text::fold(&e.spec.name).contains(&wanted)
            })
            .take(limits::AUTOCOMPLETE_CHOICES)
            .map(|e| {
                let name = clip(
                    &format!("#{} {} ({})", e.id, e.spec.name, e.status),
                    limits::CHOICE_NAME,
                );
                serenity::AutocompleteChoice::new(name, e.id)
            })
            .collect();
    }
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

async fn autocomplete_pack(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let guild = ctx.guild_id().map(|g| g.get());
    let choices = packs::pack_choices(ctx.data(), guild, partial).await;
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

/// The event a command means: the one named, else the only fitting one (this channel's first).
async fn pick(ctx: Context<'_>, given: Option<i64>, want: Want) -> Result<Option<Event>, Error> {
    let bot = ctx.data();
    let guild = guild_of(ctx)?;
    if let Some(id) = given {
        return match bot.store.event(guild, id).await? {
            Some(e) => Ok(Some(e)),
            None => {
                whisper(
                    ctx,
                    format!("This server has no event #{id} (see `/event list`)."),
                )
                .await?;
                Ok(None)
            }
        };
    }
    let channel = ctx.channel_id().get();
    let events = bot.store.list_events(guild, 100).await?;
    let fitting: Vec<&Event> = events.iter().filter(|e| want.fits(e.status)).collect();
    let here: Vec<&Event> = fitting
        .iter()
        .copied()
        .filter(|e| e.spec.channel == channel)
        .collect();
    // Newest first: "played" means the latest one.
    let chosen = match (here.as_slice(), fitting.as_slice()) {
        ([one], _) | (_, [one]) => Some(*one),
        ([newest, ..], _) | (_, [newest, ..]) if want == Want::Played => Some(*newest),
        _ => None,
    };
    match chosen {
        Some(e) => Ok(Some(e.clone())),
        None => {
            let what = match want {
                Want::Upcoming => "that has not started",
                Want::Live => "being played",
                Want::Played => "that was played",
                Want::Any => "",
            };
            let text = if fitting.is_empty() {
                format!("This server has no event {what} (see `/event list`).")
            } else {
                format!(
                    "{} events fit: name one with `event:` (see `/event list`).",
                    fitting.len()
                )
            };
            whisper(ctx, text).await?;
            Ok(None)
        }
    }
}

/// The interaction's token (a host's panel messages are sent through the freshest one).
fn token(ctx: Context<'_>) -> Option<String> {
    match ctx {
        poise::Context::Application(a) => Some(a.interaction.token.clone()),
        poise::Context::Prefix(_) => None,
    }
}

async fn reply_card(ctx: Context<'_>, e: &Event, text: String) -> Result<(), Error> {
    let records = ctx.data().store.event_records(e.guild, e.id).await?;
    let (regs, names) = records
        .map(|r| (r.registrations, r.names))
        .unwrap_or_default();
    let embed = render::event_card(e, &regs, &names);
    ctx.send(
        out::reply()
            .content(clip(&text, limits::CONTENT))
            .embed(embed)
            .ephemeral(true),
    )
    .await?;
    Ok(())
}

/// Round 1's settings from the options, over the server's defaults.
#[allow(clippy::too_many_arguments)]
fn round_spec(
    base: RoundSpec,
    pack: Option<String>,
    questions: Option<u32>,
    seconds: Option<u32>,
    form: Option<FormChoice>,
    rule: Option<RuleChoice>,
    scoring: Option<ScoringChoice>,
    category: Option<CategoryChoice>,
    difficulty: Option<DifficultyChoice>,
) -> RoundSpec {
    RoundSpec {
        pack: pack.map_or(base.pack, |p| p.trim().to_owned()),
        categories: category.map_or(base.categories, |c| vec![Category::from(c)]),
        difficulties: difficulty.map_or(base.difficulties, |d| vec![Difficulty::from(d)]),
        forms: form.map_or(base.forms, forms_of),
        questions: questions.map_or(base.questions, |q| q as usize),
        seconds: seconds.map_or(base.seconds, |s| {
            s.clamp(MIN_ROUND_SECONDS, MAX_ROUND_SECONDS)
        }),
        rule: rule.map_or(base.rule, Into::into),
        scoring: scoring.map_or(base.scoring, Into::into),
    }
}

fn default_round(pack: String, settings: &GuildSettings) -> RoundSpec {
    RoundSpec {
        questions: settings.default_rounds as usize,
        seconds: settings
            .default_seconds
            .clamp(MIN_ROUND_SECONDS, MAX_ROUND_SECONDS),
        rule: settings.default_rule.parse().unwrap_or_default(),
        scoring: settings.default_scoring.parse().unwrap_or_default(),
        ..RoundSpec::new(pack)
    }
}

/// Whether a pack id can be played in this server; else the refusal.
async fn check_pack(ctx: Context<'_>, guild: u64, pack: &str) -> Result<Option<String>, Error> {
    let bot = ctx.data();
    Ok(match packs::resolve(bot, guild, Some(pack)).await? {
        Some(_) => None,
        None => Some(format!(
            "No pack `{pack}`; {}.",
            packs::known(bot, guild).await
        )),
    })
}

/// Create a quiz event (round 1's settings here; change rounds with /event round)
#[allow(clippy::too_many_arguments)]
#[poise::command(slash_command, guild_only)]
pub async fn create(
    ctx: Context<'_>,
    #[description = "The event's name"]
    #[max_length = 100]
    name: String,
    #[description = "Start: 2026-11-26 20:00 (UTC), <t:…> or in 2h; none = start by hand"]
    #[max_length = 64]
    start: Option<String>,
    #[description = "Where it is played (default: here)"]
    #[channel_types("Text")]
    channel: Option<serenity::GuildChannel>,
    #[description = "Announce this long before: 30m (default), 2h, 0"]
    #[max_length = 32]
    lead: Option<String>,
    #[description = "The one role announcements ping"] role: Option<serenity::Role>,
    #[description = "What it is about"]
    #[max_length = 1000]
    description: Option<String>,
    #[description = "A second host (you host it too)"] host: Option<serenity::User>,
    #[description = "Rounds like this one (default 1); change one with /event round"]
    #[min = 1]
    #[max = 10]
    rounds: Option<u32>,
    #[description = "Fact pack (default: the first)"]
    #[autocomplete = "autocomplete_pack"]
    #[max_length = 64]
    pack: Option<String>,
    #[description = "Questions a round"]
    #[min = 1]
    #[max = 100]
    questions: Option<u32>,
    #[description = "Seconds a question"]
    #[min = 5]
    #[max = 600]
    seconds: Option<u32>,
    #[description = "Question form"] form: Option<FormChoice>,
    #[description = "Who scores"] rule: Option<RuleChoice>,
    #[description = "How right answers score"] scoring: Option<ScoringChoice>,
    #[description = "Only this category"] category: Option<CategoryChoice>,
    #[description = "Only this difficulty"] difficulty: Option<DifficultyChoice>,
    #[description = "Teams (2-10); none: everyone plays alone"]
    #[min = 2]
    #[max = 10]
    teams: Option<u32>,
    #[description = "Players choose teams (default) or the bot balances them"] team_mode: Option<
        TeamModeChoice,
    >,
    #[description = "Team names: Red, Blue, Gold"]
    #[max_length = 400]
    team_names: Option<String>,
) -> Result<(), Error> {
    let Some(settings) = require_moderator(ctx).await? else {
        return Ok(());
    };
    let bot = ctx.data();
    let guild = guild_of(ctx)?;
    let now = bot.events.clock().now_ms();
    let starts_at = match start.as_deref().map(|s| parse_start(s, now)).transpose() {
        Ok(t) => t,
        Err(text) => return whisper(ctx, text).await,
    };
    let lead = match lead.as_deref().map(parse_duration).transpose() {
        Ok(lead) => lead.unwrap_or(DEFAULT_LEAD_MS),
        Err(text) => return whisper(ctx, text).await,
    };
    let teams = match options::teams(teams, team_mode.map(Into::into), team_names.as_deref()) {
        Ok(t) => t,
        Err(text) => return whisper(ctx, text).await,
    };
    let pack = match pack.or_else(|| bot.catalog.pack(None).map(|p| p.id().to_owned())) {
        Some(p) => p.trim().to_owned(),
        None => return whisper(ctx, "No packs are loaded: name one with `pack:`.").await,
    };
    if let Some(refusal) = check_pack(ctx, guild, &pack).await? {
        return whisper(ctx, refusal).await;
    }
    let round = round_spec(
        default_round(pack, &settings),
        None,
        questions,
        seconds,
        form,
        rule,
        scoring,
        category,
        difficulty,
    );
    let author = ctx.author().id.get();
    let mut hosts = vec![author];
    if let Some(h) = host.filter(|h| h.id.get() != author) {
        hosts.push(h.id.get());
    }
    let spec = EventSpec {
        name: name.trim().to_owned(),
        description: description.unwrap_or_default().trim().to_owned(),
        channel: channel.map_or(ctx.channel_id().get(), |c| c.id.get()),
        hosts,
        starts_at,
        announce_lead_ms: if starts_at.is_some() { lead } else { 0 },
        announce_role: role.map(|r| r.id.get()),
        rounds: vec![round; rounds.unwrap_or(1) as usize],
        teams,
    };
    if let Err(err) = spec.validate(Some(now)) {
        return whisper(ctx, err.to_string()).await;
    }
    ctx.defer_ephemeral().await?;
    let http = ctx.serenity_context().http.clone();
    let e = bot.store.create_event(guild, &spec, author, now).await?;
    let mut notes = Vec::new();
    if let Err(problem) = signup::post(bot, &http, &e).await {
        notes.push(problem);
    }
    let e = bot.store.event(guild, e.id).await?.unwrap_or(e);
    if let Some(problem) = sync::update(&http, &bot.store, &e).await {
        notes.push(problem);
    }
    bot.events.reschedule();
    let mut text = format!("✅ Event **#{}** created.", e.id);
    match e.spec.starts_at {
        Some(at) => {
            let _ = write!(text, " It starts by itself {}.", render::when(at));
        }
        None => text.push_str(" Start it with `/event start` when you're ready."),
    }
    for note in notes {
        let _ = write!(text, "\n⚠️ {note}");
    }
    reply_card(ctx, &e, text).await
}

/// Change an event that has not started (its rounds: /event round)
#[allow(clippy::too_many_arguments)]
#[poise::command(slash_command, guild_only)]
pub async fn edit(
    ctx: Context<'_>,
    #[description = "Event id (default: the current one)"]
    #[autocomplete = "autocomplete_event"]
    #[min = 1]
    event: Option<i64>,
    #[description = "New name"]
    #[max_length = 100]
    name: Option<String>,
    #[description = "New start (as in create); none = start by hand"]
    #[max_length = 64]
    start: Option<String>,
    #[description = "New channel"]
    #[channel_types("Text")]
    channel: Option<serenity::GuildChannel>,
    #[description = "Announce this long before: 30m, 2h, 0"]
    #[max_length = 32]
    lead: Option<String>,
    #[description = "The one role announcements ping"] role: Option<serenity::Role>,
    #[description = "Ping no role"] no_role: Option<bool>,
    #[description = "New description"]
    #[max_length = 1000]
    description: Option<String>,
    #[description = "Add a host"] host: Option<serenity::User>,
    #[description = "Remove a host"] remove_host: Option<serenity::User>,
    #[description = "Rounds: more copies the last one, fewer drops the last ones"]
    #[min = 1]
    #[max = 10]
    rounds: Option<u32>,
    #[description = "Teams (2-10), 0 = no teams"]
    #[min = 0]
    #[max = 10]
    teams: Option<u32>,
    #[description = "How players get a team"] team_mode: Option<TeamModeChoice>,
    #[description = "Team names: Red, Blue"]
    #[max_length = 400]
    team_names: Option<String>,
) -> Result<(), Error> {
    if require_moderator(ctx).await?.is_none() {
        return Ok(());
    }
    let Some(e) = pick(ctx, event, Want::Upcoming).await? else {
        return Ok(());
    };
    let bot = ctx.data();
    let now = bot.events.clock().now_ms();
    let mut spec = e.spec.clone();
    if let Some(name) = name {
        spec.name = name.trim().to_owned();
    }
    if let Some(d) = description {
        spec.description = d.trim().to_owned();
    }
    if let Some(c) = &channel {
        spec.channel = c.id.get();
    }
    if let Some(start) = start {
        spec.starts_at = match start.trim().to_ascii_lowercase().as_str() {
            "none" | "off" | "clear" | "-" => None,
            _ => match parse_start(&start, now) {
                Ok(t) => Some(t),
                Err(text) => return whisper(ctx, text).await,
            },
        };
    }
    if let Some(lead) = lead {
        match parse_duration(&lead) {
            Ok(ms) => spec.announce_lead_ms = ms,
            Err(text) => return whisper(ctx, text).await,
        }
    } else if e.spec.starts_at.is_none() && spec.starts_at.is_some() {
        spec.announce_lead_ms = DEFAULT_LEAD_MS;
    }
    if let Some(role) = role {
        spec.announce_role = Some(role.id.get());
    }
    if no_role == Some(true) {
        spec.announce_role = None;
    }
    if let Some(h) = host
        && !spec.hosts.contains(&h.id.get())
    {
        spec.hosts.push(h.id.get());
    }
    if let Some(h) = remove_host {
        spec.hosts.retain(|x| *x != h.id.get());
    }
    if let Some(n) = rounds {
        let n = (n as usize).min(MAX_ROUNDS);
        while spec.rounds.len() < n {
            let last = spec.rounds.last().cloned();
            spec.rounds.extend(last);
        }
        spec.rounds.truncate(n);
    }
    if teams == Some(0) {
        spec.teams = None;
    } else if teams.is_some() || team_mode.is_some() || team_names.is_some() {
        let current = spec.teams.as_ref();
        let count = teams.or_else(|| {
            team_names
                .is_none()
                .then(|| current.map(|t| t.names.len() as u32))
                .flatten()
        });
        let mode = team_mode
            .map(Into::into)
            .or_else(|| current.map(|t| t.mode));
        let names = team_names.or_else(|| {
            // Keep the names when only the mode changes.
            (teams.is_none())
                .then(|| current.map(|t| t.names.join(", ")))
                .flatten()
        });
        spec.teams = match options::teams(count, mode, names.as_deref()) {
            Ok(t) => t,
            Err(text) => return whisper(ctx, text).await,
        };
    }
    let after = match e.edited(spec, now) {
        Ok(after) => after,
        Err(err) => return whisper(ctx, err.to_string()).await,
    };
    save_edit(ctx, &e, after, "✏️ Saved.").await
}

/// Saves an edited event, then brings the sign-up message, the server's Events list and the
/// scheduler in line.
async fn save_edit(
    ctx: Context<'_>,
    before: &Event,
    after: Event,
    done: &str,
) -> Result<(), Error> {
    let bot = ctx.data();
    ctx.defer_ephemeral().await?;
    let now = bot.events.clock().now_ms();
    if !bot.store.update_event(before, &after, now).await? {
        return whisper(
            ctx,
            "The event changed meanwhile (it may have started): look again with `/event show`.",
        )
        .await;
    }
    let http = ctx.serenity_context().http.clone();
    let e = bot
        .store
        .event(after.guild, after.id)
        .await?
        .unwrap_or(after);
    let mut text = done.to_owned();
    if e.spec.channel != before.spec.channel {
        // The old sign-up message stays where it was; the new channel gets its own.
        if let Err(problem) = signup::post(bot, &http, &e).await {
            let _ = write!(text, "\n⚠️ {problem}");
        }
    } else {
        signup::refresh(bot, &http, e.guild, e.id).await;
    }
    let e = bot.store.event(e.guild, e.id).await?.unwrap_or(e);
    if let Some(problem) = sync::update(&http, &bot.store, &e).await {
        let _ = write!(text, "\n⚠️ {problem}");
    }
    if e.status == EventStatus::Scheduled && before.status == EventStatus::Announced {
        text.push_str("\nThe start time changed, so the event will be announced again.");
    }
    bot.events.reschedule();
    reply_card(ctx, &e, text).await
}

/// Set round k's settings (k one past the last adds a round)
#[allow(clippy::too_many_arguments)]
#[poise::command(slash_command, guild_only)]
pub async fn round(
    ctx: Context<'_>,
    #[description = "Round number; one past the last adds a round"]
    #[min = 1]
    #[max = 10]
    round: u32,
    #[description = "Event id (default: the current one)"]
    #[autocomplete = "autocomplete_event"]
    #[min = 1]
    event: Option<i64>,
    #[description = "Fact pack"]
    #[autocomplete = "autocomplete_pack"]
    #[max_length = 64]
    pack: Option<String>,
    #[description = "Questions"]
    #[min = 1]
    #[max = 100]
    questions: Option<u32>,
    #[description = "Seconds a question"]
    #[min = 5]
    #[max = 600]
    seconds: Option<u32>,
    #[description = "Question form"] form: Option<FormChoice>,
    #[description = "Who scores"] rule: Option<RuleChoice>,
    #[description = "How right answers score"] scoring: Option<ScoringChoice>,
    #[description = "Only this category"] category: Option<CategoryChoice>,
    #[description = "Only this difficulty"] difficulty: Option<DifficultyChoice>,
    #[description = "Any category again"] any_category: Option<bool>,
    #[description = "Any difficulty again"] any_difficulty: Option<bool>,
    #[description = "Remove this round instead"] remove: Option<bool>,
) -> Result<(), Error> {
    if require_moderator(ctx).await?.is_none() {
        return Ok(());
    }
    let Some(e) = pick(ctx, event, Want::Upcoming).await? else {
        return Ok(());
    };
    let guild = guild_of(ctx)?;
    let k = round as usize - 1;
    let mut spec = e.spec.clone();
    let count = spec.rounds.len();
    if k > count {
        return whisper(
            ctx,
            format!(
                "The event has {count} round{}: set round 1 to {count}, or {} to add one.",
                if count == 1 { "" } else { "s" },
                count + 1
            ),
        )
        .await;
    }
    let done = if remove == Some(true) {
        if k == count {
            return whisper(ctx, format!("There is no round {round} to remove.")).await;
        }
        spec.rounds.remove(k);
        format!("🗑 Round {round} removed.")
    } else {
        if let Some(p) = &pack
            && let Some(refusal) = check_pack(ctx, guild, p.trim()).await?
        {
            return whisper(ctx, refusal).await;
        }
        let base = spec
            .rounds
            .get(k)
            .or(spec.rounds.last())
            .cloned()
            .unwrap_or_else(|| RoundSpec::new(pack.clone().unwrap_or_default()));
        let mut r = round_spec(
            base, pack, questions, seconds, form, rule, scoring, category, difficulty,
        );
        if any_category == Some(true) {
            r.categories.clear();
        }
        if any_difficulty == Some(true) {
            r.difficulties.clear();
        }
        let text = format!("✏️ Round {round}: {}.", render::round_text(&r));
        if k == count {
            spec.rounds.push(r);
        } else {
            spec.rounds[k] = r;
        }
        text
    };
    let after = match e.edited(spec, ctx.data().events.clock().now_ms()) {
        Ok(after) => after,
        Err(err) => return whisper(ctx, err.to_string()).await,
    };
    save_edit(ctx, &e, after, &done).await
}

/// List this server's events
#[poise::command(slash_command, guild_only)]
pub async fn list(ctx: Context<'_>) -> Result<(), Error> {
    if require_moderator(ctx).await?.is_none() {
        return Ok(());
    }
    let guild = guild_of(ctx)?;
    let events = ctx.data().store.list_events(guild, 20).await?;
    let mut text = String::new();
    if events.is_empty() {
        text.push_str("No events yet: create one with `/event create`.");
    }
    for e in &events {
        let _ = write!(
            text,
            "**#{}** {} — {} — <#{}>",
            e.id,
            escape(&clip(&e.spec.name, 80)),
            e.status,
            e.spec.channel
        );
        if let (Some(at), true) = (e.spec.starts_at, e.status.is_upcoming()) {
            let _ = write!(text, " — starts {}", render::when(at));
        }
        text.push('\n');
    }
    let embed = serenity::CreateEmbed::new()
        .title("Events")
        .description(clip(&text, limits::EMBED_DESCRIPTION))
        .colour(render::EVENT_COLOUR);
    ctx.send(out::reply().embed(embed).ephemeral(true)).await?;
    Ok(())
}

/// Show an event: settings, rounds, sign-ups and teams
#[poise::command(slash_command, guild_only)]
pub async fn show(
    ctx: Context<'_>,
    #[description = "Event id (default: the current one)"]
    #[autocomplete = "autocomplete_event"]
    #[min = 1]
    event: Option<i64>,
) -> Result<(), Error> {
    if require_moderator(ctx).await?.is_none() {
        return Ok(());
    }
    let Some(e) = pick(ctx, event, Want::Any).await? else {
        return Ok(());
    };
    reply_card(ctx, &e, String::new()).await
}

/// Start an event now (with or without a start time); you get the control panel
#[poise::command(slash_command, guild_only)]
pub async fn start(
    ctx: Context<'_>,
    #[description = "Event id (default: the current one)"]
    #[autocomplete = "autocomplete_event"]
    #[min = 1]
    event: Option<i64>,
) -> Result<(), Error> {
    if require_moderator(ctx).await?.is_none() {
        return Ok(());
    }
    let Some(e) = pick(ctx, event, Want::Upcoming).await? else {
        return Ok(());
    };
    if let Err(err) = e.next_status(Transition::Start) {
        return whisper(ctx, err.to_string()).await;
    }
    ctx.defer_ephemeral().await?;
    let bot = ctx.data();
    let http = ctx.serenity_context().http.clone();
    let handle = bot.events.driver(bot, http, &e).await;
    if let Some(token) = token(ctx) {
        handle.host_token(token).await;
    }
    let result = handle
        .begin(None, ctx.author().id.get())
        .await
        .unwrap_or_else(|_| Err("The bot is shutting down; try again in a moment.".to_owned()));
    send_panel(ctx, e.id, result).await
}

/// The control panel, privately, with a note on what was just done.
async fn send_panel(
    ctx: Context<'_>,
    id: i64,
    result: Result<String, String>,
) -> Result<(), Error> {
    let bot = ctx.data();
    let guild = guild_of(ctx)?;
    let Some(e) = bot.store.event(guild, id).await? else {
        return whisper(ctx, "This event no longer exists.").await;
    };
    let note = match &result {
        Ok(text) => text.clone(),
        Err(text) => format!("⚠️ {text}"),
    };
    let mut reply = out::reply()
        .content(render::panel_text(&e, Some(&note)))
        .ephemeral(true);
    if !e.status.is_over() {
        reply = reply.components(render::panel_buttons(e.id, e.status));
    }
    ctx.send(reply).await?;
    Ok(())
}

/// Get the host control panel of an event (pause, resume, skip, next round, stop)
#[poise::command(slash_command, guild_only)]
pub async fn panel(
    ctx: Context<'_>,
    #[description = "Event id (default: the current one)"]
    #[autocomplete = "autocomplete_event"]
    #[min = 1]
    event: Option<i64>,
) -> Result<(), Error> {
    if require_moderator(ctx).await?.is_none() {
        return Ok(());
    }
    let Some(e) = pick(ctx, event, Want::Live).await? else {
        return Ok(());
    };
    let bot = ctx.data();
    if e.status.is_live()
        && let Some(token) = token(ctx)
    {
        let http = ctx.serenity_context().http.clone();
        bot.events
            .driver(bot, http, &e)
            .await
            .host_token(token)
            .await;
    }
    send_panel(ctx, e.id, Ok("Your controls:".to_owned())).await
}

async fn control(ctx: Context<'_>, event: Option<i64>, action: PanelAction) -> Result<(), Error> {
    if require_moderator(ctx).await?.is_none() {
        return Ok(());
    }
    let Some(e) = pick(ctx, event, Want::Live).await? else {
        return Ok(());
    };
    if !e.status.is_live() {
        // Nothing runs: say why (not started, or over) without starting the event's task.
        let transition = match action {
            PanelAction::Pause => Transition::Pause,
            PanelAction::Resume => Transition::Resume,
            PanelAction::Skip | PanelAction::Stop => Transition::Stop,
            PanelAction::NextRound => Transition::NextRound,
        };
        let refusal = e.next_status(transition).err().map_or_else(
            || format!("The event is {}.", e.status),
            |err| err.to_string(),
        );
        return whisper(ctx, refusal).await;
    }
    ctx.defer_ephemeral().await?;
    let bot = ctx.data();
    let http = ctx.serenity_context().http.clone();
    let handle = bot.events.driver(bot, http, &e).await;
    if let Some(token) = token(ctx) {
        handle.host_token(token).await;
    }
    let result = handle
        .control(action, ctx.author().id.get())
        .await
        .unwrap_or_else(|_| Err("The event is not running here any more.".to_owned()));
    send_panel(ctx, e.id, result).await
}

/// Pause the event's current question (the clock stops)
#[poise::command(slash_command, guild_only)]
pub async fn pause(
    ctx: Context<'_>,
    #[description = "Event id (default: the current one)"]
    #[autocomplete = "autocomplete_event"]
    #[min = 1]
    event: Option<i64>,
) -> Result<(), Error> {
    control(ctx, event, PanelAction::Pause).await
}

/// Resume a paused event
#[poise::command(slash_command, guild_only)]
pub async fn resume(
    ctx: Context<'_>,
    #[description = "Event id (default: the current one)"]
    #[autocomplete = "autocomplete_event"]
    #[min = 1]
    event: Option<i64>,
) -> Result<(), Error> {
    control(ctx, event, PanelAction::Resume).await
}

/// Skip the current question: revealed now, scores nothing
#[poise::command(slash_command, guild_only)]
pub async fn skip(
    ctx: Context<'_>,
    #[description = "Event id (default: the current one)"]
    #[autocomplete = "autocomplete_event"]
    #[min = 1]
    event: Option<i64>,
) -> Result<(), Error> {
    control(ctx, event, PanelAction::Skip).await
}

/// End the current round and start the next one
#[poise::command(slash_command, guild_only, rename = "next-round")]
pub async fn next_round(
    ctx: Context<'_>,
    #[description = "Event id (default: the current one)"]
    #[autocomplete = "autocomplete_event"]
    #[min = 1]
    event: Option<i64>,
) -> Result<(), Error> {
    control(ctx, event, PanelAction::NextRound).await
}

/// End the event now; the results are kept and posted
#[poise::command(slash_command, guild_only)]
pub async fn stop(
    ctx: Context<'_>,
    #[description = "Event id (default: the current one)"]
    #[autocomplete = "autocomplete_event"]
    #[min = 1]
    event: Option<i64>,
) -> Result<(), Error> {
    control(ctx, event, PanelAction::Stop).await
}

/// Call off an event that has not started
#[poise::command(slash_command, guild_only)]
pub async fn cancel(
    ctx: Context<'_>,
    #[description = "Event id (default: the current one)"]
    #[autocomplete = "autocomplete_event"]
    #[min = 1]
    event: Option<i64>,
) -> Result<(), Error> {
    if require_moderator(ctx).await?.is_none() {
        return Ok(());
    }
    let Some(e) = pick(ctx, event, Want::Upcoming).await? else {
        return Ok(());
    };
    let to = match e.next_status(Transition::Cancel) {
        Ok(to) => to,
        Err(err) => return whisper(ctx, err.to_string()).await,
    };
    ctx.defer_ephemeral().await?;
    let bot = ctx.data();
    if !bot
        .store
        .set_event_status(&e, to, bot.events.clock().now_ms())
        .await?
    {
        return whisper(
            ctx,
            "The event changed meanwhile (it may have started): look again with `/event show`.",
        )
        .await;
    }
    let http = ctx.serenity_context().http.clone();
    let mut text = format!("❌ Event #{} is cancelled.", e.id);
    if let Some(problem) = sync::remove(&http, &bot.store, &e).await {
        let _ = write!(text, "\n⚠️ {problem}");
    }
    signup::refresh(bot, &http, e.guild, e.id).await;
    let note = out::message().content(format!(
        "❌ **{}** is cancelled.",
        escape(&clip(&e.spec.name, 100))
    ));
    let _ = serenity::ChannelId::new(e.spec.channel)
        .send_message(&http, note)
        .await;
    bot.events.reschedule();
    whisper(ctx, text).await
}

/// Post an event's podium: players and teams
#[poise::command(slash_command, guild_only)]
pub async fn results(
    ctx: Context<'_>,
    #[description = "Event id (default: the latest played)"]
    #[autocomplete = "autocomplete_event"]
    #[min = 1]
    event: Option<i64>,
) -> Result<(), Error> {
    if require_moderator(ctx).await?.is_none() {
        return Ok(());
    }
    let Some(e) = pick(ctx, event, Want::Played).await? else {
        return Ok(());
    };
    ctx.defer().await?;
    let Some(records) = ctx.data().store.event_records(e.guild, e.id).await? else {
        return whisper(ctx, "This event no longer exists.").await;
    };
    let table = standings(&records);
    ctx.send(out::reply().embed(render::podium(&records, &table)))
        .await?;
    Ok(())
}

/// Export every question, answer, time, point and ruling of an event as a file
#[poise::command(slash_command, guild_only)]
pub async fn export(
    ctx: Context<'_>,
    #[description = "Event id (default: the latest played)"]
    #[autocomplete = "autocomplete_event"]
    #[min = 1]
    event: Option<i64>,
    #[description = "csv (a row per answer, default) or json (everything)"] format: Option<
        FormatChoice,
    >,
) -> Result<(), Error> {
    if require_moderator(ctx).await?.is_none() {
        return Ok(());
    }
    let Some(e) = pick(ctx, event, Want::Played).await? else {
        return Ok(());
    };
    ctx.defer_ephemeral().await?;
    let Some(records) = ctx.data().store.event_records(e.guild, e.id).await? else {
        return whisper(ctx, "This event no longer exists.").await;
    };
    let format = match format {
        Some(FormatChoice::Json) => ExportFormat::Json,
        _ => ExportFormat::Csv,
    };
    let file = CreateAttachment::bytes(
        format.render(&records).into_bytes(),
        export_filename(&records, format),
    );
    let answers: usize = records.questions.iter().map(|q| q.answers.len()).sum();
    let text = format!(
        "📄 Event #{}: {} question{}, {answers} answer{}, {} ruling{}.",
        e.id,
        records.questions.len(),
        if records.questions.len() == 1 {
            ""
        } else {
            "s"
        },
        if answers == 1 { "" } else { "s" },
        records.rulings.len(),
        if records.rulings.len() == 1 { "" } else { "s" }
    );
    ctx.send(out::reply().content(text).attachment(file).ephemeral(true))
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    /// Discord's limit on a command's names, descriptions and choices, all levels together.
    const COMMAND_TEXT: usize = 4000;

    fn text_size(v: &Value) -> usize {
        let len = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
        let mut n = len(&v["name"]) + len(&v["description"]);
        for c in v["choices"].as_array().into_iter().flatten() {
            n += len(&c["name"]) + len(&c["value"]);
        }
        for o in v["options"].as_array().into_iter().flatten() {
            n += text_size(o);
        }
        n
    }

    #[test]
    fn event_and_pack_fit_discords_command_size() {
        let commands = [super::event(), crate::discord::packs::pack()];
        let json =
            serde_json::to_value(poise::builtins::create_application_commands(&commands)).unwrap();
        for command in json.as_array().unwrap() {
            let size = text_size(command);
            assert!(
                size <= COMMAND_TEXT,
                "/{}: {size} characters",
                command["name"]
            );
        }
    }
}
