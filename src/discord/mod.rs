//! The Discord bot: serenity 0.12 + poise 0.7, a thin shell over the core.
//!
//! [`run`] is the one start-up path: the binary (`trivia-bot run`) and the end-to-end tests
//! both call it. It loads the packs, opens the database, checks the token and the API base,
//! registers the slash commands, then runs the gateway until Ctrl-C / SIGTERM (or the future
//! given to [`run_until`]), ending running games cleanly before it returns.
//!
//! - [`config`]: settings from the environment; the token is a secret type.
//! - [`commands`]: `/trivia`, `/fact`, `/config` (poise).
//! - [`events`]: buttons and modals, routed by custom_id ([`custom_id`]) in one global handler,
//!   so buttons keep working across restarts.
//! - [`games`]: one tokio task per running game owns the engine's `Game`.
//! - [`render`]: pure functions from core data to serenity builders, inside Discord's limits.
//! - [`quiz_events`]: `/event` (quiz events: schedule, sign-ups, hosting, rulings, results) and
//!   its scheduler; [`packs`]: `/pack` (server packs) and the lookups that use them.

pub mod catalog;
pub mod commands;
pub mod config;
pub mod custom_id;
pub mod events;
pub mod games;
pub mod packs;
pub mod permissions;
pub mod quiz_events;
pub mod render;
mod startup;

use std::future::Future;
use std::sync::Arc;

pub use catalog::Catalog;
pub use config::{BotConfig, ConfigError, Shards, Token};
pub use quiz_events::Clock;
pub use startup::StartError;

use crate::store::Store;

/// The error type of command handlers; shown to the user as an ephemeral message.
pub type Error = anyhow::Error;
/// poise's context for the bot's commands.
pub type Context<'a> = poise::Context<'a, Data, Error>;
/// The state every handler shares.
pub type Data = Arc<Bot>;

/// Whether games may race typed answers in the channel (needs the message-content intent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RaceSupport {
    /// `TYPED_ANSWERS` is set and the intent was requested.
    Enabled,
    /// `TYPED_ANSWERS` is not set.
    NotRequested,
    /// `TYPED_ANSWERS` is set, but the developer portal has not enabled the intent.
    NotGranted,
}

impl RaceSupport {
    /// Why channel races are off, to tell a player who asks for one.
    pub fn refusal(self) -> Option<&'static str> {
        match self {
            RaceSupport::Enabled => None,
            RaceSupport::NotRequested => Some(
                "Typed answers in the channel need the bot's Message Content intent, which this \
                 bot does not request (the operator can set TYPED_ANSWERS=true). Typed questions \
                 still work: press the Answer button and type in the box.",
            ),
            RaceSupport::NotGranted => Some(
                "Typed answers in the channel need the Message Content intent, and it is not \
                 enabled for this bot in the Discord developer portal (Bot → Privileged Gateway \
                 Intents). Typed questions still work: press the Answer button and type in the box.",
            ),
        }
    }
}

/// Everything the handlers share: packs, database, running games.
pub struct Bot {
    pub catalog: Catalog,
    pub store: Store,
    /// Running games' results and saves, written in shared transactions.
    pub writer: crate::store::GameWriter,
    pub games: games::Games,
    pub race: RaceSupport,
    pub settings: commands::SettingsCache,
    /// Quiz events: the scheduler's clock and the running events' tasks.
    pub events: quiz_events::Runtime,
    /// Packs uploaded to servers (`/pack`), loaded.
    pub packs: packs::ServerPacks,
}

/// Runs the bot until Ctrl-C or SIGTERM.
pub async fn run(config: BotConfig) -> Result<(), StartError> {
    run_until(config, shutdown_signal()).await
}

/// Runs the bot until `shutdown` completes (tests pass their own trigger), then ends running
/// games cleanly (a message in their channel, results committed) and returns.
pub async fn run_until(
    config: BotConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    startup::run(config, shutdown).await
}

/// Resolves on Ctrl-C, or on SIGTERM where there is one.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

/// Wall-clock time in Unix milliseconds: the shell's clock, passed to the engine.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
