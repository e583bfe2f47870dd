//! Guild routes serenity and poise may call (the guild, its channels, roles and members),
//! users, and guild scheduled events (create, list, get, edit, delete).

use axum::http::Method;
use serde_json::{Value, json};

use super::config::perms;
use super::limits;
use super::payloads;
use super::server::{Ctx, Outcome, Reply};
use super::state::id_of;

pub fn route(cx: &mut Ctx<'_>, method: &Method, guild: &str, rest: &[&str]) -> Outcome {
    let guild_id = cx.id(guild, "guild id")?;
    let Some(guild) = cx.world.guild(guild_id) else {
        return Err(cx.reject(
            404,
            10004,
            "Unknown Guild",
            "unknown-guild",
            format!("the bot is not in guild {guild_id}"),
        ));
    };
    let get = *method == Method::GET;
    match rest {
        [] if get => {
            let mut value = payloads::guild(guild);
            if cx.param("with_counts") == Some("true") {
                value["approximate_member_count"] = json!(guild.guild.members.len());
                value["approximate_presence_count"] = json!(0);
            }
            Ok(Reply::json(value))
        }
        ["channels"] if get => Ok(Reply::json(Value::Array(payloads::channels(guild)))),
        ["roles"] if get => Ok(Reply::json(Value::Array(payloads::roles(guild)))),
        ["members"] if get => {
            // Discord pages members by id: `limit` (default 1, max 1000) after `after`.
            let limit = cx
                .param("limit")
                .and_then(|l| l.parse().ok())
                .unwrap_or(1usize)
                .clamp(1, 1000);
            let after = cx
                .param("after")
                .and_then(|a| a.parse::<u64>().ok())
                .unwrap_or(0);
            let mut members: Vec<_> = guild
                .members
                .values()
                .filter(|m| m.user.id > after)
                .collect();
            members.sort_by_key(|m| m.user.id);
            let page = members
                .into_iter()
                .take(limit)
                .map(|m| payloads::member(guild, m))
                .collect();
            Ok(Reply::json(Value::Array(page)))
        }
        ["members", user] if get => {
            let user = cx.id(user, "user id")?;
            match guild.members.get(&user) {
                Some(member) => Ok(Reply::json(payloads::member(guild, member))),
                None => Err(cx.reject(
                    404,
                    10007,
                    "Unknown Member",
                    "unknown-member",
                    format!("user {user} is not in guild {guild_id}"),
                )),
            }
        }
        ["scheduled-events", rest @ ..] => scheduled_events(cx, method, guild_id, rest),
        _ => Err(cx.unknown_route()),
    }
}

pub fn user(cx: &mut Ctx<'_>, user: &str) -> Outcome {
    let id = cx.id(user, "user id")?;
    let bot = cx.world.bot();
    let found = if id == bot.id {
        Some(bot.clone())
    } else {
        cx.world
            .guilds
            .values()
            .find_map(|g| g.members.get(&id))
            .map(|m| m.user.clone())
    };
    match found {
        Some(user) => Ok(Reply::json(payloads::user(&user))),
        None => Err(cx.reject(
            404,
            10013,
            "Unknown User",
            "unknown-user",
            format!("no user {id}"),
        )),
    }
}

fn scheduled_events(cx: &mut Ctx<'_>, method: &Method, guild_id: u64, rest: &[&str]) -> Outcome {
    let bot_perms = cx.world.bot_permissions(guild_id);
    let writing = *method != Method::GET;
    if writing && bot_perms & (perms::MANAGE_EVENTS | perms::CREATE_EVENTS) == 0 {
        return Err(cx.reject(
            403,
            50013,
            "Missing Permissions",
            "missing-permissions",
            "the bot may not manage events",
        ));
    }
    match (method.clone(), rest) {
        (Method::GET, []) => {
            let events = cx
                .st
                .scheduled_events
                .get(&guild_id)
                .cloned()
                .unwrap_or_default();
            Ok(Reply::json(Value::Array(events)))
        }
        (Method::POST, []) => create_event(cx, guild_id),
        (Method::GET | Method::PATCH | Method::DELETE, [event]) => {
            let id = cx.id(event, "event id")?;
            let events = cx.st.scheduled_events.entry(guild_id).or_default();
            let Some(index) = events.iter().position(|e| id_of(&e["id"]) == id) else {
                return Err(cx.reject(
                    404,
                    10070,
                    "Unknown Guild Scheduled Event",
                    "unknown-event",
                    format!("no event {id}"),
                ));
            };
            match *method {
                Method::GET => Ok(Reply::json(events[index].clone())),
                Method::PATCH => edit_event(cx, guild_id, index),
                _ => {
                    events.remove(index);
                    Ok(Reply::no_content())
                }
            }
        }
        _ => Err(cx.unknown_route()),
    }
}

fn create_event(cx: &mut Ctx<'_>, guild_id: u64) -> Outcome {
    let body = cx.body.clone();
    let mut problems = Vec::new();
    limits::check_scheduled_event(&body, true, &mut problems);
    if !cx.record(problems) {
        return Err(Reply::error(400, 50035, "Invalid Form Body"));
    }
    let bot = cx.world.bot();
    let field = |key: &str| body.get(key).cloned().unwrap_or(Value::Null);
    let event = json!({
        "id": cx.ids.next().to_string(),
        "guild_id": guild_id.to_string(),
        "channel_id": field("channel_id"),
        "creator_id": bot.id.to_string(),
        "creator": payloads::user(bot),
        "name": field("name"),
        "description": field("description"),
        "scheduled_start_time": field("scheduled_start_time"),
        "scheduled_end_time": field("scheduled_end_time"),
        "privacy_level": field("privacy_level"),
        "status": 1,
        "entity_type": field("entity_type"),
        "entity_id": null,
        "entity_metadata": field("entity_metadata"),
        "user_count": 0,
        "image": null,
        "recurrence_rule": null,
    });
    cx.st
        .scheduled_events
        .entry(guild_id)
        .or_default()
        .push(event.clone());
    Ok(Reply::json(event))
}

/// Edits an event. Status may only move SCHEDULED -> ACTIVE | CANCELED, ACTIVE -> COMPLETED.
fn edit_event(cx: &mut Ctx<'_>, guild_id: u64, index: usize) -> Outcome {
    let body = cx.body.clone();
    let mut problems = Vec::new();
    limits::check_scheduled_event(&body, false, &mut problems);
    let mut event = cx.st.scheduled_events[&guild_id][index].clone();
    if let Some(status) = body.get("status").and_then(Value::as_u64) {
        let from = event["status"].as_u64().unwrap_or(0);
        if !matches!((from, status), (1, 2) | (1, 4) | (2, 3)) && from != status {
            problems.push((
                "event-status",
                format!("status cannot change from {from} to {status}"),
            ));
        }
    }
    if !cx.record(problems) {
        return Err(Reply::error(400, 50035, "Invalid Form Body"));
    }
    let editable = [
        "name",
        "description",
        "scheduled_start_time",
        "scheduled_end_time",
        "entity_type",
        "entity_metadata",
        "channel_id",
        "privacy_level",
        "status",
        "image",
    ];
    for key in editable {
        if let Some(value) = body.get(key) {
            event[key] = value.clone();
        }
    }
    cx.st
        .scheduled_events
        .get_mut(&guild_id)
        .expect("looked up above")[index] = event.clone();
    Ok(Reply::json(event))
}
