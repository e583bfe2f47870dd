//! What a shell feeds into the engine.

use serde::{Deserialize, Serialize};

/// A player as the shell knows them. `id` is the Discord user id (the terminal numbers its
/// players from 1).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PlayerRef {
    pub id: u64,
    pub name: String,
    #[serde(default)]
    pub is_bot: bool,
}

impl PlayerRef {
    /// A human player.
    pub fn new(id: u64, name: impl Into<String>) -> Self {
        PlayerRef {
            id,
            name: name.into(),
            is_bot: false,
        }
    }
}

/// An answer as given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerInput {
    /// A button: the index of a choice of a multiple-choice or true/false question.
    Choice(usize),
    /// Typed text. For a choice question it may name the choice: "B", "2", "true", "t" or the
    /// choice's text.
    Text(String),
}

/// What a scheduled wake-up is for (informative: the engine works out what is due itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimerKind {
    /// Show the next letter hint (race rule, typed questions).
    Hint,
    /// The question's time is up.
    QuestionEnd,
    /// Ask the next question after the reveal.
    NextQuestion,
}

/// A wake-up the engine asked for with `Effect::Schedule`; the shell feeds it back as
/// [`Input::Timer`] when it is due. `seq` tells the current timer from stale ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Timer {
    pub question: usize,
    pub kind: TimerKind,
    pub seq: u64,
}

/// One thing that happened, fed to `Game::handle` with the time it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Input {
    /// Ask the first question.
    Start,
    /// A player joins without answering (a "join" button, or the terminal's player list).
    Join(PlayerRef),
    /// An answer to question `question` (0-based index in the game).
    Answer {
        player: PlayerRef,
        question: usize,
        answer: AnswerInput,
    },
    /// A timer from `Effect::Schedule` is due.
    Timer(Timer),
    /// Stop the clock; the time left is kept.
    Pause,
    /// Start the clock again with the time that was left.
    Resume,
    /// Reveal the open question now without scoring it, or, between questions, ask the next
    /// one now.
    Skip,
    /// End the game now; an open question is dropped unscored.
    Stop,
    /// A moderator's ruling: count `player`'s typed answer to a revealed question as right.
    AcceptAnswer { question: usize, player: u64 },
    /// Take back an [`Input::AcceptAnswer`] ruling.
    UndoRuling { question: usize, player: u64 },
}
