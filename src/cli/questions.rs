//! `trivia-bot questions`.

use std::path::Path;
use std::process::ExitCode;

use clap::Args;

#[derive(Debug, Default, Args)]
pub struct QuestionsArgs {}

pub fn run(_questions_dir: &Path, _args: QuestionsArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`questions` is not built yet")
}
