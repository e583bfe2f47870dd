//! `trivia-bot play`: a game in the terminal over the same engine as Discord.

use std::io::{self, BufReader, IsTerminal};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::Args;

use crate::console::{self, Console, Mode};
use crate::facts::{FactPack, PackSet};
use crate::game::{AnswerRule, DeckSpec, Game, GameConfig, MAX_QUESTION_SECONDS, Scoring};
use crate::quiz::{self, DeckOptions, Question};

/// The most players one terminal game seats.
const MAX_PLAYERS: usize = 20;

#[derive(Debug, Args)]
pub struct PlayArgs {
    /// Pack id (default: the first pack in the questions folder).
    #[arg(long)]
    pub pack: Option<String>,
    /// Number of questions.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=500))]
    pub rounds: u16,
    /// Deck seed: the same seed deals the same questions (default: a new one each game).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Seconds to answer each question (interactive play; piped answers never wait).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=MAX_QUESTION_SECONDS as i64))]
    pub seconds: u32,
    /// Answer rule: `once` (everyone answers each question once) or `race` (first right
    /// answer wins).
    #[arg(long, default_value = "once")]
    pub rule: AnswerRule,
    /// Scoring: `speed` (1000 down to 500 points, streak bonus) or `classic` (1 point).
    #[arg(long, default_value = "speed")]
    pub scoring: Scoring,
    /// Player names, comma-separated; each line then starts with a name: `alice: B`.
    #[arg(long, value_delimiter = ',')]
    pub players: Vec<String>,
}

pub fn run(questions_dir: &Path, args: PlayArgs) -> anyhow::Result<ExitCode> {
    let players = check_players(&args.players)?;
    let packs = PackSet::load_dir(questions_dir);
    let pack = choose_pack(&packs, args.pack.as_deref(), questions_dir)?;
    let seed = args.seed.unwrap_or_else(rand::random);
    let rounds = usize::from(args.rounds);
    let deck = deck(pack, rounds, seed);
    if deck.is_empty() {
        bail!(
            "pack `{}` yields no questions; run `trivia-bot check` on it",
            pack.id()
        );
    }
    let config = GameConfig {
        rounds,
        question_seconds: args.seconds,
        reveal_seconds: 3,
        rule: args.rule,
        scoring: args.scoring,
        deck: DeckSpec {
            pack: pack.id().to_string(),
            seed,
            ..DeckSpec::default()
        },
        ..GameConfig::default()
    };
    let mode = if io::stdin().is_terminal() {
        Mode::Interactive
    } else {
        Mode::Piped
    };
    let title = format!("{} · seed {seed}", pack.title());
    let game = Game::new(config, deck);
    let mut console = Console::new(game, players, title, anstream::stdout());
    console::run(&mut console, BufReader::new(io::stdin()), mode)
        .context("the terminal game failed")?;
    Ok(ExitCode::SUCCESS)
}

/// The deck `play` deals: `rounds` questions from `pack`, shuffled by `seed`, any category,
/// difficulty and form. Tests call it to know the questions a seeded game asks.
pub fn deck(pack: &FactPack, rounds: usize, seed: u64) -> Vec<Arc<Question>> {
    let options = DeckOptions {
        seed,
        count: rounds,
        ..DeckOptions::default()
    };
    quiz::deal(pack, &options)
}

fn choose_pack<'a>(
    packs: &'a PackSet,
    id: Option<&str>,
    dir: &Path,
) -> anyhow::Result<&'a FactPack> {
    let broken = if packs.broken.is_empty() {
        String::new()
    } else {
        format!(
            " ({} pack file(s) failed to load; `trivia-bot check` shows why)",
            packs.broken.len()
        )
    };
    match id {
        Some(id) => packs.get(id).with_context(|| {
            format!(
                "no pack `{id}` in {}; known packs: {}{broken}",
                dir.display(),
                packs.ids().join(", ")
            )
        }),
        None => packs.default_pack().with_context(|| {
            format!(
                "no valid pack in {}{broken}; point --questions-dir at a folder of *.toml packs",
                dir.display()
            )
        }),
    }
}

/// Player names: trimmed, non-empty, distinct (ignoring case), no colons.
fn check_players(names: &[String]) -> anyhow::Result<Vec<String>> {
    let names: Vec<String> = names.iter().map(|n| n.trim().to_string()).collect();
    if names.len() > MAX_PLAYERS {
        bail!("at most {MAX_PLAYERS} players can share a terminal");
    }
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() || name.contains(':') {
            bail!("player names must be non-empty and without `:` (got `{name}`)");
        }
        if names[..i].iter().any(|n| n.eq_ignore_ascii_case(name)) {
            bail!("player `{name}` is listed twice");
        }
    }
    Ok(names)
}
