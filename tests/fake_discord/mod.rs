//! A local fake Discord for end-to-end tests and load runs: REST under `/api/v10` and a
//! WebSocket gateway, both on 127.0.0.1 (random port), so the real bot talks to it through
//! real serenity (`HttpBuilder::new(token).proxy(fake.base_url()).ratelimiter_disabled(true)`).
//!
//! What it covers:
//! - **REST**: `/gateway`, `/gateway/bot` (the configured shard count), `/users/@me`,
//!   `/users/{id}`, `/oauth2/applications/@me`, `/applications/@me`; command registration
//!   (global and guild: bulk PUT, POST, GET, PATCH, DELETE); interaction callbacks (JSON or
//!   multipart); the interaction webhook (follow-ups, `@original` and follow-up GET, PATCH,
//!   DELETE); channel messages (POST, GET list/one, PATCH, DELETE; JSON or multipart with
//!   files) and typing; guild, channels, roles, members; guild scheduled events. Anything
//!   else is answered 404 with a Discord-style error and recorded as a violation.
//! - **Gateway**: HELLO, IDENTIFY (checks `shard: [id, count]`) -> READY and GUILD_CREATE
//!   per guild of that shard, heartbeat ACKs, RESUME with replay of missed dispatches then
//!   RESUMED (or INVALID_SESSION, see [`ResumePolicy`]), INTERACTION_CREATE and MESSAGE_CREATE
//!   routed by `(guild_id >> 22) % shard_count`. Intents are honoured (GUILDS,
//!   GUILD_MEMBERS, GUILD_MESSAGES, MESSAGE_CONTENT). Every payload is checked against
//!   serenity's own types before it is sent (serenity silently drops what it cannot parse).
//! - **State**: every request (method, path, body, files, status); channel messages with
//!   their edit history; per interaction its response, original message and follow-ups
//!   (ephemeral ones only there); registered commands; scheduled events.
//! - **Rules**: Discord's documented limits from DESIGN.md on every request (breaches are
//!   refused with Discord's 400 and recorded), the 3 s first-response deadline, one initial
//!   response per interaction, callback types that fit the interaction, the 15 min token,
//!   and the project's rule that every message with content or embeds carries
//!   `allowed_mentions` with nothing to parse (recorded, not refused). See
//!   [`FakeDiscord::violations`] and [`FakeDiscord::assert_no_violations`].
//! - **Users**: [`FakeDiscord::slash_command`], `autocomplete`, `click`, `select`,
//!   `submit_modal`, `send_message` act as people would (see `actions.rs`); the `wait_for_*`
//!   helpers wake on every change (and re-check every 100 ms) instead of spinning.
//!
//! Use (in a `#[tokio::test(flavor = "multi_thread")]`):
//!
//! ```text
//! let guild = FakeGuild::new(GUILD, "Ten Forward").channel(CHANNEL, "trivia").member(&alice, &[]);
//! let fake = FakeDiscord::start(FakeConfig { guilds: vec![guild], ..FakeConfig::default() }).await;
//! // Point the bot at it: in-process with `fake.http_builder()`, or a bot process with
//! // `fake.base_url()` and `fake.token()`.
//! fake.wait_for_ready(1, WAIT).await.unwrap();
//! let id = fake.slash_command(&alice, CHANNEL, "trivia", json!({"start": {"rounds": 3}}));
//! let reply = fake.wait_for_response(id, WAIT).await.unwrap(); // callback type + data
//! let shown = fake.original_response(id).unwrap();              // what users see
//! fake.click(&alice, shown.id, &shown.button_ids()[0]);
//! fake.assert_no_violations();
//! ```
#![allow(dead_code, unused_imports)]

mod actions;
mod attachments;
mod config;
mod gateway;
mod limits;
mod messages;
mod payloads;
mod rest_commands;
mod rest_guilds;
mod rest_interactions;
mod rest_messages;
mod server;
mod state;
mod world;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::time::Instant;

pub use attachments::FakeCdn;
pub use config::{
    FakeChannel, FakeConfig, FakeGuild, FakeMember, FakeRole, FakeUser, app_flags, perms,
};
pub use gateway::{GatewayStats, ResumePolicy, intents};
pub use payloads::InteractionKind;
pub use state::{
    ButtonView, InteractionRecord, InteractionResponse, MessageView, RecordedRequest, UploadedFile,
    Violation,
};
pub use world::{guild_id_for_shard, shard_for_guild};

use server::Shared;

/// A running fake Discord. Dropping it stops the HTTP server.
pub struct FakeDiscord {
    shared: Arc<Shared>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// A `wait_for_*` gave up. Its message says what was awaited and what the fake saw; `Debug`
/// prints the same, so `.unwrap()` shows it readably.
pub struct WaitError {
    pub what: String,
    pub waited: Duration,
    pub violations: Vec<Violation>,
    /// The last few requests, `METHOD path -> status`.
    pub recent_requests: Vec<String>,
}

impl fmt::Display for WaitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "gave up after {:?} waiting for {}",
            self.waited, self.what
        )?;
        writeln!(f, "violations ({}):", self.violations.len())?;
        for v in &self.violations {
            writeln!(f, "  {v}")?;
        }
        writeln!(f, "last requests:")?;
        for r in &self.recent_requests {
            writeln!(f, "  {r}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for WaitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for WaitError {}

impl FakeDiscord {
    /// Starts the fake on 127.0.0.1 with a random port. Panics on a configuration a test
    /// cannot mean (no shards, a channel in two guilds).
    pub async fn start(config: FakeConfig) -> Self {
        assert!(
            config.shard_count >= 1,
            "FakeConfig.shard_count must be at least 1"
        );
        let mut channels = std::collections::HashSet::new();
        for guild in &config.guilds {
            for channel in &guild.channels {
                assert!(
                    channels.insert(channel.id),
                    "channel {} is configured twice",
                    channel.id
                );
            }
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0 for the fake Discord");
        let address = listener.local_addr().expect("the listener has an address");
        let ids = world::Snowflakes::default();
        let world = world::World::new(config, format!("http://{address}"), &ids);
        let shared = Arc::new(Shared::new(world, ids));
        let app = server::router(shared.clone());
        // TCP_NODELAY, as a real server would: with Nagle's algorithm a small gateway event
        // written while the previous one is unacknowledged waits for the client's delayed ACK
        // (up to 40 ms), which showed as a 14 ms p50 and 44 ms p99 for any bot.
        let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { shared, server }
    }

    /// `http://127.0.0.1:port`: give it to `HttpBuilder::proxy`.
    pub fn base_url(&self) -> &str {
        &self.shared.world.base_url
    }

    /// `ws://127.0.0.1:port/gateway`, what `GET /gateway` returns.
    pub fn gateway_url(&self) -> &str {
        &self.shared.world.gateway_url
    }

    pub fn token(&self) -> &str {
        &self.shared.world.config.token
    }

    pub fn application_id(&self) -> u64 {
        self.shared.world.app_id()
    }

    pub fn bot(&self) -> &FakeUser {
        self.shared.world.bot()
    }

    pub fn config(&self) -> &FakeConfig {
        &self.shared.world.config
    }

    /// A serenity HTTP builder pointed at the fake (the ratelimiter must be off for the proxy
    /// to be used, see DESIGN.md).
    pub fn http_builder(&self) -> serenity::http::HttpBuilder {
        serenity::http::HttpBuilder::new(self.token())
            .proxy(self.base_url())
            .ratelimiter_disabled(true)
    }

    // ---- gateway -------------------------------------------------------------------------

    /// Waits until `shards` shards have an identified, connected session.
    pub async fn wait_for_ready(&self, shards: usize, timeout: Duration) -> Result<(), WaitError> {
        self.wait_until(timeout, &format!("{shards} shard(s) to be ready"), |f| {
            f.connected_shards().len() >= shards
        })
        .await
    }

    /// Shards whose session has a live connection, ascending.
    pub fn connected_shards(&self) -> Vec<u32> {
        self.shared.lock().gateway.connected_shards()
    }

    pub fn gateway_stats(&self) -> GatewayStats {
        self.shared.lock().gateway.stats.clone()
    }

    /// Closes the shard's socket (close code 4000). Dispatches made until the client
    /// resumes wait in the session's backlog. False if the shard had no connection.
    pub fn drop_connection(&self, shard: u32) -> bool {
        let dropped = self.shared.lock().gateway.drop_connection(shard);
        self.shared.changed();
        dropped
    }

    pub fn set_resume_policy(&self, policy: ResumePolicy) {
        self.shared.lock().gateway.resume_policy = policy;
    }

    // ---- what the bot did ----------------------------------------------------------------

    /// Commands registered globally (`None`) or for a guild.
    pub fn registered_commands(&self, guild: Option<u64>) -> Vec<Value> {
        self.shared
            .lock()
            .commands
            .get(&guild)
            .cloned()
            .unwrap_or_default()
    }

    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests.clone()
    }

    pub fn request_count(&self) -> usize {
        self.shared.lock().requests.len()
    }

    /// Forgets recorded requests (long load runs).
    pub fn clear_requests(&self) {
        self.shared.lock().requests.clear();
    }

    pub fn violations(&self) -> Vec<Violation> {
        self.shared.lock().violations.clone()
    }

    /// Returns and forgets the violations so far (for tests that provoke one on purpose).
    pub fn take_violations(&self) -> Vec<Violation> {
        std::mem::take(&mut self.shared.lock().violations)
    }

    /// Panics listing every violation, if there is any.
    #[track_caller]
    pub fn assert_no_violations(&self) {
        let violations = self.violations();
        if !violations.is_empty() {
            let list: Vec<String> = violations.iter().map(|v| format!("  {v}")).collect();
            panic!(
                "the fake Discord saw {} violation(s):\n{}",
                violations.len(),
                list.join("\n")
            );
        }
    }

    pub fn interaction(&self, id: u64) -> Option<InteractionRecord> {
        self.shared.lock().interactions.get(&id).cloned()
    }

    /// The initial response (callback) to an interaction, if any yet.
    pub fn response(&self, interaction: u64) -> Option<InteractionResponse> {
        self.interaction(interaction).and_then(|r| r.response)
    }

    pub async fn wait_for_response(
        &self,
        interaction: u64,
        timeout: Duration,
    ) -> Result<InteractionResponse, WaitError> {
        let what = format!("a response to interaction {interaction}");
        self.wait_for(timeout, &what, |f| f.response(interaction))
            .await
    }

    /// The message `@original` points at (type 4 and 5 responses; for components the clicked
    /// message), in its current state.
    pub fn original_response(&self, interaction: u64) -> Option<MessageView> {
        let id = self.interaction(interaction)?.original_message?;
        self.message(id)
    }

    /// Follow-up messages of an interaction (ephemeral ones too), oldest first.
    pub fn followups(&self, interaction: u64) -> Vec<MessageView> {
        let st = self.shared.lock();
        let ids = st
            .interactions
            .get(&interaction)
            .map(|r| r.followups.clone())
            .unwrap_or_default();
        ids.iter()
            .filter_map(|id| st.live_message(*id))
            .map(MessageView::from_stored)
            .collect()
    }

    pub async fn wait_for_followups(
        &self,
        interaction: u64,
        count: usize,
        timeout: Duration,
    ) -> Result<Vec<MessageView>, WaitError> {
        let what = format!("{count} follow-up(s) to interaction {interaction}");
        self.wait_for(timeout, &what, |f| {
            Some(f.followups(interaction)).filter(|list| list.len() >= count)
        })
        .await
    }

    /// Any stored message by id (ephemeral and deleted ones included), current state.
    pub fn message(&self, id: u64) -> Option<MessageView> {
        self.shared
            .lock()
            .messages
            .get(&id)
            .map(MessageView::from_stored)
    }

    /// What users see in a channel: its live, non-ephemeral messages, oldest first.
    pub fn channel_messages(&self, channel: u64) -> Vec<MessageView> {
        self.shared.lock().channel_messages(channel)
    }

    /// Waits for a message in `channel` (already there, or created or edited later) that
    /// matches `predicate`. Only messages changed since the last look are checked again.
    pub async fn wait_for_message(
        &self,
        channel: u64,
        predicate: impl Fn(&MessageView) -> bool,
        timeout: Duration,
    ) -> Result<MessageView, WaitError> {
        let mut seen = 0;
        let what = format!("a matching message in channel {channel}");
        self.wait_for(timeout, &what, |f| {
            let (changed, newest) = f.shared.lock().channel_changes_after(channel, seen);
            seen = newest;
            changed.into_iter().find(|m| predicate(m))
        })
        .await
    }

    /// Scheduled events of a guild, as Discord would list them.
    pub fn scheduled_events(&self, guild: u64) -> Vec<Value> {
        self.shared
            .lock()
            .scheduled_events
            .get(&guild)
            .cloned()
            .unwrap_or_default()
    }

    /// Waits until `condition` holds, re-checking after every change the fake sees (and every
    /// 100 ms, for conditions on state outside the fake, such as a bot's own counters).
    pub async fn wait_until(
        &self,
        timeout: Duration,
        what: &str,
        mut condition: impl FnMut(&Self) -> bool,
    ) -> Result<(), WaitError> {
        self.wait_for(timeout, what, |f| condition(f).then_some(()))
            .await
    }

    /// Waits until `check` returns something, re-checking after every change (and every
    /// 100 ms, see [`FakeDiscord::wait_until`]).
    pub async fn wait_for<T>(
        &self,
        timeout: Duration,
        what: &str,
        mut check: impl FnMut(&Self) -> Option<T>,
    ) -> Result<T, WaitError> {
        const RECHECK: Duration = Duration::from_millis(100);
        let mut changes = self.shared.subscribe();
        let start = Instant::now();
        let deadline = start + timeout;
        loop {
            if let Some(found) = check(self) {
                return Ok(found);
            }
            if Instant::now() >= deadline {
                return Err(self.wait_error(what, start.elapsed()));
            }
            // A change, a re-check tick or the deadline: each means "look again".
            let wake = deadline.min(Instant::now() + RECHECK);
            let _ = tokio::time::timeout_at(wake, changes.changed()).await;
        }
    }

    fn wait_error(&self, what: &str, waited: Duration) -> WaitError {
        let st = self.shared.lock();
        let skip = st.requests.len().saturating_sub(15);
        WaitError {
            what: what.to_owned(),
            waited,
            violations: st.violations.clone(),
            recent_requests: st.requests[skip..]
                .iter()
                .map(|r| format!("{} {} -> {}", r.method, r.path, r.status))
                .collect(),
        }
    }
}
