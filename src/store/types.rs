//! Plain data going in and out of the store. No serenity types: ids are Discord snowflakes
//! as `u64`, times are Unix milliseconds in UTC.

use serde::{Deserialize, Serialize};

/// Unix time in milliseconds, UTC.
pub type UnixMillis = i64;

/// Which database a [`Store`](super::Store) talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A server's preferences. Stored as JSON: a field added later takes its default when reading
/// rows written before it existed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GuildSettings {
    /// Questions in a game unless the starter says otherwise.
    pub default_rounds: u32,
    /// Seconds to answer a question.
    pub default_seconds: u32,
    /// Who may score on a question: "once" (everyone gets one try) or "race" (first right).
    pub default_rule: String,
    /// "speed" (faster answers earn more) or "classic" (a right answer is one point).
    pub default_scoring: String,
    /// Role whose members may run games and events, besides those with Manage Server.
    pub quiz_master_role: Option<u64>,
    /// Channel for event announcements.
    pub announce_channel: Option<u64>,
    /// Channels where games may run; empty means all.
    pub allowed_channels: Vec<u64>,
    /// Latest episode whose facts may be asked about, e.g. "S1E4"; None means all.
    pub spoiler_limit: Option<String>,
}

impl Default for GuildSettings {
    fn default() -> Self {
        GuildSettings {
            default_rounds: 10,
            default_seconds: 20,
            default_rule: "once".to_owned(),
            default_scoring: "speed".to_owned(),
            quiz_master_role: None,
            announce_channel: None,
            allowed_channels: Vec::new(),
            spoiler_limit: None,
        }
    }
}

/// A game about to start.
#[derive(Debug, Clone, PartialEq)]
pub struct NewGame {
    pub guild: u64,
    pub channel: u64,
    pub started_by: u64,
    /// Name of the fact pack the questions come from.
    pub pack: String,
    /// Seed of the game's deck, so a game can be replayed.
    pub seed: u64,
    /// Game mode as the engine names it (e.g. "buttons", "typed").
    pub mode: String,
    pub started_at: UnixMillis,
}

/// One player's answer to one question, as the engine judged it.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerRecord {
    pub user: u64,
    pub answer_text: String,
    pub answered_at: UnixMillis,
    pub correct: bool,
    pub points: i64,
    /// How close a wrong typed answer came (0..1), if the matcher measured it.
    pub near_miss: Option<f64>,
}

/// Everything that happened on one question; recorded in one transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionResults {
    pub game_id: i64,
    pub guild: u64,
    /// 0-based position of the question in its game.
    pub question_index: u32,
    pub question_text: String,
    pub correct_answer: String,
    pub asked_at: UnixMillis,
    pub answers: Vec<AnswerRecord>,
    /// The quiz event the game belongs to, if any.
    pub event_id: Option<i64>,
    /// Display names to remember for the leaderboards (players new to the game), written in
    /// the same transaction rather than one commit each.
    pub names: Vec<(u64, String)>,
}

/// What [`Store::record_question`](super::Store::record_question) changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    /// Answers stored and counted by this call.
    pub new_answers: usize,
    /// Answers skipped because they were already stored (a replayed or retried question).
    pub already_recorded: usize,
}

/// Which leaderboard to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Board {
    /// Totals since the last reset.
    AllTime,
    /// Points from answers given since Monday 00:00 UTC of the current week.
    Week,
    /// Points from answers given since the 1st of the current month, 00:00 UTC.
    Month,
    /// One game's points.
    Game(i64),
    /// One quiz event's points.
    Event(i64),
}

/// One line of a leaderboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardRow {
    /// 1-based; players with equal points share a rank ("1, 1, 3").
    pub rank: u64,
    pub user: u64,
    /// Last display name seen, if any.
    pub name: Option<String>,
    pub points: i64,
    pub right: i64,
    pub answered: i64,
}

/// A player's all-time figures in one server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlayerStats {
    pub user: u64,
    pub name: Option<String>,
    /// Rank on the all-time board (fair ties).
    pub rank: u64,
    /// Players on the all-time board.
    pub board_size: u64,
    pub points: i64,
    pub answered: i64,
    pub right: i64,
    pub games_played: i64,
    pub games_won: i64,
    /// Right answers in a row, up to the player's latest answer.
    pub current_streak: i64,
    pub best_streak: i64,
    pub last_played_at: UnixMillis,
}

/// A moderator's reset, kept so that a mistaken one is visible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResetRecord {
    pub reset_id: i64,
    /// The player reset, or None for the whole server.
    pub user: Option<u64>,
    pub by: u64,
    pub at: UnixMillis,
}

/// A running game's saved state, so a restarted bot can resume it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GameSnapshot {
    pub guild: u64,
    pub channel: u64,
    pub game_id: i64,
    /// The engine's serialized state; the store does not look inside.
    pub json: String,
    /// The game's serialized deck. Saved once: a later save with None keeps the stored one.
    /// None when loaded from a row saved before decks were kept apart.
    pub deck: Option<String>,
    /// Revealed questions' outcomes saved apart from the state, by index: only new or changed
    /// ones when saving; every one the game left out of its state when loading.
    pub rounds: Vec<(u32, String)>,
    pub updated_at: UnixMillis,
}

/// Snowflakes are below 2^63, so the cast to SQL's signed 64-bit integer keeps value and order;
/// larger values (seeds) round-trip bit for bit.
pub(crate) fn to_sql_id(id: u64) -> i64 {
    id as i64
}

pub(crate) fn from_sql_id(id: i64) -> u64 {
    id as u64
}
