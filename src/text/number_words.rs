//! English number words, in one place so that the quiz and answer matching spell them alike:
//! the quiz writes counts in words ("twenty-one") as accepted answers and ordinals in prompts
//! ("eighth"), and answer matching reads typed words back into numbers.

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
