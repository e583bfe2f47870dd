//! `trivia-bot check`.

use std::path::Path;
use std::process::ExitCode;

use clap::Args;

#[derive(Debug, Default, Args)]
pub struct CheckArgs {}

pub fn run(_questions_dir: &Path, _args: CheckArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`check` is not built yet")
}
