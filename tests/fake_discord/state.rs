//! What the fake has seen and holds: recorded requests, violations, messages with their edit
//! history, interactions and their responses, commands and scheduled events.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use serde_json::Value;

use super::gateway::GatewayState;
use super::payloads::InteractionKind;

/// One REST request as the fake received it.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    pub method: String,
    /// The path without the query, e.g. `/api/v10/channels/1/messages`.
    pub path: String,
    pub query: Option<String>,
    /// The JSON body (for multipart: the `payload_json` part).
    pub body: Option<Value>,
    pub files: Vec<UploadedFile>,
    /// The status the fake answered with.
    pub status: u16,
}

/// A file part of a multipart request.
#[derive(Clone, Debug)]
pub struct UploadedFile {
    /// The form field, e.g. `files[0]`.
    pub field: String,
    pub filename: String,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

/// A breach of Discord's limits or of the project's rules, or a request Discord would refuse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// A short rule name, e.g. `custom-id-length`, `allowed-mentions`, `unknown-route`.
    pub rule: String,
    pub detail: String,
    /// `METHOD /path` of the request, or `gateway`.
    pub source: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}: {}", self.rule, self.source, self.detail)
    }
}

/// A message with its edit history.
#[derive(Clone, Debug)]
pub struct StoredMessage {
    /// The message as Discord would return it now.
    pub json: Value,
    /// Earlier versions, oldest first.
    pub history: Arc<Vec<Value>>,
    pub deleted: bool,
    /// Only the invoking user sees it; it is not in the channel's list.
    pub ephemeral: bool,
    pub interaction_id: Option<u64>,
    /// Change counter for `wait_for_message`.
    rev: u64,
}

/// A read-only view of a message for assertions.
#[derive(Clone, Debug)]
pub struct MessageView {
    pub id: u64,
    pub channel_id: u64,
    pub author_id: u64,
    pub content: String,
    pub embeds: Vec<Value>,
    pub components: Vec<Value>,
    pub attachments: Vec<Value>,
    pub flags: u64,
    pub ephemeral: bool,
    pub deleted: bool,
    /// Earlier versions (each a full message object), oldest first.
    pub history: Arc<Vec<Value>>,
    /// The whole message object.
    pub json: Value,
}

/// A button as a user sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ButtonView {
    pub custom_id: Option<String>,
    pub label: Option<String>,
    pub style: u64,
    pub disabled: bool,
}

/// A snowflake given as a string (Discord's way) or a number.
pub fn id_of(value: &Value) -> u64 {
    value
        .as_str()
        .and_then(|s| s.parse().ok())
        .or_else(|| value.as_u64())
        .unwrap_or(0)
}

impl MessageView {
    pub fn from_stored(stored: &StoredMessage) -> Self {
        let json = &stored.json;
        let list = |key: &str| {
            json.get(key)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        Self {
            id: id_of(&json["id"]),
            channel_id: id_of(&json["channel_id"]),
            author_id: id_of(&json["author"]["id"]),
            content: json["content"].as_str().unwrap_or_default().to_owned(),
            embeds: list("embeds"),
            components: list("components"),
            attachments: list("attachments"),
            flags: json["flags"].as_u64().unwrap_or(0),
            ephemeral: stored.ephemeral,
            deleted: stored.deleted,
            history: stored.history.clone(),
            json: json.clone(),
        }
    }

    /// All buttons, row by row.
    pub fn buttons(&self) -> Vec<ButtonView> {
        self.components
            .iter()
            .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
            .filter(|c| c["type"] == 2)
            .map(|b| ButtonView {
                custom_id: b["custom_id"].as_str().map(str::to_owned),
                label: b["label"].as_str().map(str::to_owned),
                style: b["style"].as_u64().unwrap_or(0),
                disabled: b["disabled"].as_bool().unwrap_or(false),
            })
            .collect()
    }

    /// The custom ids of all buttons.
    pub fn button_ids(&self) -> Vec<String> {
        self.buttons()
            .into_iter()
            .filter_map(|b| b.custom_id)
            .collect()
    }

    /// All text a user reads: content, then each embed's title, description, fields and footer.
    pub fn text(&self) -> String {
        let mut parts = vec![self.content.clone()];
        for embed in &self.embeds {
            for pointer in ["/author/name", "/title", "/description"] {
                parts.extend(
                    embed
                        .pointer(pointer)
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                );
            }
            for field in embed["fields"].as_array().into_iter().flatten() {
                parts.extend(field["name"].as_str().map(str::to_owned));
                parts.extend(field["value"].as_str().map(str::to_owned));
            }
            parts.extend(
                embed
                    .pointer("/footer/text")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            );
        }
        parts.retain(|p| !p.is_empty());
        parts.join("\n")
    }

    /// How many times the message was edited.
    pub fn edit_count(&self) -> usize {
        self.history.len()
    }

    /// Still showing Discord's "Bot is thinking..." placeholder (deferred, not yet filled).
    pub fn is_loading(&self) -> bool {
        self.flags & 128 != 0
    }
}

/// The initial response to an interaction (the callback body).
#[derive(Clone, Debug, PartialEq)]
pub struct InteractionResponse {
    /// Callback type: 4 message, 5 deferred, 6 deferred update, 7 update, 8 autocomplete, 9 modal.
    pub kind: u8,
    /// The callback's `data` (`Value::Null` when absent).
    pub data: Value,
}

/// An interaction the fake dispatched and what the bot did with it.
#[derive(Clone, Debug)]
pub struct InteractionRecord {
    pub id: u64,
    pub token: String,
    pub kind: InteractionKind,
    pub guild_id: u64,
    pub channel_id: u64,
    pub user_id: u64,
    pub created: Instant,
    /// The message a clicked component is on.
    pub source_message: Option<u64>,
    pub response: Option<InteractionResponse>,
    /// When the initial response (callback) arrived: latency figures come from here, not from
    /// whenever a test happens to look.
    pub responded_at: Option<Instant>,
    /// The message `@original` points at.
    pub original_message: Option<u64>,
    pub followups: Vec<u64>,
}

/// Per-channel message order plus a change index keyed by revision.
#[derive(Debug, Default)]
pub struct ChannelLog {
    pub order: Vec<u64>,
    /// revision -> message id, one entry per message (its latest change).
    pub changed: BTreeMap<u64, u64>,
}

#[derive(Debug, Default)]
pub struct State {
    pub requests: Vec<RecordedRequest>,
    pub violations: Vec<Violation>,
    pub messages: HashMap<u64, StoredMessage>,
    pub channels: HashMap<u64, ChannelLog>,
    pub interactions: HashMap<u64, InteractionRecord>,
    pub tokens: HashMap<String, u64>,
    /// Registered commands by scope: `None` global, `Some(guild)` a guild's.
    pub commands: HashMap<Option<u64>, Vec<Value>>,
    /// Scheduled events by guild, in creation order.
    pub scheduled_events: HashMap<u64, Vec<Value>>,
    /// Modals shown, by (user, custom_id): the modal data and the interaction that opened it.
    pub open_modals: HashMap<(u64, String), (Value, u64)>,
    pub gateway: GatewayState,
    rev: u64,
}

impl State {
    pub fn violation(&mut self, rule: &str, detail: impl Into<String>, source: impl Into<String>) {
        self.violations.push(Violation {
            rule: rule.to_owned(),
            detail: detail.into(),
            source: source.into(),
        });
    }

    /// Stores a new message; ephemeral ones stay out of the channel's list.
    pub fn insert_message(
        &mut self,
        json: Value,
        ephemeral: bool,
        interaction_id: Option<u64>,
    ) -> u64 {
        let id = id_of(&json["id"]);
        let channel = id_of(&json["channel_id"]);
        self.rev += 1;
        let rev = self.rev;
        if !ephemeral {
            let log = self.channels.entry(channel).or_default();
            log.order.push(id);
            log.changed.insert(rev, id);
        }
        let stored = StoredMessage {
            json,
            history: Arc::default(),
            deleted: false,
            ephemeral,
            interaction_id,
            rev,
        };
        self.messages.insert(id, stored);
        id
    }

    /// Applies a change to a stored message, keeping the previous version in its history
    /// when `keep_history` is set. Returns the new message object.
    pub fn update_message(
        &mut self,
        id: u64,
        keep_history: bool,
        change: impl FnOnce(&mut Value),
    ) -> Option<Value> {
        self.rev += 1;
        let rev = self.rev;
        let stored = self.messages.get_mut(&id)?;
        if keep_history {
            // Copy-on-write: cheap unless a view of the old history is still held.
            Arc::make_mut(&mut stored.history).push(stored.json.clone());
        }
        change(&mut stored.json);
        let old_rev = std::mem::replace(&mut stored.rev, rev);
        if !stored.ephemeral {
            let log = self
                .channels
                .entry(id_of(&stored.json["channel_id"]))
                .or_default();
            log.changed.remove(&old_rev);
            log.changed.insert(rev, id);
        }
        Some(stored.json.clone())
    }

    pub fn delete_message(&mut self, id: u64) -> bool {
        let live = self.messages.get(&id).is_some_and(|m| !m.deleted);
        if live {
            self.update_message(id, false, |_| {});
            if let Some(stored) = self.messages.get_mut(&id) {
                stored.deleted = true;
            }
        }
        live
    }

    /// A live (not deleted) message.
    pub fn live_message(&self, id: u64) -> Option<&StoredMessage> {
        self.messages.get(&id).filter(|m| !m.deleted)
    }

    /// Messages of a channel changed after revision `after`, with the newest revision seen.
    pub fn channel_changes_after(&self, channel: u64, after: u64) -> (Vec<MessageView>, u64) {
        let Some(log) = self.channels.get(&channel) else {
            return (Vec::new(), after);
        };
        let mut newest = after;
        let views = log
            .changed
            .range(after + 1..)
            .filter_map(|(rev, id)| {
                newest = *rev;
                self.messages
                    .get(id)
                    .filter(|m| !m.deleted)
                    .map(MessageView::from_stored)
            })
            .collect();
        (views, newest)
    }

    pub fn channel_messages(&self, channel: u64) -> Vec<MessageView> {
        let Some(log) = self.channels.get(&channel) else {
            return Vec::new();
        };
        log.order
            .iter()
            .filter_map(|id| self.live_message(*id))
            .map(MessageView::from_stored)
            .collect()
    }

    pub fn interaction_by_token(&self, token: &str) -> Option<&InteractionRecord> {
        self.tokens
            .get(token)
            .and_then(|id| self.interactions.get(id))
    }
}
