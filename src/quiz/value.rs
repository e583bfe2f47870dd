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
    /// Folded forms of the text and every alias, as sorted word lists.
    keys: Vec<Vec<String>>,
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
        let keys = std::iter::once(text.as_str())
            .chain(aliases.iter().map(String::as_str))
            .filter_map(words)
            .collect();
        Rc::new(Value {
            text,
            aliases,
            spoils,
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
        self.keys.iter().any(|a| {
            other
                .keys
                .iter()
                .any(|b| is_subset(a, b) || is_subset(b, a))
        })
    }
}

/// The sorted, de-duplicated folded words of `s`; None if it has none.
fn words(s: &str) -> Option<Vec<String>> {
    let mut w: Vec<String> = fold(s).split(' ').map(str::to_string).collect();
    w.retain(|x| !x.is_empty());
    w.sort();
    w.dedup();
    (!w.is_empty()).then_some(w)
}

/// Whether every word of `a` is in `b` (both sorted).
fn is_subset(a: &[String], b: &[String]) -> bool {
    a.iter().all(|x| b.binary_search(x).is_ok())
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
