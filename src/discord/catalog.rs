//! The fact packs the bot serves, with what the commands need from them: decks for games
//! and lookups for `/fact`. Built once at start-up.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use super::packs::PackRef;
use crate::facts::{EpisodeCode, FactPack, PackSet};
use crate::lookup::{Card, Hit, Index};
use crate::quiz::{DeckOptions, Question, QuestionPool};

/// The packs loaded at start-up (valid and broken), each valid one with its lookup index and
/// its question pools.
pub struct Catalog {
    pub packs: PackSet,
    indexes: Vec<Index>,
    pools: Vec<Pools>,
}

/// A pack's question pools, one per spoiler limit in use, each generated on the first deal
/// under its limit: later games deal from it in microseconds and share its questions.
#[derive(Default)]
pub struct Pools(Mutex<HashMap<Option<EpisodeCode>, Arc<QuestionPool>>>);

impl Pools {
    /// Pools kept per pack; past this many limits the cache starts again (each pool holds every
    /// question of the pack, about a megabyte for Picard).
    const MAX: usize = 8;

    /// A deck from `pack` (which these pools belong to).
    pub fn deal(&self, pack: &FactPack, options: &DeckOptions) -> Vec<Arc<Question>> {
        self.pool(pack, options.spoiler_limit).deal(options)
    }

    fn pool(&self, pack: &FactPack, limit: Option<EpisodeCode>) -> Arc<QuestionPool> {
        if let Some(pool) = self.lock().get(&limit) {
            return Arc::clone(pool);
        }
        // Generated outside the lock: two first deals may both generate; one pool is kept.
        let pool = Arc::new(QuestionPool::new(pack, limit));
        let mut pools = self.lock();
        if pools.len() >= Self::MAX {
            pools.clear();
        }
        Arc::clone(pools.entry(limit).or_insert(pool))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Option<EpisodeCode>, Arc<QuestionPool>>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Catalog {
    /// Loads every pack in `dir`; broken ones are kept with their diagnostics for the log.
    pub fn load(dir: &Path) -> Catalog {
        Catalog::from_packs(PackSet::load_dir(dir))
    }

    pub fn from_packs(packs: PackSet) -> Catalog {
        let indexes = packs.packs.iter().map(Index::new).collect();
        let pools = packs.packs.iter().map(|_| Pools::default()).collect();
        Catalog {
            packs,
            indexes,
            pools,
        }
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

    /// A game's questions, from the pack's pool for the deck's spoiler limit.
    pub fn deal(&self, pack: &PackRef<'_>, options: &DeckOptions) -> Vec<Arc<Question>> {
        match pack {
            PackRef::Builtin(pack) => {
                match self.packs.packs.iter().position(|p| p.id() == pack.id()) {
                    Some(i) => self.pools[i].deal(pack, options),
                    None => QuestionPool::new(pack, options.spoiler_limit).deal(options),
                }
            }
            PackRef::Server(server) => server.pools.deal(server.pack(), options),
        }
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
