//! End-to-end load run: the real `trivia-bot` binary, and a baseline bot on serenity alone
//! (`serenity-baseline`), each against the local fake Discord, under the same button-click load.
//!
//! Run: `cargo bench --bench e2e` (binaries are built with the bench profile, i.e. optimised).
//!
//! What it does, per bot:
//! 1. starts a fake Discord with `E2E_GUILDS` guilds (default 1000) of `E2E_PLAYERS` players
//!    (default 20) on `E2E_SHARDS` shards (default 2), and the bot process against it (all
//!    shards in one process, serenity's autosharding);
//! 2. trivia-bot only: `/trivia start` in every guild (multiple choice, `E2E_ROUNDS` questions,
//!    default 10 as the bot's own default, 300 s each so that only the players end them), so
//!    that many games run at once; then a warm-up click from two players a guild on the first
//!    question, which the starter skips (an open game's first question runs its full time);
//! 3. clicks answer buttons at `E2E_RATE` a second (default 1000) for `E2E_SECONDS` (default
//!    10): guild after guild, all of a guild's players within a few milliseconds (the end of a
//!    question), each guild again once its next question is up;
//! 4. measures at the fake, from dispatch to the bot's interaction callback: p50, p99, max,
//!    throughput and unanswered interactions; the bot's CPU time (utime+stime) over the click
//!    phase and its peak memory (VmHWM);
//! 5. trivia-bot only: waits for the reveals, stops the bot (SIGTERM) and checks that the
//!    database's totals equal the answers the bot acknowledged as locked in.
//!
//! With `TEST_POSTGRES_URL` set, trivia-bot also runs against PostgreSQL (a fresh schema).
//! Figures are printed, never asserted. The baseline's and our bot's CPU per interaction give
//! the ratio the issue targets (within 1.5x).

#[path = "../tests/fake_discord/mod.rs"]
mod fake_discord;
#[path = "../tests/scale_support/mod.rs"]
mod scale_support;
#[path = "../tests/store_support/mod.rs"]
mod store_support;

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fake_discord::{FakeDiscord, FakeUser};
use rand::seq::IndexedRandom;
use scale_support::{BotProcess, GuildPlan, log_problems, questions_dir, world};
use serde_json::json;
use serenity::all::{
    ButtonStyle, ChannelId, CreateActionRow, CreateAllowedMentions, CreateButton, CreateEmbed,
    CreateEmbedFooter, CreateMessage,
};

const BOT: &str = env!("CARGO_BIN_EXE_trivia-bot");
const BASELINE: &str = env!("CARGO_BIN_EXE_serenity-baseline");
/// `/trivia start` option values (poise sends a choice as its index).
const FORM_MULTIPLE_CHOICE: u64 = 1;
/// The bot's pause between a reveal and the next question, plus a margin.
const REVEAL_WAIT: Duration = Duration::from_millis(5_500);
const LONG: Duration = Duration::from_secs(60);

fn main() {
    let plan = Plan::from_env();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(run(plan));
}

/// The load, from the environment.
#[derive(Debug, Clone)]
struct Plan {
    guilds: usize,
    players: usize,
    shards: u32,
    rate: u64,
    seconds: u64,
    rounds: u32,
}

impl Plan {
    fn from_env() -> Plan {
        fn var<T: std::str::FromStr>(name: &str, default: T) -> T {
            match std::env::var(name) {
                Ok(v) => v.trim().parse().unwrap_or_else(|_| {
                    panic!("{name}={v:?} is not a number; unset it or write one")
                }),
                Err(_) => default,
            }
        }
        let plan = Plan {
            guilds: var("E2E_GUILDS", 1000),
            players: var("E2E_PLAYERS", 20),
            shards: var("E2E_SHARDS", 2),
            rate: var("E2E_RATE", 1000),
            seconds: var("E2E_SECONDS", 10),
            rounds: var("E2E_ROUNDS", 10),
        };
        assert!(
            plan.guilds > 0 && plan.players >= 2 && plan.shards > 0 && plan.rate > 0,
            "E2E_GUILDS, E2E_SHARDS and E2E_RATE must be positive and E2E_PLAYERS at least 2"
        );
        plan
    }

    fn clicks(&self) -> u64 {
        self.rate * self.seconds
    }
}

/// What one bot did under the load.
#[derive(Debug, Default)]
struct Report {
    name: String,
    sent: u64,
    latencies: Vec<Duration>,
    unanswered: u64,
    elapsed: Duration,
    cpu: Duration,
    /// CPU time of this process (the fake Discord and the driver) over the same phase: on a
    /// 2-core machine the bot competes with it.
    harness_cpu: Duration,
    /// CPU time of the PostgreSQL server's processes over the same phase (PostgreSQL runs only):
    /// the database work that SQLite does inside the bot's process.
    db_server_cpu: Option<Duration>,
    peak_memory: u64,
    /// Memory with every game running (trivia-bot only).
    games_memory: Option<u64>,
    games: usize,
    start_latencies: Vec<Duration>,
    start_unanswered: u64,
    /// Clicks acknowledged as counted ("Locked in"), and other replies by text.
    accepted: u64,
    other_replies: HashMap<String, u64>,
    /// Answers the database counted, when checked.
    db_answers: Option<i64>,
    problems: Vec<String>,
    /// Rules of Discord's the fake saw broken (e.g. the 3 s deadline), with counts.
    violations: HashMap<String, u64>,
}

async fn run(plan: Plan) {
    println!(
        "e2e load: {} guilds x {} players on {} shard(s), {} clicks/s for {} s ({} clicks)",
        plan.guilds,
        plan.players,
        plan.shards,
        plan.rate,
        plan.seconds,
        plan.clicks()
    );
    // E2E_ONLY=bot or E2E_ONLY=baseline runs one of them (profiling runs).
    let only = std::env::var("E2E_ONLY").unwrap_or_default();
    let mut reports = Vec::new();
    if only != "bot" {
        reports.push(run_baseline(&plan).await);
    }
    if only != "baseline" {
        let sqlite_dir = tempfile::tempdir().expect("a temp dir");
        let sqlite = format!("sqlite://{}", sqlite_dir.path().join("trivia.db").display());
        reports.push(run_trivia_bot(&plan, "trivia-bot (SQLite)", &sqlite).await);
        match store_support::TestDb::postgres().await {
            Some(db) => {
                reports.push(run_trivia_bot(&plan, "trivia-bot (PostgreSQL)", &db.url).await)
            }
            None => println!("(PostgreSQL run skipped: TEST_POSTGRES_URL is not set)"),
        }
    }
    print_table(&reports);
}

/// The fake Discord of the plan, ready for a bot to connect.
async fn fake_world(plan: &Plan) -> (Arc<FakeDiscord>, Vec<GuildPlan>) {
    let (mut config, guilds) = world(plan.guilds, plan.players, plan.shards);
    // Load runs trust the fake's payloads (the fake's own tests check them against serenity).
    config.validate_payloads = false;
    (Arc::new(FakeDiscord::start(config).await), guilds)
}

fn bot_env(fake: &FakeDiscord) -> Vec<(&'static str, String)> {
    vec![
        ("DISCORD_TOKEN", fake.token().to_owned()),
        ("DISCORD_API_BASE", fake.base_url().to_owned()),
        (
            "RUST_LOG",
            std::env::var("E2E_LOG").unwrap_or_else(|_| "warn".into()),
        ),
    ]
}

async fn wait_ready(fake: &FakeDiscord, bot: &mut BotProcess, shards: u32) {
    let ready = fake.wait_for_ready(shards as usize, LONG).await;
    if let Err(e) = ready {
        let exited = bot.exited();
        panic!(
            "{} did not connect ({exited:?}): {e}\n--- its log ---\n{}",
            bot.name,
            bot.log()
        );
    }
}

// ---- the baseline ---------------------------------------------------------------------------

async fn run_baseline(plan: &Plan) -> Report {
    let (fake, guilds) = fake_world(plan).await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut bot = BotProcess::start(BASELINE, "serenity-baseline", dir.path(), &bot_env(&fake));
    wait_ready(&fake, &mut bot, plan.shards).await;

    // A message in every channel for players to click, posted as the bot, shaped like one of
    // trivia-bot's questions (an embed, four answer buttons): Discord sends the clicked message
    // with each click, so both bots parse payloads of the same size.
    let http = fake.http_builder().build();
    let mut targets = Vec::new();
    for g in &guilds {
        let (message, ids) = post_question_like(&http, g.channel).await;
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        targets.push(Target::fixed(message, &ids));
    }

    let mut report = Report {
        name: "serenity-baseline".into(),
        ..Report::default()
    };
    let load = Load::new(fake.clone(), guilds, targets, false);
    let cpu_before = bot.cpu();
    println!("serenity-baseline: pid {}, clicking", bot.pid());
    load.clicks(plan, plan.clicks(), &mut report).await;
    report.cpu = bot.cpu().saturating_sub(cpu_before);
    report.peak_memory = bot.peak_memory();
    let (_, log) = bot.terminate(Duration::from_secs(10));
    report.problems = log_problems(&log);
    report.violations = violations(&fake);
    report
}

fn violations(fake: &FakeDiscord) -> HashMap<String, u64> {
    let mut counts = HashMap::new();
    for v in fake.violations() {
        *counts.entry(v.rule).or_default() += 1;
    }
    counts
}

/// Posts a message like a trivia-bot question; returns its id and its buttons' custom ids.
async fn post_question_like(http: &serenity::all::Http, channel: u64) -> (u64, Vec<String>) {
    let ids: Vec<String> = (0..4).map(|i| format!("t:a:{channel}:0:{i}")).collect();
    let labels = [
        "A. La Sirena",
        "B. Europa Mission",
        "C. Tal Shiar",
        "D. Qowat Milat",
    ];
    let buttons = ids
        .iter()
        .zip(labels)
        .map(|(id, label)| {
            CreateButton::new(id)
                .label(label)
                .style(ButtonStyle::Secondary)
        })
        .collect();
    let embed = CreateEmbed::new()
        .title("Question 1/10 · Universe · medium")
        .description(
            "Which of these is a ship in Star Trek: Picard?\n\n**A.** La Sirena\n**B.** Europa \
             Mission\n**C.** Tal Shiar\n**D.** Qowat Milat\n\nEveryone answers once; answers \
             are locked in and shown at the reveal.",
        )
        .field("Time", "ends <t:1800000000:R>", true)
        .colour(0x5865F2)
        .footer(CreateEmbedFooter::new(
            "Star Trek: Picard · game 1 · everyone answers once · speed scoring",
        ));
    let msg = ChannelId::new(channel)
        .send_message(
            http,
            CreateMessage::new()
                .embed(embed)
                .components(vec![CreateActionRow::Buttons(buttons)])
                .allowed_mentions(CreateAllowedMentions::new()),
        )
        .await
        .expect("post the baseline's button message");
    (msg.id.get(), ids)
}

// ---- trivia-bot -----------------------------------------------------------------------------

async fn run_trivia_bot(plan: &Plan, name: &str, database_url: &str) -> Report {
    let (fake, guilds) = fake_world(plan).await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut vars = bot_env(&fake);
    vars.push(("DATABASE_URL", database_url.to_owned()));
    vars.push((
        "QUESTIONS_DIR",
        questions_dir().to_string_lossy().into_owned(),
    ));
    let mut bot = BotProcess::start(BOT, "trivia-bot", dir.path(), &vars);
    wait_ready(&fake, &mut bot, plan.shards).await;
    let mut report = Report {
        name: name.to_owned(),
        games: guilds.len(),
        ..Report::default()
    };

    start_games(&fake, &guilds, plan.rounds, &mut report).await;
    let mut targets = Vec::new();
    for g in &guilds {
        targets.push(Target::question(g.channel));
    }
    let load = Load::new(fake.clone(), guilds.clone(), targets, true);
    // Wait for the first question everywhere, then measure memory with every game running.
    let missing = load.wait_for_questions(LONG).await;
    if missing > 0 {
        eprintln!("{name}: {missing} guild(s) show no question after /trivia start");
    }
    report.games_memory = Some(bot.memory());

    // Warm-up: two players a guild answer the first question, which its starter then skips
    // (an open game's first question runs its full time: nobody was playing when it was
    // asked). From the second on, every player's click counts.
    load.warm_up(plan).await;
    skip_first_questions(&fake, &guilds).await;
    // Their second questions come up together 5 s later: measure from when they are all up.
    load.wait_for_next_questions(LONG).await;

    let cpu_before = bot.cpu();
    let postgres = database_url.starts_with("postgres");
    let server_before = scale_support::cpu_of_processes_named("postgres");
    println!("{name}: pid {}, clicking", bot.pid());
    load.clicks(plan, plan.clicks(), &mut report).await;
    report.cpu = bot.cpu().saturating_sub(cpu_before);
    if postgres {
        let server_after = scale_support::cpu_of_processes_named("postgres");
        report.db_server_cpu = Some(scale_support::cpu_between(&server_before, &server_after));
    }
    report.peak_memory = bot.peak_memory();

    // Let the last questions reveal (results are committed before the reveal), then stop.
    load.wait_for_reveals(Duration::from_secs(30)).await;
    let (_code, log) = bot.terminate(Duration::from_secs(60));
    report.problems = log_problems(&log);
    report.violations = violations(&fake);
    report.db_answers = Some(db_answers(database_url, &load.guilds).await);
    report
}

/// `/trivia start` in every guild, 100 a second; the time to each first response (a defer).
async fn start_games(
    fake: &Arc<FakeDiscord>,
    guilds: &[GuildPlan],
    rounds: u32,
    report: &mut Report,
) {
    let book = Arc::new(Mutex::new(Book::default()));
    let collector = collect(fake.clone(), book.clone());
    for (g, plan) in guilds.iter().enumerate() {
        let at = Instant::now();
        let id = fake.slash_command(
            &plan.players[0],
            plan.channel,
            "trivia",
            json!({"start": {"rounds": rounds, "seconds": 300, "form": FORM_MULTIPLE_CHOICE}}),
        );
        let sent = Sent {
            at,
            guild: g,
            player: 0,
        };
        book.lock().unwrap().pending.insert(id, sent);
        if g % 10 == 9 {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    drain(fake, &book, collector, LONG).await;
    let mut book = book.lock().unwrap();
    report.start_unanswered = book.pending.len() as u64;
    report.start_latencies = std::mem::take(&mut book.latencies);
}

/// `/trivia skip` by each game's starter, 100 a second: ends the warm-up question.
async fn skip_first_questions(fake: &Arc<FakeDiscord>, guilds: &[GuildPlan]) {
    let mut ids = Vec::new();
    for (g, plan) in guilds.iter().enumerate() {
        ids.push(fake.slash_command(
            &plan.players[0],
            plan.channel,
            "trivia",
            json!({"skip": {}}),
        ));
        if g % 10 == 9 {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let deadline = Instant::now() + LONG;
    let missing = loop {
        let missing = ids
            .iter()
            .filter(|id| fake.response(**id).is_none())
            .count();
        if missing == 0 || Instant::now() > deadline {
            break missing;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    if missing > 0 {
        eprintln!("{missing} /trivia skip command(s) got no response");
    }
}

/// The answers the database counted in the plan's guilds (all-time boards).
async fn db_answers(url: &str, guilds: &[GuildPlan]) -> i64 {
    let store = trivia_bot::store::Store::connect(url)
        .await
        .expect("open the bot's database");
    let now = chrono::Utc::now().timestamp_millis();
    let mut total = 0;
    for g in guilds {
        let rows = store
            .leaderboard(g.id, trivia_bot::store::Board::AllTime, now, 0, 10_000)
            .await
            .expect("read a leaderboard");
        total += rows.iter().map(|r| r.answered).sum::<i64>();
    }
    store.close().await;
    total
}

// ---- the load itself ------------------------------------------------------------------------

/// What players click in a guild.
#[derive(Debug, Clone)]
enum Target {
    /// The same message, always clickable (the baseline's).
    Fixed { message: u64, buttons: Vec<String> },
    /// The newest question of the channel with live answer buttons (trivia-bot's).
    Question {
        channel: u64,
        /// The question the last burst clicked on, and when the next one may be up.
        last: Option<u64>,
        not_before: Option<Instant>,
    },
}

impl Target {
    fn fixed(message: u64, buttons: &[&str]) -> Target {
        Target::Fixed {
            message,
            buttons: buttons.iter().map(|b| (*b).to_owned()).collect(),
        }
    }

    fn question(channel: u64) -> Target {
        Target::Question {
            channel,
            last: None,
            not_before: None,
        }
    }
}

/// The newest message of `channel` with live answer buttons: (id, custom_ids).
fn live_question(fake: &FakeDiscord, channel: u64) -> Option<(u64, Vec<String>)> {
    fake.channel_messages(channel)
        .into_iter()
        .rev()
        .find_map(|m| {
            let live: Vec<String> = m
                .buttons()
                .into_iter()
                .filter(|b| !b.disabled)
                .filter_map(|b| b.custom_id)
                .filter(|id| id.starts_with("t:a:"))
                .collect();
            (!live.is_empty()).then_some((m.id, live))
        })
}

/// A click in flight.
struct Sent {
    at: Instant,
    guild: usize,
    player: usize,
}

/// What the collector has seen.
#[derive(Default)]
struct Book {
    pending: HashMap<u64, Sent>,
    latencies: Vec<Duration>,
    accepted: u64,
    other: HashMap<String, u64>,
    /// Players whose answer was accepted at least once, per guild.
    known: Vec<Vec<bool>>,
    /// Whether replies are trivia-bot's (classified by text) or the baseline's.
    classify: bool,
}

impl Book {
    /// Moves every answered click from `pending` to the figures.
    /// The latency is from dispatch to the callback's arrival at the fake (recorded there),
    /// however late the sweep sees it.
    fn sweep(&mut self, fake: &FakeDiscord) {
        let answered: Vec<(u64, Instant, String)> = self
            .pending
            .keys()
            .filter_map(|id| {
                let record = fake.interaction(*id)?;
                let at = record.responded_at?;
                let text = record
                    .response
                    .and_then(|r| r.data["content"].as_str().map(str::to_owned))
                    .unwrap_or_default();
                Some((*id, at, text))
            })
            .collect();
        for (id, at, text) in answered {
            let sent = self.pending.remove(&id).expect("listed above");
            self.latencies.push(at.saturating_duration_since(sent.at));
            if !self.classify {
                continue;
            }
            if text.starts_with("🔒 Locked in") {
                self.accepted += 1;
                self.known[sent.guild][sent.player] = true;
            } else {
                let key: String = text.chars().take(60).collect();
                *self.other.entry(key).or_default() += 1;
            }
        }
    }
}

struct Load {
    fake: Arc<FakeDiscord>,
    guilds: Vec<GuildPlan>,
    targets: Mutex<Vec<Target>>,
    book: Arc<Mutex<Book>>,
}

impl Load {
    fn new(
        fake: Arc<FakeDiscord>,
        guilds: Vec<GuildPlan>,
        targets: Vec<Target>,
        classify: bool,
    ) -> Load {
        let book = Book {
            known: guilds
                .iter()
                .map(|g| vec![false; g.players.len()])
                .collect(),
            classify,
            ..Book::default()
        };
        Load {
            fake,
            guilds,
            targets: Mutex::new(targets),
            book: Arc::new(Mutex::new(book)),
        }
    }

    /// Waits until every guild shows a question; returns how many do not by the timeout.
    async fn wait_for_questions(&self, timeout: Duration) -> usize {
        let deadline = Instant::now() + timeout;
        let mut missing = 0;
        for g in &self.guilds {
            while live_question(&self.fake, g.channel).is_none() {
                if Instant::now() > deadline {
                    missing += 1;
                    break;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        missing
    }

    /// Waits until every guild shows a question other than the one its players clicked last.
    async fn wait_for_next_questions(&self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        let lasts: Vec<(u64, Option<u64>)> = self
            .targets
            .lock()
            .unwrap()
            .iter()
            .filter_map(|t| match t {
                Target::Question { channel, last, .. } => Some((*channel, *last)),
                Target::Fixed { .. } => None,
            })
            .collect();
        for (channel, last) in lasts {
            while Instant::now() < deadline
                && live_question(&self.fake, channel).is_none_or(|(id, _)| Some(id) == last)
            {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }

    /// Two players a guild answer the first question (which joins them). Returns the clicks
    /// sent. The question is skipped after, so neither its figures nor its answers count.
    async fn warm_up(&self, plan: &Plan) -> u64 {
        let (before, accepted) = {
            let book = self.book.lock().unwrap();
            (book.latencies.len(), book.accepted)
        };
        let mut queue = VecDeque::new();
        let mut targets = self.targets.lock().unwrap().clone();
        for (g, target) in targets.iter_mut().enumerate() {
            if let Some((message, buttons)) = self.next_question(target) {
                for p in 0..2 {
                    queue.push_back((g, p, message, buttons.clone()));
                }
            }
        }
        *self.targets.lock().unwrap() = targets;
        let sent = queue.len() as u64;
        let collector = collect(self.fake.clone(), self.book.clone());
        self.dispatch_at(plan.rate, sent, || queue.pop_front())
            .await;
        drain(&self.fake, &self.book, collector, Duration::from_secs(30)).await;
        let mut book = self.book.lock().unwrap();
        book.latencies.truncate(before);
        book.accepted = accepted;
        sent
    }

    /// The next question to click in a guild, if it is up (and not the one clicked last).
    fn next_question(&self, target: &mut Target) -> Option<(u64, Vec<String>)> {
        match target {
            Target::Fixed { message, buttons } => Some((*message, buttons.clone())),
            Target::Question {
                channel,
                last,
                not_before,
            } => {
                if not_before.is_some_and(|t| Instant::now() < t) {
                    return None;
                }
                let (id, buttons) = live_question(&self.fake, *channel)?;
                if Some(id) == *last {
                    return None;
                }
                *last = Some(id);
                *not_before = Some(Instant::now() + REVEAL_WAIT);
                Some((id, buttons))
            }
        }
    }

    /// The measured phase: `count` clicks at the plan's rate, a guild's players together.
    async fn clicks(&self, plan: &Plan, count: u64, report: &mut Report) {
        let mut queue: VecDeque<(usize, usize, u64, Vec<String>)> = VecDeque::new();
        let mut next_guild = 0;
        let collector = collect(self.fake.clone(), self.book.clone());
        let harness_before = scale_support::cpu_of(std::process::id()).unwrap_or_default();
        let started = Instant::now();
        let sent = self
            .dispatch_at(plan.rate, count, || {
                if queue.is_empty() {
                    self.refill(&mut queue, &mut next_guild);
                }
                queue.pop_front()
            })
            .await;
        let elapsed = started.elapsed();
        drain(&self.fake, &self.book, collector, Duration::from_secs(20)).await;
        report.harness_cpu = scale_support::cpu_of(std::process::id())
            .unwrap_or_default()
            .saturating_sub(harness_before);
        let mut book = self.book.lock().unwrap();
        report.sent += sent;
        report.elapsed = elapsed;
        report.latencies = std::mem::take(&mut book.latencies);
        report.unanswered = book.pending.len() as u64;
        report.accepted = book.accepted;
        report.other_replies = std::mem::take(&mut book.other);
    }

    /// Queues a burst: every player of the next guild whose question is up, players who have
    /// not answered yet first (so a question does not end before they are in).
    fn refill(
        &self,
        queue: &mut VecDeque<(usize, usize, u64, Vec<String>)>,
        next_guild: &mut usize,
    ) {
        let mut targets = self.targets.lock().unwrap();
        for _ in 0..self.guilds.len() {
            let g = *next_guild;
            *next_guild = (*next_guild + 1) % self.guilds.len();
            let Some((message, buttons)) = self.next_question(&mut targets[g]) else {
                continue;
            };
            let known = self.book.lock().unwrap().known[g].clone();
            let (old, new): (Vec<usize>, Vec<usize>) =
                (0..self.guilds[g].players.len()).partition(|p| known[*p]);
            for p in new.into_iter().chain(old) {
                queue.push_back((g, p, message, buttons.clone()));
            }
            return;
        }
    }

    /// Sends clicks from `next` at `rate` a second until `count` are sent or `next` runs dry
    /// for a second. Returns the clicks sent.
    async fn dispatch_at(
        &self,
        rate: u64,
        count: u64,
        mut next: impl FnMut() -> Option<(usize, usize, u64, Vec<String>)>,
    ) -> u64 {
        let started = Instant::now();
        let mut sent = 0;
        let mut idle_since: Option<Instant> = None;
        let mut rng = rand::rng();
        while sent < count {
            let due = ((started.elapsed().as_secs_f64() * rate as f64) as u64).min(count);
            while sent < due {
                let Some((g, p, message, buttons)) = next() else {
                    break;
                };
                idle_since = None;
                let user: &FakeUser = &self.guilds[g].players[p];
                let button = buttons.choose(&mut rng).expect("a question has buttons");
                let at = Instant::now();
                let id = self.fake.click_unchecked(user, message, button);
                self.book.lock().unwrap().pending.insert(
                    id,
                    Sent {
                        at,
                        guild: g,
                        player: p,
                    },
                );
                sent += 1;
            }
            if sent < due {
                // Nothing to click now (every guild between questions): wait, but not forever.
                let since = *idle_since.get_or_insert_with(Instant::now);
                if since.elapsed() > REVEAL_WAIT * 2 {
                    eprintln!(
                        "no question to click on for {:?}: stopping early",
                        since.elapsed()
                    );
                    break;
                }
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        sent
    }

    /// Waits until the questions clicked last show their reveal (results are committed first).
    async fn wait_for_reveals(&self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        let lasts: Vec<u64> = self
            .targets
            .lock()
            .unwrap()
            .iter()
            .filter_map(|t| match t {
                Target::Question { last, .. } => *last,
                Target::Fixed { .. } => None,
            })
            .collect();
        for message in lasts {
            loop {
                let revealed = self.fake.message(message).is_some_and(|m| {
                    let buttons = m.buttons();
                    !buttons.is_empty() && buttons.iter().all(|b| b.disabled)
                });
                if revealed || Instant::now() > deadline {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
}

/// Watches the fake for responses to the book's pending interactions until stopped.
fn collect(fake: Arc<FakeDiscord>, book: Arc<Mutex<Book>>) -> Collector {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let task = tokio::spawn(async move {
        loop {
            let _ = fake
                .wait_until(Duration::from_millis(50), "responses", |f| {
                    let mut book = book.lock().unwrap();
                    book.sweep(f);
                    flag.load(Ordering::Relaxed) && book.pending.is_empty()
                })
                .await;
            if flag.load(Ordering::Relaxed) && book.lock().unwrap().pending.is_empty() {
                break;
            }
        }
    });
    (stop, task)
}

type Collector = (Arc<AtomicBool>, tokio::task::JoinHandle<()>);

/// Waits (at most `timeout`) for the last responses, then stops the collector. What is
/// still pending then stays in the book, unanswered.
async fn drain(fake: &FakeDiscord, book: &Mutex<Book>, (stop, task): Collector, timeout: Duration) {
    stop.store(true, Ordering::Relaxed);
    let abort = task.abort_handle();
    if tokio::time::timeout(timeout, task).await.is_err() {
        abort.abort();
        book.lock().unwrap().sweep(fake);
    }
}

// ---- the report -----------------------------------------------------------------------------

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn mb(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}

fn cpu_per_interaction(r: &Report) -> Option<Duration> {
    let handled = r.latencies.len() as u32;
    (handled > 0).then(|| r.cpu / handled)
}

fn print_table(reports: &[Report]) {
    println!();
    println!(
        "{:<26} {:>8} {:>8} {:>8} {:>8} {:>8} {:>10} {:>9} {:>11} {:>9}",
        "bot",
        "clicks",
        "per s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "unanswered",
        "CPU s",
        "CPU us/click",
        "peak MB"
    );
    for r in reports {
        let mut sorted = r.latencies.clone();
        sorted.sort_unstable();
        let rate = sorted.len() as f64 / r.elapsed.as_secs_f64().max(1e-9);
        println!(
            "{:<26} {:>8} {:>8.0} {:>8} {:>8} {:>8} {:>10} {:>9.2} {:>11.0} {:>9}",
            r.name,
            r.sent,
            rate,
            ms(percentile(&sorted, 50.0)),
            ms(percentile(&sorted, 99.0)),
            ms(sorted.last().copied().unwrap_or_default()),
            r.unanswered,
            r.cpu.as_secs_f64(),
            cpu_per_interaction(r).map_or(0.0, |d| d.as_secs_f64() * 1e6),
            mb(r.peak_memory),
        );
    }
    println!();
    for r in reports {
        println!(
            "{}: the fake Discord and driver used {:.2} s CPU in the same {:.1} s",
            r.name,
            r.harness_cpu.as_secs_f64(),
            r.elapsed.as_secs_f64()
        );
    }
    let baseline = reports
        .iter()
        .find(|r| r.name == "serenity-baseline")
        .and_then(cpu_per_interaction);
    for r in reports.iter().filter(|r| r.name != "serenity-baseline") {
        if let (Some(base), Some(ours)) = (baseline, cpu_per_interaction(r)) {
            println!(
                "{}: CPU per click {:.2}x the serenity baseline's (target: within 1.5x)",
                r.name,
                ours.as_secs_f64() / base.as_secs_f64().max(1e-12)
            );
        }
        if let (Some(base), Some(server)) = (baseline, r.db_server_cpu) {
            let per_click = server.as_secs_f64() / r.latencies.len().max(1) as f64;
            let with_server = cpu_per_interaction(r).map_or(0.0, |d| d.as_secs_f64()) + per_click;
            println!(
                "{}: the PostgreSQL server used {:.2} s CPU in the same phase ({:.0} us/click); \
                 bot and server together {:.0} us/click, {:.2}x the baseline",
                r.name,
                server.as_secs_f64(),
                per_click * 1e6,
                with_server * 1e6,
                with_server / base.as_secs_f64().max(1e-12)
            );
        }
        if let Some(mem) = r.games_memory {
            println!(
                "{}: {} games running in {} MB resident (target: 1000 games under 100 MB)",
                r.name,
                r.games,
                mb(mem)
            );
        }
        let mut starts = r.start_latencies.clone();
        starts.sort_unstable();
        println!(
            "{}: /trivia start x{} ({} unanswered): p50 {} ms, p99 {} ms, max {} ms",
            r.name,
            starts.len(),
            r.start_unanswered,
            ms(percentile(&starts, 50.0)),
            ms(percentile(&starts, 99.0)),
            ms(starts.last().copied().unwrap_or_default())
        );
        let others: u64 = r.other_replies.values().sum();
        println!(
            "{}: answers locked in {} (incl. warm-up), other replies {}",
            r.name, r.accepted, others
        );
        for (text, n) in &r.other_replies {
            println!("    {n} x {text:?}");
        }
        if let Some(db) = r.db_answers {
            let verdict = if db == r.accepted as i64 {
                "match"
            } else {
                "MISMATCH"
            };
            println!(
                "{}: database answers {db} vs locked in {}: {verdict}",
                r.name, r.accepted
            );
        }
    }
    for r in reports {
        if !r.violations.is_empty() {
            println!(
                "{}: Discord rules broken (seen by the fake): {:?}",
                r.name, r.violations
            );
        }
        if !r.problems.is_empty() {
            println!(
                "{}: {} warning/error lines in its log, first ones:",
                r.name,
                r.problems.len()
            );
            for line in r.problems.iter().take(5) {
                println!("    {line}");
            }
        }
    }
}
