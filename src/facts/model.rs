//! The fact-pack format: what a `questions/*.toml` file holds, as typed serde structs.
//!
//! The format is show-agnostic: a pack describes one TV series (its production facts, seasons,
//! episodes, cast, the characters/places/ships/organisations that answers are drawn from, and
//! plot points). Every struct denies unknown keys so a typo in a pack is an error, not a silently
//! ignored fact. Cross-references (a cast member's character, a plot point's episode) are checked
//! by [`super::validate`] after parsing.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A whole fact pack, as deserialized from TOML.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    pub pack: PackMeta,
    pub series: Series,
    #[serde(default)]
    pub seasons: Vec<Season>,
    #[serde(default)]
    pub episodes: Vec<Episode>,
    #[serde(default)]
    pub cast: Vec<CastMember>,
    /// People (actors, crew) who need aliases or a note; names elsewhere are plain strings and
    /// need no entry here.
    #[serde(default)]
    pub people: Vec<Person>,
    #[serde(default)]
    pub entities: Vec<Entity>,
    #[serde(default)]
    pub plot_points: Vec<PlotPoint>,
}

/// Pack metadata.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PackMeta {
    /// Short identifier used on the command line and in Discord (`picard`): lowercase letters,
    /// digits and `-`.
    pub id: String,
    pub title: String,
    pub description: String,
    pub version: String,
    /// Where the facts come from.
    #[serde(default)]
    pub sources: Vec<Source>,
}

/// A source the pack's facts were taken from.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Facts about the series as a whole.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Series {
    pub title: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub franchise: Option<String>,
    /// Its ordinal place in the franchise (Picard is the 8th Star Trek series).
    #[serde(default)]
    pub franchise_position: Option<u32>,
    /// The network or streaming service that first released it.
    #[serde(default)]
    pub network: Option<String>,
    #[serde(default)]
    pub network_aliases: Vec<String>,
    #[serde(default)]
    pub creators: Vec<String>,
    /// Developers / showrunners of the series as a whole (per-season showrunners live on the season).
    #[serde(default)]
    pub showrunners: Vec<String>,
    #[serde(default)]
    pub executive_producers: Vec<String>,
    #[serde(default)]
    pub composers: Vec<String>,
    #[serde(default)]
    pub production_companies: Vec<String>,
    /// The distributor when the series premiered.
    #[serde(default)]
    pub distributor: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub premiere: Option<PartialDate>,
    #[serde(default)]
    pub end: Option<PartialDate>,
    /// What the series is based on or set after, as a sentence fragment.
    #[serde(default)]
    pub based_on: Option<String>,
    #[serde(default)]
    pub setting: Option<String>,
    #[serde(default)]
    pub filming: Option<Filming>,
    /// Dated facts about the series: rumours, announcement, renewals, title reveal...
    #[serde(default)]
    pub milestones: Vec<Milestone>,
}

/// When and where filming happened.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Filming {
    #[serde(default)]
    pub start: Option<PartialDate>,
    #[serde(default)]
    pub end: Option<PartialDate>,
    #[serde(default)]
    pub location: Option<String>,
}

/// A dated statement about the series. `statement` contains `{date}` where the date goes, so a
/// question can blank it out: "Star Trek: Picard was officially announced in {date}."
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    pub id: String,
    pub date: PartialDate,
    pub statement: String,
    #[serde(default)]
    pub source: Option<String>,
}

/// One season.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Season {
    pub number: u32,
    /// The number of episodes; must match the listed episodes when the season's episodes are listed.
    pub episode_count: u32,
    #[serde(default)]
    pub premiere: Option<PartialDate>,
    #[serde(default)]
    pub finale: Option<PartialDate>,
    #[serde(default)]
    pub showrunners: Vec<String>,
    #[serde(default)]
    pub production_companies: Vec<String>,
    /// When the story of this season is set ("2399").
    #[serde(default)]
    pub setting: Option<String>,
    /// Renewal facts: "renewed for a second season before the series premiered".
    #[serde(default)]
    pub notes: Vec<String>,
}

/// One episode.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Episode {
    pub season: u32,
    /// Number within the season, from 1.
    pub number: u32,
    /// Number within the whole series, from 1.
    pub overall: u32,
    pub title: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub air_date: PartialDate,
    #[serde(default)]
    pub directors: Vec<String>,
    /// Every credited writer (teleplay, story and "written by" together).
    #[serde(default)]
    pub writers: Vec<String>,
    /// Teleplay credit, where it differs from the story credit.
    #[serde(default)]
    pub teleplay: Vec<String>,
    #[serde(default)]
    pub story: Vec<String>,
    #[serde(default)]
    pub running_time: Option<RunningTime>,
    #[serde(default)]
    pub synopsis: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
}

impl Episode {
    /// The "S1E4" code of this episode.
    pub fn code(&self) -> EpisodeCode {
        EpisodeCode {
            season: self.season,
            episode: self.number,
        }
    }
}

/// An episode's running time. `verified = false` marks a figure from a single source that
/// nothing else confirms: lookups show it with that caveat, questions never ask about it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RunningTime {
    pub minutes: u32,
    #[serde(default = "yes")]
    pub verified: bool,
    #[serde(default)]
    pub note: Option<String>,
}

fn yes() -> bool {
    true
}

/// How a cast member was billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Billing {
    Main,
    Recurring,
    Guest,
}

impl Billing {
    pub fn as_str(self) -> &'static str {
        match self {
            Billing::Main => "main",
            Billing::Recurring => "recurring",
            Billing::Guest => "guest",
        }
    }
}

/// One actor in one or more roles for a run of seasons. An actor billed differently in different
/// seasons (guest in season 1, main from season 2) has one row per billing.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CastMember {
    pub actor: String,
    /// Ids of `character` entities this actor plays.
    pub characters: Vec<String>,
    pub seasons: Vec<u32>,
    pub billing: Billing,
    /// The earlier series the role is reprised from: where it originated, if any (one series,
    /// even when the character appeared in several since).
    #[serde(default)]
    pub reprises_from: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
}

/// A person who needs aliases ("Frakes") or a description.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// The kind of a named thing that answers and distractors are drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Character,
    Place,
    Ship,
    Organisation,
    Species,
    Thing,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Character => "character",
            EntityKind::Place => "place",
            EntityKind::Ship => "ship",
            EntityKind::Organisation => "organisation",
            EntityKind::Species => "species",
            EntityKind::Thing => "thing",
        }
    }
}

/// A character, place, ship, organisation, species or thing.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Entity {
    /// Unique within the pack; referenced by cast rows and plot points.
    pub id: String,
    pub kind: EntityKind,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// A finer type for the prompt ("planet", "starship", "warrior order").
    #[serde(default)]
    pub subtype: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// The first episode a viewer meets it in ("S1E4"); it is a spoiler before that.
    #[serde(default)]
    pub introduced: Option<EpisodeCode>,
    #[serde(default)]
    pub source: Option<String>,
}

/// A statement about an episode with one span that a question can blank out. The span is written
/// in square brackets: `"Picard asks Rios to detour to the planet [Vashti]."`. The answer is
/// either an entity (`entity`, whose kind gives the distractors) or, with `kind`, a value of
/// another kind with its own `distractors`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PlotPoint {
    pub episode: EpisodeCode,
    pub text: String,
    #[serde(default)]
    pub entity: Option<String>,
    #[serde(default)]
    pub kind: Option<AnswerKind>,
    /// Wrong answers for a plot point whose answer is not an entity.
    #[serde(default)]
    pub distractors: Vec<String>,
    /// Other ways to write the answer.
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub source: Option<String>,
}

impl PlotPoint {
    /// The bracketed answer span, if the text has exactly one well-formed `[...]`.
    pub fn answer_span(&self) -> Option<&str> {
        let open = self.text.find('[')?;
        let close = open + self.text[open..].find(']')?;
        let rest = &self.text[close + 1..];
        if rest.contains('[') || rest.contains(']') || self.text[open + 1..close].contains('[') {
            return None;
        }
        let span = self.text[open + 1..close].trim();
        (!span.is_empty()).then_some(span)
    }

    /// The statement with the answer span replaced by `blank`.
    pub fn with_blank(&self, blank: &str) -> String {
        match (self.text.find('['), self.text.find(']')) {
            (Some(open), Some(close)) if open < close => {
                format!("{}{}{}", &self.text[..open], blank, &self.text[close + 1..])
            }
            _ => self.text.clone(),
        }
    }

    /// The statement as plain text, brackets removed.
    pub fn plain(&self) -> String {
        self.text.replace(['[', ']'], "")
    }
}

/// The kind of a plot point's answer when it is not an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AnswerKind {
    Number,
    Year,
    Text,
}

/// An episode code such as `S1E4`; written so in packs and accepted in lookups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EpisodeCode {
    pub season: u32,
    pub episode: u32,
}

impl fmt::Display for EpisodeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "S{}E{}", self.season, self.episode)
    }
}

impl FromStr for EpisodeCode {
    type Err = String;

    /// Parses `S1E4`, `s01e04`, `1x04` (case- and space-insensitive).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let compact: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        let bad = || format!("`{s}` is not an episode code; write it like S1E4");
        let (season, episode) = if let Some(rest) = compact.strip_prefix('s') {
            rest.split_once('e').ok_or_else(bad)?
        } else {
            compact.split_once('x').ok_or_else(bad)?
        };
        let season: u32 = season.parse().map_err(|_| bad())?;
        let episode: u32 = episode.parse().map_err(|_| bad())?;
        if season == 0 || episode == 0 {
            return Err(bad());
        }
        Ok(EpisodeCode { season, episode })
    }
}

impl<'de> Deserialize<'de> for EpisodeCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl Serialize for EpisodeCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A calendar date known to the year, the month or the day: `"2020"`, `"2018-08"`,
/// `"2020-01-23"`. Packs write dates as strings in this ISO form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl PartialDate {
    pub fn ymd(year: i32, month: u32, day: u32) -> Self {
        PartialDate {
            year,
            month: Some(month),
            day: Some(day),
        }
    }

    /// The full date, if known to the day.
    pub fn to_naive(self) -> Option<chrono::NaiveDate> {
        chrono::NaiveDate::from_ymd_opt(self.year, self.month?, self.day?)
    }

    /// "23 January 2020", "August 2018" or "2020".
    pub fn long(self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d} {} {}", month_name(m), self.year),
            (Some(m), None) => format!("{} {}", month_name(m), self.year),
            _ => self.year.to_string(),
        }
    }
}

/// English month names, 1-based.
pub fn month_name(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES
        .get(month.wrapping_sub(1) as usize)
        .copied()
        .unwrap_or("?")
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl FromStr for PartialDate {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = |why: &str| {
            format!("`{s}` is not a valid date ({why}); write YYYY-MM-DD, YYYY-MM or YYYY")
        };
        let parts: Vec<&str> = s.trim().split('-').collect();
        if parts.is_empty() || parts.len() > 3 || parts[0].len() != 4 {
            return Err(bad("expected a four-digit year first"));
        }
        let num = |p: &str| -> Result<u32, String> {
            if p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad("month and day are one or two digits"));
            }
            p.parse().map_err(|_| bad("not a number"))
        };
        let year: i32 = parts[0]
            .parse()
            .map_err(|_| bad("the year is not a number"))?;
        let month = parts.get(1).map(|p| num(p)).transpose()?;
        let day = parts.get(2).map(|p| num(p)).transpose()?;
        if let Some(m) = month
            && !(1..=12).contains(&m)
        {
            return Err(bad("there is no such month"));
        }
        if let (Some(m), Some(d)) = (month, day)
            && chrono::NaiveDate::from_ymd_opt(year, m, d).is_none()
        {
            return Err(bad("there is no such day in that month"));
        }
        Ok(PartialDate { year, month, day })
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_parse_and_print() {
        let d: PartialDate = "2020-01-23".parse().unwrap();
        assert_eq!(d, PartialDate::ymd(2020, 1, 23));
        assert_eq!(d.long(), "23 January 2020");
        assert_eq!(
            "2018-08".parse::<PartialDate>().unwrap().long(),
            "August 2018"
        );
        assert_eq!("2019".parse::<PartialDate>().unwrap().to_string(), "2019");
        assert!("2020-02-30".parse::<PartialDate>().is_err());
        assert!("2020-13".parse::<PartialDate>().is_err());
        assert!("20-01-01".parse::<PartialDate>().is_err());
        assert!("January 2020".parse::<PartialDate>().is_err());
    }

    #[test]
    fn episode_codes_parse_in_common_forms() {
        let want = EpisodeCode {
            season: 1,
            episode: 4,
        };
        for s in ["S1E4", "s01e04", "1x04", " S1 E4 "] {
            assert_eq!(s.parse::<EpisodeCode>().unwrap(), want, "{s}");
        }
        assert!("S0E1".parse::<EpisodeCode>().is_err());
        assert!("episode 4".parse::<EpisodeCode>().is_err());
        assert_eq!(want.to_string(), "S1E4");
    }

    #[test]
    fn plot_point_spans() {
        let p = PlotPoint {
            episode: "S1E4".parse().unwrap(),
            text: "Picard asks Rios to detour to the planet [Vashti].".into(),
            entity: Some("vashti".into()),
            kind: None,
            distractors: vec![],
            aliases: vec![],
            source: None,
        };
        assert_eq!(p.answer_span(), Some("Vashti"));
        assert_eq!(
            p.with_blank("___"),
            "Picard asks Rios to detour to the planet ___."
        );
        assert_eq!(
            p.plain(),
            "Picard asks Rios to detour to the planet Vashti."
        );
        let two = PlotPoint {
            text: "[a] and [b]".into(),
            ..p
        };
        assert_eq!(two.answer_span(), None);
    }
}
