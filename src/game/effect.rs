//! What the engine asks its shell to do or show, and the records it keeps.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::config::AnswerRule;
use super::input::{PlayerRef, Timer};
use crate::answer::Verdict;
use crate::quiz::Question;

/// One thing for the shell to do or show. Effects come out in the order they happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// The game began with `total` questions.
    Started { total: usize },
    /// A player joined (by a join input or by a first answer).
    Joined { player: PlayerRef },
    /// A question is open for answers until `ends_at`.
    Asked {
        index: usize,
        total: usize,
        question: Arc<Question>,
        asked_at: i64,
        ends_at: i64,
        rule: AnswerRule,
    },
    /// An answer is locked in (once rule); show it to that player only.
    Locked { player: PlayerRef, question: usize },
    /// A raced answer was not right; the player may try again if `retry` is set.
    Missed {
        player: PlayerRef,
        question: usize,
        near_miss: bool,
        retry: bool,
    },
    /// A letter hint for a raced typed question, e.g. `J_______ F_____`.
    Hint {
        question: usize,
        level: u8,
        text: String,
    },
    /// A question is over. `outcome` holds every answer with its verdict and points: the store
    /// records it before the shell shows the reveal. `next_at` is when the next question comes
    /// (None when the game ends now).
    Revealed {
        index: usize,
        total: usize,
        question: Arc<Question>,
        outcome: QuestionOutcome,
        standings: Vec<Standing>,
        next_at: Option<i64>,
    },
    /// The clock stopped with `remaining_ms` left of the current question, or of the wait for
    /// the next one.
    Paused { question: usize, remaining_ms: i64 },
    /// The clock runs again: the open question now ends at `ends_at`, or the next one comes at
    /// `next_at`.
    Resumed {
        question: usize,
        ends_at: Option<i64>,
        next_at: Option<i64>,
    },
    /// A restored game is running again (see `Game::restore`).
    Restored {
        question: Option<usize>,
        ends_at: Option<i64>,
        next_at: Option<i64>,
        paused: bool,
    },
    /// A moderator's ruling changed a revealed answer's points by `points` (negative when a
    /// ruling is undone).
    Ruled {
        question: usize,
        record: AnswerRecord,
        points: i64,
        standings: Vec<Standing>,
    },
    /// The game is over.
    Ended {
        reason: EndReason,
        standings: Vec<Standing>,
    },
    /// Wake the engine at `at` with `Input::Timer(timer)`. At most one timer is pending: a new
    /// `Schedule` replaces the previous one, and after `Paused` or `Ended` none is.
    Schedule { at: i64, timer: Timer },
    /// An input changed nothing, for this reason. `player` is set for answers and joins: show
    /// it to that player only (an ephemeral note in Discord).
    Rejected {
        player: Option<PlayerRef>,
        reason: RejectReason,
    },
}

/// Why an input changed nothing. Every input the engine cannot use gets one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    /// Bots do not play.
    BotAccount,
    /// This game has a roster and the player is not on it.
    NotRegistered,
    /// The game has not started.
    NotStarted,
    /// `Start` on a game that already started.
    AlreadyStarted,
    /// The game is over.
    GameOver,
    /// The answer is for a question that is not the one being asked.
    NotCurrentQuestion,
    /// The question was already revealed.
    QuestionOver,
    /// The game is paused.
    Paused,
    /// `Resume` on a game that is not paused.
    NotPaused,
    /// The player already answered this question.
    AlreadyAnswered,
    /// Too many raced tries at one question.
    TooManyAttempts,
    /// The player already joined.
    AlreadyJoined,
    /// A choice index the question does not have.
    NoSuchChoice,
    /// Text that names none of the question's choices.
    NotAChoice,
    /// A button choice for a typed question.
    NeedsTypedAnswer,
    /// An empty answer.
    EmptyAnswer,
    /// An answer longer than `MAX_ANSWER_CHARS`.
    AnswerTooLong,
    /// A ruling on a question that was never asked.
    NoSuchQuestion,
    /// A ruling on a question that is still open.
    QuestionOpen,
    /// A ruling on a question that was skipped or dropped, which scores nothing.
    QuestionNotScored,
    /// A ruling on a player who did not answer that question.
    NoSuchAnswer,
    /// A ruling on a choice answer (those are judged by index) or an answer already right.
    NotRuleable,
    /// The answer was already accepted.
    AlreadyAccepted,
    /// Undo of a ruling that was never made.
    NotAccepted,
}

impl RejectReason {
    /// A short sentence to show the person whose input it was.
    pub fn message(self) -> &'static str {
        match self {
            RejectReason::BotAccount => "Bots can't play.",
            RejectReason::NotRegistered => "You're not registered for this game.",
            RejectReason::NotStarted => "The game hasn't started yet.",
            RejectReason::AlreadyStarted => "The game has already started.",
            RejectReason::GameOver => "The game is over.",
            RejectReason::NotCurrentQuestion => "That question isn't being asked any more.",
            RejectReason::QuestionOver => "Too late: that question is over.",
            RejectReason::Paused => "The game is paused.",
            RejectReason::NotPaused => "The game isn't paused.",
            RejectReason::AlreadyAnswered => "You already answered this question.",
            RejectReason::TooManyAttempts => "That's enough tries for this question.",
            RejectReason::AlreadyJoined => "You're already in the game.",
            RejectReason::NoSuchChoice => "That question has no such choice.",
            RejectReason::NotAChoice => "Answer with one of the choices (A-D, 1-4, true/false).",
            RejectReason::NeedsTypedAnswer => "This question needs a typed answer.",
            RejectReason::EmptyAnswer => "The answer is empty.",
            RejectReason::AnswerTooLong => "That answer is too long.",
            RejectReason::NoSuchQuestion => "There is no such question in this game.",
            RejectReason::QuestionOpen => "That question is still open.",
            RejectReason::QuestionNotScored => "That question was skipped and scores nothing.",
            RejectReason::NoSuchAnswer => "That player didn't answer that question.",
            RejectReason::NotRuleable => {
                "Only typed answers that were not judged right can be accepted."
            }
            RejectReason::AlreadyAccepted => "That answer was already accepted.",
            RejectReason::NotAccepted => "That answer was not accepted by a ruling.",
        }
    }
}

/// Why a game ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// Every question was asked.
    Finished,
    /// Someone stopped it.
    Stopped,
    /// Too many questions in a row went unanswered.
    Inactive,
    /// Someone reached the target score.
    TargetReached,
    /// The deck was empty.
    NoQuestions,
}

impl EndReason {
    pub fn as_str(self) -> &'static str {
        match self {
            EndReason::Finished => "finished",
            EndReason::Stopped => "stopped",
            EndReason::Inactive => "inactive",
            EndReason::TargetReached => "target_reached",
            EndReason::NoQuestions => "no_questions",
        }
    }
}

/// How a question closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseReason {
    /// The time ran out.
    TimeUp,
    /// Every known player answered (once rule).
    AllAnswered,
    /// Someone gave the first right answer (race rule).
    Won,
    /// Skipped: revealed but not scored.
    Skipped,
    /// The game was stopped while it was open: not revealed, not scored.
    Dropped,
}

/// One player's answer to one question, as the store records it. Under the race rule a player
/// may try several times; the record keeps their best try (right, else the nearest miss, else
/// the last) and counts the tries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerRecord {
    pub player: u64,
    pub name: String,
    /// The choice index for multiple choice and true/false.
    pub choice: Option<usize>,
    /// The answer as text: what was typed, or the chosen option.
    pub text: String,
    /// Unix milliseconds.
    pub answered_at: i64,
    /// Question time from the ask to the answer, pauses excluded.
    pub elapsed_ms: i64,
    pub verdict: Verdict,
    /// Every point this answer earned: speed or classic points, streak bonus, rulings.
    pub points: u64,
    /// The part of `points` that is streak bonus.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub streak_bonus: u64,
    /// A moderator accepted it after the reveal.
    #[serde(default, skip_serializing_if = "is_false")]
    pub accepted: bool,
    pub attempts: u32,
}

// Saved games hold every answer of every question: the usual values are left out.
fn is_zero(n: &u64) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl AnswerRecord {
    /// Right by the matcher or by a ruling.
    pub fn correct(&self) -> bool {
        self.accepted || matches!(self.verdict, Verdict::Right)
    }

    /// How close a near miss came (0..1).
    pub fn closeness(&self) -> Option<f64> {
        match self.verdict {
            Verdict::NearMiss { closeness } => Some(closeness),
            _ => None,
        }
    }
}

/// Everything about one asked question: its answers, tally and winner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionOutcome {
    pub index: usize,
    pub question_id: String,
    pub asked_at: i64,
    /// None while the question is open.
    pub closed_at: Option<i64>,
    pub close: Option<CloseReason>,
    /// One record a player, in the order they first answered.
    pub answers: Vec<AnswerRecord>,
    /// Answers per choice (empty for typed questions).
    pub tally: Vec<u32>,
    /// The player who took the question (race rule).
    pub winner: Option<u64>,
    pub hints_shown: u8,
}

impl QuestionOutcome {
    pub fn new(index: usize, question: &Question, asked_at: i64) -> Self {
        QuestionOutcome {
            index,
            question_id: question.id.clone(),
            asked_at,
            closed_at: None,
            close: None,
            answers: Vec::new(),
            tally: vec![0; question.choices.len()],
            winner: None,
            hints_shown: 0,
        }
    }

    pub fn answer_of(&self, player: u64) -> Option<&AnswerRecord> {
        self.answers.iter().find(|a| a.player == player)
    }

    /// Whether the question's answers count (not skipped or dropped).
    pub fn scored(&self) -> bool {
        !matches!(
            self.close,
            Some(CloseReason::Skipped | CloseReason::Dropped)
        )
    }
}

/// A player in the game with their running totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Player {
    pub id: u64,
    pub name: String,
    pub points: u64,
    /// Right answers (rulings included).
    pub right: u32,
    /// Questions answered.
    pub answered: u32,
    /// Consecutive right answers up to now.
    pub streak: u32,
    pub best_streak: u32,
}

/// One line of the standings. Equal points share a place: 1, 1, 3.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    pub place: usize,
    pub player: u64,
    pub name: String,
    pub points: u64,
    pub right: u32,
    pub answered: u32,
}
