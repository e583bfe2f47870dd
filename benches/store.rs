//! How many results (one player's answer to one question, with its totals update) the store
//! writes per second, on each backend. Run with `cargo bench --bench store`; PostgreSQL is
//! measured when TEST_POSTGRES_URL is set. divan prints the throughput as items/s.

#[path = "../tests/store_support/mod.rs"]
mod store_support;

use std::cell::Cell;

use divan::Bencher;
use divan::counter::ItemsCount;
use store_support::TestDb;
use tokio::runtime::Runtime;
use trivia_bot::store::{AnswerRecord, NewGame, QuestionResults, Store};

const GUILD: u64 = 1_000_000_000_000_000_003;
/// Players answering each question: a typical busy channel.
const PLAYERS: u64 = 5;
/// Writers at once in the concurrent benchmark (e.g. games in several channels).
const WRITERS: u32 = 8;

fn main() {
    divan::main();
}

fn backends() -> Vec<&'static str> {
    let mut backends = vec!["sqlite"];
    if std::env::var(store_support::POSTGRES_ENV).is_ok() {
        backends.push("postgres");
    } else {
        store_support::say_postgres_is_skipped();
    }
    backends
}

/// A fresh database with one running game.
struct Setup {
    runtime: Runtime,
    store: Store,
    game: i64,
    _db: TestDb,
}

fn setup(backend: &str) -> Setup {
    let runtime = Runtime::new().expect("tokio runtime");
    let (db, store, game) = runtime.block_on(async {
        let db = match backend {
            "sqlite" => TestDb::sqlite(),
            _ => TestDb::postgres().await.expect("TEST_POSTGRES_URL is set"),
        };
        let store = Store::connect(&db.url).await.expect("connect");
        let game = store
            .start_game(&NewGame {
                guild: GUILD,
                channel: 1,
                started_by: 1,
                pack: "picard".into(),
                seed: 1,
                mode: "buttons".into(),
                started_at: 0,
            })
            .await
            .expect("start a game");
        (db, store, game)
    });
    Setup {
        runtime,
        store,
        game,
        _db: db,
    }
}

fn question(game_id: i64, index: u32) -> QuestionResults {
    QuestionResults {
        game_id,
        guild: GUILD,
        question_index: index,
        question_text: "Who commands the Stargazer?".into(),
        correct_answer: "Picard".into(),
        asked_at: i64::from(index) * 30_000,
        answers: (1..=PLAYERS)
            .map(|user| AnswerRecord {
                user,
                answer_text: "Picard".into(),
                answered_at: i64::from(index) * 30_000 + user as i64 * 100,
                correct: user % 2 == 1,
                points: 10,
                near_miss: None,
            })
            .collect(),
        event_id: None,
        names: Vec::new(),
    }
}

/// One question after another, as one game records them.
#[divan::bench(args = backends(), sample_count = 20, sample_size = 10)]
fn record_question(bencher: Bencher, backend: &str) {
    let s = setup(backend);
    let next = Cell::new(0u32);
    bencher.counter(ItemsCount::new(PLAYERS)).bench_local(|| {
        let index = next.replace(next.get() + 1);
        s.runtime
            .block_on(s.store.record_question(&question(s.game, index)))
            .expect("record");
    });
}

/// Several questions at once (as several channels' games would), through one pool.
#[divan::bench(args = backends(), sample_count = 10, sample_size = 5)]
fn record_question_concurrently(bencher: Bencher, backend: &str) {
    let s = setup(backend);
    let next = Cell::new(0u32);
    bencher
        .counter(ItemsCount::new(PLAYERS * u64::from(WRITERS)))
        .bench_local(|| {
            let round = next.replace(next.get() + 1);
            s.runtime.block_on(async {
                let mut tasks = tokio::task::JoinSet::new();
                for k in 0..WRITERS {
                    let store = s.store.clone();
                    let q = question(s.game, round * WRITERS + k);
                    tasks.spawn(async move { store.record_question(&q).await });
                }
                while let Some(done) = tasks.join_next().await {
                    done.expect("task").expect("record");
                }
            });
        });
}
