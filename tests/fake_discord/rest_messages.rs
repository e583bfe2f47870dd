//! Channel routes: the channel itself and its messages (create, list, get, edit, delete),
//! plus the typing indicator.

use axum::http::Method;
use serde_json::Value;

use super::gateway;
use super::messages;
use super::payloads::{self, MessageParts};
use super::server::{Ctx, Outcome, Reply};
use super::state::id_of;

pub fn route(cx: &mut Ctx<'_>, method: &Method, channel: &str, rest: &[&str]) -> Outcome {
    let channel = cx.id(channel, "channel id")?;
    let Some(guild) = cx.world.guild_of_channel(channel) else {
        return Err(cx.reject(
            404,
            10003,
            "Unknown Channel",
            "unknown-channel",
            format!("no channel {channel}"),
        ));
    };
    let guild_id = guild.guild.id;
    match (method.clone(), rest) {
        (Method::GET, []) => {
            let position = guild
                .guild
                .channels
                .iter()
                .position(|c| c.id == channel)
                .unwrap_or(0);
            Ok(Reply::json(payloads::channel(
                guild_id,
                &guild.guild.channels[position],
                position,
            )))
        }
        (Method::POST, ["typing"]) => Ok(Reply::no_content()),
        (Method::POST, ["messages"]) => create(cx, guild_id, channel),
        (Method::GET, ["messages"]) => Ok(Reply::json(list(cx, channel))),
        (Method::GET | Method::PATCH | Method::DELETE, ["messages", message]) => {
            let id = cx.id(message, "message id")?;
            let found = cx
                .st
                .live_message(id)
                .filter(|m| !m.ephemeral && id_of(&m.json["channel_id"]) == channel);
            let Some(stored) = found else {
                let detail = format!("no message {id} in channel {channel}");
                return Err(cx.reject(404, 10008, "Unknown Message", "unknown-message", detail));
            };
            let own = id_of(&stored.json["author"]["id"]) == cx.world.bot().id;
            match *method {
                Method::GET => Ok(Reply::json(stored.json.clone())),
                Method::PATCH => {
                    if !own {
                        let detail =
                            format!("the bot edited message {id}, which another user wrote");
                        return Err(cx.reject(
                            403,
                            50005,
                            "Cannot edit a message authored by another user",
                            "edit-foreign-message",
                            detail,
                        ));
                    }
                    let body = cx.body.clone();
                    messages::check_body(cx, &body, false)?;
                    messages::edit_stored(cx, id, &body).map(Reply::json)
                }
                _ => {
                    cx.st.delete_message(id);
                    Ok(Reply::no_content())
                }
            }
        }
        _ => Err(cx.unknown_route()),
    }
}

fn create(cx: &mut Ctx<'_>, guild_id: u64, channel: u64) -> Outcome {
    let body = cx.body.clone();
    if body["flags"].as_u64().unwrap_or(0) & messages::EPHEMERAL != 0 {
        cx.violation(
            "ephemeral-channel-message",
            "only interaction responses can be ephemeral",
        );
    }
    messages::check_body(cx, &body, true)?;
    let parts = MessageParts {
        id: cx.ids.next(),
        channel_id: channel,
        guild_id: Some(guild_id),
        author: cx.world.bot(),
        kind: 0,
        webhook_id: None,
    };
    let message = messages::build(cx.world, cx.ids, parts, &body, cx.files);
    cx.st.insert_message(message.clone(), false, None);
    if cx.world.config.echo_bot_messages {
        gateway::message_create(cx.st, cx.world, &message);
    }
    Ok(Reply::json(message))
}

/// Newest first, at most `limit` (default 50, max 100), optionally `before` a message id.
fn list(cx: &Ctx<'_>, channel: u64) -> Value {
    let limit = cx
        .param("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(50usize)
        .clamp(1, 100);
    let before = cx
        .param("before")
        .and_then(|b| b.parse::<u64>().ok())
        .unwrap_or(u64::MAX);
    let Some(log) = cx.st.channels.get(&channel) else {
        return Value::Array(Vec::new());
    };
    // Ids grow with time, so the log is sorted and `before` is a binary search.
    let end = log.order.partition_point(|id| *id < before);
    let messages = log.order[..end]
        .iter()
        .rev()
        .filter_map(|id| cx.st.live_message(*id))
        .take(limit)
        .map(|m| m.json.clone())
        .collect();
    Value::Array(messages)
}
