//! Rulings bookkeeping: the near misses a host may accept, the points a late ruling is worth,
//! and the server aliases that accepted spellings become.
//!
//! The flow: after a reveal the shell shows the host [`near_misses`] with Accept buttons. An
//! Accept goes to the game (`Input::AcceptAnswer`), whose `Effect::Ruled` carries the points;
//! the store records the ruling with them (moving the totals) and, if [`alias_for`] gives one,
//! the spelling as an alias of the question for that server. Undo reverses both. Before a game
//! is dealt, [`apply_aliases`] adds the server's aliases to its questions.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::game::{QuestionOutcome, scoring};
use crate::quiz::{Form, Question};
use crate::text::fold;

use super::model::RoundSpec;

/// Longest alias kept (folded characters).
pub const MAX_ALIAS_CHARS: usize = 100;

/// A wrong typed answer that came close; the host may accept it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearMiss {
    pub question: usize,
    pub player: u64,
    pub name: String,
    pub answer: String,
    /// 0..1, 1 meaning identical.
    pub closeness: f64,
}

/// The near misses of a revealed question that are not accepted yet, nearest first (ties:
/// who answered first), at most `max` (a message has room for 5 rows of buttons).
pub fn near_misses(outcome: &QuestionOutcome, max: usize) -> Vec<NearMiss> {
    let mut misses: Vec<(&crate::game::AnswerRecord, f64)> = outcome
        .answers
        .iter()
        .filter(|a| !a.accepted)
        .filter_map(|a| a.closeness().map(|c| (a, c)))
        .collect();
    misses.sort_by(|(a, x), (b, y)| {
        y.total_cmp(x)
            .then(a.answered_at.cmp(&b.answered_at))
            .then(a.player.cmp(&b.player))
    });
    misses
        .into_iter()
        .take(max)
        .map(|(a, closeness)| NearMiss {
            question: outcome.index,
            player: a.player,
            name: a.name.clone(),
            answer: a.text.clone(),
            closeness,
        })
        .collect()
}

/// Points for accepting an answer given `elapsed_ms` into a question of `round`, as the
/// engine awards them (streak bonus aside). For a ruling made after the round's game is gone
/// (a restart); while the game runs, use the points of its `Effect::Ruled`.
pub fn ruling_points(round: &RoundSpec, elapsed_ms: i64) -> i64 {
    let limit_ms = i64::from(round.seconds) * 1000;
    let points = scoring::base_points(round.scoring, elapsed_ms, limit_ms);
    i64::try_from(points).unwrap_or(i64::MAX)
}

/// A server's extra accepted spelling for one question.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Alias {
    pub pack: String,
    pub question_id: String,
    /// Folded ([`crate::text::fold`]) text.
    pub alias: String,
}

/// The alias an accepted answer to `question` becomes: its folded text, if the question is
/// typed and the spelling is new (not already accepted), non-empty and not too long.
pub fn alias_for(question: &Question, answer_text: &str) -> Option<Alias> {
    if question.form != Form::Typed {
        return None;
    }
    let alias = fold_words(answer_text);
    if alias.is_empty() || alias.chars().count() > MAX_ALIAS_CHARS {
        return None;
    }
    if question.accepted.iter().any(|a| fold_words(a) == alias) {
        return None;
    }
    Some(Alias {
        pack: question.pack.clone(),
        question_id: question.id.clone(),
        alias,
    })
}

/// Adds each alias to the accepted answers of its question (same pack and question id).
/// A question a deck shares with its pool is copied only if it gains an alias.
pub fn apply_aliases(questions: &mut [Arc<Question>], aliases: &[Alias]) {
    for q in questions.iter_mut() {
        let new: Vec<&Alias> = aliases
            .iter()
            .filter(|a| a.pack == q.pack && a.question_id == q.id)
            .filter(|a| !q.accepted.iter().any(|x| fold_words(x) == a.alias))
            .collect();
        for a in new {
            // Aliases repeated in `aliases` are added once.
            if !q.accepted.contains(&a.alias) {
                Arc::make_mut(q).accepted.push(a.alias.clone());
            }
        }
    }
}

/// Folded, with runs of spaces collapsed and the ends trimmed.
fn fold_words(text: &str) -> String {
    fold(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::Verdict;
    use crate::game::{AnswerRecord, Scoring};
    use crate::quiz::{Category, Difficulty};

    fn typed_question() -> Question {
        Question {
            id: "cast.actor:elnor/typed".into(),
            fact: "cast.actor:elnor".into(),
            pack: "picard".into(),
            form: Form::Typed,
            category: Category::Cast,
            difficulty: Difficulty::Medium,
            prompt: "Who plays Elnor?".into(),
            choices: Vec::new(),
            correct: None,
            answer: "Evan Evagora".into(),
            accepted: vec!["Evan Evagora".into()],
            confusables: Arc::from([]),
            source: "cast".into(),
            spoils: None,
        }
    }

    fn record(player: u64, verdict: Verdict, at: i64, accepted: bool) -> AnswerRecord {
        AnswerRecord {
            player,
            name: format!("p{player}"),
            choice: None,
            text: format!("answer {player}"),
            answered_at: at,
            elapsed_ms: at,
            verdict,
            points: 0,
            streak_bonus: 0,
            accepted,
            attempts: 1,
        }
    }

    #[test]
    fn near_misses_nearest_first_without_accepted_or_wrong() {
        let q = typed_question();
        let mut outcome = QuestionOutcome::new(3, &q, 0);
        outcome.answers = vec![
            record(1, Verdict::NearMiss { closeness: 0.7 }, 10, false),
            record(2, Verdict::Wrong, 5, false),
            record(3, Verdict::NearMiss { closeness: 0.9 }, 30, false),
            record(4, Verdict::NearMiss { closeness: 0.7 }, 5, false),
            record(5, Verdict::NearMiss { closeness: 0.95 }, 1, true),
            record(6, Verdict::Right, 1, false),
        ];
        let misses = near_misses(&outcome, 5);
        let players: Vec<u64> = misses.iter().map(|m| m.player).collect();
        assert_eq!(players, [3, 4, 1]);
        assert_eq!(misses[0].question, 3);
        assert_eq!(misses[0].answer, "answer 3");
        assert_eq!(near_misses(&outcome, 1).len(), 1);
    }

    #[test]
    fn accepted_spellings_become_aliases_once() {
        let q = typed_question();
        let alias = alias_for(&q, "  Evan  Evagorra ").unwrap();
        assert_eq!(alias.alias, "evan evagorra");
        assert_eq!(alias.question_id, q.id);
        assert_eq!(alias_for(&q, "evan-evagora"), None, "already accepted");
        assert_eq!(alias_for(&q, " !? "), None);
        let choice = Question {
            form: Form::MultipleChoice,
            ..typed_question()
        };
        assert_eq!(alias_for(&choice, "Evagorra"), None);

        let mut other = typed_question();
        other.id = "other".into();
        let mut deck = vec![Arc::new(typed_question()), Arc::new(other)];
        apply_aliases(&mut deck, &[alias.clone(), alias]);
        assert_eq!(deck[0].accepted, ["Evan Evagora", "evan evagorra"]);
        assert_eq!(deck[1].accepted, ["Evan Evagora"]);
        assert_eq!(
            crate::answer::judge(&deck[0], "Evan Evagorra"),
            Verdict::Right
        );
    }

    #[test]
    fn late_rulings_are_worth_what_the_engine_awards() {
        let round = RoundSpec {
            seconds: 20,
            ..RoundSpec::new("picard")
        };
        assert_eq!(ruling_points(&round, 10_000), 750);
        let classic = RoundSpec {
            scoring: Scoring::Classic,
            ..round
        };
        assert_eq!(ruling_points(&classic, 10_000), 1);
    }
}
