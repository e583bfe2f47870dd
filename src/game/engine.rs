//! The game state machine: `(state, input, now) -> effects`.
//!
//! Time model: each phase (an open question, or the wait after a reveal) has a stopwatch that
//! excludes pauses. Deadlines are offsets on that stopwatch, so pausing keeps the time left and
//! restoring a saved game moves the stopwatch by the downtime. Every call first "catches up":
//! whatever fell due at or before `now` (a hint, the end of a question, the next question)
//! happens at its own deadline, before the input is applied. Timers are therefore only
//! wake-up calls: a late, early, duplicated or stale timer cannot change the outcome.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::config::{AnswerRule, GameConfig};
use super::effect::{
    AnswerRecord, CloseReason, Effect, EndReason, Player, QuestionOutcome, RejectReason, Standing,
};
use super::hint::hint_text;
use super::input::{AnswerInput, Input, PlayerRef, Timer, TimerKind};
use super::judge::{Judged, judge};
use super::scoring::{base_points, streak_bonus};
use super::standings::rank;
use crate::answer::{Matcher, Verdict};
use crate::quiz::{Form, Question};

/// Tries one player may make at one raced typed question.
pub const MAX_TRIES: u32 = 20;

/// Where a game is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Not started; players may join.
    Lobby,
    /// A question is open for answers.
    Open,
    /// The last question was revealed; the next one is coming.
    Revealed,
    /// The game has ended.
    Over(EndReason),
}

/// The clock of the current phase: time since it started, pauses excluded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Stopwatch {
    started_at: i64,
    paused_ms: i64,
    paused_at: Option<i64>,
}

impl Stopwatch {
    fn start(at: i64) -> Self {
        Stopwatch {
            started_at: at,
            paused_ms: 0,
            paused_at: None,
        }
    }

    fn elapsed(&self, now: i64) -> i64 {
        let end = self.paused_at.unwrap_or(now);
        end.saturating_sub(self.started_at)
            .saturating_sub(self.paused_ms)
            .max(0)
    }

    /// The wall-clock time at which `offset` ms of phase time will have passed (if it runs).
    fn at(&self, offset: i64) -> i64 {
        self.started_at
            .saturating_add(self.paused_ms)
            .saturating_add(offset)
    }

    fn pause(&mut self, now: i64) {
        self.paused_at = Some(now);
    }

    fn resume(&mut self, now: i64) {
        if let Some(paused_at) = self.paused_at.take() {
            let paused = now.saturating_sub(paused_at).max(0);
            self.paused_ms = self.paused_ms.saturating_add(paused);
        }
    }

    /// Moves the whole phase by `delta` ms (a restore on a clock that moved on).
    fn shift(&mut self, delta: i64) {
        self.started_at = self.started_at.saturating_add(delta);
        if let Some(p) = self.paused_at.as_mut() {
            *p = p.saturating_add(delta);
        }
    }
}

/// The timer the shell was last asked to arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Armed {
    at: i64,
    timer: Timer,
}

/// One game in one channel. Plain data: serialize it to save a game's state, and save its
/// [`Game::deck`] once beside it; deserialize, give it back its deck with [`Game::with_deck`]
/// and call [`Game::restore`] to go on after a restart. The deck never changes during a game
/// while the state changes with every answer, so the state is saved often and the deck once.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Game {
    config: GameConfig,
    /// The questions, shared with the pool they were dealt from; not in the serialized state.
    #[serde(skip)]
    deck: Vec<Arc<Question>>,
    /// Known players in join order.
    players: Vec<Player>,
    /// One outcome per asked question; `rounds[i]` is question `i`.
    rounds: Vec<QuestionOutcome>,
    phase: Phase,
    clock: Stopwatch,
    /// Scored questions in a row that nobody answered.
    quiet: u32,
    armed: Option<Armed>,
    seq: u64,
    /// The latest time seen; time never runs backwards inside a game.
    last_now: i64,
    /// How many players (the first ones in `players`) were known when the current question
    /// was asked: in an open game they are the "everyone" who must answer to end it early.
    /// Players who join during a question do not hold it open, and a first question nobody
    /// joined before runs its full time (so a big server is not shut out by the first two).
    #[serde(default)]
    playing_at_ask: usize,
    /// In a saved state, how many of the first rounds were left out (saved apart, see
    /// [`Game::state_without_rounds_before`]); 0 in a running game.
    #[serde(default)]
    first_round: usize,
    /// The typed-answer matcher of the current question, built once per question rather than
    /// once per answer (building one costs far more than judging with it).
    #[serde(skip)]
    matcher: MatcherCache,
}

/// A cache of one question's [`Matcher`]; not part of the saved state (it is rebuilt on use).
#[derive(Debug, Clone, Default)]
struct MatcherCache(Option<(usize, Matcher)>);

impl MatcherCache {
    fn get(&mut self, index: usize, question: &Question) -> &Matcher {
        if self.0.as_ref().is_none_or(|(i, _)| *i != index) {
            self.0 = Some((index, Matcher::for_question(question)));
        }
        &self.0.as_ref().expect("just filled").1
    }
}

impl Game {
    /// A game in the lobby with `deck` cut to `config.rounds` questions.
    pub fn new(
        config: GameConfig,
        deck: impl IntoIterator<Item = impl Into<Arc<Question>>>,
    ) -> Self {
        let config = config.normalized();
        let deck = deck
            .into_iter()
            .take(config.rounds)
            .map(Into::into)
            .collect();
        Game {
            config,
            deck,
            players: Vec::new(),
            rounds: Vec::new(),
            phase: Phase::Lobby,
            clock: Stopwatch::default(),
            quiet: 0,
            armed: None,
            seq: 0,
            last_now: i64::MIN,
            playing_at_ask: 0,
            first_round: 0,
            matcher: MatcherCache::default(),
        }
    }

    /// Applies one input at `now` (Unix milliseconds) and returns what the shell must do.
    pub fn handle(&mut self, input: Input, now: i64) -> Vec<Effect> {
        let now = self.observe(now);
        let mut fx = Vec::new();
        // The current timer fired: it must be re-armed even if it came early and nothing
        // was due yet.
        let fired =
            matches!(&input, Input::Timer(t) if self.armed.is_some_and(|a| a.timer.seq == t.seq));
        self.catch_up(now, &mut fx);
        match input {
            Input::Start => self.start(now, &mut fx),
            Input::Join(player) => self.join(player, &mut fx),
            Input::Answer {
                player,
                question,
                answer,
            } => self.answer(player, question, answer, now, &mut fx),
            Input::Timer(_) => {}
            Input::Pause => self.pause(now, &mut fx),
            Input::Resume => self.resume(now, &mut fx),
            Input::Skip => self.skip(now, &mut fx),
            Input::Stop => self.stop(now, &mut fx),
            Input::AcceptAnswer { question, player } => self.rule(question, player, true, &mut fx),
            Input::UndoRuling { question, player } => self.rule(question, player, false, &mut fx),
        }
        self.catch_up(now, &mut fx);
        self.rearm(fired, &mut fx);
        fx
    }

    /// A moderator counts `player`'s typed answer to revealed question `question` as right:
    /// it earns the points it would have earned at the time it was given (no streak bonus;
    /// later streaks are not recomputed). Other players' points never change.
    pub fn accept_near_miss(&mut self, question: usize, player: u64, now: i64) -> Vec<Effect> {
        self.handle(Input::AcceptAnswer { question, player }, now)
    }

    /// Takes back [`Game::accept_near_miss`]: exactly the points it gave are removed.
    pub fn undo_ruling(&mut self, question: usize, player: u64, now: i64) -> Vec<Effect> {
        self.handle(Input::UndoRuling { question, player }, now)
    }

    /// Goes on after a restart. `saved_at` is when the game was saved; the time the bot was
    /// down does not count, so the open question (or the wait for the next one) has exactly
    /// the time it had left at the save. Returns `Restored` and the timer to arm.
    pub fn restore(&mut self, saved_at: i64, now: i64) -> Vec<Effect> {
        let saved_at = saved_at.max(self.last_now);
        if matches!(self.phase, Phase::Open | Phase::Revealed) {
            self.clock.shift(now.saturating_sub(saved_at));
        }
        self.last_now = now;
        let (ends_at, next_at) = self.deadlines();
        let mut fx = vec![Effect::Restored {
            question: self.current_index(),
            ends_at,
            next_at,
            paused: self.is_paused(),
        }];
        self.catch_up(now, &mut fx);
        self.rearm(true, &mut fx);
        fx
    }

    // ----- what a shell may read -----

    /// The game's questions, in order: what a saved state needs back (see [`Game::with_deck`]).
    pub fn deck(&self) -> &[Arc<Question>] {
        &self.deck
    }

    /// A deserialized state given back its deck. Fails, saying why, if the deck is not the one
    /// the state was playing (another length, or another question where one was asked).
    pub fn with_deck(mut self, deck: Vec<Arc<Question>>) -> Result<Game, String> {
        if deck.len() < self.rounds.len() || deck.len() > self.config.rounds {
            return Err(format!(
                "the saved deck has {} questions for a game of {} that asked {}",
                deck.len(),
                self.config.rounds,
                self.rounds.len()
            ));
        }
        if let Some(round) = self
            .rounds
            .iter()
            .find(|r| deck.get(r.index).is_none_or(|q| q.id != r.question_id))
        {
            return Err(format!(
                "the saved deck does not have question {} ({}) where the game asked it",
                round.index + 1,
                round.question_id
            ));
        }
        self.deck = deck;
        Ok(self)
    }

    /// How many questions, from the first, are closed (revealed or skipped): the ones a shell
    /// may save apart, since only a ruling changes them.
    pub fn closed_rounds(&self) -> usize {
        self.rounds
            .iter()
            .take_while(|r| r.closed_at.is_some())
            .count()
    }

    /// The game's state for saving without its first `first` rounds: revealed rounds never
    /// change (but for rulings), so a shell saves each once, apart, and the state it saves
    /// after every change stays small. Give them back with [`Game::with_rounds`].
    pub fn state_without_rounds_before(&self, first: usize) -> Game {
        let first = first.min(self.rounds.len());
        Game {
            config: self.config.clone(),
            deck: Vec::new(),
            players: self.players.clone(),
            rounds: self.rounds[first..].to_vec(),
            phase: self.phase,
            clock: self.clock,
            quiet: self.quiet,
            armed: self.armed,
            seq: self.seq,
            last_now: self.last_now,
            playing_at_ask: self.playing_at_ask,
            first_round: self.first_round + first,
            matcher: MatcherCache::default(),
        }
    }

    /// A deserialized state given back the rounds left out of it, in order. Fails, saying
    /// why, if they are not the ones it left out.
    pub fn with_rounds(mut self, earlier: Vec<QuestionOutcome>) -> Result<Game, String> {
        if earlier.len() != self.first_round {
            return Err(format!(
                "the saved game left out {} questions but {} were found",
                self.first_round,
                earlier.len()
            ));
        }
        if let Some((i, r)) = earlier.iter().enumerate().find(|(i, r)| r.index != *i) {
            return Err(format!(
                "saved question {} is in place {}",
                r.index + 1,
                i + 1
            ));
        }
        let mut rounds = earlier;
        rounds.append(&mut self.rounds);
        self.rounds = rounds;
        self.first_round = 0;
        Ok(self)
    }

    pub fn config(&self) -> &GameConfig {
        &self.config
    }

    pub fn phase(&self) -> Phase {
        self.phase
    }

    pub fn is_paused(&self) -> bool {
        self.clock.paused_at.is_some()
    }

    pub fn is_over(&self) -> bool {
        matches!(self.phase, Phase::Over(_))
    }

    /// Whether an answer now could count: a question is open and the game is not paused.
    pub fn accepting_answers(&self) -> bool {
        self.phase == Phase::Open && !self.is_paused()
    }

    /// Questions in this game.
    pub fn total(&self) -> usize {
        self.deck.len()
    }

    pub fn question(&self, index: usize) -> Option<&Arc<Question>> {
        self.deck.get(index)
    }

    /// The question open or just revealed.
    pub fn current_index(&self) -> Option<usize> {
        match self.phase {
            Phase::Open | Phase::Revealed => self.rounds.len().checked_sub(1),
            _ => None,
        }
    }

    pub fn current_question(&self) -> Option<&Arc<Question>> {
        self.current_index().and_then(|i| self.deck.get(i))
    }

    /// Every asked question with its answers (the open one included, its points not yet given).
    pub fn outcomes(&self) -> &[QuestionOutcome] {
        &self.rounds
    }

    pub fn players(&self) -> &[Player] {
        &self.players
    }

    pub fn standings(&self) -> Vec<Standing> {
        rank(&self.players)
    }

    /// The pending wake-up, if any: the last `Schedule` effect's time and timer.
    pub fn next_deadline(&self) -> Option<(i64, Timer)> {
        self.armed.map(|a| (a.at, a.timer))
    }

    // ----- time -----

    fn observe(&mut self, now: i64) -> i64 {
        let now = now.max(self.last_now);
        self.last_now = now;
        now
    }

    /// The next thing due by the clock, and when; None while paused or not playing.
    fn pending(&self) -> Option<(i64, TimerKind)> {
        if self.is_paused() {
            return None;
        }
        match self.phase {
            Phase::Open => {
                let round = self.rounds.last()?;
                let limit = self.config.question_ms();
                let hints = self.hints_for(round.index);
                if round.hints_shown < hints {
                    let step = i64::from(round.hints_shown) + 1;
                    let offset = limit * step / (i64::from(hints) + 1);
                    Some((self.clock.at(offset), TimerKind::Hint))
                } else {
                    Some((self.clock.at(limit), TimerKind::QuestionEnd))
                }
            }
            Phase::Revealed => Some((
                self.clock.at(self.config.reveal_ms()),
                TimerKind::NextQuestion,
            )),
            Phase::Lobby | Phase::Over(_) => None,
        }
    }

    /// When the open question ends, or when the next question comes (as if the clock ran).
    fn deadlines(&self) -> (Option<i64>, Option<i64>) {
        match self.phase {
            Phase::Open => (Some(self.clock.at(self.config.question_ms())), None),
            Phase::Revealed => (None, Some(self.clock.at(self.config.reveal_ms()))),
            _ => (None, None),
        }
    }

    /// Runs everything that fell due at or before `now`, each at its own deadline. Each step
    /// shows a hint, closes a question or asks one, so the loop ends.
    fn catch_up(&mut self, now: i64, fx: &mut Vec<Effect>) {
        while let Some((at, kind)) = self.pending()
            && at <= now
        {
            match kind {
                TimerKind::Hint => self.show_hint(fx),
                TimerKind::QuestionEnd => self.close(at, CloseReason::TimeUp, fx),
                TimerKind::NextQuestion => self.ask(self.rounds.len(), at, fx),
            }
        }
    }

    /// Asks the shell for a wake-up at the next deadline when it changed (or `force`).
    fn rearm(&mut self, force: bool, fx: &mut Vec<Effect>) {
        let Some((at, kind)) = self.pending() else {
            self.armed = None;
            return;
        };
        let question = self.current_index().unwrap_or(0);
        let same = self
            .armed
            .is_some_and(|a| a.at == at && a.timer.kind == kind && a.timer.question == question);
        if same && !force {
            return;
        }
        self.seq += 1;
        let timer = Timer {
            question,
            kind,
            seq: self.seq,
        };
        self.armed = Some(Armed { at, timer });
        fx.push(Effect::Schedule { at, timer });
    }

    // ----- the flow of a game -----

    fn start(&mut self, now: i64, fx: &mut Vec<Effect>) {
        match self.phase {
            Phase::Lobby if self.deck.is_empty() => self.end(EndReason::NoQuestions, fx),
            Phase::Lobby => {
                fx.push(Effect::Started {
                    total: self.deck.len(),
                });
                self.ask(0, now, fx);
            }
            Phase::Over(_) => reject(fx, None, RejectReason::GameOver),
            Phase::Open | Phase::Revealed => reject(fx, None, RejectReason::AlreadyStarted),
        }
    }

    fn ask(&mut self, index: usize, at: i64, fx: &mut Vec<Effect>) {
        let Some(question) = self.deck.get(index) else {
            self.end(EndReason::Finished, fx);
            return;
        };
        self.rounds.push(QuestionOutcome::new(index, question, at));
        self.playing_at_ask = self.players.len();
        self.phase = Phase::Open;
        self.clock = Stopwatch::start(at);
        fx.push(Effect::Asked {
            index,
            total: self.deck.len(),
            question: Arc::clone(question),
            asked_at: at,
            ends_at: self.clock.at(self.config.question_ms()),
            rule: self.config.rule,
        });
    }

    fn hints_for(&self, index: usize) -> u8 {
        let typed = self.deck.get(index).is_some_and(|q| q.form == Form::Typed);
        if self.config.rule == AnswerRule::Race && typed {
            self.config.hints
        } else {
            0
        }
    }

    fn show_hint(&mut self, fx: &mut Vec<Effect>) {
        let Some(round) = self.rounds.last_mut() else {
            return;
        };
        round.hints_shown += 1;
        let answer = self.deck.get(round.index).map_or("", |q| q.answer.as_str());
        fx.push(Effect::Hint {
            question: round.index,
            level: round.hints_shown,
            text: hint_text(answer, round.hints_shown),
        });
    }

    /// Ends the open question at `at`: scores it, reveals it, and ends the game or waits for
    /// the next question.
    fn close(&mut self, at: i64, reason: CloseReason, fx: &mut Vec<Effect>) {
        let Some(index) = self.current_index() else {
            return;
        };
        let Some(round) = self.rounds.get_mut(index) else {
            return;
        };
        round.closed_at = Some(at);
        round.close = Some(reason);
        if reason != CloseReason::Skipped {
            self.score(index);
        }
        let end = self.end_after(index);
        let next_at = match end {
            Some(_) => None,
            None => {
                self.phase = Phase::Revealed;
                self.clock = Stopwatch::start(at);
                Some(self.clock.at(self.config.reveal_ms()))
            }
        };
        if let (Some(question), Some(outcome)) = (self.deck.get(index), self.rounds.get(index)) {
            fx.push(Effect::Revealed {
                index,
                total: self.deck.len(),
                question: question.clone(),
                outcome: outcome.clone(),
                standings: self.standings(),
                next_at,
            });
        }
        if let Some(reason) = end {
            self.end(reason, fx);
        }
    }

    /// Gives the points of question `index` and updates streaks and the quiet count.
    fn score(&mut self, index: usize) {
        let scoring = self.config.scoring;
        let limit = self.config.question_ms();
        let Some(round) = self.rounds.get_mut(index) else {
            return;
        };
        for record in &mut round.answers {
            let Some(player) = self.players.iter_mut().find(|p| p.id == record.player) else {
                continue;
            };
            player.answered += 1;
            if matches!(record.verdict, Verdict::Right) {
                player.streak += 1;
                player.best_streak = player.best_streak.max(player.streak);
                record.streak_bonus = streak_bonus(scoring, player.streak);
                record.points = base_points(scoring, record.elapsed_ms, limit)
                    .saturating_add(record.streak_bonus);
                player.points = player.points.saturating_add(record.points);
                player.right += 1;
            } else {
                player.streak = 0;
            }
        }
        for player in &mut self.players {
            if round.answer_of(player.id).is_none() {
                player.streak = 0;
            }
        }
        self.quiet = if round.answers.is_empty() {
            self.quiet.saturating_add(1)
        } else {
            0
        };
    }

    /// Why the game ends after question `index`, if it does.
    fn end_after(&self, index: usize) -> Option<EndReason> {
        let target = self.config.target_score;
        if target.is_some_and(|t| self.players.iter().any(|p| p.points >= t)) {
            Some(EndReason::TargetReached)
        } else if index + 1 >= self.deck.len() {
            Some(EndReason::Finished)
        } else if self.config.inactive_limit.is_some_and(|n| self.quiet >= n) {
            Some(EndReason::Inactive)
        } else {
            None
        }
    }

    fn end(&mut self, reason: EndReason, fx: &mut Vec<Effect>) {
        self.phase = Phase::Over(reason);
        self.clock.paused_at = None;
        fx.push(Effect::Ended {
            reason,
            standings: self.standings(),
        });
    }

    // ----- controls -----

    /// Why a control (pause, resume, skip) cannot apply now, if it cannot.
    fn control_blocked(&self) -> Option<RejectReason> {
        match self.phase {
            Phase::Lobby => Some(RejectReason::NotStarted),
            Phase::Over(_) => Some(RejectReason::GameOver),
            Phase::Open | Phase::Revealed => None,
        }
    }

    fn pause(&mut self, now: i64, fx: &mut Vec<Effect>) {
        if let Some(reason) = self.control_blocked() {
            return reject(fx, None, reason);
        }
        if self.is_paused() {
            return reject(fx, None, RejectReason::Paused);
        }
        let (ends_at, next_at) = self.deadlines();
        let deadline = ends_at.or(next_at).unwrap_or(now);
        self.clock.pause(now);
        fx.push(Effect::Paused {
            question: self.current_index().unwrap_or(0),
            remaining_ms: deadline.saturating_sub(now).max(0),
        });
    }

    fn resume(&mut self, now: i64, fx: &mut Vec<Effect>) {
        if let Some(reason) = self.control_blocked() {
            return reject(fx, None, reason);
        }
        if !self.is_paused() {
            return reject(fx, None, RejectReason::NotPaused);
        }
        self.clock.resume(now);
        let (ends_at, next_at) = self.deadlines();
        fx.push(Effect::Resumed {
            question: self.current_index().unwrap_or(0),
            ends_at,
            next_at,
        });
    }

    fn skip(&mut self, now: i64, fx: &mut Vec<Effect>) {
        if let Some(reason) = self.control_blocked() {
            return reject(fx, None, reason);
        }
        if self.is_paused() {
            return reject(fx, None, RejectReason::Paused);
        }
        match self.phase {
            Phase::Open => self.close(now, CloseReason::Skipped, fx),
            _ => self.ask(self.rounds.len(), now, fx),
        }
    }

    fn stop(&mut self, now: i64, fx: &mut Vec<Effect>) {
        match self.phase {
            Phase::Over(_) => reject(fx, None, RejectReason::GameOver),
            Phase::Open => {
                if let Some(round) = self.rounds.last_mut() {
                    round.closed_at = Some(now);
                    round.close = Some(CloseReason::Dropped);
                }
                self.end(EndReason::Stopped, fx);
            }
            Phase::Lobby | Phase::Revealed => self.end(EndReason::Stopped, fx),
        }
    }

    // ----- players and answers -----

    fn on_roster(&self, id: u64) -> bool {
        self.config.roster.as_ref().is_none_or(|r| r.contains(&id))
    }

    /// Whether everyone who must answer `round` has: the whole roster, or in an open game
    /// everyone who was playing when it was asked (at least one player).
    fn everyone_answered(&self, round: &QuestionOutcome) -> bool {
        if let Some(roster) = &self.config.roster {
            // Every record comes from a distinct rostered player, so counting is enough.
            return round.answers.len() >= roster.len();
        }
        let expected = &self.players[..self.playing_at_ask.min(self.players.len())];
        if expected.is_empty() || round.answers.len() < expected.len() {
            return false;
        }
        let answered: std::collections::HashSet<u64> =
            round.answers.iter().map(|a| a.player).collect();
        expected.iter().all(|p| answered.contains(&p.id))
    }

    fn join(&mut self, player: PlayerRef, fx: &mut Vec<Effect>) {
        let refused = if player.is_bot {
            Some(RejectReason::BotAccount)
        } else if !self.on_roster(player.id) {
            Some(RejectReason::NotRegistered)
        } else if self.is_over() {
            Some(RejectReason::GameOver)
        } else if self.players.iter().any(|p| p.id == player.id) {
            Some(RejectReason::AlreadyJoined)
        } else {
            None
        };
        match refused {
            Some(reason) => reject(fx, Some(player), reason),
            None => self.enrol(&player, fx),
        }
    }

    /// Adds a new player (announcing it) or refreshes a known player's display name.
    fn enrol(&mut self, player: &PlayerRef, fx: &mut Vec<Effect>) {
        if let Some(known) = self.players.iter_mut().find(|p| p.id == player.id) {
            known.name.clone_from(&player.name);
            return;
        }
        self.players.push(Player {
            id: player.id,
            name: player.name.clone(),
            points: 0,
            right: 0,
            answered: 0,
            streak: 0,
            best_streak: 0,
        });
        fx.push(Effect::Joined {
            player: player.clone(),
        });
    }

    /// Why `player` may not answer question `question` now, if they may not. The checks run in
    /// this order, so every input has exactly one outcome.
    fn answer_blocked(&self, player: &PlayerRef, question: usize) -> Option<RejectReason> {
        if player.is_bot {
            return Some(RejectReason::BotAccount);
        }
        if !self.on_roster(player.id) {
            return Some(RejectReason::NotRegistered);
        }
        if let Some(reason) = self.control_blocked() {
            return Some(reason);
        }
        if Some(question) != self.current_index() {
            return Some(RejectReason::NotCurrentQuestion);
        }
        if self.phase == Phase::Revealed {
            return Some(RejectReason::QuestionOver);
        }
        if self.is_paused() {
            return Some(RejectReason::Paused);
        }
        let previous = self.rounds.get(question)?.answer_of(player.id)?;
        let retry_allowed = self.config.rule == AnswerRule::Race
            && self
                .deck
                .get(question)
                .is_some_and(|q| q.form == Form::Typed);
        if !retry_allowed {
            Some(RejectReason::AlreadyAnswered)
        } else if previous.attempts >= MAX_TRIES {
            Some(RejectReason::TooManyAttempts)
        } else {
            None
        }
    }

    fn answer(
        &mut self,
        player: PlayerRef,
        question: usize,
        answer: AnswerInput,
        now: i64,
        fx: &mut Vec<Effect>,
    ) {
        if let Some(reason) = self.answer_blocked(&player, question) {
            return reject(fx, Some(player), reason);
        }
        let Some(q) = self.deck.get(question) else {
            return reject(fx, Some(player), RejectReason::NotCurrentQuestion);
        };
        let typed = q.form == Form::Typed;
        let matcher = typed.then(|| self.matcher.get(question, q));
        let judged = match judge(q, &answer, matcher) {
            Ok(judged) => judged,
            Err(reason) => return reject(fx, Some(player), reason),
        };
        self.enrol(&player, fx);
        let elapsed_ms = self.clock.elapsed(now);
        let Some(round) = self.rounds.get_mut(question) else {
            return;
        };
        let attempts = record_answer(round, &player, judged, now, elapsed_ms);
        let right = round
            .answer_of(player.id)
            .is_some_and(|r| matches!(r.verdict, Verdict::Right));
        let near_miss = round
            .answer_of(player.id)
            .is_some_and(|r| r.closeness().is_some());
        match self.config.rule {
            AnswerRule::Once => {
                fx.push(Effect::Locked { player, question });
                let everyone = self
                    .rounds
                    .get(question)
                    .is_some_and(|r| self.everyone_answered(r));
                if self.config.end_early && everyone {
                    self.close(now, CloseReason::AllAnswered, fx);
                }
            }
            AnswerRule::Race if right => {
                round.winner = Some(player.id);
                self.close(now, CloseReason::Won, fx);
            }
            AnswerRule::Race => fx.push(Effect::Missed {
                player,
                question,
                near_miss,
                retry: typed && attempts < MAX_TRIES,
            }),
        }
    }

    // ----- rulings -----

    fn rule(&mut self, question: usize, player: u64, accept: bool, fx: &mut Vec<Effect>) {
        let scoring = self.config.scoring;
        let limit = self.config.question_ms();
        let record = match self.ruleable(question, player, accept) {
            Ok(record) => record,
            Err(reason) => return reject(fx, None, reason),
        };
        let points = base_points(scoring, record.elapsed_ms, limit);
        record.accepted = accept;
        record.points = if accept {
            record.points.saturating_add(points)
        } else {
            record.points.saturating_sub(points)
        };
        let record = record.clone();
        if let Some(p) = self.players.iter_mut().find(|p| p.id == player) {
            if accept {
                p.points = p.points.saturating_add(points);
                p.right = p.right.saturating_add(1);
            } else {
                p.points = p.points.saturating_sub(points);
                p.right = p.right.saturating_sub(1);
            }
        }
        let signed = i64::try_from(points).unwrap_or(i64::MAX);
        fx.push(Effect::Ruled {
            question,
            record,
            points: if accept { signed } else { -signed },
            standings: self.standings(),
        });
    }

    /// The record a ruling would change, or why there is none.
    fn ruleable(
        &mut self,
        question: usize,
        player: u64,
        accept: bool,
    ) -> Result<&mut AnswerRecord, RejectReason> {
        let round = self
            .rounds
            .get_mut(question)
            .ok_or(RejectReason::NoSuchQuestion)?;
        if round.closed_at.is_none() {
            return Err(RejectReason::QuestionOpen);
        }
        if !round.scored() {
            return Err(RejectReason::QuestionNotScored);
        }
        let record = round
            .answers
            .iter_mut()
            .find(|r| r.player == player)
            .ok_or(RejectReason::NoSuchAnswer)?;
        match (accept, record.accepted) {
            (true, true) => Err(RejectReason::AlreadyAccepted),
            (true, false)
                if record.choice.is_some() || matches!(record.verdict, Verdict::Right) =>
            {
                Err(RejectReason::NotRuleable)
            }
            (false, false) => Err(RejectReason::NotAccepted),
            _ => Ok(record),
        }
    }
}

fn reject(fx: &mut Vec<Effect>, player: Option<PlayerRef>, reason: RejectReason) {
    fx.push(Effect::Rejected { player, reason });
}

/// Records `player`'s answer in `round` and returns their tries so far. A player keeps one
/// record: a right try replaces anything, a nearer miss replaces a farther one or a wrong
/// one, and among wrong tries the last is kept.
fn record_answer(
    round: &mut QuestionOutcome,
    player: &PlayerRef,
    judged: Judged,
    now: i64,
    elapsed_ms: i64,
) -> u32 {
    let fresh = AnswerRecord {
        player: player.id,
        name: player.name.clone(),
        choice: judged.choice,
        text: judged.text,
        answered_at: now,
        elapsed_ms,
        verdict: judged.verdict,
        points: 0,
        streak_bonus: 0,
        accepted: false,
        attempts: 1,
    };
    if let Some(previous) = round.answers.iter_mut().find(|r| r.player == player.id) {
        let attempts = previous.attempts.saturating_add(1);
        if better_or_equal(&fresh.verdict, &previous.verdict) {
            *previous = fresh;
        }
        previous.attempts = attempts;
        return attempts;
    }
    if let Some(count) = judged.choice.and_then(|c| round.tally.get_mut(c)) {
        *count += 1;
    }
    round.answers.push(fresh);
    1
}

fn better_or_equal(new: &Verdict, old: &Verdict) -> bool {
    fn rank(v: &Verdict) -> f64 {
        match v {
            Verdict::Right => 2.0,
            Verdict::NearMiss { closeness } => 1.0 + closeness.clamp(0.0, 0.999),
            Verdict::Wrong => 0.0,
        }
    }
    match (new, old) {
        // Keep the earliest of equally near misses; keep the last of wrong tries.
        (Verdict::NearMiss { .. }, Verdict::NearMiss { .. }) => rank(new) > rank(old),
        _ => rank(new) >= rank(old),
    }
}
