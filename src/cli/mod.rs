//! The command line: `trivia-bot [run|check|lookup|questions|play]`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::facts::{FactPack, PackSet};

pub mod check;
pub mod lookup;
pub mod play;
pub mod questions;
pub mod run;

/// A Discord trivia bot that generates quiz questions from TV-series fact packs.
#[derive(Debug, Parser)]
#[command(name = "trivia-bot", version, about, long_about = None)]
pub struct Cli {
    /// Folder of fact packs (*.toml).
    #[arg(
        long,
        global = true,
        env = "QUESTIONS_DIR",
        default_value = "questions"
    )]
    pub questions_dir: PathBuf,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the Discord bot (the default). Needs DISCORD_TOKEN.
    Run(run::RunArgs),
    /// Validate fact packs and print a summary or diagnostics for each.
    Check(check::CheckArgs),
    /// Look up facts: cast, characters, episodes, crew, dates, places, plot.
    Lookup(lookup::LookupArgs),
    /// Print a deck of generated questions.
    Questions(questions::QuestionsArgs),
    /// Play a game in the terminal (no Discord needed).
    Play(play::PlayArgs),
}

/// Runs the parsed command line and turns errors into a message and an exit status.
pub fn main(cli: Cli) -> ExitCode {
    let dir = cli.questions_dir;
    let result = match cli.command {
        None => run::run(&dir, run::RunArgs::default()),
        Some(Command::Run(args)) => run::run(&dir, args),
        Some(Command::Check(args)) => check::run(&dir, args),
        Some(Command::Lookup(args)) => lookup::run(&dir, args),
        Some(Command::Questions(args)) => questions::run(&dir, args),
        Some(Command::Play(args)) => play::run(&dir, args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// The packs in `dir`, for `lookup` and `questions`: a broken pack is skipped with a warning
/// on stderr, so the valid ones can still be used.
fn load_packs(dir: &Path) -> PackSet {
    let set = PackSet::load_dir(dir);
    for broken in &set.broken {
        eprintln!(
            "warning: skipped broken pack {} ({} errors); run `trivia-bot check` to see them",
            broken.path.display(),
            broken.diagnostics.len()
        );
    }
    set
}

/// The valid pack named by `--pack`, or an error that lists the known ones.
fn pack_by_id<'a>(set: &'a PackSet, id: &str) -> anyhow::Result<&'a FactPack> {
    set.get(id).ok_or_else(|| {
        let known = match set.ids() {
            ids if ids.is_empty() => "none".to_string(),
            ids => ids.join(", "),
        };
        anyhow::anyhow!("no valid pack with id `{id}`; known packs: {known}")
    })
}
