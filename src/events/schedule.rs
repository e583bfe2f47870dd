//! The scheduler: which announcements and starts are due at `now`.
//!
//! The shell calls [`due_actions`] on a tick and once at start-up with the events the store
//! lists as scheduled, so a restart loses nothing: an announcement or a start that came due
//! while the bot was away is simply due now. [`next_due`] tells the shell how long it may
//! sleep. Before carrying out an action the shell claims it with the store's compare-and-set
//! status change, so two processes sharing a database never both post it.

use super::model::{Event, EventId, EventStatus};

/// How the scheduler treats time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScheduleConfig {
    /// A start found this late (the bot was down at the start time) still happens, with a
    /// note; later than this the event is marked missed.
    pub grace_ms: i64,
    /// A start found within this long after its time counts as on time (the tick's slack).
    pub on_time_ms: i64,
}

impl Default for ScheduleConfig {
    /// 15 minutes of grace; a minute of slack.
    fn default() -> Self {
        ScheduleConfig {
            grace_ms: 15 * 60_000,
            on_time_ms: 60_000,
        }
    }
}

/// What the shell should do now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScheduledAction {
    /// Post the lead announcement ("starts in 30 minutes"), then mark the event announced.
    Announce(EventId),
    /// Start round 1 on time, with the at-start announcement.
    Start(EventId),
    /// Start round 1 late (the bot was away at the start time), saying so in the announcement.
    StartLate { id: EventId, late_by_ms: i64 },
    /// The start passed more than the grace period ago: mark the event missed and say so.
    MarkMissed(EventId),
}

impl ScheduledAction {
    pub fn event(self) -> EventId {
        match self {
            ScheduledAction::Announce(id)
            | ScheduledAction::Start(id)
            | ScheduledAction::MarkMissed(id)
            | ScheduledAction::StartLate { id, .. } => id,
        }
    }
}

/// The actions due at `now`, earliest start first (ties by id). Events that are not
/// scheduled or announced, or have no start time, are ignored, so the shell may pass any list.
/// At most one action per event: the lead announcement is skipped once the start is due,
/// since the start posts its own announcement.
pub fn due_actions(events: &[Event], now: i64, config: &ScheduleConfig) -> Vec<ScheduledAction> {
    let mut due: Vec<(i64, EventId, ScheduledAction)> = events
        .iter()
        .filter_map(|e| {
            let start = waiting_start(e)?;
            action_at(e, start, now, config).map(|a| (start, e.id, a))
        })
        .collect();
    due.sort_by_key(|&(start, id, _)| (start, id));
    due.into_iter().map(|(_, _, action)| action).collect()
}

/// The earliest time after which [`due_actions`] has something to do: `now` or earlier when
/// something is due already, None when nothing is scheduled.
pub fn next_due(events: &[Event], now: i64, config: &ScheduleConfig) -> Option<i64> {
    events
        .iter()
        .filter_map(|e| {
            let start = waiting_start(e)?;
            if action_at(e, start, now, config).is_some() {
                return Some(now);
            }
            match announce_time(e, start) {
                Some(at) if e.status == EventStatus::Scheduled && now < at => Some(at),
                _ => Some(start),
            }
        })
        .min()
}

/// The start time of an event that is waiting for it.
fn waiting_start(e: &Event) -> Option<i64> {
    match e.status {
        EventStatus::Scheduled | EventStatus::Announced => e.spec.starts_at,
        _ => None,
    }
}

/// When the lead announcement is due, if the event has one.
fn announce_time(e: &Event, start: i64) -> Option<i64> {
    (e.spec.announce_lead_ms > 0).then(|| start.saturating_sub(e.spec.announce_lead_ms))
}

fn action_at(e: &Event, start: i64, now: i64, config: &ScheduleConfig) -> Option<ScheduledAction> {
    let late_by = now.saturating_sub(start);
    if late_by > config.grace_ms {
        Some(ScheduledAction::MarkMissed(e.id))
    } else if late_by > config.on_time_ms {
        Some(ScheduledAction::StartLate {
            id: e.id,
            late_by_ms: late_by,
        })
    } else if late_by >= 0 {
        Some(ScheduledAction::Start(e.id))
    } else if e.status == EventStatus::Scheduled
        && announce_time(e, start).is_some_and(|at| now >= at)
    {
        Some(ScheduledAction::Announce(e.id))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{EventSpec, RoundSpec};

    const START: i64 = 1_795_694_400_000;
    const MIN: i64 = 60_000;

    fn event(id: EventId, status: EventStatus, start: Option<i64>, lead: i64) -> Event {
        Event {
            id,
            guild: 1,
            spec: EventSpec {
                name: format!("event {id}"),
                description: String::new(),
                channel: 2,
                hosts: vec![3],
                starts_at: start,
                announce_lead_ms: lead,
                announce_role: Some(4),
                rounds: vec![RoundSpec::new("picard")],
                teams: None,
            },
            status,
            discord_scheduled_event_id: None,
            signup_message: None,
            created_by: 3,
            created_at: 0,
        }
    }

    fn due_at(e: &Event, now: i64) -> Vec<ScheduledAction> {
        due_actions(std::slice::from_ref(e), now, &ScheduleConfig::default())
    }

    #[test]
    fn an_event_is_announced_ahead_then_started() {
        let mut e = event(1, EventStatus::Scheduled, Some(START), 30 * MIN);
        assert_eq!(due_at(&e, START - 31 * MIN), []);
        assert_eq!(due_at(&e, START - 30 * MIN), [ScheduledAction::Announce(1)]);
        e.status = EventStatus::Announced;
        assert_eq!(due_at(&e, START - 10 * MIN), []);
        assert_eq!(due_at(&e, START), [ScheduledAction::Start(1)]);
        assert_eq!(due_at(&e, START + MIN), [ScheduledAction::Start(1)]);
    }

    #[test]
    fn without_a_lead_only_the_start_is_announced() {
        let e = event(1, EventStatus::Scheduled, Some(START), 0);
        assert_eq!(due_at(&e, START - 1), []);
        assert_eq!(due_at(&e, START), [ScheduledAction::Start(1)]);
    }

    #[test]
    fn a_start_missed_while_away_is_late_within_grace_then_missed() {
        // Never announced: the bot was down through the lead time and the start.
        let e = event(1, EventStatus::Scheduled, Some(START), 30 * MIN);
        assert_eq!(
            due_at(&e, START + 5 * MIN),
            [ScheduledAction::StartLate {
                id: 1,
                late_by_ms: 5 * MIN
            }]
        );
        assert_eq!(
            due_at(&e, START + 15 * MIN),
            [ScheduledAction::StartLate {
                id: 1,
                late_by_ms: 15 * MIN
            }]
        );
        assert_eq!(
            due_at(&e, START + 15 * MIN + 1),
            [ScheduledAction::MarkMissed(1)]
        );
        let strict = ScheduleConfig {
            grace_ms: 0,
            on_time_ms: 0,
        };
        assert_eq!(
            due_actions(&[e], START + 1, &strict),
            [ScheduledAction::MarkMissed(1)]
        );
    }

    #[test]
    fn only_waiting_events_count_and_the_earliest_comes_first() {
        let events = [
            event(5, EventStatus::Announced, Some(START + MIN), 0),
            event(4, EventStatus::Scheduled, Some(START), 0),
            event(3, EventStatus::Running { round: 0 }, Some(START - MIN), 0),
            event(2, EventStatus::Draft, None, 0),
            event(1, EventStatus::Cancelled, Some(START), 0),
        ];
        assert_eq!(
            due_actions(&events, START + MIN, &ScheduleConfig::default()),
            [ScheduledAction::Start(4), ScheduledAction::Start(5)]
        );
    }

    #[test]
    fn next_due_says_how_long_to_sleep() {
        let cfg = ScheduleConfig::default();
        let scheduled = event(1, EventStatus::Scheduled, Some(START), 30 * MIN);
        let announced = event(2, EventStatus::Announced, Some(START + 5 * MIN), 30 * MIN);
        assert_eq!(next_due(&[], START, &cfg), None);
        assert_eq!(
            next_due(std::slice::from_ref(&scheduled), START - 60 * MIN, &cfg),
            Some(START - 30 * MIN)
        );
        assert_eq!(
            next_due(std::slice::from_ref(&announced), START, &cfg),
            Some(START + 5 * MIN)
        );
        let now = START - 10 * MIN;
        assert_eq!(next_due(&[scheduled, announced], now, &cfg), Some(now));
    }
}
