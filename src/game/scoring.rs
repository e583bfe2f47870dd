//! Points for right answers.
//!
//! Speed scoring: an answer at the moment the question opens is worth [`SPEED_MAX`], falling in
//! a straight line to [`SPEED_MIN`] at the time limit. Each right answer in a row after the
//! first adds [`STREAK_STEP`], up to [`STREAK_CAP`] (so the 2nd right answer in a row earns
//! +100, the 6th and later +500). A wrong answer or a question left unanswered ends a streak;
//! a skipped question leaves it as it was. Classic scoring: 1 point a right answer, no bonus.

use super::config::Scoring;

pub const SPEED_MAX: u64 = 1000;
pub const SPEED_MIN: u64 = 500;
pub const STREAK_STEP: u64 = 100;
pub const STREAK_CAP: u64 = 500;

/// Points for a right answer given `elapsed_ms` into a question of `limit_ms`.
pub fn base_points(scoring: Scoring, elapsed_ms: i64, limit_ms: i64) -> u64 {
    match scoring {
        Scoring::Classic => 1,
        Scoring::Speed => {
            let limit = limit_ms.max(1);
            // Both fit easily in i64: elapsed ≤ limit ≤ an hour of milliseconds.
            let elapsed = elapsed_ms.clamp(0, limit);
            let span = (SPEED_MAX - SPEED_MIN) as i64;
            SPEED_MAX - (span * elapsed / limit) as u64
        }
    }
}

/// The bonus for the `streak`-th right answer in a row (1 = the first, no bonus).
pub fn streak_bonus(scoring: Scoring, streak: u32) -> u64 {
    match scoring {
        Scoring::Classic => 0,
        Scoring::Speed => (u64::from(streak.saturating_sub(1)) * STREAK_STEP).min(STREAK_CAP),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speed_points_fall_linearly_from_1000_to_500() {
        assert_eq!(base_points(Scoring::Speed, 0, 20_000), 1000);
        assert_eq!(base_points(Scoring::Speed, 10_000, 20_000), 750);
        assert_eq!(base_points(Scoring::Speed, 20_000, 20_000), 500);
        assert_eq!(base_points(Scoring::Speed, 99_000, 20_000), 500);
        assert_eq!(base_points(Scoring::Speed, -5, 20_000), 1000);
        assert_eq!(base_points(Scoring::Classic, 10_000, 20_000), 1);
    }

    #[test]
    fn streak_bonus_grows_then_caps() {
        let bonuses: Vec<u64> = (0..=8).map(|s| streak_bonus(Scoring::Speed, s)).collect();
        assert_eq!(bonuses, [0, 0, 100, 200, 300, 400, 500, 500, 500]);
        assert_eq!(streak_bonus(Scoring::Classic, 5), 0);
    }
}
