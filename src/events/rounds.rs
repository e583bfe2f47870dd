//! A round of an event → the game that plays it.

use crate::facts::EpisodeCode;
use crate::game::{DeckSpec, GameConfig};
use crate::quiz::DeckOptions;

use super::model::{Event, EventError, EventId};

/// Everything the shell needs to play one round: the engine's config (roster included) and
/// the deck to deal from the round's pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundSetup {
    pub config: GameConfig,
    pub deck: DeckOptions,
}

/// The deck seed of round `round` of event `event`: the same event and round always deal the
/// same questions (with the same pack version and spoiler limit), so a moderator can
/// reproduce a round. SplitMix64 mixing: stable across Rust versions, unlike std's hashers.
pub fn round_seed(event: EventId, round: usize) -> u64 {
    fn mix(mut z: u64) -> u64 {
        z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    mix(mix(event as u64) ^ round as u64)
}

/// The game for round `round` (0-based). Only `roster` (the registered players) may score;
/// the round never ends for inactivity or a target score, since a host runs it. `spoiler_limit`
/// is the server's.
pub fn round_setup(
    event: &Event,
    round: usize,
    roster: &[u64],
    spoiler_limit: Option<EpisodeCode>,
) -> Result<RoundSetup, EventError> {
    let spec = event
        .spec
        .rounds
        .get(round)
        .ok_or(EventError::NoSuchRound { round: round + 1 })?;
    let seed = round_seed(event.id, round);
    let mut roster = roster.to_vec();
    roster.sort_unstable();
    roster.dedup();
    let config = GameConfig {
        rounds: spec.questions,
        question_seconds: spec.seconds,
        rule: spec.rule,
        scoring: spec.scoring,
        end_early: true,
        roster: Some(roster),
        target_score: None,
        inactive_limit: None,
        deck: DeckSpec {
            pack: spec.pack.clone(),
            seed,
            categories: spec.categories.clone(),
            difficulties: spec.difficulties.clone(),
            spoiler_limit,
        },
        ..GameConfig::default()
    };
    let deck = DeckOptions {
        seed,
        count: spec.questions,
        categories: spec.categories.clone(),
        difficulties: spec.difficulties.clone(),
        forms: spec.forms.clone(),
        spoiler_limit,
    };
    Ok(RoundSetup { config, deck })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::model::test_event;
    use crate::events::{EventStatus, RoundSpec};
    use crate::game::{AnswerRule, Scoring};
    use crate::quiz::{Category, Form};

    fn event() -> Event {
        let second = RoundSpec {
            categories: vec![Category::Cast],
            forms: vec![Form::Typed],
            questions: 5,
            seconds: 45,
            rule: AnswerRule::Race,
            scoring: Scoring::Classic,
            ..RoundSpec::new("harbour-lights")
        };
        Event {
            id: 42,
            ..test_event(
                EventStatus::Draft,
                vec![RoundSpec::new("picard"), second],
                None,
            )
        }
    }

    #[test]
    fn each_round_gets_its_own_settings_and_the_roster() {
        let e = event();
        let first = round_setup(&e, 0, &[7, 5, 7], None).unwrap();
        assert_eq!(first.config.roster, Some(vec![5, 7]));
        assert_eq!(first.config.rounds, 10);
        assert_eq!(first.config.deck.pack, "picard");
        assert_eq!(first.config.inactive_limit, None);

        let limit: EpisodeCode = "S1E4".parse().unwrap();
        let second = round_setup(&e, 1, &[5], Some(limit)).unwrap();
        assert_eq!(second.config.rule, AnswerRule::Race);
        assert_eq!(second.config.scoring, Scoring::Classic);
        assert_eq!(second.config.question_seconds, 45);
        assert_eq!(second.config.deck.pack, "harbour-lights");
        assert_eq!(second.deck.count, 5);
        assert_eq!(second.deck.categories, [Category::Cast]);
        assert_eq!(second.deck.forms, [Form::Typed]);
        assert_eq!(second.deck.spoiler_limit, Some(limit));
        assert_eq!(second.deck.seed, second.config.deck.seed);
        assert_ne!(first.deck.seed, second.deck.seed);

        assert_eq!(
            round_setup(&e, 2, &[], None),
            Err(EventError::NoSuchRound { round: 3 })
        );
    }

    #[test]
    fn seeds_are_reproducible_and_distinct() {
        // Pinned: a moderator reproducing a round relies on the seed never changing.
        assert_eq!(round_seed(1, 0), 6_791_897_765_849_424_158);
        assert_eq!(round_seed(42, 1), 17_532_488_217_563_185_893);
        let seeds: std::collections::HashSet<u64> = (0..50)
            .flat_map(|e| (0..10).map(move |r| round_seed(e, r)))
            .collect();
        assert_eq!(seeds.len(), 500);
    }
}
