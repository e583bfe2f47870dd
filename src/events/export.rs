//! `/event export`: an event's records as CSV (one row per answer) or JSON (the whole event).
//!
//! Both use 1-based round and question numbers, times in ISO-8601 UTC with milliseconds, and
//! the players' last known display names. In the CSV a question nobody answered still gets a
//! row (with the player columns empty), so every question asked appears. In the JSON, Discord
//! ids are strings, as in Discord's own API: they do not fit a JavaScript number.
//!
//! CSV text cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`,
//! a tab or a carriage return) get a leading `'`: answers and names are typed by players.

use std::fmt;
use std::str::FromStr;

use chrono::{SecondsFormat, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use super::model::{RoundSpec, Teams};
use super::records::{EventRecords, Ruling};
use super::standings::standings;

/// The export's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Csv,
    Json,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv",
            ExportFormat::Json => "application/json",
        }
    }

    /// The file's text.
    pub fn render(self, records: &EventRecords) -> String {
        match self {
            ExportFormat::Csv => to_csv(records),
            ExportFormat::Json => to_json(records),
        }
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

impl FromStr for ExportFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(ExportFormat::Csv),
            "json" => Ok(ExportFormat::Json),
            _ => Err(format!(
                "`{s}` is not an export format; use `csv` or `json`"
            )),
        }
    }
}

/// `event-12-trivia-night.csv`: the id, then the name in lowercase ASCII letters, digits and
/// dashes (at most 40 characters).
pub fn export_filename(records: &EventRecords, format: ExportFormat) -> String {
    let folded = crate::text::fold(&records.event.spec.name);
    let slug: Vec<&str> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut slug = slug.join("-");
    slug.truncate(40);
    let slug = slug.trim_end_matches('-');
    let id = records.event.id;
    match slug.is_empty() {
        true => format!("event-{id}.{}", format.extension()),
        false => format!("event-{id}-{slug}.{}", format.extension()),
    }
}

/// Unix milliseconds as `2026-11-26T20:00:00.000Z`.
pub fn iso_utc(millis: i64) -> String {
    Utc.timestamp_millis_opt(millis)
        .single()
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Millis, true))
        .unwrap_or_else(|| millis.to_string())
}

/// The CSV header, in column order.
pub const CSV_HEADER: [&str; 12] = [
    "round",
    "question",
    "question_text",
    "correct_answer",
    "player_id",
    "player_name",
    "team",
    "answer",
    "answered_at",
    "correct",
    "points",
    "ruling",
];

/// One row per answer (see the module docs).
pub fn to_csv(records: &EventRecords) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail; the expects hold for any text.
    out.write_record(CSV_HEADER).expect("write to memory");
    for q in &records.questions {
        let head = [
            (q.round + 1).to_string(),
            (q.index + 1).to_string(),
            cell(&q.text),
            cell(&q.correct_answer),
        ];
        if q.answers.is_empty() {
            let row = head.iter().map(String::as_str).chain([""; 8]);
            out.write_record(row).expect("write to memory");
        }
        for a in &q.answers {
            let name = records.names.get(&a.user).map(String::as_str).unwrap_or("");
            let team = records
                .team_of(a.user)
                .and_then(|t| records.event.team_name(t))
                .unwrap_or("");
            let rulings = ruling_text(&records.rulings_on(q.game_id, q.index, a.user));
            let tail = [
                a.user.to_string(),
                cell(name),
                cell(team),
                cell(&a.text),
                iso_utc(a.answered_at),
                a.correct.to_string(),
                a.points.to_string(),
                rulings,
            ];
            let row = head.iter().chain(tail.iter());
            out.write_record(row).expect("write to memory");
        }
    }
    let bytes = out.into_inner().expect("flush to memory");
    String::from_utf8(bytes).expect("CSV of UTF-8 text is UTF-8")
}

/// A text cell, with a leading `'` if a spreadsheet would read it as a formula.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// "accepted by 123 at …Z; undone by 124 at …Z", one clause per ruling, oldest first.
fn ruling_text(rulings: &[&Ruling]) -> String {
    rulings
        .iter()
        .map(|r| {
            let mut s = format!("accepted by {} at {}", r.ruled_by, iso_utc(r.ruled_at));
            if let Some(at) = r.undone_at {
                let by = r.undone_by.map(|u| u.to_string()).unwrap_or_default();
                s.push_str(&format!(", undone by {by} at {}", iso_utc(at)));
            }
            s
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The JSON export: everything about the event. Deserializable, so tools (and tests) can read
/// it back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportDoc {
    /// Bumped when a field changes meaning.
    pub export_version: u32,
    pub event: ExportEvent,
    pub rounds: Vec<ExportRound>,
    pub rulings: Vec<ExportRuling>,
    pub standings: ExportStandings,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportEvent {
    pub id: i64,
    pub guild_id: String,
    pub name: String,
    pub description: String,
    pub channel_id: String,
    pub host_ids: Vec<String>,
    pub starts_at: Option<String>,
    /// As [`super::EventStatus`]'s Display shows it.
    pub status: String,
    pub teams: Option<Teams>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportRound {
    /// 1-based.
    pub round: usize,
    pub settings: RoundSpec,
    /// None for a round that was never played.
    pub game_id: Option<i64>,
    pub started_at: Option<String>,
    pub ended_at: Option<String>,
    pub questions: Vec<ExportQuestion>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportQuestion {
    /// 1-based within its round.
    pub question: u32,
    pub text: String,
    pub correct_answer: String,
    pub asked_at: String,
    pub answers: Vec<ExportAnswer>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportAnswer {
    pub player_id: String,
    pub player_name: Option<String>,
    pub team: Option<String>,
    pub answer: String,
    pub answered_at: String,
    pub correct: bool,
    pub points: i64,
    pub near_miss: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportRuling {
    pub round: Option<usize>,
    pub question: u32,
    pub player_id: String,
    pub answer: String,
    pub points: i64,
    pub ruled_by: String,
    pub ruled_at: String,
    pub undone_by: Option<String>,
    pub undone_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportStandings {
    pub players: Vec<ExportPlayerStanding>,
    pub teams: Vec<ExportTeamStanding>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportPlayerStanding {
    pub place: usize,
    pub player_id: String,
    pub player_name: Option<String>,
    pub team: Option<String>,
    pub points: i64,
    pub right: i64,
    pub answered: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportTeamStanding {
    pub place: usize,
    pub name: String,
    pub points: i64,
    pub right: i64,
    pub member_ids: Vec<String>,
}

impl ExportDoc {
    pub fn new(records: &EventRecords) -> ExportDoc {
        let e = &records.event;
        let team_of = |user: u64| {
            records
                .team_of(user)
                .and_then(|t| e.team_name(t))
                .map(str::to_owned)
        };
        let rounds = e
            .spec
            .rounds
            .iter()
            .enumerate()
            .map(|(i, spec)| {
                let game = records.rounds.iter().find(|g| g.round == i);
                ExportRound {
                    round: i + 1,
                    settings: spec.clone(),
                    game_id: game.map(|g| g.game_id),
                    started_at: game.map(|g| iso_utc(g.started_at)),
                    ended_at: game.and_then(|g| g.ended_at).map(iso_utc),
                    questions: records
                        .questions
                        .iter()
                        .filter(|q| q.round == i)
                        .map(|q| ExportQuestion {
                            question: q.index + 1,
                            text: q.text.clone(),
                            correct_answer: q.correct_answer.clone(),
                            asked_at: iso_utc(q.asked_at),
                            answers: q
                                .answers
                                .iter()
                                .map(|a| ExportAnswer {
                                    player_id: a.user.to_string(),
                                    player_name: records.names.get(&a.user).cloned(),
                                    team: team_of(a.user),
                                    answer: a.text.clone(),
                                    answered_at: iso_utc(a.answered_at),
                                    correct: a.correct,
                                    points: a.points,
                                    near_miss: a.near_miss,
                                })
                                .collect(),
                        })
                        .collect(),
                }
            })
            .collect();
        let rulings = records
            .rulings
            .iter()
            .map(|r| ExportRuling {
                round: records
                    .rounds
                    .iter()
                    .find(|g| g.game_id == r.game_id)
                    .map(|g| g.round + 1),
                question: r.question_index + 1,
                player_id: r.user.to_string(),
                answer: r.answer_text.clone(),
                points: r.points,
                ruled_by: r.ruled_by.to_string(),
                ruled_at: iso_utc(r.ruled_at),
                undone_by: r.undone_by.map(|u| u.to_string()),
                undone_at: r.undone_at.map(iso_utc),
            })
            .collect();
        let table = standings(records);
        ExportDoc {
            export_version: 1,
            event: ExportEvent {
                id: e.id,
                guild_id: e.guild.to_string(),
                name: e.spec.name.clone(),
                description: e.spec.description.clone(),
                channel_id: e.spec.channel.to_string(),
                host_ids: e.spec.hosts.iter().map(u64::to_string).collect(),
                starts_at: e.spec.starts_at.map(iso_utc),
                status: e.status.to_string(),
                teams: e.spec.teams.clone(),
            },
            rounds,
            rulings,
            standings: ExportStandings {
                players: table
                    .players
                    .iter()
                    .map(|p| ExportPlayerStanding {
                        place: p.place,
                        player_id: p.user.to_string(),
                        player_name: p.name.clone(),
                        team: p.team.and_then(|t| e.team_name(t)).map(str::to_owned),
                        points: p.points,
                        right: p.right,
                        answered: p.answered,
                    })
                    .collect(),
                teams: table
                    .teams
                    .iter()
                    .map(|t| ExportTeamStanding {
                        place: t.place,
                        name: t.name.clone(),
                        points: t.points,
                        right: t.right,
                        member_ids: t.members.iter().map(u64::to_string).collect(),
                    })
                    .collect(),
            },
        }
    }
}

/// The whole event as pretty-printed JSON ([`ExportDoc`]).
pub fn to_json(records: &EventRecords) -> String {
    // Plain data with string keys: serializing cannot fail.
    serde_json::to_string_pretty(&ExportDoc::new(records)).expect("export serializes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_times() {
        assert_eq!("CSV".parse(), Ok(ExportFormat::Csv));
        assert_eq!(" json ".parse(), Ok(ExportFormat::Json));
        assert!("xml".parse::<ExportFormat>().unwrap_err().contains("csv"));
        assert_eq!(iso_utc(1_795_694_400_123), "2026-11-26T12:00:00.123Z");
        assert_eq!(iso_utc(0), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn formula_cells_are_defused() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("-5"), "'-5");
        assert_eq!(cell("Jean-Luc"), "Jean-Luc");
    }
}
