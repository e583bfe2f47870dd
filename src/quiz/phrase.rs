//! Small English helpers for prompts: articles, capitals, titles, dates and count aliases.
//! Lists, ordinals and number words are in [`crate::text::english`] (lookup cards and answer
//! matching use them too).

use crate::facts::{PartialDate, month_name};
use crate::text::english::{number_word, ordinal_digits};

/// "a" or "an" for a noun phrase (by its first letter; good enough for prompts).
pub fn article(noun: &str) -> &'static str {
    match noun.chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

/// The text with its first letter upper-cased, for a name that starts a sentence ("the
/// Keeper" → "The Keeper").
pub fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// An episode title in double quotes.
pub fn quoted(title: &str) -> String {
    format!("\"{title}\"")
}

/// "23 January" (a date's day and month).
pub fn day_month(date: PartialDate) -> String {
    match (date.month, date.day) {
        (Some(m), Some(d)) => format!("{d} {}", month_name(m)),
        (Some(m), None) => month_name(m).to_string(),
        _ => date.year.to_string(),
    }
}

/// Other ways to write a date that a player may type.
pub fn date_aliases(date: PartialDate) -> Vec<String> {
    let mut out = vec![date.to_string()];
    match (date.month, date.day) {
        (Some(m), Some(d)) => {
            out.push(format!("{} {d}, {}", month_name(m), date.year));
            out.push(format!("{} {d} {}", month_name(m), date.year));
        }
        (Some(m), None) => out.push(format!("{} {}", &month_name(m)[..3], date.year)),
        _ => {}
    }
    out
}

/// Other ways to write a day and month (without the year).
pub fn day_month_aliases(date: PartialDate) -> Vec<String> {
    match (date.month, date.day) {
        (Some(m), Some(d)) => vec![
            format!("{} {d}", month_name(m)),
            format!("{} {}", ordinal_digits(d), month_name(m)),
            date.long(),
        ],
        _ => Vec::new(),
    }
}

/// Other ways to write a count: the number in words.
pub fn number_aliases(n: i64) -> Vec<String> {
    number_word(n).into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_articles() {
        let d = PartialDate::ymd(2020, 1, 23);
        assert_eq!(day_month(d), "23 January");
        assert!(date_aliases(d).contains(&"2020-01-23".to_string()));
        assert_eq!(article("organisation"), "an");
        assert_eq!(article("planet"), "a");
        assert_eq!(capitalised("the Keeper"), "The Keeper");
    }
}
