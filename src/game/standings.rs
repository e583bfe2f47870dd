//! Ranking players: most points first; equal points share a place ("1, 1, 3").

use super::effect::{Player, Standing};

/// The standings of `players` (in join order, which breaks ties for display only).
pub fn rank(players: &[Player]) -> Vec<Standing> {
    let mut order: Vec<&Player> = players.iter().collect();
    // A stable sort keeps join order among equal scores.
    order.sort_by_key(|p| std::cmp::Reverse(p.points));
    let mut standings: Vec<Standing> = Vec::with_capacity(order.len());
    for (i, p) in order.iter().enumerate() {
        let place = match standings.last() {
            Some(prev) if prev.points == p.points => prev.place,
            _ => i + 1,
        };
        standings.push(Standing {
            place,
            player: p.id,
            name: p.name.clone(),
            points: p.points,
            right: p.right,
            answered: p.answered,
        });
    }
    standings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn player(id: u64, points: u64) -> Player {
        Player {
            id,
            name: format!("p{id}"),
            points,
            right: 0,
            answered: 0,
            streak: 0,
            best_streak: 0,
        }
    }

    #[test]
    fn ties_share_a_place_and_the_next_place_is_skipped() {
        let players = [player(1, 5), player(2, 9), player(3, 5), player(4, 1)];
        let got: Vec<(usize, u64)> = rank(&players).iter().map(|s| (s.place, s.player)).collect();
        assert_eq!(got, [(1, 2), (2, 1), (2, 3), (4, 4)]);
    }
}
