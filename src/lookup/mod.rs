//! Fact lookups: one search over a pack (cast, characters, episodes, crew, series facts,
//! places/ships/organisations, plot points), ranked best first, typo-tolerant and spoiler-aware.
//!
//! [`Index::new`] builds the searchable documents of a pack once (names folded in advance);
//! [`Index::search`] returns short [`Hit`]s (titles ≤ 100 characters, fit for Discord
//! autocomplete) and [`Index::card`] the readable [`Card`] of a hit. The CLI's `lookup` and the
//! Discord `/fact` command both use it.

mod cards;
mod docs;
mod matching;

use std::collections::HashMap;

use serde::Serialize;

use crate::facts::{EpisodeCode, FactPack};
use docs::{Doc, Target};
use matching::Query;

/// The longest title a hit may have (Discord's limit for autocomplete choice names).
pub const MAX_TITLE: usize = 100;

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HitKind {
    /// An actor (and any crew roles they also had).
    Cast,
    /// A crew member: creator, producer, composer, director, writer, showrunner.
    Crew,
    Character,
    Episode,
    Season,
    /// A fact about the series as a whole (premiere, creators, network...).
    Series,
    /// A dated fact about the series (announcement, renewal...).
    Milestone,
    Place,
    Ship,
    Organisation,
    Species,
    Thing,
    PlotPoint,
}

impl HitKind {
    /// A short label for display ("cast", "plot point").
    pub fn label(self) -> &'static str {
        match self {
            HitKind::Cast => "cast",
            HitKind::Crew => "crew",
            HitKind::Character => "character",
            HitKind::Episode => "episode",
            HitKind::Season => "season",
            HitKind::Series => "series",
            HitKind::Milestone => "milestone",
            HitKind::Place => "place",
            HitKind::Ship => "ship",
            HitKind::Organisation => "organisation",
            HitKind::Species => "species",
            HitKind::Thing => "thing",
            HitKind::PlotPoint => "plot point",
        }
    }
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// Stable within a pack (`episode:S1E4`, `person:evan-evagora`); pass it to [`Index::card`].
    pub key: String,
    /// A one-line title of at most [`MAX_TITLE`] characters.
    pub title: String,
    pub kind: HitKind,
    /// 0..=1, higher is better: 1 for an exact name, less for prefixes, words, typos.
    pub score: f64,
}

/// A readable answer: a title, lines of facts, and where they come from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Card {
    pub key: String,
    pub kind: HitKind,
    /// At most [`MAX_TITLE`] characters.
    pub title: String,
    /// Short readable lines ("Evan Evagora as Elnor — main cast, seasons 1–2").
    pub lines: Vec<String>,
    /// Where the facts come from (a URL or a source name), if the pack says.
    pub source: Option<String>,
}

/// The search index of one pack.
#[derive(Debug, Clone)]
pub struct Index {
    pack: FactPack,
    docs: Vec<Doc>,
    by_key: HashMap<String, usize>,
    people: Vec<docs::Person>,
}

impl Index {
    /// Builds the index of a pack (once; searches are then cheap).
    pub fn new(pack: &FactPack) -> Index {
        let (docs, people) = docs::build(pack);
        let by_key = docs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.key.clone(), i))
            .collect();
        Index {
            pack: pack.clone(),
            docs,
            by_key,
            people,
        }
    }

    /// The indexed pack.
    pub fn pack(&self) -> &FactPack {
        &self.pack
    }

    /// The number of searchable documents.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The best `limit` matches for `query`, best first. With a `spoiler_limit`, hits that
    /// reveal anything after that episode are left out.
    pub fn search(
        &self,
        query: &str,
        limit: usize,
        spoiler_limit: Option<EpisodeCode>,
    ) -> Vec<Hit> {
        let q = Query::new(query);
        if q.is_empty() || limit == 0 {
            return Vec::new();
        }
        let code = episode_code(query);
        let mut hits: Vec<(f64, usize)> = self
            .docs
            .iter()
            .enumerate()
            .filter(|(_, d)| visible(d.reveals, spoiler_limit))
            .filter_map(|(i, d)| {
                let by_code = matches!(d.target, Target::Episode(c) if Some(c) == code);
                let best = if by_code {
                    Some(1.0)
                } else {
                    d.names
                        .iter()
                        .filter_map(|n| matching::score(&q, n))
                        .reduce(f64::max)
                };
                // A small nudge by kind breaks ties: a character before a plot point.
                best.map(|s| ((s + d.kind_bonus()).min(1.0), i))
            })
            .collect();
        hits.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| self.docs[a.1].title.cmp(&self.docs[b.1].title))
        });
        hits.truncate(limit);
        hits.into_iter()
            .map(|(score, i)| {
                let d = &self.docs[i];
                Hit {
                    key: d.key.clone(),
                    title: self.title_within(d, spoiler_limit),
                    kind: d.kind,
                    score: (score * 1000.0).round() / 1000.0,
                }
            })
            .collect()
    }

    /// The card of a hit, showing everything.
    pub fn card(&self, key: &str) -> Option<Card> {
        self.card_within(key, None)
    }

    /// The card of a hit, leaving out what a viewer who has seen only up to `spoiler_limit`
    /// should not read. `None` if the key is unknown or the whole hit is a spoiler.
    pub fn card_within(&self, key: &str, spoiler_limit: Option<EpisodeCode>) -> Option<Card> {
        let doc = &self.docs[*self.by_key.get(key)?];
        if !visible(doc.reveals, spoiler_limit) {
            return None;
        }
        Some(cards::build(self, doc, spoiler_limit))
    }
}

impl Index {
    /// A document's title; people and characters are retitled under a spoiler limit, since
    /// their titles name roles and actors.
    fn title_within(&self, doc: &Doc, limit: Option<EpisodeCode>) -> String {
        match (doc.target, limit) {
            (Target::Person(i), Some(_)) => docs::person_title(&self.pack, &self.people[i], limit),
            (Target::Entity(i), Some(_)) => {
                docs::entity_title(&self.pack, &self.pack.data.entities[i], limit)
            }
            _ => doc.title.clone(),
        }
    }
}

/// Whether something revealed at `reveals` may be shown to a viewer at `limit`.
fn visible(reveals: Option<EpisodeCode>, limit: Option<EpisodeCode>) -> bool {
    match (reveals, limit) {
        (Some(r), Some(l)) => r <= l,
        _ => true,
    }
}

/// An episode code in the query: "S1E4", "s01e04", "1x04", "season 1 episode 4".
fn episode_code(query: &str) -> Option<EpisodeCode> {
    if let Ok(code) = query.parse() {
        return Some(code);
    }
    let folded = crate::text::fold(query);
    let words: Vec<&str> = folded.split(' ').collect();
    match words.as_slice() {
        ["season", s, "episode", e] | ["series", s, "episode", e] => {
            format!("S{s}E{e}").parse().ok()
        }
        _ => None,
    }
}

/// Shortens `s` to at most `max` characters, ending with "…" if cut.
pub(crate) fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_to_the_limit_with_an_ellipsis() {
        assert_eq!(truncate("short", 100), "short");
        let long = "word ".repeat(40);
        let cut = truncate(&long, MAX_TITLE);
        assert!(cut.chars().count() <= MAX_TITLE);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn finds_episode_codes_in_several_forms() {
        let want = Some(EpisodeCode {
            season: 1,
            episode: 4,
        });
        assert_eq!(episode_code("S1E4"), want);
        assert_eq!(episode_code("1x04"), want);
        assert_eq!(episode_code("Season 1, Episode 4"), want);
        assert_eq!(episode_code("episode 4"), None);
    }

    #[test]
    fn spoiler_visibility() {
        let s1e4 = "S1E4".parse().ok();
        assert!(visible("S1E4".parse().ok(), s1e4));
        assert!(!visible("S1E5".parse().ok(), s1e4));
        assert!(visible(None, s1e4));
        assert!(visible("S3E1".parse().ok(), None));
    }
}
