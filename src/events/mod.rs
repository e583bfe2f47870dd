//! Moderator quiz events, Discord-agnostic: the model ([`Event`], [`EventSpec`], [`RoundSpec`]),
//! the status state machine ([`Transition`]), the scheduler ([`due_actions`]), registration and
//! teams, round → game configs, rulings bookkeeping, results and export, and the checks of an
//! uploaded server pack.
//!
//! Like the game engine, nothing here does I/O or reads a clock: times are arguments (Unix
//! milliseconds, UTC). The store (`crate::store`) keeps events; the Discord shell renders them.
//!
//! An event's life:
//!
//! ```text
//! Draft (no start time) ──edit──> Scheduled ──Announce──> Announced
//!   │                                │ Start / StartLate     │ Start / StartLate
//!   └──────────── Start ─────────────┴───────────┬───────────┘
//!                                                 v
//!             Running{r} <──Pause/Resume──> Paused{r}
//!                 │ RoundEnded (r < last)         │
//!                 v                               │ NextRound
//!           Intermission{r+1} ──NextRound──> Running{r+1}
//!   Running/Paused/Intermission ──Stop, or the last RoundEnded──> Finished
//!   Draft/Scheduled/Announced ──Cancel──> Cancelled;  Scheduled/Announced ──MarkMissed──> Missed
//! ```

mod export;
mod model;
mod records;
mod registration;
mod rounds;
mod rulings;
mod schedule;
mod server_pack;
mod standings;

pub use export::{ExportDoc, ExportFormat, export_filename, iso_utc, to_csv, to_json};
pub use model::{
    Event, EventError, EventId, EventSpec, EventStatus, MAX_DESCRIPTION_CHARS, MAX_HOSTS,
    MAX_LEAD_MS, MAX_NAME_CHARS, MAX_QUESTIONS_PER_ROUND, MAX_ROUND_SECONDS, MAX_ROUNDS,
    MAX_TEAM_NAME_CHARS, MAX_TEAMS, MIN_ROUND_SECONDS, RoundSpec, TeamMode, Teams, Transition,
};
pub use records::{
    AnswerRow, EventRecords, QuestionRecord, Registration, RoundGame, Ruling, roster,
};
pub use registration::{JoinPlan, balance_teams, check_join, check_leave, teams_for_round};
pub use rounds::{RoundSetup, round_seed, round_setup};
pub use rulings::{
    Alias, MAX_ALIAS_CHARS, NearMiss, alias_for, apply_aliases, near_misses, ruling_points,
};
pub use schedule::{ScheduleConfig, ScheduledAction, due_actions, next_due};
pub use server_pack::{MAX_PACK_BYTES, ValidPack, check_upload};
pub use standings::{EventStandings, PlayerStanding, TeamStanding, standings};
