//! One writer for every running game: question results and game saves share commits.
//!
//! A commit costs more than the rows in it (with SQLite `synchronous = FULL`, an `fsync`). A
//! thousand games reveal dozens of questions a second and save their state after every change,
//! so [`GameWriter`] gathers them: a question's results wait at most [`RESULTS_DELAY`] for
//! company, game saves at most [`SAVES_DELAY`] (only each channel's latest is kept), and
//! whatever is queued when one is due goes in one transaction. The caller of
//! [`GameWriter::record`] still hears only once its results are committed, so a reveal never
//! shows awards that are not stored.

use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;
use tracing::warn;

use super::snapshots::Pending;
use super::{GameSnapshot, QuestionResults, Recorded, SnapshotWrite, Store, StoreError};

/// How long a question's results wait for others to share their commit (the reveal waits too).
pub const RESULTS_DELAY: Duration = Duration::from_millis(100);

/// How long a game save waits for others to share its commit.
pub const SAVES_DELAY: Duration = Duration::from_millis(200);

/// Queued saves past this many are written at once.
const MAX_SAVES: usize = 1000;

/// Queued results past this many are written at once.
const MAX_RESULTS: usize = 64;

type Reply = oneshot::Sender<Result<Recorded, StoreError>>;

enum Command {
    Record(QuestionResults, Reply),
    Snapshot(SnapshotWrite),
    /// Reply once everything sent before is written (or has failed, which is logged).
    Flush(oneshot::Sender<()>),
}

/// Writes running games' results and saves in shared transactions (see the module docs).
/// Cheap to clone; every clone feeds one task.
#[derive(Clone)]
pub struct GameWriter {
    tx: mpsc::UnboundedSender<Command>,
}

impl GameWriter {
    /// Starts the writer's task (on the current tokio runtime).
    pub fn spawn(store: Store) -> GameWriter {
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(run(store, rx));
        GameWriter { tx }
    }

    /// Records a question's results; returns once they are committed (or could not be).
    pub async fn record(&self, results: QuestionResults) -> Result<Recorded, StoreError> {
        let (reply, wait) = oneshot::channel();
        self.send(Command::Record(results, reply));
        wait.await.unwrap_or_else(|_| {
            Err(StoreError::Corrupt(
                "the database writer has stopped".to_owned(),
            ))
        })
    }

    /// Queues a save; a later save of the same channel replaces it if both are still queued.
    pub fn save(&self, snapshot: GameSnapshot) {
        self.send(Command::Snapshot(SnapshotWrite::Save(snapshot)));
    }

    /// Queues the deletion of game `game_id`'s snapshot (it ended).
    pub fn delete(&self, channel: u64, game_id: i64) {
        self.send(Command::Snapshot(SnapshotWrite::Delete {
            channel,
            game_id,
        }));
    }

    /// Waits until everything queued before is written (failed saves are logged and retried
    /// with the next batch).
    pub async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        self.send(Command::Flush(done));
        let _ = wait.await;
    }

    fn send(&self, command: Command) {
        // The task lives as long as any sender; a closed queue means the runtime is going.
        let _ = self.tx.send(command);
    }
}

/// What is queued, and when it must be written.
#[derive(Default)]
struct Queue {
    results: Vec<(QuestionResults, Reply)>,
    saves: Pending,
    results_due: Option<Instant>,
    saves_due: Option<Instant>,
}

impl Queue {
    fn due(&self) -> Option<Instant> {
        match (self.results_due, self.saves_due) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn full(&self) -> bool {
        self.results.len() >= MAX_RESULTS || self.saves.writes.len() >= MAX_SAVES
    }
}

async fn run(store: Store, mut rx: mpsc::UnboundedReceiver<Command>) {
    let mut queue = Queue::default();
    loop {
        let command = tokio::select! {
            command = rx.recv() => command,
            () = sleep_until(queue.due()) => {
                write(&store, &mut queue).await;
                continue;
            }
        };
        match command {
            Some(Command::Record(results, reply)) => {
                queue.results.push((results, reply));
                queue
                    .results_due
                    .get_or_insert_with(|| Instant::now() + RESULTS_DELAY);
            }
            Some(Command::Snapshot(write)) => {
                queue.saves.add(write);
                queue
                    .saves_due
                    .get_or_insert_with(|| Instant::now() + SAVES_DELAY);
            }
            Some(Command::Flush(done)) => {
                write(&store, &mut queue).await;
                let _ = done.send(());
                continue;
            }
            None => {
                write(&store, &mut queue).await;
                return;
            }
        }
        if queue.full() {
            write(&store, &mut queue).await;
        }
    }
}

/// Writes everything queued in one transaction. If it fails, each question's results are
/// recorded on their own (their callers hear their own outcome) and the saves go back in the
/// queue for the next write.
async fn write(store: &Store, queue: &mut Queue) {
    queue.results_due = None;
    queue.saves_due = None;
    let mut results = std::mem::take(&mut queue.results);
    let saves = queue.saves.take();
    if results.is_empty() && saves.is_empty() {
        return;
    }
    // One order for every batch: servers' rows are locked in the same order each time.
    results.sort_by_key(|(r, _)| (r.guild, r.game_id, r.question_index));
    let all: Vec<&QuestionResults> = results.iter().map(|(r, _)| r).collect();
    match store.record_batch(&all, &saves).await {
        Ok(recorded) => {
            queue.saves.written(&saves);
            for ((_, reply), recorded) in results.into_iter().zip(recorded) {
                let _ = reply.send(Ok(recorded));
            }
        }
        Err(_) => {
            for (results, reply) in results {
                let _ = reply.send(store.record_question(&results).await);
            }
            if saves.is_empty() {
                return;
            }
            match store.write_game_snapshots(&saves).await {
                Ok(()) => queue.saves.written(&saves),
                Err(e) => {
                    warn!(
                        games = saves.len(),
                        "cannot save running games for a restart (retried with the next save): {e}"
                    );
                    queue.saves.failed(saves);
                    queue
                        .saves_due
                        .get_or_insert_with(|| Instant::now() + SAVES_DELAY);
                }
            }
        }
    }
}

async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
