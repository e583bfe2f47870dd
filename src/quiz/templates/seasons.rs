//! Facts about each season: episode count, premiere and finale, showrunners, production
//! companies, and the year it is set in.

use rand_chacha::ChaCha8Rng;

use super::series::year_setting_ask;
use super::{DateFact, count_ask, date_asks, setting_year};
use crate::facts::{EpisodeCode, Season};
use crate::quiz::ask::{Ask, Phrasing};
use crate::quiz::catalog::{Catalog, Role};
use crate::quiz::value::{V, Value, season_start};
use crate::quiz::{Category, Difficulty};

pub fn asks(cat: &Catalog, rng: &mut ChaCha8Rng, out: &mut Vec<Ask>) {
    let data = &cat.pack.data;
    let last = data.seasons.iter().map(|s| s.number).max();
    for season in &data.seasons {
        let n = season.number;
        let t = &cat.title;
        let start = Some(season_start(n));
        let key = format!("season:{n}");
        let count = i64::from(season.episode_count);
        if count > 0 {
            out.push(
                count_ask(
                    rng,
                    format!("{key}.episode_count"),
                    "count",
                    Category::Episodes,
                    Difficulty::Medium,
                    count,
                    1,
                    (1, count + 10),
                    Phrasing::new(format!("How many episodes does season {n} of {t} have?"))
                        .statement(format!("Season {n} of {t} has {{}} episodes.")),
                    format!("Season {n} of {t} has {{}} episodes."),
                )
                .spoils(start),
            );
        }
        // Season 1's premiere is the series premiere, and the last finale its end: asked there.
        if let Some(date) = season.premiere
            && !(n == 1 && data.series.premiere == Some(date))
        {
            date_asks(
                rng,
                DateFact {
                    fact: format!("{key}.premiere"),
                    date,
                    category: Category::Dates,
                    question: format!("did season {n} of {t} premiere"),
                    statement: format!("Season {n} of {t} premiered"),
                    year: Some(Difficulty::Medium),
                    precise: Some(Difficulty::Hard),
                    spoils: start,
                    source: None,
                },
                out,
            );
        }
        if let Some(date) = season.finale
            && !(Some(n) == last && data.series.end == Some(date))
        {
            let finale = EpisodeCode {
                season: n,
                episode: season.episode_count.max(1),
            };
            date_asks(
                rng,
                DateFact {
                    fact: format!("{key}.finale"),
                    date,
                    category: Category::Dates,
                    question: format!("did the season {n} finale of {t} air"),
                    statement: format!("The season {n} finale of {t} aired"),
                    year: Some(Difficulty::Medium),
                    precise: Some(Difficulty::Hard),
                    spoils: Some(finale),
                    source: None,
                },
                out,
            );
        }
        showrunner_ask(cat, season, out);
        companies_ask(cat, season, out);
        if let Some(year) = season.setting.as_deref().and_then(setting_year) {
            out.push(year_setting_ask(
                rng,
                &format!("{key}.setting"),
                year,
                &format!("season {n} of {t}"),
                start,
            ));
        }
    }
}

fn showrunner_ask(cat: &Catalog, season: &Season, out: &mut Vec<Ask>) {
    if season.showrunners.is_empty() {
        return;
    }
    let n = season.number;
    let t = &cat.title;
    let start = Some(season_start(n));
    let answers: Vec<V> = season
        .showrunners
        .iter()
        .map(|p| cat.person(p, start))
        .collect();
    out.push(
        Ask::new(
            format!("season:{n}.showrunners"),
            "who",
            Category::Crew,
            Difficulty::Hard,
            answers,
        )
        .spoils(start)
        .one(
            Phrasing::new(format!("Who was the showrunner of season {n} of {t}?"))
                .statement(format!("{{}} was the showrunner of season {n} of {t}.")),
        )
        .many(
            Phrasing::new(format!(
                "Which of these people was one of the showrunners of season {n} of {t}?"
            ))
            .typed(format!("Name one of the showrunners of season {n} of {t}."))
            .statement(format!(
                "{{}} was one of the showrunners of season {n} of {t}."
            )),
        )
        .sentence(format!("Season {n} of {t} was run by {{}}."))
        .tier(cat.role(Role::Showrunner).iter().cloned())
        .tier(cat.all_crew.iter().cloned()),
    );
}

fn companies_ask(cat: &Catalog, season: &Season, out: &mut Vec<Ask>) {
    if season.production_companies.is_empty() {
        return;
    }
    let n = season.number;
    let t = &cat.title;
    let start = Some(season_start(n));
    let answers: Vec<V> = season
        .production_companies
        .iter()
        .map(|c| Value::new(c.clone(), Vec::new(), start))
        .collect();
    // Companies listed for the whole series made every season.
    let series = cat
        .pack
        .data
        .series
        .production_companies
        .iter()
        .map(|c| Value::plain(c.clone(), Vec::new()));
    out.push(
        Ask::new(
            format!("season:{n}.production_companies"),
            "which",
            Category::Production,
            Difficulty::Hard,
            answers,
        )
        .spoils(start)
        .one(
            Phrasing::new(format!("Which company produced season {n} of {t}?"))
                .statement(format!("{{}} produced season {n} of {t}.")),
        )
        .many(
            Phrasing::new(format!(
                "Which of these companies is one of the production companies of season {n} of {t}?"
            ))
            .typed(format!(
                "Name one of the production companies of season {n} of {t}."
            ))
            .statement(format!(
                "{{}} is one of the production companies of season {n} of {t}."
            )),
        )
        .sentence(format!("Season {n} of {t} was produced by {{}}."))
        .exclude(series)
        .tier(cat.companies.iter().cloned()),
    );
}
