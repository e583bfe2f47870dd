//! The `trivia-bot` binary as an operator runs it: start-up failures give one clear line and
//! the right exit status, never the token; and a bot killed mid-game resumes the game when
//! started again, with every score counted exactly once.

mod discord_support;
mod fake_discord;

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use discord_support::*;
use fake_discord::FakeDiscord;
use serde_json::json;
use trivia_bot::store::Board;

const BIN: &str = env!("CARGO_BIN_EXE_trivia-bot");

/// The binary with a clean environment (no `.env` from the developer's checkout: it runs in
/// a temp dir) and the given variables.
fn bot_command(dir: &Path, vars: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("RUST_LOG", "info")
        .stdin(Stdio::null());
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd
}

/// Runs the binary to its end (it must exit by itself within the wait).
async fn run_to_end(mut cmd: Command) -> Output {
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run trivia-bot");
    tokio::time::timeout(
        WAIT,
        tokio::task::spawn_blocking(move || child.wait_with_output()),
    )
    .await
    .expect("trivia-bot exits by itself")
    .unwrap()
    .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The last line the operator reads.
fn last_line(out: &Output) -> String {
    stderr(out)
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default()
        .to_owned()
}

fn no_panic(out: &Output) {
    let err = stderr(out);
    assert!(
        !err.contains("panicked") && !err.contains("stack backtrace"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_token_it_explains_how_to_get_one() {
    let files = Files::new();
    let out = run_to_end(bot_command(files.dir.path(), &[])).await;
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("DISCORD_TOKEN is not set"), "{err}");
    assert!(err.contains("developers/applications"), "{err}");
    assert!(err.contains("trivia-bot play"), "{err}");
    no_panic(&out);
    // `run` is also what no subcommand means.
    let out = run_to_end({
        let mut c = bot_command(files.dir.path(), &[]);
        c.arg("run");
        c
    })
    .await;
    assert_eq!(out.status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_up_failures_are_one_line_without_the_token() {
    let fake = FakeDiscord::start(fake_config()).await;
    let files = Files::new();
    let questions = files.questions_dir();
    let questions = questions.to_str().unwrap();
    let db = files.database_url();
    let secret = "wrong-token-Zq8xK3";

    // A token Discord rejects.
    let out = run_to_end(bot_command(
        files.dir.path(),
        &[
            ("DISCORD_TOKEN", secret),
            ("DISCORD_API_BASE", fake.base_url()),
            ("DATABASE_URL", &db),
            ("QUESTIONS_DIR", questions),
        ],
    ))
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        last_line(&out).contains("rejected the bot token"),
        "{}",
        stderr(&out)
    );
    assert!(
        !stderr(&out).contains(secret) && !String::from_utf8_lossy(&out.stdout).contains(secret)
    );
    no_panic(&out);

    // An API base nothing listens on: no silent fallback to the real Discord.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let base = format!("http://127.0.0.1:{closed}");
    let out = run_to_end(bot_command(
        files.dir.path(),
        &[
            ("DISCORD_TOKEN", fake.token()),
            ("DISCORD_API_BASE", &base),
            ("DATABASE_URL", &db),
            ("QUESTIONS_DIR", questions),
        ],
    ))
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let line = last_line(&out);
    assert!(
        line.contains(&base) && line.contains("cannot be reached"),
        "{line}"
    );
    assert!(!stderr(&out).contains(fake.token()));
    no_panic(&out);

    // A database that cannot be opened.
    let out = run_to_end(bot_command(
        files.dir.path(),
        &[
            ("DISCORD_TOKEN", fake.token()),
            ("DISCORD_API_BASE", fake.base_url()),
            ("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none"),
            ("QUESTIONS_DIR", questions),
        ],
    ))
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(last_line(&out).contains("database"), "{}", stderr(&out));
    no_panic(&out);

    // A setting that cannot be used.
    let out = run_to_end(bot_command(
        files.dir.path(),
        &[
            ("DISCORD_TOKEN", fake.token()),
            ("DISCORD_API_BASE", "not a url"),
        ],
    ))
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        last_line(&out).contains("DISCORD_API_BASE"),
        "{}",
        stderr(&out)
    );
}

struct Process {
    child: Child,
    log: std::path::PathBuf,
}

impl Process {
    fn start(files: &Files, fake: &FakeDiscord, log_name: &str) -> Process {
        let log = files.dir.path().join(log_name);
        let file = std::fs::File::create(&log).unwrap();
        let child = bot_command(
            files.dir.path(),
            &[
                ("DISCORD_TOKEN", fake.token()),
                ("DISCORD_API_BASE", fake.base_url()),
                ("DATABASE_URL", &files.database_url()),
                ("QUESTIONS_DIR", files.questions_dir().to_str().unwrap()),
            ],
        )
        .stdout(Stdio::null())
        .stderr(file)
        .spawn()
        .expect("start trivia-bot");
        Process { child, log }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILL: no chance to clean up, like a crash or a power cut.
    fn kill(mut self) -> String {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        self.log()
    }

    /// SIGTERM, as a service manager stops it; waits for the exit.
    fn terminate(mut self) -> (Option<i32>, String) {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return (status.code(), self.log());
            }
            assert!(
                std::time::Instant::now() < deadline,
                "trivia-bot did not stop on SIGTERM:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Waits until the saved game holds `player`'s answer to question `index` (0-based).
async fn wait_for_saved_answer(files: &Files, player: u64, index: usize) {
    let store = open_store(files).await;
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let saved = store.load_game_snapshots().await.unwrap();
        let found = saved.iter().any(|s| {
            let v: serde_json::Value = serde_json::from_str(&s.json).unwrap();
            // The state holds the open question; revealed ones are saved apart.
            v["game"]["rounds"]
                .as_array()
                .and_then(|rounds| rounds.iter().find(|r| r["index"] == index))
                .and_then(|round| round["answers"].as_array())
                .is_some_and(|a| a.iter().any(|r| r["player"] == player))
        });
        if found {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the answer was never saved: {saved:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until the fake has seen `n` IDENTIFYs in all (one per bot start).
async fn wait_identified(fake: &FakeDiscord, n: u64) {
    fake.wait_until(WAIT, "the bot to identify", |f| {
        f.gateway_stats().identifies >= n && !f.connected_shards().is_empty()
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"));
}

/// Waits until `n` messages in the channel say the bot restarted.
async fn wait_restarted(world: &World, n: usize, log: &dyn Fn() -> String) {
    world
        .fake
        .wait_until(WAIT, "the restart note", |f| {
            f.channel_messages(CHANNEL)
                .iter()
                .filter(|m| m.content.contains("restarted"))
                .count()
                >= n
        })
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", log()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_stopped_or_killed_bot_resumes_its_game_and_counts_nothing_twice() {
    init_logs();
    let fake = FakeDiscord::start(fake_config()).await;
    let files = Files::new();
    let world = World {
        fake,
        files,
        bot: None,
    };
    let (alice, bob) = (alice(), bob());

    let first = Process::start(&world.files, &world.fake, "first.log");
    wait_identified(&world.fake, 1).await;
    let start = world.fake.slash_command(
        &alice,
        CHANNEL,
        "trivia",
        json!({"start": {"rounds": 4, "seconds": 60, "form": 1}}),
    );
    world.reply_text(start).await;
    world.join_on_first_question(&alice, &[&alice, &bob]).await;

    // Question 2 is scored and revealed.
    let q1 = world.question(2).await;
    let (right, wrong) = right_and_wrong(&q1);
    world.click(&alice, q1.id, &right).await;
    world.click(&bob, q1.id, &wrong).await;
    world.reveal(q1.id).await;
    // Question 3 is open, with Alice's answer locked in, when the bot is stopped (SIGTERM).
    let q2 = world.question(3).await;
    let (right2, wrong2) = right_and_wrong(&q2);
    world.click(&alice, q2.id, &right2).await;
    let (code, log) = first.terminate();
    assert_eq!(code, Some(0), "{log}");
    assert!(
        !log.contains(world.fake.token()),
        "the token is never logged"
    );
    for expected in [
        "pack loaded",
        "database ready",
        "slash commands registered",
        "shard ready",
    ] {
        assert!(
            log.contains(expected),
            "start-up logs say {expected:?}:\n{log}"
        );
    }
    let note = world
        .fake
        .channel_messages(CHANNEL)
        .into_iter()
        .rev()
        .find(|m| m.content.contains("paused"));
    assert!(
        note.is_some_and(|m| m.content.contains("restarting")),
        "the channel is told"
    );

    // Started again: the game goes on in its channel with a note, question 3 still open.
    let second = Process::start(&world.files, &world.fake, "second.log");
    wait_identified(&world.fake, 2).await;
    wait_restarted(&world, 1, &|| second.log()).await;
    // Alice's locked-in answer survived: a second click is refused.
    let again = world.click(&alice, q2.id, &wrong2).await;
    assert_eq!(again, "You already answered this question.");
    world.click(&bob, q2.id, &wrong2).await;
    world.reveal(q2.id).await;

    // Question 4 is open with Alice's answer when the process dies (SIGKILL: no clean-up).
    let q3 = world.question(4).await;
    let (right3, _) = right_and_wrong(&q3);
    world.click(&alice, q3.id, &right3).await;
    wait_for_saved_answer(&world.files, alice.id, 3).await;
    let log = second.kill();
    assert!(!log.contains(world.fake.token()));

    let third = Process::start(&world.files, &world.fake, "third.log");
    wait_identified(&world.fake, 3).await;
    wait_restarted(&world, 2, &|| third.log()).await;
    world.click(&bob, q3.id, &right3).await;
    world.standings().await;
    let (code, log) = third.terminate();
    assert_eq!(code, Some(0), "{log}");

    let store = open_store(&world.files).await;
    let board = store
        .leaderboard(GUILD, Board::AllTime, trivia_bot::discord::now_ms(), 0, 10)
        .await
        .unwrap();
    let a = board
        .iter()
        .find(|r| r.user == alice.id)
        .expect("alice scored");
    let b = board.iter().find(|r| r.user == bob.id).expect("bob played");
    assert_eq!((a.right, a.answered), (3, 3), "{board:?}");
    assert_eq!((b.right, b.answered), (1, 3), "{board:?}");
    assert!(
        store.load_game_snapshots().await.unwrap().is_empty(),
        "the finished game is no longer saved"
    );
    assert!(
        !world
            .fake
            .channel_messages(CHANNEL)
            .iter()
            .any(|m| m.text().contains("could not be saved"))
    );
}
