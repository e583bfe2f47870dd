//! Turns a typed answer (or an accepted answer, or a confusable) into the forms the matcher
//! compares: folded words with leading articles and titles stripped, numbers as digits and
//! dates in a canonical form.

use super::{dates, numbers};
use crate::text::fold;

/// Leading words dropped from both sides ("The USS Enterprise" = "Enterprise",
/// "Admiral Picard" = "Picard"), repeatedly, as long as something is left.
const LEADING: &[&[&str]] = &[
    &["the"],
    &["a"],
    &["an"],
    &["uss"],
    &["u", "s", "s"],
    &["iss"],
    &["i", "s", "s"],
    &["irw"],
    &["admiral"],
    &["rear", "admiral"],
    &["vice", "admiral"],
    &["fleet", "admiral"],
    &["commodore"],
    &["captain"],
    &["capt"],
    &["commander"],
    &["cmdr"],
    &["lieutenant"],
    &["lt"],
    &["ensign"],
    &["chief"],
    &["doctor"],
    &["dr"],
    &["professor"],
    &["prof"],
    &["mr"],
    &["mrs"],
    &["ms"],
    &["miss"],
    &["mister"],
    &["sir"],
    &["dame"],
];

/// Words that show a multi-word answer is a phrase or a title rather than a personal name
/// ("Seven of Nine", "Maps and Legends"), so that no word of it is accepted alone.
const CONNECTIVES: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "for", "from", "if", "in", "into", "is", "it", "me", "my",
    "no", "not", "of", "on", "or", "our", "the", "to", "up", "we", "with", "you",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number {
        value: u64,
        ordinal: bool,
        /// The digit count when typed as digits without a suffix ("01" → 2); None for words.
        digits: Option<usize>,
    },
    Date,
}

/// One canonical token: a word, a number (as digits) or a date (`YYYY-MM-DD` / `YYYY-MM`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub kind: TokenKind,
}

/// One canonical reading of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// Canonical tokens joined by single spaces.
    pub text: String,
    /// The canonical tokens.
    pub words: Vec<String>,
    /// Numbers, dates and single letters among `words`, sorted: a typo may not change any of
    /// them ("Part 2" is not "Part 1", "Enterprise-E" is not "Enterprise-D").
    pub fixed: Vec<String>,
    /// Two or more plain words, none a connective: looks like a name ("Raffi Musiker").
    pub name_like: bool,
}

/// A text normalised for matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normal {
    /// One reading, or two for an ambiguous numeric date ("03/04/2020": day first, then month
    /// first).
    pub readings: Vec<Reading>,
    /// Folded words after stripping titles, with numbers and dates as typed: typos are
    /// measured on this too, so "Sevn of Nine" is one letter from "Seven of Nine".
    pub literal: String,
}

impl Normal {
    pub fn is_empty(&self) -> bool {
        self.readings.first().is_none_or(|r| r.text.is_empty())
    }
}

/// Normalises `s`: fold, strip leading articles and titles, read numbers and dates.
pub fn normalize(s: &str) -> Normal {
    let folded = fold(&join_thousands(s));
    let all: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let words = strip_leading(&all);
    let tokens = dates_in(tokens(words));
    let literal = words.join(" ");
    let first = reading(tokens.iter().map(|(t, _)| t));
    let mut readings = vec![first];
    // Only the first ambiguous date is read both ways; more than one in an answer is rare.
    if let Some(pos) = tokens.iter().position(|(_, other)| other.is_some()) {
        let other = tokens[pos]
            .1
            .clone()
            .expect("position found an ambiguous date");
        let alternative = Token {
            text: other,
            kind: TokenKind::Date,
        };
        readings.push(reading(
            tokens
                .iter()
                .enumerate()
                .map(|(i, (t, _))| if i == pos { &alternative } else { t }),
        ));
    }
    Normal { readings, literal }
}

/// Drops the commas of thousands separators ("1,000" → "1000") before folding would turn
/// them into spaces; other commas stay.
fn join_thousands(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let separator = c == ','
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.len() > i + 3
            && chars[i + 1..=i + 3].iter().all(char::is_ascii_digit)
            && !chars.get(i + 4).is_some_and(char::is_ascii_digit);
        if !separator {
            out.push(c);
        }
    }
    out
}

/// Strips leading articles and titles while at least one word remains.
fn strip_leading<'a, 'w>(mut words: &'a [&'w str]) -> &'a [&'w str] {
    'again: loop {
        for prefix in LEADING {
            if words.len() > prefix.len() && words.starts_with(prefix) && !counts(words) {
                words = &words[prefix.len()..];
                continue 'again;
            }
        }
        return words;
    }
}

/// "a hundred", "a thousand": the "a" is a number there, not an article.
fn counts(words: &[&str]) -> bool {
    words[0] == "a"
        && matches!(
            words[1],
            "hundred" | "thousand" | "hundredth" | "thousandth"
        )
}

/// Reads numbers ("twenty one", "21st") into number tokens; other words stay words.
pub fn tokens(words: &[&str]) -> Vec<Token> {
    let mut out = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        if let Some(n) = numbers::read(&words[i..]) {
            let typed = words[i];
            let digits = typed
                .bytes()
                .all(|b| b.is_ascii_digit())
                .then_some(typed.len());
            out.push(Token {
                text: n.value.to_string(),
                kind: TokenKind::Number {
                    value: n.value,
                    ordinal: n.ordinal,
                    digits,
                },
            });
            i += n.len;
        } else {
            out.push(Token {
                text: words[i].to_owned(),
                kind: TokenKind::Word,
            });
            i += 1;
        }
    }
    out
}

/// Replaces dates among `tokens` by date tokens; each comes with its other reading when the
/// date is ambiguous.
fn dates_in(tokens: Vec<Token>) -> Vec<(Token, Option<String>)> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        if let Some(date) = dates::read(&tokens[i..]) {
            out.push((
                Token {
                    text: date.canonical,
                    kind: TokenKind::Date,
                },
                date.other,
            ));
            i += date.len;
        } else {
            out.push((tokens[i].clone(), None));
            i += 1;
        }
    }
    out
}

fn reading<'a>(tokens: impl Iterator<Item = &'a Token>) -> Reading {
    let tokens: Vec<&Token> = tokens.collect();
    let words: Vec<String> = tokens.iter().map(|t| t.text.clone()).collect();
    let mut fixed: Vec<String> = tokens
        .iter()
        .filter(|t| t.kind != TokenKind::Word || t.text.chars().count() == 1)
        .map(|t| t.text.clone())
        .collect();
    fixed.sort_unstable();
    let name_like = tokens.len() >= 2
        && tokens.iter().all(|t| {
            t.kind == TokenKind::Word
                && t.text.chars().all(char::is_alphabetic)
                && !CONNECTIVES.contains(&t.text.as_str())
        });
    Reading {
        text: words.join(" "),
        words,
        fixed,
        name_like,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(s: &str) -> Vec<String> {
        normalize(s).readings.into_iter().map(|r| r.text).collect()
    }

    #[test]
    fn strips_leading_articles_and_titles_but_never_everything() {
        assert_eq!(canonical("The U.S.S. Enterprise"), ["enterprise"]);
        assert_eq!(canonical("USS Titan-A"), ["titan a"]);
        assert_eq!(canonical("Admiral Jean-Luc Picard"), ["jean luc picard"]);
        assert_eq!(canonical("Dr. Agnes Jurati"), ["agnes jurati"]);
        assert_eq!(canonical("Lt. Cmdr. Data"), ["data"]);
        assert_eq!(canonical("the Admiral"), ["admiral"]);
        assert_eq!(canonical("The"), ["the"]);
        assert_eq!(canonical("Captain"), ["captain"]);
        // Only leading words: "Picard the Admiral" keeps its words.
        assert_eq!(canonical("Picard the Admiral"), ["picard the admiral"]);
    }

    #[test]
    fn reads_numbers_and_dates() {
        assert_eq!(canonical("Ten"), ["10"]);
        assert_eq!(canonical("twenty-one"), ["21"]);
        assert_eq!(canonical("the Eighth"), ["8"]);
        assert_eq!(canonical("8th"), ["8"]);
        assert_eq!(canonical("A hundred and five"), ["105"]);
        assert_eq!(canonical("Seven of Nine"), ["7 of 9"]);
        assert_eq!(canonical("1,000 ships"), ["1000 ships"]);
        assert_eq!(canonical("1,2,3"), ["1 2 3"]);
        assert_eq!(
            canonical("premiered on January 23, 2020"),
            ["premiered on 2020-01-23"]
        );
        assert_eq!(canonical("03/04/2020"), ["2020-04-03", "2020-03-04"]);
    }

    #[test]
    fn keeps_the_literal_words_and_the_numbers() {
        let n = normalize("The Seventeen Seconds, part 2");
        assert_eq!(n.literal, "seventeen seconds part 2");
        assert_eq!(n.readings[0].fixed, ["17", "2"]);
        assert_eq!(normalize("USS Enterprise-D").readings[0].fixed, ["d"]);
        assert!(!n.readings[0].name_like);
        assert!(normalize("Raffi Musiker").readings[0].name_like);
        assert!(!normalize("Raffi").readings[0].name_like);
        assert!(!normalize("Maps and Legends").readings[0].name_like);
        assert!(normalize("  ?! ").is_empty());
    }
}
