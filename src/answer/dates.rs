//! Dates in common English formats, read from normalised tokens into a canonical form:
//! `YYYY-MM-DD` for a full date, `YYYY-MM` for a month and year.
//!
//! Read: "23 January 2020", "23rd of January 2020", "the 23rd of Jan 2020", "January 23, 2020",
//! "Jan 23rd 2020", "Thursday 23 January 2020" (the weekday is dropped, not checked),
//! "2020-01-23", "2020 January 23", "23/01/2020", "01/23/2020", "August 2018", "Aug 2018",
//! "2018-08". A year alone ("2020") is just a number.
//!
//! Numeric day/month/year: if one of the first two numbers is above 12 it is the day; if both
//! are 12 or less ("03/04/2020") the date is ambiguous and both readings are returned
//! (day first, then month first); the matcher accepts either.

use chrono::NaiveDate;

use super::normalize::{Token, TokenKind};

/// A date read from the start of a token slice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateReading {
    /// Canonical form; the day-first reading when ambiguous.
    pub canonical: String,
    /// The month-first reading of an ambiguous numeric date ("03/04/2020" → 2020-03-04).
    pub other: Option<String>,
    /// How many tokens it took.
    pub len: usize,
}

const MONTHS: [(&str, u32); 24] = [
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

const WEEKDAYS: [&str; 18] = [
    "monday",
    "mon",
    "tuesday",
    "tue",
    "tues",
    "wednesday",
    "wed",
    "thursday",
    "thu",
    "thur",
    "thurs",
    "friday",
    "fri",
    "saturday",
    "sat",
    "sunday",
    "sun",
    "weds",
];

/// Reads a date at the start of `tokens`, or None.
pub fn read(tokens: &[Token]) -> Option<DateReading> {
    // An optional weekday, then an optional "the", count towards the date's length.
    let mut skip = 0;
    if tokens.first().is_some_and(|t| is_word(t, &WEEKDAYS)) {
        skip += 1;
    }
    if tokens.get(skip).is_some_and(|t| t.text == "the") {
        skip += 1;
    }
    let reading = read_bare(&tokens[skip..])?;
    Some(DateReading {
        len: reading.len + skip,
        ..reading
    })
}

fn read_bare(t: &[Token]) -> Option<DateReading> {
    day_month_year(t)
        .or_else(|| month_day_year(t))
        .or_else(|| year_month_day(t))
        .or_else(|| numeric_day_month_year(t))
        .or_else(|| month_year(t))
}

fn is_word(token: &Token, words: &[&str]) -> bool {
    token.kind == TokenKind::Word && words.contains(&token.text.as_str())
}

fn month_name(token: Option<&Token>) -> Option<u32> {
    let token = token?;
    if token.kind != TokenKind::Word {
        return None;
    }
    MONTHS
        .iter()
        .find(|(name, _)| *name == token.text)
        .map(|(_, m)| *m)
}

/// A day of the month: 1..=31, cardinal or ordinal ("23", "23rd", "twenty third").
fn day(token: Option<&Token>) -> Option<u32> {
    match token?.kind {
        TokenKind::Number { value, .. } if (1..=31).contains(&value) => Some(value as u32),
        _ => None,
    }
}

/// A year next to a month name: 1000..=2999, not an ordinal.
fn year(token: Option<&Token>) -> Option<i32> {
    match token?.kind {
        TokenKind::Number {
            value,
            ordinal: false,
            ..
        } if (1000..=2999).contains(&value) => Some(value as i32),
        _ => None,
    }
}

/// A year in an all-digit date: written with exactly four digits.
fn digit_year(token: Option<&Token>) -> Option<i32> {
    match token?.kind {
        TokenKind::Number {
            digits: Some(4), ..
        } => year(token),
        _ => None,
    }
}

/// A month or day in an all-digit date: one or two digits.
fn small_digits(token: Option<&Token>) -> Option<u32> {
    match token?.kind {
        TokenKind::Number {
            value,
            digits: Some(1 | 2),
            ordinal: false,
        } => Some(value as u32),
        _ => None,
    }
}

fn full(y: i32, m: u32, d: u32) -> Option<String> {
    NaiveDate::from_ymd_opt(y, m, d).map(|date| date.format("%Y-%m-%d").to_string())
}

fn single(canonical: String, len: usize) -> DateReading {
    DateReading {
        canonical,
        other: None,
        len,
    }
}

/// "23 January 2020", "23rd of Jan 2020".
fn day_month_year(t: &[Token]) -> Option<DateReading> {
    let d = day(t.first())?;
    let of = usize::from(t.get(1).is_some_and(|t| t.text == "of"));
    let m = month_name(t.get(1 + of))?;
    let y = year(t.get(2 + of))?;
    Some(single(full(y, m, d)?, 3 + of))
}

/// "January 23, 2020", "Jan 23rd 2020".
fn month_day_year(t: &[Token]) -> Option<DateReading> {
    let m = month_name(t.first())?;
    let d = day(t.get(1))?;
    let y = year(t.get(2))?;
    Some(single(full(y, m, d)?, 3))
}

/// "2020-01-23", "2020 January 23"; "2018-08" (year and two-digit month).
fn year_month_day(t: &[Token]) -> Option<DateReading> {
    let y = digit_year(t.first())?;
    let named = month_name(t.get(1));
    let m = named.or_else(|| small_digits(t.get(1)).filter(|m| (1..=12).contains(m)))?;
    let d = if named.is_some() {
        day(t.get(2))
    } else {
        small_digits(t.get(2))
    };
    if let Some(date) = d.and_then(|d| full(y, m, d)) {
        return Some(single(date, 3));
    }
    // Year and month only: a named month, or a month written with two digits as in ISO.
    let two_digit_month = matches!(
        t.get(1).map(|t| t.kind),
        Some(TokenKind::Number {
            digits: Some(2),
            ..
        })
    );
    (named.is_some() || two_digit_month).then(|| single(format!("{y:04}-{m:02}"), 2))
}

/// "23/01/2020" (day first), "01/23/2020" (month first), "03/04/2020" (ambiguous: both).
fn numeric_day_month_year(t: &[Token]) -> Option<DateReading> {
    let a = small_digits(t.first())?;
    let b = small_digits(t.get(1))?;
    let y = digit_year(t.get(2))?;
    let day_first = full(y, b, a);
    let month_first = full(y, a, b);
    match (day_first, month_first) {
        (Some(d), Some(m)) if d != m => Some(DateReading {
            canonical: d,
            other: Some(m),
            len: 3,
        }),
        (Some(date), _) | (None, Some(date)) => Some(single(date, 3)),
        (None, None) => None,
    }
}

/// "August 2018", "Aug 2018".
fn month_year(t: &[Token]) -> Option<DateReading> {
    let m = month_name(t.first())?;
    let y = year(t.get(1))?;
    Some(single(format!("{y:04}-{m:02}"), 2))
}

#[cfg(test)]
mod tests {
    use super::super::normalize::tokens;
    use super::*;

    fn date(s: &str) -> Option<(String, Option<String>, usize)> {
        let folded = crate::text::fold(s);
        let words: Vec<&str> = folded.split(' ').collect();
        read(&tokens(&words)).map(|r| (r.canonical, r.other, r.len))
    }

    fn canonical(s: &str) -> Option<String> {
        date(s).map(|(c, _, _)| c)
    }

    #[test]
    fn reads_the_formats_of_the_issue() {
        for s in [
            "23 January 2020",
            "January 23, 2020",
            "2020-01-23",
            "23rd January 2020",
            "the 23rd of January 2020",
            "Jan 23 2020",
            "Jan. 23rd, 2020",
            "23/01/2020",
            "01/23/2020",
            "2020/01/23",
            "2020 January 23",
            "Thursday, 23 January 2020",
            "twenty third of January two thousand twenty",
        ] {
            assert_eq!(canonical(s).as_deref(), Some("2020-01-23"), "{s}");
        }
        for s in [
            "August 2018",
            "Aug 2018",
            "2018-08",
            "aug. 2018",
            "2018 August",
        ] {
            assert_eq!(canonical(s).as_deref(), Some("2018-08"), "{s}");
        }
    }

    #[test]
    fn ambiguous_numeric_dates_give_both_readings() {
        assert_eq!(
            date("03/04/2020"),
            Some(("2020-04-03".into(), Some("2020-03-04".into()), 3))
        );
        assert_eq!(date("04/04/2020"), Some(("2020-04-04".into(), None, 3)));
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for s in [
            "2020",
            "may",
            "may the force",
            "31 February 2020",
            "13/13/2020",
            "23 January",
            "1 2 20",
            "2020 13",
            "2020 8",
            "march 99",
            "seven of nine",
        ] {
            assert_eq!(canonical(s), None, "{s}");
        }
    }
}
