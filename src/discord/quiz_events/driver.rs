//! One task per started event (DESIGN principle 2): the scheduler's start, the host's controls
//! and rulings, and what the round's game publishes (reveals, pauses, its end) reach the event
//! through this task's queue, one at a time.
//!
//! A round is a game like any other (`discord::games`), with the event's roster, so the game
//! task asks, scores, records and reveals. The driver starts it, watches its published effects
//! (as an observer of the game, after the game recorded them), shows the host the near misses
//! after each question, and moves the event on when the game ends: between rounds, to the next
//! round when the host asked for it, or to the end with the podium.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use poise::serenity_prelude::{
    ChannelId, CreateAllowedMentions, Http, RoleId, ScheduledEventStatus,
};
use tokio::sync::{mpsc, oneshot, watch};
use tracing::{error, info, warn};

use super::ids::PanelAction;
use super::{render, rulings, signup, sync};
use crate::discord::commands::{caller_settings, spoiler_limit};
use crate::discord::games::{GameHandle, Meta, Observer};
use crate::discord::render::game::GameInfo;
use crate::discord::render::out;
use crate::discord::{Data, now_ms, packs};
use crate::events::{
    Event, EventId, EventStatus, Transition, roster, round_setup, standings, teams_for_round,
};
use crate::game::{Effect, Game, Input, RejectReason};
use crate::quiz::Question;
use crate::store::NewGame;

/// How long a host's interaction token is used for private messages (Discord allows 15 min).
const TOKEN_FRESH: Duration = Duration::from_secs(14 * 60);

/// A way to reach an event's task.
#[derive(Clone)]
pub struct Handle {
    tx: mpsc::Sender<Cmd>,
}

/// The event's task is gone (the event is over, or the bot is stopping).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gone;

/// What an event's task can be asked. Replies are texts for the person who asked.
pub enum Cmd {
    /// Start round 1 now (`/event start`, or the scheduler; `late_by_ms` when it is late).
    Begin {
        late_by_ms: Option<i64>,
        by: u64,
        reply: oneshot::Sender<Result<String, String>>,
    },
    /// A control-panel button or `/event pause|resume|skip|next-round|stop`.
    Control {
        action: PanelAction,
        by: u64,
        reply: oneshot::Sender<Result<String, String>>,
    },
    /// Accept or undo a near miss.
    Rule {
        request: rulings::Request,
        reply: oneshot::Sender<Result<(), String>>,
    },
    /// A host's fresh interaction token: private messages (the rulings) go through it.
    HostToken(String),
}

impl Handle {
    async fn ask<T>(&self, make: impl FnOnce(oneshot::Sender<T>) -> Cmd) -> Result<T, Gone> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(make(reply)).await.map_err(|_| Gone)?;
        rx.await.map_err(|_| Gone)
    }

    pub async fn begin(
        &self,
        late_by_ms: Option<i64>,
        by: u64,
    ) -> Result<Result<String, String>, Gone> {
        self.ask(|reply| Cmd::Begin {
            late_by_ms,
            by,
            reply,
        })
        .await
    }

    pub async fn control(
        &self,
        action: PanelAction,
        by: u64,
    ) -> Result<Result<String, String>, Gone> {
        self.ask(|reply| Cmd::Control { action, by, reply }).await
    }

    pub async fn rule(&self, request: rulings::Request) -> Result<Result<(), String>, Gone> {
        self.ask(|reply| Cmd::Rule { request, reply }).await
    }

    pub async fn host_token(&self, token: String) {
        let _ = self.tx.send(Cmd::HostToken(token)).await;
    }
}

/// The round being played.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoundRun {
    pub game: i64,
    pub round: usize,
}

/// What to do when the current round's game has ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    NextRound { by: u64 },
    Stop,
}

/// How a driver begins.
pub struct Launch {
    pub current: Option<RoundRun>,
    /// The current round's game ended while the bot was away: move the event on at once.
    pub round_already_ended: bool,
}

struct Driver {
    bot: Data,
    http: Arc<Http>,
    id: EventId,
    guild: u64,
    /// Where the event is played (fixed once it has started).
    channel: u64,
    round: Option<RoundRun>,
    pending: Option<Pending>,
    host_token: Option<(String, Instant)>,
    /// Revealed questions, for the aliases that accepted spellings become.
    questions: HashMap<(i64, u32), Arc<Question>>,
    observer: Observer,
    done: bool,
}

/// Starts an event's task. The current round's game (after a restart) is observed before this
/// returns, so nothing it publishes afterwards is missed.
pub fn spawn(bot: &Data, http: Arc<Http>, e: &Event, launch: Launch) -> Handle {
    let (tx, rx) = mpsc::channel(64);
    let (observer, effects) = mpsc::unbounded_channel();
    if let Some(run) = launch.current.filter(|_| !launch.round_already_ended) {
        bot.games.observe(run.game, observer.clone());
    }
    let driver = Driver {
        bot: bot.clone(),
        http,
        id: e.id,
        guild: e.guild,
        channel: e.spec.channel,
        round: launch.current,
        pending: None,
        host_token: None,
        questions: HashMap::new(),
        observer,
        done: false,
    };
    let stop = bot.events.stopping();
    let handle = Handle { tx };
    tokio::spawn(driver.run(rx, effects, stop, launch.round_already_ended));
    handle
}

impl Driver {
    async fn run(
        mut self,
        mut rx: mpsc::Receiver<Cmd>,
        mut effects: mpsc::UnboundedReceiver<(i64, Effect)>,
        mut stop: watch::Receiver<bool>,
        round_already_ended: bool,
    ) {
        if round_already_ended {
            self.round_ended().await;
        }
        while !self.done {
            tokio::select! {
                cmd = rx.recv() => match cmd {
                    Some(cmd) => self.command(cmd).await,
                    None => break,
                },
                Some((game, effect)) = effects.recv() => self.effect(game, effect).await,
                () = super::stopped(&mut stop) => break,
            }
        }
        if let Some(run) = self.round {
            self.bot.games.unobserve(run.game);
        }
        self.bot.events.forget(self.id);
        info!(event = self.id, "event task ended");
    }

    async fn command(&mut self, cmd: Cmd) {
        match cmd {
            Cmd::Begin {
                late_by_ms,
                by,
                reply,
            } => {
                let result = self.begin(late_by_ms, by).await;
                let _ = reply.send(result);
                // Not started after all: the next start gets a fresh task.
                if self.round.is_none() {
                    self.done = true;
                }
            }
            Cmd::Control { action, by, reply } => {
                let result = self.control(action, by).await;
                let _ = reply.send(result);
            }
            Cmd::Rule { request, reply } => {
                let engine = self
                    .round
                    .filter(|r| r.game == request.game)
                    .and_then(|r| self.game_handle(r.game));
                let question = self
                    .questions
                    .get(&(request.game, request.question))
                    .cloned();
                let result =
                    rulings::apply(&self.bot, self.guild, self.id, request, engine, question).await;
                let _ = reply.send(result);
            }
            Cmd::HostToken(token) => {
                self.host_token = Some((token, Instant::now()));
                return;
            }
        }
        // A task asked about an event that is over has nothing more to do.
        if self.round.is_none()
            && let Ok(e) = self.load().await
            && e.status.is_over()
        {
            self.done = true;
        }
    }

    async fn load(&self) -> Result<Event, String> {
        match self.bot.store.event(self.guild, self.id).await {
            Ok(Some(e)) => Ok(e),
            Ok(None) => Err("This event no longer exists.".to_owned()),
            Err(err) => Err(format!(
                "The event cannot be read right now ({err}); try again."
            )),
        }
    }

    fn game_handle(&self, game: i64) -> Option<GameHandle> {
        self.bot
            .games
            .get(self.channel)
            .filter(|h| h.game_id == game)
    }

    /// Starts round 1: the start announcement (pinging the event's role), then the round.
    async fn begin(&mut self, late_by_ms: Option<i64>, by: u64) -> Result<String, String> {
        let e = self.load().await?;
        e.next_status(Transition::Start)
            .map_err(|err| err.to_string())?;
        let intro = render::start_announcement(&e, late_by_ms);
        let text = self.start_round(e, 0, by, Some(intro)).await?;
        if let Ok(e) = self.load().await {
            sync::set_status(&self.http, &e, ScheduledEventStatus::Active).await;
        }
        signup::refresh(&self.bot, &self.http, self.guild, self.id).await;
        Ok(text)
    }

    /// Starts round `round` of `e` (which must still be as read: the store's compare-and-set
    /// refuses otherwise). `intro` is posted first, with the event's role allowed to be pinged.
    async fn start_round(
        &mut self,
        e: Event,
        round: usize,
        by: u64,
        intro: Option<String>,
    ) -> Result<String, String> {
        let bot = self.bot.clone();
        let store = &bot.store;
        let channel = e.spec.channel;
        let spec = e
            .spec
            .rounds
            .get(round)
            .ok_or_else(|| format!("The event has no round {}.", round + 1))?
            .clone();
        let failed = |what: &str, err: &dyn std::fmt::Display| {
            format!(
                "Round {} cannot start: {what} ({err}). Try again.",
                round + 1
            )
        };
        // Teams first: everyone still without one is placed before the round.
        let registrations = store
            .registrations(e.id)
            .await
            .map_err(|err| failed("the sign-ups cannot be read", &err))?;
        if e.spec.teams.is_some() {
            let users = roster(&registrations);
            let past = store
                .past_points(self.guild, &users)
                .await
                .map_err(|err| failed("past scores cannot be read", &err))?;
            let assignments = teams_for_round(&e, &registrations, &past, round);
            store
                .set_teams(&e, &assignments)
                .await
                .map_err(|err| failed("the teams cannot be saved", &err))?;
        }
        let players = roster(&registrations);
        let settings = caller_settings(&bot, self.guild)
            .await
            .map_err(|err| failed("the server's settings cannot be read", &err))?;
        let setup = round_setup(&e, round, &players, spoiler_limit(&settings))
            .map_err(|err| err.to_string())?;
        let pack = packs::resolve(&bot, self.guild, Some(&spec.pack))
            .await
            .map_err(|err| failed("the server's packs cannot be read", &err))?;
        let Some(pack) = pack else {
            return Err(format!(
                "Round {} cannot start: its pack `{}` is not available ({}). Change it with \
                 `/event round`.",
                round + 1,
                spec.pack,
                packs::known(&bot, self.guild).await
            ));
        };
        let mut deck = bot.catalog.deal(&pack, &setup.deck);
        super::apply_server_aliases(&bot, self.guild, &mut deck).await;
        if deck.is_empty() {
            return Err(format!(
                "Round {} has no questions: no question of `{}` matches its category, \
                 difficulty and form (and the server's spoiler limit). Change it with \
                 `/event round`.",
                round + 1,
                spec.pack
            ));
        }
        if let Some(running) = bot.games.get(channel) {
            return Err(format!(
                "A game is running in <#{channel}> (game {}): stop it first with `/trivia stop`.",
                running.game_id
            ));
        }
        let new_game = NewGame {
            guild: self.guild,
            channel,
            started_by: by,
            pack: pack.id().to_owned(),
            seed: setup.deck.seed,
            mode: format!(
                "event {} round {}/{}/{}",
                e.id,
                round + 1,
                spec.rule,
                spec.scoring
            ),
            started_at: now_ms(),
        };
        let game_id = match store.start_event_round(&e, round, &new_game).await {
            Ok(Some(id)) => id,
            Ok(None) => {
                return Err(
                    "The event changed meanwhile (someone else started it?): see `/event show`."
                        .to_owned(),
                );
            }
            Err(err) => return Err(failed("the round cannot be saved", &err)),
        };
        bot.games.observe(game_id, self.observer.clone());
        self.round = Some(RoundRun {
            game: game_id,
            round,
        });
        self.channel = channel;
        info!(
            event = e.id,
            round = round + 1,
            game_id,
            "event round starting"
        );

        if let Some(intro) = intro {
            self.post_announcement(&e, intro).await;
        }
        let header = render::round_header(&e, round, pack.title(), players.len());
        self.post(out::message().embed(header)).await;
        let meta = Meta {
            guild: self.guild,
            channel,
            started_by: by,
            info: GameInfo {
                game_id,
                pack_title: format!(
                    "{} · {} round {}/{}",
                    pack.title(),
                    e.spec.name,
                    round + 1,
                    e.round_count()
                ),
                rule: spec.rule,
                scoring: spec.scoring,
                chat_answers: false,
            },
        };
        let game = Game::new(setup.config, deck);
        if bot
            .games
            .start(&bot, self.http.clone(), meta, game)
            .is_err()
        {
            // A game started in the channel just now: this round ends before it began.
            error!(event = e.id, game_id, "the channel got another game first");
            let _ = store.finish_game(game_id, now_ms(), &[]).await;
            // Boxed: ending a round may start the next one.
            Box::pin(self.round_ended()).await;
            return Err(format!(
                "A game started in <#{channel}> at the same moment, so round {} could not run. \
                 Stop that game, then press Next round.",
                round + 1
            ));
        }
        Ok(format!(
            "🎬 Round {} of {} started in <#{channel}> ({} signed-up player{}).",
            round + 1,
            e.round_count(),
            players.len(),
            if players.len() == 1 { "" } else { "s" }
        ))
    }

    async fn post(&self, msg: poise::serenity_prelude::CreateMessage) {
        if let Err(err) = ChannelId::new(self.channel)
            .send_message(&self.http, msg)
            .await
        {
            warn!(event = self.id, "cannot post in the event's channel: {err}");
        }
    }

    /// An announcement that may ping the event's role, and nobody else.
    async fn post_announcement(&self, e: &Event, text: String) {
        let mentions = CreateAllowedMentions::new()
            .replied_user(false)
            .roles(e.spec.announce_role.map(RoleId::new));
        self.post(out::message().content(text).allowed_mentions(mentions))
            .await;
    }

    async fn control(&mut self, action: PanelAction, by: u64) -> Result<String, String> {
        let e = self.load().await?;
        let refuse = |t: Transition| match e.next_status(t) {
            Ok(_) => Ok(()),
            Err(err) => Err(err.to_string()),
        };
        match action {
            PanelAction::Pause | PanelAction::Resume => {
                let (t, input) = match action {
                    PanelAction::Pause => (Transition::Pause, Input::Pause),
                    _ => (Transition::Resume, Input::Resume),
                };
                refuse(t)?;
                self.send_to_game(input).await?;
                self.follow_status(t).await;
                Ok(match action {
                    PanelAction::Pause => "⏸ Paused: the clock stopped.".to_owned(),
                    _ => "▶ Resumed.".to_owned(),
                })
            }
            PanelAction::Skip => {
                if !matches!(e.status, EventStatus::Running { .. }) {
                    return Err(format!(
                        "The event is {}: there is no question to skip.",
                        e.status
                    ));
                }
                self.send_to_game(Input::Skip).await?;
                Ok("⏭ Skipped: the question is revealed and scores nothing.".to_owned())
            }
            PanelAction::NextRound => match e.status {
                EventStatus::Intermission { next } => {
                    refuse(Transition::NextRound)?;
                    self.start_round(e, next, by, None).await
                }
                EventStatus::Running { round } | EventStatus::Paused { round } => {
                    refuse(Transition::NextRound)?;
                    self.pending = Some(Pending::NextRound { by });
                    self.end_round().await;
                    Ok(format!(
                        "⏭ Round {} ends here; round {} starts now.",
                        round + 1,
                        round + 2
                    ))
                }
                _ => refuse(Transition::NextRound).map(|()| String::new()),
            },
            PanelAction::Stop => match e.status {
                EventStatus::Intermission { .. } => {
                    refuse(Transition::Stop)?;
                    self.set_status(&e, EventStatus::Finished).await?;
                    self.finish().await;
                    Ok("⏹ The event is over; the results are posted.".to_owned())
                }
                EventStatus::Running { .. } | EventStatus::Paused { .. } => {
                    self.pending = Some(Pending::Stop);
                    self.end_round().await;
                    Ok("⏹ The event ends now; the results follow.".to_owned())
                }
                _ => refuse(Transition::Stop).map(|()| String::new()),
            },
        }
    }

    /// An input for the round's game; a refusal comes back as its text.
    async fn send_to_game(&mut self, input: Input) -> Result<(), String> {
        let Some(handle) = self.round.and_then(|r| self.game_handle(r.game)) else {
            return Err(
                "The round's game is not running (the bot may have restarted): press Next round \
                 or Stop to go on."
                    .to_owned(),
            );
        };
        let effects = handle
            .send(input)
            .await
            .map_err(|_| "The round has just ended.".to_owned())?;
        match effects.iter().find_map(|e| match e {
            Effect::Rejected { reason, .. } => Some(*reason),
            _ => None,
        }) {
            Some(RejectReason::Paused) => Err("The round is paused: resume it first.".to_owned()),
            Some(reason) => Err(reason.message().to_owned()),
            None => Ok(()),
        }
    }

    /// Ends the current round's game now (its end then moves the event on, see `pending`).
    async fn end_round(&mut self) {
        let handle = self.round.and_then(|r| self.game_handle(r.game));
        match handle {
            Some(h) if h.send(Input::Stop).await.is_ok() => {}
            // The game is gone (lost across a restart): close it and go on.
            _ => {
                if let Some(run) = self.round {
                    self.bot.games.unobserve(run.game);
                    let _ = self.bot.store.finish_game(run.game, now_ms(), &[]).await;
                }
                self.round_ended().await;
            }
        }
    }

    async fn set_status(&self, e: &Event, to: EventStatus) -> Result<(), String> {
        let now = self.bot.events.clock().now_ms();
        match self.bot.store.set_event_status(e, to, now).await {
            Ok(true) => Ok(()),
            Ok(false) => Err("The event changed meanwhile: look again with `/event show`.".into()),
            Err(err) => Err(format!(
                "The event's status cannot be saved ({err}); try again."
            )),
        }
    }

    /// Brings the event's status in line with the game (a pause or resume, by the panel or by
    /// `/trivia pause` in the channel).
    async fn follow_status(&self, t: Transition) {
        if let Ok(e) = self.load().await
            && let Ok(to) = e.next_status(t)
            && let Err(err) = self.set_status(&e, to).await
        {
            warn!(event = self.id, "{err}");
        }
    }

    async fn effect(&mut self, game: i64, effect: Effect) {
        let Some(run) = self.round.filter(|r| r.game == game) else {
            return;
        };
        match effect {
            Effect::Revealed {
                index,
                question,
                outcome,
                ..
            } => {
                let index = u32::try_from(index).unwrap_or(u32::MAX);
                let near = outcome.scored()
                    && outcome
                        .answers
                        .iter()
                        .any(|a| !a.correct() && a.closeness().is_some());
                self.questions.insert((game, index), question);
                if near {
                    self.show_rulings(run, index).await;
                }
            }
            Effect::Paused { .. } => self.follow_status(Transition::Pause).await,
            Effect::Resumed { .. } => self.follow_status(Transition::Resume).await,
            Effect::Ended { .. } => {
                self.bot.games.unobserve(game);
                self.round_ended().await;
            }
            _ => {}
        }
    }

    /// The round's game is over: between rounds (or straight on to the next one when the host
    /// asked), or the end of the event.
    async fn round_ended(&mut self) {
        let ended = self.round.take();
        let pending = self.pending.take();
        let transition = match pending {
            Some(Pending::Stop) => Transition::Stop,
            _ => Transition::RoundEnded,
        };
        let mut moved = None;
        for _ in 0..3 {
            let Ok(e) = self.load().await else { break };
            let Ok(to) = e.next_status(transition) else {
                self.done = e.status.is_over();
                return;
            };
            if self.set_status(&e, to).await.is_ok() {
                moved = Some((e, to));
                break;
            }
        }
        let Some((e, to)) = moved else {
            return error!(event = self.id, "cannot move the event on after its round");
        };
        match to {
            EventStatus::Intermission { next } => {
                let after = Event { status: to, ..e };
                if let Some(Pending::NextRound { by }) = pending {
                    if let Err(text) = self.start_round(after, next, by, None).await {
                        self.post(out::message().content(format!("⚠️ {text}")))
                            .await;
                    }
                } else {
                    let done = ended.map_or(next, |r| r.round + 1);
                    self.post(out::message().content(format!(
                        "🏁 Round {done} of {} is over. Round {} starts when a host presses \
                         **Next round** (or `/event next-round`).",
                        after.round_count(),
                        next + 1
                    )))
                    .await;
                }
            }
            EventStatus::Finished => self.finish().await,
            _ => {}
        }
    }

    /// The event is over: the podium in the channel, the server's event completed, sign-ups closed.
    async fn finish(&mut self) {
        self.done = true;
        match self.bot.store.event_records(self.guild, self.id).await {
            Ok(Some(records)) => {
                let table = standings(&records);
                let embed = render::podium(&records, &table);
                self.post(out::message().embed(embed)).await;
                sync::set_status(&self.http, &records.event, ScheduledEventStatus::Completed).await;
            }
            Ok(None) => {}
            Err(err) => error!(event = self.id, "cannot read the results: {err}"),
        }
        signup::refresh(&self.bot, &self.http, self.guild, self.id).await;
    }

    /// The near misses of a question, to the host privately when a host's token is fresh,
    /// else in the channel (only hosts and moderators can press the buttons).
    async fn show_rulings(&self, run: RoundRun, question: u32) {
        let Some((embed, rows)) = rulings::panel(
            &self.bot, self.guild, self.id, run.game, run.round, question,
        )
        .await
        else {
            return;
        };
        if let Some((token, at)) = &self.host_token
            && at.elapsed() < TOKEN_FRESH
        {
            let followup = out::followup()
                .ephemeral(true)
                .embed(embed.clone())
                .components(rows.clone());
            match self
                .http
                .create_followup_message(token, &followup, Vec::new())
                .await
            {
                Ok(_) => return,
                Err(err) => warn!(
                    event = self.id,
                    "cannot send the rulings to the host: {err}"
                ),
            }
        }
        self.post(
            out::message()
                .content(
                    "Hosts: near misses to rule on (only hosts and moderators can press these).",
                )
                .embed(embed)
                .components(rows),
        )
        .await;
    }
}
