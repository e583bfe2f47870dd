//! `trivia-bot lookup QUERY [--pack ID] [--json] [--spoilers-up-to S1E4]`: print the best
//! matches for a query as readable cards.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use clap::Args;
use serde::Serialize;

use crate::facts::{EpisodeCode, PackSet};
use crate::lookup::{Card, Hit, Index};

/// Hits scoring at least this share of the best one are printed as full cards; the rest as
/// one-line titles.
const CARD_SHARE: f64 = 0.8;

#[derive(Debug, Default, Args)]
pub struct LookupArgs {
    /// What to look up: a character, actor, crew member, episode title or code (S1E4), a
    /// place or ship, or a series fact ("premiere", "creators", "composer", "episodes").
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,
    /// Search only this pack (by id) [default: every pack].
    #[arg(long, value_name = "ID")]
    pub pack: Option<String>,
    /// Print the hits and their cards as JSON.
    #[arg(long)]
    pub json: bool,
    /// Leave out anything revealed after this episode (e.g. S1E4).
    #[arg(long, value_name = "S1E4")]
    pub spoilers_up_to: Option<EpisodeCode>,
    /// The most hits to show.
    #[arg(long, default_value_t = 5)]
    pub limit: usize,
}

/// A hit with its pack and card, as printed.
#[derive(Debug, Serialize)]
pub struct Found {
    pub pack: String,
    #[serde(flatten)]
    pub hit: Hit,
    pub card: Card,
}

pub fn run(questions_dir: &Path, args: LookupArgs) -> anyhow::Result<ExitCode> {
    let set = super::load_packs(questions_dir);
    let query = args.query.join(" ");
    let found = search(&set, &query, &args)?;
    if found.is_empty() {
        eprintln!(
            "no match for '{query}'; try a character, actor, episode title or S1E4, or a fact such as \"premiere\" or \"creators\""
        );
        return Ok(ExitCode::FAILURE);
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&found)?);
    } else {
        print!("{}", render(&found, set.packs.len() > 1));
    }
    Ok(ExitCode::SUCCESS)
}

/// The best hits over the chosen packs, best first, each with its card.
pub fn search(set: &PackSet, query: &str, args: &LookupArgs) -> anyhow::Result<Vec<Found>> {
    let packs: Vec<_> = match &args.pack {
        Some(id) => vec![super::pack_by_id(set, id)?],
        None => set.packs.iter().collect(),
    };
    if packs.is_empty() {
        anyhow::bail!("no valid fact packs to search; run `trivia-bot check` to see why");
    }
    let mut found = Vec::new();
    for pack in packs {
        let index = Index::new(pack);
        for hit in index.search(query, args.limit, args.spoilers_up_to) {
            if let Some(card) = index.card_within(&hit.key, args.spoilers_up_to) {
                found.push(Found {
                    pack: pack.id().to_string(),
                    hit,
                    card,
                });
            }
        }
    }
    found.sort_by(|a, b| b.hit.score.total_cmp(&a.hit.score));
    found.truncate(args.limit);
    Ok(found)
}

/// Cards for the best hits, then one line for each weaker one.
pub fn render(found: &[Found], show_pack: bool) -> String {
    let mut out = String::new();
    let Some(best) = found.first().map(|f| f.hit.score) else {
        return out;
    };
    let (cards, rest): (Vec<&Found>, Vec<&Found>) =
        found.iter().partition(|f| f.hit.score >= best * CARD_SHARE);
    for (i, f) in cards.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let pack = if show_pack {
            format!(" ({})", f.pack)
        } else {
            String::new()
        };
        let _ = writeln!(out, "{}  [{}]{pack}", f.card.title, f.hit.kind.label());
        for line in &f.card.lines {
            let _ = writeln!(out, "  {line}");
        }
        if let Some(source) = &f.card.source {
            let _ = writeln!(out, "  Source: {source}");
        }
    }
    if !rest.is_empty() {
        let _ = writeln!(out, "\nAlso:");
        for f in rest {
            let _ = writeln!(out, "  {}  [{}]", f.hit.title, f.hit.kind.label());
        }
    }
    out
}
