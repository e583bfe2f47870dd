//! `trivia-bot questions [--pack ID] [--count N] [--seed S] [--category C] [--difficulty D]
//! [--form F] [--spoilers-up-to S1E4] [--json]`: print a deck of generated questions.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;

use crate::facts::{EpisodeCode, FactPack, PackSet};
use crate::quiz::{self, Category, DeckOptions, Difficulty, Form, Question};

/// Decks longer than this are surely a typo.
const MAX_COUNT: usize = 10_000;

#[derive(Debug, Args)]
pub struct QuestionsArgs {
    /// The pack to draw from (by id) [default: the default pack].
    #[arg(long, value_name = "ID")]
    pub pack: Option<String>,
    /// How many questions.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub count: usize,
    /// Seed of the deck: the same seed gives the same questions in the same order
    /// [default: a random seed, printed so the deck can be dealt again].
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Only these categories (repeat or separate with commas): dates, cast, episodes, crew,
    /// production, universe, plot.
    #[arg(long, value_name = "C", value_delimiter = ',', value_parser = parse_category)]
    pub category: Vec<Category>,
    /// Only these difficulties (repeat or separate with commas): easy, medium, hard.
    #[arg(long, value_name = "D", value_delimiter = ',', value_parser = parse_difficulty)]
    pub difficulty: Vec<Difficulty>,
    /// Only these forms (repeat or separate with commas): multiple_choice, true_false, typed
    /// [default: a mix].
    #[arg(long, value_name = "F", value_delimiter = ',', value_parser = parse_form)]
    pub form: Vec<Form>,
    /// Leave out anything revealed after this episode (e.g. S1E4), in questions and in options.
    #[arg(long, value_name = "S1E4")]
    pub spoilers_up_to: Option<EpisodeCode>,
    /// Print a JSON array of questions (prompt, choices, answer, accepted, category,
    /// difficulty, form, source, …).
    #[arg(long)]
    pub json: bool,
}

impl Default for QuestionsArgs {
    fn default() -> Self {
        QuestionsArgs {
            pack: None,
            count: 10,
            seed: None,
            category: Vec::new(),
            difficulty: Vec::new(),
            form: Vec::new(),
            spoilers_up_to: None,
            json: false,
        }
    }
}

fn parse_category(s: &str) -> Result<Category, String> {
    Category::ALL
        .into_iter()
        .find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
        .ok_or_else(|| {
            let all: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
            format!("no category `{s}`; use one of {}", all.join(", "))
        })
}

fn parse_difficulty(s: &str) -> Result<Difficulty, String> {
    [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard]
        .into_iter()
        .find(|d| d.as_str().eq_ignore_ascii_case(s.trim()))
        .ok_or_else(|| format!("no difficulty `{s}`; use easy, medium or hard"))
}

fn parse_form(s: &str) -> Result<Form, String> {
    let wanted = s.trim().replace('-', "_").to_ascii_lowercase();
    let form = match wanted.as_str() {
        "multiple_choice" | "mc" => Form::MultipleChoice,
        "true_false" | "tf" => Form::TrueFalse,
        "typed" => Form::Typed,
        _ => {
            return Err(format!(
                "no form `{s}`; use multiple_choice, true_false or typed"
            ));
        }
    };
    Ok(form)
}

pub fn run(questions_dir: &Path, args: QuestionsArgs) -> anyhow::Result<ExitCode> {
    let set = super::load_packs(questions_dir);
    let seed = args.seed.unwrap_or_else(rand::random);
    let (pack, deck) = deal(&set, &args, seed)?;
    if args.seed.is_none() {
        eprintln!("seed: {seed} (pass --seed {seed} to deal this deck again)");
    }
    if deck.is_empty() {
        eprintln!(
            "no question in pack `{}` matches these filters; try fewer --category, --difficulty or --form filters, or a later --spoilers-up-to",
            pack.id()
        );
        return Ok(ExitCode::FAILURE);
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&deck)?);
    } else {
        print!("{}", render(pack, &deck, seed, args.spoilers_up_to));
    }
    Ok(ExitCode::SUCCESS)
}

/// The pack chosen by `--pack` (or the default one) and its deck.
pub fn deal<'a>(
    set: &'a PackSet,
    args: &QuestionsArgs,
    seed: u64,
) -> anyhow::Result<(&'a FactPack, Vec<Arc<Question>>)> {
    if args.count > MAX_COUNT {
        anyhow::bail!(
            "--count {} is too many; ask for at most {MAX_COUNT}",
            args.count
        );
    }
    let pack = match &args.pack {
        Some(id) => super::pack_by_id(set, id)?,
        None => set.default_pack().ok_or_else(|| {
            anyhow::anyhow!(
                "no valid pack found; add a fact pack (*.toml) to the questions folder or pass --questions-dir, and run `trivia-bot check`"
            )
        })?,
    };
    let opts = DeckOptions {
        seed,
        count: args.count,
        categories: args.category.clone(),
        difficulties: args.difficulty.clone(),
        forms: args.form.clone(),
        spoiler_limit: args.spoilers_up_to,
    };
    Ok((pack, quiz::deal(pack, &opts)))
}

/// The deck as readable text: each question with its options, answer and source.
pub fn render(
    pack: &FactPack,
    deck: &[Arc<Question>],
    seed: u64,
    limit: Option<EpisodeCode>,
) -> String {
    let mut out = String::new();
    let spoilers = limit.map_or(String::new(), |l| format!(", spoilers up to {l}"));
    let _ = writeln!(
        out,
        "{} — {} questions (seed {seed}{spoilers})",
        pack.title(),
        deck.len()
    );
    for (n, q) in deck.iter().enumerate() {
        let form = q.form.as_str().replace('_', " ");
        let _ = writeln!(
            out,
            "\n{}. [{} · {} · {form}]\n   {}",
            n + 1,
            q.category.as_str(),
            q.difficulty.as_str(),
            q.prompt
        );
        for (i, choice) in q.choices.iter().enumerate() {
            let _ = writeln!(out, "     {}) {choice}", letter(i));
        }
        match q.correct {
            Some(i) => {
                let _ = writeln!(out, "   Answer: {}) {}", letter(i), q.answer);
            }
            None => {
                let _ = writeln!(out, "   Answer: {}", q.answer);
                let others: Vec<&str> = q
                    .accepted
                    .iter()
                    .map(String::as_str)
                    .filter(|a| !q.answer.contains(a))
                    .collect();
                if !others.is_empty() {
                    let _ = writeln!(out, "   Also accepted: {}", others.join(", "));
                }
            }
        }
        let _ = writeln!(out, "   Source: {}", q.source);
    }
    out
}

fn letter(i: usize) -> char {
    (b'A' + (i % 26) as u8) as char
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_by_name() {
        assert_eq!(parse_category("Cast"), Ok(Category::Cast));
        assert!(parse_category("gossip").unwrap_err().contains("plot"));
        assert_eq!(parse_difficulty("hard"), Ok(Difficulty::Hard));
        assert_eq!(parse_form("true-false"), Ok(Form::TrueFalse));
        assert_eq!(parse_form("mc"), Ok(Form::MultipleChoice));
        assert!(parse_form("essay").is_err());
    }
}
