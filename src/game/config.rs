//! How a game is played: rounds, time limits, the answer rule, the scoring rule and the rest.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::facts::EpisodeCode;
use crate::quiz::{Category, Difficulty};

/// The longest time a question may run (one hour).
pub const MAX_QUESTION_SECONDS: u32 = 3600;
/// The longest pause between a reveal and the next question.
pub const MAX_REVEAL_SECONDS: u32 = 600;
/// The most hints a race question can give.
pub const MAX_HINTS: u8 = 3;

/// Who may answer and when a question ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerRule {
    /// Everyone answers each question once before the timer ends; answers are locked in and
    /// hidden until the reveal.
    #[default]
    Once,
    /// The first right answer takes the question and ends it. Typed questions may be retried
    /// after a wrong answer; multiple-choice and true/false questions allow one try each.
    Race,
}

impl AnswerRule {
    pub fn as_str(self) -> &'static str {
        match self {
            AnswerRule::Once => "once",
            AnswerRule::Race => "race",
        }
    }
}

impl fmt::Display for AnswerRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AnswerRule {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "once" => Ok(AnswerRule::Once),
            "race" => Ok(AnswerRule::Race),
            _ => Err(format!("`{s}` is not an answer rule; use `once` or `race`")),
        }
    }
}

/// How right answers are scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scoring {
    /// 1000 points for an instant answer down to 500 at the time limit, plus a streak bonus.
    #[default]
    Speed,
    /// One point a right answer.
    Classic,
}

impl Scoring {
    pub fn as_str(self) -> &'static str {
        match self {
            Scoring::Speed => "speed",
            Scoring::Classic => "classic",
        }
    }
}

impl fmt::Display for Scoring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scoring {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "speed" => Ok(Scoring::Speed),
            "classic" => Ok(Scoring::Classic),
            _ => Err(format!(
                "`{s}` is not a scoring rule; use `speed` or `classic`"
            )),
        }
    }
}

/// Which deck the shell dealt for this game. The engine does not read it: it is kept with the
/// game so a shell can show it and a saved game remembers it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DeckSpec {
    pub pack: String,
    pub seed: u64,
    /// Empty = any.
    pub categories: Vec<Category>,
    /// Empty = any.
    pub difficulties: Vec<Difficulty>,
    /// No question spoils anything after this episode.
    pub spoiler_limit: Option<EpisodeCode>,
}

/// The rules of one game. `Game::new` clamps out-of-range values (see the field docs), so any
/// config makes a playable game.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GameConfig {
    /// Questions to ask; the deck is cut to this length.
    pub rounds: usize,
    /// Time to answer a question, 1..=3600 seconds.
    pub question_seconds: u32,
    /// Time between a reveal and the next question, 0..=600 seconds.
    pub reveal_seconds: u32,
    pub rule: AnswerRule,
    pub scoring: Scoring,
    /// With [`AnswerRule::Once`], end a question as soon as every known player has answered.
    /// Known players are the roster, or else everyone who had joined when the question was
    /// asked; an open game's first question (nobody joined yet) always runs its full time.
    pub end_early: bool,
    /// Only these user ids may play (quiz events); `None` lets anyone join by answering.
    pub roster: Option<Vec<u64>>,
    /// End the game as soon as someone has this many points.
    pub target_score: Option<u64>,
    /// End the game after this many questions in a row that nobody answered.
    pub inactive_limit: Option<u32>,
    /// Letter hints for typed questions under [`AnswerRule::Race`], spread evenly over the
    /// time limit (0..=3).
    pub hints: u8,
    pub deck: DeckSpec,
}

impl Default for GameConfig {
    fn default() -> Self {
        GameConfig {
            rounds: 10,
            question_seconds: 20,
            reveal_seconds: 5,
            rule: AnswerRule::Once,
            scoring: Scoring::Speed,
            end_early: true,
            roster: None,
            target_score: None,
            inactive_limit: Some(3),
            hints: 2,
            deck: DeckSpec::default(),
        }
    }
}

impl GameConfig {
    /// The same config with every number inside its documented range (a zero target or
    /// inactivity limit means none), and the roster without repeats.
    pub fn normalized(mut self) -> Self {
        self.question_seconds = self.question_seconds.clamp(1, MAX_QUESTION_SECONDS);
        self.reveal_seconds = self.reveal_seconds.min(MAX_REVEAL_SECONDS);
        self.hints = self.hints.min(MAX_HINTS);
        if self.inactive_limit == Some(0) {
            self.inactive_limit = None;
        }
        if self.target_score == Some(0) {
            self.target_score = None;
        }
        // "Everyone answered" counts the roster, so each id is listed once.
        if let Some(roster) = self.roster.as_mut() {
            roster.sort_unstable();
            roster.dedup();
        }
        self
    }

    pub fn question_ms(&self) -> i64 {
        i64::from(self.question_seconds) * 1000
    }

    pub fn reveal_ms(&self) -> i64 {
        i64::from(self.reveal_seconds) * 1000
    }
}
