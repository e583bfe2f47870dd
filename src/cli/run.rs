//! `trivia-bot run`.

use std::path::Path;
use std::process::ExitCode;

use clap::Args;

#[derive(Debug, Default, Args)]
pub struct RunArgs {}

pub fn run(_questions_dir: &Path, _args: RunArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`run` is not built yet")
}
