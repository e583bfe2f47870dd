//! The searchable documents of a pack: what each is, the names that find it, its one-line title
//! and the first episode it would spoil.

use std::collections::BTreeMap;

use super::matching::Name;
use super::{HitKind, MAX_TITLE, truncate};
use crate::facts::{Billing, CastMember, Entity, EntityKind, EpisodeCode, FactPack};
use crate::text::english::{list_and, ordinal_digits};
use crate::text::fold;

/// One searchable thing.
#[derive(Debug, Clone)]
pub(crate) struct Doc {
    pub key: String,
    pub title: String,
    pub kind: HitKind,
    pub target: Target,
    pub names: Vec<Name>,
    /// The earliest episode this hit reveals; hidden under an earlier spoiler limit.
    pub reveals: Option<EpisodeCode>,
}

impl Doc {
    /// A tie-breaker by kind, far smaller than the gap between match classes.
    pub fn kind_bonus(&self) -> f64 {
        let rank = match self.kind {
            HitKind::Character | HitKind::Cast | HitKind::Episode => 6,
            HitKind::Series | HitKind::Season => 5,
            HitKind::Crew => 4,
            HitKind::Place | HitKind::Ship | HitKind::Organisation | HitKind::Species => 3,
            HitKind::Thing | HitKind::Milestone => 2,
            HitKind::PlotPoint => 1,
        };
        rank as f64 * 0.001
    }
}

/// What a document is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    Series(SeriesFact),
    Milestone(usize),
    Season(u32),
    Episode(EpisodeCode),
    /// An index into [`super::Index::people`].
    Person(usize),
    /// An index into the pack's entities.
    Entity(usize),
    /// An index into the pack's plot points.
    PlotPoint(usize),
}

/// The facts about the series as a whole that a lookup can answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SeriesFact {
    Overview,
    Premiere,
    End,
    Creators,
    Composers,
    Network,
    Episodes,
    Seasons,
    ProductionCompanies,
    Distributor,
    ExecutiveProducers,
    Showrunners,
    Country,
    Language,
    BasedOn,
    Setting,
    Filming,
    Franchise,
}

impl SeriesFact {
    const ALL: [SeriesFact; 18] = [
        SeriesFact::Overview,
        SeriesFact::Premiere,
        SeriesFact::End,
        SeriesFact::Creators,
        SeriesFact::Composers,
        SeriesFact::Network,
        SeriesFact::Episodes,
        SeriesFact::Seasons,
        SeriesFact::ProductionCompanies,
        SeriesFact::Distributor,
        SeriesFact::ExecutiveProducers,
        SeriesFact::Showrunners,
        SeriesFact::Country,
        SeriesFact::Language,
        SeriesFact::BasedOn,
        SeriesFact::Setting,
        SeriesFact::Filming,
        SeriesFact::Franchise,
    ];

    /// The key suffix (`series:premiere`).
    fn slug(self) -> &'static str {
        match self {
            SeriesFact::Overview => "overview",
            SeriesFact::Premiere => "premiere",
            SeriesFact::End => "end",
            SeriesFact::Creators => "creators",
            SeriesFact::Composers => "composers",
            SeriesFact::Network => "network",
            SeriesFact::Episodes => "episodes",
            SeriesFact::Seasons => "seasons",
            SeriesFact::ProductionCompanies => "production-companies",
            SeriesFact::Distributor => "distributor",
            SeriesFact::ExecutiveProducers => "executive-producers",
            SeriesFact::Showrunners => "showrunners",
            SeriesFact::Country => "country",
            SeriesFact::Language => "language",
            SeriesFact::BasedOn => "based-on",
            SeriesFact::Setting => "setting",
            SeriesFact::Filming => "filming",
            SeriesFact::Franchise => "franchise",
        }
    }

    /// Words people type to ask for this fact.
    fn keywords(self) -> &'static [&'static str] {
        match self {
            SeriesFact::Overview => &["series", "show", "overview"],
            SeriesFact::Premiere => &[
                "premiere",
                "premiere date",
                "premiered",
                "first aired",
                "release date",
                "released",
                "debut",
                "launch",
                "start date",
            ],
            SeriesFact::End => &[
                "end",
                "ended",
                "end date",
                "series finale",
                "final episode",
                "last episode",
            ],
            SeriesFact::Creators => &["creators", "creator", "created by", "co creators"],
            SeriesFact::Composers => &["composer", "composers", "music", "score", "theme music"],
            SeriesFact::Network => &[
                "network",
                "channel",
                "streaming service",
                "broadcaster",
                "original network",
            ],
            SeriesFact::Episodes => &[
                "episodes",
                "episode count",
                "number of episodes",
                "how many episodes",
                "episode list",
            ],
            SeriesFact::Seasons => &[
                "seasons",
                "season count",
                "number of seasons",
                "how many seasons",
            ],
            SeriesFact::ProductionCompanies => &[
                "production companies",
                "production company",
                "production",
                "studios",
                "studio",
                "produced by",
            ],
            SeriesFact::Distributor => &["distributor", "distribution", "distributed by"],
            SeriesFact::ExecutiveProducers => &[
                "executive producers",
                "executive producer",
                "producers",
                "producer",
            ],
            SeriesFact::Showrunners => &["showrunners", "showrunner"],
            SeriesFact::Country => &["country", "country of origin"],
            SeriesFact::Language => &["language", "original language"],
            SeriesFact::BasedOn => &["based on", "source material"],
            SeriesFact::Setting => &["setting", "set in", "when is it set"],
            SeriesFact::Filming => &[
                "filming",
                "filming location",
                "filmed",
                "shooting",
                "principal photography",
            ],
            SeriesFact::Franchise => &["franchise", "franchise position"],
        }
    }
}

/// A person named anywhere in the pack (actor or crew), with everything they did.
#[derive(Debug, Clone, Default)]
pub(crate) struct Person {
    pub name: String,
    pub aliases: Vec<String>,
    /// Indices of their cast rows.
    pub cast: Vec<usize>,
    pub roles: Vec<Role>,
}

/// A crew role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Role {
    Creator,
    Showrunner(Option<u32>),
    ExecutiveProducer,
    Composer,
    Director(EpisodeCode),
    Writer(EpisodeCode),
}

impl Role {
    /// The episode a role is tied to (and so would spoil).
    pub fn episode(self) -> Option<EpisodeCode> {
        match self {
            Role::Director(c) | Role::Writer(c) => Some(c),
            Role::Showrunner(Some(s)) => Some(season_start(s)),
            _ => None,
        }
    }
}

/// The first episode of a season.
pub(crate) fn season_start(season: u32) -> EpisodeCode {
    EpisodeCode { season, episode: 1 }
}

/// The earliest episode a cast row reveals: its first season, or later if all the characters
/// it names are introduced later.
pub(crate) fn cast_reveals(pack: &FactPack, row: &CastMember) -> Option<EpisodeCode> {
    let first = row.seasons.iter().min().map(|s| season_start(*s))?;
    let introduced = row
        .characters
        .iter()
        .map(|id| pack.entity(id).and_then(|e| e.introduced))
        .collect::<Option<Vec<_>>>()
        .and_then(|codes| codes.into_iter().min());
    Some(introduced.map_or(first, |i| i.max(first)))
}

/// Builds every document of a pack, and the people they refer to.
pub(crate) fn build(pack: &FactPack) -> (Vec<Doc>, Vec<Person>) {
    let people = collect_people(pack);
    let mut docs = Vec::new();
    series_docs(pack, &mut docs);
    milestone_docs(pack, &mut docs);
    season_docs(pack, &mut docs);
    episode_docs(pack, &mut docs);
    person_docs(pack, &people, &mut docs);
    entity_docs(pack, &mut docs);
    plot_docs(pack, &mut docs);
    for doc in &mut docs {
        doc.names.retain(|n| !n.is_empty());
        doc.title = truncate(&doc.title, MAX_TITLE);
    }
    (docs, people)
}

fn doc(key: String, title: String, kind: HitKind, target: Target) -> Doc {
    Doc {
        key,
        title,
        kind,
        target,
        names: Vec::new(),
        reveals: None,
    }
}

/// "A, B and C".
fn series_docs(pack: &FactPack, docs: &mut Vec<Doc>) {
    let s = &pack.data.series;
    let episodes: u32 = pack.data.seasons.iter().map(|s| s.episode_count).sum();
    for fact in SeriesFact::ALL {
        let title = match fact {
            SeriesFact::Overview => Some(format!("{} (series overview)", s.title)),
            SeriesFact::Premiere => s.premiere.map(|d| format!("Premiere: {}", d.long())),
            SeriesFact::End => s.end.map(|d| format!("Last episode aired: {}", d.long())),
            SeriesFact::Creators => {
                (!s.creators.is_empty()).then(|| format!("Created by {}", list_and(&s.creators)))
            }
            SeriesFact::Composers => {
                (!s.composers.is_empty()).then(|| format!("Music by {}", list_and(&s.composers)))
            }
            SeriesFact::Network => s.network.as_ref().map(|n| format!("Network: {n}")),
            SeriesFact::Episodes => (episodes > 0).then(|| {
                let seasons = pack.data.seasons.len();
                format!("{episodes} episodes in {seasons} season{}", plural(seasons))
            }),
            SeriesFact::Seasons => (!pack.data.seasons.is_empty()).then(|| {
                let n = pack.data.seasons.len();
                format!("{n} season{}", plural(n))
            }),
            SeriesFact::ProductionCompanies => (!s.production_companies.is_empty()
                || pack
                    .data
                    .seasons
                    .iter()
                    .any(|s| !s.production_companies.is_empty()))
            .then(|| "Production companies".to_string()),
            SeriesFact::Distributor => s.distributor.as_ref().map(|d| format!("Distributor: {d}")),
            SeriesFact::ExecutiveProducers => {
                (!s.executive_producers.is_empty()).then(|| "Executive producers".to_string())
            }
            SeriesFact::Showrunners => (!s.showrunners.is_empty()
                || pack.data.seasons.iter().any(|s| !s.showrunners.is_empty()))
            .then(|| "Showrunners".to_string()),
            SeriesFact::Country => s.country.as_ref().map(|c| format!("Country: {c}")),
            SeriesFact::Language => s.language.as_ref().map(|l| format!("Language: {l}")),
            SeriesFact::BasedOn => s.based_on.as_ref().map(|b| format!("Based on {b}")),
            SeriesFact::Setting => s.setting.as_ref().map(|b| format!("Setting: {b}")),
            SeriesFact::Filming => s.filming.as_ref().map(|_| "Filming".to_string()),
            SeriesFact::Franchise => s.franchise.as_ref().map(|f| match s.franchise_position {
                Some(n) => format!("{} series in the {f} franchise", ordinal_digits(n)),
                None => format!("Part of the {f} franchise"),
            }),
        };
        let Some(title) = title else { continue };
        let mut d = doc(
            format!("series:{}", fact.slug()),
            title,
            HitKind::Series,
            Target::Series(fact),
        );
        d.names = fact.keywords().iter().map(|k| Name::keyword(k)).collect();
        // The values themselves find the fact too ("CBS All Access" → network).
        match fact {
            SeriesFact::Overview => {
                d.names.push(Name::main(&s.title));
                d.names.extend(s.aliases.iter().map(|a| Name::alias(a)));
            }
            SeriesFact::Network => {
                d.names.extend(s.network.iter().map(|n| Name::main(n)));
                d.names
                    .extend(s.network_aliases.iter().map(|a| Name::alias(a)));
            }
            SeriesFact::ProductionCompanies => {
                let seasons = pack
                    .data
                    .seasons
                    .iter()
                    .flat_map(|s| &s.production_companies);
                d.names.extend(
                    s.production_companies
                        .iter()
                        .chain(seasons)
                        .map(|c| Name::main(c)),
                );
            }
            SeriesFact::Distributor => d.names.extend(s.distributor.iter().map(|n| Name::main(n))),
            SeriesFact::Franchise => d.names.extend(s.franchise.iter().map(|n| Name::alias(n))),
            _ => {}
        }
        docs.push(d);
    }
}

fn milestone_docs(pack: &FactPack, docs: &mut Vec<Doc>) {
    for (i, m) in pack.data.series.milestones.iter().enumerate() {
        let statement = m.statement.replace("{date}", &m.date.long());
        let mut d = doc(
            format!("milestone:{}", m.id),
            statement,
            HitKind::Milestone,
            Target::Milestone(i),
        );
        d.names.push(Name::keyword(&m.id));
        d.names.push(Name::text(&m.statement.replace("{date}", "")));
        docs.push(d);
    }
}

fn season_docs(pack: &FactPack, docs: &mut Vec<Doc>) {
    for s in &pack.data.seasons {
        let years = match (s.premiere, s.finale) {
            (Some(p), Some(f)) if p.year != f.year => format!(" ({}–{})", p.year, f.year),
            (Some(p), _) => format!(" ({})", p.year),
            _ => String::new(),
        };
        let title = format!(
            "Season {}{years} — {} episode{}",
            s.number,
            s.episode_count,
            plural(s.episode_count as usize)
        );
        let mut d = doc(
            format!("season:{}", s.number),
            title,
            HitKind::Season,
            Target::Season(s.number),
        );
        d.names.push(Name::main(&format!("season {}", s.number)));
        d.names.push(Name::alias(&format!("series {}", s.number)));
        d.names.push(Name::alias(&format!("s{}", s.number)));
        d.reveals = Some(season_start(s.number));
        docs.push(d);
    }
}

/// `S1E4 “Absolute Candor” (13 February 2020)`.
pub(crate) fn episode_title(e: &crate::facts::Episode) -> String {
    format!("{} “{}” ({})", e.code(), e.title, e.air_date.long())
}

fn episode_docs(pack: &FactPack, docs: &mut Vec<Doc>) {
    for e in &pack.data.episodes {
        let code = e.code();
        let mut d = doc(
            format!("episode:{code}"),
            episode_title(e),
            HitKind::Episode,
            Target::Episode(code),
        );
        d.names.push(Name::main(&e.title));
        d.names.extend(e.aliases.iter().map(|a| Name::alias(a)));
        d.names.push(Name::main(&code.to_string()));
        d.names.push(Name::alias(&format!("episode {}", e.overall)));
        d.names.push(Name::alias(&e.overall.to_string()));
        d.reveals = Some(code);
        docs.push(d);
    }
}

fn collect_people(pack: &FactPack) -> Vec<Person> {
    let mut people: Vec<Person> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut person = |name: &str| -> usize {
        let key = fold(name);
        *index.entry(key).or_insert_with(|| {
            people.push(Person {
                name: name.to_string(),
                ..Person::default()
            });
            people.len() - 1
        })
    };
    let d = &pack.data;
    let mut roles: Vec<(usize, Role)> = Vec::new();
    let mut cast: Vec<(usize, usize)> = Vec::new();
    for (i, row) in d.cast.iter().enumerate() {
        cast.push((person(&row.actor), i));
    }
    let s = &d.series;
    for (names, role) in [
        (&s.creators, Role::Creator),
        (&s.showrunners, Role::Showrunner(None)),
        (&s.executive_producers, Role::ExecutiveProducer),
        (&s.composers, Role::Composer),
    ] {
        roles.extend(names.iter().map(|n| (person(n), role)));
    }
    for season in &d.seasons {
        for n in &season.showrunners {
            roles.push((person(n), Role::Showrunner(Some(season.number))));
        }
    }
    for e in &d.episodes {
        for n in &e.directors {
            roles.push((person(n), Role::Director(e.code())));
        }
        for n in e.writers.iter().chain(&e.teleplay).chain(&e.story) {
            roles.push((person(n), Role::Writer(e.code())));
        }
    }
    let mut aliases: Vec<(usize, &crate::facts::Person)> = Vec::new();
    for p in &d.people {
        aliases.push((person(&p.name), p));
    }
    for (i, row) in cast {
        people[i].cast.push(row);
    }
    for (i, role) in roles {
        if !people[i].roles.contains(&role) {
            people[i].roles.push(role);
        }
    }
    for (i, p) in aliases {
        people[i].aliases.extend(p.aliases.iter().cloned());
    }
    people
}

fn person_docs(pack: &FactPack, people: &[Person], docs: &mut Vec<Doc>) {
    for (i, p) in people.iter().enumerate() {
        let title = person_title(pack, p, None);
        let kind = if p.cast.is_empty() {
            HitKind::Crew
        } else {
            HitKind::Cast
        };
        let mut d = doc(
            format!("person:{}", fold(&p.name).replace(' ', "-")),
            title,
            kind,
            Target::Person(i),
        );
        d.names.push(Name::main(&p.name));
        d.names.extend(p.aliases.iter().map(|a| Name::alias(a)));
        let cast = p
            .cast
            .iter()
            .filter_map(|r| cast_reveals(pack, &pack.data.cast[*r]));
        let crew = p.roles.iter().map(|r| r.episode());
        // Series-wide crew roles reveal nothing; otherwise the earliest role decides.
        d.reveals = if p.roles.iter().any(|r| r.episode().is_none()) {
            None
        } else {
            cast.chain(crew.flatten()).min()
        };
        docs.push(d);
    }
}

/// The names of the characters of a cast row that a viewer at `limit` may know of.
pub(crate) fn character_names(
    pack: &FactPack,
    row: &CastMember,
    limit: Option<EpisodeCode>,
) -> Vec<String> {
    row.characters
        .iter()
        .filter_map(|id| match pack.entity(id) {
            Some(e) if super::visible(e.introduced, limit) => Some(e.name.clone()),
            Some(_) => None,
            None => Some(id.clone()),
        })
        .collect()
}

/// "Evan Evagora as Elnor", "Jeff Russo — composer", within a spoiler limit.
pub(crate) fn person_title(pack: &FactPack, p: &Person, limit: Option<EpisodeCode>) -> String {
    let mut characters: Vec<String> = Vec::new();
    for row in &p.cast {
        let row = &pack.data.cast[*row];
        if !super::visible(cast_reveals(pack, row), limit) {
            continue;
        }
        for name in character_names(pack, row, limit) {
            if !characters.contains(&name) {
                characters.push(name);
            }
        }
    }
    let mut roles: Vec<&str> = Vec::new();
    for role in p
        .roles
        .iter()
        .filter(|r| super::visible(r.episode(), limit))
    {
        let label = match role {
            Role::Creator => "co-creator",
            Role::Showrunner(_) => "showrunner",
            Role::ExecutiveProducer => "executive producer",
            Role::Composer => "composer",
            Role::Director(_) => "director",
            Role::Writer(_) => "writer",
        };
        if !roles.contains(&label) {
            roles.push(label);
        }
    }
    let title = match (characters.is_empty(), roles.is_empty()) {
        (true, _) => format!("{} — {}", p.name, roles.join(", ")),
        (false, true) => format!("{} as {}", p.name, list_and(&characters)),
        (false, false) => format!(
            "{} as {}; also {}",
            p.name,
            list_and(&characters),
            roles.join(", ")
        ),
    };
    truncate(&title, MAX_TITLE)
}

/// "Elnor — played by Evan Evagora", "Vashti (planet)", within a spoiler limit.
pub(crate) fn entity_title(pack: &FactPack, e: &Entity, limit: Option<EpisodeCode>) -> String {
    let mut actors: Vec<String> = Vec::new();
    for row in pack
        .data
        .cast
        .iter()
        .filter(|r| r.characters.contains(&e.id))
    {
        if super::visible(cast_reveals(pack, row), limit) && !actors.contains(&row.actor) {
            actors.push(row.actor.clone());
        }
    }
    let title = if actors.is_empty() {
        format!(
            "{} ({})",
            e.name,
            e.subtype.as_deref().unwrap_or(e.kind.as_str())
        )
    } else {
        format!("{} — played by {}", e.name, list_and(&actors))
    };
    truncate(&title, MAX_TITLE)
}

fn entity_docs(pack: &FactPack, docs: &mut Vec<Doc>) {
    for (i, e) in pack.data.entities.iter().enumerate() {
        let kind = match e.kind {
            EntityKind::Character => HitKind::Character,
            EntityKind::Place => HitKind::Place,
            EntityKind::Ship => HitKind::Ship,
            EntityKind::Organisation => HitKind::Organisation,
            EntityKind::Species => HitKind::Species,
            EntityKind::Thing => HitKind::Thing,
        };
        let rows: Vec<&CastMember> = pack
            .data
            .cast
            .iter()
            .filter(|r| r.characters.contains(&e.id))
            .collect();
        let title = entity_title(pack, e, None);
        let mut d = doc(format!("entity:{}", e.id), title, kind, Target::Entity(i));
        d.names.push(Name::main(&e.name));
        d.names.extend(e.aliases.iter().map(|a| Name::alias(a)));
        d.reveals = e
            .introduced
            .or_else(|| rows.iter().filter_map(|r| cast_reveals(pack, r)).min());
        docs.push(d);
    }
}

fn plot_docs(pack: &FactPack, docs: &mut Vec<Doc>) {
    for (i, p) in pack.data.plot_points.iter().enumerate() {
        let mut d = doc(
            format!("plot:{}", i + 1),
            format!("{}: {}", p.episode, p.plain()),
            HitKind::PlotPoint,
            Target::PlotPoint(i),
        );
        d.names.push(Name::text(&p.plain()));
        d.reveals = Some(p.episode);
        docs.push(d);
    }
}

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// "main cast" / "recurring" / "guest star".
pub(crate) fn billing_label(b: Billing) -> &'static str {
    match b {
        Billing::Main => "main cast",
        Billing::Recurring => "recurring",
        Billing::Guest => "guest star",
    }
}

/// "season 1", "seasons 1–3", "seasons 1 and 3".
pub(crate) fn seasons_label(seasons: &[u32]) -> String {
    let mut s = seasons.to_vec();
    s.sort_unstable();
    s.dedup();
    match s.as_slice() {
        [] => String::new(),
        [one] => format!("season {one}"),
        [first, .., last] if (last - first) as usize == s.len() - 1 => {
            format!("seasons {first}–{last}")
        }
        _ => {
            let items: Vec<String> = s.iter().map(u32::to_string).collect();
            format!("seasons {}", list_and(&items))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_naturally() {
        assert_eq!(seasons_label(&[1]), "season 1");
        assert_eq!(seasons_label(&[2, 1]), "seasons 1–2");
        assert_eq!(seasons_label(&[1, 2, 3]), "seasons 1–3");
        assert_eq!(seasons_label(&[1, 3]), "seasons 1 and 3");
        assert_eq!(ordinal_digits(8), "8th");
        assert_eq!(ordinal_digits(1), "1st");
        assert_eq!(ordinal_digits(12), "12th");
        assert_eq!(list_and(&["a", "b", "c"]), "a, b and c");
    }
}
