//! Plot points as fill-in-the-blank questions, scoped to their episode: 'In the season 1
//! episode "Absolute Candor" of Star Trek: Picard: Picard asks Rios to make a detour to the
//! planet ___.' Wrong options are entities of the same kind (same subtype first) or the pack's
//! own distractors; never an entity the sentence already names, nor the answer of another
//! plot point with the same blanked sentence.

use rand_chacha::ChaCha8Rng;

use super::{count_value, nearby};
use crate::facts::{AnswerKind, PlotPoint};
use crate::quiz::ask::{Ask, Forms, Phrasing};
use crate::quiz::catalog::Catalog;
use crate::quiz::phrase::{number_aliases, quoted};
use crate::quiz::value::{V, Value};
use crate::quiz::{Category, Difficulty};
use crate::text::fold;

pub fn asks(cat: &Catalog, rng: &mut ChaCha8Rng, out: &mut Vec<Ask>) {
    let points = &cat.pack.data.plot_points;
    let blanks: Vec<String> = points.iter().map(|p| fold(&p.with_blank("___"))).collect();
    for (i, p) in points.iter().enumerate() {
        let Some(span) = p.answer_span() else {
            continue;
        };
        let k = points[..i]
            .iter()
            .filter(|q| q.episode == p.episode)
            .count()
            + 1;
        let fact = format!("plot:{}.{k}", p.episode);
        let context = match cat.pack.episode(p.episode) {
            Some(e) => format!(
                "In the season {} episode {} of {}:",
                e.season,
                quoted(&e.title),
                cat.title
            ),
            None => format!("In {} of {}:", p.episode, cat.title),
        };
        let blank = p.with_blank("___");
        let mut aliases: Vec<String> = p.aliases.clone();
        let (answer, tiers, difficulty, forms) = match answer_entity(cat, p) {
            Some((value, kind_tiers)) => {
                aliases.push(span.to_string());
                aliases.extend(value.aliases.iter().cloned());
                let answer = Value::new(
                    value.text.clone(),
                    aliases,
                    value.spoils.max(Some(p.episode)),
                );
                (answer, kind_tiers, Difficulty::Medium, Forms::ALL)
            }
            None => {
                let number = span.replace(',', "").parse::<i64>().ok();
                let numeric = matches!(p.kind, Some(AnswerKind::Number | AnswerKind::Year));
                let grouped = span.contains(',');
                if let (Some(n), true) = (number, numeric) {
                    aliases.push(n.to_string());
                    aliases.extend(number_aliases(n));
                }
                let answer = Value::plain(span, aliases);
                let given: Vec<V> = p
                    .distractors
                    .iter()
                    .map(|d| match d.replace(',', "").parse::<i64>() {
                        Ok(n) if numeric => Value::plain(d.clone(), number_aliases(n)),
                        _ => Value::new(d.clone(), Vec::new(), cat.spoils_of_name(d)),
                    })
                    .collect();
                let mut tiers = vec![given];
                if let (Some(n), true) = (number, numeric) {
                    let step = if p.kind == Some(AnswerKind::Year) || n < 20 {
                        1
                    } else {
                        (n / 10).max(1)
                    };
                    let [near, far] = nearby(rng, n, step, 0, n.saturating_mul(3) + 10);
                    // Written like the answer: "9,000" beside "10,000".
                    let value = |x: i64| match grouped {
                        true => Value::plain(thousands(x), vec![x.to_string()]),
                        false => count_value(x),
                    };
                    tiers.push(near.into_iter().map(value).collect());
                    tiers.push(far.into_iter().map(value).collect());
                }
                let forms = if tiers.iter().all(Vec::is_empty) {
                    Forms::TYPED_ONLY
                } else {
                    Forms::ALL
                };
                (answer, tiers, Difficulty::Hard, forms)
            }
        };
        let mut ask = Ask::new(&fact, "blank", Category::Plot, difficulty, vec![answer])
            .spoils(Some(p.episode))
            .source(p.source.as_deref())
            .one(
                Phrasing::new(format!("{context} {blank}"))
                    .statement(format!("{context} {}", p.with_blank("{}"))),
            )
            .sentence(format!("{context} {}", p.plain()))
            .exclude(same_blank_answers(cat, i, &blanks))
            .exclude(mentioned(cat, p))
            .forms(forms);
        ask.tiers = tiers;
        if let Some(id) = &p.entity {
            ask = ask.uses(format!("entity:{id}"));
        }
        out.push(ask);
    }
}

/// The entity answer and its same-kind candidates (same subtype first).
fn answer_entity(cat: &Catalog, p: &PlotPoint) -> Option<(V, Vec<Vec<V>>)> {
    let thing = cat.thing(p.entity.as_deref()?)?;
    let kind = thing.entity.kind;
    let sub = thing.entity.subtype.as_deref().map(fold);
    let all = cat.things.get(&kind)?;
    let same_sub: Vec<V> = all
        .iter()
        .filter(|t| sub.is_some() && t.entity.subtype.as_deref().map(fold) == sub)
        .map(|t| t.value.clone())
        .collect();
    let rest: Vec<V> = all.iter().map(|t| t.value.clone()).collect();
    Some((thing.value.clone(), vec![same_sub, rest]))
}

/// Answers of other plot points whose blanked sentence reads the same: each is right too.
fn same_blank_answers(cat: &Catalog, i: usize, blanks: &[String]) -> Vec<V> {
    let points = &cat.pack.data.plot_points;
    (0..points.len())
        .filter(|&j| j != i && blanks[j] == blanks[i])
        .filter_map(|j| {
            let q = &points[j];
            let span = q.answer_span()?;
            let mut aliases = q.aliases.clone();
            if let Some(t) = q.entity.as_deref().and_then(|id| cat.thing(id)) {
                aliases.push(t.value.text.clone());
                aliases.extend(t.value.aliases.iter().cloned());
            }
            Some(Value::plain(span, aliases))
        })
        .collect()
}

/// Entities the sentence already names outside the blank ("Picard asks [Rios] …" never offers
/// Picard).
fn mentioned(cat: &Catalog, p: &PlotPoint) -> Vec<V> {
    // "Dara's twin [Sola]" names Dara.
    let text = p
        .with_blank(" ")
        .replace(['\u{2019}'], "'")
        .replace("'s ", " ");
    let text = format!(" {} ", fold(&text));
    cat.things
        .values()
        .flatten()
        .filter(|t| {
            t.value
                .folded
                .iter()
                .any(|f| text.contains(&format!(" {f} ")))
        })
        .map(|t| t.value.clone())
        .collect()
}

/// "10,000" for 10000.
fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}
