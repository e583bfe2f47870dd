//! English wording used by more than one part of the core, written once so they agree:
//! number words (the quiz writes counts in words, "twenty-one", as accepted answers and
//! ordinals in prompts, "eighth"; answer matching reads typed words back into numbers),
//! ordinals and lists (quiz prompts and lookup cards).

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

/// "zero" … "nineteen", indexed by value.
pub const UNITS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];

/// "zeroth" … "nineteenth", indexed by value.
pub const UNIT_ORDINALS: [&str; 20] = [
    "zeroth",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
];

/// "twenty" … "ninety": index i holds the word for (i + 2) * 10.
pub const TENS: [&str; 8] = [
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// "twentieth" … "ninetieth", indexed as [`TENS`].
pub const TENS_ORDINALS: [&str; 8] = [
    "twentieth",
    "thirtieth",
    "fortieth",
    "fiftieth",
    "sixtieth",
    "seventieth",
    "eightieth",
    "ninetieth",
];

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

/// The number in words, for 0 to 99 ("twenty-one"); None beyond.
pub fn number_word(n: i64) -> Option<String> {
    let n = usize::try_from(n).ok()?;
    match n {
        0..=19 => Some(UNITS[n].to_string()),
        20..=99 => {
            let tens = TENS[n / 10 - 2];
            Some(match n % 10 {
                0 => tens.to_string(),
                ones => format!("{tens}-{}", UNITS[ones]),
            })
        }
        _ => None,
    }
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
}
