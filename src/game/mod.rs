//! The game engine: one pure state machine runs every game, in Discord and in the terminal.
//!
//! `Game::handle(input, now)` applies an [`Input`] at `now` (Unix milliseconds) and returns
//! [`Effect`]s; it does no I/O and reads no clock. Timers are effects too: the shell arms
//! `Effect::Schedule { at, timer }` and feeds `Input::Timer(timer)` back when it is due.
//!
//! ```
//! use trivia_bot::game::{Effect, Game, GameConfig, Input};
//! # let deck: Vec<trivia_bot::quiz::Question> = Vec::new();
//! let mut game = Game::new(GameConfig::default(), deck);
//! for effect in game.handle(Input::Start, 1_700_000_000_000) {
//!     match effect {
//!         Effect::Schedule { at, timer } => { /* wake me at `at` with Input::Timer(timer) */ }
//!         other => { /* show it */ }
//!     }
//! }
//! ```
//!
//! Rules in brief (the details are on the types): answers are judged by index for choice
//! questions and by [`crate::answer::judge`] for typed ones; under [`AnswerRule::Once`] each
//! player answers each question once, hidden until the reveal; under [`AnswerRule::Race`] the
//! first right answer takes the question. [`scoring`] has the points.

mod config;
mod effect;
mod engine;
mod hint;
mod input;
mod judge;
pub mod scoring;
mod standings;

pub use config::{
    AnswerRule, DeckSpec, GameConfig, MAX_HINTS, MAX_QUESTION_SECONDS, MAX_REVEAL_SECONDS, Scoring,
};
pub use effect::{
    AnswerRecord, CloseReason, Effect, EndReason, Player, QuestionOutcome, RejectReason, Standing,
};
pub use engine::{Game, MAX_TRIES, Phase};
pub use hint::hint_text;
pub use input::{AnswerInput, Input, PlayerRef, Timer, TimerKind};
pub use judge::{MAX_ANSWER_CHARS, parse_choice};
pub use standings::rank;
