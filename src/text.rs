//! Text folding shared by lookups and answer matching, and the English wording ([`english`])
//! shared by the quiz, lookups and answer matching.

pub mod english;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folds text for comparison: Unicode NFKD with diacritics removed, lowercase, every
/// punctuation or symbol turned into a space ("Jean-Luc" → "jean luc"), apostrophes dropped
/// ("Picard's" → "picards"), whitespace collapsed.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.nfkd().filter(|c| !is_combining_mark(*c)) {
        if matches!(c, '\'' | '’' | '‘' | 'ʼ') {
            continue;
        }
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_case_diacritics_and_punctuation() {
        assert_eq!(fold("Cristóbal Ríos"), "cristobal rios");
        assert_eq!(fold("  Jean-Luc   PICARD! "), "jean luc picard");
        assert_eq!(fold("Picard's"), "picards");
        assert_eq!(fold("Château Picard"), "chateau picard");
        assert_eq!(fold("Võx"), "vox");
        assert_eq!(fold("..."), "");
    }
}
