//! Diagnostics: what is wrong with a pack file, where (file, line, column) and how to fix it.

use std::fmt;

use serde::Serialize;

/// The kind of mistake a diagnostic reports; tests and tools can match on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The file could not be read.
    Unreadable,
    /// The file is not valid TOML.
    Syntax,
    /// A key the format does not know (often a typo).
    UnknownKey,
    /// A required key is absent.
    MissingKey,
    /// A value of the wrong TOML type (a number where a string belongs...).
    WrongType,
    /// A date that is not `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, or does not exist.
    BadDate,
    /// A value of the right type that the format does not accept (an unknown billing, a bad
    /// episode code, a negative count...).
    BadValue,
    /// A required text is empty.
    EmptyText,
    /// The pack id is not lowercase letters, digits and `-`.
    BadPackId,
    /// Two entries share an id, code, number or name that must be unique.
    DuplicateId,
    /// A reference to an episode, entity or character that the pack does not define.
    DanglingReference,
    /// A season's `episode_count` contradicts its listed episodes.
    EpisodeCount,
    /// An episode or cast row names a season that `[[seasons]]` does not list.
    UnknownSeason,
    /// A plot point's `[span]` is missing, doubled, or does not name its entity.
    PlotSpan,
    /// A plot point has neither an `entity` nor a `kind` (or both).
    PlotAnswer,
    /// A milestone statement without the `{date}` placeholder.
    MilestoneDate,
    /// Another pack already uses this pack id.
    DuplicatePack,
}

/// One problem in a pack file, with its position (1-based line and column, in characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub kind: ErrorKind,
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl fmt::Display for Diagnostic {
    /// `file:line:col: error: message`, then `  help: ...` on its own line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: error: {}",
            self.file, self.line, self.column, self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// The 1-based line and column (in characters) of a byte offset in `src`.
pub fn line_column(src: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(src.len());
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let src = "a = 1\nné = \"x\"\n";
        assert_eq!(line_column(src, 0), (1, 1));
        assert_eq!(line_column(src, 4), (1, 5));
        assert_eq!(line_column(src, 6), (2, 1));
        // "é" is two bytes: the `=` after "né " is the 4th character of line 2.
        assert_eq!(line_column(src, src.rfind('=').unwrap()), (2, 4));
        assert_eq!(line_column(src, 999), (3, 1));
    }

    #[test]
    fn display_shows_position_and_help() {
        let d = Diagnostic {
            file: "questions/x.toml".into(),
            line: 3,
            column: 7,
            kind: ErrorKind::UnknownKey,
            message: "unknown key `diretors`".into(),
            help: Some("did you mean `directors`?".into()),
        };
        assert_eq!(
            d.to_string(),
            "questions/x.toml:3:7: error: unknown key `diretors`\n  help: did you mean `directors`?"
        );
    }
}
