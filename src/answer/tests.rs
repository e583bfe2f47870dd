use proptest::prelude::*;

use super::*;
use crate::quiz::{Difficulty, Form as QuestionForm};
use crate::text::english::number_word;

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// Surnames as near misses (`Matcher::new`).
fn plain(accepted: &[&str], confusables: &[&str]) -> Matcher {
    Matcher::new(&strings(accepted), &strings(confusables))
}

/// Surnames right (as for cast, crew and universe questions).
fn names(accepted: &[&str], confusables: &[&str]) -> Matcher {
    Matcher::with_options(
        &strings(accepted),
        &strings(confusables),
        Options { surnames: true },
    )
}

fn near(v: Verdict) -> f64 {
    match v {
        Verdict::NearMiss { closeness } => closeness,
        other => panic!("expected a near miss, got {other:?}"),
    }
}

const PICARD_CAST: &[&str] = &[
    "Patrick Stewart",
    "Santiago Cabrera",
    "Michelle Hurd",
    "Evan Evagora",
    "Alison Pill",
    "Harry Treadaway",
    "Isa Briones",
    "Brent Spiner",
    "Jeri Ryan",
    "Jonathan Del Arco",
];

const PICARD_CHARACTERS: &[&str] = &[
    "Jean-Luc Picard",
    "Cristóbal Rios",
    "Raffi Musiker",
    "Agnes Jurati",
    "Soji Asha",
    "Dahj Asha",
    "Data",
    "Elnor",
    "Narek",
    "Narissa Rizzo",
    "William Riker",
    "Altan Inigo Soong",
    "Noonien Soong",
];

/// The characters other than `answer`.
fn other_characters(answer: &str) -> Vec<&'static str> {
    PICARD_CHARACTERS
        .iter()
        .copied()
        .filter(|c| *c != answer)
        .collect()
}

#[test]
fn normalises_case_diacritics_punctuation_and_spaces() {
    let m = plain(&["Jean-Luc Picard"], &["Cristóbal Rios"]);
    for input in [
        "Jean-Luc Picard",
        "jean luc picard",
        "  JEAN   LUC  PICARD!! ",
        "Jéan-Lüc Picard.",
        "jean—luc “picard”",
    ] {
        assert_eq!(m.judge(input), Verdict::Right, "{input}");
    }
    let m = plain(&["Cristóbal Rios"], &[]);
    assert_eq!(m.judge("cristobal rios"), Verdict::Right);
    assert_eq!(plain(&["Võx"], &[]).judge("VOX"), Verdict::Right);
}

#[test]
fn strips_leading_articles_and_titles_on_both_sides() {
    let m = plain(&["USS Enterprise"], &["La Sirena"]);
    for input in [
        "Enterprise",
        "the enterprise",
        "U.S.S. Enterprise",
        "The USS Enterprise",
    ] {
        assert_eq!(m.judge(input), Verdict::Right, "{input}");
    }
    let m = plain(&["Data"], &[]);
    assert_eq!(m.judge("Commander Data"), Verdict::Right);
    assert_eq!(m.judge("Lt. Cmdr. Data"), Verdict::Right);
    let m = plain(&["Admiral Jean-Luc Picard"], &[]);
    assert_eq!(m.judge("Jean-Luc Picard"), Verdict::Right);
    // A title alone is not stripped to nothing.
    let m = plain(&["The Captain"], &[]);
    assert_eq!(m.judge("captain"), Verdict::Right);
    assert_eq!(m.judge("the"), Verdict::Wrong);
}

#[test]
fn accepts_aliases() {
    let m = plain(
        &["Seven of Nine", "Seven", "Annika Hansen"],
        &["Raffi Musiker", "Elnor"],
    );
    for input in [
        "Seven of Nine",
        "seven",
        "7 of 9",
        "Annika Hansen",
        "Seven-of-Nine",
    ] {
        assert_eq!(m.judge(input), Verdict::Right, "{input}");
    }
    let m = plain(
        &["Raffi Musiker", "Raffi", "Raffaela Musiker"],
        &["Seven of Nine"],
    );
    assert_eq!(m.judge("raffi"), Verdict::Right);
    assert_eq!(m.judge("Raffaela Musiker"), Verdict::Right);
}

#[test]
fn numbers_as_digits_or_words() {
    let m = plain(&["10"], &["9", "11", "20"]);
    for input in ["10", "ten", "Ten.", " TEN "] {
        assert_eq!(m.judge(input), Verdict::Right, "{input}");
    }
    for input in ["11", "eleven", "100", "1", "0", "twenty", "ten episodes"] {
        assert_eq!(m.judge(input), Verdict::Wrong, "{input}");
    }
    let m = plain(&["21"], &[]);
    assert_eq!(m.judge("twenty-one"), Verdict::Right);
    assert_eq!(m.judge("twenty one"), Verdict::Right);
    assert_eq!(m.judge("twenty-nine"), Verdict::Wrong);
    let m = plain(&["eighth"], &[]);
    for input in ["8th", "8", "Eighth", "the eighth"] {
        assert_eq!(m.judge(input), Verdict::Right, "{input}");
    }
    let m = plain(&["1,000"], &[]);
    assert_eq!(m.judge("one thousand"), Verdict::Right);
    assert_eq!(m.judge("1000"), Verdict::Right);
    assert_eq!(m.judge("a thousand"), Verdict::Right);
}

#[test]
fn numbers_never_bend_to_typos() {
    let m = plain(&["Seventeen Seconds"], &["No Win Scenario", "Imposters"]);
    assert_eq!(m.judge("17 seconds"), Verdict::Right);
    assert_eq!(m.judge("Seventeen Secconds"), Verdict::Right);
    assert_eq!(
        m.judge("Seventen Seconds"),
        Verdict::Right,
        "typo in a number word"
    );
    assert_eq!(m.judge("Eighteen Seconds"), Verdict::Wrong);
    assert_eq!(m.judge("18 seconds"), Verdict::Wrong);

    let m = plain(
        &["Et in Arcadia Ego, Part 1"],
        &["Et in Arcadia Ego, Part 2", "Nepenthe"],
    );
    assert_eq!(m.judge("et in arcadia ego part one"), Verdict::Right);
    assert_eq!(m.judge("Et in Arcadio Ego part 1"), Verdict::Right);
    assert_eq!(m.judge("Et in Arcadia Ego Part 2"), Verdict::Wrong);
    assert_eq!(m.judge("Et in Arcadio Ego part 2"), Verdict::Wrong);
    assert_eq!(m.judge("Et in Arcadia Ego Part 3"), Verdict::Wrong);

    let m = plain(&["Seven of Nine"], &[]);
    assert_eq!(m.judge("Sevn of Nine"), Verdict::Right);
    assert_eq!(m.judge("Seven of Ten"), Verdict::Wrong);

    let m = plain(&["2020"], &["2019", "2021"]);
    assert_eq!(m.judge("2021"), Verdict::Wrong);
    assert_eq!(m.judge("2002"), Verdict::Wrong);
    assert_eq!(m.judge("two thousand twenty"), Verdict::Right);
}

#[test]
fn single_letters_never_bend_either() {
    let m = plain(&["USS Enterprise-D"], &[]);
    assert_eq!(m.judge("Enterprise D"), Verdict::Right);
    assert_eq!(m.judge("Enterprise-E"), Verdict::Wrong);
    assert_eq!(m.judge("Entreprise D"), Verdict::Right);
    assert_eq!(
        m.judge("Enterprise"),
        Verdict::Right,
        "leaving the letter out is a typo"
    );
    let m = plain(&["USS Enterprise-D"], &["USS Enterprise-E"]);
    assert_eq!(
        m.judge("Enterprise"),
        Verdict::Wrong,
        "as close to the confusable"
    );
}

#[test]
fn dates_in_common_formats() {
    let m = plain(&["2020-01-23"], &["2020-01-24", "2019-01-23"]);
    for input in [
        "23 January 2020",
        "January 23, 2020",
        "2020-01-23",
        "23rd January 2020",
        "the 23rd of January, 2020",
        "Jan 23 2020",
        "Jan. 23rd, 2020",
        "23/01/2020",
        "01/23/2020",
        "23.01.2020",
        "Thursday, 23 January 2020",
    ] {
        assert_eq!(m.judge(input), Verdict::Right, "{input}");
    }
    for input in [
        "24 January 2020",
        "23 January 2019",
        "January 2020",
        "2020",
        "23 January",
        "23 Janury 2020",
    ] {
        assert_eq!(m.judge(input), Verdict::Wrong, "{input}");
    }
    // The accepted answer may be written in any format too.
    let m = plain(&["23 January 2020"], &[]);
    assert_eq!(m.judge("2020-01-23"), Verdict::Right);
    let m = plain(&["August 2018"], &["June 2018"]);
    for input in ["August 2018", "Aug 2018", "2018-08", "aug. 2018"] {
        assert_eq!(m.judge(input), Verdict::Right, "{input}");
    }
    for input in ["June 2018", "2018-06", "2018", "August 2019"] {
        assert_eq!(m.judge(input), Verdict::Wrong, "{input}");
    }
}

#[test]
fn ambiguous_numeric_dates_count_either_way_unless_the_other_way_is_a_confusable() {
    let m = plain(&["3 April 2020"], &[]);
    assert_eq!(m.judge("03/04/2020"), Verdict::Right, "day first");
    assert_eq!(m.judge("04/03/2020"), Verdict::Right, "month first");
    let m = plain(&["3 April 2020"], &["4 March 2020"]);
    assert!(matches!(m.judge("03/04/2020"), Verdict::NearMiss { .. }));
    assert!(matches!(m.judge("04/03/2020"), Verdict::NearMiss { .. }));
    assert_eq!(m.judge("4 March 2020"), Verdict::Wrong);
}

#[test]
fn typo_tolerance_grows_with_length() {
    assert_eq!(typo_budget(4), 0);
    assert_eq!(typo_budget(5), 1);
    assert_eq!(typo_budget(8), 1);
    assert_eq!(typo_budget(9), 2);
    assert_eq!(typo_budget(14), 2);
    assert_eq!(typo_budget(20), 3);
    assert_eq!(typo_budget(40), 6);

    // Up to 4 letters: exact only; one edit is at most a near miss.
    let m = plain(&["Worf"], &[]);
    assert_eq!(m.judge("worf"), Verdict::Right);
    assert_eq!(near(m.judge("word")), 0.75);
    assert_eq!(m.judge("wolves"), Verdict::Wrong);
    // 5–8: one edit (a swap of neighbours is one edit).
    let m = plain(&["Picard"], &[]);
    assert_eq!(m.judge("Picrad"), Verdict::Right);
    assert_eq!(m.judge("Pickard"), Verdict::Right);
    assert!(near(m.judge("Pikkard")) >= MIN_NEAR_MISS);
    assert_eq!(m.judge("Pi"), Verdict::Wrong);
    // 9–14: two edits.
    let m = plain(&["Jonathan Frakes"], &[]);
    assert_eq!(m.judge("Johnathan Frakes"), Verdict::Right);
    assert_eq!(m.judge("Johnathan Fraks"), Verdict::Right);
    let closeness = near(m.judge("Johnathon Fraks"));
    assert!((MIN_NEAR_MISS..1.0).contains(&closeness));
}

#[test]
fn never_a_different_entity_of_the_pack() {
    let m = plain(&["Data"], &other_characters("Data"));
    assert_eq!(m.judge("Data"), Verdict::Right);
    assert_eq!(m.judge("Dahj"), Verdict::Wrong);
    assert_eq!(m.judge("Dahj Asha"), Verdict::Wrong);
    assert_eq!(m.judge("Date"), Verdict::NearMiss { closeness: 0.75 });

    let m = plain(
        &["Rios", "Cristóbal Rios"],
        &other_characters("Cristóbal Rios"),
    );
    assert_eq!(m.judge("Riker"), Verdict::Wrong);
    assert_eq!(m.judge("William Riker"), Verdict::Wrong);
    let m = names(&["William Riker", "Riker"], &["Cristóbal Rios", "Rios"]);
    assert_eq!(m.judge("Rios"), Verdict::Wrong);
    assert_eq!(m.judge("Rikers"), Verdict::Right);
}

#[test]
fn an_input_as_close_to_a_confusable_is_wrong() {
    let m = plain(
        &["The Next Generation"],
        &["The Last Generation", "Disengage"],
    );
    assert_eq!(m.judge("The Next Generation"), Verdict::Right);
    assert_eq!(m.judge("Nxt Generation"), Verdict::Right);
    // One edit from the confusable, two from the answer.
    assert_eq!(m.judge("The Lest Generation"), Verdict::Wrong);
    // Two edits from both: a tie goes to the confusable.
    assert_eq!(m.judge("The Best Generation"), Verdict::Wrong);
    // Within typo distance of the answer but exactly a confusable.
    assert_eq!(m.judge("The Last Generation"), Verdict::Wrong);
}

#[test]
fn a_confusable_equal_to_an_accepted_answer_is_ignored() {
    let m = plain(&["Data"], &["DATA", "Lore"]);
    assert_eq!(m.judge("data"), Verdict::Right);
    assert_eq!(m.judge("lore"), Verdict::Wrong);
}

#[test]
fn a_unique_surname_is_right_for_names() {
    let m = names(&["Jonathan Frakes"], PICARD_CAST);
    assert_eq!(m.judge("Frakes"), Verdict::Right);
    assert_eq!(m.judge("frakse"), Verdict::Right, "typos as for any answer");
    assert_eq!(m.judge("Mr. Frakes"), Verdict::Right);
    // "Jonathan" is also Jonathan Del Arco.
    assert_eq!(m.judge("Jonathan"), Verdict::Wrong);
    // Another actor's surname.
    assert_eq!(m.judge("Spiner"), Verdict::Wrong);

    let m = names(&["Jonathan Del Arco"], &["Jonathan Frakes", "Brent Spiner"]);
    assert_eq!(m.judge("Del Arco"), Verdict::Right);
    assert_eq!(m.judge("Arco"), Verdict::Right);
}

#[test]
fn a_shared_surname_is_wrong() {
    let m = names(
        &["Altan Inigo Soong"],
        &other_characters("Altan Inigo Soong"),
    );
    assert_eq!(m.judge("Soong"), Verdict::Wrong);
    assert_eq!(m.judge("Inigo Soong"), Verdict::Right);
    let m = names(&["Soji Asha"], &other_characters("Soji Asha"));
    assert_eq!(m.judge("Asha"), Verdict::Wrong);
}

#[test]
fn a_first_name_alone_is_a_near_miss_unless_it_is_an_alias() {
    let m = names(&["Raffi Musiker"], &other_characters("Raffi Musiker"));
    assert_eq!(m.judge("Musiker"), Verdict::Right);
    let closeness = near(m.judge("Raffi"));
    assert!((closeness - 5.0 / 12.0).abs() < 1e-9, "{closeness}");
    let m = names(
        &["Raffi Musiker", "Raffi"],
        &other_characters("Raffi Musiker"),
    );
    assert_eq!(m.judge("Raffi"), Verdict::Right);
}

#[test]
fn surnames_are_near_misses_when_off() {
    let m = plain(&["Jonathan Frakes"], PICARD_CAST);
    assert!(matches!(m.judge("Frakes"), Verdict::NearMiss { .. }));
    assert_eq!(m.judge("Jonathan Frakes"), Verdict::Right);
}

#[test]
fn no_single_word_of_a_phrase_counts() {
    let m = names(&["Seven of Nine"], &["Raffi Musiker"]);
    assert_eq!(m.judge("Nine"), Verdict::Wrong);
    assert_eq!(m.judge("of Nine"), Verdict::Wrong);
    let m = names(&["Maps and Legends"], &["Remembrance"]);
    assert_eq!(m.judge("Legends"), Verdict::Wrong);
}

#[test]
fn whole_answers_only() {
    let m = plain(&["Chair"], &[]);
    assert_eq!(m.judge("air"), Verdict::Wrong);
    assert_eq!(m.judge("chairs"), Verdict::Right);
    let m = plain(&["Data"], &other_characters("Data"));
    assert_eq!(m.judge("I think it is Data"), Verdict::Wrong);
    assert_eq!(m.judge("data or lore"), Verdict::Wrong);
    assert_eq!(m.judge("Datapoint"), Verdict::Wrong);
    let m = plain(&["Jean-Luc Picard"], &[]);
    assert_eq!(
        m.judge("the answer is obviously Jean-Luc Picard, the admiral"),
        Verdict::Wrong
    );
}

#[test]
fn empty_and_huge_inputs_are_wrong() {
    let m = plain(&["Data"], &["Lore"]);
    assert_eq!(m.judge(""), Verdict::Wrong);
    assert_eq!(m.judge("  ?!  "), Verdict::Wrong);
    assert_eq!(m.judge(&"data ".repeat(400)), Verdict::Wrong);
    assert_eq!(plain(&[], &[]).judge("anything"), Verdict::Wrong);
    assert_eq!(plain(&["..."], &[]).judge("..."), Verdict::Wrong);
}

fn question(category: Category, accepted: &[&str], confusables: &[&str]) -> Question {
    Question {
        id: "test/typed".into(),
        fact: "test".into(),
        pack: "test".into(),
        form: QuestionForm::Typed,
        category,
        difficulty: Difficulty::Easy,
        prompt: "Who?".into(),
        choices: vec![],
        correct: None,
        answer: accepted[0].into(),
        accepted: strings(accepted),
        confusables: strings(confusables).into(),
        source: "test".into(),
        spoils: None,
    }
}

#[test]
fn judging_a_question_uses_its_answers_and_category() {
    let q = question(Category::Cast, &["Jonathan Frakes"], PICARD_CAST);
    assert_eq!(judge(&q, "jonathan frakes"), Verdict::Right);
    assert_eq!(judge(&q, "Frakes"), Verdict::Right);
    assert_eq!(judge(&q, "Spiner"), Verdict::Wrong);
    assert_eq!(Matcher::for_question(&q).judge("Frakes"), Verdict::Right);
    // Episode titles are not names: a last word alone is at most a near miss.
    let q = question(Category::Episodes, &["Absolute Candor"], &["Broken Pieces"]);
    assert!(matches!(judge(&q, "Candor"), Verdict::NearMiss { .. }));
}

#[test]
fn verdicts_serialise_plainly() {
    assert_eq!(
        serde_json::to_string(&Verdict::Right).unwrap(),
        r#""right""#
    );
    assert_eq!(
        serde_json::to_string(&Verdict::Wrong).unwrap(),
        r#""wrong""#
    );
    let near = Verdict::NearMiss { closeness: 0.75 };
    let json = serde_json::to_string(&near).unwrap();
    assert_eq!(json, r#"{"near_miss":{"closeness":0.75}}"#);
    assert_eq!(serde_json::from_str::<Verdict>(&json).unwrap(), near);
}

// ---- Properties -------------------------------------------------------------------------

/// A word of lowercase letters (at least two).
fn word() -> impl Strategy<Value = String> {
    "[a-z]{2,9}"
}

/// A name or title of one to four words.
fn answer() -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 1..=4).prop_map(|w| w.join(" "))
}

/// Rewrites `s` as a player might type it: random case, diacritics (precomposed or
/// combining), punctuation between words, extra spaces around.
fn disguise(s: &str, seed: &[u8]) -> String {
    let mut bits = seed.iter().cycle().copied();
    let mut next = move || bits.next().unwrap_or(0);
    let mut out = String::new();
    for _ in 0..next() % 3 {
        out.push(' ');
    }
    for c in s.chars() {
        let roll = next();
        if c == ' ' {
            out.push_str([" ", "  ", "-", " - ", ". ", ", ", "\t", "/"][roll as usize % 8]);
            continue;
        }
        let c = if roll % 2 == 0 {
            c.to_ascii_uppercase()
        } else {
            c
        };
        match (roll / 2) % 4 {
            0 => out.push(c),
            1 => {
                out.push(c);
                out.push('\u{0301}'); // combining acute
            }
            2 => out.push_str(&precomposed(c)),
            _ => {
                out.push(c);
                out.push('\u{0308}'); // combining diaeresis
            }
        }
    }
    out.push_str(["", "!", "?", ".", "...", " ", "  !"][next() as usize % 7]);
    out
}

fn precomposed(c: char) -> String {
    let accented = match c {
        'a' => 'á',
        'A' => 'Â',
        'e' => 'è',
        'E' => 'Ë',
        'i' => 'î',
        'o' => 'ö',
        'O' => 'Ó',
        'u' => 'ú',
        'n' => 'ñ',
        'c' => 'ç',
        'y' => 'ÿ',
        other => other,
    };
    accented.to_string()
}

proptest! {
    #[test]
    fn a_disguised_accepted_answer_is_right(
        accepted in prop::collection::vec(answer(), 1..4),
        confusables in prop::collection::vec(answer(), 0..8),
        pick in any::<prop::sample::Index>(),
        seed in prop::collection::vec(any::<u8>(), 1..32),
        surnames in any::<bool>(),
    ) {
        let m = Matcher::with_options(&accepted, &confusables, Options { surnames });
        let typed = disguise(pick.get::<String>(&accepted), &seed);
        prop_assert_eq!(m.judge(&typed), Verdict::Right, "typed {:?}", typed);
    }

    #[test]
    fn a_disguised_confusable_is_never_right(
        accepted in prop::collection::vec(answer(), 1..4),
        confusables in prop::collection::vec(answer(), 1..8),
        pick in any::<prop::sample::Index>(),
        seed in prop::collection::vec(any::<u8>(), 1..32),
        surnames in any::<bool>(),
    ) {
        let confusable = pick.get::<String>(&confusables);
        let canonical = |s: &str| normalize(s).readings[0].text.clone();
        prop_assume!(accepted.iter().all(|a| canonical(a) != canonical(confusable)));
        let m = Matcher::with_options(&accepted, &confusables, Options { surnames });
        let typed = disguise(confusable, &seed);
        prop_assert_eq!(m.judge(&typed), Verdict::Wrong, "typed {:?}", typed);
    }

    #[test]
    fn one_typo_in_a_long_word_is_right(
        letters in "[b-df-hj-np-tv-z]{5,12}",
        at in any::<prop::sample::Index>(),
        replacement in "[b-df-hj-np-tv-z]",
    ) {
        // Consonants only, so that no typo can make a number word or a title.
        let i = at.index(letters.len());
        let mut typed = letters.clone();
        typed.replace_range(i..=i, &replacement);
        prop_assert_eq!(plain(&[&letters], &[]).judge(&typed), Verdict::Right);
    }

    #[test]
    fn any_input_gets_a_verdict_with_closeness_in_range(
        accepted in prop::collection::vec(".{0,30}", 0..4),
        confusables in prop::collection::vec(".{0,30}", 0..4),
        input in ".{0,60}",
    ) {
        let m = Matcher::new(&accepted, &confusables);
        if let Verdict::NearMiss { closeness } = m.judge(&input) {
            prop_assert!(closeness > 0.0 && closeness < 1.0, "{}", closeness);
        }
    }

    #[test]
    fn numbers_in_words_are_their_digits(n in 0u64..1_000_000) {
        let m = plain(&[&n.to_string()], &[&(n + 1).to_string()]);
        prop_assert_eq!(m.judge(&spell(n)), Verdict::Right, "{}", spell(n));
        prop_assert_eq!(m.judge(&spell(n + 1)), Verdict::Wrong);
    }

    #[test]
    fn dates_in_every_format_are_the_same_date(
        y in 1900i32..2100, m in 1u32..=12, d in 1u32..=28, next_day in any::<bool>(),
    ) {
        let date = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let other = if next_day { date.succ_opt().unwrap() } else { date.pred_opt().unwrap() };
        let matcher = plain(&[&date.format("%Y-%m-%d").to_string()], &[]);
        for format in ["%d %B %Y", "%B %d, %Y", "%b %e %Y", "%A %e %B %Y", "%Y/%m/%d", "%-d.%-m.%Y"] {
            let typed = date.format(format).to_string();
            prop_assert_eq!(matcher.judge(&typed), Verdict::Right, "{}", typed);
            let wrong = other.format(format).to_string();
            prop_assert_eq!(matcher.judge(&wrong), Verdict::Wrong, "{}", wrong);
        }
    }
}

/// English words for `n` < 1,000,000 ("three hundred and forty-two thousand, one"). Below a
/// hundred it writes what the quiz writes (`number_word`), so this also checks that the
/// matcher reads the quiz's own spelling.
fn spell(n: u64) -> String {
    fn below_thousand(n: u64) -> String {
        let (hundreds, rest) = (n / 100, n % 100);
        let word = |n: u64| number_word(n as i64).expect("below a hundred");
        match (hundreds, rest) {
            (0, _) => word(rest),
            (h, 0) => format!("{} hundred", word(h)),
            (h, _) => format!("{} hundred and {}", word(h), word(rest)),
        }
    }
    match (n / 1000, n % 1000) {
        (0, r) => below_thousand(r),
        (t, 0) => format!("{} thousand", below_thousand(t)),
        (t, r) => format!("{} thousand, {}", below_thousand(t), below_thousand(r)),
    }
}
