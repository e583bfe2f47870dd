//! Lookup speed: building a pack's index, and searches of the kinds `/fact` autocomplete sends
//! (exact names, prefixes while typing, typos, series facts, episode codes).
//!
//! Uses `questions/picard.toml` when it loads, else the small test pack.
//! Run: `cargo bench --bench lookup`.

use std::path::Path;

use trivia_bot::facts::{FactPack, load_file};
use trivia_bot::lookup::Index;

fn main() {
    divan::main();
}

fn pack() -> FactPack {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    load_file(&root.join("questions/picard.toml"))
        .or_else(|_| load_file(&root.join("tests/packs/harbour-lights.toml")))
        .expect("a pack to benchmark with")
}

#[divan::bench]
fn build_index(bencher: divan::Bencher) {
    let pack = pack();
    bencher.bench(|| Index::new(divan::black_box(&pack)));
}

#[divan::bench(args = [
    "elnor",               // exact character name
    "el",                  // autocomplete: first letters
    "evan evag",           // autocomplete: actor, second word half typed
    "absolute candor",     // episode title
    "premeire",            // typo
    "jonathon frakes",     // typo in a two-word name
    "S1E4",                // episode code
    "production companies",// series fact
    "xyzzy",               // no match at all
])]
fn search(bencher: divan::Bencher, query: &str) {
    let index = Index::new(&pack());
    bencher.bench(|| index.search(divan::black_box(query), 25, None));
}

#[divan::bench]
fn search_with_spoiler_limit(bencher: divan::Bencher) {
    let index = Index::new(&pack());
    let limit = "S1E4".parse().ok();
    bencher.bench(|| index.search(divan::black_box("soji"), 25, limit));
}

#[divan::bench]
fn card(bencher: divan::Bencher) {
    let index = Index::new(&pack());
    let key = index.search("elnor", 1, None)[0].key.clone();
    bencher.bench(|| index.card(divan::black_box(&key)));
}
