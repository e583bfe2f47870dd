//! Typed-answer matching (first version: exact match after folding; the full rules follow).

use serde::{Deserialize, Serialize};

use crate::quiz::Question;
use crate::text::fold;

/// The judgement of one typed answer.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Counts as the right answer.
    Right,
    /// Close to an accepted answer but not close enough to count; a moderator may accept it.
    /// `closeness` is in 0..1, 1 meaning identical.
    NearMiss { closeness: f64 },
    /// Not the answer.
    Wrong,
}

/// Judges typed answers against one question's accepted answers and confusables.
#[derive(Clone, Debug)]
pub struct Matcher {
    accepted: Vec<String>,
    confusables: Vec<String>,
}

impl Matcher {
    pub fn new(accepted: &[String], confusables: &[String]) -> Matcher {
        Matcher {
            accepted: accepted.iter().map(|a| fold(a)).collect(),
            confusables: confusables.iter().map(|c| fold(c)).collect(),
        }
    }

    /// The matcher for a question (its `accepted` and `confusables`).
    pub fn for_question(q: &Question) -> Matcher {
        Matcher::new(&q.accepted, &q.confusables)
    }

    pub fn judge(&self, input: &str) -> Verdict {
        let input = fold(input);
        if input.is_empty() || self.confusables.contains(&input) {
            return Verdict::Wrong;
        }
        if self.accepted.contains(&input) {
            Verdict::Right
        } else {
            Verdict::Wrong
        }
    }
}

/// Judges `input` against the question's accepted answers and confusables.
pub fn judge(q: &Question, input: &str) -> Verdict {
    Matcher::for_question(q).judge(input)
}
