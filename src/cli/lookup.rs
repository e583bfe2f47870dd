//! `trivia-bot lookup`.

use std::path::Path;
use std::process::ExitCode;

use clap::Args;

#[derive(Debug, Default, Args)]
pub struct LookupArgs {}

pub fn run(_questions_dir: &Path, _args: LookupArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`lookup` is not built yet")
}
