//! Question templates: one module per family of facts, each turning what the pack holds into
//! [`Ask`]s. Every template works from fact *types*, so any well-formed pack yields questions.
//!
//! Shared here: dates (a year question and a day-or-month question per date), counts, and
//! "nearby" wrong values whose rank among the options is random, so the right answer is not
//! the middle one.

mod cast;
mod episodes;
mod plot;
mod seasons;
mod series;
mod universe;

use chrono::{Datelike, Duration, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::ask::{Ask, Phrasing};
use super::catalog::Catalog;
use super::phrase::{date_aliases, day_month, day_month_aliases, number_aliases};
use super::value::{V, Value};
use super::{Category, Difficulty};
use crate::facts::{EpisodeCode, PartialDate, month_name};

/// Every askable fact of the pack, in a fixed order.
pub fn all(cat: &Catalog, rng: &mut ChaCha8Rng) -> Vec<Ask> {
    let mut out = Vec::new();
    series::asks(cat, rng, &mut out);
    seasons::asks(cat, rng, &mut out);
    episodes::asks(cat, rng, &mut out);
    cast::asks(cat, &mut out);
    universe::asks(cat, &mut out);
    plot::asks(cat, rng, &mut out);
    out
}

/// Marks asks (just pushed) as also using another inventory item: a fact the pack states
/// twice, asked once.
pub fn also_uses(asks: &mut [Ask], key: &str) {
    for a in asks {
        a.uses.push(key.to_string());
    }
}

/// Three values near `answer`, `step` apart, within `min..=max`: the answer's rank among the
/// four is uniformly random where the bounds allow. Then up to three more, further out, as a
/// fallback tier.
pub fn nearby(rng: &mut ChaCha8Rng, answer: i64, step: i64, min: i64, max: i64) -> [Vec<i64>; 2] {
    let below = ((answer - min) / step).clamp(0, 6);
    let above = ((max - answer) / step).clamp(0, 6);
    let ranks: Vec<i64> = (0..=3).filter(|&k| k <= below && 3 - k <= above).collect();
    let k = if ranks.is_empty() {
        below.min(3)
    } else {
        ranks[rng.random_range(0..ranks.len())]
    };
    let window: Vec<i64> = (1..=k)
        .map(|i| answer - i * step)
        .chain((1..=(3 - k).min(above)).map(|i| answer + i * step))
        .collect();
    let further: Vec<i64> = (1..=below)
        .map(|i| answer - i * step)
        .chain((1..=above).map(|i| answer + i * step))
        .filter(|x| !window.contains(x))
        .take(3)
        .collect();
    [window, further]
}

/// A count as a value ("10", also "ten").
pub fn count_value(n: i64) -> V {
    Value::plain(n.to_string(), number_aliases(n))
}

/// An ask whose answer is a count, with nearby counts as distractors.
#[allow(clippy::too_many_arguments)]
pub fn count_ask(
    rng: &mut ChaCha8Rng,
    fact: String,
    template: &'static str,
    category: Category,
    difficulty: Difficulty,
    n: i64,
    step: i64,
    range: (i64, i64),
    words: Phrasing,
    sentence: String,
) -> Ask {
    let [near, far] = nearby(rng, n, step, range.0, range.1);
    Ask::new(fact, template, category, difficulty, vec![count_value(n)])
        .one(words)
        .sentence(sentence)
        .tier(near.into_iter().map(count_value))
        .tier(far.into_iter().map(count_value))
}

/// A dated fact: "did X premiere" / "X premiered".
pub struct DateFact {
    pub fact: String,
    pub date: PartialDate,
    pub category: Category,
    /// Completes "In what year …?": "did Star Trek: Picard premiere".
    pub question: String,
    /// Completes "… in 2020.": "Star Trek: Picard premiered".
    pub statement: String,
    /// Difficulty of the year question; None: not asked.
    pub year: Option<Difficulty>,
    /// Difficulty of the day-and-month (or month) question; None: not asked.
    pub precise: Option<Difficulty>,
    pub spoils: Option<EpisodeCode>,
    pub source: Option<String>,
}

/// A year question and a day-and-month (or month) question about one date; both share the
/// fact, so a game asks only one of them.
pub fn date_asks(rng: &mut ChaCha8Rng, d: DateFact, out: &mut Vec<Ask>) {
    let long = d.date.long();
    let sentence = match d.date.day {
        Some(_) => format!("{} on {long}.", d.statement),
        None => format!("{} in {long}.", d.statement),
    };
    let year = d.date.year;
    if let Some(difficulty) = d.year {
        let [near, far] = nearby(rng, i64::from(year), 1, 1000, 9999);
        let value = |y: i64| Value::plain(y.to_string(), Vec::new());
        let words = Phrasing::new(format!("In what year {}?", d.question))
            .statement(format!("{} in {{}}.", d.statement));
        out.push(
            Ask::new(
                &d.fact,
                "year",
                d.category,
                difficulty,
                vec![value(year.into())],
            )
            .spoils(d.spoils)
            .source(d.source.as_deref())
            .one(words)
            .sentence(&sentence)
            .tier(near.into_iter().map(value))
            .tier(far.into_iter().map(value)),
        );
    }
    let Some(difficulty) = d.precise else { return };
    let ask = match (d.date.month, d.date.to_naive()) {
        (_, Some(day)) => {
            let [near, far] = nearby_days(rng, day);
            let value = |x: NaiveDate| {
                let p = PartialDate::ymd(x.year(), x.month(), x.day());
                let mut aliases = day_month_aliases(p);
                aliases.extend(date_aliases(p));
                Value::plain(day_month(p), aliases)
            };
            let words = Phrasing::new(format!("On what date in {year} {}?", d.question))
                .statement(format!("{} on {{}} {year}.", d.statement));
            Ask::new(&d.fact, "day", d.category, difficulty, vec![value(day)])
                .one(words)
                .tier(near.into_iter().map(value))
                .tier(far.into_iter().map(value))
        }
        (Some(month), None) => {
            let [near, far] = nearby(rng, i64::from(month), 1, 1, 12);
            let value = |m: i64| {
                let name = month_name(m as u32);
                Value::plain(name, vec![format!("{name} {year}")])
            };
            let words = Phrasing::new(format!("In what month of {year} {}?", d.question))
                .statement(format!("{} in {{}} {year}.", d.statement));
            Ask::new(
                &d.fact,
                "month",
                d.category,
                difficulty,
                vec![value(month.into())],
            )
            .one(words)
            .tier(near.into_iter().map(value))
            .tier(far.into_iter().map(value))
        }
        _ => return,
    };
    out.push(
        ask.spoils(d.spoils)
            .source(d.source.as_deref())
            .sentence(sentence),
    );
}

/// Dates a week, two and three weeks around `day`, in the same year (prompts name the year).
fn nearby_days(rng: &mut ChaCha8Rng, day: NaiveDate) -> [Vec<NaiveDate>; 2] {
    let first = NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap_or(day);
    let last = NaiveDate::from_ymd_opt(day.year(), 12, 31).unwrap_or(day);
    let n = |d: NaiveDate| (d - first).num_days();
    nearby(rng, n(day), 7, 0, n(last))
        .map(|v| v.into_iter().map(|x| first + Duration::days(x)).collect())
}

/// Wrong dates of the same precision near `date`, for "fill in the date" questions: years,
/// months (across years) or weeks.
pub fn nearby_dates(rng: &mut ChaCha8Rng, date: PartialDate) -> [Vec<PartialDate>; 2] {
    match (date.month, date.to_naive()) {
        (_, Some(day)) => {
            let n = day.num_days_from_ce() as i64;
            nearby(rng, n, 7, 0, i64::from(i32::MAX)).map(|v| {
                v.into_iter()
                    .filter_map(|x| NaiveDate::from_num_days_from_ce_opt(x as i32))
                    .map(|x| PartialDate::ymd(x.year(), x.month(), x.day()))
                    .collect()
            })
        }
        (Some(month), None) => {
            let n = i64::from(date.year) * 12 + i64::from(month) - 1;
            nearby(rng, n, 1, 0, 9999 * 12).map(|v| {
                v.into_iter()
                    .map(|x| PartialDate {
                        year: (x / 12) as i32,
                        month: Some((x % 12) as u32 + 1),
                        day: None,
                    })
                    .collect()
            })
        }
        _ => nearby(rng, i64::from(date.year), 1, 1000, 9999).map(|v| {
            v.into_iter()
                .map(|y| PartialDate {
                    year: y as i32,
                    month: None,
                    day: None,
                })
                .collect()
        }),
    }
}

/// A date as a value, written at its precision ("23 January 2020", "August 2018", "2020").
pub fn date_value(date: PartialDate) -> V {
    Value::plain(date.long(), date_aliases(date))
}

/// The first and last day a partial date may mean.
fn span(d: PartialDate) -> (PartialDate, PartialDate) {
    let month = |m: Option<u32>, or: u32| m.unwrap_or(or);
    let last_day = |y: i32, m: u32| {
        (28..=31)
            .rev()
            .find(|&d| NaiveDate::from_ymd_opt(y, m, d).is_some())
            .unwrap_or(28)
    };
    let lo = PartialDate::ymd(d.year, month(d.month, 1), d.day.unwrap_or(1));
    let m = month(d.month, 12);
    let hi = PartialDate::ymd(d.year, m, d.day.unwrap_or_else(|| last_day(d.year, m)));
    (lo, hi)
}

/// Whether `a` is certainly before `b` (a partial date means any day it covers).
pub fn before(a: PartialDate, b: PartialDate) -> bool {
    span(a).1 < span(b).0
}

/// A year written as a setting ("2399"), if it is one.
pub fn setting_year(setting: &str) -> Option<i64> {
    let s = setting.trim();
    (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}
