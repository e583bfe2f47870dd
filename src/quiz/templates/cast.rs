//! Who plays whom. A character played by several actors is asked per season when their
//! seasons do not overlap ("Who plays the Keeper in season 2?"), else as "Which of these actors
//! plays …?"; an actor with several characters as "Which of these characters does … play?".
//! Every actor of the character (every character of the actor) is kept out of the wrong
//! options. Also: the main cast of each season, and where a role is reprised from.

use std::collections::BTreeMap;

use crate::facts::{Billing, CastMember, EntityKind, EpisodeCode};
use crate::quiz::ask::{Ask, Forms, Phrasing};
use crate::quiz::catalog::Catalog;
use crate::quiz::phrase::capitalised;
use crate::quiz::value::{V, Value, season_start};
use crate::quiz::{Category, Difficulty};
use crate::text::english::list_and;
use crate::text::fold;

pub fn asks(cat: &Catalog, out: &mut Vec<Ask>) {
    let rows: Vec<(usize, &CastMember)> = cat.pack.data.cast.iter().enumerate().collect();
    who_plays(cat, &rows, out);
    which_character(cat, &rows, out);
    main_cast(cat, &rows, out);
    reprises(cat, &rows, out);
}

fn difficulty(billing: Billing) -> Difficulty {
    match billing {
        Billing::Main => Difficulty::Easy,
        Billing::Recurring => Difficulty::Medium,
        Billing::Guest => Difficulty::Hard,
    }
}

fn slug(name: &str) -> String {
    fold(name).replace(' ', "-")
}

/// "season 1", "seasons 1 and 3".
fn seasons_phrase(seasons: &[u32]) -> String {
    let list: Vec<String> = seasons.iter().map(u32::to_string).collect();
    match list.len() {
        1 => format!("season {}", list[0]),
        _ => format!("seasons {}", list_and(&list)),
    }
}

/// One actor's part in one character: merged over their rows.
struct Part {
    actor: String,
    key: String,
    billing: Billing,
    seasons: Vec<u32>,
    spoils: Option<EpisodeCode>,
    rows: Vec<usize>,
}

/// The actors of each character, in pack order.
fn parts_by_character<'a>(
    cat: &Catalog,
    rows: &[(usize, &'a CastMember)],
) -> Vec<(&'a str, Vec<Part>)> {
    let mut order: Vec<&str> = Vec::new();
    let mut by_char: BTreeMap<&str, Vec<Part>> = BTreeMap::new();
    for &(i, row) in rows {
        let spoils = cat.row_spoils(row);
        let key = cat.person_key(&row.actor);
        for c in &row.characters {
            if !by_char.contains_key(c.as_str()) {
                order.push(c);
            }
            let parts = by_char.entry(c).or_default();
            match parts.iter_mut().find(|p| p.key == key) {
                Some(p) => {
                    p.billing = p.billing.min(row.billing);
                    p.seasons.extend(&row.seasons);
                    p.spoils = p.spoils.min(spoils);
                    p.rows.push(i);
                }
                None => parts.push(Part {
                    actor: row.actor.clone(),
                    key: key.clone(),
                    billing: row.billing,
                    seasons: row.seasons.clone(),
                    spoils,
                    rows: vec![i],
                }),
            }
        }
    }
    for parts in by_char.values_mut() {
        for p in parts.iter_mut() {
            p.seasons.sort_unstable();
            p.seasons.dedup();
        }
    }
    order
        .into_iter()
        .map(|c| (c, by_char.remove(c).unwrap_or_default()))
        .collect()
}

/// Actors of the same billing first, then any actor.
fn actor_tiers(cat: &Catalog, billing: Billing) -> [Vec<V>; 2] {
    [
        cat.actors
            .iter()
            .filter(|a| a.billing == billing)
            .map(|a| a.value.clone())
            .collect(),
        cat.actors.iter().map(|a| a.value.clone()).collect(),
    ]
}

fn who_plays(cat: &Catalog, rows: &[(usize, &CastMember)], out: &mut Vec<Ask>) {
    let t = &cat.title;
    let by_char = parts_by_character(cat, rows);
    for (id, parts) in &by_char {
        let id = *id;
        let Some(thing) = cat.thing(id) else { continue };
        let name = &thing.entity.name;
        let all: Vec<V> = parts
            .iter()
            .map(|p| cat.person(&p.actor, p.spoils))
            .collect();
        let disjoint = parts.len() > 1
            && parts.iter().enumerate().all(|(i, p)| {
                parts[i + 1..]
                    .iter()
                    .all(|q| !q.seasons.iter().any(|s| p.seasons.contains(s)))
            });
        // Actors of a character whose name overlaps this one ("young Elin" for "Elin") play
        // it in part: never wrong options either.
        let overlapping: Vec<V> = by_char
            .iter()
            .filter(|(other, _)| *other != id)
            .filter(|(other, _)| {
                cat.thing(other)
                    .is_some_and(|o| o.value.clashes(&thing.value))
            })
            .flat_map(|(_, ps)| ps.iter().map(|p| cat.person(&p.actor, p.spoils)))
            .collect();
        let mut add = |fact: String, scope: String, chosen: Vec<&Part>| {
            let billing = chosen
                .iter()
                .map(|p| p.billing)
                .min()
                .unwrap_or(Billing::Guest);
            let answers: Vec<V> = chosen
                .iter()
                .map(|p| cat.person(&p.actor, p.spoils))
                .collect();
            let [same, any] = actor_tiers(cat, billing);
            let mut ask = Ask::new(
                fact,
                "who-plays",
                Category::Cast,
                difficulty(billing),
                answers,
            )
            .spoils(
                thing
                    .value
                    .spoils
                    .max(chosen.iter().map(|p| p.spoils).min().flatten()),
            )
            .one(
                Phrasing::new(format!("Who plays {name} in {scope}?"))
                    .statement(format!("{{}} plays {name} in {scope}.")),
            )
            .many(
                Phrasing::new(format!("Which of these actors plays {name} in {scope}?"))
                    .typed(format!(
                        "{} is played by more than one actor in {scope}. Name one of them.",
                        capitalised(name)
                    ))
                    .statement(format!("{{}} plays {name} in {scope}.")),
            )
            .sentence(format!(
                "{} is played by {{}} in {scope}.",
                capitalised(name)
            ))
            .source(rows_source(cat, &chosen))
            .exclude(all.iter().cloned())
            .exclude(overlapping.iter().cloned())
            .tier(same)
            .tier(any)
            .uses(format!("entity:{id}"));
            for p in &chosen {
                for r in &p.rows {
                    ask = ask.uses(format!("cast[{r}]"));
                }
            }
            out.push(ask);
        };
        if disjoint {
            // Say which: one question per actor, scoped to their seasons.
            for p in parts {
                let seasons: Vec<String> = p.seasons.iter().map(|s| format!("s{s}")).collect();
                let scope = format!("{} of {t}", seasons_phrase(&p.seasons));
                let fact = format!("cast:{id}.{}", seasons.join("-"));
                add(fact, scope, vec![p]);
            }
        } else {
            add(format!("cast:{id}"), t.clone(), parts.iter().collect());
        }
    }
}

/// The source of the first cast row behind these parts.
fn rows_source<'p>(cat: &Catalog<'p>, parts: &[&Part]) -> Option<&'p str> {
    let row = *parts.first()?.rows.first()?;
    cat.pack.data.cast.get(row)?.source.as_deref()
}

/// One actor's parts, by character id.
struct ActorParts<'a> {
    key: String,
    actor: String,
    chars: Vec<(&'a str, &'a Part)>,
}

fn which_character(cat: &Catalog, rows: &[(usize, &CastMember)], out: &mut Vec<Ask>) {
    let t = &cat.title;
    let by_char = parts_by_character(cat, rows);
    // Each actor's characters, in pack order.
    let mut actors: Vec<ActorParts> = Vec::new();
    for (id, parts) in &by_char {
        for p in parts {
            match actors.iter_mut().find(|a| a.key == p.key) {
                Some(a) => a.chars.push((id, p)),
                None => actors.push(ActorParts {
                    key: p.key.clone(),
                    actor: p.actor.clone(),
                    chars: vec![(id, p)],
                }),
            }
        }
    }
    let characters: Vec<V> = cat.kind_values(EntityKind::Character);
    for ActorParts { actor, chars, .. } in actors {
        let answers: Vec<V> = chars
            .iter()
            .filter_map(|(id, p)| {
                let thing = cat.thing(id)?;
                let v = &thing.value;
                Some(Value::new(
                    v.text.clone(),
                    v.aliases.clone(),
                    v.spoils.max(p.spoils),
                ))
            })
            .collect();
        if answers.is_empty() {
            continue;
        }
        let billing = chars
            .iter()
            .map(|(_, p)| p.billing)
            .min()
            .unwrap_or(Billing::Guest);
        let shared = |id: &str| by_char.iter().any(|(c, parts)| *c == id && parts.len() > 1);
        let fact = match chars.as_slice() {
            [(id, _)] if !shared(id) => format!("cast:{id}"),
            _ => format!("cast.actor:{}", slug(&actor)),
        };
        let same_billing: Vec<V> = by_char
            .iter()
            .filter(|(_, parts)| parts.iter().any(|p| p.billing == billing))
            .filter_map(|(id, _)| cat.thing(id).map(|x| x.value.clone()))
            .collect();
        // A one-to-one pair's true/false statements are the who-plays template's already.
        let one = Phrasing::new(format!("Which character does {actor} play in {t}?"));
        let one = match fact.starts_with("cast.actor:") {
            true => one.statement(format!("{actor} plays {{}} in {t}.")),
            false => one,
        };
        let mut ask = Ask::new(
            fact,
            "which-character",
            Category::Cast,
            difficulty(billing),
            answers,
        )
        .one(one)
        .many(
            Phrasing::new(format!(
                "Which of these characters does {actor} play in {t}?"
            ))
            .typed(format!(
                "{actor} plays more than one character in {t}. Name one of them."
            ))
            .statement(format!("{actor} plays {{}} in {t}.")),
        )
        .sentence(format!("In {t}, {actor} plays {{}}."))
        .tier(same_billing)
        .tier(characters.iter().cloned());
        ask.spoils = chars.iter().map(|(_, p)| p.spoils).min().flatten();
        for (id, p) in &chars {
            ask = ask.uses(format!("entity:{id}"));
            for r in &p.rows {
                ask = ask.uses(format!("cast[{r}]"));
            }
        }
        out.push(ask);
    }
}

/// "Which of these actors is in the main cast of season N?": wrong options are actors of
/// that season who are not main cast in it.
fn main_cast(cat: &Catalog, rows: &[(usize, &CastMember)], out: &mut Vec<Ask>) {
    let t = &cat.title;
    let mut seasons: Vec<u32> = rows.iter().flat_map(|(_, r)| r.seasons.clone()).collect();
    seasons.sort_unstable();
    seasons.dedup();
    for n in seasons {
        let in_season: Vec<&(usize, &CastMember)> = rows
            .iter()
            .filter(|(_, r)| r.seasons.contains(&n))
            .collect();
        let main_keys: Vec<String> = in_season
            .iter()
            .filter(|(_, r)| r.billing == Billing::Main)
            .map(|(_, r)| cat.person_key(&r.actor))
            .collect();
        if main_keys.is_empty() {
            continue;
        }
        let start = Some(season_start(n));
        let value = |r: &CastMember| cat.person(&r.actor, cat.row_spoils(r).max(start));
        let answers: Vec<V> = in_season
            .iter()
            .filter(|(_, r)| r.billing == Billing::Main)
            .map(|(_, r)| value(r))
            .collect();
        let others: Vec<V> = in_season
            .iter()
            .filter(|(_, r)| !main_keys.contains(&cat.person_key(&r.actor)))
            .map(|(_, r)| value(r))
            .collect();
        let words = Phrasing::new(format!(
            "Which of these actors is in the main cast of season {n} of {t}?"
        ))
        .typed(format!(
            "Name an actor in the main cast of season {n} of {t}."
        ))
        .statement(format!("{{}} is in the main cast of season {n} of {t}."));
        let mut ask = Ask::new(
            format!("cast.main:S{n}"),
            "main-cast",
            Category::Cast,
            Difficulty::Medium,
            answers,
        )
        .spoils(start)
        .one(words.clone())
        .many(words)
        .sentence(format!("The main cast of season {n} of {t}: {{}}."))
        .tier(others);
        for (i, _) in &in_season {
            ask = ask.uses(format!("cast[{i}]"));
        }
        out.push(ask);
    }
}

/// "Patrick Stewart reprises the role of Jean-Luc Picard. In which earlier series did the role
/// originate?" Asked about the origin because a character may have been in several earlier
/// series (Worf: The Next Generation and Deep Space Nine), and only the first is unambiguous.
/// Typed only: no other series is a safe wrong option.
fn reprises(cat: &Catalog, rows: &[(usize, &CastMember)], out: &mut Vec<Ask>) {
    let franchise = cat.pack.data.series.franchise.as_deref();
    // One question per actor and series, using every row that says so.
    type Rows<'a> = Vec<(usize, &'a CastMember)>;
    let mut groups: Vec<((String, String), Rows)> = Vec::new();
    for &(i, row) in rows {
        let Some(from) = &row.reprises_from else {
            continue;
        };
        let key = (cat.person_key(&row.actor), fold(from));
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, g)) => g.push((i, row)),
            None => groups.push((key, vec![(i, row)])),
        }
    }
    for (_, group) in groups {
        let (_, row) = group[0];
        let Some(from) = &row.reprises_from else {
            continue;
        };
        let mut names: Vec<String> = Vec::new();
        for (_, r) in &group {
            for c in &r.characters {
                if let Some(e) = cat.pack.entity(c)
                    && !names.contains(&e.name)
                {
                    names.push(e.name.clone());
                }
            }
        }
        let role = if names.len() == 1 { "role" } else { "roles" };
        let mut aliases = Vec::new();
        // "Star Trek: The Next Generation" may be typed as "The Next Generation".
        if let Some(rest) = franchise
            .and_then(|f| from.strip_prefix(f))
            .and_then(|r| r.strip_prefix(':'))
        {
            aliases.push(rest.trim().to_string());
        }
        let actor = &row.actor;
        let chars = list_and(&names);
        let spoils = group.iter().map(|(_, r)| cat.row_spoils(r)).min().flatten();
        let mut ask = Ask::new(
            format!("cast.reprise:{}", slug(actor)),
            "reprise",
            Category::Cast,
            Difficulty::Medium,
            vec![Value::plain(from.clone(), aliases)],
        )
        .spoils(spoils)
        .one(Phrasing::new(format!(
            "{actor} reprises the {role} of {chars} in {}. In which earlier series did the {role} originate?",
            cat.title
        )))
        .sentence(format!(
            "{actor} reprises the {role} of {chars}, which originated in {{}}."
        ))
        .source(row.source.as_deref())
        .forms(Forms::TYPED_ONLY);
        for (i, _) in &group {
            ask = ask.uses(format!("cast[{i}].reprises_from"));
        }
        out.push(ask);
    }
}
