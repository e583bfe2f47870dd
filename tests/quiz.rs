//! Question generation over every pack in `questions/` and `tests/packs/`: properties (any
//! seed, any spoiler limit), coverage of every fact kind, decks, and the awkward cases of the
//! issue (many creators, an actor with several characters, a character with several actors,
//! unverified facts, spoilers).
//!
//! Wrong options are checked against an oracle written here from the pack data directly, not
//! through the generator's own pools, so a generator bug cannot hide itself.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use trivia_bot::answer::Matcher;
use trivia_bot::facts::{Billing, EpisodeCode, FactPack, PackSet, PartialDate, month_name};
use trivia_bot::quiz::{
    self, Category, DeckOptions, Difficulty, Form, GenerateOptions, Question, QuestionPool,
};
use trivia_bot::text::fold;

// ---------------------------------------------------------------------------------------------
// Packs

fn packs() -> &'static [FactPack] {
    static PACKS: OnceLock<Vec<FactPack>> = OnceLock::new();
    PACKS.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dirs: Vec<_> = [root.join("questions"), root.join("tests/packs")]
            .into_iter()
            .filter(|d| d.is_dir())
            .collect();
        let set = PackSet::load_paths(&dirs);
        if let Some(broken) = set.broken.first() {
            let text: Vec<String> = broken.diagnostics.iter().map(|d| d.to_string()).collect();
            panic!(
                "{} does not load:\n{}",
                broken.path.display(),
                text.join("\n")
            );
        }
        assert!(
            set.packs.iter().any(|p| p.id() == "quiz-mini"),
            "tests/packs/quiz-mini.toml is missing"
        );
        set.packs
    })
}

fn pack(id: &str) -> &'static FactPack {
    packs()
        .iter()
        .find(|p| p.id() == id)
        .unwrap_or_else(|| panic!("no pack `{id}`"))
}

/// Every episode code of a pack, in order, as spoiler limits to try.
fn codes(pack: &FactPack) -> Vec<EpisodeCode> {
    let mut c: Vec<EpisodeCode> = pack.data.episodes.iter().map(|e| e.code()).collect();
    c.sort();
    c
}

/// (pack index, seed, spoiler limit or none).
fn case() -> impl Strategy<Value = (usize, u64, Option<usize>)> {
    (
        0..packs().len(),
        any::<u64>(),
        proptest::option::of(0usize..64),
    )
}

fn limit_of(pack: &FactPack, pick: Option<usize>) -> Option<EpisodeCode> {
    let c = codes(pack);
    pick.filter(|_| !c.is_empty()).map(|i| c[i % c.len()])
}

// ---------------------------------------------------------------------------------------------
// The oracle: what the pack says is right, computed from the data alone.

/// `fact/template/form` → (fact, template).
fn parts(q: &Question) -> (&str, &str) {
    let mut it = q.id.rsplitn(3, '/');
    let _form = it.next();
    let template = it.next().unwrap_or_default();
    let fact = it.next().unwrap_or_default();
    (fact, template)
}

/// The names a person goes by, from `[[people]]`.
fn person_names(pack: &FactPack, name: &str) -> Vec<String> {
    let mut out = vec![name.to_string()];
    for p in &pack.data.people {
        if std::iter::once(&p.name)
            .chain(&p.aliases)
            .any(|n| fold(n) == fold(name))
        {
            out.push(p.name.clone());
            out.extend(p.aliases.iter().cloned());
        }
    }
    out
}

fn people(pack: &FactPack, names: &[String]) -> Vec<String> {
    names.iter().flat_map(|n| person_names(pack, n)).collect()
}

fn entity_names(pack: &FactPack, id: &str) -> Vec<String> {
    pack.entity(id)
        .map(|e| {
            std::iter::once(e.name.clone())
                .chain(e.aliases.clone())
                .collect()
        })
        .unwrap_or_default()
}

fn date_truth(date: PartialDate, template: &str) -> Vec<String> {
    match template {
        "year" => vec![date.year.to_string()],
        "month" => vec![month_name(date.month.unwrap_or(0)).to_string()],
        "day" => vec![format!(
            "{} {}",
            date.day.unwrap_or(0),
            month_name(date.month.unwrap_or(0))
        )],
        _ => vec![date.long()],
    }
}

fn code(s: &str) -> EpisodeCode {
    s.parse().unwrap_or_else(|e| panic!("{e}"))
}

/// Characters whose names overlap (one folded name inside the other, "Elin" and "young
/// Elin"): an actor of one plays the other "under some reading".
fn overlapping_characters(pack: &FactPack, id: &str) -> Vec<String> {
    let Some(e) = pack.entity(id) else {
        return vec![];
    };
    let name = format!(" {} ", fold(&e.name));
    pack.data
        .entities
        .iter()
        .filter(|o| {
            let other = format!(" {} ", fold(&o.name));
            o.id == id || other.contains(&name) || name.contains(&other)
        })
        .map(|o| o.id.clone())
        .collect()
}

fn actors_of(pack: &FactPack, character_ids: &[String]) -> Vec<String> {
    let names: Vec<String> = pack
        .data
        .cast
        .iter()
        .filter(|r| r.characters.iter().any(|c| character_ids.contains(c)))
        .map(|r| r.actor.clone())
        .collect();
    people(pack, &names)
}

fn slug(s: &str) -> String {
    fold(s).replace(' ', "-")
}

/// Every value that is right for the question's fact, by the pack; None for facts without
/// wrong options.
fn truths(pack: &FactPack, q: &Question) -> Option<Vec<String>> {
    let (fact, template) = parts(q);
    let d = &pack.data;
    let s = &d.series;
    let season_companies = || -> Vec<String> {
        d.seasons
            .iter()
            .flat_map(|x| x.production_companies.clone())
            .collect()
    };
    let out: Vec<String> = match fact {
        "series.premiere" => date_truth(s.premiere?, template),
        "series.end" => date_truth(s.end?, template),
        "series.creators" => people(pack, &s.creators),
        "series.showrunners" => people(pack, &s.showrunners),
        "series.executive_producers" => people(pack, &s.executive_producers),
        "series.composers" => people(pack, &s.composers),
        "series.production_companies" => s
            .production_companies
            .iter()
            .cloned()
            .chain(season_companies())
            .collect(),
        "series.distributor" => vec![s.distributor.clone()?],
        "series.franchise_position" => {
            let n = s.franchise_position?;
            vec![n.to_string(), ordinal(n)]
        }
        "series.setting" => vec![s.setting.clone()?],
        "series.filming.start" => date_truth(s.filming.as_ref()?.start?, template),
        "series.filming.end" => date_truth(s.filming.as_ref()?.end?, template),
        "series.season_count" => vec![d.seasons.len().to_string()],
        "series.episode_count" => {
            vec![
                d.seasons
                    .iter()
                    .map(|x| x.episode_count)
                    .sum::<u32>()
                    .to_string(),
            ]
        }
        f if f.starts_with("milestone:") => {
            let id = &f["milestone:".len()..];
            vec![s.milestones.iter().find(|m| m.id == id)?.date.long()]
        }
        f if f.starts_with("season:") => {
            let (n, field) = f["season:".len()..].split_once('.')?;
            let season = pack.season(n.parse().ok()?)?;
            match field {
                "episode_count" => vec![season.episode_count.to_string()],
                "premiere" => date_truth(season.premiere?, template),
                "finale" => date_truth(season.finale?, template),
                "showrunners" => people(pack, &season.showrunners),
                "production_companies" => season
                    .production_companies
                    .iter()
                    .chain(&s.production_companies)
                    .cloned()
                    .collect(),
                "setting" => vec![season.setting.clone()?],
                _ => panic!("unknown season fact {f}"),
            }
        }
        f if f.starts_with("episode:") => {
            let (c, field) = f["episode:".len()..].split_once('.')?;
            let e = pack.episode(code(c))?;
            let credited = || {
                let all: Vec<String> = e
                    .directors
                    .iter()
                    .chain(&e.writers)
                    .chain(&e.teleplay)
                    .chain(&e.story)
                    .cloned()
                    .collect();
                people(pack, &all)
            };
            match (field, template) {
                ("title", "title") => std::iter::once(e.title.clone())
                    .chain(e.aliases.clone())
                    .collect(),
                ("title", "number") => vec![e.number.to_string()],
                ("title", "overall") => vec![e.overall.to_string()],
                ("air_date", _) => date_truth(e.air_date, template),
                ("order", _) => d
                    .episodes
                    .iter()
                    .filter(|x| !aired_after(x.air_date, e.air_date))
                    .flat_map(|x| std::iter::once(x.title.clone()).chain(x.aliases.clone()))
                    .collect(),
                ("directors", _) => people(pack, &e.directors),
                ("writers" | "teleplay" | "story", _) => credited(),
                ("running_time", _) => vec![e.running_time.as_ref()?.minutes.to_string()],
                _ => panic!("unknown episode fact {f}/{template}"),
            }
        }
        f if f.starts_with("cast.main:S") => {
            let n: u32 = f["cast.main:S".len()..].parse().ok()?;
            let names: Vec<String> = d
                .cast
                .iter()
                .filter(|r| r.billing == Billing::Main && r.seasons.contains(&n))
                .map(|r| r.actor.clone())
                .collect();
            people(pack, &names)
        }
        f if f.starts_with("cast.reprise:") => return None,
        f if f.starts_with("cast.actor:")
            || (f.starts_with("cast:") && template == "which-character") =>
        {
            let rows: Vec<_> = if let Some(s) = f.strip_prefix("cast.actor:") {
                d.cast.iter().filter(|r| slug(&r.actor) == s).collect()
            } else {
                let id = &f["cast:".len()..];
                let actor = &d
                    .cast
                    .iter()
                    .find(|r| r.characters.iter().any(|c| c == id))?
                    .actor;
                d.cast
                    .iter()
                    .filter(|r| fold(&r.actor) == fold(actor))
                    .collect()
            };
            rows.iter()
                .flat_map(|r| r.characters.iter())
                .flat_map(|c| overlapping_characters(pack, c))
                .flat_map(|c| entity_names(pack, &c))
                .collect()
        }
        f if f.starts_with("cast:") => {
            let id = f["cast:".len()..].split('.').next()?;
            actors_of(pack, &overlapping_characters(pack, id))
        }
        f if f.starts_with("entity:") => {
            let (id, field) = f["entity:".len()..].split_once('.')?;
            let e = pack.entity(id)?;
            match field {
                "kind" => d
                    .entities
                    .iter()
                    .filter(|o| o.kind == e.kind)
                    .flat_map(|o| entity_names(pack, &o.id))
                    .collect(),
                "introduced" => {
                    let x = pack.episode(e.introduced?)?;
                    std::iter::once(x.title.clone())
                        .chain(x.aliases.clone())
                        .collect()
                }
                _ => panic!("unknown entity fact {f}"),
            }
        }
        f if f.starts_with("plot:") => {
            let (c, k) = f["plot:".len()..].split_once('.')?;
            let k: usize = k.parse().ok()?;
            let p = d
                .plot_points
                .iter()
                .filter(|p| p.episode == code(c))
                .nth(k - 1)?;
            let blank = fold(&p.with_blank("___"));
            d.plot_points
                .iter()
                .filter(|o| fold(&o.with_blank("___")) == blank)
                .flat_map(|o| {
                    let mut v = vec![o.answer_span().unwrap_or_default().to_string()];
                    v.extend(o.aliases.clone());
                    if let Some(id) = &o.entity {
                        v.extend(entity_names(pack, id));
                    }
                    v
                })
                .collect()
        }
        _ => return None,
    };
    Some(out)
}

fn ordinal(n: u32) -> String {
    const W: [&str; 12] = [
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
        "tenth", "eleventh", "twelfth",
    ];
    W.get(n as usize - 1)
        .map_or(n.to_string(), |w| w.to_string())
}

fn is_true(truths: &[String], value: &str) -> bool {
    let v = fold(value).replace(' ', "");
    truths.iter().any(|t| fold(t).replace(' ', "") == v)
}

/// The values put into the true and the false statement of one fact: a right value is found
/// in the true statement where the rest of it also frames the false one; what the false one
/// has in its place is its value.
fn statement_values(truths: &[String], t: &str, f: &str) -> Option<(String, String)> {
    let mut sorted: Vec<&String> = truths.iter().filter(|x| !x.is_empty()).collect();
    sorted.sort_by_key(|x| std::cmp::Reverse(x.len()));
    for truth in sorted {
        for (i, _) in t.match_indices(truth.as_str()) {
            let (prefix, suffix) = (&t[..i], &t[i + truth.len()..]);
            if f.len() > prefix.len() + suffix.len() && f.starts_with(prefix) && f.ends_with(suffix)
            {
                let value = &f[prefix.len()..f.len() - suffix.len()];
                return Some((truth.clone(), value.to_string()));
            }
        }
    }
    None
}

/// Whether `x` aired certainly after `e` (partial dates read as their whole span).
fn aired_after(x: PartialDate, e: PartialDate) -> bool {
    let lo = (x.year, x.month.unwrap_or(1), x.day.unwrap_or(1));
    let hi = (e.year, e.month.unwrap_or(12), e.day.unwrap_or(31));
    lo > hi
}

// ---------------------------------------------------------------------------------------------
// Checks shared by the properties

fn check_shape(q: &Question) -> Result<(), String> {
    let folded: Vec<String> = q.choices.iter().map(|c| fold(c)).collect();
    let unique: HashSet<&String> = folded.iter().collect();
    match q.form {
        Form::MultipleChoice => {
            if q.choices.len() != 4 {
                return Err(format!("{}: {} choices", q.id, q.choices.len()));
            }
            let i = q.correct.ok_or(format!("{}: no correct index", q.id))?;
            if q.choices.get(i) != Some(&q.answer) {
                return Err(format!("{}: correct index does not hold the answer", q.id));
            }
            let times = folded.iter().filter(|c| **c == fold(&q.answer)).count();
            if times != 1 {
                return Err(format!(
                    "{}: the answer is among the choices {times} times",
                    q.id
                ));
            }
            if unique.len() != 4 {
                return Err(format!("{}: duplicate choices {:?}", q.id, q.choices));
            }
            for (j, c) in q.choices.iter().enumerate() {
                if j != i && q.accepted.iter().any(|a| fold(a) == fold(c)) {
                    return Err(format!("{}: wrong choice {c} is an accepted answer", q.id));
                }
            }
        }
        Form::TrueFalse => {
            if q.choices != ["True", "False"] || q.correct.map(|i| &q.choices[i]) != Some(&q.answer)
            {
                return Err(format!("{}: malformed true/false", q.id));
            }
        }
        Form::Typed => {
            if !q.choices.is_empty() || q.correct.is_some() {
                return Err(format!("{}: a typed question has choices", q.id));
            }
        }
    }
    if q.accepted.is_empty() || q.prompt.is_empty() || q.source.is_empty() || q.answer.is_empty() {
        return Err(format!(
            "{}: empty prompt, answer, accepted or source",
            q.id
        ));
    }
    Ok(())
}

fn check_truth(
    pack: &FactPack,
    q: &Question,
    by_id: &HashMap<&str, &Question>,
) -> Result<(), String> {
    let Some(truths) = truths(pack, q) else {
        return Ok(());
    };
    match q.form {
        Form::MultipleChoice => {
            for (j, c) in q.choices.iter().enumerate() {
                let right = is_true(&truths, c);
                if Some(j) == q.correct && !right {
                    return Err(format!("{}: the answer {c} is not right by the pack", q.id));
                }
                if Some(j) != q.correct && right {
                    return Err(format!(
                        "{}: the wrong choice {c} is right by the pack",
                        q.id
                    ));
                }
            }
        }
        Form::TrueFalse => {
            // Compare with the other statement of the same fact and template.
            let prefix = q.id.rsplit_once('/').map(|(p, _)| p).unwrap_or_default();
            let other_tag = if q.answer == "True" {
                "tf-false"
            } else {
                "tf-true"
            };
            let Some(other) = by_id.get(format!("{prefix}/{other_tag}").as_str()) else {
                return Err(format!("{}: its counterpart statement is missing", q.id));
            };
            let (t, f) = if q.answer == "True" {
                (&q.prompt, &other.prompt)
            } else {
                (&other.prompt, &q.prompt)
            };
            let Some((tv, fv)) = statement_values(&truths, t, f) else {
                return Err(format!(
                    "{}: the true statement holds no right value: {t}",
                    q.id
                ));
            };
            if is_true(&truths, &fv) {
                return Err(format!(
                    "{}: the false statement's value {fv:?} is right by the pack (true: {tv:?})",
                    q.id
                ));
            }
        }
        Form::Typed => {
            // Names must be right by the pack; numbers and dates are also accepted in other
            // spellings ("ten", "2020-01-23", "S1E2"), which the pack does not list.
            let (_, template) = parts(q);
            let spelled = [
                "year", "day", "month", "count", "number", "overall", "minutes", "ordinal", "date",
            ];
            let number = template == "blank" && q.answer.chars().any(|c| c.is_ascii_digit());
            if spelled.contains(&template) || number {
                return Ok(());
            }
            for a in &q.accepted {
                if !is_true(&truths, a) {
                    return Err(format!("{}: accepted {a:?} is not right by the pack", q.id));
                }
            }
        }
    }
    Ok(())
}

/// What a value gives away: the earliest episode each name of the pack appears in, for names
/// that only appear later (episode titles, introduced entities, actors of later seasons).
fn earliest_names(pack: &FactPack) -> HashMap<String, EpisodeCode> {
    let mut first: HashMap<String, EpisodeCode> = HashMap::new();
    let mut note = |name: &str, at: EpisodeCode| {
        let e = first.entry(fold(name)).or_insert(at);
        *e = (*e).min(at);
    };
    for e in &pack.data.episodes {
        note(&e.title, e.code());
    }
    for e in &pack.data.entities {
        if let Some(at) = e.introduced {
            note(&e.name, at);
        }
    }
    for r in &pack.data.cast {
        if let Some(&s) = r.seasons.iter().min() {
            note(
                &r.actor,
                EpisodeCode {
                    season: s,
                    episode: 1,
                },
            );
        }
    }
    // Names also used by series-level facts give nothing away.
    let s = &pack.data.series;
    for n in s
        .creators
        .iter()
        .chain(&s.executive_producers)
        .chain(&s.showrunners)
    {
        first.remove(&fold(n));
    }
    first
}

fn check_spoilers(
    q: &Question,
    limit: EpisodeCode,
    earliest: &HashMap<String, EpisodeCode>,
) -> Result<(), String> {
    if q.spoils.is_some_and(|s| s > limit) {
        return Err(format!("{}: spoils {:?} beyond {limit}", q.id, q.spoils));
    }
    for text in q.choices.iter().chain([&q.answer]) {
        if let Some(&at) = earliest.get(&fold(text))
            && at > limit
        {
            return Err(format!(
                "{}: {text:?} first appears in {at}, beyond {limit}",
                q.id
            ));
        }
    }
    Ok(())
}

fn check_matcher(q: &Question) -> Result<(), String> {
    let m = Matcher::for_question(q);
    for a in &q.accepted {
        let v = m.judge(a);
        if !v.is_right() {
            return Err(format!("{}: the matcher judges accepted {a:?} {v:?}", q.id));
        }
    }
    if q.form == Form::MultipleChoice {
        for (j, c) in q.choices.iter().enumerate() {
            if Some(j) != q.correct && m.judge(c).is_right() {
                return Err(format!(
                    "{}: the matcher accepts the wrong choice {c:?}",
                    q.id
                ));
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Properties

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// For any seed and spoiler limit: well-formed questions, wrong options never right by the
    /// pack, nothing beyond the limit, and the matcher agrees with accepted and wrong answers.
    #[test]
    fn generated_questions_are_sound((p, seed, pick) in case()) {
        let pack = &packs()[p];
        let limit = limit_of(pack, pick);
        let qs = quiz::generate_with(pack, &GenerateOptions { seed, spoiler_limit: limit });
        let earliest = earliest_names(pack);
        let by_id: HashMap<&str, &Question> = qs.iter().map(|q| (q.id.as_str(), q)).collect();
        prop_assert_eq!(by_id.len(), qs.len(), "duplicate ids");
        for q in &qs {
            prop_assert_eq!(&q.pack, pack.id());
            let r = check_shape(q)
                .and_then(|_| check_truth(pack, q, &by_id))
                .and_then(|_| check_matcher(q))
                .and_then(|_| limit.map_or(Ok(()), |l| check_spoilers(q, l, &earliest)));
            prop_assert!(r.is_ok(), "{}: {}", pack.id(), r.unwrap_err());
        }
    }

    /// The same options give the same deck; the deck honours its filters and count.
    #[test]
    fn decks_are_reproducible_and_filtered(
        (p, seed, pick) in case(),
        count in 1usize..40,
        cats in proptest::sample::subsequence(Category::ALL.to_vec(), 0..3),
        diffs in proptest::sample::subsequence(vec![Difficulty::Easy, Difficulty::Medium, Difficulty::Hard], 0..2),
        forms in proptest::sample::subsequence(vec![Form::MultipleChoice, Form::TrueFalse, Form::Typed], 0..2),
    ) {
        let pack = &packs()[p];
        let opts = DeckOptions {
            seed,
            count,
            categories: cats.clone(),
            difficulties: diffs.clone(),
            forms: forms.clone(),
            spoiler_limit: limit_of(pack, pick),
        };
        let deck = quiz::deal(pack, &opts);
        prop_assert_eq!(&deck, &quiz::deal(pack, &opts));
        let pool = QuestionPool::new(pack, opts.spoiler_limit);
        let pool: Vec<&Question> = pool.questions()
            .map(|q| &**q)
            .filter(|q| (cats.is_empty() || cats.contains(&q.category))
                && (diffs.is_empty() || diffs.contains(&q.difficulty))
                && (forms.is_empty() || forms.contains(&q.form)))
            .collect();
        let facts: HashSet<&str> = pool.iter().map(|q| q.fact.as_str()).collect();
        prop_assert_eq!(deck.len(), if pool.is_empty() { 0 } else { count });
        for q in &deck {
            let from = pool.iter().find(|p| p.id == q.id);
            prop_assert!(from.is_some(), "{} is not in the filtered pool", q.id);
            let from = from.unwrap();
            // Dealt as generated, but for the order of its options.
            let mut shown = q.choices.clone();
            let mut generated = from.choices.clone();
            shown.sort();
            generated.sort();
            prop_assert_eq!(shown, generated);
            prop_assert_eq!(
                q.correct.map(|i| &q.choices[i]),
                from.correct.map(|i| &from.choices[i])
            );
            let reordered = Question { choices: from.choices.clone(), correct: from.correct, ..(**q).clone() };
            prop_assert_eq!(&reordered, *from);
        }
        // No fact twice before every fact has come once.
        let first_round: Vec<&str> = deck.iter().take(facts.len()).map(|q| q.fact.as_str()).collect();
        let distinct: HashSet<&&str> = first_round.iter().collect();
        prop_assert_eq!(distinct.len(), first_round.len(), "a fact repeats before the pack is exhausted");
    }
}

#[test]
fn generation_is_deterministic_and_seeds_differ() {
    for pack in packs() {
        let a = quiz::generate(pack);
        assert_eq!(a, quiz::generate(pack), "{}", pack.id());
        let opts = |seed| DeckOptions {
            seed,
            count: 10,
            ..DeckOptions::default()
        };
        if a.len() > 20 {
            assert_ne!(
                quiz::deal(pack, &opts(1)),
                quiz::deal(pack, &opts(2)),
                "{}: two seeds dealt the same deck",
                pack.id()
            );
        }
    }
}

#[test]
fn dealt_decks_put_the_right_option_anywhere_with_equal_odds() {
    // Decks share their pool's questions (generated once), so the deal itself must reorder
    // the options: otherwise the answer to a fact would sit in the same place every game.
    let mut at = [0usize; 4];
    for pack in packs() {
        let pool = QuestionPool::new(pack, None);
        for seed in 0..200 {
            let deck = pool.deal(&DeckOptions {
                seed,
                count: 20,
                forms: vec![Form::MultipleChoice],
                ..DeckOptions::default()
            });
            for q in deck {
                at[q.correct.expect("multiple choice")] += 1;
            }
        }
    }
    let total: usize = at.iter().sum();
    assert!(total > 1000, "{total} questions dealt");
    for (i, n) in at.iter().enumerate() {
        let share = *n as f64 / total as f64;
        assert!(
            (0.2..0.3).contains(&share),
            "option {i} right {share:.3} of the time: {at:?}"
        );
    }
}

#[test]
fn the_right_option_is_anywhere_with_equal_odds() {
    let mut at = [0usize; 4];
    for seed in 0..40 {
        for pack in packs() {
            for q in quiz::generate_with(
                pack,
                &GenerateOptions {
                    seed,
                    spoiler_limit: None,
                },
            ) {
                if let (Form::MultipleChoice, Some(i)) = (q.form, q.correct) {
                    at[i] += 1;
                }
            }
        }
    }
    let total: usize = at.iter().sum();
    for (i, n) in at.iter().enumerate() {
        let share = *n as f64 / total as f64;
        assert!(
            (0.22..0.28).contains(&share),
            "position {i} holds the answer in {share:.3} of {total} questions: {at:?}"
        );
    }
}

#[test]
fn true_and_false_statements_are_balanced() {
    for pack in packs() {
        let qs = quiz::generate(pack);
        let t = qs
            .iter()
            .filter(|q| q.form == Form::TrueFalse && q.answer == "True")
            .count();
        let f = qs
            .iter()
            .filter(|q| q.form == Form::TrueFalse && q.answer == "False")
            .count();
        assert_eq!(t, f, "{}", pack.id());
    }
}

#[test]
fn a_deck_longer_than_the_pack_wraps_round_without_early_repeats() {
    let pack = pack("harbour-lights");
    let opts = DeckOptions {
        seed: 5,
        count: 10_000,
        categories: vec![Category::Crew],
        ..DeckOptions::default()
    };
    let pool = quiz::generate_with(
        pack,
        &GenerateOptions {
            seed: 5,
            spoiler_limit: None,
        },
    );
    let facts: HashSet<&str> = pool
        .iter()
        .filter(|q| q.category == Category::Crew)
        .map(|q| q.fact.as_str())
        .collect();
    let deck = quiz::deal(pack, &opts);
    assert_eq!(deck.len(), 10_000);
    for round in deck.chunks(facts.len()).filter(|r| r.len() == facts.len()) {
        let seen: HashSet<&str> = round.iter().map(|q| q.fact.as_str()).collect();
        assert_eq!(seen, facts, "each round asks every fact once");
    }
    // Within one fact, a question comes back only after the fact's other questions.
    let mut per_fact: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for q in &deck {
        per_fact.entry(&q.fact).or_default().push(&q.id);
    }
    for (fact, ids) in per_fact {
        let distinct = pool.iter().filter(|q| q.fact == fact).count();
        for cycle in ids.chunks(distinct) {
            let set: HashSet<&&str> = cycle.iter().collect();
            assert_eq!(
                set.len(),
                cycle.len(),
                "{fact}: a question repeats before its siblings"
            );
        }
    }
}

#[test]
fn forms_are_mixed_when_none_is_asked_for() {
    let deck = quiz::deal(
        pack("quiz-mini"),
        &DeckOptions {
            seed: 11,
            count: 60,
            ..DeckOptions::default()
        },
    );
    for form in [Form::MultipleChoice, Form::TrueFalse, Form::Typed] {
        assert!(
            deck.iter().any(|q| q.form == form),
            "no {form:?} question in 60"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Coverage

/// Every kind of fact the format has, all present in quiz-mini.
const KINDS: &[&str] = &[
    "series.premiere",
    "series.end",
    "series.creators",
    "series.showrunners",
    "series.executive_producers",
    "series.composers",
    "series.production_companies",
    "series.distributor",
    "series.network",
    "series.country",
    "series.language",
    "series.franchise_position",
    "series.filming.start",
    "series.filming.end",
    "series.filming.location",
    "series.setting",
    "series.based_on",
    "milestone",
    "season.episode_count",
    "season.premiere",
    "season.finale",
    "season.showrunners",
    "season.production_companies",
    "season.setting",
    "season.notes",
    "episode.title",
    "episode.air_date",
    "episode.directors",
    "episode.writers",
    "episode.running_time",
    "episode.synopsis",
    "cast",
    "cast.reprises_from",
    "entity.character",
    "entity.place",
    "entity.ship",
    "entity.organisation",
    "entity.species",
    "entity.thing",
    "entity.description",
    "plot_point",
];

#[test]
fn every_fact_kind_a_pack_holds_yields_questions() {
    let mini = quiz::coverage(pack("quiz-mini"));
    for kind in KINDS {
        assert!(
            mini.kinds.iter().any(|k| k.kind == *kind),
            "quiz-mini holds no `{kind}`: the test pack should hold every kind"
        );
    }
    for pack in packs() {
        let c = quiz::coverage(pack);
        println!("pack {} — {} questions", pack.id(), c.questions);
        for k in &c.kinds {
            println!(
                "  {:<28} {:>3} items, {:>3} askable, {:>3} used, {:>4} questions",
                k.kind, k.items, k.askable, k.used, k.questions
            );
            assert!(
                k.askable == 0 || k.used > 0,
                "{}: no question uses any `{}`",
                pack.id(),
                k.kind
            );
            assert!(KINDS.contains(&k.kind.as_str()), "unknown kind {}", k.kind);
        }
        println!("  facts no question uses:");
        for u in &c.unused {
            println!("    {} ({})", u.key, u.why);
        }
    }
    // In the test pack, only free text and the unverified running time go unused.
    for u in &mini.unused {
        assert!(
            u.why.starts_with("free text") || u.why.starts_with("unverified"),
            "quiz-mini: {} unused: {}",
            u.key,
            u.why
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The cases the issue names

fn all(pack: &FactPack) -> Vec<Question> {
    (0..10)
        .flat_map(|seed| {
            quiz::generate_with(
                pack,
                &GenerateOptions {
                    seed,
                    spoiler_limit: None,
                },
            )
        })
        .collect()
}

#[test]
fn series_dates_come_from_the_series_and_crew_from_the_episode() {
    for pack in packs() {
        let qs = all(pack);
        if let Some(premiere) = pack.data.series.premiere {
            for q in qs.iter().filter(|q| q.fact == "series.premiere") {
                assert!(
                    q.source.contains(&premiere.long()),
                    "{}: {}",
                    q.id,
                    q.source
                );
            }
        }
        for q in &qs {
            let p = q.prompt.to_lowercase();
            assert!(
                !p.contains("series' director") && !p.contains("series director"),
                "{}",
                q.prompt
            );
        }
        for e in &pack.data.episodes {
            let fact = format!("episode:{}.directors", e.code());
            for q in qs
                .iter()
                .filter(|q| q.fact == fact && q.form == Form::Typed)
            {
                assert!(
                    q.prompt
                        .contains(&format!("season {} episode \"{}\"", e.season, e.title)),
                    "{}",
                    q.prompt
                );
                for d in &e.directors {
                    assert!(q.accepted.contains(d), "{}: {d} not accepted", q.id);
                }
            }
        }
    }
}

#[test]
fn picard_premiere_and_absolute_candor() {
    let Some(pack) = packs().iter().find(|p| p.id() == "picard") else {
        return;
    };
    let qs = all(pack);
    let day = qs
        .iter()
        .find(|q| q.id == "series.premiere/day/typed")
        .expect("a premiere date question");
    assert_eq!(day.answer, "23 January");
    assert!(day.prompt.contains("2020"));
    let year = qs
        .iter()
        .find(|q| q.id == "series.premiere/year/typed")
        .unwrap();
    assert_eq!(year.answer, "2020");
    let director = qs
        .iter()
        .find(|q| q.id == "episode:S1E4.directors/who/typed")
        .expect("a director question for Absolute Candor");
    assert_eq!(
        director.prompt,
        "Who directed the season 1 episode \"Absolute Candor\" of Star Trek: Picard?"
    );
    assert_eq!(director.answer, "Jonathan Frakes");
}

#[test]
fn unverified_facts_are_never_asked() {
    for pack in packs() {
        for e in pack
            .data
            .episodes
            .iter()
            .filter(|e| e.running_time.as_ref().is_some_and(|r| !r.verified))
        {
            let fact = format!("episode:{}.running_time", e.code());
            assert!(
                all(pack).iter().all(|q| q.fact != fact),
                "{}: {fact} asked",
                pack.id()
            );
        }
    }
}

#[test]
fn many_creators_never_offer_another_creator_as_wrong() {
    let pack = pack("quiz-mini");
    let creators = &pack.data.series.creators;
    let qs = all(pack);
    let mc: Vec<&Question> = qs
        .iter()
        .filter(|q| q.fact == "series.creators" && q.form == Form::MultipleChoice)
        .collect();
    assert!(!mc.is_empty());
    for q in mc {
        assert!(q.prompt.contains("one of the creators"), "{}", q.prompt);
        let offered = q.choices.iter().filter(|c| creators.contains(c)).count();
        assert_eq!(offered, 1, "{:?}", q.choices);
    }
    let typed = qs
        .iter()
        .find(|q| q.fact == "series.creators" && q.form == Form::Typed)
        .unwrap();
    for c in creators {
        assert!(typed.accepted.contains(c));
    }
}

#[test]
fn an_actor_with_several_characters_is_asked_unambiguously() {
    let pack = pack("quiz-mini");
    let hers = ["Dara", "Sola", "Kora Lund"];
    for q in all(pack)
        .iter()
        .filter(|q| q.fact == "cast.actor:isla-brin")
    {
        match q.form {
            Form::MultipleChoice => {
                assert!(
                    q.prompt.starts_with("Which of these characters"),
                    "{}",
                    q.prompt
                );
                let offered = q
                    .choices
                    .iter()
                    .filter(|c| hers.contains(&c.as_str()))
                    .count();
                assert_eq!(offered, 1, "{:?}", q.choices);
            }
            Form::Typed => {
                assert!(q.prompt.contains("more than one character"), "{}", q.prompt);
                for c in hers {
                    assert!(q.accepted.iter().any(|a| a == c), "{c} not accepted");
                }
            }
            Form::TrueFalse => {}
        }
    }
}

#[test]
fn a_character_with_two_actors_says_which() {
    let pack = pack("quiz-mini");
    let qs = all(pack);
    // Different seasons: one question per season.
    let s1: Vec<&Question> = qs.iter().filter(|q| q.fact == "cast:oracle.s1").collect();
    assert!(!s1.is_empty());
    for q in &s1 {
        if q.form != Form::TrueFalse {
            assert!(q.prompt.contains("in season 1 of"), "{}", q.prompt);
            assert!(
                !q.choices.iter().any(|c| c == "Hal Imre"),
                "{:?}",
                q.choices
            );
        }
    }
    // The same season: "Which of these actors", both accepted when typed.
    for q in qs.iter().filter(|q| q.fact == "cast:guide") {
        match q.form {
            Form::MultipleChoice => {
                assert!(
                    q.prompt.starts_with("Which of these actors"),
                    "{}",
                    q.prompt
                );
                let both = q
                    .choices
                    .iter()
                    .filter(|c| *c == "Jo Park" || *c == "Kim Lo")
                    .count();
                assert_eq!(both, 1, "{:?}", q.choices);
            }
            Form::Typed => {
                assert!(q.accepted.contains(&"Jo Park".to_string()));
                assert!(q.accepted.contains(&"Kim Lo".to_string()));
            }
            Form::TrueFalse => {}
        }
    }
    // "young Elin" is Elin in part: her actor is never a wrong option for Elin, and back.
    for q in qs
        .iter()
        .filter(|q| q.fact == "cast:elin" || q.fact == "cast:young-elin")
    {
        let other = if q.fact == "cast:elin" {
            "Quin Abbot"
        } else {
            "Uma Vance"
        };
        assert!(
            !q.choices.iter().any(|c| c == other),
            "{}: {:?}",
            q.id,
            q.choices
        );
    }
}

#[test]
fn plot_points_never_offer_what_the_sentence_names_or_another_right_answer() {
    let pack = pack("quiz-mini");
    for q in all(pack).iter().filter(|q| q.form == Form::MultipleChoice) {
        match q.fact.as_str() {
            "plot:S1E3.1" => assert!(!q.choices.iter().any(|c| c == "Dara"), "{:?}", q.choices),
            "plot:S1E2.3" => assert!(!q.choices.iter().any(|c| c == "Corin"), "{:?}", q.choices),
            "plot:S2E4.1" => assert!(!q.choices.iter().any(|c| c == "Vesta"), "{:?}", q.choices),
            _ => {}
        }
    }
}

#[test]
fn a_spoiler_limit_hides_later_seasons_from_questions_and_options() {
    let pack = pack("quiz-mini");
    let limit = code("S1E4");
    let later = [
        "Kora Lund",
        "Bex",
        "the Guide",
        "Jo Park",
        "Kim Lo",
        "Vigil",
        "Tarsis Moon",
        "Lantern Light",
        "The Watcher",
        "Kestrel",
    ];
    for seed in 0..20 {
        let deck = quiz::deal(
            pack,
            &DeckOptions {
                seed,
                count: 200,
                spoiler_limit: Some(limit),
                ..DeckOptions::default()
            },
        );
        assert!(!deck.is_empty());
        for q in &deck {
            assert!(q.spoils.is_none_or(|s| s <= limit), "{}", q.id);
            let text = format!("{} {:?} {} {}", q.prompt, q.choices, q.answer, q.source);
            for name in later {
                assert!(!text.contains(name), "{}: mentions {name}: {text}", q.id);
            }
        }
    }
    // Still plenty to ask: multiple choice survives the limit with safe distractors.
    let limited = quiz::generate_with(
        pack,
        &GenerateOptions {
            seed: 0,
            spoiler_limit: Some(limit),
        },
    );
    let mc = |qs: &[Question]| {
        qs.iter()
            .filter(|q| q.id == "cast:vera/who-plays/mc")
            .count()
    };
    assert_eq!(
        mc(&limited),
        1,
        "who plays Vera Kell keeps its multiple choice under S1E4"
    );
}

#[test]
fn every_question_carries_its_source() {
    for pack in packs() {
        for q in quiz::generate(pack) {
            assert!(q.source.len() > 10, "{}: {}", q.id, q.source);
            assert!(
                q.source.len() <= 1024,
                "{}: a source longer than an embed field",
                q.id
            );
        }
    }
}

#[test]
fn json_has_the_fields_the_cli_promises() {
    let q = &quiz::generate(pack("quiz-mini"))[0];
    let v = serde_json::to_value(q).unwrap();
    for key in [
        "prompt",
        "choices",
        "answer",
        "accepted",
        "category",
        "difficulty",
        "form",
        "source",
    ] {
        assert!(v.get(key).is_some(), "no `{key}` in {v}");
    }
}

// ---------------------------------------------------------------------------------------------
// The command line

fn questions_command(args: &[&str]) -> std::process::Output {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/packs");
    std::process::Command::new(env!("CARGO_BIN_EXE_trivia-bot"))
        .arg("--questions-dir")
        .arg(&dir)
        .arg("questions")
        .args(args)
        .env_remove("QUESTIONS_DIR")
        .output()
        .expect("the trivia-bot binary runs")
}

#[test]
fn the_questions_command_prints_a_reproducible_json_deck() {
    let args = [
        "--pack",
        "quiz-mini",
        "--count",
        "7",
        "--seed",
        "9",
        "--spoilers-up-to",
        "S1E4",
        "--json",
    ];
    let out = questions_command(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let deck: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let deck = deck.as_array().expect("an array");
    assert_eq!(deck.len(), 7);
    for q in deck {
        for key in [
            "prompt",
            "choices",
            "answer",
            "accepted",
            "category",
            "difficulty",
            "form",
            "source",
        ] {
            assert!(q.get(key).is_some(), "no `{key}` in {q}");
        }
        let typed = q["form"] == "typed";
        assert_eq!(q["choices"].as_array().unwrap().is_empty(), typed, "{q}");
    }
    assert_eq!(
        questions_command(&args).stdout,
        out.stdout,
        "the same seed, the same deck"
    );
    let same = quiz::deal(
        pack("quiz-mini"),
        &DeckOptions {
            seed: 9,
            count: 7,
            spoiler_limit: Some(code("S1E4")),
            ..DeckOptions::default()
        },
    );
    assert_eq!(
        serde_json::to_value(&same).unwrap(),
        serde_json::Value::Array(deck.clone())
    );
}

#[test]
fn the_questions_command_prints_text_and_explains_bad_input() {
    let out = questions_command(&["--pack", "quiz-mini", "--count", "3", "--category", "cast"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("Starlane Drift — 3 questions"), "{text}");
    assert!(
        text.contains("[cast ·") && text.contains("Source:"),
        "{text}"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--seed"),
        "the random seed is printed"
    );

    let bad = questions_command(&["--category", "gossip"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("use one of dates"));

    let missing = questions_command(&["--pack", "nope"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("known packs"));
}
