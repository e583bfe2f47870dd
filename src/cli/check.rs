//! `trivia-bot check [PATH...]`: validate fact packs, print a summary or the diagnostics of
//! each, and exit with status 1 if any pack is broken.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use crate::facts::PackSet;

#[derive(Debug, Default, Args)]
pub struct CheckArgs {
    /// Pack files or folders of packs to check [default: the questions folder].
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

pub fn run(questions_dir: &Path, args: CheckArgs) -> anyhow::Result<ExitCode> {
    let paths = if args.paths.is_empty() {
        vec![questions_dir.to_path_buf()]
    } else {
        args.paths
    };
    let set = PackSet::load_paths(&paths);
    let (text, ok) = report(&set, &paths);
    print!("{text}");
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The report of a checked set, and whether every pack is valid (and there is at least one).
pub fn report(set: &PackSet, paths: &[PathBuf]) -> (String, bool) {
    let mut out = String::new();
    for pack in &set.packs {
        let file = set
            .file_of(pack.id())
            .map_or(String::new(), |f| format!(" ({})", f.display()));
        let meta = &pack.data.pack;
        let _ = writeln!(
            out,
            "✓ {}{file}: {} v{} — {}",
            pack.id(),
            meta.title,
            meta.version,
            pack.stats()
        );
    }
    for broken in &set.broken {
        let n = broken.diagnostics.len();
        let _ = writeln!(
            out,
            "✗ {}: {n} error{}",
            broken.path.display(),
            if n == 1 { "" } else { "s" }
        );
        for d in &broken.diagnostics {
            let _ = writeln!(out, "{d}");
        }
    }
    let errors = set.error_count();
    let ok = set.broken.is_empty() && !set.packs.is_empty();
    if set.packs.is_empty() && set.broken.is_empty() {
        let places: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        let _ = writeln!(
            out,
            "no fact packs (*.toml) found in {}; add one, or pass a pack file or folder",
            places.join(", ")
        );
    } else {
        let _ = writeln!(
            out,
            "\n{} pack{} OK, {} broken ({errors} error{})",
            set.packs.len(),
            if set.packs.len() == 1 { "" } else { "s" },
            set.broken.len(),
            if errors == 1 { "" } else { "s" },
        );
    }
    (out, ok)
}
