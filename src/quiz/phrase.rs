//! Small English helpers for prompts: lists, numbers in words, ordinals, articles, dates.

use crate::facts::{PartialDate, month_name};
use crate::text::number_words::{TENS_ORDINALS, UNIT_ORDINALS, number_word};

/// "A", "A and B", "A, B and C".
pub fn list_and<S: AsRef<str>>(items: &[S]) -> String {
    list_with(items, "and")
}

/// "A", "A or B", "A, B or C".
pub fn list_or<S: AsRef<str>>(items: &[S]) -> String {
    list_with(items, "or")
}

fn list_with<S: AsRef<str>>(items: &[S], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} {word} {}", init.join(", "), last.as_ref())
        }
    }
}

/// "1st", "2nd", "3rd", "11th", "22nd".
pub fn ordinal_digits(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// "first" … "twentieth"; digits with a suffix beyond.
pub fn ordinal_word(n: u32) -> String {
    match n {
        1..=19 => UNIT_ORDINALS[n as usize].to_string(),
        20 => TENS_ORDINALS[0].to_string(),
        _ => ordinal_digits(n),
    }
}

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
    fn lists_read_as_english() {
        assert_eq!(list_and::<&str>(&[]), "");
        assert_eq!(list_and(&["A"]), "A");
        assert_eq!(list_and(&["A", "B"]), "A and B");
        assert_eq!(list_or(&["A", "B", "C"]), "A, B or C");
    }

    #[test]
    fn numbers_and_ordinals() {
        assert_eq!(number_word(21).as_deref(), Some("twenty-one"));
        assert_eq!(number_word(30).as_deref(), Some("thirty"));
        assert_eq!(number_word(100), None);
        assert_eq!(ordinal_word(8), "eighth");
        assert_eq!(ordinal_word(22), "22nd");
        assert_eq!(ordinal_digits(13), "13th");
        assert_eq!(ordinal_digits(101), "101st");
    }

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
