//! What happened in an event, as the store reads it back: the input of standings and export.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::model::{Event, EventId};

/// A player signed up for an event. `team` indexes the event's team names. A player who
/// leaves keeps the row (with `left_at`), so the points they earned still count for their team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    pub user: u64,
    pub team: Option<usize>,
    pub registered_at: i64,
    pub left_at: Option<i64>,
}

impl Registration {
    /// Signed up and not left.
    pub fn is_active(&self) -> bool {
        self.left_at.is_none()
    }
}

/// The players who may score in the next round: those signed up and not left, by user id.
pub fn roster(registrations: &[Registration]) -> Vec<u64> {
    let mut users: Vec<u64> = registrations
        .iter()
        .filter(|r| r.is_active())
        .map(|r| r.user)
        .collect();
    users.sort_unstable();
    users.dedup();
    users
}

/// The game that played round `round` (0-based) of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundGame {
    pub round: usize,
    pub game_id: i64,
    pub started_at: i64,
    pub ended_at: Option<i64>,
}

/// One player's stored answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerRow {
    pub user: u64,
    pub text: String,
    pub answered_at: i64,
    /// Right by the matcher or by an accepted ruling.
    pub correct: bool,
    pub points: i64,
    /// How close a wrong typed answer came (0..1).
    pub near_miss: Option<f64>,
}

/// One asked question of an event with every answer to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionRecord {
    pub round: usize,
    pub game_id: i64,
    /// 0-based position in its round's game.
    pub index: u32,
    pub text: String,
    pub correct_answer: String,
    pub asked_at: i64,
    pub answers: Vec<AnswerRow>,
}

/// A host's ruling: a near miss accepted as right. Undoing it keeps the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ruling {
    pub id: i64,
    pub guild: u64,
    pub event_id: Option<EventId>,
    pub game_id: i64,
    pub question_index: u32,
    pub user: u64,
    pub answer_text: String,
    /// Points the ruling awarded (taken back by the undo).
    pub points: i64,
    pub ruled_by: u64,
    pub ruled_at: i64,
    pub undone_by: Option<u64>,
    pub undone_at: Option<i64>,
}

impl Ruling {
    pub fn is_active(&self) -> bool {
        self.undone_at.is_none()
    }
}

/// Everything stored about one event. Questions are in play order (round, then index);
/// rulings in the order they were made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecords {
    pub event: Event,
    pub registrations: Vec<Registration>,
    /// Last display names seen, for players in the event.
    pub names: BTreeMap<u64, String>,
    pub rounds: Vec<RoundGame>,
    pub questions: Vec<QuestionRecord>,
    pub rulings: Vec<Ruling>,
}

impl EventRecords {
    /// The team of `user`, if they are registered in one.
    pub fn team_of(&self, user: u64) -> Option<usize> {
        self.registrations
            .iter()
            .find(|r| r.user == user)
            .and_then(|r| r.team)
    }

    /// The rulings on one answer, oldest first.
    pub fn rulings_on(&self, game_id: i64, question_index: u32, user: u64) -> Vec<&Ruling> {
        self.rulings
            .iter()
            .filter(|r| {
                r.game_id == game_id && r.question_index == question_index && r.user == user
            })
            .collect()
    }
}
