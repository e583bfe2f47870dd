//! Effects as terminal text. Styles are ANSI codes; the caller's stream strips them when the
//! output is not a terminal (anstream), so piped output is plain text.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use crate::game::{
    AnswerRecord, AnswerRule, CloseReason, Effect, EndReason, GameConfig, QuestionOutcome, Standing,
};
use crate::quiz::{Form, Question};

const TITLE: Style = AnsiColor::Cyan.on_default().bold();
const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const RIGHT: Style = AnsiColor::Green.on_default().bold();
const WRONG: Style = AnsiColor::Red.on_default();
const NOTE: Style = AnsiColor::Yellow.on_default();

/// The letter of choice `i`: A, B, C...
fn letter(i: usize) -> char {
    char::from(b'A' + (i % 26) as u8)
}

fn seconds(ms: i64) -> i64 {
    (ms.max(0) + 999) / 1000
}

/// The line printed before the first question.
pub fn header(
    out: &mut impl Write,
    title: &str,
    total: usize,
    config: &GameConfig,
) -> io::Result<()> {
    writeln!(out, "{TITLE}{title}{TITLE:#}")?;
    let rule = match config.rule {
        AnswerRule::Once => "everyone answers once",
        AnswerRule::Race => "first right answer wins",
    };
    writeln!(
        out,
        "{DIM}{total} questions · {} s each · {rule} · {} scoring · /help for commands{DIM:#}",
        config.question_seconds, config.scoring
    )
}

/// Prints one effect. `solo` words it for a single player; `now` gives times left.
pub fn effect(out: &mut impl Write, effect: &Effect, solo: bool, now: i64) -> io::Result<()> {
    match effect {
        Effect::Asked {
            index,
            total,
            question,
            asked_at,
            ends_at,
            rule,
        } => asked(out, *index, *total, question, ends_at - asked_at, *rule),
        Effect::Locked { .. } if solo => writeln!(out, "  {DIM}Locked in.{DIM:#}"),
        Effect::Locked { player, .. } => {
            writeln!(out, "  {DIM}{} is locked in.{DIM:#}", player.name)
        }
        Effect::Missed {
            player,
            near_miss,
            retry,
            ..
        } => {
            let who = if solo {
                String::new()
            } else {
                format!("{}: ", player.name)
            };
            let close = if *near_miss {
                "close, but not it"
            } else {
                "not it"
            };
            let again = if *retry { "; try again" } else { "" };
            writeln!(out, "  {WRONG}✗{WRONG:#} {who}{close}{again}.")
        }
        Effect::Hint { text, .. } => writeln!(out, "  {NOTE}Hint:{NOTE:#} {BOLD}{text}{BOLD:#}"),
        Effect::Revealed {
            question,
            outcome,
            standings,
            next_at,
            ..
        } => {
            revealed(out, question, outcome, solo)?;
            if next_at.is_some() && !solo {
                brief_standings(out, standings)?;
            }
            Ok(())
        }
        Effect::Paused { remaining_ms, .. } => writeln!(
            out,
            "{NOTE}Paused{NOTE:#} with {} s left. Type /resume to go on.",
            seconds(*remaining_ms)
        ),
        Effect::Resumed {
            ends_at, next_at, ..
        } => match (ends_at, next_at) {
            (Some(end), _) => {
                writeln!(out, "{NOTE}Resumed:{NOTE:#} {} s left.", seconds(end - now))
            }
            _ => writeln!(out, "{NOTE}Resumed.{NOTE:#}"),
        },
        Effect::Ended { reason, standings } => ended(out, *reason, standings),
        Effect::Rejected { player, reason } => {
            let who = match player {
                Some(p) if !solo => format!("{}: ", p.name),
                _ => String::new(),
            };
            writeln!(out, "  {NOTE}!{NOTE:#} {who}{}", reason.message())
        }
        Effect::Ruled { record, points, .. } => {
            writeln!(out, "Ruling: {} {:+} points.", record.name, points)
        }
        Effect::Started { .. }
        | Effect::Joined { .. }
        | Effect::Restored { .. }
        | Effect::Schedule { .. } => Ok(()),
    }
}

fn asked(
    out: &mut impl Write,
    index: usize,
    total: usize,
    question: &Question,
    limit_ms: i64,
    rule: AnswerRule,
) -> io::Result<()> {
    writeln!(out)?;
    writeln!(
        out,
        "{TITLE}Question {}/{total}{TITLE:#} {DIM}· {} · {}{DIM:#}",
        index + 1,
        question.category.as_str(),
        question.difficulty.as_str()
    )?;
    writeln!(out, "{BOLD}{}{BOLD:#}", question.prompt)?;
    for (i, choice) in question.choices.iter().enumerate() {
        writeln!(out, "  {BOLD}{}{BOLD:#}  {choice}", letter(i))?;
    }
    let how = match question.form {
        Form::MultipleChoice => format!("answer A-{}", letter(question.choices.len().max(1) - 1)),
        Form::TrueFalse => "answer true or false (t/f)".to_string(),
        Form::Typed => "type the answer".to_string(),
    };
    let race = match rule {
        AnswerRule::Race => " · first right answer wins",
        AnswerRule::Once => "",
    };
    writeln!(out, "{DIM}⏱ {} s · {how}{race}{DIM:#}", seconds(limit_ms))
}

fn revealed(
    out: &mut impl Write,
    question: &Question,
    outcome: &QuestionOutcome,
    solo: bool,
) -> io::Result<()> {
    let winner = outcome
        .winner
        .and_then(|w| outcome.answer_of(w))
        .map(|r| r.name.as_str());
    let how = match (outcome.close, winner) {
        (Some(CloseReason::Won), Some(_)) if solo => "Got it!".to_string(),
        (Some(CloseReason::Won), Some(name)) => format!("{name} got it first!"),
        (Some(CloseReason::Skipped), _) => "Skipped: no points.".to_string(),
        (Some(CloseReason::TimeUp), _) if outcome.answers.is_empty() => {
            "Time's up: nobody answered.".to_string()
        }
        (Some(CloseReason::TimeUp), _) => "Time's up.".to_string(),
        _ => String::new(),
    };
    if !how.is_empty() {
        writeln!(out, "  {NOTE}{how}{NOTE:#}")?;
    }
    let right = match question.correct {
        Some(i) => format!("{}  {}", letter(i), question.answer),
        None => question.answer.clone(),
    };
    writeln!(out, "  Answer: {RIGHT}{right}{RIGHT:#}")?;
    let names = column_width(outcome.answers.iter().map(|r| r.name.as_str()));
    let givens: Vec<String> = outcome.answers.iter().map(given).collect();
    let answers = column_width(givens.iter().map(String::as_str));
    for (record, given) in outcome.answers.iter().zip(&givens) {
        let who = if solo { "You" } else { record.name.as_str() };
        writeln!(
            out,
            "    {who:names$}  {given:answers$}  {}",
            verdict(record)
        )?;
    }
    if !question.source.is_empty() {
        writeln!(out, "  {DIM}Source: {}{DIM:#}", question.source)?;
    }
    Ok(())
}

/// The widest of `items` in characters, for a column.
fn column_width<'a>(items: impl Iterator<Item = &'a str>) -> usize {
    items.map(|s| s.chars().count()).max().unwrap_or(0)
}

/// The answer as given: "B  Data", or the typed text.
fn given(record: &AnswerRecord) -> String {
    match record.choice {
        Some(i) => format!("{}  {}", letter(i), record.text),
        None => record.text.clone(),
    }
}

fn verdict(record: &AnswerRecord) -> String {
    if record.correct() {
        let bonus = match record.streak_bonus {
            0 => String::new(),
            b => format!(" {DIM}(streak +{b}){DIM:#}"),
        };
        format!("{RIGHT}✓ +{}{RIGHT:#}{bonus}", record.points)
    } else if record.closeness().is_some() {
        format!("{WRONG}✗{WRONG:#} {DIM}(close){DIM:#}")
    } else {
        format!("{WRONG}✗{WRONG:#}")
    }
}

fn brief_standings(out: &mut impl Write, standings: &[Standing]) -> io::Result<()> {
    if standings.is_empty() {
        return Ok(());
    }
    let line: Vec<String> = standings
        .iter()
        .map(|s| format!("{}. {} {}", s.place, s.name, s.points))
        .collect();
    writeln!(out, "  {DIM}Standings: {}{DIM:#}", line.join(" · "))
}

/// The full standings table.
pub fn standings(out: &mut impl Write, standings: &[Standing]) -> io::Result<()> {
    if standings.is_empty() {
        return writeln!(out, "  Nobody has played yet.");
    }
    let width = standings
        .iter()
        .map(|s| s.name.chars().count())
        .max()
        .unwrap_or(0);
    let digits = standings
        .iter()
        .map(|s| s.points.to_string().len())
        .max()
        .unwrap_or(1);
    for s in standings {
        let style = if s.place == 1 { RIGHT } else { BOLD };
        writeln!(
            out,
            "  {style}{:>2}. {:width$}  {:>digits$} points{style:#}  {DIM}{} right of {} answered{DIM:#}",
            s.place, s.name, s.points, s.right, s.answered
        )?;
    }
    Ok(())
}

fn ended(out: &mut impl Write, reason: EndReason, list: &[Standing]) -> io::Result<()> {
    let why = match reason {
        EndReason::Finished => "Game over: every question was asked.",
        EndReason::Stopped => "Game stopped.",
        EndReason::Inactive => "Game stopped: nobody answered for several questions.",
        EndReason::TargetReached => "Game over: the target score was reached.",
        EndReason::NoQuestions => "No questions: the deck is empty.",
    };
    writeln!(out)?;
    writeln!(out, "{TITLE}{why}{TITLE:#}")?;
    writeln!(out, "{BOLD}Final standings{BOLD:#}")?;
    standings(out, list)
}
