//! What an event is: the moderator's spec, its stored state, and the status state machine.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::game::{AnswerRule, GameConfig, Scoring};
use crate::quiz::{Category, Difficulty, Form};
use crate::text::fold;

/// Store-assigned id of an event (also written into every answer given in it).
pub type EventId = i64;

/// Discord's scheduled events allow names of 1..=100 characters.
pub const MAX_NAME_CHARS: usize = 100;
/// Discord's scheduled events allow descriptions up to 1000 characters.
pub const MAX_DESCRIPTION_CHARS: usize = 1000;
pub const MAX_HOSTS: usize = 10;
pub const MAX_ROUNDS: usize = 10;
pub const MAX_QUESTIONS_PER_ROUND: usize = 100;
pub const MIN_ROUND_SECONDS: u32 = 5;
pub const MAX_ROUND_SECONDS: u32 = 600;
/// A select menu offers at most 25 options; ten teams is plenty for a trivia night.
pub const MAX_TEAMS: usize = 10;
pub const MAX_TEAM_NAME_CHARS: usize = 32;
/// The announcement may come at most a week before the start.
pub const MAX_LEAD_MS: i64 = 7 * 24 * 3_600_000;

/// One round: its own deck and rules. Becomes one game (see [`super::round_setup`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundSpec {
    /// Pack id: a built-in pack or one uploaded to the server.
    pub pack: String,
    /// Empty = any.
    #[serde(default)]
    pub categories: Vec<Category>,
    /// Empty = any.
    #[serde(default)]
    pub difficulties: Vec<Difficulty>,
    /// Empty = any.
    #[serde(default)]
    pub forms: Vec<Form>,
    pub questions: usize,
    pub seconds: u32,
    #[serde(default)]
    pub rule: AnswerRule,
    #[serde(default)]
    pub scoring: Scoring,
}

impl RoundSpec {
    /// A round of `pack` with the game defaults (10 questions, 20 s, once, speed).
    pub fn new(pack: impl Into<String>) -> RoundSpec {
        let defaults = GameConfig::default();
        RoundSpec {
            pack: pack.into(),
            categories: Vec::new(),
            difficulties: Vec::new(),
            forms: Vec::new(),
            questions: defaults.rounds,
            seconds: defaults.question_seconds,
            rule: defaults.rule,
            scoring: defaults.scoring,
        }
    }
}

/// How players end up in teams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TeamMode {
    /// Players pick a team when they sign up; anyone without one is placed at the start.
    Choose,
    /// The bot deals players into teams at the start, balanced by their past points.
    Balanced,
}

impl FromStr for TeamMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "choose" => Ok(TeamMode::Choose),
            "balanced" => Ok(TeamMode::Balanced),
            _ => Err(format!(
                "`{s}` is not a team mode; use `choose` or `balanced`"
            )),
        }
    }
}

/// Teams of an event. A player's team is an index into `names`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Teams {
    pub mode: TeamMode,
    pub names: Vec<String>,
}

impl Teams {
    /// `count` teams named "Team 1", "Team 2", ...
    pub fn numbered(mode: TeamMode, count: usize) -> Teams {
        Teams {
            mode,
            names: (1..=count).map(|i| format!("Team {i}")).collect(),
        }
    }
}

/// Everything a moderator writes when creating or editing an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSpec {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Where the event is played and announced.
    pub channel: u64,
    /// Who may run it (besides moderators). At least one.
    pub hosts: Vec<u64>,
    /// None: started by hand (`/event start`).
    pub starts_at: Option<i64>,
    /// How long before the start the announcement comes; 0 = only at the start.
    #[serde(default)]
    pub announce_lead_ms: i64,
    /// The one role the announcements may ping.
    #[serde(default)]
    pub announce_role: Option<u64>,
    pub rounds: Vec<RoundSpec>,
    #[serde(default)]
    pub teams: Option<Teams>,
}

/// Where an event is in its life. See the diagram in [`crate::events`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum EventStatus {
    /// No start time: waits for `/event start`.
    Draft,
    /// Has a start time; not announced yet.
    Scheduled,
    /// The lead announcement was posted.
    Announced,
    /// Round `round` (0-based) is being played.
    Running {
        round: usize,
    },
    /// Round `round` is paused by a host.
    Paused {
        round: usize,
    },
    /// A round ended; round `next` starts when a host says so.
    Intermission {
        next: usize,
    },
    Finished,
    /// Called off before it started.
    Cancelled,
    /// Its start passed while the bot was away, beyond the grace period.
    Missed,
}

impl EventStatus {
    /// Not started yet (editable, cancellable).
    pub fn is_upcoming(self) -> bool {
        matches!(
            self,
            EventStatus::Draft | EventStatus::Scheduled | EventStatus::Announced
        )
    }

    /// Started and not over.
    pub fn is_live(self) -> bool {
        matches!(
            self,
            EventStatus::Running { .. }
                | EventStatus::Paused { .. }
                | EventStatus::Intermission { .. }
        )
    }

    /// Over for good: finished, cancelled or missed.
    pub fn is_over(self) -> bool {
        matches!(
            self,
            EventStatus::Finished | EventStatus::Cancelled | EventStatus::Missed
        )
    }

    /// Players may sign up (and leave) until the event is over.
    pub fn registration_open(self) -> bool {
        !self.is_over()
    }

    /// The round being played or paused.
    pub fn current_round(self) -> Option<usize> {
        match self {
            EventStatus::Running { round } | EventStatus::Paused { round } => Some(round),
            _ => None,
        }
    }

    /// How the store writes it: a name and a round number (0 when there is none).
    pub fn to_db(self) -> (&'static str, i64) {
        let round = |r: usize| i64::try_from(r).unwrap_or(i64::MAX);
        match self {
            EventStatus::Draft => ("draft", 0),
            EventStatus::Scheduled => ("scheduled", 0),
            EventStatus::Announced => ("announced", 0),
            EventStatus::Running { round: r } => ("running", round(r)),
            EventStatus::Paused { round: r } => ("paused", round(r)),
            EventStatus::Intermission { next } => ("intermission", round(next)),
            EventStatus::Finished => ("finished", 0),
            EventStatus::Cancelled => ("cancelled", 0),
            EventStatus::Missed => ("missed", 0),
        }
    }

    /// The inverse of [`EventStatus::to_db`]; None for a name it does not know.
    pub fn from_db(name: &str, round: i64) -> Option<EventStatus> {
        let round = usize::try_from(round).ok()?;
        Some(match name {
            "draft" => EventStatus::Draft,
            "scheduled" => EventStatus::Scheduled,
            "announced" => EventStatus::Announced,
            "running" => EventStatus::Running { round },
            "paused" => EventStatus::Paused { round },
            "intermission" => EventStatus::Intermission { next: round },
            "finished" => EventStatus::Finished,
            "cancelled" => EventStatus::Cancelled,
            "missed" => EventStatus::Missed,
            _ => return None,
        })
    }
}

impl fmt::Display for EventStatus {
    /// Rounds are shown 1-based: "running (round 2)".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            EventStatus::Running { round } => write!(f, "running (round {})", round + 1),
            EventStatus::Paused { round } => write!(f, "paused (round {})", round + 1),
            EventStatus::Intermission { next } => {
                write!(f, "between rounds (round {} next)", next + 1)
            }
            other => f.write_str(other.to_db().0),
        }
    }
}

/// A change of status that a host, the scheduler or the game asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    /// The lead announcement was posted.
    Announce,
    /// Begin round 1 now.
    Start,
    Pause,
    Resume,
    /// End the current round (if one is playing) and begin the next one.
    NextRound,
    /// The current round's game ended by itself.
    RoundEnded,
    /// End the event now.
    Stop,
    /// Call the event off before it starts.
    Cancel,
    /// The start passed long ago while the bot was away.
    MarkMissed,
}

/// A stored event: the spec plus its state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub id: EventId,
    pub guild: u64,
    pub spec: EventSpec,
    pub status: EventStatus,
    /// The server's native scheduled event mirroring this one, once created.
    pub discord_scheduled_event_id: Option<u64>,
    /// The sign-up message with the Join / Leave buttons, once posted.
    pub signup_message: Option<u64>,
    pub created_by: u64,
    pub created_at: i64,
}

impl Event {
    /// The status a new or edited event starts from: scheduled if it has a start time.
    pub fn initial_status(spec: &EventSpec) -> EventStatus {
        if spec.starts_at.is_some() {
            EventStatus::Scheduled
        } else {
            EventStatus::Draft
        }
    }

    /// True if `user` is one of the event's hosts. Moderators may run any event: the shell
    /// checks that separately.
    pub fn is_host(&self, user: u64) -> bool {
        self.spec.hosts.contains(&user)
    }

    pub fn round_count(&self) -> usize {
        self.spec.rounds.len()
    }

    /// This event with `spec` instead of its own, checked. Only an event that has not started
    /// may be edited. A new start time means a new announcement; removing it makes a draft.
    pub fn edited(&self, spec: EventSpec, now: i64) -> Result<Event, EventError> {
        if !self.status.is_upcoming() {
            return Err(EventError::NotEditable {
                status: self.status,
            });
        }
        let new_time = spec.starts_at != self.spec.starts_at;
        spec.validate(if new_time { Some(now) } else { None })?;
        let status = match (spec.starts_at, new_time) {
            (None, _) => EventStatus::Draft,
            (Some(_), true) => EventStatus::Scheduled,
            (Some(_), false) => self.status,
        };
        Ok(Event {
            spec,
            status,
            ..self.clone()
        })
    }

    /// The status after `transition`, or why it cannot happen now.
    pub fn next_status(&self, transition: Transition) -> Result<EventStatus, EventError> {
        use EventStatus as S;
        let status = self.status;
        let last = self.round_count().saturating_sub(1);
        if status.is_over() {
            return Err(EventError::Over { status });
        }
        match (transition, status) {
            (Transition::Announce, S::Scheduled) => Ok(S::Announced),
            (Transition::Announce, S::Announced) => Err(EventError::AlreadyAnnounced),
            (Transition::Announce, S::Draft) => Err(EventError::NoStartTime),
            (Transition::Start, s) if s.is_upcoming() => Ok(S::Running { round: 0 }),
            (Transition::Pause, S::Running { round }) => Ok(S::Paused { round }),
            (Transition::Pause, S::Paused { .. }) => Err(EventError::AlreadyPaused),
            (Transition::Resume, S::Paused { round }) => Ok(S::Running { round }),
            (Transition::Resume, S::Running { .. }) => Err(EventError::NotPaused),
            (Transition::NextRound, S::Running { round } | S::Paused { round }) => {
                if round >= last {
                    Err(EventError::NoMoreRounds)
                } else {
                    Ok(S::Running { round: round + 1 })
                }
            }
            (Transition::NextRound, S::Intermission { next }) => Ok(S::Running { round: next }),
            (Transition::RoundEnded, S::Running { round } | S::Paused { round }) => {
                if round >= last {
                    Ok(S::Finished)
                } else {
                    Ok(S::Intermission { next: round + 1 })
                }
            }
            (Transition::Stop, s) if s.is_live() => Ok(S::Finished),
            (Transition::Cancel, s) if s.is_upcoming() => Ok(S::Cancelled),
            (Transition::Cancel, _) => Err(EventError::AlreadyStartedUseStop),
            (Transition::MarkMissed, S::Scheduled | S::Announced) => Ok(S::Missed),
            (Transition::Start, _) => Err(EventError::AlreadyStarted),
            (_, s) if s.is_upcoming() => Err(EventError::NotStarted),
            _ => Err(EventError::NotRunning { status }),
        }
    }

    /// A rough end time for the server's scheduled event: every question at its full time
    /// plus a reveal, and two minutes between rounds. None without a start time.
    pub fn estimated_end(&self) -> Option<i64> {
        let reveal_ms = GameConfig::default().reveal_ms();
        let play: i64 = self
            .spec
            .rounds
            .iter()
            .map(|r| {
                let per_question = i64::from(r.seconds) * 1000 + reveal_ms;
                i64::try_from(r.questions).unwrap_or(0) * per_question
            })
            .sum();
        let breaks = i64::try_from(self.round_count().saturating_sub(1)).unwrap_or(0) * 120_000;
        Some(self.spec.starts_at? + play + breaks)
    }

    /// The team name of index `team`, if teams are on and it exists.
    pub fn team_name(&self, team: usize) -> Option<&str> {
        self.spec
            .teams
            .as_ref()
            .and_then(|t| t.names.get(team))
            .map(String::as_str)
    }
}

impl EventSpec {
    /// Checks the spec; `now` is given when the start time is new and must lie ahead.
    pub fn validate(&self, now: Option<i64>) -> Result<(), EventError> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err(EventError::EmptyName);
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(EventError::NameTooLong);
        }
        if self.description.chars().count() > MAX_DESCRIPTION_CHARS {
            return Err(EventError::DescriptionTooLong);
        }
        if self.hosts.is_empty() {
            return Err(EventError::NoHosts);
        }
        if self.hosts.len() > MAX_HOSTS {
            return Err(EventError::TooManyHosts);
        }
        if let (Some(start), Some(now)) = (self.starts_at, now)
            && start <= now
        {
            return Err(EventError::StartInPast);
        }
        if !(0..=MAX_LEAD_MS).contains(&self.announce_lead_ms) {
            return Err(EventError::BadLead);
        }
        self.validate_rounds()?;
        match &self.teams {
            Some(teams) => validate_teams(teams),
            None => Ok(()),
        }
    }

    fn validate_rounds(&self) -> Result<(), EventError> {
        if self.rounds.is_empty() {
            return Err(EventError::NoRounds);
        }
        if self.rounds.len() > MAX_ROUNDS {
            return Err(EventError::TooManyRounds);
        }
        for (i, r) in self.rounds.iter().enumerate() {
            let round = i + 1;
            if r.pack.trim().is_empty() {
                return Err(EventError::RoundWithoutPack { round });
            }
            if !(1..=MAX_QUESTIONS_PER_ROUND).contains(&r.questions) {
                return Err(EventError::BadQuestionCount { round });
            }
            if !(MIN_ROUND_SECONDS..=MAX_ROUND_SECONDS).contains(&r.seconds) {
                return Err(EventError::BadSeconds { round });
            }
        }
        Ok(())
    }
}

fn validate_teams(teams: &Teams) -> Result<(), EventError> {
    if !(2..=MAX_TEAMS).contains(&teams.names.len()) {
        return Err(EventError::BadTeamCount);
    }
    let mut seen = Vec::new();
    for name in &teams.names {
        let trimmed = name.trim();
        if trimmed.is_empty() || trimmed.chars().count() > MAX_TEAM_NAME_CHARS {
            return Err(EventError::BadTeamName);
        }
        let folded = fold(trimmed);
        if seen.contains(&folded) {
            return Err(EventError::DuplicateTeamName {
                name: trimmed.to_owned(),
            });
        }
        seen.push(folded);
    }
    Ok(())
}

/// Why an event action was refused; each message says what to do instead, fit to show to the
/// moderator or player who asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventError {
    #[error("The event needs a name.")]
    EmptyName,
    #[error("The name is too long: at most {MAX_NAME_CHARS} characters.")]
    NameTooLong,
    #[error("The description is too long: at most {MAX_DESCRIPTION_CHARS} characters.")]
    DescriptionTooLong,
    #[error("The event needs at least one host.")]
    NoHosts,
    #[error("An event can have at most {MAX_HOSTS} hosts.")]
    TooManyHosts,
    #[error(
        "The start time has already passed: pick a time in the future, or leave it out and use /event start."
    )]
    StartInPast,
    #[error("The announcement lead must be between 0 and 7 days.")]
    BadLead,
    #[error("The event needs at least one round.")]
    NoRounds,
    #[error("An event can have at most {MAX_ROUNDS} rounds.")]
    TooManyRounds,
    #[error("Round {round} needs a pack.")]
    RoundWithoutPack { round: usize },
    #[error("Round {round}: the question count must be between 1 and {MAX_QUESTIONS_PER_ROUND}.")]
    BadQuestionCount { round: usize },
    #[error(
        "Round {round}: the time per question must be between {MIN_ROUND_SECONDS} and {MAX_ROUND_SECONDS} seconds."
    )]
    BadSeconds { round: usize },
    #[error("Teams: give between 2 and {MAX_TEAMS} teams.")]
    BadTeamCount,
    #[error("Team names must be 1 to {MAX_TEAM_NAME_CHARS} characters.")]
    BadTeamName,
    #[error("Two teams are called \"{name}\": give each team its own name.")]
    DuplicateTeamName { name: String },
    #[error("The event is {status}: only an event that has not started can be edited.")]
    NotEditable { status: EventStatus },
    #[error("The event is {status} already.")]
    Over { status: EventStatus },
    #[error("The event was already announced.")]
    AlreadyAnnounced,
    #[error(
        "The event has no start time to announce: edit it to add one, or start it with /event start."
    )]
    NoStartTime,
    #[error("The event has already started.")]
    AlreadyStarted,
    #[error("The event has already started: end it with /event stop.")]
    AlreadyStartedUseStop,
    #[error(
        "The event hasn't started yet: start it with /event start, or call it off with /event cancel."
    )]
    NotStarted,
    #[error("The event is {status}, not running.")]
    NotRunning { status: EventStatus },
    #[error("The event is already paused: resume it to go on.")]
    AlreadyPaused,
    #[error("The event isn't paused.")]
    NotPaused,
    #[error("This is the last round: end the event with /event stop.")]
    NoMoreRounds,
    #[error("The event has no round {round}.")]
    NoSuchRound { round: usize },
    #[error("Sign-ups are closed: the event is {status}.")]
    RegistrationClosed { status: EventStatus },
    #[error("This event has no teams.")]
    NoTeams,
    #[error("There is no such team in this event.")]
    NoSuchTeam,
    #[error("Teams in this event are balanced by the bot at the start: just join.")]
    TeamsAreBalanced,
    #[error("Teams are fixed once the event has started.")]
    TeamsLocked,
    #[error("You're not signed up for this event.")]
    NotRegistered,
}

/// An event for the unit tests of the events modules: server 1, host and creator 1, channel 1,
/// no start time. Each test names only what it exercises: status, rounds and teams.
#[cfg(test)]
pub(crate) fn test_event(
    status: EventStatus,
    rounds: Vec<RoundSpec>,
    teams: Option<Teams>,
) -> Event {
    Event {
        id: 1,
        guild: 1,
        spec: EventSpec {
            name: "Quiz".into(),
            description: String::new(),
            channel: 1,
            hosts: vec![1],
            starts_at: None,
            announce_lead_ms: 0,
            announce_role: None,
            rounds,
            teams,
        },
        status,
        discord_scheduled_event_id: None,
        signup_message: None,
        created_by: 1,
        created_at: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_694_400_000;

    fn spec() -> EventSpec {
        EventSpec {
            name: "Trivia night".into(),
            description: String::new(),
            channel: 7,
            hosts: vec![1],
            starts_at: Some(NOW + 3_600_000),
            announce_lead_ms: 600_000,
            announce_role: None,
            rounds: vec![RoundSpec::new("picard"), RoundSpec::new("picard")],
            teams: None,
        }
    }

    fn event(status: EventStatus) -> Event {
        Event {
            id: 1,
            guild: 2,
            spec: spec(),
            status,
            discord_scheduled_event_id: None,
            signup_message: None,
            created_by: 1,
            created_at: NOW,
        }
    }

    #[test]
    fn status_round_trips_through_the_database_form() {
        for status in [
            EventStatus::Draft,
            EventStatus::Scheduled,
            EventStatus::Announced,
            EventStatus::Running { round: 3 },
            EventStatus::Paused { round: 1 },
            EventStatus::Intermission { next: 2 },
            EventStatus::Finished,
            EventStatus::Cancelled,
            EventStatus::Missed,
        ] {
            let (name, round) = status.to_db();
            assert_eq!(EventStatus::from_db(name, round), Some(status));
        }
        assert_eq!(EventStatus::from_db("exploded", 0), None);
        assert_eq!(EventStatus::from_db("running", -1), None);
    }

    #[test]
    fn a_night_of_two_rounds() {
        use EventStatus as S;
        let mut e = event(S::Scheduled);
        let steps = [
            (Transition::Announce, S::Announced),
            (Transition::Start, S::Running { round: 0 }),
            (Transition::Pause, S::Paused { round: 0 }),
            (Transition::Resume, S::Running { round: 0 }),
            (Transition::RoundEnded, S::Intermission { next: 1 }),
            (Transition::NextRound, S::Running { round: 1 }),
            (Transition::RoundEnded, S::Finished),
        ];
        for (transition, expected) in steps {
            e.status = e.next_status(transition).unwrap();
            assert_eq!(e.status, expected, "after {transition:?}");
        }
        assert!(matches!(
            e.next_status(Transition::Start),
            Err(EventError::Over { .. })
        ));
    }

    #[test]
    fn refused_transitions_say_what_to_do() {
        use EventStatus as S;
        let e = event(S::Running { round: 1 });
        assert_eq!(
            e.next_status(Transition::NextRound),
            Err(EventError::NoMoreRounds)
        );
        assert_eq!(
            e.next_status(Transition::Cancel),
            Err(EventError::AlreadyStartedUseStop)
        );
        assert_eq!(
            e.next_status(Transition::Resume),
            Err(EventError::NotPaused)
        );
        assert_eq!(e.next_status(Transition::Stop), Ok(S::Finished));
        let draft = event(S::Draft);
        assert_eq!(
            draft.next_status(Transition::Stop),
            Err(EventError::NotStarted)
        );
        assert_eq!(
            draft.next_status(Transition::Announce),
            Err(EventError::NoStartTime)
        );
        assert_eq!(
            draft.next_status(Transition::MarkMissed),
            Err(EventError::NotStarted)
        );
        assert_eq!(
            event(S::Running { round: 0 }).next_status(Transition::NextRound),
            Ok(S::Running { round: 1 })
        );
        assert!(
            EventError::NotStarted.to_string().contains("/event start"),
            "messages point at the command to use"
        );
    }

    #[test]
    fn validation_catches_each_mistake() {
        let ok = spec();
        assert_eq!(ok.validate(Some(NOW)), Ok(()));
        let check = |f: &dyn Fn(&mut EventSpec)| {
            let mut s = spec();
            f(&mut s);
            s.validate(Some(NOW)).unwrap_err()
        };
        assert_eq!(check(&|s| s.name = "  ".into()), EventError::EmptyName);
        assert_eq!(
            check(&|s| s.name = "x".repeat(101)),
            EventError::NameTooLong
        );
        assert_eq!(check(&|s| s.hosts.clear()), EventError::NoHosts);
        assert_eq!(check(&|s| s.starts_at = Some(NOW)), EventError::StartInPast);
        assert_eq!(check(&|s| s.announce_lead_ms = -1), EventError::BadLead);
        assert_eq!(check(&|s| s.rounds.clear()), EventError::NoRounds);
        assert_eq!(
            check(&|s| s.rounds[1].questions = 0),
            EventError::BadQuestionCount { round: 2 }
        );
        assert_eq!(
            check(&|s| s.rounds[0].seconds = 2),
            EventError::BadSeconds { round: 1 }
        );
        assert_eq!(
            check(&|s| s.teams = Some(Teams::numbered(TeamMode::Choose, 1))),
            EventError::BadTeamCount
        );
        assert_eq!(
            check(&|s| {
                s.teams = Some(Teams {
                    mode: TeamMode::Choose,
                    names: vec!["Borg".into(), "borg!".into()],
                })
            }),
            EventError::DuplicateTeamName {
                name: "borg!".into()
            }
        );
        // A start time that is not being changed is not checked against the clock.
        let mut past = spec();
        past.starts_at = Some(NOW - 1);
        assert_eq!(past.validate(None), Ok(()));
    }

    #[test]
    fn editing_the_time_means_a_new_announcement() {
        let announced = event(EventStatus::Announced);
        let mut later = spec();
        later.starts_at = Some(NOW + 7_200_000);
        assert_eq!(
            announced.edited(later, NOW).unwrap().status,
            EventStatus::Scheduled
        );
        let mut renamed = spec();
        renamed.name = "Quiz".into();
        assert_eq!(
            announced.edited(renamed, NOW).unwrap().status,
            EventStatus::Announced
        );
        let mut untimed = spec();
        untimed.starts_at = None;
        assert_eq!(
            announced.edited(untimed, NOW).unwrap().status,
            EventStatus::Draft
        );
        assert!(matches!(
            event(EventStatus::Running { round: 0 }).edited(spec(), NOW),
            Err(EventError::NotEditable { .. })
        ));
    }

    #[test]
    fn estimated_end_adds_up_the_rounds() {
        let e = event(EventStatus::Scheduled);
        // Two rounds of 10 questions at 20 s + 5 s reveal, one 2-minute break.
        assert_eq!(
            e.estimated_end(),
            Some(NOW + 3_600_000 + 2 * 10 * 25_000 + 120_000)
        );
    }
}
