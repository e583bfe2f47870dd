//! Event results: per-player and per-team standings from the stored answers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::records::EventRecords;

/// One player's line. Equal points share a place: 1, 1, 3.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlayerStanding {
    pub place: usize,
    pub user: u64,
    pub name: Option<String>,
    pub team: Option<usize>,
    pub points: i64,
    pub right: i64,
    pub answered: i64,
}

/// One team's line: the sum of its members' lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamStanding {
    pub place: usize,
    pub team: usize,
    pub name: String,
    pub points: i64,
    pub right: i64,
    /// Members by user id (players who left included: their points still count).
    pub members: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EventStandings {
    pub players: Vec<PlayerStanding>,
    /// Empty when the event has no teams.
    pub teams: Vec<TeamStanding>,
}

impl EventStandings {
    /// The podium: players placed 1 to 3 (more than three when places are shared).
    pub fn podium(&self) -> impl Iterator<Item = &PlayerStanding> {
        self.players.iter().filter(|p| p.place <= 3 && p.points > 0)
    }
}

/// Standings from every answer of the event (rulings are already in the answers' points).
/// Every registered player is listed, with 0 if they never answered; order: points, then
/// right answers, then user id.
pub fn standings(records: &EventRecords) -> EventStandings {
    // user → (points, right, answered)
    let mut totals: BTreeMap<u64, (i64, i64, i64)> = BTreeMap::new();
    for r in records.registrations.iter().filter(|r| r.is_active()) {
        totals.entry(r.user).or_default();
    }
    for answer in records.questions.iter().flat_map(|q| &q.answers) {
        let t = totals.entry(answer.user).or_default();
        t.0 = t.0.saturating_add(answer.points);
        t.1 += i64::from(answer.correct);
        t.2 += 1;
    }
    let mut players: Vec<PlayerStanding> = totals
        .into_iter()
        .map(|(user, (points, right, answered))| PlayerStanding {
            place: 0,
            user,
            name: records.names.get(&user).cloned(),
            team: records.team_of(user),
            points,
            right,
            answered,
        })
        .collect();
    players.sort_by(|a, b| {
        b.points
            .cmp(&a.points)
            .then(b.right.cmp(&a.right))
            .then(a.user.cmp(&b.user))
    });
    let places = shared_places(players.iter().map(|p| p.points));
    for (p, place) in players.iter_mut().zip(places) {
        p.place = place;
    }
    EventStandings {
        teams: team_standings(records, &players),
        players,
    }
}

fn team_standings(records: &EventRecords, players: &[PlayerStanding]) -> Vec<TeamStanding> {
    let Some(teams) = &records.event.spec.teams else {
        return Vec::new();
    };
    let mut lines: Vec<TeamStanding> = teams
        .names
        .iter()
        .enumerate()
        .map(|(team, name)| {
            let mut members: Vec<u64> = records
                .registrations
                .iter()
                .filter(|r| r.team == Some(team))
                .map(|r| r.user)
                .collect();
            members.sort_unstable();
            let of_team = players.iter().filter(|p| p.team == Some(team));
            TeamStanding {
                place: 0,
                team,
                name: name.clone(),
                points: of_team.clone().map(|p| p.points).sum(),
                right: of_team.map(|p| p.right).sum(),
                members,
            }
        })
        .collect();
    lines.sort_by(|a, b| {
        b.points
            .cmp(&a.points)
            .then(b.right.cmp(&a.right))
            .then(a.team.cmp(&b.team))
    });
    let places = shared_places(lines.iter().map(|t| t.points));
    for (t, place) in lines.iter_mut().zip(places) {
        t.place = place;
    }
    lines
}

/// 1-based places for points sorted high to low; equal points share a place (1, 1, 3).
fn shared_places(points: impl Iterator<Item = i64>) -> Vec<usize> {
    let mut places = Vec::new();
    let mut previous: Option<i64> = None;
    for (i, p) in points.enumerate() {
        let place = match (previous, places.last()) {
            (Some(prev), Some(&last)) if prev == p => last,
            _ => i + 1,
        };
        places.push(place);
        previous = Some(p);
    }
    places
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::model::test_event;
    use crate::events::{
        AnswerRow, EventStatus, QuestionRecord, Registration, RoundSpec, TeamMode, Teams,
    };

    fn answer(user: u64, correct: bool, points: i64) -> AnswerRow {
        AnswerRow {
            user,
            text: "x".into(),
            answered_at: 0,
            correct,
            points,
            near_miss: None,
        }
    }

    fn records() -> EventRecords {
        let reg = |user, team, left_at| Registration {
            user,
            team: Some(team),
            registered_at: 0,
            left_at,
        };
        let question = |round, index, answers| QuestionRecord {
            round,
            game_id: 10 + round as i64,
            index,
            text: "Q".into(),
            correct_answer: "A".into(),
            asked_at: 0,
            answers,
        };
        EventRecords {
            event: test_event(
                EventStatus::Finished,
                vec![RoundSpec::new("picard"); 2],
                Some(Teams {
                    mode: TeamMode::Choose,
                    names: vec!["Red".into(), "Blue".into(), "Gold".into()],
                }),
            ),
            registrations: vec![
                reg(1, 0, None),
                reg(2, 1, None),
                reg(3, 1, Some(5)), // left after scoring
                reg(4, 0, None),    // never answered
            ],
            names: BTreeMap::from([(1, "Ann".into())]),
            rounds: Vec::new(),
            questions: vec![
                question(0, 0, vec![answer(1, true, 900), answer(2, true, 500)]),
                question(0, 1, vec![answer(2, true, 400), answer(3, true, 300)]),
                question(1, 0, vec![answer(3, false, 0), answer(1, false, 0)]),
            ],
            rulings: Vec::new(),
        }
    }

    #[test]
    fn players_and_teams_with_shared_places() {
        let s = standings(&records());
        let lines: Vec<(usize, u64, i64, i64, i64)> = s
            .players
            .iter()
            .map(|p| (p.place, p.user, p.points, p.right, p.answered))
            .collect();
        assert_eq!(
            lines,
            [
                // Equal points share the place; more right answers are listed first.
                (1, 2, 900, 2, 2),
                (1, 1, 900, 1, 2),
                (3, 3, 300, 1, 2),
                (4, 4, 0, 0, 0),
            ]
        );
        assert_eq!(s.players[1].name.as_deref(), Some("Ann"));
        assert_eq!(s.players[1].team, Some(0));

        let teams: Vec<(usize, &str, i64, &[u64])> = s
            .teams
            .iter()
            .map(|t| (t.place, t.name.as_str(), t.points, t.members.as_slice()))
            .collect();
        assert_eq!(
            teams,
            [
                (1, "Blue", 1200, &[2, 3][..]),
                (2, "Red", 900, &[1, 4][..]),
                (3, "Gold", 0, &[][..]),
            ]
        );
        let podium: Vec<u64> = s.podium().map(|p| p.user).collect();
        assert_eq!(podium, [2, 1, 3]);
    }

    #[test]
    fn places_are_shared_on_equal_points() {
        assert_eq!(
            shared_places([10, 10, 5, 5, 5, 1].into_iter()),
            [1, 1, 3, 3, 3, 6]
        );
        assert!(shared_places(std::iter::empty()).is_empty());
    }
}
