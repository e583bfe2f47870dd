//! Decks: a seeded, filtered, spoiler-safe draw of questions for one game.

use std::collections::HashSet;
use std::sync::Arc;

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

/// Deals a deck from a pool built for it; see [`QuestionPool::deal`]. A shell that deals
/// many decks keeps the pool instead (generating it is the costly part).
pub fn deal(pack: &FactPack, opts: &DeckOptions) -> Vec<Arc<Question>> {
    QuestionPool::new(pack, opts.spoiler_limit).deal(opts)
}

/// The seed a pool's questions are generated with. A deck's own seed then orders the facts
/// and each question's options, so two games with different seeds still differ.
const POOL_SEED: u64 = 0;

/// Every question of a pack under one spoiler limit, generated once and grouped by fact, so
/// dealing a deck costs a filter and a draw rather than generating the pack again. Decks
/// share the pool's questions (only a multiple-choice question whose options a deal
/// reorders is copied).
#[derive(Debug, Clone)]
pub struct QuestionPool {
    spoiler_limit: Option<EpisodeCode>,
    /// The questions of each fact, facts in generation order.
    facts: Vec<Vec<Arc<Question>>>,
}

impl QuestionPool {
    pub fn new(pack: &FactPack, spoiler_limit: Option<EpisodeCode>) -> QuestionPool {
        let all = generate_with(
            pack,
            &GenerateOptions {
                seed: POOL_SEED,
                spoiler_limit,
            },
        );
        QuestionPool {
            spoiler_limit,
            facts: group_by_fact(all.into_iter().map(Arc::new)),
        }
    }

    /// The spoiler limit the pool was generated under.
    pub fn spoiler_limit(&self) -> Option<EpisodeCode> {
        self.spoiler_limit
    }

    /// Every question of the pool, fact by fact.
    pub fn questions(&self) -> impl Iterator<Item = &Arc<Question>> {
        self.facts.iter().flatten()
    }

    /// How many questions the pool holds.
    pub fn len(&self) -> usize {
        self.facts.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.facts.is_empty()
    }

    /// Deals a deck: the pool's questions filtered by `opts`, drawn so that no fact comes
    /// twice until every fact that passes the filters has come once, each fact asked in a form
    /// chosen at random among those it has, and each multiple-choice question's options in a
    /// random order. The same seed deals the same deck. `opts.spoiler_limit` must be the
    /// pool's own (the pool was generated under it).
    pub fn deal(&self, opts: &DeckOptions) -> Vec<Arc<Question>> {
        debug_assert_eq!(
            opts.spoiler_limit, self.spoiler_limit,
            "a pool of another limit"
        );
        let facts: Vec<Vec<&Arc<Question>>> = self
            .facts
            .iter()
            .map(|group| group.iter().filter(|q| opts.admits(q)).collect::<Vec<_>>())
            .filter(|group| !group.is_empty())
            .collect();
        let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
        rng.set_stream(1);
        let mut deck = Vec::with_capacity(opts.count);
        let mut used: HashSet<&str> = HashSet::new();
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
                let mut fresh: Vec<&Arc<Question>> = questions
                    .iter()
                    .copied()
                    .filter(|q| !used.contains(q.id.as_str()))
                    .collect();
                if fresh.is_empty() {
                    questions.iter().for_each(|q| {
                        used.remove(q.id.as_str());
                    });
                    fresh = questions.clone();
                }
                let q = pick_mixed(&mut rng, &fresh);
                used.insert(q.id.as_str());
                deck.push(shuffle_choices(&mut rng, q));
                last = Some(i);
            }
        }
        deck
    }
}

/// The questions of each fact, facts in generation order.
fn group_by_fact(questions: impl Iterator<Item = Arc<Question>>) -> Vec<Vec<Arc<Question>>> {
    let mut groups: Vec<Vec<Arc<Question>>> = Vec::new();
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

/// A multiple-choice question with its options in a random order (the right one at each
/// place with equal odds); any other question as it is.
fn shuffle_choices(rng: &mut ChaCha8Rng, q: &Arc<Question>) -> Arc<Question> {
    let Some(correct) = q.correct.filter(|_| q.form == Form::MultipleChoice) else {
        return Arc::clone(q);
    };
    let mut order: Vec<usize> = (0..q.choices.len()).collect();
    order.shuffle(rng);
    if order.iter().enumerate().all(|(at, &from)| at == from) {
        return Arc::clone(q);
    }
    let mut shuffled = Question::clone(q);
    shuffled.choices = order.iter().map(|&from| q.choices[from].clone()).collect();
    shuffled.correct = order.iter().position(|&from| from == correct);
    Arc::new(shuffled)
}

/// A form at random among those present, then a question of that form: a fact with a
/// multiple-choice, two true/false and a typed question is asked true/false a third of the
/// time, not half.
fn pick_mixed<'a>(rng: &mut ChaCha8Rng, pool: &[&'a Arc<Question>]) -> &'a Arc<Question> {
    let mut forms: Vec<Form> = Vec::new();
    for q in pool {
        if !forms.contains(&q.form) {
            forms.push(q.form);
        }
    }
    let form = *forms.choose(rng).expect("a fact has at least one question");
    let of_form: Vec<&&Arc<Question>> = pool.iter().filter(|q| q.form == form).collect();
    of_form
        .choose(rng)
        .expect("the form was taken from the pool")
}
