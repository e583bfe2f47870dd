//! Crash safety: a process recording scores is killed with SIGKILL mid-run; after reopening the
//! database every result it reported committed is there, whole, and the totals agree with the
//! answers. The writer is this test binary itself, started again to run `crash_writer` (an
//! ignored test, so a normal run lists it as ignored instead of running it).

mod store_support;

use std::process::Stdio;
use std::time::Duration;

use store_support::TestDb;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;
use trivia_bot::store::{AnswerRecord, Board, NewGame, QuestionResults, Store};

const CHILD_URL_ENV: &str = "TRIVIA_STORE_CRASH_CHILD_URL";
const GUILD: u64 = 1_000_000_000_000_000_001;
/// Commits to wait for before killing the writer.
const KILL_AFTER: u32 = 40;

/// Question `index` of the writer's game: player 1 is always right (10 points), player 2 right
/// on even questions (5 points), player 3 always wrong.
fn question(game_id: i64, index: u32) -> QuestionResults {
    let at = 1_795_694_400_000 + i64::from(index) * 1_000;
    let even = index.is_multiple_of(2);
    let answer = |user, correct, points| AnswerRecord {
        user,
        answer_text: format!("answer {index}"),
        answered_at: at,
        correct,
        points,
        near_miss: None,
    };
    QuestionResults {
        game_id,
        guild: GUILD,
        question_index: index,
        question_text: format!("Question {index}?"),
        correct_answer: "Picard".into(),
        asked_at: at - 500,
        answers: vec![
            answer(1, true, 10),
            answer(2, even, if even { 5 } else { 0 }),
            answer(3, false, 0),
        ],
        event_id: None,
        names: Vec::new(),
    }
}

/// (points, right, answered) each player must have after questions 0..n.
fn expected_totals(n: u32) -> [(u64, (i64, i64, i64)); 3] {
    let n = i64::from(n);
    let even = (n + 1) / 2;
    [
        (1, (10 * n, n, n)),
        (2, (5 * even, even, n)),
        (3, (0, 0, n)),
    ]
}

#[tokio::test]
#[ignore = "the writer process of the crash tests; they start it themselves"]
async fn crash_writer() {
    let url = std::env::var(CHILD_URL_ENV).expect("started by a crash test");
    let store = Store::connect(&url).await.expect("writer connects");
    let game = store
        .start_game(&NewGame {
            guild: GUILD,
            channel: 1,
            started_by: 1,
            pack: "picard".into(),
            seed: 7,
            mode: "buttons".into(),
            started_at: 1_795_694_400_000,
        })
        .await
        .expect("writer starts a game");
    println!("game {game}");
    // Bounded, so an orphaned writer stops by itself.
    for index in 0..20_000 {
        store
            .record_question(&question(game, index))
            .await
            .expect("writer records");
        println!("committed {index}");
    }
}

async fn kill_mid_write(db: &TestDb) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["crash_writer", "--exact", "--ignored", "--nocapture"])
        .env(CHILD_URL_ENV, &db.url)
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start the writer");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();

    let mut game = None;
    let mut last_reported = None;
    let read_until_kill = async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(id) = line.strip_prefix("game ") {
                game = Some(id.parse::<i64>().unwrap());
            } else if let Some(i) = line.strip_prefix("committed ") {
                let i: u32 = i.parse().unwrap();
                last_reported = Some(i);
                if i + 1 >= KILL_AFTER {
                    return;
                }
            }
        }
        panic!("the writer stopped before it was killed");
    };
    tokio::time::timeout(Duration::from_secs(120), read_until_kill)
        .await
        .expect("the writer made no progress in 2 minutes");

    // SIGKILL while it keeps writing: no chance to finish or clean up.
    child.start_kill().unwrap();
    let status = child.wait().await.unwrap();
    assert!(!status.success(), "the writer was killed, not finished");
    // Lines it printed before dying still count as reported commits.
    while let Some(line) = lines.next_line().await.unwrap() {
        if let Some(i) = line.strip_prefix("committed ") {
            last_reported = Some(i.parse().unwrap());
        }
    }
    let game = game.expect("the writer reported its game");
    let reported = last_reported.unwrap() + 1;

    let store = Store::connect(&db.url)
        .await
        .expect("reopen after the crash");
    // Every question is whole: each player answered the same number of questions.
    let per_game = store
        .leaderboard(GUILD, Board::Game(game), 0, 0, 10)
        .await
        .unwrap();
    assert_eq!(per_game.len(), 3);
    let stored = per_game[0].answered;
    assert!(
        per_game.iter().all(|r| r.answered == stored),
        "{per_game:?}"
    );
    let stored = u32::try_from(stored).unwrap();
    // Reported commits are all there; at most one more committed but not yet reported.
    assert!(
        stored == reported || stored == reported + 1,
        "reported {reported}, stored {stored}"
    );
    // The totals agree with the answers stored, exactly.
    let mut totals: Vec<(u64, (i64, i64, i64))> = store
        .leaderboard(GUILD, Board::AllTime, 0, 0, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.user, (r.points, r.right, r.answered)))
        .collect();
    totals.sort();
    assert_eq!(totals, expected_totals(stored));
    let mut from_answers: Vec<(u64, (i64, i64, i64))> = per_game
        .iter()
        .map(|r| (r.user, (r.points, r.right, r.answered)))
        .collect();
    from_answers.sort();
    assert_eq!(from_answers, totals);

    if db.is_sqlite() {
        assert_eq!(db.query_text("PRAGMA integrity_check").await, "ok");
    }
    // And the game carries on where it stopped.
    let next = store
        .record_question(&question(game, stored))
        .await
        .unwrap();
    assert_eq!(next.new_answers, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_keeps_every_committed_result_after_sigkill() {
    kill_mid_write(&TestDb::sqlite()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_keeps_every_committed_result_after_sigkill() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    kill_mid_write(&db).await;
}
