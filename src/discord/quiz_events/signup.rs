//! Sign-ups: the sign-up message in the event's channel, and its Join / Leave buttons and team
//! picker. Every click is checked against the stored event ([`crate::events::check_join`]);
//! the message is refreshed after each change.

use poise::serenity_prelude::{ChannelId, ComponentInteraction, Http, MessageId};
use tracing::warn;

use super::render;
use crate::discord::Bot;
use crate::discord::render::out;
use crate::events::{Event, EventId, JoinPlan, Registration, check_join, check_leave};

/// Posts the sign-up message of a new event and remembers it.
pub async fn post(bot: &Bot, http: &Http, e: &Event) -> Result<u64, String> {
    let (embed, rows) = render::signup(e, &[], &Default::default());
    let msg = out::message().embed(embed).components(rows);
    let sent = ChannelId::new(e.spec.channel)
        .send_message(http, msg)
        .await
        .map_err(|err| {
            format!(
                "the sign-up message could not be posted in <#{}> ({err})",
                e.spec.channel
            )
        })?;
    let id = sent.id.get();
    if let Err(err) = bot
        .store
        .set_event_signup_message(e.guild, e.id, Some(id))
        .await
    {
        warn!(event = e.id, "cannot remember the sign-up message: {err}");
    }
    Ok(id)
}

/// Shows the event's current state and sign-ups on its sign-up message (buttons removed once
/// the event is over).
pub async fn refresh(bot: &Bot, http: &Http, guild: u64, id: EventId) {
    let records = match bot.store.event_records(guild, id).await {
        Ok(Some(r)) => r,
        Ok(None) => return,
        Err(err) => return warn!(event = id, "cannot read the event's sign-ups: {err}"),
    };
    let e = &records.event;
    let Some(message) = e.signup_message else {
        return;
    };
    let (embed, rows) = render::signup(e, &records.registrations, &records.names);
    let edit = out::edit().embed(embed).components(rows);
    if let Err(err) = ChannelId::new(e.spec.channel)
        .edit_message(http, MessageId::new(message), edit)
        .await
    {
        warn!(event = id, "cannot update the sign-up message: {err}");
    }
}

/// A Join press or a team pick; returns the private answer.
pub async fn join(
    bot: &Bot,
    c: &ComponentInteraction,
    guild: u64,
    id: EventId,
    team: Option<usize>,
) -> String {
    let user = c.user.id.get();
    let (event, existing) = match event_and_registration(bot, guild, id, user).await {
        Ok(found) => found,
        Err(text) => return text,
    };
    let plan = match check_join(&event, existing.as_ref(), team) {
        Ok(plan) => plan,
        Err(err) => return err.to_string(),
    };
    let team = match plan {
        JoinPlan::AlreadyRegistered => {
            return "You're already signed up. (Leave with the Leave button.)".to_owned();
        }
        JoinPlan::Join { team } => team,
        JoinPlan::ChangeTeam { team } => Some(team),
    };
    let now = crate::discord::now_ms();
    match bot.store.register_player(&event, user, team, now).await {
        Ok(true) => {}
        Ok(false) => return "Sign-ups for this event are closed.".to_owned(),
        Err(err) => return format!("You could not be signed up ({err}); try again."),
    }
    let name = crate::discord::events::player_of(&c.user, c.member.as_ref()).name;
    if let Err(err) = bot.store.remember_name(guild, user, &name).await {
        warn!("cannot store a display name: {err}");
    }
    let mut text = format!(
        "✅ You're signed up for **{}**",
        crate::discord::render::info::escape(&event.spec.name)
    );
    let team = team.or(existing.and_then(|r| r.team));
    if let Some(name) = team.and_then(|t| event.team_name(t)) {
        text.push_str(&format!(
            ", in team **{}**",
            crate::discord::render::info::escape(name)
        ));
    }
    text.push('.');
    if event.status.is_live() {
        text.push_str(" You play from the next round.");
    }
    text
}

/// The event and the player's registration in it, or the private answer saying why not.
async fn event_and_registration(
    bot: &Bot,
    guild: u64,
    id: EventId,
    user: u64,
) -> Result<(Event, Option<Registration>), String> {
    let unreadable = |err| format!("Sign-ups cannot be read right now ({err}); try again.");
    let event = match bot.store.event(guild, id).await {
        Ok(Some(e)) => e,
        Ok(None) => return Err("This event no longer exists.".to_owned()),
        Err(err) => return Err(unreadable(err)),
    };
    let existing = bot.store.registration(id, user).await.map_err(unreadable)?;
    Ok((event, existing))
}

/// A Leave press; returns the private answer.
pub async fn leave(bot: &Bot, user: u64, guild: u64, id: EventId) -> String {
    let (event, existing) = match event_and_registration(bot, guild, id, user).await {
        Ok(found) => found,
        Err(text) => return text,
    };
    if let Err(err) = check_leave(&event, existing.as_ref()) {
        return err.to_string();
    }
    match bot
        .store
        .leave_event(&event, user, crate::discord::now_ms())
        .await
    {
        Ok(true) => "You left the event. Points you already earned still count.".to_owned(),
        Ok(false) => "You're not signed up for this event.".to_owned(),
        Err(err) => format!("You could not be signed out ({err}); try again."),
    }
}
