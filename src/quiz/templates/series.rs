//! Facts about the series as a whole: premiere and end, creators and other crew, network,
//! companies, country, language, franchise position, setting, filming, milestones, and the
//! season and episode totals.

use rand_chacha::ChaCha8Rng;

use super::{
    DateFact, also_uses, before, count_ask, date_asks, date_value, nearby, nearby_dates,
    setting_year,
};
use crate::facts::{EpisodeCode, PartialDate};
use crate::quiz::ask::{Ask, Forms, Phrasing};
use crate::quiz::catalog::Catalog;
use crate::quiz::phrase::capitalised;
use crate::quiz::value::{V, Value};
use crate::quiz::{Category, Difficulty};
use crate::text::english::{ordinal_digits, ordinal_word};

pub fn asks(cat: &Catalog, rng: &mut ChaCha8Rng, out: &mut Vec<Ask>) {
    let s = &cat.pack.data.series;
    let t = &cat.title;
    if let Some(date) = s.premiere {
        let from = out.len();
        date_asks(
            rng,
            DateFact {
                fact: "series.premiere".into(),
                date,
                category: Category::Dates,
                question: format!("did {t} premiere"),
                statement: format!("{t} premiered"),
                year: Some(Difficulty::Easy),
                precise: Some(Difficulty::Medium),
                spoils: None,
                source: None,
            },
            out,
        );
        // The season 1 premiere and the first episode's air date are this same fact.
        let first = EpisodeCode {
            season: 1,
            episode: 1,
        };
        if cat.pack.season(1).and_then(|x| x.premiere) == Some(date) {
            also_uses(&mut out[from..], "season:1.premiere");
        }
        if cat.pack.episode(first).map(|e| e.air_date) == Some(date) {
            also_uses(&mut out[from..], &format!("episode:{first}.air_date"));
        }
    }
    if let Some(date) = s.end {
        let from = out.len();
        date_asks(
            rng,
            DateFact {
                fact: "series.end".into(),
                date,
                category: Category::Dates,
                question: format!("did the final episode of {t} air"),
                statement: format!("The final episode of {t} aired"),
                year: Some(Difficulty::Medium),
                precise: Some(Difficulty::Hard),
                spoils: None,
                source: None,
            },
            out,
        );
        // The last season's finale is this same fact.
        if let Some(last) = cat.pack.data.seasons.iter().max_by_key(|x| x.number)
            && last.finale == Some(date)
        {
            also_uses(&mut out[from..], &format!("season:{}.finale", last.number));
        }
    }
    crew_asks(cat, out);
    production_asks(cat, rng, out);
    milestone_asks(cat, rng, out);
    total_asks(cat, rng, out);
}

/// Who made it: creators, showrunners, executive producers, composers. Wrong answers are
/// other crew of the pack who do not hold that role, people credited only on episodes first.
fn crew_asks(cat: &Catalog, out: &mut Vec<Ask>) {
    let s = &cat.pack.data.series;
    let t = &cat.title;
    let roles = [
        (
            "series.creators",
            &s.creators,
            Difficulty::Medium,
            Phrasing::new(format!("Who created {t}?")).statement(format!("{{}} created {t}.")),
            Phrasing::new(format!(
                "Which of these people is one of the creators of {t}?"
            ))
            .typed(format!("Name one of the creators of {t}."))
            .statement(format!("{{}} is one of the creators of {t}.")),
            format!("{t} was created by {{}}."),
        ),
        (
            "series.showrunners",
            &s.showrunners,
            Difficulty::Medium,
            Phrasing::new(format!("Who was the showrunner of {t}?"))
                .statement(format!("{{}} was the showrunner of {t}.")),
            Phrasing::new(format!(
                "Which of these people was one of the showrunners of {t}?"
            ))
            .typed(format!("Name one of the showrunners of {t}."))
            .statement(format!("{{}} was one of the showrunners of {t}.")),
            format!("The showrunners of {t}: {{}}."),
        ),
        (
            "series.executive_producers",
            &s.executive_producers,
            Difficulty::Hard,
            Phrasing::new(format!("Who is the executive producer of {t}?"))
                .statement(format!("{{}} is an executive producer of {t}.")),
            Phrasing::new(format!(
                "Which of these people is an executive producer of {t}?"
            ))
            .typed(format!("Name one of the executive producers of {t}."))
            .statement(format!("{{}} is an executive producer of {t}.")),
            format!("The executive producers of {t}: {{}}."),
        ),
        (
            "series.composers",
            &s.composers,
            Difficulty::Medium,
            Phrasing::new(format!("Who composed the music for {t}?"))
                .statement(format!("{{}} composed the music for {t}.")),
            Phrasing::new(format!("Which of these people composed music for {t}?"))
                .typed(format!("Name one of the composers of the music for {t}."))
                .statement(format!("{{}} composed music for {t}.")),
            format!("The music for {t} is by {{}}."),
        ),
    ];
    for (fact, names, difficulty, one, many, sentence) in roles {
        if names.is_empty() {
            continue;
        }
        let answers: Vec<V> = names.iter().map(|n| cat.person(n, None)).collect();
        out.push(
            Ask::new(fact, "who", Category::Crew, difficulty, answers)
                .one(one)
                .many(many)
                .sentence(sentence)
                .tier(episode_only_crew(cat))
                .tier(cat.all_crew.iter().cloned()),
        );
    }
}

/// People credited on episodes only, never in a series-level role (a writer is a fair guess
/// for a creator, and not one).
fn episode_only_crew(cat: &Catalog) -> Vec<V> {
    cat.all_crew
        .iter()
        .filter(|v| !cat.series_crew.contains(&cat.person_key(&v.text)))
        .cloned()
        .collect()
}

/// Network, companies, distributor, country, language, franchise position, setting, filming.
fn production_asks(cat: &Catalog, rng: &mut ChaCha8Rng, out: &mut Vec<Ask>) {
    let s = &cat.pack.data.series;
    let t = &cat.title;
    if let Some(network) = &s.network {
        let answer = Value::plain(network.clone(), s.network_aliases.clone());
        out.push(
            Ask::new(
                "series.network",
                "which",
                Category::Production,
                Difficulty::Easy,
                vec![answer],
            )
            .one(Phrasing::new(format!(
                "On which network or streaming service did {t} first air?"
            )))
            .sentence(format!("{t} first aired on {{}}."))
            .forms(Forms::TYPED_ONLY),
        );
    }
    if !s.production_companies.is_empty() {
        let answers: Vec<V> = s
            .production_companies
            .iter()
            .map(|c| Value::plain(c.clone(), Vec::new()))
            .collect();
        // A company named for one season also made the series: never a wrong answer here.
        let seasonal = cat
            .pack
            .data
            .seasons
            .iter()
            .flat_map(|x| &x.production_companies)
            .map(|c| Value::plain(c.clone(), Vec::new()));
        out.push(
            Ask::new(
                "series.production_companies",
                "which",
                Category::Production,
                Difficulty::Hard,
                answers,
            )
            .one(
                Phrasing::new(format!("Which company produced {t}?"))
                    .statement(format!("{{}} produced {t}.")),
            )
            .many(
                Phrasing::new(format!(
                    "Which of these companies is one of the production companies of {t}?"
                ))
                .typed(format!("Name one of the production companies of {t}."))
                .statement(format!("{{}} is one of the production companies of {t}.")),
            )
            .sentence(format!("{t} was produced by {{}}."))
            .exclude(seasonal)
            .tier(cat.companies.iter().cloned()),
        );
    }
    if let Some(distributor) = &s.distributor {
        out.push(
            Ask::new(
                "series.distributor",
                "which",
                Category::Production,
                Difficulty::Hard,
                vec![Value::plain(distributor.clone(), Vec::new())],
            )
            .one(
                // Distributors change hands; the pack records the one at the premiere.
                Phrasing::new(format!("Which company distributed {t} when it premiered?"))
                    .statement(format!("{{}} distributed {t} when it premiered.")),
            )
            .sentence(format!("When it premiered, {t} was distributed by {{}}."))
            .tier(cat.companies.iter().cloned()),
        );
    }
    if let Some(country) = &s.country {
        out.push(
            Ask::new(
                "series.country",
                "which",
                Category::Production,
                Difficulty::Easy,
                vec![Value::plain(country.clone(), country_aliases(country))],
            )
            .one(Phrasing::new(format!("In which country was {t} made?")))
            .sentence(format!("{t} was made in {}{{}}.", country_article(country)))
            .forms(Forms::TYPED_ONLY),
        );
    }
    if let Some(language) = &s.language {
        out.push(
            Ask::new(
                "series.language",
                "which",
                Category::Production,
                Difficulty::Easy,
                vec![Value::plain(language.clone(), Vec::new())],
            )
            .one(Phrasing::new(format!(
                "In what language was {t} originally made?"
            )))
            .sentence(format!("{t} was originally made in {{}}."))
            .forms(Forms::TYPED_ONLY),
        );
    }
    if let (Some(position), Some(franchise)) = (s.franchise_position, &s.franchise) {
        let value = |n: i64| {
            let n = n as u32;
            Value::plain(ordinal_word(n), vec![ordinal_digits(n), n.to_string()])
        };
        let [near, far] = nearby(rng, position.into(), 1, 1, i64::from(position) + 6);
        out.push(
            Ask::new(
                "series.franchise_position",
                "ordinal",
                Category::Production,
                Difficulty::Medium,
                vec![value(position.into())],
            )
            .one(
                Phrasing::new(format!(
                    "In order of release, which {franchise} series is {t}: the first, the second, …?"
                ))
                .statement(format!("{t} is the {{}} series of the {franchise} franchise.")),
            )
            .sentence(format!("{t} is the {{}} series of the {franchise} franchise."))
            .tier(near.into_iter().map(value))
            .tier(far.into_iter().map(value)),
        );
    }
    if let Some(year) = s.setting.as_deref().and_then(setting_year) {
        out.push(year_setting_ask(rng, "series.setting", year, t, None));
    }
    if let Some(filming) = &s.filming {
        for (fact, date, verb) in [
            ("series.filming.start", filming.start, "begin"),
            ("series.filming.end", filming.end, "end"),
        ] {
            let Some(date) = date else { continue };
            let past = if verb == "begin" { "began" } else { "ended" };
            date_asks(
                rng,
                DateFact {
                    fact: fact.into(),
                    date,
                    category: Category::Production,
                    question: format!("did filming of {t} {verb}"),
                    statement: format!("Filming of {t} {past}"),
                    year: Some(Difficulty::Medium),
                    precise: Some(Difficulty::Hard),
                    spoils: None,
                    source: None,
                },
                out,
            );
        }
        if let Some(location) = &filming.location {
            // "Santa Clarita, California": either part alone is right too.
            let parts: Vec<String> = location
                .split(',')
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty() && p != location)
                .collect();
            out.push(
                Ask::new(
                    "series.filming.location",
                    "where",
                    Category::Production,
                    Difficulty::Medium,
                    vec![Value::plain(location.clone(), parts)],
                )
                .one(Phrasing::new(format!("Where was {t} filmed?")))
                .sentence(format!("{t} was filmed in {{}}."))
                .forms(Forms::TYPED_ONLY),
            );
        }
    }
}

/// "In what year is X set?" for a setting written as a year.
pub fn year_setting_ask(
    rng: &mut ChaCha8Rng,
    fact: &str,
    year: i64,
    subject: &str,
    spoils: Option<crate::facts::EpisodeCode>,
) -> Ask {
    let [near, far] = nearby(rng, year, 1, 0, 99999);
    let value = |y: i64| Value::plain(y.to_string(), Vec::new());
    Ask::new(
        fact,
        "year",
        Category::Universe,
        Difficulty::Medium,
        vec![value(year)],
    )
    .spoils(spoils)
    .one(
        Phrasing::new(format!("In what year is {subject} set?"))
            .statement(format!("{} is set in {{}}.", capitalised(subject))),
    )
    .sentence(format!("{} is set in {{}}.", capitalised(subject)))
    .tier(near.into_iter().map(value))
    .tier(far.into_iter().map(value))
}

/// "the " for the countries whose names take it ("the United States").
fn country_article(country: &str) -> &'static str {
    let c = country.to_lowercase();
    let plural = c.starts_with("united ") || c.ends_with("lands") || c.ends_with("islands");
    if plural && !c.starts_with("the ") {
        "the "
    } else {
        ""
    }
}

/// Common other names of a few countries, which players type.
fn country_aliases(country: &str) -> Vec<String> {
    let list: &[&str] = match country {
        "United States" | "United States of America" | "US" | "USA" => &[
            "United States",
            "United States of America",
            "US",
            "USA",
            "U.S.",
        ],
        "United Kingdom" | "UK" => &["United Kingdom", "UK", "Britain", "Great Britain"],
        _ => &[],
    };
    list.iter()
        .filter(|a| **a != country)
        .map(|a| a.to_string())
        .collect()
}

/// Milestones: "Star Trek: Picard was officially announced in ___."
fn milestone_asks(cat: &Catalog, rng: &mut ChaCha8Rng, out: &mut Vec<Ask>) {
    for m in &cat.pack.data.series.milestones {
        if !m.statement.contains("{date}") {
            continue;
        }
        let [near, far] = nearby_dates(rng, m.date);
        let difficulty = match m.date {
            PartialDate { month: None, .. } => Difficulty::Medium,
            _ => Difficulty::Hard,
        };
        let statement = m.statement.replace("{date}", "{}");
        out.push(
            Ask::new(
                format!("milestone:{}", m.id),
                "date",
                Category::Dates,
                difficulty,
                vec![date_value(m.date)],
            )
            .spoils(news_spoils(cat, m.date))
            .one(
                Phrasing::new(format!(
                    "Fill in the blank: {}",
                    m.statement.replace("{date}", "___")
                ))
                .statement(statement.clone()),
            )
            .sentence(statement)
            .source(m.source.as_deref())
            .tier(near.into_iter().map(date_value))
            .tier(far.into_iter().map(date_value)),
        );
    }
}

/// What news from `date` may give away: nothing before the premiere; after that, anything
/// up to the first episode that aired after it (the news of its day spoke of what was coming:
/// a renewal, a returning cast). After the last episode, everything.
fn news_spoils(cat: &Catalog, date: PartialDate) -> Option<EpisodeCode> {
    let mut aired: Vec<&crate::facts::Episode> = cat.episodes.clone();
    aired.sort_by_key(|e| (e.air_date, e.code()));
    let first = aired.first()?;
    if !before(first.air_date, date) {
        return None;
    }
    match aired.iter().find(|e| before(date, e.air_date)) {
        Some(next) => Some(next.code()),
        None => aired.iter().map(|e| e.code()).max(),
    }
}

/// How many seasons and episodes the series has.
fn total_asks(cat: &Catalog, rng: &mut ChaCha8Rng, out: &mut Vec<Ask>) {
    let data = &cat.pack.data;
    let t = &cat.title;
    let seasons = data.seasons.len() as i64;
    // The seasons must be numbered 1..=n for a total to mean anything.
    let complete =
        seasons > 0 && (1..=seasons).all(|n| data.seasons.iter().any(|s| i64::from(s.number) == n));
    if !complete {
        return;
    }
    let total: i64 = data
        .seasons
        .iter()
        .map(|s| i64::from(s.episode_count))
        .sum();
    let ended = data.series.end.is_some();
    if ended {
        out.push(count_ask(
            rng,
            "series.season_count".into(),
            "count",
            Category::Episodes,
            Difficulty::Easy,
            seasons,
            1,
            (1, seasons + 6),
            Phrasing::new(format!("How many seasons does {t} have?"))
                .statement(format!("{t} has {{}} seasons.")),
            format!("{t} has {{}} seasons."),
        ));
    }
    let (question, statement) = if ended {
        (
            format!("How many episodes does {t} have in total?"),
            format!("{t} has {{}} episodes in total."),
        )
    } else {
        (
            format!("How many episodes do the first {seasons} seasons of {t} have in total?"),
            format!("The first {seasons} seasons of {t} have {{}} episodes in total."),
        )
    };
    let step = if total >= 20 { 2 } else { 1 };
    out.push(count_ask(
        rng,
        "series.episode_count".into(),
        "count",
        Category::Episodes,
        Difficulty::Medium,
        total,
        step,
        (1, total + 30),
        Phrasing::new(question).statement(statement.clone()),
        statement,
    ));
}
