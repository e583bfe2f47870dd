//! Quiz events in Discord: `/event` (moderators), the sign-up message, the host's control
//! panel and rulings panel, the scheduler, announcements, the server's native scheduled
//! event, results and export. The rules live in [`crate::events`] and the state in the store;
//! this module only carries Discord in and out.
//!
//! - [`commands`]: `/event create|edit|round|list|show|start|panel|pause|resume|skip|next-round|
//!   stop|cancel|results|export`.
//! - [`driver`]: one task per started event; each round is a game (`discord::games`) with the
//!   event's roster, observed by the driver.
//! - [`scheduler`]: announcements and starts, by the event [`Clock`].
//! - [`signup`], [`rulings`], [`sync`] (the server's Events list), [`render`].
//! - Components carry `ev:` custom_ids ([`ids`]); the bot's one component handler routes them
//!   to [`component`].

pub mod clock;
pub mod commands;
mod driver;
pub mod ids;
pub mod options;
pub mod render;
mod rulings;
mod scheduler;
mod signup;
mod sync;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use poise::serenity_prelude::{
    self as serenity, ComponentInteraction, ComponentInteractionDataKind,
    CreateInteractionResponse, Http,
};
use tokio::sync::{Notify, watch};
use tracing::{error, info, warn};

pub use clock::Clock;
pub use commands::event;

use super::commands::caller_settings;
use super::permissions::{Caller, NOT_A_MODERATOR};
use super::render::out;
use super::startup::ShardPlan;
use super::{Bot, Data};
use crate::events::{Event, EventId, EventStatus, ScheduleConfig, apply_aliases};
use crate::quiz::Question;
use driver::{Handle, Launch, RoundRun};
use ids::EventComponent;

/// The events' share of the bot's state: the clock, the running events' tasks, and the
/// scheduler's wake-up and stop signals.
pub struct Runtime {
    clock: Clock,
    schedule: ScheduleConfig,
    drivers: Mutex<HashMap<EventId, Handle>>,
    kick: Notify,
    stop: watch::Sender<bool>,
}

impl Runtime {
    pub fn new(clock: Clock) -> Runtime {
        Runtime {
            clock,
            schedule: ScheduleConfig::default(),
            drivers: Mutex::new(HashMap::new()),
            kick: Notify::new(),
            stop: watch::Sender::new(false),
        }
    }

    /// The scheduler's clock.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    pub fn schedule(&self) -> ScheduleConfig {
        self.schedule
    }

    /// Wakes the scheduler (an event was created or its time changed).
    pub fn reschedule(&self) {
        self.kick.notify_one();
    }

    async fn kicked(&self) {
        self.kick.notified().await;
    }

    /// Stops the scheduler and every event task (the bot is shutting down; the rounds'
    /// games are saved by `Games::suspend_all`).
    pub fn stop(&self) {
        self.stop.send_replace(true);
    }

    fn stopping(&self) -> watch::Receiver<bool> {
        self.stop.subscribe()
    }
}

/// Resolves once the bot is stopping.
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

impl Runtime {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<EventId, Handle>> {
        self.drivers.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn forget(&self, id: EventId) {
        self.lock().remove(&id);
    }

    /// The task of a started event, if it has one now.
    fn existing(&self, id: EventId) -> Option<Handle> {
        self.lock().get(&id).cloned()
    }

    /// The event's task, started if it has none (picking up its current round's game).
    async fn driver(&self, bot: &Data, http: Arc<Http>, e: &Event) -> Handle {
        if let Some(handle) = self.existing(e.id) {
            return handle;
        }
        let launch = launch_for(bot, e).await;
        let mut drivers = self.lock();
        if let Some(handle) = drivers.get(&e.id) {
            return handle.clone();
        }
        let handle = driver::spawn(bot, http, e, launch);
        drivers.insert(e.id, handle.clone());
        handle
    }
}

/// How an event's task picks up: the game of the round being played, and whether it already
/// ended while the bot was away.
async fn launch_for(bot: &Bot, e: &Event) -> Launch {
    let Some(round) = e.status.current_round() else {
        return Launch {
            current: None,
            round_already_ended: false,
        };
    };
    match bot.store.event_games(e.id).await {
        Ok(games) => match games.into_iter().find(|g| g.round == round) {
            Some(g) => Launch {
                current: Some(RoundRun {
                    game: g.game_id,
                    round,
                }),
                round_already_ended: g.ended_at.is_some(),
            },
            None => Launch {
                current: None,
                round_already_ended: true,
            },
        },
        Err(err) => {
            error!(event = e.id, "cannot read the event's rounds: {err}");
            Launch {
                current: None,
                round_already_ended: false,
            }
        }
    }
}

/// At start-up, before saved games resume: tasks for the events being played (so their
/// rounds' games are observed from their first effect), then the scheduler.
pub async fn start(bot: &Data, http: Arc<Http>, shards: ShardPlan) {
    match bot.store.live_events().await {
        Ok(events) => {
            for e in events.iter().filter(|e| shards.owns_guild(e.guild)) {
                info!(event = e.id, status = %e.status, "picking up a running event");
                bot.events.driver(bot, http.clone(), e).await;
            }
        }
        Err(err) => error!("cannot read the running events: {err}"),
    }
    tokio::spawn(scheduler::run(bot.clone(), http, shards));
}

/// Adds the server's accepted spellings (rulings) to a deck's questions.
pub async fn apply_server_aliases(bot: &Bot, guild: u64, deck: &mut [Arc<Question>]) {
    let mut packs: Vec<String> = deck.iter().map(|q| q.pack.clone()).collect();
    packs.sort_unstable();
    packs.dedup();
    let mut aliases = Vec::new();
    for pack in packs {
        match bot.store.aliases(guild, &pack).await {
            Ok(found) => aliases.extend(found),
            Err(err) => warn!(guild, pack, "cannot read the server's aliases: {err}"),
        }
    }
    apply_aliases(deck, &aliases);
}

/// Whether a component's custom_id is an event component (routed to [`component`]).
pub fn owns(custom_id: &str) -> bool {
    custom_id.starts_with(ids::PREFIX)
}

async fn respond(ctx: &serenity::Context, c: &ComponentInteraction, r: CreateInteractionResponse) {
    if let Err(e) = c.create_response(&ctx.http, r).await {
        warn!(custom_id = %c.data.custom_id, "cannot answer a click: {e}");
    }
}

/// A click on an event component (sign-up, team picker, control panel, rulings).
pub async fn component(ctx: &serenity::Context, bot: &Data, c: &ComponentInteraction) {
    let (Some(id), Some(guild)) = (EventComponent::decode(&c.data.custom_id), c.guild_id) else {
        return respond(ctx, c, out::ephemeral("This button is no longer in use.")).await;
    };
    let guild = guild.get();
    match id {
        EventComponent::Join { event } => {
            let text = signup::join(bot, c, guild, event, None).await;
            respond(ctx, c, out::ephemeral(text)).await;
            signup::refresh(bot, &ctx.http, guild, event).await;
        }
        EventComponent::Team { event } => {
            let team = match &c.data.kind {
                ComponentInteractionDataKind::StringSelect { values } => {
                    values.first().and_then(|v| v.parse::<usize>().ok())
                }
                _ => None,
            };
            let text = match team {
                Some(team) => signup::join(bot, c, guild, event, Some(team)).await,
                None => "Pick a team from the list.".to_owned(),
            };
            respond(ctx, c, out::ephemeral(text)).await;
            signup::refresh(bot, &ctx.http, guild, event).await;
        }
        EventComponent::Leave { event } => {
            let text = signup::leave(bot, c.user.id.get(), guild, event).await;
            respond(ctx, c, out::ephemeral(text)).await;
            signup::refresh(bot, &ctx.http, guild, event).await;
        }
        EventComponent::Panel { event, action } => {
            let Some(e) = host_check(ctx, bot, c, guild, event).await else {
                return;
            };
            if let Err(err) = c.defer(&ctx.http).await {
                return warn!("cannot acknowledge a panel click: {err}");
            }
            let handle = bot.events.driver(bot, ctx.http.clone(), &e).await;
            handle.host_token(c.token.clone()).await;
            let result = handle
                .control(action, c.user.id.get())
                .await
                .unwrap_or_else(|_| Err("The event is not running here any more.".to_owned()));
            let (note, error) = match result {
                Ok(text) => (Some(text), None),
                Err(text) => (None, Some(text)),
            };
            let now = bot
                .store
                .event(guild, event)
                .await
                .ok()
                .flatten()
                .unwrap_or(e);
            let edit = out::edit_response()
                .content(render::panel_text(&now, note.as_deref()))
                .components(render::panel_buttons(now.id, now.status));
            if let Err(err) = c.edit_response(&ctx.http, edit).await {
                warn!("cannot update the control panel: {err}");
            }
            if let Some(text) = error {
                whisper_after(ctx, c, text).await;
            }
        }
        EventComponent::Accept {
            event,
            game,
            question,
            user,
        }
        | EventComponent::Undo {
            event,
            game,
            question,
            user,
        } => {
            let Some(e) = host_check(ctx, bot, c, guild, event).await else {
                return;
            };
            if let Err(err) = c.defer(&ctx.http).await {
                return warn!("cannot acknowledge a ruling click: {err}");
            }
            let request = rulings::Request {
                accept: matches!(id, EventComponent::Accept { .. }),
                game,
                question,
                user,
                by: c.user.id.get(),
            };
            let result = match bot.events.existing(e.id) {
                Some(handle) => {
                    handle.host_token(c.token.clone()).await;
                    match handle.rule(request).await {
                        Ok(result) => result,
                        Err(_) => rulings::apply(bot, guild, event, request, None, None).await,
                    }
                }
                None => rulings::apply(bot, guild, event, request, None, None).await,
            };
            let round = rulings::round_of(bot, event, game).await.unwrap_or(0);
            if let Some((embed, rows)) =
                rulings::panel(bot, guild, event, game, round, question).await
            {
                let edit = out::edit_response().embed(embed).components(rows);
                if let Err(err) = c.edit_response(&ctx.http, edit).await {
                    warn!("cannot update the rulings panel: {err}");
                }
            }
            if let Err(text) = result {
                whisper_after(ctx, c, text).await;
            }
        }
    }
}

/// A private note after a deferred click.
async fn whisper_after(ctx: &serenity::Context, c: &ComponentInteraction, text: String) {
    let note = out::followup()
        .ephemeral(true)
        .content(super::render::clip(&text, super::render::limits::CONTENT));
    if let Err(err) = c.create_followup(&ctx.http, note).await {
        warn!("cannot send a note after a click: {err}");
    }
}

/// The event, if the clicker may run it (a host or a moderator); otherwise answers the click.
async fn host_check(
    ctx: &serenity::Context,
    bot: &Bot,
    c: &ComponentInteraction,
    guild: u64,
    event: EventId,
) -> Option<Event> {
    let e = match bot.store.event(guild, event).await {
        Ok(Some(e)) => e,
        Ok(None) => {
            respond(ctx, c, out::ephemeral("This event no longer exists.")).await;
            return None;
        }
        Err(err) => {
            respond(
                ctx,
                c,
                out::ephemeral(format!("The event cannot be read right now ({err}).")),
            )
            .await;
            return None;
        }
    };
    let allowed = e.is_host(c.user.id.get())
        || match (c.member.as_ref(), caller_settings(bot, guild).await) {
            (Some(member), Ok(settings)) => {
                Caller::from_member(member).is_moderator(settings.quiz_master_role)
            }
            _ => false,
        };
    if allowed {
        Some(e)
    } else {
        let text = format!("{NOT_A_MODERATOR} (Or one of this event's hosts.)");
        respond(ctx, c, out::ephemeral(text)).await;
        None
    }
}

/// The events a command may mean when none is named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    /// Not started yet (edit, start, cancel).
    Upcoming,
    /// Being played (the controls).
    Live,
    /// Started at some point (results, export).
    Played,
    /// Any (show).
    Any,
}

impl Want {
    fn fits(self, status: EventStatus) -> bool {
        match self {
            Want::Upcoming => status.is_upcoming(),
            Want::Live => status.is_live(),
            Want::Played => status.is_live() || status == EventStatus::Finished,
            Want::Any => true,
        }
    }
}
