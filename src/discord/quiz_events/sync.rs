//! The server's native scheduled event that mirrors a quiz event (the server's "Events" list):
//! created with the event's start time, kept in sync on edits, deleted on cancel, set active
//! at the start and completed at the end. It is an EXTERNAL event whose location names the
//! event's channel. Failures are reported to the caller and logged; the quiz event itself
//! never depends on them.

use std::sync::Arc;

use poise::serenity_prelude::{
    self as serenity, ChannelId, CreateScheduledEvent, EditScheduledEvent, GuildId, Http,
    ScheduledEventStatus, ScheduledEventType, Timestamp,
};
use tracing::warn;

use crate::discord::render::clip;
use crate::events::Event;
use crate::store::Store;

/// Where the event happens, as the server's Events list shows it (at most 100 characters).
async fn location(http: &Http, channel: u64) -> String {
    let name = match http.get_channel(ChannelId::new(channel)).await {
        Ok(c) => c.guild().map(|g| g.name),
        Err(_) => None,
    };
    match name {
        Some(name) => clip(&format!("Discord: #{name}"), 100),
        None => "Discord: the event's channel".to_owned(),
    }
}

fn timestamp(ms: i64) -> Option<Timestamp> {
    Timestamp::from_millis(ms).ok()
}

/// The end Discord requires of an external event: the estimate, at least a minute after the start.
fn end_of(e: &Event, start: i64) -> i64 {
    e.estimated_end().unwrap_or(start).max(start + 60_000)
}

/// Brings the server's scheduled event in line with `e` (create, edit or delete) and stores
/// its id. Returns a sentence for the moderator when Discord refused.
pub async fn update(http: &Arc<Http>, store: &Store, e: &Event) -> Option<String> {
    let guild = GuildId::new(e.guild);
    let result = match (e.spec.starts_at, e.discord_scheduled_event_id) {
        (Some(start), None) => create(http, e, start).await.map(Some),
        (Some(start), Some(id)) => {
            let (Some(begin), Some(end)) = (timestamp(start), timestamp(end_of(e, start))) else {
                return Some("the start time cannot be shown in Discord".to_owned());
            };
            let edit = EditScheduledEvent::new()
                .name(clip(&e.spec.name, 100))
                .description(description(e))
                .start_time(begin)
                .end_time(end)
                .location(location(http, e.spec.channel).await);
            guild
                .edit_scheduled_event(http.as_ref(), id, edit)
                .await
                .map(|_| Some(id))
        }
        (None, Some(id)) => guild.delete_scheduled_event(http, id).await.map(|()| None),
        (None, None) => return None,
    };
    match result {
        Ok(id) if id != e.discord_scheduled_event_id => {
            if let Err(err) = store.set_event_discord_id(e.guild, e.id, id).await {
                warn!(event = e.id, "cannot remember the scheduled event: {err}");
            }
            None
        }
        Ok(_) => None,
        Err(err) => Some(refused(e, &err)),
    }
}

async fn create(http: &Arc<Http>, e: &Event, start: i64) -> serenity::Result<u64> {
    let (Some(begin), Some(end)) = (timestamp(start), timestamp(end_of(e, start))) else {
        return Err(serenity::Error::Other("the start time is out of range"));
    };
    let create =
        CreateScheduledEvent::new(ScheduledEventType::External, clip(&e.spec.name, 100), begin)
            .end_time(end)
            .description(description(e))
            .location(location(http, e.spec.channel).await);
    GuildId::new(e.guild)
        .create_scheduled_event(http.as_ref(), create)
        .await
        .map(|s| s.id.get())
}

fn description(e: &Event) -> String {
    let mut text = e.spec.description.clone();
    if text.is_empty() {
        text = format!(
            "A trivia event of {} round{}. Sign up in the channel to play.",
            e.round_count(),
            if e.round_count() == 1 { "" } else { "s" }
        );
    }
    clip(&text, 1000)
}

fn refused(e: &Event, err: &serenity::Error) -> String {
    warn!(
        event = e.id,
        "the server's scheduled event could not be updated: {err}"
    );
    format!(
        "the server's Events list could not be updated ({}); the bot needs the Manage Events \
         permission",
        clip(&err.to_string(), 200)
    )
}

/// Removes the server's scheduled event (cancelled or missed quiz events).
pub async fn remove(http: &Arc<Http>, store: &Store, e: &Event) -> Option<String> {
    let id = e.discord_scheduled_event_id?;
    match GuildId::new(e.guild).delete_scheduled_event(http, id).await {
        Ok(()) => {
            if let Err(err) = store.set_event_discord_id(e.guild, e.id, None).await {
                warn!(event = e.id, "cannot forget the scheduled event: {err}");
            }
            None
        }
        Err(err) => Some(refused(e, &err)),
    }
}

/// Marks the server's scheduled event active (the quiz started) or completed (it ended).
pub async fn set_status(http: &Arc<Http>, e: &Event, status: ScheduledEventStatus) {
    let Some(id) = e.discord_scheduled_event_id else {
        return;
    };
    let edit = EditScheduledEvent::new().status(status);
    if let Err(err) = GuildId::new(e.guild)
        .edit_scheduled_event(http.as_ref(), id, edit)
        .await
    {
        refused(e, &err);
    }
}
