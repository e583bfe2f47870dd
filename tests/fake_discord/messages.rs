//! Messages from request bodies: creating one, applying an edit, attachments from uploads,
//! and the checks every message-creating or -editing request goes through.

use serde_json::{Value, json};

use super::limits;
use super::payloads::{self, MessageParts};
use super::server::{Ctx, Reply};
use super::state::{UploadedFile, id_of};
use super::world::{Snowflakes, World, now_timestamp};

pub const EPHEMERAL: u64 = 1 << 6;
pub const LOADING: u64 = 1 << 7;
/// Flags a bot may set on a message: SUPPRESS_EMBEDS, EPHEMERAL, SUPPRESS_NOTIFICATIONS,
/// IS_COMPONENTS_V2.
const SETTABLE_FLAGS: u64 = (1 << 2) | EPHEMERAL | (1 << 12) | (1 << 15);

/// Runs the limit checks and the allowed-mentions rule. Limit breaches are refused with
/// Discord's 400; a missing `allowed_mentions` is only recorded (Discord would accept it).
pub fn check_body(cx: &mut Ctx<'_>, body: &Value, creating: bool) -> Result<(), Reply> {
    let mut problems = Vec::new();
    limits::check_message(body, &mut problems);
    let mut code = 50035;
    if creating && limits::is_empty_message(body, cx.files.len()) {
        problems.push((
            "empty-message",
            "message has no content, embeds, components or files".into(),
        ));
        code = 50006;
    }
    let refused = !problems.is_empty();
    limits::check_allowed_mentions(body, &cx.world.config.allowed_role_mentions, &mut problems);
    cx.record(problems);
    if refused {
        let message = if code == 50006 {
            "Cannot send an empty message"
        } else {
            "Invalid Form Body"
        };
        return Err(Reply::error(400, code, message));
    }
    Ok(())
}

/// Edits a stored message, keeping the old version in its history. Filling a deferred
/// "thinking..." placeholder is not an edit a user sees: no history, no edited timestamp.
pub fn edit_stored(cx: &mut Ctx<'_>, id: u64, body: &Value) -> Result<Value, Reply> {
    let Some(stored) = cx.st.live_message(id) else {
        return Err(cx.reject(
            404,
            10008,
            "Unknown Message",
            "unknown-message",
            format!("message {id} does not exist"),
        ));
    };
    let loading = stored.json["flags"].as_u64().unwrap_or(0) & LOADING != 0;
    let (world, ids, files) = (cx.world, cx.ids, cx.files);
    let updated = cx.st.update_message(id, !loading, |message| {
        edit(world, ids, message, body, files, !loading);
        if loading {
            message["flags"] = json!(message["flags"].as_u64().unwrap_or(0) & !LOADING);
        }
    });
    Ok(updated.expect("checked that the message is live"))
}

/// A new message object from a create body.
pub fn build(
    world: &World,
    ids: &Snowflakes,
    parts: MessageParts<'_>,
    body: &Value,
    files: &[UploadedFile],
) -> Value {
    let mut message = payloads::message(parts);
    if let Some(reference) = body.get("message_reference").filter(|r| !r.is_null()) {
        message["message_reference"] = reference.clone();
        message["type"] = json!(19);
    }
    message["tts"] = json!(body["tts"].as_bool().unwrap_or(false));
    message["flags"] = json!(body["flags"].as_u64().unwrap_or(0) & SETTABLE_FLAGS);
    apply(world, ids, &mut message, body, files);
    message
}

/// Applies an edit body: fields present replace the old ones, `null` clears them.
pub fn edit(
    world: &World,
    ids: &Snowflakes,
    message: &mut Value,
    body: &Value,
    files: &[UploadedFile],
    mark_edited: bool,
) {
    apply(world, ids, message, body, files);
    if let Some(flags) = body.get("flags").and_then(Value::as_u64) {
        // Only SUPPRESS_EMBEDS can change on an existing message.
        let old = message["flags"].as_u64().unwrap_or(0);
        message["flags"] = json!((old & !4) | (flags & 4));
    }
    if mark_edited {
        message["edited_timestamp"] = json!(now_timestamp());
    }
}

fn apply(
    world: &World,
    ids: &Snowflakes,
    message: &mut Value,
    body: &Value,
    files: &[UploadedFile],
) {
    if let Some(content) = body.get("content") {
        message["content"] = json!(content.as_str().unwrap_or_default());
    }
    if let Some(embeds) = body.get("embeds") {
        let embeds: Vec<Value> = embeds
            .as_array()
            .into_iter()
            .flatten()
            .map(normalize_embed)
            .collect();
        message["embeds"] = Value::Array(embeds);
    }
    if let Some(components) = body.get("components") {
        message["components"] = if components.is_array() {
            components.clone()
        } else {
            json!([])
        };
    }
    if body.get("attachments").is_some() || !files.is_empty() {
        let existing = message["attachments"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let channel = id_of(&message["channel_id"]);
        message["attachments"] =
            Value::Array(attachments(world, ids, channel, &existing, body, files));
    }
}

/// Discord fills in `type: rich` for embeds a bot sends.
fn normalize_embed(embed: &Value) -> Value {
    let mut embed = embed.clone();
    if let Some(map) = embed.as_object_mut() {
        map.entry("type").or_insert_with(|| json!("rich"));
    }
    embed
}

/// The attachments after a request: entries of `attachments` that name an uploaded file
/// (`files[n]` for id n) become new attachments, other ids keep existing ones; uploads not
/// named are appended. Without an `attachments` list the existing ones stay.
fn attachments(
    world: &World,
    ids: &Snowflakes,
    channel: u64,
    existing: &[Value],
    body: &Value,
    files: &[UploadedFile],
) -> Vec<Value> {
    let mut used = vec![false; files.len()];
    let mut out = Vec::new();
    let upload = |id: &Value| {
        files
            .iter()
            .position(|f| f.field == format!("files[{}]", id_of(id)))
    };
    match body.get("attachments").and_then(Value::as_array) {
        Some(list) => {
            for entry in list {
                if let Some(i) = upload(&entry["id"]) {
                    used[i] = true;
                    out.push(new_attachment(world, ids, channel, &files[i], entry));
                } else if let Some(old) = existing
                    .iter()
                    .find(|a| id_of(&a["id"]) == id_of(&entry["id"]))
                {
                    out.push(old.clone());
                }
            }
        }
        None => out.extend_from_slice(existing),
    }
    for (file, _) in files.iter().zip(used).filter(|(_, used)| !used) {
        out.push(new_attachment(world, ids, channel, file, &Value::Null));
    }
    out
}

fn new_attachment(
    world: &World,
    ids: &Snowflakes,
    channel: u64,
    file: &UploadedFile,
    entry: &Value,
) -> Value {
    let id = ids.next();
    let filename = entry["filename"]
        .as_str()
        .unwrap_or(&file.filename)
        .to_owned();
    let url = format!("{}/attachments/{channel}/{id}/{filename}", world.base_url);
    json!({
        "id": id.to_string(),
        "filename": filename,
        "description": entry.get("description").cloned().unwrap_or(Value::Null),
        "content_type": file.content_type,
        "size": file.bytes.len(),
        "url": url,
        "proxy_url": url,
        "height": null,
        "width": null,
    })
}
