//! Signing up, leaving, and teams.
//!
//! Players may sign up and leave until the event is over; a player who signs up during a
//! round plays from the next round (a round's roster is fixed when its game starts). Teams
//! are chosen by players ([`TeamMode::Choose`]) or dealt by the bot ([`TeamMode::Balanced`]);
//! either way, [`teams_for_round`] places everyone still without a team before each round.

use std::collections::HashMap;

use super::model::{Event, EventError, TeamMode};
use super::records::Registration;

/// What a Join press (or a team pick) should do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinPlan {
    /// Sign the player up, in this team if one.
    Join { team: Option<usize> },
    /// Already signed up: move them to this team.
    ChangeTeam { team: usize },
    /// Already signed up; nothing changes.
    AlreadyRegistered,
}

/// Checks a sign-up by a player whose current registration is `existing`, optionally
/// choosing team `team` (an index into the event's team names).
pub fn check_join(
    event: &Event,
    existing: Option<&Registration>,
    team: Option<usize>,
) -> Result<JoinPlan, EventError> {
    if !event.status.registration_open() {
        return Err(EventError::RegistrationClosed {
            status: event.status,
        });
    }
    if let Some(index) = team {
        let teams = event.spec.teams.as_ref().ok_or(EventError::NoTeams)?;
        if teams.mode == TeamMode::Balanced {
            return Err(EventError::TeamsAreBalanced);
        }
        if index >= teams.names.len() {
            return Err(EventError::NoSuchTeam);
        }
    }
    match (existing, team) {
        // A player who already has a team keeps it once play has begun (even after leaving
        // and coming back), so points cannot follow them from one team to another.
        (Some(current), Some(team))
            if current.team.is_some_and(|t| t != team) && !event.status.is_upcoming() =>
        {
            Err(EventError::TeamsLocked)
        }
        (None, team) => Ok(JoinPlan::Join { team }),
        // Coming back after leaving: the store keeps the old team unless a new one is given.
        (Some(current), team) if !current.is_active() => Ok(JoinPlan::Join { team }),
        (Some(current), Some(team)) if current.team != Some(team) => {
            Ok(JoinPlan::ChangeTeam { team })
        }
        (Some(_), _) => Ok(JoinPlan::AlreadyRegistered),
    }
}

/// Checks that a player may leave: signed up, and the event not over. Points already earned
/// stay in the results.
pub fn check_leave(event: &Event, existing: Option<&Registration>) -> Result<(), EventError> {
    if !event.status.registration_open() {
        return Err(EventError::RegistrationClosed {
            status: event.status,
        });
    }
    match existing {
        Some(r) if r.is_active() => Ok(()),
        _ => Err(EventError::NotRegistered),
    }
}

/// Deals `newcomers` (user, past points) into `team_count` teams that already hold `fixed`
/// (user, team, past points). Greedy and deterministic: the strongest newcomer first (ties by
/// user id), each to the team with the fewest points so far (ties: fewer members, then the
/// lower index). Returns (user, team) for the newcomers, in dealing order.
pub fn balance_teams(
    team_count: usize,
    fixed: &[(u64, usize, i64)],
    newcomers: &[(u64, i64)],
) -> Vec<(u64, usize)> {
    if team_count == 0 {
        return Vec::new();
    }
    // (points, members) per team.
    let mut teams = vec![(0i64, 0usize); team_count];
    for &(_, team, points) in fixed {
        if let Some(t) = teams.get_mut(team) {
            t.0 = t.0.saturating_add(points);
            t.1 += 1;
        }
    }
    let mut order = newcomers.to_vec();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    order
        .into_iter()
        .map(|(user, points)| {
            let weakest = (0..team_count)
                .min_by_key(|&i| (teams[i].0, teams[i].1, i))
                .unwrap_or(0);
            teams[weakest].0 = teams[weakest].0.saturating_add(points);
            teams[weakest].1 += 1;
            (user, weakest)
        })
        .collect()
}

/// The team of every active registered player for round `round`: what the shell stores before the
/// round's game starts. Balanced events deal everyone afresh before the first round; after
/// that (and in events where players choose) teams are kept and only players without one
/// are dealt. Strength is the all-time points in `past_points` (missing = 0). Empty when the
/// event has no teams.
pub fn teams_for_round(
    event: &Event,
    registrations: &[Registration],
    past_points: &HashMap<u64, i64>,
    round: usize,
) -> Vec<(u64, usize)> {
    let Some(teams) = &event.spec.teams else {
        return Vec::new();
    };
    let count = teams.names.len();
    let points = |user: u64| past_points.get(&user).copied().unwrap_or(0);
    let deal_all = teams.mode == TeamMode::Balanced && round == 0;
    let mut fixed = Vec::new();
    let mut newcomers = Vec::new();
    for r in registrations.iter().filter(|r| r.is_active()) {
        match r.team {
            Some(team) if !deal_all && team < count => fixed.push((r.user, team, points(r.user))),
            _ => newcomers.push((r.user, points(r.user))),
        }
    }
    let mut all: Vec<(u64, usize)> = fixed.iter().map(|&(u, t, _)| (u, t)).collect();
    all.extend(balance_teams(count, &fixed, &newcomers));
    all.sort_unstable();
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::model::test_event;
    use crate::events::{EventStatus, RoundSpec, Teams};

    fn event(status: EventStatus, teams: Option<Teams>) -> Event {
        test_event(status, vec![RoundSpec::new("picard"); 2], teams)
    }

    fn reg(user: u64, team: Option<usize>) -> Registration {
        Registration {
            user,
            team,
            registered_at: 0,
            left_at: None,
        }
    }

    #[test]
    fn greedy_balance_is_deterministic_and_even() {
        // 900 → A; 800 → B; 500 → B (800 < 900); 400 → A (900 < 1300); 0 → A (1300 = 1300,
        // equal members, lower index).
        let dealt = balance_teams(
            2,
            &[],
            &[(10, 500), (11, 900), (12, 400), (13, 800), (14, 0)],
        );
        assert_eq!(dealt, [(11, 0), (13, 1), (10, 1), (12, 0), (14, 0)]);
        // Equal points: by user id, and to the team with fewer members.
        assert_eq!(
            balance_teams(3, &[], &[(3, 0), (1, 0), (2, 0), (4, 0)]),
            [(1, 0), (2, 1), (3, 2), (4, 0)]
        );
        // Existing members count: the newcomer goes to the weaker team.
        assert_eq!(
            balance_teams(2, &[(1, 0, 100), (2, 1, 50)], &[(3, 10)]),
            [(3, 1)]
        );
        assert_eq!(balance_teams(0, &[], &[(1, 1)]), []);
    }

    #[test]
    fn balanced_events_deal_everyone_at_the_start_then_only_newcomers() {
        let e = event(
            EventStatus::Scheduled,
            Some(Teams::numbered(TeamMode::Balanced, 2)),
        );
        let past = HashMap::from([(1, 1000), (2, 900), (3, 100), (4, 50)]);
        // Stale team choices are ignored for the first round.
        let regs = [reg(1, Some(1)), reg(2, Some(1)), reg(3, None), reg(4, None)];
        let first = teams_for_round(&e, &regs, &past, 0);
        assert_eq!(first, [(1, 0), (2, 1), (3, 1), (4, 0)]);
        // A late joiner goes to the weaker team; the others stay.
        let mut later: Vec<Registration> = first.iter().map(|&(u, t)| reg(u, Some(t))).collect();
        later.push(reg(5, None));
        assert_eq!(
            teams_for_round(&e, &later, &past, 1),
            [(1, 0), (2, 1), (3, 1), (4, 0), (5, 1)]
        );
        let no_teams = event(EventStatus::Scheduled, None);
        assert_eq!(teams_for_round(&no_teams, &regs, &past, 0), []);
    }

    #[test]
    fn chosen_teams_are_kept_and_the_undecided_placed() {
        let e = event(
            EventStatus::Scheduled,
            Some(Teams::numbered(TeamMode::Choose, 2)),
        );
        let regs = [reg(1, Some(0)), reg(2, Some(0)), reg(3, None)];
        assert_eq!(
            teams_for_round(&e, &regs, &HashMap::new(), 0),
            [(1, 0), (2, 0), (3, 1)]
        );
    }

    #[test]
    fn joining_rules() {
        let choose = event(
            EventStatus::Scheduled,
            Some(Teams::numbered(TeamMode::Choose, 2)),
        );
        assert_eq!(
            check_join(&choose, None, Some(1)),
            Ok(JoinPlan::Join { team: Some(1) })
        );
        assert_eq!(
            check_join(&choose, None, Some(2)),
            Err(EventError::NoSuchTeam)
        );
        let me = reg(9, Some(0));
        assert_eq!(
            check_join(&choose, Some(&me), Some(1)),
            Ok(JoinPlan::ChangeTeam { team: 1 })
        );
        assert_eq!(
            check_join(&choose, Some(&me), None),
            Ok(JoinPlan::AlreadyRegistered)
        );
        let running = Event {
            status: EventStatus::Running { round: 0 },
            ..choose.clone()
        };
        assert_eq!(
            check_join(&running, Some(&me), Some(1)),
            Err(EventError::TeamsLocked)
        );
        assert_eq!(
            check_join(&running, None, None),
            Ok(JoinPlan::Join { team: None }),
            "late sign-ups play from the next round"
        );
        let balanced = event(
            EventStatus::Scheduled,
            Some(Teams::numbered(TeamMode::Balanced, 2)),
        );
        assert_eq!(
            check_join(&balanced, None, Some(0)),
            Err(EventError::TeamsAreBalanced)
        );
        let solo = event(EventStatus::Draft, None);
        assert_eq!(check_join(&solo, None, Some(0)), Err(EventError::NoTeams));
        let over = event(EventStatus::Finished, None);
        assert!(matches!(
            check_join(&over, None, None),
            Err(EventError::RegistrationClosed { .. })
        ));
        assert!(check_leave(&over, Some(&me)).is_err());
        let gone = Registration {
            left_at: Some(5),
            ..reg(9, Some(0))
        };
        assert_eq!(
            check_leave(&choose, Some(&gone)),
            Err(EventError::NotRegistered)
        );
        assert_eq!(
            check_join(&choose, Some(&gone), None),
            Ok(JoinPlan::Join { team: None })
        );
        assert_eq!(
            check_join(&running, Some(&gone), Some(1)),
            Err(EventError::TeamsLocked)
        );
        assert_eq!(check_leave(&solo, None), Err(EventError::NotRegistered));
        assert_eq!(check_leave(&solo, Some(&me)), Ok(()));
    }
}
