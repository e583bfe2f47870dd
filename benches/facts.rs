//! Pack loading: parsing and validating a fact pack from TOML, and loading a whole folder as the
//! bot does at start. `cargo bench --bench facts`.
//!
//! Uses the packs in `questions/` and `tests/packs/` (broken test packs are skipped); divan
//! reports the throughput in bytes of TOML per second.

use std::path::{Path, PathBuf};

use divan::Bencher;
use divan::counter::BytesCount;
use trivia_bot::facts::{PackSet, load_str};

fn main() {
    divan::main();
}

/// The pack files that load cleanly, by file name.
fn pack_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = [root.join("questions"), root.join("tests/packs")]
        .iter()
        .filter_map(|dir| std::fs::read_dir(dir).ok())
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .filter(|p| std::fs::read_to_string(p).is_ok_and(|src| load_str(&src, "bench").is_ok()))
        .collect();
    files.sort();
    files
}

fn names() -> Vec<String> {
    pack_files()
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect()
}

/// Parse and validate one pack from its TOML text.
#[divan::bench(args = names())]
fn load_pack(bencher: Bencher, name: &str) {
    let path = pack_files()
        .into_iter()
        .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy() == name))
        .expect("the file was listed a moment ago");
    let src = std::fs::read_to_string(&path).expect("read the pack");
    bencher
        .counter(BytesCount::of_str(&src))
        .bench(|| load_str(divan::black_box(&src), name).expect("the pack loads"));
}

/// What the bot does at start: every pack of `questions/`, read from disk.
#[divan::bench]
fn load_questions_dir(bencher: Bencher) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("questions");
    bencher.bench(|| PackSet::load_dir(divan::black_box(&dir)));
}
