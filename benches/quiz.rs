//! Questions generated per second: `cargo bench --bench quiz`.
//!
//! Generates every question of each pack (the Picard pack in `questions/` when present, and
//! the test packs), and deals a 20-question deck with a spoiler limit, which generates again
//! under the limit. divan reports the throughput in questions per second.

use std::path::{Path, PathBuf};

use divan::Bencher;
use divan::counter::ItemsCount;
use trivia_bot::facts::{FactPack, PackSet};
use trivia_bot::quiz::{self, DeckOptions, GenerateOptions};

fn main() {
    divan::main();
}

fn packs() -> Vec<FactPack> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dirs: Vec<PathBuf> = [root.join("questions"), root.join("tests/packs")]
        .into_iter()
        .filter(|d| d.is_dir())
        .collect();
    PackSet::load_paths(&dirs).packs
}

fn pack_names() -> Vec<String> {
    packs().iter().map(|p| p.id().to_string()).collect()
}

fn pack(id: &str) -> FactPack {
    packs()
        .into_iter()
        .find(|p| p.id() == id)
        .expect("the pack was listed a moment ago")
}

/// Every question of the pack, counted in questions.
#[divan::bench(args = pack_names())]
fn generate_all(bencher: Bencher, id: &str) {
    let pack = pack(id);
    let n = quiz::generate(&pack).len();
    bencher
        .counter(ItemsCount::new(n))
        .bench(|| quiz::generate_with(divan::black_box(&pack), &GenerateOptions::default()));
}

/// A 20-question deck under a spoiler limit (generation included), counted in questions dealt.
#[divan::bench(args = pack_names())]
fn deal_deck(bencher: Bencher, id: &str) {
    let pack = pack(id);
    // A limit half-way through the pack, as a server part-way through the show would set.
    let mut codes: Vec<_> = pack.data.episodes.iter().map(|e| e.code()).collect();
    codes.sort();
    let limit = codes.get(codes.len() / 2).copied();
    let opts = DeckOptions {
        seed: 7,
        count: 20,
        spoiler_limit: limit,
        ..DeckOptions::default()
    };
    let n = quiz::deal(&pack, &opts).len();
    bencher
        .counter(ItemsCount::new(n))
        .bench(|| quiz::deal(divan::black_box(&pack), &opts));
}
