//! Scaling past one process: two `trivia-bot` processes, each running one of two shards
//! (`SHARD_COUNT=2`, `SHARDS=0-0` and `SHARDS=1-1`), against the fake Discord (which routes
//! each guild's events to its shard by `(guild_id >> 22) % 2`) and one PostgreSQL schema.
//! Games in guilds of both shards run at once; the leaderboards and totals read from the
//! shared database are exact.
//!
//! Needs `TEST_POSTGRES_URL` (e.g. `postgres://postgres@127.0.0.1:5432/test`); without it the
//! test says why and passes without running.

mod discord_support;
mod fake_discord;
mod scale_support;
mod store_support;

use std::time::Duration;

use discord_support::{Files, WAIT, right_and_wrong, title};
use fake_discord::{FakeDiscord, FakeUser, MessageView, shard_for_guild};
use scale_support::{BotProcess, GuildPlan, world};
use serde_json::json;
use trivia_bot::store::{Board, Store};

const BOT: &str = env!("CARGO_BIN_EXE_trivia-bot");
/// `/trivia start` choices, sent as their index: multiple choice, classic scoring.
const FORM_MULTIPLE_CHOICE: u64 = 1;
const SCORING_CLASSIC: u64 = 1;

/// Starts one bot process running shard `shard` of 2, its metrics endpoint on `metrics`.
fn start_shard(
    files: &Files,
    fake: &FakeDiscord,
    db_url: &str,
    shard: u32,
    metrics: &str,
) -> BotProcess {
    let vars = [
        ("METRICS_ADDR", metrics.to_owned()),
        ("DISCORD_TOKEN", fake.token().to_owned()),
        ("DISCORD_API_BASE", fake.base_url().to_owned()),
        ("DATABASE_URL", db_url.to_owned()),
        (
            "QUESTIONS_DIR",
            files.questions_dir().to_string_lossy().into_owned(),
        ),
        ("SHARD_COUNT", "2".to_owned()),
        ("SHARDS", format!("{shard}-{shard}")),
        (
            "RUST_LOG",
            "info,serenity=warn,poise=warn,sqlx=warn".to_owned(),
        ),
    ];
    BotProcess::start(BOT, &format!("shard{shard}"), files.dir.path(), &vars)
}

/// Waits for question `n` (1-based) of the channel's game, with live buttons.
async fn question(fake: &FakeDiscord, channel: u64, n: usize) -> MessageView {
    let prefix = format!("Question {n}/");
    fake.wait_for_message(
        channel,
        |m| title(m).starts_with(&prefix) && m.buttons().iter().any(|b| !b.disabled),
        WAIT,
    )
    .await
    .unwrap_or_else(|e| panic!("question {n} in channel {channel}: {e}"))
}

/// Clicks a button and checks the bot locked the answer in.
async fn answer(fake: &FakeDiscord, user: &FakeUser, message: u64, custom_id: &str) {
    let id = fake.click(user, message, custom_id);
    let response = fake
        .wait_for_response(id, WAIT)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let text = response.data["content"].as_str().unwrap_or_default();
    assert!(
        text.starts_with("🔒 Locked in"),
        "{} got {text:?}",
        user.name
    );
}

/// Plays a three-question game in a guild. Question 1 (which in an open game runs its full
/// time) alice and bob answer, and alice skips it: it scores nothing. Question 2: alice right,
/// bob wrong (it ends once both answered). Question 3: carol right, alice wrong, bob right.
async fn play(fake: &FakeDiscord, guild: &GuildPlan) {
    let [alice, bob, carol] = [&guild.players[0], &guild.players[1], &guild.players[2]];
    let q0 = question(fake, guild.channel, 1).await;
    let (right, _) = right_and_wrong(&q0);
    answer(fake, alice, q0.id, &right).await;
    answer(fake, bob, q0.id, &right).await;
    let skip = fake.slash_command(alice, guild.channel, "trivia", json!({"skip": {}}));
    fake.wait_for_response(skip, WAIT)
        .await
        .unwrap_or_else(|e| panic!("/trivia skip in guild {}: {e}", guild.id));
    let q1 = question(fake, guild.channel, 2).await;
    let (right, wrong) = right_and_wrong(&q1);
    answer(fake, alice, q1.id, &right).await;
    answer(fake, bob, q1.id, &wrong).await;
    let q2 = question(fake, guild.channel, 3).await;
    let (right, wrong) = right_and_wrong(&q2);
    answer(fake, carol, q2.id, &right).await;
    answer(fake, alice, q2.id, &wrong).await;
    answer(fake, bob, q2.id, &right).await;
    fake.wait_for_message(
        guild.channel,
        |m| title(m).contains("Final standings"),
        WAIT,
    )
    .await
    .unwrap_or_else(|e| panic!("the game in guild {} did not end: {e}", guild.id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_share_the_shards_and_one_database() {
    let Some(db) = store_support::TestDb::postgres().await else {
        return;
    };
    // Four guilds, two on each shard, three players each.
    let (config, guilds) = world(4, 3, 2);
    assert_eq!(
        guilds
            .iter()
            .filter(|g| shard_for_guild(g.id, 2) == 0)
            .count(),
        2
    );
    let fake = FakeDiscord::start(config).await;
    let files = Files::new();
    let metrics0 = free_address();
    let mut shard0 = start_shard(&files, &fake, &db.url, 0, &metrics0);
    let mut shard1 = start_shard(&files, &fake, &db.url, 1, &free_address());
    if let Err(e) = fake.wait_for_ready(2, WAIT).await {
        panic!(
            "both shards connect: {e}\n--- shard 0 ({:?}) ---\n{}\n--- shard 1 ({:?}) ---\n{}",
            shard0.exited(),
            shard0.log(),
            shard1.exited(),
            shard1.log()
        );
    }
    assert_eq!(fake.connected_shards(), [0, 1]);
    assert_eq!(fake.gateway_stats().identifies, 2, "one session a process");

    // A game in every guild at once; each command reaches only the process of its shard.
    for g in &guilds {
        let id = fake.slash_command(
            &g.players[0],
            g.channel,
            "trivia",
            json!({"start": {"rounds": 3, "seconds": 60, "form": FORM_MULTIPLE_CHOICE, "scoring": SCORING_CLASSIC}}),
        );
        fake.wait_for_response(id, WAIT)
            .await
            .unwrap_or_else(|e| panic!("/trivia start in guild {}: {e}", g.id));
    }
    let [a, b, c, d] = [&guilds[0], &guilds[1], &guilds[2], &guilds[3]];
    tokio::join!(
        play(&fake, a),
        play(&fake, b),
        play(&fake, c),
        play(&fake, d)
    );

    // Shard 0's metrics count exactly its own guilds' interactions: a /trivia start, a skip
    // and seven clicks in each of its two guilds; its games have ended.
    let (status, _) = http_get(&metrics0, "/health").await;
    assert!(status.contains("200"), "{status}");
    let (status, text) = http_get(&metrics0, "/metrics").await;
    assert!(status.contains("200"), "{status}");
    for line in [
        r#"trivia_interactions_handled_total{kind="command"} 4"#,
        r#"trivia_interactions_handled_total{kind="component"} 14"#,
        r#"trivia_interaction_handling_seconds_count{kind="component"} 14"#,
        "trivia_games_running 0",
        "trivia_shards_ready 1",
        "trivia_database_errors_total 0",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} in:\n{text}");
    }

    // Each process saw its own shard only.
    let (log0, log1) = (shard0.log(), shard1.log());
    assert!(log0.contains("0/2") && !log0.contains("1/2"), "{log0}");
    assert!(log1.contains("1/2") && !log1.contains("0/2"), "{log1}");

    // The shared database has every guild's game exactly: classic scoring, one point a right
    // answer; alice 1 of 2, bob 1 of 2, carol 1 of 1.
    let store = Store::connect(&db.url)
        .await
        .expect("open the shared database");
    let now = trivia_bot::discord::now_ms();
    let mut answered = 0;
    for g in &guilds {
        let rows = store
            .leaderboard(g.id, Board::AllTime, now, 0, 10)
            .await
            .unwrap();
        let line = |user: &FakeUser| {
            rows.iter()
                .find(|r| r.user == user.id)
                .map(|r| (r.points, r.right, r.answered))
                .unwrap_or_else(|| {
                    panic!("{} is on the board of guild {}: {rows:?}", user.name, g.id)
                })
        };
        assert_eq!(line(&g.players[0]), (1, 1, 2), "alice in guild {}", g.id);
        assert_eq!(line(&g.players[1]), (1, 1, 2), "bob in guild {}", g.id);
        assert_eq!(line(&g.players[2]), (1, 1, 1), "carol in guild {}", g.id);
        assert_eq!(rows.len(), 3, "guild {}: {rows:?}", g.id);
        answered += rows.iter().map(|r| r.answered).sum::<i64>();
    }
    assert_eq!(answered, 4 * 5, "every answer counted once, in every guild");
    store.close().await;

    for bot in [shard0, shard1] {
        let name = bot.name.clone();
        let (code, log) = bot.terminate(Duration::from_secs(30));
        assert_eq!(code, Some(0), "{name} stops cleanly on SIGTERM:\n{log}");
        assert!(!log.contains("Err deserializing"), "{name}:\n{log}");
    }
    fake.assert_no_violations();
}

/// A 127.0.0.1 address with a port free a moment ago.
fn free_address() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("an address").to_string()
}

/// A plain HTTP/1.1 GET: (status line, body).
async fn http_get(addr: &str, path: &str) -> (String, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .unwrap_or_else(|e| panic!("the metrics endpoint {addr} answers: {e}"));
    let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let status = response.lines().next().unwrap_or_default().to_owned();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}
