//! Shared set-up for the Discord end-to-end tests: a fake Discord with one server, the real
//! bot (the same `trivia_bot::discord::run_until` the binary runs) pointed at it through
//! `DISCORD_API_BASE`, a SQLite test database, and helpers that act like players.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use trivia_bot::discord::{BotConfig, Shards, StartError, Token};
use trivia_bot::facts::PackSet;
use trivia_bot::quiz::{Form, Question, generate};

use crate::fake_discord::{FakeConfig, FakeDiscord, FakeGuild, FakeUser, MessageView, perms};

pub const WAIT: Duration = Duration::from_secs(20);
pub const GUILD: u64 = 900_000_000_000_000_001;
pub const CHANNEL: u64 = 900_000_000_000_000_101;
pub const OTHER_CHANNEL: u64 = 900_000_000_000_000_102;
pub const MOD_ROLE: u64 = 900_000_000_000_000_201;
/// A role with no permissions; a server can make it its quiz-master role.
pub const QUIZ_ROLE: u64 = 900_000_000_000_000_202;

/// The invented pack the games ask from (tests/packs/game_mini.toml).
pub const PACK_FILE: &str = "game_mini.toml";

pub fn alice() -> FakeUser {
    FakeUser::new(910_000_000_000_000_001, "alice")
}

pub fn bob() -> FakeUser {
    FakeUser::new(910_000_000_000_000_002, "bob")
}

/// Alice moderates (Manage Server); Bob is a plain member with the (not yet configured)
/// quiz-master role.
pub fn fake_config() -> FakeConfig {
    let guild = FakeGuild::new(GUILD, "Starlight Fans")
        .channel(CHANNEL, "trivia")
        .channel(OTHER_CHANNEL, "general")
        .role(MOD_ROLE, "Moderator", perms::MANAGE_GUILD)
        .role(QUIZ_ROLE, "Quiz master", 0)
        .member(&alice(), &[MOD_ROLE])
        .member(&bob(), &[QUIZ_ROLE])
        .owner(910_000_000_000_000_099);
    FakeConfig {
        guilds: vec![guild],
        heartbeat_interval: Duration::from_millis(1_000),
        ..FakeConfig::default()
    }
}

pub fn init_logs() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter("info,serenity=warn,poise=warn,sqlx=warn")
        .with_test_writer()
        .try_init();
}

/// A folder with the test pack, and a SQLite database file beside it.
pub struct Files {
    pub dir: tempfile::TempDir,
}

impl Files {
    pub fn new() -> Files {
        let dir = tempfile::tempdir().expect("a temp dir");
        let questions = dir.path().join("questions");
        std::fs::create_dir(&questions).unwrap();
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/packs")
            .join(PACK_FILE);
        std::fs::copy(source, questions.join(PACK_FILE)).expect("copy the test pack");
        Files { dir }
    }

    pub fn questions_dir(&self) -> PathBuf {
        self.dir.path().join("questions")
    }

    pub fn database_url(&self) -> String {
        format!("sqlite://{}", self.dir.path().join("trivia.db").display())
    }

    pub fn config(&self, fake: &FakeDiscord) -> BotConfig {
        BotConfig {
            token: Token::new(fake.token()).unwrap(),
            database_url: self.database_url(),
            questions_dir: self.questions_dir(),
            dev_guild: None,
            api_base: Some(fake.base_url().to_owned()),
            typed_answers: false,
            shards: Shards::Auto,
            clock: Default::default(),
        }
    }
}

/// The bot running in-process on a tokio task.
pub struct RunningBot {
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<(), StartError>>,
}

impl RunningBot {
    pub fn start(config: BotConfig) -> RunningBot {
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(trivia_bot::discord::run_until(config, async move {
            let _ = stopped.await;
        }));
        RunningBot {
            stop: Some(stop),
            task,
        }
    }

    /// Ctrl-C: the bot ends its games and returns.
    pub async fn stop(mut self) -> Result<(), StartError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        tokio::time::timeout(WAIT, &mut self.task)
            .await
            .expect("the bot stops in time")
            .expect("the bot task does not panic")
    }
}

/// A fake Discord, the bot connected to it, and the files they use.
pub struct World {
    pub fake: FakeDiscord,
    pub files: Files,
    pub bot: Option<RunningBot>,
}

impl World {
    pub async fn start() -> World {
        World::start_with(|_| {}).await
    }

    pub async fn start_with(adjust: impl FnOnce(&mut BotConfig)) -> World {
        World::start_on(fake_config(), adjust).await
    }

    /// The bot on a fake Discord configured by the test.
    pub async fn start_on(fake: FakeConfig, adjust: impl FnOnce(&mut BotConfig)) -> World {
        init_logs();
        let fake = FakeDiscord::start(fake).await;
        let files = Files::new();
        let mut config = files.config(&fake);
        adjust(&mut config);
        let bot = RunningBot::start(config);
        fake.wait_for_ready(1, WAIT)
            .await
            .expect("the bot connects");
        World {
            fake,
            files,
            bot: Some(bot),
        }
    }

    /// Runs a slash command and waits for its first response.
    pub async fn command(&self, user: &FakeUser, name: &str, options: Value) -> (u64, Value) {
        self.command_in(user, CHANNEL, name, options).await
    }

    pub async fn command_in(
        &self,
        user: &FakeUser,
        channel: u64,
        name: &str,
        options: Value,
    ) -> (u64, Value) {
        let id = self.fake.slash_command(user, channel, name, options);
        let response = self
            .fake
            .wait_for_response(id, WAIT)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        (id, json!({"type": response.kind, "data": response.data}))
    }

    /// The text of an interaction's reply, whether sent at once or after a defer.
    pub async fn reply_text(&self, interaction: u64) -> String {
        let response = self
            .fake
            .wait_for_response(interaction, WAIT)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        if response.kind == 5 {
            // After a defer, poise sends its reply as a follow-up (Discord shows the first
            // one in place of the "thinking" message).
            let m = self
                .fake
                .wait_for(WAIT, "the deferred reply", |f| {
                    f.original_response(interaction)
                        .filter(|m| !m.is_loading())
                        .or_else(|| f.followups(interaction).into_iter().next())
                })
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            return m.text();
        }
        let data = &response.data;
        let mut text = data["content"].as_str().unwrap_or_default().to_owned();
        for e in data["embeds"].as_array().into_iter().flatten() {
            for key in ["title", "description"] {
                if let Some(s) = e[key].as_str() {
                    text.push('\n');
                    text.push_str(s);
                }
            }
            for f in e["fields"].as_array().into_iter().flatten() {
                text.push('\n');
                text.push_str(f["name"].as_str().unwrap_or_default());
                text.push('\n');
                text.push_str(f["value"].as_str().unwrap_or_default());
            }
        }
        text
    }

    /// Whether an interaction was answered privately.
    pub async fn is_ephemeral(&self, interaction: u64) -> bool {
        let response = self
            .fake
            .wait_for_response(interaction, WAIT)
            .await
            .unwrap();
        response.data["flags"].as_u64().unwrap_or(0) & 64 != 0
    }

    /// Clicks a button and returns the bot's private reply.
    pub async fn click(&self, user: &FakeUser, message: u64, custom_id: &str) -> String {
        let id = self.fake.click(user, message, custom_id);
        let text = self.reply_text(id).await;
        assert!(
            self.is_ephemeral(id).await,
            "the reply to a click is ephemeral: {text}"
        );
        text
    }

    /// Question 1 of an open game as a warm-up: each player clicks an answer (which joins
    /// them), then `starter` skips it. Question 1 of an open game runs its full time (nobody
    /// was playing when it was asked); from question 2 on these players are known, so a
    /// question ends as soon as they have all answered.
    pub async fn join_on_first_question(&self, starter: &FakeUser, players: &[&FakeUser]) {
        let q = self.question(1).await;
        let (right, _) = right_and_wrong(&q);
        for player in players {
            let locked = self.click(player, q.id, &right).await;
            assert!(locked.starts_with("🔒"), "{locked}");
        }
        let (skip, _) = self.command(starter, "trivia", json!({"skip": {}})).await;
        let said = self.reply_text(skip).await;
        assert!(said.contains("kip"), "{said}");
        self.reveal(q.id).await;
    }

    /// Waits for the message of question `n` (1-based) with live buttons.
    pub async fn question(&self, n: usize) -> MessageView {
        let prefix = format!("Question {n}/");
        self.fake
            .wait_for_message(
                CHANNEL,
                |m| title(m).starts_with(&prefix) && m.buttons().iter().any(|b| !b.disabled),
                WAIT,
            )
            .await
            .unwrap_or_else(|e| panic!("question {n}: {e}"))
    }

    /// Waits until question `n`'s message shows its reveal (buttons disabled).
    pub async fn reveal(&self, message: u64) -> MessageView {
        self.fake
            .wait_for(WAIT, "the reveal edit", |f| {
                f.message(message)
                    .filter(|m| !m.buttons().is_empty() && m.buttons().iter().all(|b| b.disabled))
            })
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Waits for the final standings.
    pub async fn standings(&self) -> MessageView {
        self.fake
            .wait_for_message(CHANNEL, |m| title(m).contains("Final standings"), WAIT)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }

    pub async fn stop_bot(&mut self) -> Result<(), StartError> {
        self.bot.take().expect("a running bot").stop().await
    }
}

pub fn title(m: &MessageView) -> String {
    m.embeds
        .first()
        .and_then(|e| e["title"].as_str())
        .unwrap_or_default()
        .to_owned()
}

pub fn description(m: &MessageView) -> String {
    m.embeds
        .first()
        .and_then(|e| e["description"].as_str())
        .unwrap_or_default()
        .to_owned()
}

/// Every question the test pack can yield (any seed gives the same prompts and answers for
/// multiple-choice and typed questions; only option order and distractors vary).
pub fn pack_questions() -> Vec<Question> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/packs")
        .join(PACK_FILE);
    let set = PackSet::load_paths(&[dir]);
    let pack = set.packs.first().expect("the test pack loads");
    generate(pack)
}

/// The right answers of a question shown with this prompt (several facts may share one).
pub fn right_answers(prompt: &str, form: Form) -> Vec<String> {
    let answers: Vec<String> = pack_questions()
        .into_iter()
        .filter(|q| q.form == form && q.prompt == prompt)
        .flat_map(|q| {
            let mut all = q.accepted.clone();
            all.push(q.answer.clone());
            all
        })
        .collect();
    assert!(
        !answers.is_empty(),
        "no question of the pack has the prompt {prompt:?}"
    );
    answers
}

/// The prompt of a question message (its description up to the first blank line).
pub fn prompt_of(m: &MessageView) -> String {
    description(m)
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// The custom_ids of the right and of a wrong button of a multiple-choice question message.
pub fn right_and_wrong(m: &MessageView) -> (String, String) {
    let answers = right_answers(&prompt_of(m), Form::MultipleChoice);
    let mut right = None;
    let mut wrong = None;
    for b in m.buttons() {
        let label = b.label.clone().unwrap_or_default();
        let text = label
            .split_once(". ")
            .map_or(label.as_str(), |(_, t)| t)
            .to_owned();
        if answers.contains(&text) {
            right = b.custom_id.clone();
        } else {
            wrong = wrong.or(b.custom_id.clone());
        }
    }
    (
        right.unwrap_or_else(|| {
            panic!(
                "no button shows a right answer {answers:?}: {:?}",
                m.buttons()
            )
        }),
        wrong.expect("a wrong choice"),
    )
}

/// A read-only look at the bot's database.
pub async fn open_store(files: &Files) -> trivia_bot::store::Store {
    trivia_bot::store::Store::connect(&files.database_url())
        .await
        .expect("the test database opens")
}
