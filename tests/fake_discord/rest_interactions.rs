//! Interaction responses (`POST /interactions/{id}/{token}/callback`) and the interaction
//! webhook (follow-ups, `@original` edits, GET and DELETE of those messages).

use axum::http::Method;
use serde_json::{Value, json};

use super::gateway;
use super::limits;
use super::messages::{self, EPHEMERAL, LOADING};
use super::payloads::{InteractionKind, MessageParts};
use super::server::{Ctx, Outcome, Reply};
use super::state::{InteractionRecord, InteractionResponse};

const UNKNOWN_INTERACTION: (u16, u32, &str) = (404, 10062, "Unknown interaction");
const UNKNOWN_WEBHOOK: (u16, u32, &str) = (404, 10015, "Unknown Webhook");
const UNKNOWN_MESSAGE: (u16, u32, &str) = (404, 10008, "Unknown Message");

fn refuse(
    cx: &mut Ctx<'_>,
    (status, code, message): (u16, u32, &str),
    rule: &str,
    detail: String,
) -> Reply {
    cx.reject(status, code, message, rule, detail)
}

pub fn callback(cx: &mut Ctx<'_>, id: &str, token: &str) -> Outcome {
    let id = cx.id(id, "interaction id")?;
    let Some(rec) = cx
        .st
        .interactions
        .get(&id)
        .filter(|r| r.token == token)
        .cloned()
    else {
        return Err(refuse(
            cx,
            UNKNOWN_INTERACTION,
            "unknown-interaction",
            format!("no interaction {id} with that token"),
        ));
    };
    if let Some(first) = &rec.response {
        let detail = format!(
            "interaction {id} already got a response of type {}",
            first.kind
        );
        return Err(cx.reject(
            400,
            40060,
            "Interaction has already been acknowledged.",
            "second-response",
            detail,
        ));
    }
    let elapsed = rec.created.elapsed();
    let deadline = cx.world.config.initial_response_deadline;
    if elapsed > deadline {
        let detail = format!(
            "first response {} ms after dispatch (max {} ms)",
            elapsed.as_millis(),
            deadline.as_millis()
        );
        return Err(refuse(cx, UNKNOWN_INTERACTION, "response-deadline", detail));
    }
    let kind = cx.body["type"].as_u64().unwrap_or(0);
    let data = cx.body.get("data").cloned().unwrap_or(Value::Null);
    use InteractionKind as K;
    let fits = |kinds: &[K]| kinds.contains(&rec.kind);
    let fitting = match kind {
        1 => fits(&[K::Ping]),
        4 | 5 => fits(&[K::Command, K::Component, K::ModalSubmit]),
        // poise acknowledges modal submits with type 6, and Discord accepts it.
        6 => fits(&[K::Component, K::ModalSubmit]),
        7 => fits(&[K::Component, K::ModalSubmit]) && rec.source_message.is_some(),
        8 => fits(&[K::Autocomplete]),
        9 => fits(&[K::Command, K::Component]),
        _ => false,
    };
    if !fitting {
        let detail = format!(
            "callback type {kind} does not answer a {:?} interaction",
            rec.kind
        );
        return Err(cx.reject(400, 50035, "Invalid Form Body", "callback-type", detail));
    }
    let original = match kind {
        4 => {
            messages::check_body(cx, &data, true)?;
            Some(create_interaction_message(cx, &rec, &data))
        }
        5 => Some(create_placeholder(cx, &rec, &data)),
        6 => rec.source_message,
        7 => {
            messages::check_body(cx, &data, false)?;
            let source = rec
                .source_message
                .expect("checked above: type 7 needs a source message");
            messages::edit_stored(cx, source, &data)?;
            Some(source)
        }
        8 => {
            let mut problems = Vec::new();
            limits::check_autocomplete(&data, &mut problems);
            if !cx.record(problems) {
                return Err(Reply::error(400, 50035, "Invalid Form Body"));
            }
            None
        }
        9 => {
            let mut problems = Vec::new();
            limits::check_modal(&data, &mut problems);
            if !cx.record(problems) {
                return Err(Reply::error(400, 50035, "Invalid Form Body"));
            }
            let custom_id = data["custom_id"].as_str().unwrap_or_default().to_owned();
            cx.st
                .open_modals
                .insert((rec.user_id, custom_id), (data.clone(), rec.id));
            None
        }
        _ => None,
    };
    let rec = cx.st.interactions.get_mut(&id).expect("looked up above");
    rec.response = Some(InteractionResponse {
        kind: kind as u8,
        data,
    });
    rec.responded_at = Some(std::time::Instant::now());
    rec.original_message = original;
    Ok(Reply::no_content())
}

/// The message a type-4 response or a follow-up creates: ephemeral ones are kept with the
/// interaction only, others also land in the channel (and are echoed on the gateway).
fn create_interaction_message(cx: &mut Ctx<'_>, rec: &InteractionRecord, data: &Value) -> u64 {
    let ephemeral = data["flags"].as_u64().unwrap_or(0) & EPHEMERAL != 0;
    let parts = MessageParts {
        id: cx.ids.next(),
        channel_id: rec.channel_id,
        guild_id: Some(rec.guild_id),
        author: cx.world.bot(),
        kind: if rec.kind == InteractionKind::Command {
            20
        } else {
            19
        },
        webhook_id: Some(cx.world.app_id()),
    };
    let message = messages::build(cx.world, cx.ids, parts, data, cx.files);
    let id = cx
        .st
        .insert_message(message.clone(), ephemeral, Some(rec.id));
    if !ephemeral && cx.world.config.echo_bot_messages {
        gateway::message_create(cx.st, cx.world, &message);
    }
    id
}

/// Type 5: Discord shows "Bot is thinking..." until `@original` is edited.
fn create_placeholder(cx: &mut Ctx<'_>, rec: &InteractionRecord, data: &Value) -> u64 {
    let ephemeral = data["flags"].as_u64().unwrap_or(0) & EPHEMERAL != 0;
    let body = json!({"flags": if ephemeral { EPHEMERAL } else { 0 }});
    let parts = MessageParts {
        id: cx.ids.next(),
        channel_id: rec.channel_id,
        guild_id: Some(rec.guild_id),
        author: cx.world.bot(),
        kind: if rec.kind == InteractionKind::Command {
            20
        } else {
            19
        },
        webhook_id: Some(cx.world.app_id()),
    };
    let mut message = messages::build(cx.world, cx.ids, parts, &body, &[]);
    message["flags"] = json!(message["flags"].as_u64().unwrap_or(0) | LOADING);
    cx.st.insert_message(message, ephemeral, Some(rec.id))
}

pub fn webhook(
    cx: &mut Ctx<'_>,
    method: &Method,
    app: &str,
    token: &str,
    rest: &[&str],
) -> Outcome {
    let app = cx.id(app, "application id")?;
    let rec = cx.st.interaction_by_token(token).cloned();
    let Some(rec) = rec.filter(|_| app == cx.world.app_id()) else {
        return Err(refuse(
            cx,
            UNKNOWN_WEBHOOK,
            "unknown-webhook",
            "no interaction with that application id and token".into(),
        ));
    };
    let lifetime = cx.world.config.token_lifetime;
    if rec.created.elapsed() > lifetime {
        let detail = format!(
            "interaction token used after {} s",
            rec.created.elapsed().as_secs()
        );
        return Err(cx.reject(401, 50027, "Invalid Webhook Token", "token-expired", detail));
    }
    match (method.clone(), rest) {
        (Method::POST, []) => followup(cx, &rec),
        (Method::GET | Method::PATCH | Method::DELETE, ["messages", target]) => {
            let id = resolve_target(cx, &rec, target)?;
            match *method {
                Method::GET => Ok(Reply::json(cx.st.messages[&id].json.clone())),
                Method::PATCH => {
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

fn followup(cx: &mut Ctx<'_>, rec: &InteractionRecord) -> Outcome {
    if rec.response.is_none() {
        let detail = format!(
            "follow-up to interaction {} before its initial response",
            rec.id
        );
        return Err(refuse(
            cx,
            UNKNOWN_WEBHOOK,
            "followup-before-response",
            detail,
        ));
    }
    let body = cx.body.clone();
    messages::check_body(cx, &body, true)?;
    let id = create_interaction_message(cx, rec, &body);
    if let Some(rec) = cx.st.interactions.get_mut(&rec.id) {
        rec.followups.push(id);
    }
    Ok(Reply::json(cx.st.messages[&id].json.clone()))
}

/// `@original` or a follow-up id of this interaction.
fn resolve_target(cx: &mut Ctx<'_>, rec: &InteractionRecord, target: &str) -> Result<u64, Reply> {
    let id = if target == "@original" {
        rec.original_message
    } else {
        let id = cx.id(target, "message id")?;
        (rec.original_message == Some(id) || rec.followups.contains(&id)).then_some(id)
    };
    match id.filter(|id| cx.st.live_message(*id).is_some()) {
        Some(id) => Ok(id),
        None => {
            let detail = format!("interaction {} has no live message {target}", rec.id);
            Err(refuse(cx, UNKNOWN_MESSAGE, "unknown-message", detail))
        }
    }
}
