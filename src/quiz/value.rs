//! A value a question can offer (an answer or a distractor): its text, its other names, and the
//! latest episode that offering it would give away.

use std::rc::Rc;

use crate::facts::EpisodeCode;
use crate::text::fold;

/// Values are shared between the catalog's pools and many questions.
pub type V = Rc<Value>;

#[derive(Debug, Clone)]
pub struct Value {
    /// As shown to players.
    pub text: String,
    /// Other names that mean the same thing (pack aliases, number words, date forms).
    pub aliases: Vec<String>,
    /// The latest episode this value gives away; None if it gives nothing away.
    pub spoils: Option<EpisodeCode>,
    /// Folded forms of the text and every alias.
    pub folded: Vec<String>,
    /// The same as sorted word lists.
    keys: Vec<Key>,
}

impl Value {
    pub fn new(text: impl Into<String>, aliases: Vec<String>, spoils: Option<EpisodeCode>) -> V {
        let text = text.into();
        // Aliases that fold to the text or to an earlier alias add nothing.
        let mut seen = vec![fold(&text)];
        let aliases: Vec<String> = aliases
            .into_iter()
            .filter(|a| {
                let f = fold(a);
                let new = !f.is_empty() && !seen.contains(&f);
                seen.push(f);
                new
            })
            .collect();
        let folded: Vec<String> = std::iter::once(text.as_str())
            .chain(aliases.iter().map(String::as_str))
            .map(fold)
            .filter(|f| !f.is_empty())
            .collect();
        let keys = folded.iter().filter_map(|f| Key::new(f)).collect();
        Rc::new(Value {
            text,
            aliases,
            spoils,
            folded,
            keys,
        })
    }

    /// A value with no other names that gives nothing away (a number, a date, a year).
    pub fn plain(text: impl Into<String>, aliases: Vec<String>) -> V {
        Value::new(text, aliases, None)
    }

    /// The text and every alias.
    pub fn forms(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.text.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// Whether the two values could be taken for the same thing: some form of one folds to
    /// the same words as, or to a subset of the words of, some form of the other ("Riker" and
    /// "William Riker", "CBS Studios" and "CBS Television Studios"). A distractor must not
    /// clash with any right answer, nor with another option.
    pub fn clashes(&self, other: &Value) -> bool {
        self.keys
            .iter()
            .any(|a| other.keys.iter().any(|b| a.within(b) || b.within(a)))
    }
}

/// The words of one folded form, sorted and de-duplicated, with a 64-bit signature of them
/// that rules most pairs out without comparing strings (generation compares many pairs).
#[derive(Debug, Clone)]
struct Key {
    words: Vec<String>,
    signature: u64,
}

impl Key {
    fn new(folded: &str) -> Option<Key> {
        let mut words: Vec<String> = folded.split(' ').map(str::to_string).collect();
        words.retain(|x| !x.is_empty());
        words.sort();
        words.dedup();
        let signature = words.iter().fold(0, |sig, w| sig | 1 << (fnv(w) % 64));
        (!words.is_empty()).then_some(Key { words, signature })
    }

    /// Whether every word of `self` is in `other`.
    fn within(&self, other: &Key) -> bool {
        self.signature & !other.signature == 0
            && self
                .words
                .iter()
                .all(|x| other.words.binary_search(x).is_ok())
    }
}

/// FNV-1a: a small stable hash for the signature.
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// Whether something that gives away `spoils` may be shown to a viewer who has seen up to
/// `limit` (None: everything).
pub fn visible(spoils: Option<EpisodeCode>, limit: Option<EpisodeCode>) -> bool {
    match (spoils, limit) {
        (Some(s), Some(l)) => s <= l,
        _ => true,
    }
}

/// The first episode of a season.
pub fn season_start(season: u32) -> EpisodeCode {
    EpisodeCode { season, episode: 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clashing_names() {
        let riker = Value::new("William Riker", vec!["Will Riker".into()], None);
        let short = Value::plain("Riker", vec![]);
        let rios = Value::plain("Cristóbal Ríos", vec![]);
        assert!(riker.clashes(&short));
        assert!(short.clashes(&riker));
        assert!(!riker.clashes(&rios));
        let studios = Value::plain("CBS Studios", vec![]);
        let tv = Value::plain("CBS Television Studios", vec![]);
        assert!(studios.clashes(&tv));
        let part1 = Value::plain("Et in Arcadia Ego, Part 1", vec![]);
        let part2 = Value::plain("Et in Arcadia Ego, Part 2", vec![]);
        assert!(!part1.clashes(&part2));
        let cristobal = Value::plain("cristobal rios", vec![]);
        assert!(rios.clashes(&cristobal), "diacritics fold away");
    }

    #[test]
    fn visibility_under_a_limit() {
        let s1e4 = EpisodeCode {
            season: 1,
            episode: 4,
        };
        assert!(visible(None, Some(s1e4)));
        assert!(visible(Some(season_start(1)), Some(s1e4)));
        assert!(!visible(Some(season_start(2)), Some(s1e4)));
        assert!(visible(Some(season_start(9)), None));
    }
}
