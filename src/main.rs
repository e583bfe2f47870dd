use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    trivia_bot::cli::main(trivia_bot::cli::Cli::parse())
}
