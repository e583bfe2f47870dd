//! Letter hints for raced typed questions: "J_______ F_____" and then "Je______ Fr____".

/// The answer with letters and digits hidden except the first `level` of each word. A word
/// never shows its last hidden character, so a hint never gives the whole answer away.
/// Spaces and punctuation stay visible.
pub fn hint_text(answer: &str, level: u8) -> String {
    let mut out = String::with_capacity(answer.len() * 2);
    for (i, word) in answer.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let letters = word.chars().filter(|c| c.is_alphanumeric()).count();
        let show = usize::from(level).min(letters.saturating_sub(1));
        let mut shown = 0;
        for c in word.chars() {
            if !c.is_alphanumeric() {
                out.push(c);
            } else if shown < show {
                out.push(c);
                shown += 1;
            } else {
                out.push('_');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::hint_text;

    #[test]
    fn hints_reveal_leading_letters_word_by_word() {
        assert_eq!(hint_text("Jean-Luc Picard", 1), "J___-___ P_____");
        assert_eq!(hint_text("Jean-Luc Picard", 2), "Je__-___ Pi____");
        assert_eq!(hint_text("Q", 2), "_");
        assert_eq!(hint_text("La Sirena", 5), "L_ Siren_");
        assert_eq!(hint_text("2399", 1), "2___");
        assert_eq!(hint_text("", 1), "");
    }
}
