//! Fact packs: the format ([`model`]), loading with diagnostics ([`load_str`], [`load_file`]),
//! validation, the validated [`FactPack`] that the rest of the core reads, and the [`PackSet`]
//! of every pack in a folder.

mod diagnostic;
mod fields;
mod load;
pub mod model;
mod packset;
mod validate;

use std::path::Path;

pub use diagnostic::{Diagnostic, ErrorKind, line_column};
pub use model::*;
pub use packset::{BrokenPack, PackSet};

/// A pack that has passed validation, ready for lookups and question generation.
#[derive(Debug, Clone)]
pub struct FactPack {
    pub data: Pack,
}

impl FactPack {
    /// Wraps an already validated pack. Prefer the loaders, which validate.
    pub fn new_unchecked(data: Pack) -> Self {
        FactPack { data }
    }

    pub fn id(&self) -> &str {
        &self.data.pack.id
    }

    pub fn title(&self) -> &str {
        &self.data.pack.title
    }

    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.data.entities.iter().find(|e| e.id == id)
    }

    pub fn episode(&self, code: EpisodeCode) -> Option<&Episode> {
        self.data.episodes.iter().find(|e| e.code() == code)
    }

    /// The season with this number.
    pub fn season(&self, number: u32) -> Option<&Season> {
        self.data.seasons.iter().find(|s| s.number == number)
    }

    /// How much the pack holds, for summaries.
    pub fn stats(&self) -> PackStats {
        let d = &self.data;
        PackStats {
            seasons: d.seasons.len(),
            episodes: d.episodes.len(),
            cast: d.cast.len(),
            entities: d.entities.len(),
            plot_points: d.plot_points.len(),
        }
    }
}

/// Counts of a pack's contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackStats {
    pub seasons: usize,
    pub episodes: usize,
    pub cast: usize,
    pub entities: usize,
    pub plot_points: usize,
}

impl std::fmt::Display for PackStats {
    /// "3 seasons, 30 episodes, 46 cast, 60 entities, 50 plot points".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = |count: usize, one: &str, many: &str| {
            format!("{count} {}", if count == 1 { one } else { many })
        };
        write!(
            f,
            "{}, {}, {} cast, {}, {}",
            n(self.seasons, "season", "seasons"),
            n(self.episodes, "episode", "episodes"),
            self.cast,
            n(self.entities, "entity", "entities"),
            n(self.plot_points, "plot point", "plot points"),
        )
    }
}

/// Parses and validates a pack from TOML text. `origin` names the file in diagnostics.
/// On failure, returns every mistake found, sorted by position.
pub fn load_str(src: &str, origin: &str) -> Result<FactPack, Vec<Diagnostic>> {
    let (root, syntax) = toml::de::DeTable::parse_recoverable(src);
    if !syntax.is_empty() {
        let mut diagnostics: Vec<Diagnostic> = syntax
            .iter()
            .map(|e| syntax_diagnostic(e, src, origin))
            .collect();
        diagnostics.dedup();
        return Err(diagnostics);
    }
    let mut issues = Vec::new();
    let draft = load::read(&root, &mut issues);
    issues.extend(validate::check(&draft));
    match draft.into_pack() {
        Some(pack) if issues.is_empty() => Ok(FactPack::new_unchecked(pack)),
        _ => {
            let mut diagnostics: Vec<Diagnostic> = issues
                .into_iter()
                .map(|issue| {
                    let span = match &issue.at {
                        load::At::Span(span) => span.clone(),
                        load::At::Path(path) => path.span_in(&root),
                    };
                    let (line, column) = line_column(src, span.start);
                    Diagnostic {
                        file: origin.to_string(),
                        line,
                        column,
                        kind: issue.kind,
                        message: issue.message,
                        help: issue.help,
                    }
                })
                .collect();
            diagnostics.sort_by_key(|d| (d.line, d.column));
            diagnostics.dedup();
            Err(diagnostics)
        }
    }
}

/// Reads, parses and validates a pack file.
pub fn load_file(path: &Path) -> Result<FactPack, Vec<Diagnostic>> {
    let origin = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(src) => load_str(&src, &origin),
        Err(err) => Err(vec![Diagnostic {
            file: origin,
            line: 1,
            column: 1,
            kind: ErrorKind::Unreadable,
            message: format!("cannot read the file: {err}"),
            help: Some("check the path and that the file is UTF-8 text".into()),
        }]),
    }
}

/// Checks an already built pack (one made in code rather than read from a file). Diagnostics
/// then carry the origin `file` and line 0, column 0.
pub fn validate(pack: &Pack, origin: &str) -> Vec<Diagnostic> {
    validate::check(&load::Draft::from_pack(pack.clone()))
        .into_iter()
        .map(|issue| Diagnostic {
            file: origin.to_string(),
            line: 0,
            column: 0,
            kind: issue.kind,
            message: issue.message,
            help: issue.help,
        })
        .collect()
}

fn syntax_diagnostic(error: &toml::de::Error, src: &str, origin: &str) -> Diagnostic {
    let (line, column) = line_column(src, error.span().map_or(0, |s| s.start));
    Diagnostic {
        file: origin.to_string(),
        line,
        column,
        kind: ErrorKind::Syntax,
        message: format!("TOML syntax: {}", error.message()),
        help: Some(
            "fix the TOML syntax here (quote strings, close brackets, one `key = value` per line)"
                .into(),
        ),
    }
}
