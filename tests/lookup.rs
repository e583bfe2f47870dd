//! Lookups: ranking, folding, typo tolerance, aliases, series facts, spoiler limits and cards,
//! on the invented test pack and on the seed facts of the Picard pack; and the `lookup` command.

use std::path::Path;
use std::process::Command;

use trivia_bot::facts::{EpisodeCode, load_file};
use trivia_bot::lookup::{Card, Hit, HitKind, Index, MAX_TITLE};

fn index(file: &str) -> Index {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    Index::new(&load_file(&path).unwrap_or_else(|d| panic!("{file}: {d:?}")))
}

fn harbour() -> Index {
    index("tests/packs/harbour-lights.toml")
}

fn picard() -> Index {
    index("questions/picard.toml")
}

fn code(s: &str) -> Option<EpisodeCode> {
    Some(s.parse().unwrap())
}

/// The best hit for `query`.
fn top(index: &Index, query: &str) -> Hit {
    index
        .search(query, 10, None)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no hit for {query:?}"))
}

/// The card of the best hit, as one text.
fn card_text(index: &Index, query: &str) -> String {
    let card = index.card(&top(index, query).key).unwrap();
    text(&card)
}

fn text(card: &Card) -> String {
    format!("{}\n{}", card.title, card.lines.join("\n"))
}

#[test]
fn exact_names_and_aliases_rank_first() {
    let idx = harbour();
    for (query, key) in [
        ("Zoë Marchetti", "entity:zoe"),
        ("zoe", "entity:zoe"),
        ("marchetti", "entity:zoe"),
        ("ned crane", "entity:ned-crane"),
        ("Lighthouse Keeper", "entity:keeper"),
        ("Rhodri Pugh", "person:rhodri-pugh"),
        ("tom quell", "person:tomas-quell"),
        ("Low Tide", "episode:S1E4"),
        ("merrow", "entity:merrow"),
        ("the guild", "entity:guild"),
    ] {
        let hit = top(&idx, query);
        assert_eq!(hit.key, key, "{query}");
        assert!(hit.score >= 0.95, "{query}: {hit:?}");
    }
}

#[test]
fn case_diacritics_and_punctuation_do_not_matter() {
    let idx = harbour();
    for query in ["ZOË MARCHETTI", "zoe marchetti", "Zoe-Marchetti!"] {
        assert_eq!(top(&idx, query).key, "entity:zoe", "{query}");
    }
    assert_eq!(top(&idx, "ile verte").key, "entity:ile-verte");
    assert_eq!(top(&idx, "cafe ondine").key, "episode:S1E3");
    assert_eq!(top(&idx, "Tomas Quell").key, "person:tomas-quell");
}

#[test]
fn ranking_is_exact_then_prefix_then_words_then_typos() {
    let idx = harbour();
    // "Ned Crane" (exact) before "Silas Crane" (a word) before plot points that mention him.
    let hits = idx.search("crane", 10, None);
    let keys: Vec<&str> = hits.iter().map(|h| h.key.as_str()).collect();
    assert_eq!(&keys[..2], &["entity:ned-crane", "entity:silas-crane"]);
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));

    // While typing: a prefix finds the name before anything else.
    assert_eq!(top(&idx, "marc").key, "entity:zoe");
    assert_eq!(top(&idx, "adaeze o").key, "person:adaeze-obi");
    // A word inside running text ranks below a name.
    let silas = idx.search("silas", 10, None);
    assert_eq!(silas[0].key, "entity:silas-crane");
    assert!(silas.iter().any(|h| h.kind == HitKind::PlotPoint));
    assert_eq!(silas.last().unwrap().kind, HitKind::PlotPoint);
}

#[test]
fn typos_are_tolerated_but_not_in_short_words() {
    let idx = harbour();
    for (query, key) in [
        ("marchettti", "entity:zoe"),
        ("Zoe Marchetit", "entity:zoe"),
        ("premeire", "series:premiere"),
        ("composr", "series:composers"),
        ("rhodri pug", "person:rhodri-pugh"),
        ("the lamp roon", "episode:S1E1"),
    ] {
        assert_eq!(top(&idx, query).key, key, "{query}");
    }
    // Exact beats a typo of something else.
    assert!(top(&idx, "Merrow").score > top(&idx, "Merow").score);
    // Three letters or fewer: no typo tolerance, so no nonsense hits.
    assert!(idx.search("qqq", 10, None).is_empty());
    assert!(idx.search("xyzzy", 10, None).is_empty());
    // Episode codes need the exact number.
    assert!(idx.search("S1E9", 10, None).is_empty());
}

#[test]
fn episodes_are_found_by_title_code_and_number() {
    let idx = harbour();
    for query in [
        "Café Ondine",
        "S1E3",
        "s01e03",
        "1x03",
        "season 1 episode 3",
        "episode 3",
        "3",
    ] {
        assert_eq!(top(&idx, query).key, "episode:S1E3", "{query}");
    }
    let card = card_text(&idx, "S1E3");
    assert!(
        card.starts_with("S1E3 “Café Ondine” (19 March 2021)"),
        "{card}"
    );
    for line in [
        "Aired 19 March 2021",
        "Directed by Sunniva Dahl",
        "Teleplay by Tomás Quell; story by Mara Ellison",
        "Running time: 49 minutes (unverified: one listing only)",
        "Ned learns that his twin Silas is alive.",
    ] {
        assert!(card.contains(line), "{line:?} missing from:\n{card}");
    }
}

#[test]
fn series_facts_are_found_by_keyword_and_by_value() {
    let idx = harbour();
    for (query, needle) in [
        ("premiere", "5 March 2021"),
        ("first aired", "5 March 2021"),
        ("creators", "Mara Ellison and Tomás Quell"),
        ("created by", "Mara Ellison and Tomás Quell"),
        ("composer", "Ines Varga"),
        ("music", "Ines Varga"),
        ("network", "Northwind TV"),
        ("Northwind", "Northwind TV"),
        ("episode count", "7 episodes in 2 seasons"),
        (
            "seasons",
            "Season 2: 3 episodes (8 April 2022 – 22 April 2022)",
        ),
        (
            "production companies",
            "Gull Rock Pictures and Northwind Studios",
        ),
        ("distributor", "Northwind Distribution"),
        ("executive producers", "Ruth Abernathy"),
        ("filming", "Filming began in September 2020"),
        ("announcement", "announced in June 2020"),
    ] {
        let card = card_text(&idx, query);
        assert!(
            card.contains(needle),
            "{query}: {needle:?} missing from:\n{card}"
        );
    }
    assert_eq!(top(&idx, "premiere").kind, HitKind::Series);
}

#[test]
fn cast_cards_group_roles_and_actors() {
    let idx = harbour();
    // An actor with two characters: one card that lists both.
    let card = card_text(&idx, "Rhodri Pugh");
    assert!(
        card.starts_with("Rhodri Pugh as Ned Crane and Silas Crane"),
        "{card}"
    );
    assert!(card.contains("main cast, season 1"), "{card}");
    // A character played by two actors: the card says which, and when.
    let card = card_text(&idx, "the keeper");
    assert!(
        card.contains("Hal Brenner as the Keeper — recurring, season 1"),
        "{card}"
    );
    assert!(
        card.contains("Ossian Blake as the Keeper — recurring, season 2"),
        "{card}"
    );
    // A character's card names its actor and seasons.
    let card = card_text(&idx, "zoe");
    assert!(
        card.contains("Adaeze Obi as Zoë Marchetti — main cast, seasons 1–2"),
        "{card}"
    );
    // A crew member's card lists the episodes.
    let card = card_text(&idx, "Sunniva Dahl");
    assert!(
        card.contains("Directed S1E3 “Café Ondine” and S1E4 “Low Tide”"),
        "{card}"
    );
}

#[test]
fn titles_fit_discord_autocomplete() {
    let idx = harbour();
    let picard = picard();
    for index in [&idx, &picard] {
        for letter in 'a'..='z' {
            for hit in index.search(&letter.to_string(), 1000, None) {
                assert!(hit.title.chars().count() <= MAX_TITLE, "{hit:?}");
                assert!(!hit.title.is_empty());
                let card = index.card(&hit.key).unwrap();
                assert!(card.title.chars().count() <= MAX_TITLE);
            }
        }
    }
    assert!(idx.card("no:such-key").is_none());
    assert!(idx.search("", 10, None).is_empty());
    assert!(idx.search("zoe", 0, None).is_empty());
}

#[test]
fn the_spoiler_limit_hides_later_episodes_cast_entities_and_plot() {
    let idx = harbour();
    let s1e2 = code("S1E2");
    // An episode after the limit.
    assert!(idx.search("low tide", 10, s1e2).is_empty());
    assert!(idx.search("S1E4", 10, s1e2).is_empty());
    assert_eq!(idx.search("fog bell", 10, s1e2)[0].key, "episode:S1E2");
    // A cast row only in later seasons, and its character.
    assert!(idx.search("Yewande Oyelaran", 10, s1e2).is_empty());
    assert!(idx.search("Inspector Achebe", 10, s1e2).is_empty());
    assert!(idx.search("Ossian Blake", 10, s1e2).is_empty());
    // An entity introduced later, and a plot point of a later episode.
    assert!(idx.search("silas", 10, s1e2).is_empty());
    assert!(idx.search("the smugglers escape", 10, s1e2).is_empty());
    assert!(!idx.search("silas", 10, code("S1E3")).is_empty());
    // A later season.
    assert!(idx.search("season 2", 10, code("S1E4")).is_empty());
    assert!(!idx.search("season 2", 10, code("S2E1")).is_empty());

    // A card shows only what the limit allows; titles too.
    let keeper = idx.search("keeper", 1, s1e2).remove(0);
    assert_eq!(keeper.title, "the Keeper — played by Hal Brenner");
    let card = text(&idx.card_within(&keeper.key, s1e2).unwrap());
    assert!(
        card.contains("Hal Brenner") && !card.contains("Ossian Blake"),
        "{card}"
    );
    let pugh = idx.search("rhodri pugh", 1, s1e2).remove(0);
    assert_eq!(pugh.title, "Rhodri Pugh as Ned Crane");
    let card = text(&idx.card_within(&pugh.key, s1e2).unwrap());
    assert!(!card.contains("Silas"), "{card}");
    let season = text(&idx.card_within("season:1", s1e2).unwrap());
    assert!(
        season.contains("Fog Bell") && !season.contains("Café Ondine"),
        "{season}"
    );
    // Asking for a hidden card directly gives nothing.
    assert!(idx.card_within("entity:silas-crane", s1e2).is_none());
    assert!(idx.card_within("entity:silas-crane", None).is_some());
}

// The seed facts, through the Picard pack.

#[test]
fn picard_elnor_is_played_by_evan_evagora() {
    let idx = picard();
    let hit = top(&idx, "elnor");
    assert_eq!(hit.kind, HitKind::Character);
    assert!(hit.title.contains("Evan Evagora"), "{hit:?}");
    let card = card_text(&idx, "elnor");
    assert!(card.contains("Evan Evagora as Elnor — main cast"), "{card}");
    assert!(card.contains("season"), "{card}");
    assert_eq!(top(&idx, "Evan Evagora").title, "Evan Evagora as Elnor");
}

#[test]
fn picard_series_facts_match_the_seed() {
    let idx = picard();
    let premiere = top(&idx, "premiere");
    assert_eq!(premiere.title, "Premiere: 23 January 2020");
    let creators = card_text(&idx, "creators");
    for name in [
        "Akiva Goldsman",
        "Michael Chabon",
        "Kirsten Beyer",
        "Alex Kurtzman",
    ] {
        assert!(creators.contains(name), "{name} missing from {creators}");
    }
    assert!(card_text(&idx, "composer").contains("Jeff Russo"));
    let companies = card_text(&idx, "production companies");
    for name in [
        "Secret Hideout",
        "Weed Road Pictures",
        "Escapist Fare",
        "Roddenberry Entertainment",
        "CBS Television Studios",
    ] {
        assert!(companies.contains(name), "{name} missing from {companies}");
    }
    assert!(card_text(&idx, "distributor").contains("CBS Television Distribution"));
    assert!(card_text(&idx, "network").contains("CBS All Access"));
    assert!(card_text(&idx, "season 1").contains("10 episodes"));
    assert!(card_text(&idx, "episode count").contains("Season 1: 10 episodes"));
}

#[test]
fn picard_absolute_candor_has_its_date_director_and_writer() {
    let idx = picard();
    for query in ["absolute candor", "Absolute Candour", "S1E4", "1x04"] {
        assert_eq!(top(&idx, query).key, "episode:S1E4", "{query}");
    }
    let card = card_text(&idx, "absolute candor");
    for needle in [
        "13 February 2020",
        "Directed by Jonathan Frakes",
        "Michael Chabon",
    ] {
        assert!(card.contains(needle), "{needle:?} missing from:\n{card}");
    }
    // Frakes is both an actor and a director: one card says both.
    let frakes = card_text(&idx, "jonathan frakes");
    assert!(frakes.contains("as William Riker") && frakes.contains("S1E4 “Absolute Candor”"));
}

fn lookup(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_trivia-bot"))
        .arg("lookup")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("QUESTIONS_DIR")
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn the_lookup_command_prints_cards() {
    let (code, out, _) = lookup(&["elnor"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("Elnor — played by Evan Evagora  [character]\n"),
        "{out}"
    );
    assert!(
        out.contains("  Evan Evagora as Elnor — main cast, seasons 1–2"),
        "{out}"
    );

    let (code, out, _) = lookup(&["absolute", "candor", "--pack", "picard"]);
    assert_eq!(code, 0);
    assert!(out.contains("Aired 13 February 2020") && out.contains("Directed by Jonathan Frakes"));
}

#[test]
fn the_lookup_command_prints_json() {
    let (code, out, _) = lookup(&["premiere", "--json", "--limit", "2"]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let first = &json[0];
    assert_eq!(first["pack"], "picard");
    assert_eq!(first["key"], "series:premiere");
    assert_eq!(first["kind"], "series");
    assert_eq!(first["title"], "Premiere: 23 January 2020");
    assert!(
        first["card"]["lines"][0]
            .as_str()
            .unwrap()
            .contains("23 January 2020")
    );
    assert!(json.as_array().unwrap().len() <= 2);
}

#[test]
fn the_lookup_command_explains_no_match_and_honours_spoilers() {
    let (code, out, err) = lookup(&["xyzzy"]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(
        err.contains("no match for 'xyzzy'; try a character, actor, episode title or S1E4"),
        "{err}"
    );

    let (code, _, _) = lookup(&["elnor", "--spoilers-up-to", "S1E3"]);
    assert_eq!(code, 1);
    let (code, out, _) = lookup(&["elnor", "--spoilers-up-to", "S1E4"]);
    assert_eq!(code, 0, "{out}");

    let (code, _, err) = lookup(&["elnor", "--spoilers-up-to", "episode four"]);
    assert_eq!(code, 2, "clap rejects a bad code");
    assert!(err.contains("S1E4"), "{err}");
    let (code, _, err) = lookup(&["elnor", "--pack", "nope"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("no valid pack with id `nope`; known packs: picard"),
        "{err}"
    );
}
