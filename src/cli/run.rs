//! `trivia-bot run` (the default): the Discord bot.
//!
//! Reads `.env` (dotenvy; real environment variables win) and the environment, sets up
//! logging (`RUST_LOG`, default `info`), and runs [`crate::discord::run`]. Every failure is one
//! line on stderr and a non-zero status: 2 for a missing or unusable setting, 1 when Discord,
//! the API base or the database says no. The token never appears in any output.

use std::path::Path;
use std::process::ExitCode;

use clap::Args;

use crate::discord::{self, BotConfig, ConfigError};

#[derive(Debug, Default, Args)]
pub struct RunArgs {}

/// Printed when DISCORD_TOKEN is missing.
pub const NO_TOKEN_HELP: &str = "\
error: DISCORD_TOKEN is not set.

To run the bot in Discord you need a bot token:
  1. Open https://discord.com/developers/applications and create an application (New Application).
  2. Under Bot, press Reset Token and copy the token.
  3. Put it in a .env file beside the bot (see .env.example) or the environment:
       DISCORD_TOKEN=your-token trivia-bot run
  4. Invite the bot with the URL in the README (scopes bot and applications.commands).
The README's \"Running the Discord bot\" section has the details.

No Discord at hand? `trivia-bot play` runs a game in this terminal, no token needed.";

pub fn run(questions_dir: &Path, _args: RunArgs) -> anyhow::Result<ExitCode> {
    // A missing .env is normal; a broken one is worth a line (not the values: it has the token).
    if let Err(e) = dotenvy::dotenv()
        && !e.not_found()
    {
        eprintln!(
            "warning: .env could not be read ({}); using the environment only",
            describe_dotenv_error(&e)
        );
    }
    init_logging();

    let mut config = match BotConfig::from_env() {
        Ok(config) => config,
        Err(ConfigError::MissingToken) => {
            eprintln!("{NO_TOKEN_HELP}");
            if offer_terminal_game() {
                return super::play::run(questions_dir, default_play_args());
            }
            return Ok(ExitCode::from(2));
        }
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    // `--questions-dir` (or QUESTIONS_DIR from the real environment) was read before `.env`
    // was loaded: a value from `.env` applies unless the flag moved off its default.
    if questions_dir != Path::new("questions") {
        config.questions_dir = questions_dir.to_path_buf();
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    match runtime.block_on(discord::run(config)) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) => {
            eprintln!("error: {e}");
            Ok(ExitCode::from(1))
        }
    }
}

/// At an interactive terminal, asks whether to play in the terminal instead; never asks when
/// input is piped (scripts and CI get the plain exit status 2).
fn offer_terminal_game() -> bool {
    use std::io::{BufRead, IsTerminal, Write};
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return false;
    }
    eprint!("\nPlay a game in this terminal now? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    if std::io::stdin().lock().read_line(&mut line).is_err() {
        return false;
    }
    matches!(line.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

/// `play` with its defaults, as if typed with no options.
fn default_play_args() -> super::play::PlayArgs {
    use clap::{Args as _, FromArgMatches};
    let matches =
        super::play::PlayArgs::augment_args(clap::Command::new("play")).get_matches_from(["play"]);
    super::play::PlayArgs::from_arg_matches(&matches).expect("play's defaults parse")
}

/// dotenvy's errors quote the offending line, which may hold the token: keep only the kind.
fn describe_dotenv_error(e: &dotenvy::Error) -> String {
    match e {
        dotenvy::Error::LineParse(_, index) => {
            format!("a line could not be parsed near character {index}")
        }
        dotenvy::Error::Io(io) => io.to_string(),
        dotenvy::Error::EnvVar(_) => "a value is not valid unicode".to_owned(),
        _ => "unreadable".to_owned(),
    }
}

/// `RUST_LOG` picks the log levels; the default shows the bot's start-up and game logs and
/// only serenity's and poise's warnings.
fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new("info,serenity=warn,poise=warn,sqlx=warn,tracing::span=warn")
    });
    // Already set (e.g. by a test harness): keep that one.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
