//! Readable cards: the lines shown for a hit, with spoilers after the limit left out.

use super::docs::{
    Doc, Person, Role, SeriesFact, Target, billing_label, cast_reveals, character_names,
    episode_title, plural, seasons_label,
};
use super::{Card, Index, visible};
use crate::facts::{CastMember, EntityKind, EpisodeCode, FactPack};
use crate::text::english::{list_and, ordinal_digits};

/// At most this many plot points on an episode or entity card.
const MAX_PLOT_LINES: usize = 6;
/// At most this many episodes listed in one crew line.
const MAX_EPISODES_LISTED: usize = 8;

pub(crate) fn build(index: &Index, doc: &Doc, limit: Option<EpisodeCode>) -> Card {
    let pack = &index.pack;
    let mut card = Card {
        key: doc.key.clone(),
        kind: doc.kind,
        title: index.title_within(doc, limit),
        lines: Vec::new(),
        source: None,
    };
    match doc.target {
        Target::Series(fact) => series(pack, fact, limit, &mut card),
        Target::Milestone(i) => {
            let m = &pack.data.series.milestones[i];
            card.lines
                .push(m.statement.replace("{date}", &m.date.long()));
            card.source = m.source.clone();
        }
        Target::Season(n) => season(pack, n, limit, &mut card),
        Target::Episode(code) => episode(pack, code, &mut card),
        Target::Person(i) => person(pack, &index.people[i], limit, &mut card),
        Target::Entity(i) => entity(pack, i, limit, &mut card),
        Target::PlotPoint(i) => {
            let p = &pack.data.plot_points[i];
            card.lines.push(p.plain());
            if let Some(e) = pack.episode(p.episode) {
                card.lines.push(format!("Episode: {}", episode_title(e)));
            }
            if let Some(answer) = p.answer_span() {
                card.lines.push(format!("Answer: {answer}"));
            }
            card.source = p.source.clone();
        }
    }
    if card.source.is_none() {
        card.source = pack.data.pack.sources.first().map(|s| match &s.url {
            Some(url) => format!("{} <{url}>", s.name),
            None => s.name.clone(),
        });
    }
    card
}

fn series(pack: &FactPack, fact: SeriesFact, limit: Option<EpisodeCode>, card: &mut Card) {
    let s = &pack.data.series;
    let title = &s.title;
    let lines = &mut card.lines;
    let seasons = pack
        .data
        .seasons
        .iter()
        .filter(|season| visible(Some(super::docs::season_start(season.number)), limit));
    match fact {
        SeriesFact::Overview => {
            if !s.aliases.is_empty() {
                lines.push(format!("Also known as {}", list_and(&s.aliases)));
            }
            if let (Some(f), Some(n)) = (&s.franchise, s.franchise_position) {
                lines.push(format!(
                    "The {} series in the {f} franchise",
                    ordinal_digits(n)
                ));
            }
            if !s.creators.is_empty() {
                lines.push(format!("Created by {}", list_and(&s.creators)));
            }
            if let Some(n) = &s.network {
                lines.push(format!("Network: {n}"));
            }
            if let Some(p) = s.premiere {
                lines.push(format!("Premiered {}", p.long()));
            }
            let count: u32 = pack.data.seasons.iter().map(|s| s.episode_count).sum();
            let n = pack.data.seasons.len();
            if n > 0 {
                lines.push(format!("{n} season{}, {count} episodes", plural(n)));
            }
            if let Some(b) = &s.based_on {
                lines.push(format!("Based on {b}"));
            }
        }
        SeriesFact::Premiere => {
            if let Some(p) = s.premiere {
                let on = s
                    .network
                    .as_ref()
                    .map_or(String::new(), |n| format!(" on {n}"));
                lines.push(format!("{title} premiered on {}{on}.", p.long()));
            }
            for season in seasons {
                if let Some(p) = season.premiere {
                    lines.push(format!(
                        "Season {} premiered on {}.",
                        season.number,
                        p.long()
                    ));
                }
            }
        }
        SeriesFact::End => {
            if let Some(e) = s.end {
                lines.push(format!(
                    "The last episode of {title} aired on {}.",
                    e.long()
                ));
            }
        }
        SeriesFact::Creators => {
            lines.push(format!("{title} was created by {}.", list_and(&s.creators)))
        }
        SeriesFact::Composers => lines.push(format!("Music: {}", list_and(&s.composers))),
        SeriesFact::Network => {
            if let Some(n) = &s.network {
                lines.push(format!("{title} was first released on {n}."));
            }
            if !s.network_aliases.is_empty() {
                lines.push(format!("Also known as {}", list_and(&s.network_aliases)));
            }
        }
        SeriesFact::Episodes => {
            let total: u32 = pack.data.seasons.iter().map(|s| s.episode_count).sum();
            lines.push(format!("{title} has {total} episodes."));
            for season in seasons {
                lines.push(format!(
                    "Season {}: {} episode{}{}",
                    season.number,
                    season.episode_count,
                    plural(season.episode_count as usize),
                    run(season.premiere, season.finale)
                ));
            }
        }
        SeriesFact::Seasons => {
            let n = pack.data.seasons.len();
            lines.push(format!("{title} has {n} season{}.", plural(n)));
            for season in seasons {
                lines.push(format!(
                    "Season {}: {} episodes{}",
                    season.number,
                    season.episode_count,
                    run(season.premiere, season.finale)
                ));
            }
        }
        SeriesFact::ProductionCompanies => {
            if !s.production_companies.is_empty() {
                lines.push(list_and(&s.production_companies));
            }
            for season in seasons.filter(|s| !s.production_companies.is_empty()) {
                lines.push(format!(
                    "Season {}: {}",
                    season.number,
                    list_and(&season.production_companies)
                ));
            }
        }
        SeriesFact::Distributor => lines.extend(s.distributor.clone()),
        SeriesFact::ExecutiveProducers => lines.push(list_and(&s.executive_producers)),
        SeriesFact::Showrunners => {
            if !s.showrunners.is_empty() {
                lines.push(format!("Series: {}", list_and(&s.showrunners)));
            }
            for season in seasons.filter(|s| !s.showrunners.is_empty()) {
                lines.push(format!(
                    "Season {}: {}",
                    season.number,
                    list_and(&season.showrunners)
                ));
            }
        }
        SeriesFact::Country => lines.extend(s.country.clone()),
        SeriesFact::Language => lines.extend(s.language.clone()),
        SeriesFact::BasedOn => lines.extend(s.based_on.iter().map(|b| format!("Based on {b}"))),
        SeriesFact::Setting => {
            lines.extend(s.setting.clone());
            for season in seasons {
                if let Some(set) = &season.setting {
                    lines.push(format!("Season {}: {set}", season.number));
                }
            }
        }
        SeriesFact::Filming => {
            if let Some(f) = &s.filming {
                if let Some(start) = f.start {
                    lines.push(format!("Filming began in {}", start.long()));
                }
                if let Some(end) = f.end {
                    lines.push(format!("Filming ended in {}", end.long()));
                }
                if let Some(loc) = &f.location {
                    lines.push(format!("Location: {loc}"));
                }
            }
        }
        SeriesFact::Franchise => {
            if let Some(f) = &s.franchise {
                lines.push(match s.franchise_position {
                    Some(n) => {
                        format!(
                            "{title} is the {} series in the {f} franchise.",
                            ordinal_digits(n)
                        )
                    }
                    None => format!("{title} is part of the {f} franchise."),
                });
            }
        }
    }
}

/// " (23 January 2020 – 26 March 2020)".
fn run(start: Option<crate::facts::PartialDate>, end: Option<crate::facts::PartialDate>) -> String {
    match (start, end) {
        (Some(s), Some(e)) => format!(" ({} – {})", s.long(), e.long()),
        (Some(s), None) => format!(" (from {})", s.long()),
        _ => String::new(),
    }
}

fn season(pack: &FactPack, n: u32, limit: Option<EpisodeCode>, card: &mut Card) {
    let Some(s) = pack.season(n) else { return };
    let lines = &mut card.lines;
    lines.push(format!(
        "{} episode{}{}",
        s.episode_count,
        plural(s.episode_count as usize),
        run(s.premiere, s.finale)
    ));
    if !s.showrunners.is_empty() {
        lines.push(format!("Showrunners: {}", list_and(&s.showrunners)));
    }
    if !s.production_companies.is_empty() {
        lines.push(format!(
            "Production companies: {}",
            list_and(&s.production_companies)
        ));
    }
    if let Some(set) = &s.setting {
        lines.push(format!("Set in {set}"));
    }
    lines.extend(s.notes.iter().cloned());
    for e in pack.data.episodes.iter().filter(|e| e.season == n) {
        if visible(Some(e.code()), limit) {
            lines.push(episode_title(e));
        }
    }
}

fn episode(pack: &FactPack, code: EpisodeCode, card: &mut Card) {
    let Some(e) = pack.episode(code) else { return };
    let lines = &mut card.lines;
    lines.push(format!(
        "Season {}, episode {} ({} overall)",
        e.season,
        e.number,
        ordinal_digits(e.overall)
    ));
    lines.push(format!("Aired {}", e.air_date.long()));
    if !e.directors.is_empty() {
        lines.push(format!("Directed by {}", list_and(&e.directors)));
    }
    if !e.teleplay.is_empty() || !e.story.is_empty() {
        let mut parts = Vec::new();
        if !e.teleplay.is_empty() {
            parts.push(format!("teleplay by {}", list_and(&e.teleplay)));
        }
        if !e.story.is_empty() {
            parts.push(format!("story by {}", list_and(&e.story)));
        }
        lines.push(capitalise(&parts.join("; ")));
    } else if !e.writers.is_empty() {
        lines.push(format!("Written by {}", list_and(&e.writers)));
    }
    if let Some(rt) = &e.running_time {
        let mut line = format!("Running time: {} minutes", rt.minutes);
        if !rt.verified {
            line.push_str(" (unverified");
            if let Some(note) = &rt.note {
                line.push_str(": ");
                line.push_str(note);
            }
            line.push(')');
        }
        lines.push(line);
    }
    if let Some(s) = &e.synopsis {
        lines.push(s.clone());
    }
    let plot: Vec<String> = pack
        .data
        .plot_points
        .iter()
        .filter(|p| p.episode == code)
        .map(|p| format!("• {}", p.plain()))
        .take(MAX_PLOT_LINES)
        .collect();
    lines.extend(plot);
    card.source = e.source.clone();
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// "Evan Evagora as Elnor — main cast, seasons 1–2".
fn cast_line(pack: &FactPack, row: &CastMember, limit: Option<EpisodeCode>) -> String {
    let characters = character_names(pack, row, limit);
    let mut line = format!(
        "{} as {} — {}, {}",
        row.actor,
        list_and(&characters),
        billing_label(row.billing),
        seasons_label(&row.seasons)
    );
    if let Some(from) = &row.reprises_from {
        line.push_str(&format!(" (reprising the role from {from})"));
    }
    // A note is free text that may name later events: left out under a spoiler limit.
    if let Some(note) = row.note.as_ref().filter(|_| limit.is_none()) {
        line.push_str(&format!("; {note}"));
    }
    line
}

fn person(pack: &FactPack, p: &Person, limit: Option<EpisodeCode>, card: &mut Card) {
    let lines = &mut card.lines;
    if !p.aliases.is_empty() {
        lines.push(format!("Also credited as {}", list_and(&p.aliases)));
    }
    for row in &p.cast {
        let row = &pack.data.cast[*row];
        if visible(cast_reveals(pack, row), limit) {
            lines.push(cast_line(pack, row, limit));
            if card.source.is_none() {
                card.source = row.source.clone();
            }
        }
    }
    let mut directed = Vec::new();
    let mut wrote = Vec::new();
    for role in &p.roles {
        if !visible(role.episode(), limit) {
            continue;
        }
        match role {
            Role::Creator => lines.push(format!("Co-creator of {}", pack.data.series.title)),
            Role::Showrunner(None) => lines.push("Showrunner of the series".into()),
            Role::Showrunner(Some(s)) => lines.push(format!("Showrunner of season {s}")),
            Role::ExecutiveProducer => lines.push("Executive producer".into()),
            Role::Composer => lines.push("Composer".into()),
            Role::Director(code) => directed.push(*code),
            Role::Writer(code) => wrote.push(*code),
        }
    }
    for (verb, codes) in [("Directed", directed), ("Wrote", wrote)] {
        if codes.is_empty() {
            continue;
        }
        let mut names: Vec<String> = codes
            .iter()
            .take(MAX_EPISODES_LISTED)
            .map(|c| match pack.episode(*c) {
                Some(e) => format!("{c} “{}”", e.title),
                None => c.to_string(),
            })
            .collect();
        if codes.len() > MAX_EPISODES_LISTED {
            names.push(format!("{} more", codes.len() - MAX_EPISODES_LISTED));
        }
        lines.push(format!("{verb} {}", list_and(&names)));
    }
}

fn entity(pack: &FactPack, i: usize, limit: Option<EpisodeCode>, card: &mut Card) {
    let e = &pack.data.entities[i];
    let lines = &mut card.lines;
    let what = match (&e.subtype, e.kind) {
        (Some(sub), _) => capitalise(sub),
        (None, kind) => capitalise(kind.as_str()),
    };
    lines.push(what);
    if !e.aliases.is_empty() {
        lines.push(format!("Also called {}", list_and(&e.aliases)));
    }
    if let Some(d) = &e.description {
        lines.push(d.clone());
    }
    if e.kind == EntityKind::Character {
        for row in pack
            .data
            .cast
            .iter()
            .filter(|r| r.characters.contains(&e.id))
        {
            if visible(cast_reveals(pack, row), limit) {
                lines.push(cast_line(pack, row, limit));
            }
        }
    }
    if let Some(code) = e.introduced {
        match pack.episode(code) {
            Some(ep) => lines.push(format!("First seen in {code} “{}”", ep.title)),
            None => lines.push(format!("First seen in {code}")),
        }
    }
    let plot: Vec<String> = pack
        .data
        .plot_points
        .iter()
        .filter(|p| p.entity.as_deref() == Some(e.id.as_str()))
        .filter(|p| visible(Some(p.episode), limit))
        .map(|p| format!("• {}: {}", p.episode, p.plain()))
        .take(MAX_PLOT_LINES)
        .collect();
    lines.extend(plot);
    card.source = e.source.clone();
}
