//! Reading a pack file into a [`Draft`], collecting every structural mistake on the way.
//!
//! `toml::from_str` stops at the first error. To report all errors of a file in one run, the
//! document is parsed once into a spanned tree (`DeTable`) and each table (`[pack]`, `[series]`,
//! every `[[episodes]]` element, ...) is deserialized on its own. Inside one table, unknown keys
//! are found by comparing against the struct's field names; after any other error the offending
//! key is taken out and the table is tried again, so one bad value does not hide the next.

use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::diagnostic::ErrorKind;
use super::fields::{closest, struct_fields};
use super::model::*;

/// A place in the pack document, such as `episodes[3].air_date`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FieldPath(Vec<Seg>);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index(usize),
}

impl FieldPath {
    pub fn key(&self, key: &str) -> FieldPath {
        let mut p = self.clone();
        p.0.push(Seg::Key(key.to_string()));
        p
    }

    pub fn index(&self, index: usize) -> FieldPath {
        let mut p = self.clone();
        p.0.push(Seg::Index(index));
        p
    }

    /// The byte span of the deepest part of this path that exists in the document: the value
    /// itself if present, else its nearest ancestor (a missing optional key points at its table).
    pub fn span_in(&self, root: &Spanned<DeTable<'_>>) -> Range<usize> {
        let mut span = root.span();
        let mut node: Option<&Spanned<DeValue<'_>>> = None;
        for seg in &self.0 {
            let next = match (seg, node) {
                (Seg::Key(k), None) => root.get_ref().get(k.as_str()),
                (Seg::Key(k), Some(v)) => v.get_ref().as_table().and_then(|t| t.get(k.as_str())),
                (Seg::Index(i), Some(v)) => v.get_ref().as_array().and_then(|a| a.get(*i)),
                (Seg::Index(_), None) => None,
            };
            match next {
                Some(v) => {
                    span = v.span();
                    node = Some(v);
                }
                None => break,
            }
        }
        span
    }
}

/// Where an issue is: a byte span (known while reading) or a path (found by validation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum At {
    Span(Range<usize>),
    Path(FieldPath),
}

/// A mistake found in a pack, before it is given a file, line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Issue {
    pub kind: ErrorKind,
    pub at: At,
    pub message: String,
    pub help: Option<String>,
}

impl Issue {
    pub fn new(kind: ErrorKind, at: At, message: impl Into<String>) -> Issue {
        Issue {
            kind,
            at,
            message: message.into(),
            help: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Issue {
        self.help = Some(help.into());
        self
    }
}

/// The elements of one array section that parsed, each with its index in the file.
/// `complete` is false when an element failed, so checks that need the whole list (does this
/// episode exist?) can stay silent instead of reporting a mistake the reader did not make.
#[derive(Debug, Clone)]
pub(crate) struct Items<T> {
    pub items: Vec<(usize, T)>,
    pub complete: bool,
}

impl<T> Default for Items<T> {
    fn default() -> Self {
        Items {
            items: Vec::new(),
            complete: true,
        }
    }
}

impl<T> Items<T> {
    pub fn iter(&self) -> impl Iterator<Item = (usize, &T)> {
        self.items.iter().map(|(i, t)| (*i, t))
    }

    fn into_vec(self) -> Vec<T> {
        self.items.into_iter().map(|(_, t)| t).collect()
    }

    fn from_vec(items: Vec<T>) -> Self {
        Items {
            items: items.into_iter().enumerate().collect(),
            complete: true,
        }
    }
}

/// Everything of a pack that could be read, for validation. Becomes a [`Pack`] when clean.
#[derive(Debug, Clone, Default)]
pub(crate) struct Draft {
    pub meta: Option<PackMeta>,
    pub series: Option<Series>,
    pub milestones: Items<Milestone>,
    pub seasons: Items<Season>,
    pub episodes: Items<Episode>,
    pub cast: Items<CastMember>,
    pub people: Items<Person>,
    pub entities: Items<Entity>,
    pub plot_points: Items<PlotPoint>,
}

impl Draft {
    /// A draft of an already built pack (indices are its vector positions).
    pub fn from_pack(pack: Pack) -> Draft {
        let mut series = pack.series;
        let milestones = std::mem::take(&mut series.milestones);
        Draft {
            meta: Some(pack.pack),
            series: Some(series),
            milestones: Items::from_vec(milestones),
            seasons: Items::from_vec(pack.seasons),
            episodes: Items::from_vec(pack.episodes),
            cast: Items::from_vec(pack.cast),
            people: Items::from_vec(pack.people),
            entities: Items::from_vec(pack.entities),
            plot_points: Items::from_vec(pack.plot_points),
        }
    }

    /// The pack, if `[pack]` and `[series]` were read.
    pub fn into_pack(self) -> Option<Pack> {
        let mut series = self.series?;
        series.milestones = self.milestones.into_vec();
        Some(Pack {
            pack: self.meta?,
            series,
            seasons: self.seasons.into_vec(),
            episodes: self.episodes.into_vec(),
            cast: self.cast.into_vec(),
            people: self.people.into_vec(),
            entities: self.entities.into_vec(),
            plot_points: self.plot_points.into_vec(),
        })
    }
}

type Value<'i> = Spanned<DeValue<'i>>;

/// Reads every section of a parsed document, adding each mistake to `issues`.
pub(crate) fn read(root: &Spanned<DeTable<'_>>, issues: &mut Vec<Issue>) -> Draft {
    let top = struct_fields::<Pack>();
    for (key, _) in root.get_ref().iter() {
        let name: &str = key.get_ref();
        if !top.contains(&name) {
            issues.push(unknown_key(name, "the top level", key.span(), top));
        }
    }
    let get = |name: &str| root.get_ref().get(name);
    let mut draft = Draft {
        meta: required_table(
            get("pack"),
            "pack",
            "id, title, description and version",
            issues,
        ),
        ..Draft::default()
    };
    if let Some(series) = get("series") {
        let (series, milestones) = read_series(series, issues);
        draft.series = series;
        draft.milestones = milestones;
    } else {
        required_table::<Series>(None, "series", "at least a title", issues);
    }
    draft.seasons = read_array(get("seasons"), "seasons", issues, |t, i| {
        int(t, "number").map_or(format!("seasons entry {}", i + 1), |n| {
            format!("season {n}")
        })
    });
    draft.episodes = read_array(get("episodes"), "episodes", issues, |t, i| {
        match (int(t, "season"), int(t, "number")) {
            (Some(s), Some(n)) => format!("episode S{s}E{n}"),
            _ => format!("episodes entry {}", i + 1),
        }
    });
    draft.cast = read_array(get("cast"), "cast", issues, |t, i| {
        named(format!("cast row {}", i + 1), text(t, "actor"))
    });
    draft.people = read_array(get("people"), "people", issues, |t, i| {
        named(format!("people entry {}", i + 1), text(t, "name"))
    });
    draft.entities = read_array(get("entities"), "entities", issues, |t, i| {
        text(t, "id").map_or(format!("entities entry {}", i + 1), |id| {
            format!("entity `{id}`")
        })
    });
    draft.plot_points = read_array(get("plot_points"), "plot_points", issues, |t, i| {
        let label = format!("plot point {}", i + 1);
        text(t, "episode").map_or(label.clone(), |e| format!("{label} ({e})"))
    });
    draft
}

/// `[series]`, with its `[[series.milestones]]` read one by one.
fn read_series(value: &Value<'_>, issues: &mut Vec<Issue>) -> (Option<Series>, Items<Milestone>) {
    let mut value = value.clone();
    let milestones = match value.get_mut() {
        DeValue::Table(t) => t.remove("milestones"),
        _ => None,
    };
    let milestones = read_array(milestones.as_ref(), "series.milestones", issues, |t, i| {
        text(t, "id").map_or(format!("milestone {}", i + 1), |id| {
            format!("milestone `{id}`")
        })
    });
    (read_table(&value, "[series]", issues), milestones)
}

fn required_table<T: DeserializeOwned>(
    value: Option<&Value<'_>>,
    name: &str,
    needs: &str,
    issues: &mut Vec<Issue>,
) -> Option<T> {
    match value {
        Some(value) => read_table(value, &format!("[{name}]"), issues),
        None => {
            issues.push(
                Issue::new(
                    ErrorKind::MissingKey,
                    At::Span(0..0),
                    format!("the pack has no [{name}] table"),
                )
                .help(format!("add a [{name}] table with {needs}")),
            );
            None
        }
    }
}

/// Reads an array of tables element by element; a bad element is reported and left out.
fn read_array<T: DeserializeOwned>(
    value: Option<&Value<'_>>,
    name: &str,
    issues: &mut Vec<Issue>,
    label: impl Fn(&DeTable<'_>, usize) -> String,
) -> Items<T> {
    let mut items = Items::default();
    let Some(value) = value else {
        return items;
    };
    let Some(array) = value.get_ref().as_array() else {
        items.complete = false;
        issues.push(
            Issue::new(
                ErrorKind::WrongType,
                At::Span(value.span()),
                format!(
                    "`{name}` must be an array of tables, not {}",
                    a_type(value.get_ref())
                ),
            )
            .help(format!("write each entry as a [[{name}]] table")),
        );
        return items;
    };
    for (i, element) in array.iter().enumerate() {
        let what = match element.get_ref().as_table() {
            Some(t) => label(t, i),
            None => format!("{name} entry {}", i + 1),
        };
        match read_table(element, &what, issues) {
            Some(t) => items.items.push((i, t)),
            None => items.complete = false,
        }
    }
    items
}

/// Deserializes one table, reporting unknown keys and then each bad value in turn.
/// `what` names the table in messages ("episode S1E4"). Returns `None` if any value was bad;
/// a table whose only fault is an unknown key is still returned, for the later checks.
fn read_table<T: DeserializeOwned>(
    value: &Value<'_>,
    what: &str,
    issues: &mut Vec<Issue>,
) -> Option<T> {
    let mut value = value.clone();
    let fields = struct_fields::<T>();
    let DeValue::Table(table) = value.get_mut() else {
        issues.push(
            Issue::new(
                ErrorKind::WrongType,
                At::Span(value.span()),
                format!("{what} must be a table, not {}", a_type(value.get_ref())),
            )
            .help("write it as a [table] or an inline { key = value } table"),
        );
        return None;
    };
    let unknown: Vec<_> = table
        .keys()
        .filter(|k| !fields.contains(&k.get_ref().as_ref()))
        .cloned()
        .collect();
    for key in unknown {
        issues.push(unknown_key(key.get_ref(), what, key.span(), fields));
        table.remove(key.get_ref().as_ref());
    }

    let mut removed: Vec<String> = Vec::new();
    // Each round removes one key, so this ends; the bound is a guard.
    for _ in 0..=fields.len() + 1 {
        let error = match T::deserialize(ValueDeserializer::from(value.clone())) {
            Ok(t) if removed.is_empty() => return Some(t),
            Ok(_) => return None,
            Err(error) => error,
        };
        let message = error.message().to_string();
        if let Some(field) = between(&message, "missing field `", "`") {
            // A key taken out after an earlier error is not missing: that error says why.
            if !removed.iter().any(|r| r == field) {
                issues.push(missing_key(field, what, value.span()));
            }
            return None;
        }
        let span = error.span().unwrap_or(value.span());
        let Some((key, key_path)) = key_at(&value, span.start) else {
            issues.push(value_issue(&message, what, None, span));
            return None;
        };
        issues.push(value_issue(&message, what, Some(&key_path), span));
        if let DeValue::Table(t) = value.get_mut() {
            t.remove(key.as_str());
        }
        removed.push(key);
    }
    None
}

fn unknown_key(key: &str, what: &str, span: Range<usize>, fields: &[&str]) -> Issue {
    let help = match closest(key, fields) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("remove it, or use one of: {}", fields.join(", ")),
    };
    Issue::new(
        ErrorKind::UnknownKey,
        At::Span(span),
        format!("unknown key `{key}` in {what}"),
    )
    .help(help)
}

fn missing_key(field: &str, what: &str, span: Range<usize>) -> Issue {
    Issue::new(
        ErrorKind::MissingKey,
        At::Span(span),
        format!("{what} has no `{field}`, which is required"),
    )
    .help(format!("add `{field} = ...` to {what}"))
}

/// Turns a serde error about one value into an issue with a readable message and a fix.
fn value_issue(message: &str, what: &str, key: Option<&str>, span: Range<usize>) -> Issue {
    let place = match key {
        Some(key) => format!("`{key}` in {what}"),
        None => what.to_string(),
    };
    if let Some(field) = between(message, "unknown field `", "`") {
        let expected = expected_names(message);
        let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
        return unknown_key(field, &place, span, &expected);
    }
    let at = At::Span(span);
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest
            .split_once(", expected ")
            .unwrap_or((rest, "another type"));
        let expected = plain_expected(expected);
        let mut issue = Issue::new(
            ErrorKind::WrongType,
            at,
            format!("{place} has the wrong type: found {found}, expected {expected}"),
        )
        .help(format!("change the value to {expected}"));
        if found.contains("date") || found.contains("datetime") {
            issue = issue
                .help("write dates as quoted strings: \"2020-01-23\", \"2018-08\" or \"2020\"");
        }
        return issue;
    }
    if let Some(variant) = between(message, "unknown variant `", "`") {
        let allowed = expected_names(message);
        return Issue::new(
            ErrorKind::BadValue,
            at,
            format!("{place}: unknown value `{variant}`"),
        )
        .help(format!("use one of: {}", allowed.join(", ")));
    }
    // The model's own parse errors read "what is wrong; how to fix it".
    let (what_wrong, fix) = match message.split_once("; ") {
        Some((w, f)) => (w.to_string(), Some(f.to_string())),
        None => (message.to_string(), None),
    };
    let kind = if message.contains("is not a valid date") {
        ErrorKind::BadDate
    } else {
        ErrorKind::BadValue
    };
    let mut issue = Issue::new(kind, at, format!("{place}: {what_wrong}"));
    issue.help =
        fix.or_else(|| Some("check the value against the pack format in the README".into()));
    issue
}

/// The direct key of `table` whose key or value holds `offset`, with the dotted path to the
/// innermost key there (`filming.start`) for the message.
fn key_at(table: &Value<'_>, offset: usize) -> Option<(String, String)> {
    let t = table.get_ref().as_table()?;
    let (key, value) = t
        .iter()
        .find(|(k, v)| contains(&k.span(), offset) || contains(&v.span(), offset))?;
    let top = key.get_ref().to_string();
    let mut path = top.clone();
    let mut node = value;
    while let Some((k, v)) = node.get_ref().as_table().and_then(|t| {
        t.iter()
            .find(|(k, v)| contains(&k.span(), offset) || contains(&v.span(), offset))
    }) {
        path.push('.');
        path.push_str(k.get_ref());
        node = v;
    }
    Some((top, path))
}

fn contains(span: &Range<usize>, offset: usize) -> bool {
    span.start <= offset && offset < span.end.max(span.start + 1)
}

/// The text between `start` and the next `end` in `s`.
fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = &s[s.find(start)? + start.len()..];
    Some(&rest[..rest.find(end)?])
}

/// The names serde lists after "expected" (`a`, `b` or `c`), in order.
fn expected_names(message: &str) -> Vec<String> {
    let Some((_, list)) = message.split_once("expected ") else {
        return Vec::new();
    };
    list.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// serde's name for an expected type, in pack-author words.
fn plain_expected(expected: &str) -> String {
    match expected {
        "u32" | "u64" | "usize" => "a whole number (0 or more)".into(),
        "i32" | "i64" => "a whole number".into(),
        "a boolean" => "true or false".into(),
        "a sequence" => "an array, e.g. [\"a\", \"b\"]".into(),
        "a string" => "a quoted string".into(),
        s if s.starts_with("struct ") => "a table".into(),
        s => s.to_string(),
    }
}

fn a_type(value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
    .to_string()
}

fn int(t: &DeTable<'_>, key: &str) -> Option<String> {
    t.get(key)?
        .get_ref()
        .as_integer()
        .map(|i| i.as_str().to_string())
}

fn text<'a>(t: &'a DeTable<'_>, key: &str) -> Option<&'a str> {
    t.get(key)?.get_ref().as_str()
}

fn named(label: String, name: Option<&str>) -> String {
    match name {
        Some(n) => format!("{label} ({n})"),
        None => label,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_to_the_value_or_its_nearest_ancestor() {
        let src =
            "[pack]\nid = \"x\"\n\n[[episodes]]\ntitle = \"A\"\n\n[[episodes]]\ntitle = \"B\"\n";
        let root = DeTable::parse(src).unwrap();
        let at = |p: FieldPath| &src[p.span_in(&root)];
        let second = FieldPath::default().key("episodes").index(1);
        assert_eq!(at(second.key("title")), "\"B\"");
        // A missing key points at its table's header.
        assert_eq!(at(second.key("air_date")), "[[episodes]]");
        assert_eq!(at(FieldPath::default().key("pack").key("id")), "\"x\"");
        assert_eq!(at(FieldPath::default().key("nothing")), "");
    }

    #[test]
    fn serde_messages_become_readable_issues() {
        let issue = value_issue(
            "invalid type: string \"x\", expected u32",
            "episode S1E1",
            Some("number"),
            3..6,
        );
        assert_eq!(issue.kind, ErrorKind::WrongType);
        assert_eq!(
            issue.message,
            "`number` in episode S1E1 has the wrong type: found string \"x\", expected a whole number (0 or more)"
        );
        let issue = value_issue(
            "unknown variant `star`, expected one of `main`, `recurring`, `guest`",
            "cast row 1",
            Some("billing"),
            0..1,
        );
        assert_eq!(issue.kind, ErrorKind::BadValue);
        assert_eq!(
            issue.help.as_deref(),
            Some("use one of: main, recurring, guest")
        );
    }
}
