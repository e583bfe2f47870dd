//! A generated quiz question: everything a shell needs to ask it and everything the matcher
//! and the engine need to judge it. Plain data (serde), so a running game can be saved.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::facts::EpisodeCode;

/// How the question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    /// Four options, one right.
    MultipleChoice,
    /// "True" or "False".
    TrueFalse,
    /// A typed answer judged by the answer matcher.
    Typed,
}

impl Form {
    pub fn as_str(self) -> &'static str {
        match self {
            Form::MultipleChoice => "multiple_choice",
            Form::TrueFalse => "true_false",
            Form::Typed => "typed",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

impl Difficulty {
    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Medium => "medium",
            Difficulty::Hard => "hard",
        }
    }
}

/// What a question is about; players and moderators filter decks by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Premiere, air dates, milestones.
    Dates,
    /// Who plays whom.
    Cast,
    /// Episode titles, numbers and counts.
    Episodes,
    /// Directors, writers, creators, composer, producers.
    Crew,
    /// Network, companies, distributor, country, filming.
    Production,
    /// Characters, places, ships, organisations.
    Universe,
    /// Plot points.
    Plot,
}

impl Category {
    pub const ALL: [Category; 7] = [
        Category::Dates,
        Category::Cast,
        Category::Episodes,
        Category::Crew,
        Category::Production,
        Category::Universe,
        Category::Plot,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Dates => "dates",
            Category::Cast => "cast",
            Category::Episodes => "episodes",
            Category::Crew => "crew",
            Category::Production => "production",
            Category::Universe => "universe",
            Category::Plot => "plot",
        }
    }
}

/// One quiz question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Stable within a pack version: the fact key plus the template, e.g. `cast.actor:elnor/mc`.
    pub id: String,
    /// The fact it came from, e.g. `cast.actor:elnor`; a game never asks two questions about
    /// the same fact until the pack is exhausted.
    pub fact: String,
    pub pack: String,
    pub form: Form,
    pub category: Category,
    pub difficulty: Difficulty,
    pub prompt: String,
    /// The options for multiple choice ("True"/"False" for true/false); empty for typed.
    pub choices: Vec<String>,
    /// Index of the right option in `choices` (None for typed questions).
    pub correct: Option<usize>,
    /// The right answer as shown at the reveal.
    pub answer: String,
    /// Every typed answer that counts as right (the answer and its aliases).
    pub accepted: Vec<String>,
    /// Other names of the same kind from the pack: a typed answer closer to one of these than
    /// to an accepted answer is wrong ("Dahj" is not a typo of "Data"). Shared: a fact's
    /// questions and every game dealt them hold the same list.
    pub confusables: Arc<[String]>,
    /// A short reference to the source fact, shown after the reveal.
    pub source: String,
    /// The latest episode this question (or any of its options) reveals; None if it spoils nothing.
    pub spoils: Option<EpisodeCode>,
}
