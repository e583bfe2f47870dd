//! Decks: a seeded, filtered, spoiler-safe draw of questions for one game.

use std::collections::HashSet;

use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{Category, Difficulty, Form, GenerateOptions, Question, generate_with};
use crate::facts::{EpisodeCode, FactPack};

/// What deck to deal. An empty list means "any".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckOptions {
    /// The same seed (with the same pack and options) gives the same questions in the same
    /// order, so a moderator can reproduce an event.
    pub seed: u64,
    /// How many questions. When it exceeds the facts that pass the filters, the deck wraps
    /// round: a fresh shuffle of the facts, each asked again through a question not yet used
    /// (another form or template) while one is left.
    pub count: usize,
    pub categories: Vec<Category>,
    pub difficulties: Vec<Difficulty>,
    /// Forms to use; empty mixes every form each fact allows.
    pub forms: Vec<Form>,
    /// Only what a viewer who has seen up to this episode may see.
    pub spoiler_limit: Option<EpisodeCode>,
}

impl Default for DeckOptions {
    fn default() -> Self {
        DeckOptions {
            seed: 0,
            count: 10,
            categories: Vec::new(),
            difficulties: Vec::new(),
            forms: Vec::new(),
            spoiler_limit: None,
        }
    }
}

impl DeckOptions {
    fn admits(&self, q: &Question) -> bool {
        fn any<T: PartialEq>(list: &[T], x: &T) -> bool {
            list.is_empty() || list.contains(x)
        }
        any(&self.categories, &q.category)
            && any(&self.difficulties, &q.difficulty)
            && any(&self.forms, &q.form)
    }
}

/// Deals a deck: questions generated with the deck's seed and spoiler limit, filtered, then
/// drawn so that no fact comes twice until every fact that passes the filters has come once.
/// Each fact is asked in a form chosen at random among those it has.
pub fn deal(pack: &FactPack, opts: &DeckOptions) -> Vec<Question> {
    let all = generate_with(
        pack,
        &GenerateOptions {
            seed: opts.seed,
            spoiler_limit: opts.spoiler_limit,
        },
    );
    let facts = group_by_fact(all.into_iter().filter(|q| opts.admits(q)));
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    rng.set_stream(1);
    let mut deck = Vec::with_capacity(opts.count);
    let mut used: HashSet<String> = HashSet::new();
    let mut last: Option<usize> = None;
    while deck.len() < opts.count && !facts.is_empty() {
        let mut order: Vec<usize> = (0..facts.len()).collect();
        order.shuffle(&mut rng);
        // A new round never starts with the fact that ended the last one.
        if order.len() > 1 && Some(order[0]) == last {
            let j = rng.random_range(1..order.len());
            order.swap(0, j);
        }
        for i in order {
            if deck.len() == opts.count {
                break;
            }
            let questions = &facts[i];
            let mut fresh: Vec<&Question> =
                questions.iter().filter(|q| !used.contains(&q.id)).collect();
            if fresh.is_empty() {
                questions.iter().for_each(|q| {
                    used.remove(&q.id);
                });
                fresh = questions.iter().collect();
            }
            let q = pick_mixed(&mut rng, &fresh);
            used.insert(q.id.clone());
            deck.push(q.clone());
            last = Some(i);
        }
    }
    deck
}

/// The questions of each fact, facts in generation order.
fn group_by_fact(questions: impl Iterator<Item = Question>) -> Vec<Vec<Question>> {
    let mut groups: Vec<Vec<Question>> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = Default::default();
    for q in questions {
        match index.get(&q.fact) {
            Some(&i) => groups[i].push(q),
            None => {
                index.insert(q.fact.clone(), groups.len());
                groups.push(vec![q]);
            }
        }
    }
    groups
}

/// A form at random among those present, then a question of that form: a fact with a
/// multiple-choice, two true/false and a typed question is asked true/false a third of the
/// time, not half.
fn pick_mixed<'a>(rng: &mut ChaCha8Rng, pool: &[&'a Question]) -> &'a Question {
    let mut forms: Vec<Form> = Vec::new();
    for q in pool {
        if !forms.contains(&q.form) {
            forms.push(q.form);
        }
    }
    let form = *forms.choose(rng).expect("a fact has at least one question");
    let of_form: Vec<&&Question> = pool.iter().filter(|q| q.form == form).collect();
    of_form
        .choose(rng)
        .expect("the form was taken from the pool")
}
