//! `trivia-bot play`.

use std::path::Path;
use std::process::ExitCode;

use clap::Args;

#[derive(Debug, Default, Args)]
pub struct PlayArgs {}

pub fn run(_questions_dir: &Path, _args: PlayArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`play` is not built yet")
}
