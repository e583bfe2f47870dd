//! The fact packs the bot serves, with what the commands need from them: decks for games
//! and lookups for `/fact`. Built once at start-up.

use std::path::Path;

use crate::facts::{EpisodeCode, FactPack, PackSet};
use crate::lookup::{Card, Hit, Index};
use crate::quiz::{DeckOptions, Question, deal};

/// The packs loaded at start-up (valid and broken), each valid one with its lookup index.
pub struct Catalog {
    pub packs: PackSet,
    indexes: Vec<Index>,
}

impl Catalog {
    /// Loads every pack in `dir`; broken ones are kept with their diagnostics for the log.
    pub fn load(dir: &Path) -> Catalog {
        Catalog::from_packs(PackSet::load_dir(dir))
    }

    pub fn from_packs(packs: PackSet) -> Catalog {
        let indexes = packs.packs.iter().map(Index::new).collect();
        Catalog { packs, indexes }
    }

    /// The pack named `id`, or the default pack when none is named.
    pub fn pack(&self, id: Option<&str>) -> Option<&FactPack> {
        match id.map(str::trim).filter(|s| !s.is_empty()) {
            Some(id) => self.packs.get(id),
            None => self.packs.default_pack(),
        }
    }

    /// "known packs: a, b" for messages about an unknown pack.
    pub fn known(&self) -> String {
        let ids = self.packs.ids();
        if ids.is_empty() {
            "no packs are loaded".to_owned()
        } else {
            format!("known packs: {}", ids.join(", "))
        }
    }

    /// A game's questions.
    pub fn deal(&self, pack: &FactPack, options: &DeckOptions) -> Vec<Question> {
        deal(pack, options)
    }

    fn index(&self, pack: &str) -> Option<&Index> {
        self.indexes.iter().find(|i| i.pack().id() == pack)
    }

    /// Lookups over every pack (or one), best first, each hit with its pack's id.
    pub fn search(
        &self,
        pack: Option<&str>,
        query: &str,
        limit: usize,
        spoiler_limit: Option<EpisodeCode>,
    ) -> Vec<(String, Hit)> {
        let mut hits: Vec<(String, Hit)> = self
            .indexes
            .iter()
            .filter(|i| pack.is_none_or(|p| i.pack().id() == p))
            .flat_map(|i| {
                let id = i.pack().id().to_owned();
                i.search(query, limit, spoiler_limit)
                    .into_iter()
                    .map(move |h| (id.clone(), h))
            })
            .collect();
        hits.sort_by(|a, b| b.1.score.total_cmp(&a.1.score));
        hits.truncate(limit);
        hits
    }

    /// The card of a hit within the spoiler limit.
    pub fn card(&self, pack: &str, key: &str, spoiler_limit: Option<EpisodeCode>) -> Option<Card> {
        self.index(pack)?.card_within(key, spoiler_limit)
    }

    /// Whether there are several packs (autocomplete values then name the pack).
    pub fn several(&self) -> bool {
        self.indexes.len() > 1
    }
}
