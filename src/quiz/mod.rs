//! Quiz questions generated from fact packs, and decks of them for a game.
//!
//! [`generate`] turns every fact of a pack into questions (multiple choice, true/false, typed);
//! [`deal`] draws a seeded, filtered, spoiler-safe deck from them. Questions come from fact
//! *types* (dates, people, roles, counts, entities, plot points) through the templates in
//! `templates/`, never from a hand-written list, so a new pack needs no code.
//!
//! Guarantees (checked by `tests/quiz.rs` over every pack):
//! - a multiple-choice question has four distinct options (after [`crate::text::fold`]), its
//!   answer among them exactly once at a uniformly random position;
//! - a wrong option is the same kind as the answer and never right: every right answer of a
//!   many-valued fact (all creators, every actor of a character) is kept out, and so is
//!   anything whose name is a word-subset of a right answer ("Riker" / "William Riker");
//! - a question under a spoiler limit neither asks about nor offers anything from after it;
//! - an unverified fact (`RunningTime.verified == false`) is never asked.

mod ask;
mod catalog;
pub mod coverage;
mod deck;
mod phrase;
pub mod question;
mod templates;
mod value;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

pub use coverage::{Coverage, KindCoverage, coverage};
pub use deck::{DeckOptions, QuestionPool, deal};
pub use question::{Category, Difficulty, Form, Question};

use crate::facts::{EpisodeCode, FactPack};

/// How to generate: the seed for distractors and option order, and the spoiler limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GenerateOptions {
    pub seed: u64,
    /// Generate only what a viewer who has seen up to this episode may see: questions about
    /// later facts are left out, and wrong options are drawn from what is visible.
    pub spoiler_limit: Option<EpisodeCode>,
}

/// Every question the pack yields (seed 0, no spoiler limit). Each fact gives a
/// multiple-choice question, a true and a false statement, and a typed question, as far as
/// its template allows and the pack has wrong answers of the same kind.
pub fn generate(pack: &FactPack) -> Vec<Question> {
    generate_with(pack, &GenerateOptions::default())
}

/// Every question the pack yields with this seed and spoiler limit. The same options give the
/// same questions, in the same order, on every platform.
pub fn generate_with(pack: &FactPack, opts: &GenerateOptions) -> Vec<Question> {
    let mut out = Vec::new();
    realise_all(pack, opts, |_, _| {}, &mut out);
    out
}

/// Builds every ask and realises it, telling `seen` each ask and how many questions it gave.
fn realise_all(
    pack: &FactPack,
    opts: &GenerateOptions,
    mut seen: impl FnMut(&ask::Ask, usize),
    out: &mut Vec<Question>,
) {
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let cat = catalog::Catalog::new(pack);
    let asks = templates::all(&cat, &mut rng);
    let mut ctx = ask::Ctx {
        rng: &mut rng,
        limit: opts.spoiler_limit,
        pack: pack.id(),
        pack_title: pack.title(),
    };
    for a in &asks {
        let n = a.realise(&mut ctx, out);
        seen(a, n);
    }
}
