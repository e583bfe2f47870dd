//! Running games. Each game is owned by one tokio task (DESIGN principle 2): every click,
//! modal, chat answer, command and timer reaches the engine through that task's queue, so
//! inputs are applied one at a time. The task answers the sender at once (the engine step
//! takes microseconds) and hands the effects to the game's *publisher* task, which does the
//! slow work in order: store writes, then Discord REST calls, then the saved snapshot.
//!
//! Ordering that keeps scores exact across crashes:
//! - a question's results are committed (one transaction, idempotent per player) before its
//!   reveal is shown, and before any later snapshot is saved;
//! - a snapshot is saved only after the effects before it were published, so a restart
//!   resumes from a state whose scored questions are in the database. Re-recording a
//!   question after a restart counts nobody twice.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use poise::serenity_prelude::{self as serenity, ChannelId, Http, MessageId};
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, oneshot};
use tracing::{error, info, warn};

use super::render::game::{self as view, Clock, GameInfo};
use super::render::info::escape;
use super::render::out;
use super::startup::ShardPlan;
use super::{Data, now_ms};
use crate::game::{Effect, Game, Input, MAX_HINTS, Phase, PlayerRef, Timer, hint_text};
use crate::quiz::{Form, Question};
use crate::store::{self, GameSnapshot, GameWriter, QuestionResults, Store};

/// How long shut-down waits for each game to post its note and save.
const SUSPEND_TIMEOUT: Duration = Duration::from_secs(15);

/// Posted in a game's channel when the bot stops (Ctrl-C, SIGTERM).
const SUSPENDED: &str = "⏸ The bot is restarting, so this game is paused. It goes on when the bot \
     is back; the scores so far are saved.";

/// Who runs a game and where. Saved with the game.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub guild: u64,
    pub channel: u64,
    pub started_by: u64,
    pub info: GameInfo,
}

/// The running games of this process, one per channel.
#[derive(Default)]
pub struct Games {
    running: Mutex<HashMap<u64, GameHandle>>,
    /// Who else wants a game's published effects (quiz events: rulings, round ends).
    observers: Observers,
}

/// Receives `(game id, effect)` for every effect a game published, after it was published
/// (a reveal after its results were committed, the end after the game was finished).
pub type Observer = mpsc::UnboundedSender<(i64, Effect)>;

type Observers = Arc<Mutex<HashMap<i64, Observer>>>;

/// A way to reach a running game's task.
#[derive(Clone)]
pub struct GameHandle {
    pub game_id: i64,
    pub guild: u64,
    pub channel: u64,
    pub started_by: u64,
    pub chat_answers: bool,
    tx: mpsc::Sender<Msg>,
}

/// What a game's task can be asked.
enum Msg {
    /// An engine input; the effects it caused come back.
    Input {
        input: Input,
        reply: oneshot::Sender<Vec<Effect>>,
    },
    /// A typed answer in the channel, for the question open now.
    Chat {
        player: PlayerRef,
        text: String,
        message: u64,
    },
    /// What is being asked now.
    Status { reply: oneshot::Sender<Status> },
    /// `/trivia hint`: post the next letter hint of the open typed question.
    Hint {
        reply: oneshot::Sender<Result<String, &'static str>>,
    },
    /// The bot is stopping: save the game for the next start, say so, then report.
    Suspend { done: oneshot::Sender<()> },
}

/// A running game's current question, for handlers that need it before sending an input.
#[derive(Debug, Clone)]
pub struct Status {
    /// The open question (None between questions, paused or over).
    pub open: Option<(usize, Arc<Question>)>,
}

/// The game is over or its task has gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gone;

impl Games {
    pub fn new() -> Games {
        Games::default()
    }

    /// The game running in `channel`, if any.
    pub fn get(&self, channel: u64) -> Option<GameHandle> {
        self.lock().get(&channel).cloned()
    }

    /// How many games this process runs (the `trivia_games_running` metric).
    pub fn count(&self) -> usize {
        self.lock().len()
    }

    /// Sends `observer` what game `game_id` publishes from now on (also after a restart, if
    /// set before the game resumes).
    pub fn observe(&self, game_id: i64, observer: Observer) {
        lock_observers(&self.observers).insert(game_id, observer);
    }

    pub fn unobserve(&self, game_id: i64) {
        lock_observers(&self.observers).remove(&game_id);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, GameHandle>> {
        // A panic while holding this lock cannot leave the map half-changed.
        self.running.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn remove(&self, channel: u64, game_id: i64) {
        let mut running = self.lock();
        if running.get(&channel).is_some_and(|h| h.game_id == game_id) {
            running.remove(&channel);
        }
    }

    /// Stops every running game's task cleanly for a shut-down: each posts a note in its
    /// channel and saves its state (revealed questions are already committed), so the next
    /// start resumes it. Waits for each at most [`SUSPEND_TIMEOUT`].
    pub async fn suspend_all(&self) {
        let handles: Vec<GameHandle> = self.lock().values().cloned().collect();
        let mut waits = Vec::new();
        for handle in handles {
            let (done, wait) = oneshot::channel();
            if handle.tx.send(Msg::Suspend { done }).await.is_ok() {
                waits.push((handle.game_id, wait));
            }
        }
        for (game_id, wait) in waits {
            if tokio::time::timeout(SUSPEND_TIMEOUT, wait).await.is_err() {
                warn!(game_id, "a game was not saved in time");
            }
        }
    }

    /// Starts the task of a new game and asks its first question. Fails (giving the game
    /// back) if the channel already has one.
    pub fn start(
        &self,
        bot: &Data,
        http: Arc<Http>,
        meta: Meta,
        game: Game,
    ) -> Result<GameHandle, GameHandle> {
        let mut running = self.lock();
        if let Some(existing) = running.get(&meta.channel) {
            return Err(existing.clone());
        }
        let handle = spawn(bot.clone(), http, meta, game, Launch::New, BTreeMap::new());
        running.insert(handle.channel, handle.clone());
        Ok(handle)
    }
}

impl GameHandle {
    /// Applies `input`; returns its effects (for the reply to whoever sent it).
    pub async fn send(&self, input: Input) -> Result<Vec<Effect>, Gone> {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send(Msg::Input { input, reply })
            .await
            .map_err(|_| Gone)?;
        rx.await.map_err(|_| Gone)
    }

    pub async fn status(&self) -> Result<Status, Gone> {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send(Msg::Status { reply })
            .await
            .map_err(|_| Gone)?;
        rx.await.map_err(|_| Gone)
    }

    pub async fn hint(&self) -> Result<Result<String, &'static str>, Gone> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(Msg::Hint { reply }).await.map_err(|_| Gone)?;
        rx.await.map_err(|_| Gone)
    }

    /// A typed answer seen in the channel (no reply: the reveal acknowledges it).
    pub async fn chat(&self, player: PlayerRef, text: String, message: u64) {
        let _ = self
            .tx
            .send(Msg::Chat {
                player,
                text,
                message,
            })
            .await;
    }
}

/// How a game's task begins.
enum Launch {
    /// Ask the first question.
    New,
    /// Go on after a restart (the snapshot was saved at `saved_at`).
    Restored { saved_at: i64 },
    /// The game's time ran out while the bot was away: score the open question, then end.
    Expired { saved_at: i64 },
}

fn spawn(
    bot: Data,
    http: Arc<Http>,
    meta: Meta,
    game: Game,
    launch: Launch,
    messages: BTreeMap<usize, u64>,
) -> GameHandle {
    let (tx, rx) = mpsc::channel(256);
    let handle = GameHandle {
        game_id: meta.info.game_id,
        guild: meta.guild,
        channel: meta.channel,
        started_by: meta.started_by,
        chat_answers: meta.info.chat_answers,
        tx,
    };
    let (publish, published) = mpsc::unbounded_channel();
    let publisher = Publisher {
        http,
        store: bot.store.clone(),
        meta: meta.clone(),
        messages,
        hint: None,
        named: Default::default(),
        writer: bot.writer.clone(),
        deck: serialized_deck(&game),
        unsaved: Vec::new(),
        observers: bot.games.observers.clone(),
    };
    let publisher = tokio::spawn(publisher.run(published));
    let owner = Owner {
        game,
        meta,
        publish,
        timer: None,
        hints: HashMap::new(),
        suspended: false,
        save_due: None,
        rounds_saved: 0,
        rounds_ruled: Default::default(),
    };
    tokio::spawn(async move {
        let (channel, game_id) = (owner.meta.channel, owner.meta.info.game_id);
        owner.run(rx, launch).await;
        if let Err(e) = publisher.await {
            error!(game_id, "the game's publisher failed: {e}");
        }
        bot.games.remove(channel, game_id);
        info!(game_id, channel, "game task ended");
    });
    handle
}

/// What the owner task hands the publisher.
enum Publish {
    Effect(Effect),
    /// The engine state after the effects before it.
    Snapshot {
        game: Box<serde_json::value::RawValue>,
        /// Revealed questions to save apart (new ones, or changed by a ruling), by index.
        rounds: BTreeMap<u32, String>,
        at: i64,
    },
    /// Show a hint on the open question.
    Hint {
        question: usize,
        text: String,
    },
    /// Answer, in the channel, the chat message that won a race.
    Winner {
        message: u64,
        name: String,
    },
    /// Add a line to the standings of a game that ends now.
    EndNote(&'static str),
    /// A message in the game's channel.
    Text(&'static str),
    /// Show the open question again after a restore.
    Reopen {
        index: usize,
        total: usize,
        question: Arc<Question>,
        clock: Clock,
    },
    /// Tell the sender when everything before this is published.
    Flush(oneshot::Sender<()>),
}

/// The task that owns a game's engine state.
struct Owner {
    game: Game,
    meta: Meta,
    publish: mpsc::UnboundedSender<Publish>,
    timer: Option<(i64, Timer)>,
    /// Hints given by `/trivia hint`, per question.
    hints: HashMap<usize, u8>,
    /// The bot is stopping: the task ends with the game saved, not over.
    suspended: bool,
    /// When answers locked in since the last save are saved (see [`ANSWER_SAVE_DELAY`]).
    save_due: Option<tokio::time::Instant>,
    /// Revealed questions before this index were handed to the publisher to save apart.
    rounds_saved: usize,
    /// Revealed questions a ruling changed since the last save.
    rounds_ruled: std::collections::BTreeSet<usize>,
}

/// Answers alone are saved for a restart at most this long after they came in, together:
/// a burst of clicks costs one save instead of one each. Every other change (a question
/// asked or revealed, a pause, ...) is saved at once. A crash loses at most this much of the
/// open question's answers; revealed questions are committed with their reveal either way.
const ANSWER_SAVE_DELAY: Duration = Duration::from_millis(1000);

impl Owner {
    async fn run(mut self, mut rx: mpsc::Receiver<Msg>, launch: Launch) {
        self.begin(launch, now_ms());
        while !self.game.is_over() && !self.suspended {
            let sleep = self.timer.map(|(at, _)| {
                let wait = u64::try_from(at.saturating_sub(now_ms())).unwrap_or(0);
                tokio::time::Instant::now() + Duration::from_millis(wait)
            });
            tokio::select! {
                msg = rx.recv() => match msg {
                    Some(msg) => self.message(msg),
                    // Every handle is gone: only happens when the process shuts down.
                    None => break,
                },
                () = sleep_until(sleep) => {
                    if let Some((_, timer)) = self.timer {
                        self.step(Input::Timer(timer), now_ms());
                    }
                }
                () = sleep_until(self.save_due) => self.save(),
            }
        }
        // Answer what is still queued: a finished game rejects it; a suspended one takes
        // nothing more (the senders hear the game is gone).
        rx.close();
        while let Ok(msg) = rx.try_recv() {
            if !self.suspended {
                self.message(msg);
            }
        }
    }

    /// Asks the first question, or picks a saved game up again.
    fn begin(&mut self, launch: Launch, now: i64) {
        match launch {
            Launch::New => {
                self.step(Input::Start, now);
            }
            Launch::Restored { saved_at } => {
                let fx = self.game.restore(saved_at, now);
                // The reopened question's end, unless catching up already moved past it.
                let asked_again = fx
                    .iter()
                    .any(|e| matches!(e, Effect::Asked { .. } | Effect::Revealed { .. }));
                let ends_at = fx
                    .iter()
                    .find_map(|e| match e {
                        Effect::Restored { ends_at, .. } => *ends_at,
                        _ => None,
                    })
                    .filter(|_| !asked_again);
                self.after(fx);
                self.reopen(ends_at, now);
            }
            Launch::Expired { saved_at } => {
                self.send(Publish::EndNote(
                    "The bot was away until this game's time ran out, so it ends here.",
                ));
                // The saved clock stands at `saved_at`: let the open question run out there
                // (its answers count), then stop before anything else would be asked.
                let closed_at = self.close_open_question(saved_at);
                self.step(Input::Stop, closed_at);
            }
        }
    }

    /// Lets the open question's clock run out (hints and all), so its answers are scored
    /// and revealed; returns the time it closed (or `from` if none was open).
    fn close_open_question(&mut self, from: i64) -> i64 {
        let mut last = from;
        for _ in 0..=usize::from(MAX_HINTS) {
            if self.game.phase() != Phase::Open {
                break;
            }
            let Some((at, timer)) = self.game.next_deadline() else {
                break;
            };
            last = last.max(at);
            self.step(Input::Timer(timer), last);
        }
        last
    }

    /// After a restore, hands the publisher the open question again (it keeps no engine
    /// state), so its message shows the new countdown and gets its reveal later.
    fn reopen(&self, ends_at: Option<i64>, now: i64) {
        let (Some(index), Some(ends_at)) = (self.open_question(), ends_at) else {
            return;
        };
        let Some(question) = self.game.question(index).cloned() else {
            return;
        };
        let clock = if self.game.is_paused() {
            Clock::Paused {
                remaining_ms: ends_at.saturating_sub(now).max(0),
            }
        } else {
            Clock::EndsAt(ends_at)
        };
        self.send(Publish::Reopen {
            index,
            total: self.game.total(),
            question,
            clock,
        });
    }

    fn message(&mut self, msg: Msg) {
        match msg {
            Msg::Input { input, reply } => {
                let fx = self.step(input, now_ms());
                let _ = reply.send(fx);
            }
            Msg::Chat {
                player,
                text,
                message,
            } => {
                let Some(question) = self.open_question() else {
                    return;
                };
                let (player_id, name) = (player.id, player.name.clone());
                let input = Input::Answer {
                    player,
                    question,
                    answer: crate::game::AnswerInput::Text(text),
                };
                let fx = self.step(input, now_ms());
                let won = fx.iter().any(|e| matches!(e, Effect::Revealed { outcome, .. } if outcome.winner == Some(player_id)));
                if won {
                    self.send(Publish::Winner { message, name });
                }
            }
            Msg::Status { reply } => {
                let open = self
                    .open_question()
                    .and_then(|i| self.game.question(i).map(|q| (i, q.clone())));
                let _ = reply.send(Status { open });
            }
            Msg::Hint { reply } => {
                let _ = reply.send(self.hint());
            }
            Msg::Suspend { done } => {
                if !self.game.is_over() && !self.suspended {
                    self.suspended = true;
                    self.save();
                    self.send(Publish::Text(SUSPENDED));
                }
                self.send(Publish::Flush(done));
            }
        }
    }

    fn open_question(&self) -> Option<usize> {
        if self.game.phase() == Phase::Open {
            self.game.current_index()
        } else {
            None
        }
    }

    fn hint(&mut self) -> Result<String, &'static str> {
        let Some(index) = self.open_question() else {
            return Err("There is no open question to give a hint for.");
        };
        let Some(q) = self.game.question(index) else {
            return Err("There is no open question to give a hint for.");
        };
        if q.form != Form::Typed {
            return Err("Hints are for typed questions; this one has choices.");
        }
        let auto = self.game.outcomes().get(index).map_or(0, |o| o.hints_shown);
        let given = self.hints.entry(index).or_insert(0);
        let level = (*given).max(auto) + 1;
        if level > MAX_HINTS {
            return Err("No more hints for this question.");
        }
        *given = level;
        let text = hint_text(&q.answer, level);
        self.send(Publish::Hint {
            question: index,
            text: text.clone(),
        });
        Ok(text)
    }

    /// Applies one input, arms the next timer and queues the effects for publishing.
    fn step(&mut self, input: Input, now: i64) -> Vec<Effect> {
        let fx = self.game.handle(input, now);
        self.after(fx.clone());
        fx
    }

    fn after(&mut self, fx: Vec<Effect>) {
        self.timer = self.game.next_deadline();
        let changed = fx
            .iter()
            .any(|e| !matches!(e, Effect::Rejected { .. } | Effect::Schedule { .. }));
        let answers_only = fx.iter().all(|e| {
            matches!(
                e,
                Effect::Locked { .. }
                    | Effect::Missed { .. }
                    | Effect::Joined { .. }
                    | Effect::Rejected { .. }
                    | Effect::Schedule { .. }
            )
        });
        for effect in fx {
            if let Effect::Ruled { question, .. } = &effect {
                self.rounds_ruled.insert(*question);
            }
            match effect {
                // Answered privately to the sender; nothing to publish.
                Effect::Locked { .. } | Effect::Missed { .. } | Effect::Rejected { .. } => {}
                Effect::Schedule { .. } | Effect::Joined { .. } => {}
                other => self.send(Publish::Effect(other)),
            }
        }
        if changed && !self.game.is_over() {
            if answers_only {
                let due = tokio::time::Instant::now() + ANSWER_SAVE_DELAY;
                self.save_due.get_or_insert(due);
            } else {
                self.save();
            }
        }
    }

    /// Queues the game's current state to be saved (after what is queued before it): the
    /// revealed questions not saved yet (or changed by a ruling) apart, once each, and the rest
    /// of the state without them.
    fn save(&mut self) {
        self.save_due = None;
        let outcomes = self.game.outcomes();
        let closed = self.game.closed_rounds();
        let due = (self.rounds_saved.min(closed)..closed)
            .chain(self.rounds_ruled.iter().copied().filter(|&i| i < closed));
        let rounds: Result<BTreeMap<u32, String>, serde_json::Error> = due
            .map(|i| {
                let index = u32::try_from(i).unwrap_or(u32::MAX);
                serde_json::to_string(&outcomes[i]).map(|json| (index, json))
            })
            .collect();
        let state = serde_json::value::to_raw_value(&self.game.state_without_rounds_before(closed));
        match (state, rounds) {
            (Ok(game), Ok(rounds)) => {
                self.rounds_saved = closed;
                self.rounds_ruled.clear();
                self.send(Publish::Snapshot {
                    game,
                    rounds,
                    at: now_ms(),
                });
            }
            (Err(e), _) | (_, Err(e)) => error!(
                game_id = self.meta.info.game_id,
                "cannot save the game: {e}"
            ),
        }
    }

    fn send(&self, item: Publish) {
        // The publisher outlives the owner; a closed queue means it crashed (logged there).
        let _ = self.publish.send(item);
    }
}

async fn sleep_until(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// What is saved for a running game, so a restarted bot can resume it.
#[derive(Debug, Serialize, Deserialize)]
struct Saved {
    meta: Meta,
    /// The message of each asked question, for the reveal edit.
    messages: BTreeMap<usize, u64>,
    /// The engine's state (its deck is saved apart, once: see [`Game::with_deck`]).
    game: Box<serde_json::value::RawValue>,
}

/// The task that turns a game's effects into store writes and Discord messages, in order.
struct Publisher {
    http: Arc<Http>,
    store: Store,
    meta: Meta,
    messages: BTreeMap<usize, u64>,
    /// The latest hint on the open question.
    hint: Option<(usize, String)>,
    /// Players whose display names were stored this game.
    named: std::collections::HashSet<u64>,
    /// Records results and saves the game in shared transactions with other games'.
    writer: GameWriter,
    /// The serialized deck, until a save has carried it to the writer.
    deck: Option<String>,
    /// Question results a store failure kept from being saved; retried before the next ones.
    unsaved: Vec<QuestionResults>,
    observers: Observers,
}

fn lock_observers(o: &Observers) -> std::sync::MutexGuard<'_, HashMap<i64, Observer>> {
    o.lock().unwrap_or_else(|e| e.into_inner())
}

/// An open question as last shown, to re-render it (hints, pause, resume).
impl Publisher {
    async fn run(mut self, mut rx: mpsc::UnboundedReceiver<Publish>) {
        let mut open: Option<(usize, usize, Arc<Question>, i64)> = None;
        let mut end_notes: Vec<&'static str> = Vec::new();
        let mut pending: Option<Publish> = None;
        loop {
            let item = match pending.take() {
                Some(item) => item,
                None => match rx.recv().await {
                    Some(item) => item,
                    None => break,
                },
            };
            match item {
                Publish::Snapshot {
                    mut game,
                    mut rounds,
                    mut at,
                } => {
                    // Only the latest of several queued states needs saving (with every
                    // round any of them carried).
                    while let Ok(next) = rx.try_recv() {
                        match next {
                            Publish::Snapshot {
                                game: g,
                                rounds: r,
                                at: a,
                            } => {
                                (game, at) = (g, a);
                                rounds.extend(r);
                            }
                            other => {
                                pending = Some(other);
                                break;
                            }
                        }
                    }
                    self.save(game, rounds, at);
                }
                Publish::Effect(effect) => {
                    let game_id = self.meta.info.game_id;
                    let observer = lock_observers(&self.observers).get(&game_id).cloned();
                    let copy = observer.as_ref().map(|_| effect.clone());
                    self.effect(effect, &mut open, &mut end_notes).await;
                    if let (Some(observer), Some(effect)) = (observer, copy) {
                        let _ = observer.send((game_id, effect));
                    }
                }
                Publish::Hint { question, text } => {
                    self.hint = Some((question, text));
                    if let Some((index, total, q, ends_at)) = &open {
                        self.show_question(*index, *total, q, Clock::EndsAt(*ends_at))
                            .await;
                    }
                }
                Publish::Winner { message, name } => {
                    // A reply (no ping: empty allowed_mentions) acknowledges it where it was typed.
                    let text = format!(
                        "✅ {} got it first!",
                        escape(&super::render::clip(&name, 64))
                    );
                    let reply = out::message().content(text).reference_message((
                        ChannelId::new(self.meta.channel),
                        MessageId::new(message),
                    ));
                    self.send(reply).await;
                }
                Publish::EndNote(note) => end_notes.push(note),
                Publish::Text(text) => self.post_text(text).await,
                Publish::Reopen {
                    index,
                    total,
                    question,
                    clock,
                } => {
                    self.show_question(index, total, &question, clock).await;
                    let ends_at = match clock {
                        Clock::EndsAt(at) => at,
                        Clock::Paused { remaining_ms } => now_ms() + remaining_ms,
                    };
                    open = Some((index, total, question, ends_at));
                }
                Publish::Flush(done) => {
                    self.retry_unsaved().await;
                    self.writer.flush().await;
                    let _ = done.send(());
                }
            }
        }
    }

    async fn effect(
        &mut self,
        effect: Effect,
        open: &mut Option<(usize, usize, Arc<Question>, i64)>,
        end_notes: &mut Vec<&'static str>,
    ) {
        match effect {
            Effect::Asked {
                index,
                total,
                question,
                ends_at,
                ..
            } => {
                self.hint = None;
                let (embed, rows) = view::question(
                    &self.meta.info,
                    index,
                    total,
                    &question,
                    Clock::EndsAt(ends_at),
                    None,
                );
                let msg = out::message().embed(embed).components(rows);
                match ChannelId::new(self.meta.channel)
                    .send_message(&self.http, msg)
                    .await
                {
                    Ok(m) => {
                        self.messages.insert(index, m.id.get());
                    }
                    Err(e) => error!(
                        game_id = self.meta.info.game_id,
                        "cannot post question {}: {e}",
                        index + 1
                    ),
                }
                *open = Some((index, total, question, ends_at));
            }
            Effect::Hint { question, text, .. } => {
                self.hint = Some((question, text));
                if let Some((index, total, q, ends_at)) = open.as_ref() {
                    self.show_question(*index, *total, q, Clock::EndsAt(*ends_at))
                        .await;
                }
            }
            Effect::Revealed {
                index,
                total,
                question,
                outcome,
                next_at,
                ..
            } => {
                *open = None;
                self.record(&question, &outcome).await;
                let (embed, rows) =
                    view::reveal(&self.meta.info, total, &question, &outcome, next_at);
                self.edit(index, out::edit().embed(embed).components(rows))
                    .await;
            }
            Effect::Paused { remaining_ms, .. } => {
                if let Some((index, total, q, _)) = open.as_ref() {
                    self.show_question(*index, *total, q, Clock::Paused { remaining_ms })
                        .await;
                }
            }
            Effect::Resumed { ends_at, .. } => {
                if let (Some(at), Some((index, total, q, ends))) = (ends_at, open.as_mut()) {
                    *ends = at;
                    let (index, total, q) = (*index, *total, q.clone());
                    self.show_question(index, total, &q, Clock::EndsAt(at))
                        .await;
                }
            }
            Effect::Restored { .. } => {
                self.post_text("🔄 The bot restarted; this game goes on where it was.")
                    .await;
            }
            Effect::Ended { reason, standings } => {
                if let Some((index, total, q, _)) = open.take() {
                    // Stopped while a question was open: it scores nothing; close its buttons.
                    let mut outcome = crate::game::QuestionOutcome::new(index, &q, 0);
                    outcome.close = Some(crate::game::CloseReason::Dropped);
                    let (embed, rows) = view::reveal(&self.meta.info, total, &q, &outcome, None);
                    self.edit(index, out::edit().embed(embed).components(rows))
                        .await;
                }
                self.finish(&standings).await;
                let note = (!end_notes.is_empty()).then(|| end_notes.join("\n"));
                let embed = view::standings(&self.meta.info, reason, &standings, note.as_deref());
                self.send(out::message().embed(embed)).await;
                self.writer
                    .delete(self.meta.channel, self.meta.info.game_id);
            }
            Effect::Ruled { .. } | Effect::Started { .. } => {}
            Effect::Locked { .. } | Effect::Missed { .. } | Effect::Rejected { .. } => {}
            Effect::Schedule { .. } | Effect::Joined { .. } => {}
        }
    }

    async fn show_question(&self, index: usize, total: usize, q: &Question, clock: Clock) {
        let hint = self
            .hint
            .as_ref()
            .filter(|(i, _)| *i == index)
            .map(|(_, h)| h.as_str());
        let (embed, rows) = view::question(&self.meta.info, index, total, q, clock, hint);
        self.edit(index, out::edit().embed(embed).components(rows))
            .await;
    }

    async fn edit(&self, index: usize, edit: serenity::EditMessage) {
        let Some(&message) = self.messages.get(&index) else {
            warn!(
                game_id = self.meta.info.game_id,
                "no message for question {}",
                index + 1
            );
            return;
        };
        let channel = ChannelId::new(self.meta.channel);
        if let Err(e) = channel
            .edit_message(&self.http, MessageId::new(message), edit)
            .await
        {
            error!(
                game_id = self.meta.info.game_id,
                "cannot edit question {}: {e}",
                index + 1
            );
        }
    }

    async fn post_text(&self, text: &str) {
        self.send(out::message().content(text)).await;
    }

    async fn send(&self, msg: serenity::CreateMessage) {
        if let Err(e) = ChannelId::new(self.meta.channel)
            .send_message(&self.http, msg)
            .await
        {
            error!(
                game_id = self.meta.info.game_id,
                "cannot post in the game's channel: {e}"
            );
        }
    }

    /// Commits a question's results (and any earlier ones a failure held back) before the
    /// reveal; tells the channel if they could not be saved.
    async fn record(&mut self, question: &Question, outcome: &crate::game::QuestionOutcome) {
        let mut results = results(&self.meta, question, outcome);
        results.names = outcome
            .answers
            .iter()
            .filter(|a| self.named.insert(a.player))
            .map(|a| (a.player, a.name.clone()))
            .collect();
        self.unsaved.push(results);
        let mut failed = None;
        let queued = std::mem::take(&mut self.unsaved);
        for results in queued {
            if failed.is_some() {
                self.unsaved.push(results);
                continue;
            }
            match self.writer.record(results.clone()).await {
                Ok(recorded) if recorded.already_recorded > 0 => info!(
                    game_id = results.game_id,
                    question = results.question_index,
                    skipped = recorded.already_recorded,
                    "answers already recorded before a restart were not counted again"
                ),
                Ok(_) => {}
                Err(e) => {
                    error!(
                        game_id = results.game_id,
                        "cannot save question results: {e}"
                    );
                    failed = Some(e);
                    self.unsaved.push(results);
                }
            }
        }
        if let Some(e) = failed {
            let text = format!(
                "⚠️ The results of this question could not be saved ({}). They stay in the game and \
                 the bot tries again after the next question.",
                super::render::clip(&e.to_string(), 300)
            );
            self.post_text(&text).await;
        }
    }

    /// One last try for results a store failure held back (the game ends or the bot stops).
    async fn retry_unsaved(&mut self) {
        let queued = std::mem::take(&mut self.unsaved);
        for results in queued {
            if let Err(e) = self.store.record_question(&results).await {
                error!(game_id = results.game_id, "question results lost: {e}");
                self.post_text("⚠️ Some results of this game could not be saved.")
                    .await;
                break;
            }
        }
    }

    async fn finish(&mut self, standings: &[crate::game::Standing]) {
        self.retry_unsaved().await;
        let winners: Vec<u64> = standings
            .iter()
            .filter(|s| s.place == 1 && s.points > 0)
            .map(|s| s.player)
            .collect();
        if let Err(e) = self
            .store
            .finish_game(self.meta.info.game_id, now_ms(), &winners)
            .await
        {
            error!(
                game_id = self.meta.info.game_id,
                "cannot mark the game finished: {e}"
            );
            self.post_text("⚠️ The end of this game could not be saved.")
                .await;
        }
    }

    /// Hands the game's state to the snapshot writer (its deck too, the first time).
    fn save(
        &mut self,
        game: Box<serde_json::value::RawValue>,
        rounds: BTreeMap<u32, String>,
        at: i64,
    ) {
        let saved = Saved {
            meta: self.meta.clone(),
            messages: self.messages.clone(),
            game,
        };
        let json = match serde_json::to_string(&saved) {
            Ok(json) => json,
            Err(e) => return error!("cannot serialize the game: {e}"),
        };
        self.writer.save(GameSnapshot {
            guild: self.meta.guild,
            channel: self.meta.channel,
            game_id: self.meta.info.game_id,
            json,
            deck: self.deck.take(),
            rounds: rounds.into_iter().collect(),
            updated_at: at,
        });
    }
}

/// A game's deck as saved beside its state.
fn serialized_deck(game: &Game) -> Option<String> {
    match serde_json::to_string(game.deck()) {
        Ok(deck) => Some(deck),
        Err(e) => {
            error!("cannot serialize a game's deck: {e}");
            None
        }
    }
}

/// A question's answers as the store records them.
fn results(meta: &Meta, q: &Question, outcome: &crate::game::QuestionOutcome) -> QuestionResults {
    let answers = if outcome.scored() {
        outcome
            .answers
            .iter()
            .map(|a| store::AnswerRecord {
                user: a.player,
                answer_text: a.text.clone(),
                answered_at: a.answered_at,
                correct: a.correct(),
                points: i64::try_from(a.points).unwrap_or(i64::MAX),
                near_miss: a.closeness(),
            })
            .collect()
    } else {
        Vec::new()
    };
    QuestionResults {
        game_id: meta.info.game_id,
        guild: meta.guild,
        question_index: u32::try_from(outcome.index).unwrap_or(u32::MAX),
        question_text: q.prompt.clone(),
        correct_answer: q.answer.clone(),
        asked_at: outcome.asked_at,
        answers,
        event_id: None,
        names: Vec::new(),
    }
}

/// After a restart: resumes each saved game of this process's shards, or closes it with its
/// results if its time ran out while the bot was away.
pub async fn resume_saved(bot: &Data, http: Arc<Http>, shards: ShardPlan) {
    let snapshots = match bot.store.load_game_snapshots().await {
        Ok(s) => s,
        Err(e) => return error!("cannot load saved games: {e}"),
    };
    let now = now_ms();
    for snapshot in snapshots.into_iter().filter(|s| shards.owns_guild(s.guild)) {
        let (saved, game) = match read_snapshot(&snapshot) {
            Ok(read) => read,
            Err(e) => {
                error!(
                    game_id = snapshot.game_id,
                    "a saved game cannot be read ({e}); dropping it"
                );
                let _ = bot.store.delete_game_snapshot(snapshot.channel).await;
                continue;
            }
        };
        if game.is_over() {
            let _ = bot.store.delete_game_snapshot(snapshot.channel).await;
            continue;
        }
        let launch = if time_ran_out(&game, snapshot.updated_at, now) {
            Launch::Expired {
                saved_at: snapshot.updated_at,
            }
        } else {
            Launch::Restored {
                saved_at: snapshot.updated_at,
            }
        };
        let meta = saved.meta;
        info!(
            game_id = meta.info.game_id,
            channel = meta.channel,
            expired = matches!(launch, Launch::Expired { .. }),
            "resuming a saved game"
        );
        let mut running = bot.games.lock();
        if running.contains_key(&meta.channel) {
            continue;
        }
        let handle = spawn(
            bot.clone(),
            http.clone(),
            meta,
            game,
            launch,
            saved.messages,
        );
        running.insert(handle.channel, handle);
    }
}

/// A saved game: its state given back its deck (saved apart, or inside the state by a bot
/// from before decks were saved apart).
fn read_snapshot(snapshot: &GameSnapshot) -> Result<(Saved, Game), String> {
    #[derive(Deserialize)]
    struct OldDeck {
        deck: Vec<Arc<Question>>,
    }
    let saved: Saved = serde_json::from_str(&snapshot.json).map_err(|e| e.to_string())?;
    let state = saved.game.get();
    let game: Game = serde_json::from_str(state).map_err(|e| e.to_string())?;
    let earlier = snapshot
        .rounds
        .iter()
        .map(|(_, json)| serde_json::from_str(json))
        .collect::<Result<Vec<crate::game::QuestionOutcome>, _>>()
        .map_err(|e| format!("its questions: {e}"))?;
    let game = game.with_rounds(earlier)?;
    let deck = match &snapshot.deck {
        Some(deck) => serde_json::from_str(deck).map_err(|e| format!("its deck: {e}"))?,
        None => {
            serde_json::from_str::<OldDeck>(state)
                .map_err(|e| format!("its deck: {e}"))?
                .deck
        }
    };
    let game = game.with_deck(deck)?;
    Ok((saved, game))
}

/// Whether the rest of a saved game would have been played by `now` had the bot kept
/// running: its open phase's deadline plus every question still to come.
pub fn time_ran_out(game: &Game, saved_at: i64, now: i64) -> bool {
    if game.is_paused() {
        return false;
    }
    let config = game.config();
    let asked = game.outcomes().len();
    let left = game.total().saturating_sub(asked) as i64;
    let per_question = config.question_ms() + config.reveal_ms();
    let phase_end = game.next_deadline().map_or(saved_at, |(at, _)| at);
    // Hints are deadlines inside the question: count from the question's end instead.
    let phase_end = match game.phase() {
        Phase::Open => game.outcomes().last().map_or(phase_end, |o| {
            phase_end.max(o.asked_at + config.question_ms())
        }),
        _ => phase_end,
    };
    phase_end.saturating_add(left.saturating_mul(per_question)) < now
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::{AnswerInput, AnswerRule, GameConfig, Scoring};
    use crate::quiz::{Category, Difficulty};

    fn question(i: usize) -> Question {
        Question {
            id: format!("q{i}"),
            fact: format!("f{i}"),
            pack: "p".into(),
            form: Form::MultipleChoice,
            category: Category::Cast,
            difficulty: Difficulty::Easy,
            prompt: format!("Question {i}?"),
            choices: vec!["a".into(), "b".into(), "c".into(), "d".into()],
            correct: Some(1),
            answer: "b".into(),
            accepted: vec!["b".into()],
            confusables: Vec::new().into(),
            source: "s".into(),
            spoils: None,
        }
    }

    fn game(rounds: usize) -> Game {
        let config = GameConfig {
            rounds,
            question_seconds: 20,
            reveal_seconds: 5,
            ..GameConfig::default()
        };
        Game::new(config, (0..rounds).map(question))
    }

    fn meta() -> Meta {
        Meta {
            guild: 1,
            channel: 2,
            started_by: 3,
            info: GameInfo {
                game_id: 9,
                pack_title: "P".into(),
                rule: AnswerRule::Once,
                scoring: Scoring::Classic,
                chat_answers: false,
            },
        }
    }

    #[test]
    fn a_snapshot_is_read_with_its_deck_saved_apart_or_inside_an_older_state() {
        let mut g = game(3);
        g.handle(Input::Start, 1_000);
        let state = serde_json::value::to_raw_value(&g).unwrap();
        let saved = Saved {
            meta: meta(),
            messages: BTreeMap::from([(0, 77)]),
            game: state,
        };
        let snapshot = GameSnapshot {
            guild: 1,
            channel: 2,
            game_id: 9,
            json: serde_json::to_string(&saved).unwrap(),
            deck: serialized_deck(&g),
            rounds: Vec::new(),
            updated_at: 2_000,
        };
        let (read, game) = read_snapshot(&snapshot).unwrap();
        assert_eq!(read.messages[&0], 77);
        assert_eq!(game.deck(), g.deck());
        assert_eq!(game.current_index(), Some(0));

        // Written by a bot from before decks were saved apart: the state holds the deck.
        let mut old: serde_json::Value = serde_json::to_value(&g).unwrap();
        old["deck"] = serde_json::to_value(g.deck()).unwrap();
        let old_saved = serde_json::json!({"meta": meta(), "messages": {"0": 77}, "game": old});
        let legacy = GameSnapshot {
            json: old_saved.to_string(),
            deck: None,
            ..snapshot.clone()
        };
        assert_eq!(read_snapshot(&legacy).unwrap().1.deck(), g.deck());

        // No deck anywhere: refused with a reason (the caller drops it and says so).
        let lost = GameSnapshot {
            deck: None,
            ..snapshot
        };
        let err = read_snapshot(&lost).expect_err("no deck");
        assert!(err.contains("deck"), "{err}");
    }

    #[test]
    fn revealed_questions_are_saved_apart_once_and_read_back_with_the_state() {
        let (mut owner, mut rx) = owner(game(3));
        let answer = Input::Answer {
            player: PlayerRef::new(1, "p"),
            question: 0,
            answer: AnswerInput::Choice(1),
        };
        owner.step(Input::Start, 1_000_000);
        owner.step(answer, 1_000_100);
        // Question 1 ends (saved with its reveal), then question 2 is asked (saved too).
        for _ in 0..2 {
            let (at, timer) = owner.game.next_deadline().expect("a timer");
            owner.step(Input::Timer(timer), at);
        }
        let mut states = Vec::new();
        let mut rounds = BTreeMap::new();
        let mut carried = Vec::new();
        while let Ok(item) = rx.try_recv() {
            if let Publish::Snapshot {
                game, rounds: r, ..
            } = item
            {
                carried.push(r.keys().copied().collect::<Vec<_>>());
                rounds.extend(r);
                states.push(game);
            }
        }
        // The first save (question 1 asked) carries no round, the reveal's carries question 1,
        // the next question's none: each revealed question is saved once.
        assert_eq!(carried, [vec![], vec![0], vec![]]);
        let last = states.pop().expect("saves");
        assert!(!last.get().contains("\"answers\":[{"), "{}", last.get());
        let snapshot = GameSnapshot {
            guild: 1,
            channel: 2,
            game_id: 9,
            json: serde_json::to_string(&Saved {
                meta: meta(),
                messages: BTreeMap::new(),
                game: last,
            })
            .unwrap(),
            deck: serialized_deck(&owner.game),
            rounds: rounds.into_iter().collect(),
            updated_at: 0,
        };
        let (_, read) = read_snapshot(&snapshot).unwrap();
        assert_eq!(
            serde_json::to_value(&read).unwrap(),
            serde_json::to_value(&owner.game).unwrap()
        );
        assert_eq!(read.outcomes()[0].answers.len(), 1);
    }

    #[test]
    fn a_saved_game_expires_only_when_its_remaining_schedule_has_passed() {
        let mut g = game(3);
        let t0 = 1_000_000;
        g.handle(Input::Start, t0);
        // Question 1 open until t0+20 s; two more questions of 25 s each after it.
        let end = t0 + 20_000 + 2 * 25_000;
        assert!(!time_ran_out(&g, t0, end - 1));
        assert!(time_ran_out(&g, t0, end + 1));
        // A paused game waits for its players however long the bot was away.
        g.handle(Input::Pause, t0 + 1_000);
        assert!(!time_ran_out(&g, t0 + 1_000, t0 + 10_000_000));
    }

    #[test]
    fn results_record_scored_answers_only() {
        let mut g = game(2);
        g.handle(Input::Start, 0);
        let player = PlayerRef::new(7, "seven");
        g.handle(
            Input::Answer {
                player,
                question: 0,
                answer: AnswerInput::Choice(1),
            },
            1_000,
        );
        let fx = g.handle(Input::Skip, 2_000);
        let outcome = fx
            .iter()
            .find_map(|e| match e {
                Effect::Revealed { outcome, .. } => Some(outcome.clone()),
                _ => None,
            })
            .expect("skipping reveals the question");
        let skipped = results(&meta(), &question(0), &outcome);
        assert!(
            skipped.answers.is_empty(),
            "a skipped question scores nothing"
        );

        let player = PlayerRef::new(7, "seven");
        g.handle(Input::Skip, 3_000); // next question now
        // The only known player answered: the question ends at once.
        let fx = g.handle(
            Input::Answer {
                player,
                question: 1,
                answer: AnswerInput::Choice(1),
            },
            4_000,
        );
        let outcome = fx
            .iter()
            .find_map(|e| match e {
                Effect::Revealed { outcome, .. } => Some(outcome.clone()),
                _ => None,
            })
            .expect("the answer closes the question");
        let r = results(&meta(), &question(1), &outcome);
        assert_eq!((r.game_id, r.guild, r.question_index), (9, 1, 1));
        assert_eq!(r.answers.len(), 1);
        assert!(r.answers[0].correct);
        assert_eq!(r.answers[0].points, outcome.answers[0].points as i64);
        assert!(r.answers[0].points > 0);
        assert_eq!(r.answers[0].answer_text, "b");
    }

    fn owner(game: Game) -> (Owner, mpsc::UnboundedReceiver<Publish>) {
        let (publish, rx) = mpsc::unbounded_channel();
        let owner = Owner {
            game,
            meta: meta(),
            publish,
            timer: None,
            hints: HashMap::new(),
            suspended: false,
            save_due: None,
            rounds_saved: 0,
            rounds_ruled: Default::default(),
        };
        (owner, rx)
    }

    fn effects(rx: &mut mpsc::UnboundedReceiver<Publish>) -> Vec<Effect> {
        let mut out = Vec::new();
        while let Ok(item) = rx.try_recv() {
            if let Publish::Effect(e) = item {
                out.push(e);
            }
        }
        out
    }

    fn snapshots(rx: &mut mpsc::UnboundedReceiver<Publish>) -> usize {
        let mut n = 0;
        while let Ok(item) = rx.try_recv() {
            n += usize::from(matches!(item, Publish::Snapshot { .. }));
        }
        n
    }

    #[test]
    fn answers_are_saved_after_a_delay_and_other_changes_at_once() {
        let (mut owner, mut rx) = owner(game(3));
        let answer = |player| Input::Answer {
            player: PlayerRef::new(player, "p"),
            question: 0,
            answer: AnswerInput::Choice(1),
        };
        owner.step(Input::Start, 1_000_000);
        assert_eq!(snapshots(&mut rx), 1, "the first question is saved at once");
        owner.step(answer(1), 1_000_100);
        assert_eq!(snapshots(&mut rx), 0, "an answer waits for the save delay");
        let due = owner.save_due.expect("a save is due");
        assert!(due <= tokio::time::Instant::now() + ANSWER_SAVE_DELAY);
        // The question's end: the reveal is saved at once, with the answer before it, and
        // nothing is left due.
        let (at, timer) = owner.game.next_deadline().expect("the question's end");
        owner.step(Input::Timer(timer), at);
        assert_eq!(snapshots(&mut rx), 1);
        assert!(owner.save_due.is_none());
    }

    #[test]
    fn an_expired_game_scores_its_open_question_and_ends_without_asking_more() {
        let mut g = game(3);
        let t0 = 1_000_000;
        g.handle(Input::Start, t0);
        g.handle(
            Input::Answer {
                player: PlayerRef::new(7, "seven"),
                question: 0,
                answer: AnswerInput::Choice(1),
            },
            t0 + 1_000,
        );
        let (saved, deck) = (serde_json::to_value(&g).unwrap(), g.deck().to_vec());
        let g: Game = serde_json::from_value(saved).unwrap();
        let g = g.with_deck(deck).unwrap();
        assert!(time_ran_out(&g, t0 + 1_000, t0 + 3_600_000));
        let (mut owner, mut rx) = owner(g);
        owner.begin(
            Launch::Expired {
                saved_at: t0 + 1_000,
            },
            t0 + 3_600_000,
        );
        let fx = effects(&mut rx);
        assert!(
            !fx.iter()
                .any(|e| matches!(e, Effect::Asked { .. } | Effect::Restored { .. })),
            "{fx:?}"
        );
        let revealed = fx.iter().find_map(|e| match e {
            Effect::Revealed { outcome, .. } => Some(outcome),
            _ => None,
        });
        let outcome = revealed.expect("the open question is revealed");
        assert!(outcome.scored() && outcome.answers[0].correct());
        assert!(matches!(
            fx.last(),
            Some(Effect::Ended {
                reason: crate::game::EndReason::Stopped,
                ..
            })
        ));
        assert!(owner.game.is_over());
    }

    #[test]
    fn a_restored_game_reopens_its_question_with_the_time_it_had_left() {
        let mut g = game(2);
        let t0 = 1_000_000;
        g.handle(Input::Start, t0);
        let (mut owner, mut rx) = owner(g);
        // Saved 5 s into a 20 s question; back an hour later: 15 s left.
        let back = t0 + 3_600_000;
        owner.begin(
            Launch::Restored {
                saved_at: t0 + 5_000,
            },
            back,
        );
        let mut reopened = None;
        while let Ok(item) = rx.try_recv() {
            if let Publish::Reopen { index, clock, .. } = item {
                reopened = Some((index, clock));
            }
        }
        assert_eq!(reopened, Some((0, Clock::EndsAt(back + 15_000))));
        assert_eq!(owner.timer.map(|(at, _)| at), Some(back + 15_000));
    }
}
