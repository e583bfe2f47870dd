//! Which facts of a pack the templates turn into questions, and which they leave unused.
//!
//! The inventory lists every fact a pack holds, by kind (a series field, a milestone, a season
//! field, an episode field, a cast row, an entity by kind, a plot point), each with a key. A
//! template's ask names the keys it uses; an item is used when some ask that uses it gave at
//! least one question. Free text (synopses, notes, descriptions, `based_on`, a setting that is
//! not a year) and unverified running times are never asked, by design, and are listed so.

use std::collections::BTreeMap;

use super::templates::setting_year;
use super::{GenerateOptions, realise_all};
use crate::facts::{EntityKind, FactPack};

/// How one kind of fact is covered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindCoverage {
    /// "series.creators", "episode.directors", "entity.place", "plot_point", …
    pub kind: String,
    /// Items of this kind in the pack.
    pub items: usize,
    /// Items that a template may ask (not free text, not unverified).
    pub askable: usize,
    /// Items that gave at least one question.
    pub used: usize,
    /// Questions that use an item of this kind.
    pub questions: usize,
}

/// A fact no question uses, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unused {
    pub kind: String,
    pub key: String,
    pub why: &'static str,
}

/// The coverage of one pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    pub kinds: Vec<KindCoverage>,
    pub unused: Vec<Unused>,
    /// Questions generated in all.
    pub questions: usize,
}

const FREE_TEXT: &str = "free text: no template asks it";
const UNVERIFIED: &str = "unverified: never asked";
const NOTHING_TO_ASK: &str =
    "nothing to ask: no subtype, first episode, cast row or plot point names it";
const NO_QUESTION: &str = "no question: too few values of its kind, or beyond what a template asks";

struct Item {
    kind: String,
    key: String,
    /// Why it is never asked, if it is not askable.
    not_askable: Option<&'static str>,
}

/// Every fact the pack holds.
fn inventory(pack: &FactPack) -> Vec<Item> {
    let d = &pack.data;
    let s = &d.series;
    let mut items = Vec::new();
    let mut add = |kind: &str, key: String, not_askable: Option<&'static str>| {
        items.push(Item {
            kind: kind.to_string(),
            key,
            not_askable,
        })
    };
    let series_fields: [(&str, bool); 15] = [
        ("premiere", s.premiere.is_some()),
        ("end", s.end.is_some()),
        ("creators", !s.creators.is_empty()),
        ("showrunners", !s.showrunners.is_empty()),
        ("executive_producers", !s.executive_producers.is_empty()),
        ("composers", !s.composers.is_empty()),
        ("production_companies", !s.production_companies.is_empty()),
        ("distributor", s.distributor.is_some()),
        ("network", s.network.is_some()),
        ("country", s.country.is_some()),
        ("language", s.language.is_some()),
        ("franchise_position", s.franchise_position.is_some()),
        (
            "filming.start",
            s.filming.as_ref().is_some_and(|f| f.start.is_some()),
        ),
        (
            "filming.end",
            s.filming.as_ref().is_some_and(|f| f.end.is_some()),
        ),
        (
            "filming.location",
            s.filming.as_ref().is_some_and(|f| f.location.is_some()),
        ),
    ];
    for (field, present) in series_fields {
        if present {
            add(&format!("series.{field}"), format!("series.{field}"), None);
        }
    }
    if let Some(setting) = &s.setting {
        let why = setting_year(setting).is_none().then_some(FREE_TEXT);
        add("series.setting", "series.setting".into(), why);
    }
    if s.based_on.is_some() {
        add("series.based_on", "series.based_on".into(), Some(FREE_TEXT));
    }
    for m in &s.milestones {
        add("milestone", format!("milestone:{}", m.id), None);
    }
    for season in &d.seasons {
        let k = |f: &str| format!("season:{}.{f}", season.number);
        add("season.episode_count", k("episode_count"), None);
        if season.premiere.is_some() {
            add("season.premiere", k("premiere"), None);
        }
        if season.finale.is_some() {
            add("season.finale", k("finale"), None);
        }
        if !season.showrunners.is_empty() {
            add("season.showrunners", k("showrunners"), None);
        }
        if !season.production_companies.is_empty() {
            add(
                "season.production_companies",
                k("production_companies"),
                None,
            );
        }
        if let Some(setting) = &season.setting {
            let why = setting_year(setting).is_none().then_some(FREE_TEXT);
            add("season.setting", k("setting"), why);
        }
        for (i, _) in season.notes.iter().enumerate() {
            add(
                "season.notes",
                format!("{}[{i}]", k("notes")),
                Some(FREE_TEXT),
            );
        }
    }
    for e in &d.episodes {
        let k = |f: &str| format!("episode:{}.{f}", e.code());
        add("episode.title", k("title"), None);
        add("episode.air_date", k("air_date"), None);
        if !e.directors.is_empty() {
            add("episode.directors", k("directors"), None);
        }
        if !(e.writers.is_empty() && e.teleplay.is_empty() && e.story.is_empty()) {
            add("episode.writers", k("writers"), None);
        }
        if let Some(rt) = &e.running_time {
            add(
                "episode.running_time",
                k("running_time"),
                (!rt.verified).then_some(UNVERIFIED),
            );
        }
        if e.synopsis.is_some() {
            add("episode.synopsis", k("synopsis"), Some(FREE_TEXT));
        }
    }
    for (i, row) in d.cast.iter().enumerate() {
        add("cast", format!("cast[{i}]"), None);
        if row.reprises_from.is_some() {
            add(
                "cast.reprises_from",
                format!("cast[{i}].reprises_from"),
                None,
            );
        }
    }
    for e in &d.entities {
        // An entity is asked through its kind or subtype, its first episode, its cast rows or
        // a plot point that has it as the answer; with none of these there is nothing to ask.
        let in_cast = d.cast.iter().any(|r| r.characters.contains(&e.id));
        let in_plot = d
            .plot_points
            .iter()
            .any(|p| p.entity.as_ref() == Some(&e.id));
        let typed = match e.kind {
            EntityKind::Character => in_cast,
            EntityKind::Thing => e.subtype.is_some(),
            _ => true,
        };
        let askable = typed || e.introduced.is_some() || in_plot;
        add(
            &format!("entity.{}", e.kind.as_str()),
            format!("entity:{}", e.id),
            (!askable).then_some(NOTHING_TO_ASK),
        );
        if e.description.is_some() {
            add(
                "entity.description",
                format!("entity:{}.description", e.id),
                Some(FREE_TEXT),
            );
        }
    }
    for (i, p) in d.plot_points.iter().enumerate() {
        let k = d.plot_points[..i]
            .iter()
            .filter(|q| q.episode == p.episode)
            .count()
            + 1;
        add("plot_point", format!("plot:{}.{k}", p.episode), None);
    }
    items
}

/// How the pack's facts are covered by questions (seed 0, no spoiler limit).
pub fn coverage(pack: &FactPack) -> Coverage {
    let mut questions_per_key: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = Vec::new();
    realise_all(
        pack,
        &GenerateOptions::default(),
        |ask, n| {
            if n > 0 {
                for key in &ask.uses {
                    *questions_per_key.entry(key.clone()).or_default() += n;
                }
            }
        },
        &mut out,
    );
    let items = inventory(pack);
    let mut kinds: Vec<KindCoverage> = Vec::new();
    let mut unused = Vec::new();
    for item in &items {
        let n = questions_per_key.get(&item.key).copied().unwrap_or(0);
        let i = match kinds.iter().position(|k| k.kind == item.kind) {
            Some(i) => i,
            None => {
                kinds.push(KindCoverage {
                    kind: item.kind.clone(),
                    items: 0,
                    askable: 0,
                    used: 0,
                    questions: 0,
                });
                kinds.len() - 1
            }
        };
        let k = &mut kinds[i];
        k.items += 1;
        k.askable += usize::from(item.not_askable.is_none());
        k.used += usize::from(n > 0);
        k.questions += n;
        if n == 0 {
            unused.push(Unused {
                kind: item.kind.clone(),
                key: item.key.clone(),
                why: item.not_askable.unwrap_or(NO_QUESTION),
            });
        }
    }
    Coverage {
        kinds,
        unused,
        questions: out.len(),
    }
}
