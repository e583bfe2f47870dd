//! Places, ships, organisations, species and things: "Which of these is a starship?" (wrong
//! options are entities of other kinds, so never secretly right) and "In which episode does
//! the planet Vashti first appear?".

use crate::facts::{Entity, EntityKind};
use crate::quiz::ask::{Ask, Forms, Phrasing};
use crate::quiz::catalog::Catalog;
use crate::quiz::phrase::{article, capitalised, quoted};
use crate::quiz::value::V;
use crate::quiz::{Category, Difficulty};
use crate::text::fold;

pub fn asks(cat: &Catalog, out: &mut Vec<Ask>) {
    for things in cat.things.values() {
        for thing in things {
            kind_ask(cat, thing.entity, &thing.value, out);
            introduced_ask(cat, thing.entity, out);
        }
    }
}

/// What the entity is, for a prompt: its subtype, else its kind (None for an untyped thing).
fn noun(e: &Entity) -> Option<String> {
    if let Some(sub) = e.subtype.as_deref().filter(|s| !s.trim().is_empty()) {
        return Some(sub.trim().to_string());
    }
    match e.kind {
        EntityKind::Thing => None,
        kind => Some(kind.as_str().to_string()),
    }
}

/// Kinds whose members may pass for each other: a collective such as the Borg is both a
/// species and an organisation, a station both a place and a ship. They never serve as each
/// other's wrong options in "Which of these is …?".
fn overlaps(a: EntityKind, b: EntityKind) -> bool {
    use EntityKind::{Organisation, Place, Ship, Species};
    a == b
        || matches!(
            (a, b),
            (Species, Organisation) | (Organisation, Species) | (Place, Ship) | (Ship, Place)
        )
}

fn kind_ask(cat: &Catalog, e: &Entity, value: &V, out: &mut Vec<Ask>) {
    if e.kind == EntityKind::Character {
        return;
    }
    let Some(noun) = noun(e) else { return };
    let t = &cat.title;
    let a = article(&noun);
    // Any entity of the same kind might be one too (a "homeworld" is a planet): never offered.
    let same_kind = cat.kind_values(e.kind);
    let other_kinds = |characters: bool| -> Vec<V> {
        cat.things
            .iter()
            .filter(|(k, _)| !overlaps(**k, e.kind) && (**k == EntityKind::Character) == characters)
            .flat_map(|(_, v)| v.iter().map(|t| t.value.clone()))
            .collect()
    };
    out.push(
        Ask::new(
            format!("entity:{}.kind", e.id),
            "which-is",
            Category::Universe,
            Difficulty::Medium,
            vec![value.clone()],
        )
        .spoils(value.spoils)
        .source(e.source.as_deref())
        .one(
            Phrasing::new(format!("Which of these is {a} {noun} in {t}?"))
                .statement(format!("{{}} is {a} {noun} in {t}.")),
        )
        .sentence(format!("{{}} is {a} {noun} in {t}."))
        .exclude(same_kind)
        .tier(other_kinds(false))
        .tier(other_kinds(true))
        .forms(Forms::OPTIONS_ONLY)
        .uses(format!("entity:{}", e.id)),
    );
}

fn introduced_ask(cat: &Catalog, e: &Entity, out: &mut Vec<Ask>) {
    let Some(code) = e.introduced else { return };
    let Some(title) = cat.title_of(code) else {
        return;
    };
    let t = &cat.title;
    // "the planet Vashti", but "Fleet Museum", not "the museum Fleet Museum".
    let named = match (e.kind, noun(e)) {
        (EntityKind::Character, _) | (_, None) => e.name.clone(),
        (_, Some(noun))
            if format!(" {} ", fold(&e.name)).contains(&format!(" {} ", fold(&noun))) =>
        {
            e.name.clone()
        }
        (_, Some(noun)) => format!("the {noun} {}", e.name),
    };
    let same_season: Vec<V> = cat
        .season_episodes(code.season)
        .map(|(_, v)| v.clone())
        .collect();
    let other: Vec<V> = cat
        .episodes
        .iter()
        .zip(&cat.titles)
        .filter(|(x, _)| x.season != code.season)
        .map(|(_, v)| v.clone())
        .collect();
    out.push(
        Ask::new(
            format!("entity:{}.introduced", e.id),
            "introduced",
            Category::Universe,
            Difficulty::Hard,
            vec![title.clone()],
        )
        .spoils(Some(code))
        .source(e.source.as_deref())
        .one(
            Phrasing::new(format!(
                "In which episode of {t} does {named} first appear?"
            ))
            .statement(format!(
                "{} first appears in {t} in the episode \"{{}}\".",
                capitalised(&named)
            )),
        )
        .sentence(format!(
            "{} first appears in {} ({code}).",
            capitalised(&named),
            quoted(&title.text)
        ))
        .tier(same_season)
        .tier(other)
        .uses(format!("entity:{}", e.id)),
    );
}
