//! The scheduler task: announces events ahead, starts them on time, starts them late (within
//! the grace period) or marks them missed after the bot was away. Schedules live in the
//! database, so a restart loses nothing: what came due meanwhile is simply due now.
//!
//! It sleeps until the next thing is due by the event clock ([`super::Clock`]), and wakes
//! early when an event is created or edited, when the clock is moved (tests), or to stop.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use poise::serenity_prelude::{ChannelId, CreateAllowedMentions, Http, RoleId};
use tracing::{error, info, warn};

use super::{render, signup, sync};
use crate::discord::Data;
use crate::discord::render::out;
use crate::discord::startup::ShardPlan;
use crate::events::{Event, EventId, EventStatus, ScheduledAction, due_actions, next_due};

/// Looks again at least this often (a safety net; creating or editing an event wakes it).
const POLL: Duration = Duration::from_secs(60);
/// The wait before trying again what failed.
const RETRY: Duration = Duration::from_secs(5);

pub async fn run(bot: Data, http: Arc<Http>, shards: ShardPlan) {
    let runtime = &bot.events;
    let mut clock_moved = runtime.clock().subscribe();
    let mut stop = runtime.stopping();
    // The actions carried out last time: due again at once means they failed (a database
    // error); wait a little rather than spin.
    let mut last_due = Vec::new();
    // Events whose start waits for a game in their channel to end (told once).
    let mut told_busy = HashSet::new();
    loop {
        if *stop.borrow() {
            break;
        }
        let waiting: Vec<Event> = match bot.store.waiting_events().await {
            Ok(events) => events
                .into_iter()
                .filter(|e| shards.owns_guild(e.guild))
                .collect(),
            Err(e) => {
                warn!("cannot read the scheduled events: {e}");
                Vec::new()
            }
        };
        let now = runtime.clock().now_ms();
        let config = runtime.schedule();
        let due = due_actions(&waiting, now, &config);
        if !due.is_empty() && due != last_due {
            last_due = due.clone();
            for action in due {
                if *stop.borrow() {
                    return;
                }
                carry_out(&bot, &http, &waiting, action, &mut told_busy).await;
            }
            continue; // the events changed: look again
        }
        let wait = if due.is_empty() {
            next_due(&waiting, now, &config)
                .map_or(POLL, |at| {
                    Duration::from_millis(u64::try_from(at.saturating_sub(now)).unwrap_or(0))
                })
                .min(POLL)
        } else {
            RETRY
        };
        last_due.clear();
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = runtime.kicked() => {}
            _ = clock_moved.changed() => {}
            () = super::stopped(&mut stop) => break,
        }
    }
    info!("event scheduler stopped");
}

async fn carry_out(
    bot: &Data,
    http: &Arc<Http>,
    waiting: &[Event],
    action: ScheduledAction,
    told_busy: &mut HashSet<EventId>,
) {
    let Some(e) = waiting.iter().find(|e| e.id == action.event()) else {
        return;
    };
    let now = bot.events.clock().now_ms();
    match action {
        ScheduledAction::Announce(_) => {
            // Claim it first: only the process that moves the status posts.
            match bot
                .store
                .set_event_status(e, EventStatus::Announced, now)
                .await
            {
                Ok(true) => {
                    let mentions = CreateAllowedMentions::new()
                        .replied_user(false)
                        .roles(e.spec.announce_role.map(RoleId::new));
                    let msg = out::message()
                        .content(render::lead_announcement(e))
                        .allowed_mentions(mentions);
                    if let Err(err) = ChannelId::new(e.spec.channel).send_message(http, msg).await {
                        error!(event = e.id, "cannot post the announcement: {err}");
                    }
                    info!(event = e.id, "event announced");
                }
                Ok(false) => {}
                Err(err) => warn!(event = e.id, "cannot announce the event: {err}"),
            }
        }
        ScheduledAction::Start(_) | ScheduledAction::StartLate { .. }
            if bot.games.get(e.spec.channel).is_some() =>
        {
            // A game is running in the event's channel: try again shortly, until the grace
            // period is over (then the event is missed).
            if told_busy.insert(e.id) {
                let msg = out::message().content(format!(
                    "⏳ **{}** starts as soon as the game running here ends (stop it with \
                     `/trivia stop`).",
                    crate::discord::render::info::escape(&e.spec.name)
                ));
                let _ = ChannelId::new(e.spec.channel).send_message(http, msg).await;
            }
        }
        ScheduledAction::Start(_) | ScheduledAction::StartLate { .. } => {
            let late = match action {
                ScheduledAction::StartLate { late_by_ms, .. } => Some(late_by_ms),
                _ => None,
            };
            let started = bot
                .events
                .driver(bot, http.clone(), e)
                .await
                .begin(late, e.created_by)
                .await;
            match started {
                Ok(Ok(_)) => info!(event = e.id, late_by_ms = late, "event started"),
                Ok(Err(text)) => {
                    // Say why in the channel, and stop trying: a host can start it by hand.
                    warn!(event = e.id, "the event could not start: {text}");
                    let _ = bot
                        .store
                        .set_event_status(e, EventStatus::Missed, now)
                        .await;
                    let msg = out::message().content(crate::discord::render::clip(
                        &format!(
                            "⚠️ **{}** could not start: {text} It is marked missed; create it \
                             again to play it.",
                            crate::discord::render::info::escape(&e.spec.name)
                        ),
                        2000,
                    ));
                    let _ = ChannelId::new(e.spec.channel).send_message(http, msg).await;
                    let _ = sync::remove(http, &bot.store, e).await;
                    signup::refresh(bot, http, e.guild, e.id).await;
                }
                Err(_) => warn!(event = e.id, "the event's task is gone (shutting down?)"),
            }
        }
        ScheduledAction::MarkMissed(_) => {
            match bot
                .store
                .set_event_status(e, EventStatus::Missed, now)
                .await
            {
                Ok(true) => {
                    let late = e.spec.starts_at.map_or(0, |at| now - at);
                    let note = render::missed_note(e, late, bot.events.schedule().grace_ms);
                    let msg = out::message().content(note);
                    if let Err(err) = ChannelId::new(e.spec.channel).send_message(http, msg).await {
                        error!(event = e.id, "cannot post the missed note: {err}");
                    }
                    if let Some(problem) = sync::remove(http, &bot.store, e).await {
                        warn!(event = e.id, "{problem}");
                    }
                    signup::refresh(bot, http, e.guild, e.id).await;
                    info!(event = e.id, "event missed");
                }
                Ok(false) => {}
                Err(err) => warn!(event = e.id, "cannot mark the event missed: {err}"),
            }
        }
    }
}
