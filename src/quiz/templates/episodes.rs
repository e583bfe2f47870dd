//! Facts about each episode: its title by number and number by title, its overall number,
//! air date, which episodes aired before it, its directors and writers, and its running time
//! (only when verified). Prompts always name the episode and its season, never "the series".

use rand_chacha::ChaCha8Rng;

use super::{DateFact, before, count_ask, count_value, date_asks, nearby};
use crate::facts::Episode;
use crate::quiz::ask::{Ask, Forms, Phrasing};
use crate::quiz::catalog::{Catalog, Role};
use crate::quiz::phrase::quoted;
use crate::quiz::value::{V, Value};
use crate::quiz::{Category, Difficulty};

pub fn asks(cat: &Catalog, rng: &mut ChaCha8Rng, out: &mut Vec<Ask>) {
    for (i, e) in cat.episodes.iter().enumerate() {
        title_asks(cat, rng, e, &cat.titles[i], out);
        air_date_asks(cat, rng, e, out);
        order_ask(cat, e, out);
        credit_asks(cat, e, out);
        running_time_ask(cat, rng, e, out);
    }
}

/// `the season 1 episode "Absolute Candor"`.
fn named(e: &Episode) -> String {
    format!("the season {} episode {}", e.season, quoted(&e.title))
}

fn key(e: &Episode) -> String {
    format!("episode:{}", e.code())
}

fn season_count(cat: &Catalog, season: u32) -> u32 {
    let listed = cat.season_episodes(season).count() as u32;
    cat.pack
        .season(season)
        .map_or(listed, |s| s.episode_count.max(listed))
}

/// Title by number, number by title, and (after season 1) the overall number: one fact.
fn title_asks(cat: &Catalog, rng: &mut ChaCha8Rng, e: &Episode, title: &V, out: &mut Vec<Ask>) {
    let t = &cat.title;
    let (s, n) = (e.season, e.number);
    let fact = format!("{}.title", key(e));
    let same_season: Vec<V> = cat.season_episodes(s).map(|(_, v)| v.clone()).collect();
    let other_seasons: Vec<V> = cat
        .episodes
        .iter()
        .zip(&cat.titles)
        .filter(|(x, _)| x.season != s)
        .map(|(_, v)| v.clone())
        .collect();
    let difficulty = if n == 1 {
        Difficulty::Medium
    } else {
        Difficulty::Hard
    };
    out.push(
        Ask::new(
            &fact,
            "title",
            Category::Episodes,
            difficulty,
            vec![title.clone()],
        )
        .spoils(Some(e.code()))
        .source(e.source.as_deref())
        .one(
            Phrasing::new(format!(
                "What is the title of season {s}, episode {n} of {t}?"
            ))
            .statement(format!(
                "Season {s}, episode {n} of {t} is titled \"{{}}\"."
            )),
        )
        .sentence(format!(
            "Season {s}, episode {n} of {t} is {}.",
            quoted(&e.title)
        ))
        .tier(same_season)
        .tier(other_seasons),
    );

    let count = i64::from(season_count(cat, s));
    let number = |x: i64| {
        let mut v = (*count_value(x)).clone();
        v.aliases.push(format!("S{s}E{x}"));
        v.aliases.push(format!("episode {x}"));
        Value::plain(v.text, v.aliases)
    };
    let [near, far] = nearby(rng, n.into(), 1, 1, count.max(n.into()));
    out.push(
        Ask::new(
            &fact,
            "number",
            Category::Episodes,
            Difficulty::Hard,
            vec![number(n.into())],
        )
        .spoils(Some(e.code()))
        .source(e.source.as_deref())
        .one(
            Phrasing::new(format!(
                "Which episode of season {s} of {t} is {}? Give its number.",
                quoted(&e.title)
            ))
            .statement(format!(
                "{} is episode {{}} of season {s} of {t}.",
                quoted(&e.title)
            )),
        )
        .sentence(format!(
            "{} is episode {{}} of season {s} of {t}.",
            quoted(&e.title)
        ))
        .tier(near.into_iter().map(number))
        .tier(far.into_iter().map(number)),
    );

    if s > 1 {
        let overall = i64::from(e.overall);
        let total = cat.episodes.len() as i64;
        out.push(
            count_ask(
                rng,
                fact,
                "overall",
                Category::Episodes,
                Difficulty::Hard,
                overall,
                1,
                (1, total.max(overall)),
                Phrasing::new(format!(
                    "Counting from the first episode of {t}, what number is {}?",
                    quoted(&e.title)
                ))
                .statement(format!(
                    "{} is episode {{}} of {t} overall.",
                    quoted(&e.title)
                )),
                format!("{} is episode {{}} of {t} overall.", quoted(&e.title)),
            )
            .spoils(Some(e.code()))
            .source(e.source.as_deref()),
        );
    }
}

fn air_date_asks(cat: &Catalog, rng: &mut ChaCha8Rng, e: &Episode, out: &mut Vec<Ask>) {
    // The first episode's date is the series premiere, asked there.
    if e.season == 1 && e.number == 1 && cat.pack.data.series.premiere == Some(e.air_date) {
        return;
    }
    date_asks(
        rng,
        DateFact {
            fact: format!("{}.air_date", key(e)),
            date: e.air_date,
            category: Category::Dates,
            question: format!("did {} of {} first air", named(e), cat.title),
            statement: format!(
                "The season {} episode {} first aired",
                e.season,
                quoted(&e.title)
            ),
            year: None,
            precise: Some(Difficulty::Hard),
            spoils: Some(e.code()),
            source: e.source.clone(),
        },
        out,
    );
}

/// "Which of these episodes aired before X?": one episode that aired before, three that aired
/// after; episodes of the same season first. Same-day episodes are neither.
fn order_ask(cat: &Catalog, e: &Episode, out: &mut Vec<Ask>) {
    let earlier: Vec<V> = cat
        .episodes
        .iter()
        .zip(&cat.titles)
        .filter(|(x, _)| before(x.air_date, e.air_date))
        .map(|(_, v)| v.clone())
        .collect();
    if earlier.is_empty() {
        return;
    }
    let later = |same: bool| {
        cat.episodes
            .iter()
            .zip(&cat.titles)
            .filter(move |(x, _)| before(e.air_date, x.air_date) && (x.season == e.season) == same)
            .map(|(_, v)| v.clone())
            .collect::<Vec<V>>()
    };
    let t = &cat.title;
    let title = quoted(&e.title);
    out.push(
        Ask::new(
            format!("{}.order", key(e)),
            "aired-before",
            Category::Dates,
            Difficulty::Hard,
            earlier,
        )
        .spoils(Some(e.code()))
        .one(
            Phrasing::new(format!(
                "Which of these episodes of {t} aired before {title}?"
            ))
            .statement(format!("\"{{}}\" aired before {title}.")),
        )
        .sentence(format!(
            "{title} ({}) first aired on {}.",
            e.code(),
            e.air_date.long()
        ))
        .tier(later(true))
        .tier(later(false))
        .forms(Forms::OPTIONS_ONLY)
        .uses(format!("{}.air_date", key(e))),
    );
}

/// Directors, writers, and the teleplay and story credits where the pack separates them.
fn credit_asks(cat: &Catalog, e: &Episode, out: &mut Vec<Ask>) {
    let t = &cat.title;
    let at = Some(e.code());
    let people = |names: &[String]| -> Vec<V> { names.iter().map(|n| cat.person(n, at)).collect() };
    let writers: Vec<String> = if e.writers.is_empty() {
        e.teleplay.iter().chain(&e.story).cloned().collect()
    } else {
        e.writers.clone()
    };
    // Anyone credited on the episode is never a wrong answer about its credits.
    let credited: Vec<V> = people(&e.directors)
        .into_iter()
        .chain(people(&writers))
        .chain(people(&e.teleplay))
        .chain(people(&e.story))
        .collect();
    let name = named(e);
    let of = format!("{name} of {t}");
    let credits = [
        Credit {
            field: "directors",
            names: &e.directors,
            role: Role::Director,
            who: format!("Who directed {of}?"),
            which: format!("Which of these people directed {of}?"),
            name_one: format!("Name one of the directors of {of}."),
            statement: format!("{{}} directed {of}."),
            sentence: format!("{} was directed by {{}}.", big_first(&of)),
        },
        Credit {
            field: "writers",
            names: &writers,
            role: Role::Writer,
            who: format!("Who wrote {of}?"),
            which: format!("Which of these people is credited as a writer of {of}?"),
            name_one: format!("Name one of the credited writers of {of}."),
            statement: format!("{{}} is credited as a writer of {of}."),
            sentence: format!("{} was written by {{}}.", big_first(&of)),
        },
        Credit {
            field: "teleplay",
            names: &e.teleplay,
            role: Role::Writer,
            who: format!("Who wrote the teleplay of {of}?"),
            which: format!("Which of these people wrote the teleplay of {of}?"),
            name_one: format!("Name one of the teleplay writers of {of}."),
            statement: format!("{{}} wrote the teleplay of {of}."),
            sentence: format!("The teleplay of {of} is by {{}}."),
        },
        Credit {
            field: "story",
            names: &e.story,
            role: Role::Writer,
            who: format!("Who has the story credit for {of}?"),
            which: format!("Which of these people has a story credit on {of}?"),
            name_one: format!("Name one of the people credited with the story of {of}."),
            statement: format!("{{}} has a story credit on {of}."),
            sentence: format!("The story of {of} is by {{}}."),
        },
    ];
    for c in credits {
        // Teleplay and story are asked only where the pack tells them apart.
        let split_credit = c.field == "teleplay" || c.field == "story";
        if c.names.is_empty() || (split_credit && e.teleplay == e.story) {
            continue;
        }
        let other_role = match c.role {
            Role::Director => Role::Writer,
            _ => Role::Director,
        };
        let mut ask = Ask::new(
            format!("{}.{}", key(e), c.field),
            "who",
            Category::Crew,
            Difficulty::Hard,
            people(c.names),
        )
        .spoils(at)
        .source(e.source.as_deref())
        .one(Phrasing::new(c.who).statement(c.statement.clone()))
        .many(
            Phrasing::new(c.which)
                .typed(c.name_one)
                .statement(c.statement),
        )
        .sentence(c.sentence)
        .exclude(credited.iter().cloned())
        .tier(cat.role(c.role).iter().cloned())
        .tier(cat.role(other_role).iter().cloned())
        .tier(cat.all_crew.iter().cloned());
        if split_credit {
            ask = ask.uses(format!("{}.writers", key(e)));
        }
        out.push(ask);
    }
}

/// One kind of episode credit and its words.
struct Credit<'a> {
    field: &'static str,
    names: &'a [String],
    role: Role,
    who: String,
    which: String,
    name_one: String,
    statement: String,
    sentence: String,
}

fn running_time_ask(cat: &Catalog, rng: &mut ChaCha8Rng, e: &Episode, out: &mut Vec<Ask>) {
    // An unverified running time is never asked.
    let Some(rt) = e.running_time.as_ref().filter(|rt| rt.verified) else {
        return;
    };
    let minutes = i64::from(rt.minutes);
    let name = named(e);
    let t = &cat.title;
    let mut ask = count_ask(
        rng,
        format!("{}.running_time", key(e)),
        "minutes",
        Category::Episodes,
        Difficulty::Hard,
        minutes,
        3,
        (1, minutes + 60),
        Phrasing::new(format!("How long is {name} of {t}, in minutes?"))
            .statement(format!("{} of {t} runs {{}} minutes.", big_first(&name))),
        format!("{} of {t} runs {{}} minutes.", big_first(&name)),
    )
    .spoils(Some(e.code()))
    .source(e.source.as_deref());
    for v in ask.answers.iter_mut() {
        let mut with_unit = (**v).clone();
        with_unit.aliases.push(format!("{minutes} minutes"));
        *v = Value::plain(with_unit.text, with_unit.aliases);
    }
    out.push(ask);
}

fn big_first(s: &str) -> String {
    crate::quiz::phrase::capitalised(s)
}
