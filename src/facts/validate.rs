//! Checks that need the whole pack: unique ids, references that resolve, counts that agree,
//! plot-point spans, milestone placeholders, required texts. Every check adds an [`Issue`] with
//! the path of the offending value; nothing stops at the first mistake.
//!
//! When a section lost an element to a reading error ([`Items::complete`] is false), checks that
//! look things up in that section are skipped: the reading error is the real mistake.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::diagnostic::ErrorKind;
use super::load::{At, Draft, FieldPath, Issue, Items};
use super::model::*;
use crate::text::fold;

/// Every semantic mistake in `draft`.
pub(crate) fn check(draft: &Draft) -> Vec<Issue> {
    let mut v = Validator {
        draft,
        issues: Vec::new(),
    };
    v.meta();
    v.series();
    v.milestones();
    v.seasons();
    v.episodes();
    v.cast();
    v.people();
    v.entities();
    v.plot_points();
    v.issues
}

struct Validator<'a> {
    draft: &'a Draft,
    issues: Vec<Issue>,
}

fn root() -> FieldPath {
    FieldPath::default()
}

fn item(section: &str, index: usize) -> FieldPath {
    root().key(section).index(index)
}

impl Validator<'_> {
    fn push(&mut self, kind: ErrorKind, path: FieldPath, message: String, help: &str) {
        self.issues
            .push(Issue::new(kind, At::Path(path), message).help(help));
    }

    /// A required text must not be empty or blank.
    fn text(&mut self, path: FieldPath, value: &str, what: &str, key: &str) {
        if value.trim().is_empty() {
            self.push(
                ErrorKind::EmptyText,
                path.key(key),
                format!("`{key}` of {what} is empty"),
                &format!("write the {key}, or remove {what}"),
            );
        }
    }

    /// Every entry of a list of names must be a real name.
    fn texts(&mut self, path: FieldPath, values: &[String], what: &str, key: &str) {
        for (i, value) in values.iter().enumerate() {
            if value.trim().is_empty() {
                self.push(
                    ErrorKind::EmptyText,
                    path.key(key).index(i),
                    format!("entry {} of `{key}` in {what} is empty", i + 1),
                    "remove the empty string from the list",
                );
            }
        }
    }

    fn meta(&mut self) {
        let Some(meta) = &self.draft.meta else { return };
        let path = root().key("pack");
        let id_ok = !meta.id.is_empty()
            && meta
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !id_ok {
            let suggestion: String = fold(&meta.id).replace(' ', "-");
            let help = if suggestion.is_empty() {
                "use lowercase letters, digits and `-`, e.g. id = \"picard\"".to_string()
            } else {
                format!("use lowercase letters, digits and `-`, e.g. id = \"{suggestion}\"")
            };
            self.push(
                ErrorKind::BadPackId,
                path.key("id"),
                format!(
                    "pack id `{}` is not lowercase letters, digits and `-`",
                    meta.id
                ),
                &help,
            );
        }
        for key in ["title", "description", "version"] {
            let value = match key {
                "title" => &meta.title,
                "description" => &meta.description,
                _ => &meta.version,
            };
            self.text(path.clone(), value, "[pack]", key);
        }
        for (i, source) in meta.sources.iter().enumerate() {
            self.text(
                path.key("sources").index(i),
                &source.name,
                "a source",
                "name",
            );
        }
    }

    fn series(&mut self) {
        let Some(series) = &self.draft.series else {
            return;
        };
        let path = root().key("series");
        let what = "[series]";
        self.text(path.clone(), &series.title, what, "title");
        for (key, list) in [
            ("aliases", &series.aliases),
            ("network_aliases", &series.network_aliases),
            ("creators", &series.creators),
            ("showrunners", &series.showrunners),
            ("executive_producers", &series.executive_producers),
            ("composers", &series.composers),
            ("production_companies", &series.production_companies),
        ] {
            self.texts(path.clone(), list, what, key);
        }
    }

    fn milestones(&mut self) {
        let draft = self.draft;
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, m) in draft.milestones.iter() {
            let path = root().key("series").key("milestones").index(i);
            let what = format!("milestone `{}`", m.id);
            self.text(path.clone(), &m.id, &what, "id");
            self.text(path.clone(), &m.statement, &what, "statement");
            if let Some(first) = seen.insert(&m.id, i) {
                self.push(
                    ErrorKind::DuplicateId,
                    path.key("id"),
                    format!(
                        "milestone id `{}` is used twice (also milestone {})",
                        m.id,
                        first + 1
                    ),
                    "give each milestone its own id",
                );
            }
            if !m.statement.contains("{date}") {
                self.push(
                    ErrorKind::MilestoneDate,
                    path.key("statement"),
                    format!("the statement of {what} has no `{{date}}` placeholder"),
                    "write `{date}` where the date belongs, e.g. \"The series was announced in {date}.\"",
                );
            }
        }
    }

    fn seasons(&mut self) {
        let draft = self.draft;
        let mut seen: HashMap<u32, usize> = HashMap::new();
        // The listed episode numbers of each season.
        let mut listed: BTreeMap<u32, BTreeSet<u32>> = BTreeMap::new();
        for (_, e) in draft.episodes.iter() {
            listed.entry(e.season).or_default().insert(e.number);
        }
        for (i, s) in draft.seasons.iter() {
            let path = item("seasons", i);
            if s.number == 0 {
                self.push(
                    ErrorKind::BadValue,
                    path.key("number"),
                    "season number 0: seasons are numbered from 1".into(),
                    "number the seasons 1, 2, 3...",
                );
            }
            if seen.insert(s.number, i).is_some() {
                self.push(
                    ErrorKind::DuplicateId,
                    path.key("number"),
                    format!("season {} is listed twice", s.number),
                    "keep one [[seasons]] entry per season",
                );
            }
            let what = format!("season {}", s.number);
            self.texts(path.clone(), &s.showrunners, &what, "showrunners");
            self.texts(
                path.clone(),
                &s.production_companies,
                &what,
                "production_companies",
            );
            if !draft.episodes.complete {
                continue;
            }
            let Some(numbers) = listed.get(&s.number) else {
                continue;
            };
            let code = |n: &u32| format!("S{}E{n}", s.number);
            let missing: Vec<String> = (1..=s.episode_count)
                .filter(|n| !numbers.contains(n))
                .map(|n| code(&n))
                .collect();
            let extra: Vec<String> = numbers
                .iter()
                .filter(|n| **n > s.episode_count)
                .map(code)
                .collect();
            if missing.is_empty() && extra.is_empty() {
                continue;
            }
            let message = if numbers.len() as u32 != s.episode_count {
                format!(
                    "season {} has episode_count = {}, but {} of its episodes are listed",
                    s.number,
                    s.episode_count,
                    numbers.len()
                )
            } else {
                let listed: Vec<String> = numbers.iter().map(u32::to_string).collect();
                format!(
                    "season {} has episode_count = {}, but its listed episodes are numbered {}",
                    s.number,
                    s.episode_count,
                    and_list(&listed)
                )
            };
            let mut help = Vec::new();
            if !missing.is_empty() {
                help.push(format!("{} is missing", and_list(&missing)));
            }
            if !extra.is_empty() {
                help.push(format!("{} is beyond the count", and_list(&extra)));
            }
            self.push(
                ErrorKind::EpisodeCount,
                path.key("episode_count"),
                message,
                &format!(
                    "{}: list every episode numbered 1 to episode_count, or correct episode_count",
                    help.join("; ")
                ),
            );
        }
    }

    fn episodes(&mut self) {
        let draft = self.draft;
        let known_seasons: BTreeSet<u32> = draft.seasons.iter().map(|(_, s)| s.number).collect();
        let mut codes: HashMap<EpisodeCode, usize> = HashMap::new();
        let mut overall: HashMap<u32, &Episode> = HashMap::new();
        for (i, e) in draft.episodes.iter() {
            let path = item("episodes", i);
            let what = format!("episode {}", e.code());
            if e.number == 0 || e.overall == 0 {
                let key = if e.number == 0 { "number" } else { "overall" };
                self.push(
                    ErrorKind::BadValue,
                    path.key(key),
                    format!("{what} has {key} = 0: episodes are numbered from 1"),
                    "number episodes from 1",
                );
            }
            if draft.seasons.complete && !known_seasons.contains(&e.season) {
                self.push(
                    ErrorKind::UnknownSeason,
                    path.key("season"),
                    format!(
                        "{what} belongs to season {}, which [[seasons]] does not list",
                        e.season
                    ),
                    &format!(
                        "add a [[seasons]] entry with number = {}, or fix the season",
                        e.season
                    ),
                );
            }
            if codes.insert(e.code(), i).is_some() {
                self.push(
                    ErrorKind::DuplicateId,
                    path.key("number"),
                    format!("{what} is listed twice"),
                    "remove the duplicate or fix its season/number",
                );
            }
            if let Some(other) = overall.insert(e.overall, e) {
                self.push(
                    ErrorKind::DuplicateId,
                    path.key("overall"),
                    format!(
                        "{what} has overall number {}, which {} already has",
                        e.overall,
                        other.code()
                    ),
                    "give each episode its own overall number (its place in the whole series)",
                );
            }
            self.text(path.clone(), &e.title, &what, "title");
            for (key, list) in [
                ("aliases", &e.aliases),
                ("directors", &e.directors),
                ("writers", &e.writers),
                ("teleplay", &e.teleplay),
                ("story", &e.story),
            ] {
                self.texts(path.clone(), list, &what, key);
            }
        }
    }

    fn cast(&mut self) {
        let draft = self.draft;
        let entities = entity_map(&draft.entities);
        let known_seasons: BTreeSet<u32> = draft.seasons.iter().map(|(_, s)| s.number).collect();
        for (i, c) in draft.cast.iter() {
            let path = item("cast", i);
            let what = format!("cast row {} ({})", i + 1, c.actor);
            self.text(path.clone(), &c.actor, &what, "actor");
            if c.characters.is_empty() {
                self.push(
                    ErrorKind::EmptyText,
                    path.key("characters"),
                    format!("{what} lists no characters"),
                    "add the id of the character entity the actor plays",
                );
            }
            for (j, id) in c.characters.iter().enumerate() {
                if !draft.entities.complete {
                    break;
                }
                match entities.get(id.as_str()) {
                    None => self.push(
                        ErrorKind::DanglingReference,
                        path.key("characters").index(j),
                        format!("{what} refers to character `{id}`, which no [[entities]] entry defines"),
                        &format!(
                            "add an entity with id = \"{id}\" and kind = \"character\", or fix the id{}",
                            suggest(id, entities.keys().copied())
                        ),
                    ),
                    Some(e) if e.kind != EntityKind::Character => self.push(
                        ErrorKind::DanglingReference,
                        path.key("characters").index(j),
                        format!("{what} refers to `{id}`, which is a {}, not a character", e.kind.as_str()),
                        "list only ids of entities with kind = \"character\"",
                    ),
                    Some(_) => {}
                }
            }
            if c.seasons.is_empty() {
                self.push(
                    ErrorKind::EmptyText,
                    path.key("seasons"),
                    format!("{what} lists no seasons"),
                    "list the seasons the actor appears in, e.g. seasons = [1, 2]",
                );
            }
            if draft.seasons.complete {
                for (j, s) in c.seasons.iter().enumerate() {
                    if !known_seasons.contains(s) {
                        self.push(
                            ErrorKind::UnknownSeason,
                            path.key("seasons").index(j),
                            format!("{what} is in season {s}, which [[seasons]] does not list"),
                            &format!(
                                "fix the season, or add a [[seasons]] entry with number = {s}"
                            ),
                        );
                    }
                }
            }
        }
    }

    fn people(&mut self) {
        let draft = self.draft;
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, p) in draft.people.iter() {
            let path = item("people", i);
            let what = format!("people entry {} ({})", i + 1, p.name);
            self.text(path.clone(), &p.name, &what, "name");
            self.texts(path.clone(), &p.aliases, &what, "aliases");
            if let Some(first) = seen.insert(fold(&p.name), i) {
                self.push(
                    ErrorKind::DuplicateId,
                    path.key("name"),
                    format!(
                        "{} is listed twice in [[people]] (also entry {})",
                        p.name,
                        first + 1
                    ),
                    "merge the two entries",
                );
            }
        }
    }

    fn entities(&mut self) {
        let draft = self.draft;
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, e) in draft.entities.iter() {
            let path = item("entities", i);
            let what = format!("entity `{}`", e.id);
            self.text(path.clone(), &e.id, &what, "id");
            self.text(path.clone(), &e.name, &what, "name");
            self.texts(path.clone(), &e.aliases, &what, "aliases");
            if let Some(first) = seen.insert(&e.id, i) {
                self.push(
                    ErrorKind::DuplicateId,
                    path.key("id"),
                    format!(
                        "entity id `{}` is used twice (also entities entry {})",
                        e.id,
                        first + 1
                    ),
                    "give each entity its own id",
                );
            }
            if let Some(code) = e.introduced
                && let Err(why) = self.episode_exists(code)
            {
                self.push(
                    ErrorKind::DanglingReference,
                    path.key("introduced"),
                    format!("{what} is introduced in {code}, but {why}"),
                    "fix the episode code, or list that episode",
                );
            }
        }
    }

    fn plot_points(&mut self) {
        let draft = self.draft;
        let entities = entity_map(&draft.entities);
        for (i, p) in draft.plot_points.iter() {
            let path = item("plot_points", i);
            let what = format!("plot point {} ({})", i + 1, p.episode);
            if let Err(why) = self.episode_exists(p.episode) {
                self.push(
                    ErrorKind::DanglingReference,
                    path.key("episode"),
                    format!("{what} is about episode {}, but {why}", p.episode),
                    "fix the episode code, or list that episode",
                );
            }
            let span = p.answer_span();
            if span.is_none() {
                self.push(
                    ErrorKind::PlotSpan,
                    path.key("text"),
                    format!("the text of {what} must mark exactly one answer in [square brackets]"),
                    "write it like \"Picard asks Rios to detour to the planet [Vashti].\"",
                );
            }
            match (&p.entity, &p.kind) {
                (None, None) => self.push(
                    ErrorKind::PlotAnswer,
                    path.clone(),
                    format!("{what} has neither `entity` nor `kind`"),
                    "set entity = \"<entity id>\" if the answer is an entity, or kind = \"number\"/\"year\"/\"text\" with distractors",
                ),
                (Some(_), Some(_)) => self.push(
                    ErrorKind::PlotAnswer,
                    path.key("kind"),
                    format!("{what} has both `entity` and `kind`"),
                    "keep `entity` when the answer is an entity; `kind` is for other answers",
                ),
                _ => {}
            }
            let Some(id) = &p.entity else { continue };
            if !draft.entities.complete {
                continue;
            }
            let Some(entity) = entities.get(id.as_str()) else {
                self.push(
                    ErrorKind::DanglingReference,
                    path.key("entity"),
                    format!("{what} refers to entity `{id}`, which no [[entities]] entry defines"),
                    &format!(
                        "add it or fix the id{}",
                        suggest(id, entities.keys().copied())
                    ),
                );
                continue;
            };
            if let Some(span) = span
                && !span_names(span, entity, &p.aliases)
            {
                self.push(
                    ErrorKind::PlotSpan,
                    path.key("text"),
                    format!(
                        "the answer [{span}] of {what} is not a name of entity `{id}` (\"{}\")",
                        entity.name
                    ),
                    &format!(
                        "write the entity's name or an alias in the brackets, or add \"{span}\" to the aliases of `{id}`"
                    ),
                );
            }
        }
    }

    /// Whether an episode code names an episode the pack knows (listed, or within the episode
    /// count of a season whose episodes are not listed). `Err` says why not.
    fn episode_exists(&self, code: EpisodeCode) -> Result<(), String> {
        let draft = self.draft;
        let season = draft.seasons.iter().find(|(_, s)| s.number == code.season);
        let Some((_, season)) = season else {
            return if draft.seasons.complete {
                Err(format!("[[seasons]] does not list season {}", code.season))
            } else {
                Ok(())
            };
        };
        let listed = draft.episodes.iter().any(|(_, e)| e.season == code.season);
        if listed {
            if draft.episodes.complete && !draft.episodes.iter().any(|(_, e)| e.code() == code) {
                return Err(format!("no [[episodes]] entry is {code}"));
            }
        } else if code.episode > season.episode_count {
            return Err(format!(
                "season {} has only {} episodes",
                code.season, season.episode_count
            ));
        }
        Ok(())
    }
}

/// Entities by id; of two with the same id (itself an error), the first.
fn entity_map(entities: &Items<Entity>) -> HashMap<&str, &Entity> {
    let mut map = HashMap::new();
    for (_, e) in entities.iter() {
        map.entry(e.id.as_str()).or_insert(e);
    }
    map
}

/// "A, B and C".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// "; did you mean `x`?" when a known id is close to `id`.
fn suggest<'a>(id: &str, known: impl Iterator<Item = &'a str>) -> String {
    let known: Vec<&str> = known.collect();
    match super::fields::closest(id, &known) {
        Some(best) => format!(" (did you mean `{best}`?)"),
        None => String::new(),
    }
}

/// Whether a plot point's bracketed span names its entity: the entity's name or an alias, or
/// one of the plot point's own aliases, compared folded and without a leading article.
fn span_names(span: &str, entity: &Entity, aliases: &[String]) -> bool {
    let key = |s: &str| {
        let f = fold(s);
        for article in ["the ", "a ", "an "] {
            if let Some(rest) = f.strip_prefix(article) {
                return rest.to_string();
            }
        }
        f
    };
    let span = key(span);
    std::iter::once(&entity.name)
        .chain(&entity.aliases)
        .chain(aliases)
        .any(|name| key(name) == span)
}
