//! Pools of same-kind values drawn from a pack (actors, crew by role, companies, entities by
//! kind, episode titles), each value knowing its other names and what it would give away.
//! Templates take answers and distractors from here.

use std::collections::{BTreeMap, BTreeSet};

use super::value::{V, Value, season_start};
use crate::facts::{
    Billing, CastMember, Entity, EntityKind, Episode, EpisodeCode, FactPack, Person,
};
use crate::text::fold;

/// A crew role, for distractors "of the same role-kind".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Creator,
    Showrunner,
    Producer,
    Composer,
    Director,
    Writer,
}

/// An actor with the best billing they ever had.
#[derive(Debug, Clone)]
pub struct Actor {
    pub value: V,
    pub billing: Billing,
}

/// An entity and its value.
#[derive(Debug, Clone)]
pub struct Thing<'p> {
    pub entity: &'p Entity,
    pub value: V,
}

pub struct Catalog<'p> {
    pub pack: &'p FactPack,
    /// The series title, as prompts name it.
    pub title: String,
    /// People with aliases, by the folded form of every name they go by.
    people: BTreeMap<String, &'p Person>,
    /// Every actor, in pack order.
    pub actors: Vec<Actor>,
    /// Crew by role; a person may be in several.
    pub crew: BTreeMap<Role, Vec<V>>,
    /// Everyone in any crew role, once.
    pub all_crew: Vec<V>,
    /// Person keys of everyone in a series-level role (creator, showrunner, producer, composer).
    pub series_crew: BTreeSet<String>,
    /// Production companies and distributors.
    pub companies: Vec<V>,
    /// Entities by kind, in pack order.
    pub things: BTreeMap<EntityKind, Vec<Thing<'p>>>,
    /// Episodes in order.
    pub episodes: Vec<&'p Episode>,
    /// Each episode's title as a value, same order as `episodes`.
    pub titles: Vec<V>,
    /// What naming something gives away, by folded name: episode titles, entities, actors.
    named: BTreeMap<String, Option<EpisodeCode>>,
}

impl<'p> Catalog<'p> {
    pub fn new(pack: &'p FactPack) -> Catalog<'p> {
        let data = &pack.data;
        let mut people = BTreeMap::new();
        for person in &data.people {
            for name in std::iter::once(&person.name).chain(&person.aliases) {
                people.entry(fold(name)).or_insert(person);
            }
        }
        let mut episodes: Vec<&Episode> = data.episodes.iter().collect();
        episodes.sort_by_key(|e| e.code());
        let mut cat = Catalog {
            pack,
            title: data.series.title.clone(),
            people,
            actors: Vec::new(),
            crew: BTreeMap::new(),
            all_crew: Vec::new(),
            series_crew: BTreeSet::new(),
            companies: Vec::new(),
            things: BTreeMap::new(),
            named: BTreeMap::new(),
            titles: episodes
                .iter()
                .map(|e| Value::new(e.title.clone(), e.aliases.clone(), Some(e.code())))
                .collect(),
            episodes,
        };
        cat.actors = cat.collect_actors();
        cat.collect_crew();
        cat.companies = cat.collect_companies();
        cat.things = cat.collect_things();
        cat.named = cat.collect_named();
        cat
    }

    /// What a free-text value gives away when it happens to name an episode, an entity or
    /// an actor of the pack (a song called like a later episode): the earliest of those.
    pub fn spoils_of_name(&self, text: &str) -> Option<EpisodeCode> {
        self.named.get(&fold(text)).copied().flatten()
    }

    fn collect_named(&self) -> BTreeMap<String, Option<EpisodeCode>> {
        let mut named: BTreeMap<String, Option<EpisodeCode>> = BTreeMap::new();
        let values = self
            .titles
            .iter()
            .chain(self.actors.iter().map(|a| &a.value))
            .chain(self.things.values().flatten().map(|t| &t.value));
        for v in values {
            for f in &v.folded {
                let e = named.entry(f.clone()).or_insert(v.spoils);
                // None (gives nothing away) is the earliest.
                *e = (*e).min(v.spoils);
            }
        }
        named
    }

    /// The person's canonical name (their `[[people]]` entry's, if any), folded: one key per
    /// person, whichever of their names a fact uses.
    pub fn person_key(&self, name: &str) -> String {
        let folded = fold(name);
        match self.people.get(&folded) {
            Some(p) => fold(&p.name),
            None => folded,
        }
    }

    /// A person as a value: the name as the fact writes it, with every other name they go by.
    pub fn person(&self, name: &str, spoils: Option<EpisodeCode>) -> V {
        let aliases = match self.people.get(&fold(name)) {
            Some(p) => std::iter::once(&p.name)
                .chain(&p.aliases)
                .filter(|a| fold(a) != fold(name))
                .cloned()
                .collect(),
            None => Vec::new(),
        };
        Value::new(name, aliases, spoils)
    }

    /// An entity by id.
    pub fn thing(&self, id: &str) -> Option<&Thing<'p>> {
        self.things.values().flatten().find(|t| t.entity.id == id)
    }

    /// The episode's title value.
    pub fn title_of(&self, code: EpisodeCode) -> Option<&V> {
        let i = self.episodes.iter().position(|e| e.code() == code)?;
        Some(&self.titles[i])
    }

    /// Episodes of one season, in order.
    pub fn season_episodes(&self, season: u32) -> impl Iterator<Item = (&'p Episode, &V)> {
        self.episodes
            .iter()
            .copied()
            .zip(&self.titles)
            .filter(move |(e, _)| e.season == season)
    }

    /// The crew of one role.
    pub fn role(&self, role: Role) -> &[V] {
        self.crew.get(&role).map_or(&[], Vec::as_slice)
    }

    /// What a cast row gives away: the start of its first season, or later if every
    /// character in it is introduced later.
    pub fn row_spoils(&self, row: &CastMember) -> Option<EpisodeCode> {
        let first = row.seasons.iter().min().map(|&s| season_start(s))?;
        row.characters
            .iter()
            .map(|c| {
                let intro = self.pack.entity(c).and_then(|e| e.introduced);
                intro.unwrap_or(first).max(first)
            })
            .min()
            .or(Some(first))
    }

    /// What naming an entity gives away: its `introduced` episode; else the earliest cast row
    /// or plot point that has it (an upper bound of when viewers meet it).
    pub fn entity_spoils(&self, entity: &Entity) -> Option<EpisodeCode> {
        if entity.introduced.is_some() {
            return entity.introduced;
        }
        let data = &self.pack.data;
        let cast = data
            .cast
            .iter()
            .filter(|r| r.characters.contains(&entity.id))
            .filter_map(|r| r.seasons.iter().min().map(|&s| season_start(s)));
        let plot = data
            .plot_points
            .iter()
            .filter(|p| p.entity.as_deref() == Some(entity.id.as_str()))
            .map(|p| p.episode);
        cast.chain(plot).min()
    }

    fn collect_actors(&self) -> Vec<Actor> {
        let mut by_key: BTreeMap<String, usize> = BTreeMap::new();
        let mut actors: Vec<(String, Billing, Option<EpisodeCode>)> = Vec::new();
        for row in &self.pack.data.cast {
            let spoils = self.row_spoils(row);
            match by_key.get(&self.person_key(&row.actor)) {
                Some(&i) => {
                    let a = &mut actors[i];
                    a.1 = a.1.min(row.billing);
                    a.2 = a.2.min(spoils);
                }
                None => {
                    by_key.insert(self.person_key(&row.actor), actors.len());
                    actors.push((row.actor.clone(), row.billing, spoils));
                }
            }
        }
        actors
            .into_iter()
            .map(|(name, billing, spoils)| Actor {
                value: self.person(&name, spoils),
                billing,
            })
            .collect()
    }

    fn collect_crew(&mut self) {
        let data = &self.pack.data;
        let s = &data.series;
        let mut credits: Vec<(Role, &str, Option<EpisodeCode>)> = Vec::new();
        let series =
            |role, names: &'p [String]| names.iter().map(move |n| (role, n.as_str(), None));
        credits.extend(series(Role::Creator, &s.creators));
        credits.extend(series(Role::Showrunner, &s.showrunners));
        credits.extend(series(Role::Producer, &s.executive_producers));
        credits.extend(series(Role::Composer, &s.composers));
        for season in &data.seasons {
            let at = Some(season_start(season.number));
            credits.extend(
                season
                    .showrunners
                    .iter()
                    .map(|n| (Role::Showrunner, n.as_str(), at)),
            );
        }
        for e in &self.episodes {
            let at = Some(e.code());
            credits.extend(e.directors.iter().map(|n| (Role::Director, n.as_str(), at)));
            for n in e.writers.iter().chain(&e.teleplay).chain(&e.story) {
                credits.push((Role::Writer, n.as_str(), at));
            }
        }
        self.series_crew = credits
            .iter()
            .filter(|(role, _, _)| {
                matches!(
                    role,
                    Role::Creator | Role::Showrunner | Role::Producer | Role::Composer
                )
            })
            .map(|(_, name, _)| self.person_key(name))
            .collect();
        // Earliest credit per person and role, and per person overall.
        let mut per_role: BTreeMap<(Role, String), (&str, Option<EpisodeCode>, usize)> =
            BTreeMap::new();
        let mut overall: BTreeMap<String, (&str, Option<EpisodeCode>, usize)> = BTreeMap::new();
        for (i, (role, name, at)) in credits.iter().enumerate() {
            let key = self.person_key(name);
            let e = per_role
                .entry((*role, key.clone()))
                .or_insert((name, *at, i));
            e.1 = e.1.min(*at);
            let e = overall.entry(key).or_insert((name, *at, i));
            e.1 = e.1.min(*at);
        }
        // Pools keep first-credit order so generation does not depend on spelling.
        let mut crew: BTreeMap<Role, Vec<(usize, V)>> = BTreeMap::new();
        for ((role, _), (name, at, i)) in per_role {
            crew.entry(role)
                .or_default()
                .push((i, self.person(name, at)));
        }
        self.crew = crew
            .into_iter()
            .map(|(role, mut v)| {
                v.sort_by_key(|(i, _)| *i);
                (role, v.into_iter().map(|(_, v)| v).collect())
            })
            .collect();
        let mut all: Vec<(usize, V)> = overall
            .into_values()
            .map(|(name, at, i)| (i, self.person(name, at)))
            .collect();
        all.sort_by_key(|(i, _)| *i);
        self.all_crew = all.into_iter().map(|(_, v)| v).collect();
    }

    fn collect_companies(&self) -> Vec<V> {
        let data = &self.pack.data;
        let mut out: Vec<V> = Vec::new();
        let mut add = |name: &str, spoils: Option<EpisodeCode>| {
            if !out.iter().any(|v| fold(&v.text) == fold(name)) {
                out.push(Value::new(name, Vec::new(), spoils));
            }
        };
        for c in &data.series.production_companies {
            add(c, None);
        }
        if let Some(d) = &data.series.distributor {
            add(d, None);
        }
        for season in &data.seasons {
            for c in &season.production_companies {
                add(c, Some(season_start(season.number)));
            }
        }
        out
    }

    fn collect_things(&self) -> BTreeMap<EntityKind, Vec<Thing<'p>>> {
        let mut out: BTreeMap<EntityKind, Vec<Thing<'p>>> = BTreeMap::new();
        for entity in &self.pack.data.entities {
            let value = Value::new(
                entity.name.clone(),
                entity.aliases.clone(),
                self.entity_spoils(entity),
            );
            out.entry(entity.kind)
                .or_default()
                .push(Thing { entity, value });
        }
        out
    }

    /// Entities of a kind, as values.
    pub fn kind_values(&self, kind: EntityKind) -> Vec<V> {
        self.things
            .get(&kind)
            .map(|t| t.iter().map(|t| t.value.clone()).collect())
            .unwrap_or_default()
    }
}
