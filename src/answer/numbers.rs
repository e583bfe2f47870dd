//! Numbers written as digits ("21", "21st") or English words ("twenty-one", "twenty-first",
//! "a hundred and five"), read from folded tokens.

use crate::text::english::{TENS, TENS_ORDINALS, UNIT_ORDINALS, UNITS};

/// A number read from one or more tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Number {
    pub value: u64,
    /// "first", "1st": ordinals compare equal to their cardinal ("1st" = "1"), but dates
    /// need to know that "23rd" is a day.
    pub ordinal: bool,
    /// How many tokens it took.
    pub len: usize,
}

/// Reads a number starting at `tokens[0]`: a digit token ("10", "007", "8th") or the longest
/// run of number words that reads as one number. "one two" is two numbers, not three.
pub fn read(tokens: &[&str]) -> Option<Number> {
    let first = tokens.first()?;
    if first.starts_with(|c: char| c.is_ascii_digit()) {
        return digits(first);
    }
    words(tokens)
}

/// "10" → 10, "1st"/"2nd"/"3rd"/"8th" → ordinal. Longer than 18 digits is not read (it stays
/// a plain word and must then match exactly).
fn digits(token: &str) -> Option<Number> {
    let split = token
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(token.len());
    let (digits, suffix) = token.split_at(split);
    if digits.len() > 18 {
        return None;
    }
    let ordinal = match suffix {
        "" => false,
        "st" | "nd" | "rd" | "th" => true,
        _ => return None,
    };
    Some(Number {
        value: digits.parse().ok()?,
        ordinal,
        len: 1,
    })
}

fn unit(word: &str) -> Option<(u64, bool)> {
    if let Some(i) = UNITS.iter().position(|w| *w == word) {
        return Some((i as u64, false));
    }
    UNIT_ORDINALS
        .iter()
        .position(|w| *w == word)
        .map(|i| (i as u64, true))
}

fn tens(word: &str) -> Option<(u64, bool)> {
    if let Some(i) = TENS.iter().position(|w| *w == word) {
        return Some((i as u64 * 10 + 20, false));
    }
    TENS_ORDINALS
        .iter()
        .position(|w| *w == word)
        .map(|i| (i as u64 * 10 + 20, true))
}

/// 0..=99: "seven", "seventeen", "seventy", "seventy seven", "seventy seventh".
fn below_hundred(tokens: &[&str]) -> Option<Number> {
    let first = *tokens.first()?;
    if let Some((value, ordinal)) = unit(first) {
        return Some(Number {
            value,
            ordinal,
            len: 1,
        });
    }
    let (ten, ordinal) = tens(first)?;
    if !ordinal
        && let Some((u, u_ordinal)) = tokens.get(1).and_then(|w| unit(w))
        && (1..=9).contains(&u)
    {
        return Some(Number {
            value: ten + u,
            ordinal: u_ordinal,
            len: 2,
        });
    }
    Some(Number {
        value: ten,
        ordinal,
        len: 1,
    })
}

/// A multiplier ("hundred", "thousand") applied to an optional count before it ("a", "two"):
/// returns the multiplied value and the tokens used, or None if `tokens` does not start so.
fn scaled(
    tokens: &[&str],
    word: &str,
    ordinal_word: &str,
    scale: u64,
    below: fn(&[&str]) -> Option<Number>,
) -> Option<Number> {
    let (count, used) = if tokens.first() == Some(&"a") {
        (1, 1)
    } else {
        let n = below(tokens)?;
        if n.ordinal || n.value == 0 {
            return None;
        }
        (n.value, n.len)
    };
    let next = *tokens.get(used)?;
    if next == ordinal_word {
        return Some(Number {
            value: count * scale,
            ordinal: true,
            len: used + 1,
        });
    }
    if next != word {
        return None;
    }
    let mut number = Number {
        value: count * scale,
        ordinal: false,
        len: used + 1,
    };
    // The rest: "one hundred [and] five".
    let rest = &tokens[number.len..];
    let (skip, rest) = match rest.first() {
        Some(&"and") => (1, &rest[1..]),
        _ => (0, rest),
    };
    if let Some(tail) = below(rest).filter(|t| t.value < scale) {
        number.value += tail.value;
        number.ordinal = tail.ordinal;
        number.len += skip + tail.len;
    }
    Some(number)
}

/// 0..=999.
fn below_thousand(tokens: &[&str]) -> Option<Number> {
    scaled(tokens, "hundred", "hundredth", 100, below_hundred).or_else(|| below_hundred(tokens))
}

/// 0..=999_999 in words.
fn words(tokens: &[&str]) -> Option<Number> {
    scaled(tokens, "thousand", "thousandth", 1000, below_thousand)
        .or_else(|| below_thousand(tokens))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(s: &str) -> Option<(u64, bool, usize)> {
        let tokens: Vec<&str> = s.split(' ').collect();
        read(&tokens).map(|n| (n.value, n.ordinal, n.len))
    }

    #[test]
    fn reads_digits_and_digit_ordinals() {
        assert_eq!(value("10"), Some((10, false, 1)));
        assert_eq!(value("007"), Some((7, false, 1)));
        assert_eq!(value("1st"), Some((1, true, 1)));
        assert_eq!(value("8th"), Some((8, true, 1)));
        assert_eq!(value("23rd january"), Some((23, true, 1)));
        assert_eq!(value("1701d"), None);
        assert_eq!(value("s1e4"), None);
        assert_eq!(value("1234567890123456789012"), None);
    }

    #[test]
    fn reads_number_words() {
        assert_eq!(value("ten"), Some((10, false, 1)));
        assert_eq!(value("zero"), Some((0, false, 1)));
        assert_eq!(value("twenty one"), Some((21, false, 2)));
        assert_eq!(value("ninety"), Some((90, false, 1)));
        assert_eq!(value("first"), Some((1, true, 1)));
        assert_eq!(value("eighth"), Some((8, true, 1)));
        assert_eq!(value("twenty first"), Some((21, true, 2)));
        assert_eq!(value("thirtieth"), Some((30, true, 1)));
        assert_eq!(value("a hundred"), Some((100, false, 2)));
        assert_eq!(value("one hundred and five"), Some((105, false, 4)));
        assert_eq!(value("two thousand twenty"), Some((2020, false, 3)));
        assert_eq!(value("two thousand and twenty two"), Some((2022, false, 5)));
        assert_eq!(
            value("three hundred forty seven thousand"),
            Some((347_000, false, 5))
        );
        assert_eq!(value("hundredth"), None);
        assert_eq!(value("one hundredth"), Some((100, true, 2)));
    }

    #[test]
    fn stops_where_the_number_ends() {
        // "one two" is not 3; "twenty zero" is 20 then 0; "seven of nine" is 7.
        assert_eq!(value("one two"), Some((1, false, 1)));
        assert_eq!(value("twenty zero"), Some((20, false, 1)));
        assert_eq!(value("seven of nine"), Some((7, false, 1)));
        assert_eq!(value("one hundred and"), Some((100, false, 2)));
        assert_eq!(value("first contact"), Some((1, true, 1)));
        assert_eq!(value("a"), None);
        assert_eq!(value("a star"), None);
        assert_eq!(value("and"), None);
        assert_eq!(value("data"), None);
    }
}
