//! How well a query matches a name: exact > prefix > word prefix > substring > typo.
//!
//! Names and queries are compared folded ([`crate::text::fold`]: case, diacritics and
//! punctuation removed). Typo tolerance grows with the length of a word and is zero for words of
//! three letters or fewer, where every metric calls unrelated words close ("worf", "word").

use crate::text::fold;

/// Score bands, best first. A match's score lies inside its band; the rest of the band orders
/// matches of the same class (shorter names, which the query covers more of, first).
const EXACT: f64 = 1.0;
const PREFIX: f64 = 0.85;
const WORD_PREFIX: f64 = 0.7;
const SUBSTRING: f64 = 0.55;
const TYPO: f64 = 0.3;
const BAND: f64 = 0.1;

/// A folded word with what the typo filter needs, computed once.
#[derive(Debug, Clone)]
struct Word {
    text: String,
    chars: usize,
    /// Which letters a–z (and "other") occur: two words whose sets differ by more than two
    /// letters per allowed edit cannot be within that many edits.
    letters: u32,
}

impl Word {
    fn new(text: &str) -> Word {
        Word {
            text: text.to_string(),
            chars: text.chars().count(),
            letters: letter_set(text),
        }
    }
}

fn letter_set(s: &str) -> u32 {
    s.bytes().fold(0, |set, b| {
        set | match b {
            b'a'..=b'z' => 1 << (b - b'a'),
            _ => 1 << 26,
        }
    })
}

/// A searchable name of a document, folded once when the index is built.
#[derive(Debug, Clone)]
pub(crate) struct Name {
    folded: String,
    words: Vec<Word>,
    /// 1.0 for the main name, less for aliases and for running text.
    weight: f64,
    /// Running text (a plot point, a statement): matched by words only.
    text: bool,
}

impl Name {
    pub fn main(s: &str) -> Name {
        Name::new(s, 1.0, false)
    }

    pub fn alias(s: &str) -> Name {
        Name::new(s, 0.95, false)
    }

    /// A keyword that finds a fact ("premiere", "created by"), slightly below a real name.
    pub fn keyword(s: &str) -> Name {
        Name::new(s, 0.97, false)
    }

    /// Running text, found by its words, well below names.
    pub fn text(s: &str) -> Name {
        Name::new(s, 0.5, true)
    }

    fn new(s: &str, weight: f64, text: bool) -> Name {
        let folded = fold(s);
        let words = folded.split(' ').map(Word::new).collect();
        Name {
            folded,
            words,
            weight,
            text,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.folded.is_empty()
    }
}

/// A folded query, split into words once per search.
#[derive(Debug, Clone)]
pub(crate) struct Query {
    folded: String,
    words: Vec<Word>,
}

impl Query {
    pub fn new(raw: &str) -> Query {
        let folded = fold(raw);
        let words = folded
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(Word::new)
            .collect();
        Query { folded, words }
    }

    pub fn is_empty(&self) -> bool {
        self.folded.is_empty()
    }
}

/// The score (0..=1) of `query` against `name`, or `None` if they do not match.
pub(crate) fn score(query: &Query, name: &Name) -> Option<f64> {
    let q = query.folded.as_str();
    let n = name.folded.as_str();
    if q.is_empty() || n.is_empty() {
        return None;
    }
    // The share of the name the query covers: "elnor" covers all of "elnor", part of
    // "elnor s sword".
    let coverage = (q.len() as f64 / n.len() as f64).min(1.0);
    let raw = if !name.text && q == n {
        EXACT
    } else if !name.text && n.starts_with(q) {
        PREFIX + BAND * coverage * 0.9
    } else {
        match words_match(query, name) {
            Some((0, _)) => WORD_PREFIX + BAND * coverage * 0.9,
            _ if !name.text && n.contains(q) => SUBSTRING + BAND * coverage * 0.9,
            Some((edits, letters)) => {
                let closeness = 1.0 - edits as f64 / letters.max(1) as f64;
                TYPO + BAND * closeness * 0.9
            }
            None => return None,
        }
    };
    Some(raw * name.weight)
}

/// Matches every query word to a different word of the name, by prefix (no edits) or within
/// the typo tolerance of its length. Returns the total edits and the total length of the query
/// words, or `None` if some query word matches nothing.
fn words_match(query: &Query, name: &Name) -> Option<(usize, usize)> {
    // Name words already matched (running text beyond 128 words may be matched twice).
    let mut used: u128 = 0;
    let mut edits = 0;
    let mut letters = 0;
    for word in &query.words {
        let mut best: Option<(usize, usize)> = None;
        for (i, candidate) in name.words.iter().enumerate() {
            if i < 128 && used & (1 << i) != 0 {
                continue;
            }
            let cost = if candidate.text.starts_with(word.text.as_str()) {
                Some(0)
            } else {
                typo_distance(word, candidate)
            };
            if let Some(cost) = cost
                && best.is_none_or(|(_, c)| cost < c)
            {
                best = Some((i, cost));
                if cost == 0 {
                    break;
                }
            }
        }
        let (i, cost) = best?;
        if i < 128 {
            used |= 1 << i;
        }
        edits += cost;
        letters += word.chars;
    }
    Some((edits, letters))
}

/// The number of edits from `word` to `candidate` (or to a prefix of it as long as `word`, so
/// "evagr" finds "evagora"), if within the tolerance for the word's length.
fn typo_distance(word: &Word, candidate: &Word) -> Option<usize> {
    let allowed = tolerance(word.chars);
    // Numbers and codes ("s1e4", "2020") must be exact: a one-digit typo is another episode.
    if allowed == 0 || word.text.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let close_letters = |set: u32| (set ^ word.letters).count_ones() as usize <= 2 * allowed;
    let mut best = None;
    if word.chars.abs_diff(candidate.chars) <= allowed && close_letters(candidate.letters) {
        best = Some(strsim::osa_distance(&word.text, &candidate.text));
    }
    // Against a prefix only for longer words: "data" is one letter from "mata(las)".
    if candidate.chars > word.chars && word.chars >= 5 {
        let end = candidate
            .text
            .char_indices()
            .nth(word.chars)
            .map_or(candidate.text.len(), |(i, _)| i);
        let prefix = &candidate.text[..end];
        if close_letters(letter_set(prefix)) {
            let d = strsim::osa_distance(&word.text, prefix);
            best = Some(best.map_or(d, |b: usize| b.min(d)));
        }
    }
    best.filter(|d| *d <= allowed)
}

/// Edits allowed in a word of `len` letters.
fn tolerance(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=6 => 1,
        7..=10 => 2,
        _ => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(q: &str, n: &str) -> Option<f64> {
        score(&Query::new(q), &Name::main(n))
    }

    #[test]
    fn classes_rank_in_order() {
        let exact = s("elnor", "Elnor").unwrap();
        let prefix = s("eln", "Elnor").unwrap();
        let word = s("evag", "Evan Evagora").unwrap();
        let substring = s("agor", "Evan Evagora").unwrap();
        let typo = s("elnorr", "Elnor").unwrap();
        assert!(exact > prefix && prefix > word && word > substring && substring > typo);
    }

    #[test]
    fn folding_makes_case_diacritics_and_punctuation_irrelevant() {
        assert_eq!(s("CRISTOBAL rios", "Cristóbal Ríos"), Some(1.0));
        assert_eq!(s("jean luc", "Jean-Luc"), Some(1.0));
    }

    #[test]
    fn typos_are_tolerated_by_length() {
        assert!(s("premeire", "premiere").is_some());
        assert!(s("absolut candor", "Absolute Candor").is_some());
        assert!(s("evagroa", "Evan Evagora").is_some());
        // Three letters or fewer: no typo tolerance.
        assert!(s("wrf", "Worf").is_none());
        assert!(s("xyz", "Elnor").is_none());
        assert!(s("picardd", "Vashti").is_none());
        // Codes and numbers get no typo tolerance.
        assert!(s("s1e4", "S1E1").is_none());
        assert!(s("2021", "2020").is_none());
        assert!(s("data", "Terry Matalas").is_none());
    }

    #[test]
    fn running_text_matches_by_words_only() {
        let text = Name::text("Picard asks Rios to detour to the planet Vashti.");
        assert!(score(&Query::new("vashti"), &text).is_some());
        assert!(score(&Query::new("shti"), &text).is_none());
        assert!(score(&Query::new("vashti"), &text) < s("vashti", "Vashti"));
    }
}
