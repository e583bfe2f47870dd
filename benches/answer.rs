//! Typed answers judged per second: `cargo bench --bench answer`.
//!
//! A question about a cast member with the rest of a large cast as confusables, judged
//! against a mix of what players type: right answers, typos, surnames, other actors, numbers,
//! dates and chatty sentences.

use std::hint::black_box;
use std::time::{Duration, Instant};

use divan::Bencher;
use divan::counter::ItemsCount;
use trivia_bot::answer::{Matcher, Options};

const CAST: &[&str] = &[
    "Patrick Stewart",
    "Santiago Cabrera",
    "Michelle Hurd",
    "Evan Evagora",
    "Alison Pill",
    "Harry Treadaway",
    "Isa Briones",
    "Brent Spiner",
    "Jeri Ryan",
    "Marina Sirtis",
    "Jonathan Del Arco",
    "Orla Brady",
    "Peyton List",
    "Tamlyn Tomita",
    "Jamie McShane",
    "Ned Dennehy",
    "LeVar Burton",
    "Michael Dorn",
    "Gates McFadden",
    "Ed Speleers",
    "Todd Stashwick",
    "Amanda Plummer",
    "Ashlei Sharpe Chestnut",
    "Mica Burton",
    "Annie Wersching",
    "John de Lancie",
    "Whoopi Goldberg",
    "Wil Wheaton",
    "Dan Jeannotte",
    "Steve Hale",
];

const INPUTS: &[&str] = &[
    "Jonathan Frakes",
    "jonathan frakes!",
    "Frakes",
    "Johnathan Fraks",
    "Jonathon Frakse",
    "Brent Spiner",
    "Spiner",
    "Jonathan",
    "I'm pretty sure it was Jonathan Frakes, right?",
    "Riker",
    "ten",
    "23 January 2020",
    "",
    "Sir Patrick Stewart",
    "Jonathan Del Arco",
    "Frak",
];

fn matcher() -> Matcher {
    let confusables: Vec<String> = CAST.iter().map(|s| s.to_string()).collect();
    let accepted = vec!["Jonathan Frakes".to_string(), "Frakes".to_string()];
    Matcher::with_options(&accepted, &confusables, Options { surnames: true })
}

fn main() {
    divan::main();
    // `cargo test --benches` runs each benchmark once with --test: no rate there.
    if !std::env::args().any(|a| a == "--test") {
        print_rate();
    }
}

/// Judges the input mix.
#[divan::bench]
fn judge(bencher: Bencher) {
    let m = matcher();
    bencher
        .counter(ItemsCount::new(INPUTS.len()))
        .bench_local(|| {
            for input in INPUTS {
                black_box(m.judge(black_box(input)));
            }
        });
}

/// Judges only exact right answers (the fast path).
#[divan::bench]
fn judge_exact(bencher: Bencher) {
    let m = matcher();
    bencher
        .counter(ItemsCount::new(1usize))
        .bench_local(|| black_box(m.judge(black_box("Jonathan Frakes"))));
}

/// Builds the matcher for a question (once per question).
#[divan::bench]
fn build() -> Matcher {
    matcher()
}

/// One plain line for the issue: answers judged per second over the input mix.
fn print_rate() {
    let m = matcher();
    let mut judged = 0u64;
    let start = Instant::now();
    while start.elapsed() < Duration::from_millis(500) {
        for input in INPUTS {
            black_box(m.judge(black_box(input)));
        }
        judged += INPUTS.len() as u64;
    }
    let rate = judged as f64 / start.elapsed().as_secs_f64();
    println!("typed answers judged per second (mixed inputs, 30 confusables): {rate:.0}");
}
