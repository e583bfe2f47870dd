//! Per-server scores, games and settings in SQLite or PostgreSQL, behind one small interface.
//!
//! `DATABASE_URL` picks the backend: `sqlite://file.db` (the default, [`DEFAULT_DATABASE_URL`];
//! the file is created on first run, WAL mode, a busy timeout) or `postgres://user@host/db`
//! (several bot processes may share it). Both run through sqlx's `Any` driver with the same
//! queries; only the migrations (`migrations/sqlite`, `migrations/postgres`) differ in dialect.
//! [`Store::connect`] applies them and refuses a schema newer than this binary knows.
//!
//! Rules the code keeps:
//! - Score totals change only by single atomic statements (`points = points + $n` upserts),
//!   never read-modify-write in Rust. A question's awards are one transaction, and recording the
//!   same question again counts nothing twice, so a retry after a lost acknowledgement is safe.
//! - Score-changing transactions first lock the server's `guilds` row, so a reset and a
//!   question's awards in the same server never interleave (no totals without their answers).
//! - A lost connection is retried with backoff a few times; then the caller gets
//!   [`StoreError::Unavailable`], whose message it can show ("results could not be saved").
//! - Ids are snowflakes stored as 64-bit integers; times are Unix milliseconds, UTC. Times that
//!   mean something to the game are arguments; bookkeeping times (when a name or setting was
//!   last written) come from the clock here.
//!
//! Resets: all-time totals of the server (or player) are deleted, and the answers given until
//! then are marked with the reset's id, so the week and month boards stop counting them too.
//! Game and event boards are records of what happened and keep showing them. Every reset is
//! kept (who, when) and listed by [`Store::resets`].

mod boards;
mod connect;
mod error;
mod events;
mod guilds;
mod migrations;
mod packs;
mod resets;
mod retry;
mod scores;
mod snapshots;
mod types;
mod writer;

use std::sync::Arc;
use std::time::Duration;

use sqlx::{Any, AnyPool, Transaction};
use tokio::sync::{Mutex, MutexGuard};

pub use boards::{month_start, week_start};
pub use connect::DEFAULT_DATABASE_URL;
pub use error::{StoreError, redact_url};
pub use events::{NewRuling, RulingOutcome};
pub use migrations::known_version as known_schema_version;
pub use packs::{MAX_SERVER_PACKS, SavePack, ServerPack, ServerPackInfo};
pub use snapshots::SnapshotWrite;
pub use types::{
    AnswerRecord, Backend, Board, BoardRow, GameSnapshot, GuildSettings, NewGame, PlayerStats,
    QuestionResults, Recorded, ResetRecord, UnixMillis,
};
pub use writer::GameWriter;

/// Connection tuning. The defaults suit a bot: a write that cannot reach the database gives up
/// within a few seconds, so the game can tell the channel instead of hanging.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Pool size; None = 4 for SQLite (writers take turns anyway), 8 for PostgreSQL.
    pub max_connections: Option<u32>,
    /// How long one attempt waits for a connection before counting as failed.
    pub acquire_timeout: Duration,
    /// Attempts per operation when the connection is lost or the database is busy.
    pub attempts: u32,
    /// Wait before the second attempt; doubled before each further one.
    pub first_retry_delay: Duration,
    /// SQLite only: how long a statement waits for another writer's lock.
    pub busy_timeout: Duration,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            max_connections: None,
            acquire_timeout: Duration::from_secs(2),
            attempts: 3,
            first_retry_delay: Duration::from_millis(200),
            busy_timeout: Duration::from_secs(5),
        }
    }
}

/// The database handle. Cheap to clone (the pool is shared); safe to use from many tasks.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    options: StoreOptions,
    /// SQLite's write turn for this process: see [`Store::write_turn`].
    writer: Arc<Mutex<()>>,
}

/// Shows the backend only: nothing that could carry a password ends up in a log.
impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens the database at `url` with default options and brings its schema up to date.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        Store::connect_with(url, StoreOptions::default()).await
    }

    /// Opens the database at `url` and brings its schema up to date.
    pub async fn connect_with(url: &str, options: StoreOptions) -> Result<Store, StoreError> {
        connect::open(url, options).await
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Waits for the pool's connections to close (e.g. at shut-down).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// SQLite allows one writer at a time. This process's writers queue here, first come first
    /// served, instead of polling SQLite's lock, whose busy handler sleeps up to 100 ms between
    /// tries; other processes are still kept apart by SQLite's lock and the busy timeout.
    /// Take the turn before starting a write; PostgreSQL needs none.
    async fn write_turn(&self) -> Option<MutexGuard<'_, ()>> {
        match self.backend {
            Backend::Sqlite => Some(self.writer.lock().await),
            Backend::Postgres => None,
        }
    }

    /// Starts a write transaction (after [`Store::write_turn`]). SQLite's `BEGIN IMMEDIATE` takes the write lock up front, so
    /// concurrent writers wait (busy timeout) instead of failing when a read turns into a write.
    async fn begin_write(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }
}

/// Milliseconds since the Unix epoch, for bookkeeping timestamps.
fn now_millis() -> UnixMillis {
    chrono::Utc::now().timestamp_millis()
}
