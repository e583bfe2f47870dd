//! The WebSocket gateway: HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeats, RESUME with
//! replay of missed dispatches, and dispatches routed to the session that owns the guild's
//! shard (`(guild_id >> 22) % shard_count`).
//!
//! Each connection is one task that owns its socket; everything else reaches it through an
//! unbounded channel, so dispatching never waits on a slow client. Sessions keep a bounded
//! backlog of sent dispatches (indexed by sequence number) for RESUME.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use axum::extract::State as AxumState;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use super::payloads;
use super::server::Shared;
use super::state::{State, id_of};
use super::world::World;

/// Gateway intents the fake looks at.
pub mod intents {
    pub const GUILDS: u64 = 1;
    pub const GUILD_MEMBERS: u64 = 1 << 1;
    pub const GUILD_MESSAGES: u64 = 1 << 9;
    pub const DIRECT_MESSAGES: u64 = 1 << 12;
    pub const MESSAGE_CONTENT: u64 = 1 << 15;
}

/// The first privileged intent in `intents` that the application `flags` do not enable
/// (Discord's close code 4014, "Disallowed intent(s)").
fn disallowed_intent(flags: u64, intents: u64) -> Option<&'static str> {
    use super::config::app_flags as f;
    let privileged = [
        (
            1 << 1,
            "GUILD_MEMBERS",
            f::GATEWAY_GUILD_MEMBERS | f::GATEWAY_GUILD_MEMBERS_LIMITED,
        ),
        (
            1 << 8,
            "GUILD_PRESENCES",
            f::GATEWAY_PRESENCE | f::GATEWAY_PRESENCE_LIMITED,
        ),
        (
            intents::MESSAGE_CONTENT,
            "MESSAGE_CONTENT",
            f::GATEWAY_MESSAGE_CONTENT | f::GATEWAY_MESSAGE_CONTENT_LIMITED,
        ),
    ];
    privileged
        .into_iter()
        .find(|(bit, _, allowed)| intents & bit != 0 && flags & allowed == 0)
        .map(|(_, name, _)| name)
}

/// What a RESUME gets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ResumePolicy {
    /// Replay the dispatches after the client's sequence number, then RESUMED.
    #[default]
    Replay,
    /// INVALID_SESSION (not resumable): the client must identify again.
    Invalidate,
}

/// Counters for assertions.
#[derive(Clone, Debug, Default)]
pub struct GatewayStats {
    pub connections: u64,
    pub identifies: u64,
    pub resumes: u64,
    pub invalid_sessions: u64,
    /// Heartbeats received, by shard.
    pub heartbeats: HashMap<u32, u64>,
    /// Dispatches created (not counting replays), by event name, e.g. `INTERACTION_CREATE`.
    pub dispatched: HashMap<String, u64>,
    /// Dispatches created, by shard.
    pub dispatched_by_shard: HashMap<u32, u64>,
}

impl GatewayStats {
    pub fn dispatched(&self, event: &str) -> u64 {
        self.dispatched.get(event).copied().unwrap_or(0)
    }

    pub fn heartbeats(&self, shard: u32) -> u64 {
        self.heartbeats.get(&shard).copied().unwrap_or(0)
    }
}

/// Sent to a connection task.
#[derive(Debug)]
enum Outbound {
    Text(Utf8Bytes),
    Close(u16),
}

#[derive(Debug)]
struct Conn {
    id: u64,
    tx: mpsc::UnboundedSender<Outbound>,
}

#[derive(Debug)]
struct Session {
    shard: u32,
    intents: u64,
    seq: u64,
    /// (seq, payload) of recent dispatches, oldest first, consecutive sequence numbers.
    backlog: VecDeque<(u64, Utf8Bytes)>,
    conn: Option<Conn>,
}

#[derive(Debug, Default)]
pub struct GatewayState {
    sessions: HashMap<String, Session>,
    /// shard -> the session that receives its dispatches
    owners: HashMap<u32, String>,
    /// connection id -> the session it serves
    conn_sessions: HashMap<u64, String>,
    next_conn: u64,
    pub resume_policy: ResumePolicy,
    pub stats: GatewayStats,
}

impl GatewayState {
    /// Shards whose session currently has a live connection.
    pub fn connected_shards(&self) -> Vec<u32> {
        let mut shards: Vec<u32> = self
            .owners
            .iter()
            .filter(|(_, sid)| self.sessions.get(*sid).is_some_and(|s| s.conn.is_some()))
            .map(|(shard, _)| *shard)
            .collect();
        shards.sort_unstable();
        shards
    }

    /// The intents of the session owning `shard`, if any.
    pub fn intents(&self, shard: u32) -> Option<u64> {
        self.owners
            .get(&shard)
            .and_then(|sid| self.sessions.get(sid))
            .map(|s| s.intents)
    }

    /// Closes the shard's connection (close code 4000, "unknown error; reconnect"). The
    /// session stays, so dispatches from now on wait in its backlog for a RESUME.
    pub fn drop_connection(&mut self, shard: u32) -> bool {
        let Some(session) = self
            .owners
            .get(&shard)
            .and_then(|sid| self.sessions.get_mut(sid))
        else {
            return false;
        };
        let Some(conn) = session.conn.take() else {
            return false;
        };
        self.conn_sessions.remove(&conn.id);
        let _ = conn.tx.send(Outbound::Close(4000));
        true
    }

    /// Appends a dispatch to the shard's session and sends it if connected.
    fn send(
        &mut self,
        shard: u32,
        event: &str,
        text: impl FnOnce(u64) -> String,
        capacity: usize,
    ) -> Option<(u64, String)> {
        let session = self
            .owners
            .get(&shard)
            .and_then(|sid| self.sessions.get_mut(sid))?;
        session.seq += 1;
        let seq = session.seq;
        let text = text(seq);
        let bytes = Utf8Bytes::from(text.clone());
        session.backlog.push_back((seq, bytes.clone()));
        while session.backlog.len() > capacity.max(1) {
            session.backlog.pop_front();
        }
        if let Some(conn) = &session.conn
            && conn.tx.send(Outbound::Text(bytes)).is_err()
        {
            session.conn = None;
        }
        *self.stats.dispatched.entry(event.to_owned()).or_default() += 1;
        *self.stats.dispatched_by_shard.entry(shard).or_default() += 1;
        Some((seq, text))
    }

    fn attach(&mut self, session_id: &str, conn: Conn) {
        if let Some(session) = self.sessions.get_mut(session_id) {
            self.conn_sessions.insert(conn.id, session_id.to_owned());
            if let Some(old) = session.conn.replace(conn) {
                self.conn_sessions.remove(&old.id);
                let _ = old.tx.send(Outbound::Close(4000));
            }
        }
    }

    fn detach(&mut self, conn_id: u64) {
        if let Some(sid) = self.conn_sessions.remove(&conn_id)
            && let Some(session) = self.sessions.get_mut(&sid)
            && session.conn.as_ref().is_some_and(|c| c.id == conn_id)
        {
            session.conn = None;
        }
    }
}

/// Sends a dispatch to whichever session owns `shard`. Returns false if none does.
/// With `validate_payloads`, the payload is first parsed with serenity's own types and a
/// failure is recorded as a violation: serenity would silently drop that event.
pub fn dispatch(st: &mut State, world: &World, shard: u32, event: &str, data: Value) -> bool {
    let capacity = world.config.replay_capacity;
    // Written directly: `data` is serialized once, never cloned (GUILD_CREATEs can be big).
    let build = |seq: u64| format!(r#"{{"op":0,"s":{seq},"t":"{event}","d":{data}}}"#);
    let Some((_, text)) = st.gateway.send(shard, event, build, capacity) else {
        return false;
    };
    if world.config.validate_payloads {
        validate(st, event, &text, &data);
    }
    true
}

fn validate(st: &mut State, event: &str, text: &str, data: &Value) {
    use serenity::model::event::{Event, GatewayEvent};
    let problem = match serde_json::from_str::<GatewayEvent>(text) {
        // serenity turns a known event it cannot parse into `Unknown`: no handler sees it.
        Ok(GatewayEvent::Dispatch(_, Event::Unknown(_))) => Some(why_unparsed(event, data)),
        Ok(_) => None,
        Err(e) => Some(e.to_string()),
    };
    if let Some(problem) = problem {
        let detail = format!("serenity cannot parse {event} (no handler would see it): {problem}");
        st.violation("fake-payload", detail, "gateway");
    }
}

/// The parse error behind an `Unknown` event, for the events the fake sends.
fn why_unparsed(event: &str, data: &Value) -> String {
    use serenity::model::event as ev;
    fn error<T: serde::de::DeserializeOwned>(data: &Value) -> String {
        serde_json::from_value::<T>(data.clone())
            .err()
            .map_or_else(|| "unknown reason".into(), |e| e.to_string())
    }
    match event {
        "READY" => error::<ev::ReadyEvent>(data),
        "GUILD_CREATE" => error::<ev::GuildCreateEvent>(data),
        "INTERACTION_CREATE" => error::<ev::InteractionCreateEvent>(data),
        "MESSAGE_CREATE" => error::<ev::MessageCreateEvent>(data),
        "RESUMED" => error::<ev::ResumedEvent>(data),
        _ => "serenity does not know this event".into(),
    }
}

/// MESSAGE_CREATE for a stored message, as Discord filters it: only with the GUILD_MESSAGES
/// intent, and without MESSAGE_CONTENT the text, embeds, attachments and components are
/// blanked unless the bot wrote the message or is mentioned in it.
pub fn message_create(st: &mut State, world: &World, message: &Value) -> bool {
    let guild_id = Some(id_of(&message["guild_id"])).filter(|g| *g != 0);
    let shard = world.shard_of(guild_id);
    let Some(intents) = st.gateway.intents(shard) else {
        return false;
    };
    let needed = if guild_id.is_some() {
        intents::GUILD_MESSAGES
    } else {
        intents::DIRECT_MESSAGES
    };
    if intents & needed == 0 {
        return true;
    }
    let mut data = message.clone();
    let bot = world.bot().id;
    let by_bot = id_of(&message["author"]["id"]) == bot;
    let mentions_bot = message["content"]
        .as_str()
        .is_some_and(|c| c.contains(&format!("<@{bot}>")));
    if intents & intents::MESSAGE_CONTENT == 0 && !by_bot && !mentions_bot {
        data["content"] = json!("");
        for key in ["embeds", "attachments", "components"] {
            data[key] = json!([]);
        }
    }
    if let Some(guild) = guild_id.and_then(|g| world.guild(g)) {
        let author = message["author"]["id"].clone();
        let member = guild.members.get(&id_of(&author)).cloned();
        if let Some(member) = member {
            let mut partial = payloads::member(guild, &member);
            partial.as_object_mut().map(|m| m.remove("user"));
            data["member"] = partial;
        }
    }
    dispatch(st, world, shard, "MESSAGE_CREATE", data)
}

pub async fn upgrade(ws: WebSocketUpgrade, AxumState(shared): AxumState<Arc<Shared>>) -> Response {
    ws.max_message_size(16 * 1024 * 1024)
        .on_upgrade(move |socket| connection(shared, socket))
}

/// One gateway connection, from HELLO until either side closes.
async fn connection(shared: Arc<Shared>, mut socket: WebSocket) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let conn_id = {
        let mut st = shared.lock();
        st.gateway.next_conn += 1;
        st.gateway.stats.connections += 1;
        st.gateway.next_conn
    };
    let interval = shared.world.config.heartbeat_interval.as_millis() as u64;
    let hello = json!({"op": 10, "d": {"heartbeat_interval": interval}}).to_string();
    if socket.send(Message::Text(hello.into())).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    if let Err(code) = on_client_message(&shared, conn_id, &tx, text.as_str()) {
                        let _ = tx.send(Outbound::Close(code));
                    }
                }
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                Some(Ok(_)) => {}
            },
            outgoing = rx.recv() => match outgoing {
                Some(Outbound::Text(text)) => {
                    if socket.send(Message::Text(text)).await.is_err() {
                        break;
                    }
                }
                Some(Outbound::Close(code)) => {
                    let frame = CloseFrame { code, reason: Utf8Bytes::from_static("") };
                    let _ = socket.send(Message::Close(Some(frame))).await;
                    break;
                }
                None => break,
            },
        }
    }
    shared.lock().gateway.detach(conn_id);
    shared.changed();
}

/// Handles one client payload; `Err(code)` closes the connection with that close code.
fn on_client_message(
    shared: &Shared,
    conn_id: u64,
    tx: &mpsc::UnboundedSender<Outbound>,
    text: &str,
) -> Result<(), u16> {
    let Ok(payload) = serde_json::from_str::<Value>(text) else {
        shared.lock().violation(
            "gateway-decode",
            "client sent a payload that is not JSON",
            "gateway",
        );
        return Err(4002);
    };
    let d = &payload["d"];
    let result = match payload["op"].as_u64() {
        Some(1) => {
            let mut st = shared.lock();
            if let Some(shard) = st
                .gateway
                .conn_sessions
                .get(&conn_id)
                .and_then(|sid| st.gateway.sessions.get(sid))
                .map(|s| s.shard)
            {
                *st.gateway.stats.heartbeats.entry(shard).or_default() += 1;
            }
            let _ = tx.send(Outbound::Text(Utf8Bytes::from_static(r#"{"op":11}"#)));
            Ok(())
        }
        Some(2) => identify(shared, conn_id, tx, d),
        Some(6) => {
            resume(shared, conn_id, tx, d);
            Ok(())
        }
        // Presence updates, voice state, guild member requests: accepted and ignored.
        Some(3 | 4 | 8 | 31) => Ok(()),
        other => {
            shared.lock().violation(
                "gateway-opcode",
                format!("client sent unknown opcode {other:?}"),
                "gateway",
            );
            Err(4001)
        }
    };
    shared.changed();
    result
}

fn identify(
    shared: &Shared,
    conn_id: u64,
    tx: &mpsc::UnboundedSender<Outbound>,
    d: &Value,
) -> Result<(), u16> {
    let world = &shared.world;
    let mut st = shared.lock();
    let token = d["token"].as_str().unwrap_or_default();
    let expected = &world.config.token;
    if token != expected && token.strip_prefix("Bot ") != Some(expected.as_str()) {
        st.violation("gateway-auth", "IDENTIFY with a wrong token", "gateway");
        return Err(4004);
    }
    let shard = d["shard"].as_array().map(|s| {
        (
            s.first().and_then(Value::as_u64),
            s.get(1).and_then(Value::as_u64),
        )
    });
    let (shard, count) = match shard {
        None => (0, 1),
        Some((Some(id), Some(count))) => (id as u32, count as u32),
        Some(_) => (u32::MAX, 0),
    };
    if count != world.config.shard_count || shard >= count {
        let detail = format!(
            "IDENTIFY shard [{shard}, {count}] but the fake has {} shards",
            world.config.shard_count
        );
        st.violation("gateway-shard", detail, "gateway");
        return Err(4010);
    }
    if let Some(intent) = disallowed_intent(
        world.config.application_flags,
        d["intents"].as_u64().unwrap_or(0),
    ) {
        // Discord closes with 4014 (not a mistake of the fake: the portal setting is the test's).
        tracing::debug!(
            "IDENTIFY with {intent} not enabled for the application: closing with 4014"
        );
        return Err(4014);
    }
    st.gateway.stats.identifies += 1;
    let session_id = format!("{:032x}", shared.ids.next());
    // The shard's old session is gone: a RESUME of it gets INVALID_SESSION.
    if let Some(old) = st.gateway.owners.insert(shard, session_id.clone())
        && let Some(old) = st.gateway.sessions.remove(&old)
        && let Some(conn) = old.conn
    {
        st.gateway.conn_sessions.remove(&conn.id);
    }
    let intents = d["intents"].as_u64().unwrap_or(0);
    let session = Session {
        shard,
        intents,
        seq: 0,
        backlog: VecDeque::new(),
        conn: None,
    };
    st.gateway.sessions.insert(session_id.clone(), session);
    st.gateway.attach(
        &session_id,
        Conn {
            id: conn_id,
            tx: tx.clone(),
        },
    );

    let guild_ids: Vec<u64> = world
        .guild_order
        .iter()
        .copied()
        .filter(|g| world.shard_of(Some(*g)) == shard)
        .collect();
    let ready = payloads::ready(world, &session_id, [shard, count], &guild_ids);
    dispatch(&mut st, world, shard, "READY", ready);
    if intents & intents::GUILDS != 0 {
        for guild_id in guild_ids {
            let guild = &world.guilds[&guild_id];
            let data = payloads::guild_create(world, guild, intents & intents::GUILD_MEMBERS != 0);
            dispatch(&mut st, world, shard, "GUILD_CREATE", data);
        }
    }
    Ok(())
}

fn resume(shared: &Shared, conn_id: u64, tx: &mpsc::UnboundedSender<Outbound>, d: &Value) {
    let world = &shared.world;
    let mut st = shared.lock();
    let session_id = d["session_id"].as_str().unwrap_or_default().to_owned();
    let client_seq = d["seq"].as_u64().unwrap_or(0);
    let replayable = st.gateway.sessions.get(&session_id).is_some_and(|s| {
        let oldest = s.backlog.front().map_or(s.seq + 1, |(seq, _)| *seq);
        st.gateway.owners.get(&s.shard) == Some(&session_id)
            && client_seq + 1 >= oldest
            && client_seq <= s.seq
    });
    if st.gateway.resume_policy == ResumePolicy::Invalidate || !replayable {
        st.gateway.stats.invalid_sessions += 1;
        let _ = tx.send(Outbound::Text(Utf8Bytes::from_static(
            r#"{"op":9,"d":false}"#,
        )));
        return;
    }
    st.gateway.stats.resumes += 1;
    st.gateway.attach(
        &session_id,
        Conn {
            id: conn_id,
            tx: tx.clone(),
        },
    );
    let session = &st.gateway.sessions[&session_id];
    let shard = session.shard;
    // Sequence numbers in the backlog are consecutive, so the replay starts at an offset.
    let oldest = session.backlog.front().map_or(0, |(seq, _)| *seq);
    let skip = (client_seq + 1).saturating_sub(oldest) as usize;
    for (_, text) in session.backlog.iter().skip(skip) {
        let _ = tx.send(Outbound::Text(text.clone()));
    }
    dispatch(&mut st, world, shard, "RESUMED", json!({}));
}
