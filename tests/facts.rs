//! Loading and validating fact packs: every error kind, positions, all errors in one run, the
//! pack set, and the `check` command.

use std::path::{Path, PathBuf};
use std::process::Command;

use trivia_bot::facts::{Diagnostic, ErrorKind, PackSet, load_file, load_str};

fn packs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/packs")
}

/// The valid test pack (an invented show).
fn good() -> String {
    std::fs::read_to_string(packs_dir().join("harbour-lights.toml")).unwrap()
}

/// The valid pack with `from` (which must occur exactly once) replaced by `to`.
fn edited(from: &str, to: &str) -> String {
    let src = good();
    assert_eq!(src.matches(from).count(), 1, "`{from}` must occur once");
    src.replacen(from, to, 1)
}

fn errors(src: &str) -> Vec<Diagnostic> {
    match load_str(src, "test.toml") {
        Ok(_) => panic!("the pack should not load"),
        Err(diagnostics) => diagnostics,
    }
}

/// The diagnostics of the valid pack with one edit.
fn broken(from: &str, to: &str) -> Vec<Diagnostic> {
    errors(&edited(from, to))
}

/// The 1-based line where `needle` first occurs.
fn line_of(src: &str, needle: &str) -> usize {
    src[..src.find(needle).expect("needle present")]
        .matches('\n')
        .count()
        + 1
}

/// Asserts exactly one diagnostic, of `kind`, and returns it.
fn single(diagnostics: Vec<Diagnostic>, kind: ErrorKind) -> Diagnostic {
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let d = diagnostics.into_iter().next().unwrap();
    assert_eq!(d.kind, kind, "{d}");
    assert!(d.help.is_some(), "every diagnostic says how to fix it: {d}");
    d
}

#[test]
fn the_test_pack_of_another_show_loads() {
    let pack = load_file(&packs_dir().join("harbour-lights.toml")).unwrap();
    assert_eq!(pack.id(), "harbour-lights");
    let stats = pack.stats();
    assert_eq!((stats.seasons, stats.episodes, stats.cast), (2, 4, 5));
    assert_eq!(
        stats.to_string(),
        "2 seasons, 4 episodes, 5 cast, 8 entities, 5 plot points"
    );
    assert_eq!(pack.data.series.milestones.len(), 2);
}

#[test]
fn the_picard_pack_loads() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("questions/picard.toml");
    let pack = load_file(&path).unwrap_or_else(|d| {
        let text: Vec<String> = d.iter().map(ToString::to_string).collect();
        panic!("questions/picard.toml is broken:\n{}", text.join("\n"))
    });
    assert_eq!(pack.id(), "picard");
}

#[test]
fn three_mistakes_give_three_diagnostics_with_positions() {
    let path = packs_dir().join("broken/three-mistakes.toml");
    let src = std::fs::read_to_string(&path).unwrap();
    let diagnostics = load_file(&path).unwrap_err();
    let found: Vec<(ErrorKind, usize, usize)> = diagnostics
        .iter()
        .map(|d| (d.kind, d.line, d.column))
        .collect();
    assert_eq!(
        found,
        vec![
            (ErrorKind::UnknownKey, line_of(&src, "diretors"), 1),
            (ErrorKind::BadDate, line_of(&src, "2020-02-30"), 12),
            (ErrorKind::DanglingReference, line_of(&src, "\"annie\""), 15),
        ]
    );
    assert!(
        diagnostics
            .iter()
            .all(|d| d.file == path.display().to_string())
    );
    assert_eq!(
        diagnostics[0].help.as_deref(),
        Some("did you mean `directors`?")
    );
    assert!(diagnostics[2].help.as_deref().unwrap().contains("`anne`"));
}

#[test]
fn diagnostics_print_file_line_column_and_help() {
    let d = &broken(
        "writers = [\"Tomás Quell\"]",
        "writterz = [\"Tomás Quell\"]",
    )[0];
    let text = d.to_string();
    assert!(
        text.starts_with(&format!(
            "test.toml:{}:1: error: unknown key `writterz` in episode S1E2",
            d.line
        )),
        "{text}"
    );
    assert!(text.contains("\n  help: did you mean `writers`?"), "{text}");
}

#[test]
fn unknown_keys_are_errors_with_a_suggestion() {
    let src = edited(
        "directors = [\"Cathal Byrne\"]\nwriters = [\"Tomás Quell\"]",
        "directors = [\"Cathal Byrne\"]\nwriter = [\"Tomás Quell\"]",
    );
    let d = single(errors(&src), ErrorKind::UnknownKey);
    assert_eq!(d.line, line_of(&src, "writer = "));
    assert_eq!(d.column, 1);
    assert!(
        d.message.contains("`writer`") && d.message.contains("episode S1E2"),
        "{d}"
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `writers`?"));

    // At the top level, and in a nested table.
    let top = single(
        broken("[series]\n", "[extras]\nx = 1\n\n[series]\n"),
        ErrorKind::UnknownKey,
    );
    assert!(top.message.contains("`extras`"), "{top}");
    let nested = single(
        broken("location = \"County Clare\"", "lcation = \"County Clare\""),
        ErrorKind::UnknownKey,
    );
    assert!(nested.message.contains("`lcation`"), "{nested}");
    assert_eq!(nested.help.as_deref(), Some("did you mean `location`?"));
}

#[test]
fn wrong_types_are_errors() {
    let src = edited("overall = 3", "overall = \"three\"");
    let d = single(errors(&src), ErrorKind::WrongType);
    assert_eq!((d.line, d.column), (line_of(&src, "\"three\""), 11));
    assert!(
        d.message.contains("`overall`") && d.message.contains("whole number"),
        "{d}"
    );

    let d = single(
        broken(
            "seasons = [1, 2]\nbilling = \"main\"",
            "seasons = 1\nbilling = \"main\"",
        ),
        ErrorKind::WrongType,
    );
    assert!(
        d.message.contains("`seasons`") && d.message.contains("array"),
        "{d}"
    );
}

#[test]
fn bad_dates_are_errors() {
    let d = single(
        broken("air_date = \"2021-03-19\"", "air_date = \"2021-02-30\""),
        ErrorKind::BadDate,
    );
    assert!(
        d.message.contains("2021-02-30") && d.message.contains("no such day"),
        "{d}"
    );
    assert_eq!(d.help.as_deref(), Some("write YYYY-MM-DD, YYYY-MM or YYYY"));

    single(
        broken(
            "premiere = \"2021-03-05\"\nend",
            "premiere = \"March 2021\"\nend",
        ),
        ErrorKind::BadDate,
    );
    // An unquoted TOML date is the wrong type, with a hint to quote it.
    let d = single(
        broken("air_date = \"2021-03-19\"", "air_date = 2021-03-19"),
        ErrorKind::WrongType,
    );
    assert!(d.help.unwrap().contains("quoted"));
}

#[test]
fn values_outside_the_format_are_errors() {
    let d = single(
        broken("billing = \"recurring\"\nnote", "billing = \"star\"\nnote"),
        ErrorKind::BadValue,
    );
    assert!(d.message.contains("`star`"), "{d}");
    assert!(d.help.unwrap().contains("main"));
    let d = single(
        broken("introduced = \"S1E3\"", "introduced = \"episode 3\""),
        ErrorKind::BadValue,
    );
    assert!(
        d.help.unwrap().contains("S1E4"),
        "the fix shows the code format"
    );
}

#[test]
fn missing_required_keys_are_errors() {
    let src = edited("title = \"Low Tide\"\n", "");
    let d = single(errors(&src), ErrorKind::MissingKey);
    assert!(d.message.contains("episode S1E4 has no `title`"), "{d}");
    let header = src[..src.find("number = 4\noverall = 4").unwrap()]
        .rfind("[[episodes]]")
        .unwrap();
    assert_eq!(d.line, src[..header].matches('\n').count() + 1);

    let d = single(errors("[series]\ntitle = \"x\"\n"), ErrorKind::MissingKey);
    assert_eq!((d.line, d.column), (1, 1));
    assert!(d.message.contains("[pack]"));
}

#[test]
fn dangling_references_are_errors() {
    // A cast row's character that no entity defines, or that is not a character.
    let d = single(
        broken("characters = [\"zoe\"]", "characters = [\"zoey\"]"),
        ErrorKind::DanglingReference,
    );
    assert!(
        d.message
            .contains("cast row 1 (Adaeze Obi) refers to character `zoey`"),
        "{d}"
    );
    assert!(d.help.unwrap().contains("did you mean `zoe`?"));
    let d = single(
        broken("characters = [\"zoe\"]", "characters = [\"merrow\"]"),
        ErrorKind::DanglingReference,
    );
    assert!(d.message.contains("ship, not a character"), "{d}");

    // A plot point's episode that the listed season does not have, and its unknown entity.
    let d = single(
        broken("episode = \"S1E1\"", "episode = \"S1E9\""),
        ErrorKind::DanglingReference,
    );
    assert!(d.message.contains("S1E9"), "{d}");
    let d = single(
        broken("entity = \"merrow\"", "entity = \"marrow\""),
        ErrorKind::DanglingReference,
    );
    assert!(d.help.unwrap().contains("`merrow`"));

    // An entity introduced in an episode beyond its season's count (season 2 is not listed
    // episode by episode, but has 3 episodes).
    let d = single(
        broken("introduced = \"S2E1\"", "introduced = \"S2E7\""),
        ErrorKind::DanglingReference,
    );
    assert!(d.message.contains("only 3 episodes"), "{d}");
}

#[test]
fn duplicate_ids_are_errors() {
    let d = single(
        broken(
            "[[plot_points]]\nepisode = \"S1E1\"",
            "[[entities]]\nid = \"merrow\"\nkind = \"ship\"\nname = \"Merrow II\"\n\n[[plot_points]]\nepisode = \"S1E1\"",
        ),
        ErrorKind::DuplicateId,
    );
    assert!(
        d.message.contains("entity id `merrow` is used twice"),
        "{d}"
    );
    let dup_episode = broken("number = 4\noverall = 4", "number = 3\noverall = 4");
    assert!(dup_episode.iter().any(|d| d.kind == ErrorKind::DuplicateId && d.message.contains("S1E3 is listed twice")));
    single(broken("overall = 4", "overall = 2"), ErrorKind::DuplicateId);
    single(
        broken("id = \"renewal\"", "id = \"announcement\""),
        ErrorKind::DuplicateId,
    );
    let seasons = broken(
        "number = 2\nepisode_count = 3",
        "number = 1\nepisode_count = 3",
    );
    assert!(seasons.iter().any(
        |d| d.kind == ErrorKind::DuplicateId && d.message.contains("season 1 is listed twice")
    ));
    single(
        broken(
            "name = \"Tomás Quell\"",
            "name = \"Tomás Quell\"\n\n[[people]]\nname = \"Tomas Quell\"",
        ),
        ErrorKind::DuplicateId,
    );
}

#[test]
fn a_season_count_that_contradicts_its_episodes_is_an_error() {
    let src = edited("episode_count = 4", "episode_count = 5");
    let d = single(errors(&src), ErrorKind::EpisodeCount);
    assert_eq!(d.line, line_of(&src, "episode_count = 5"));
    assert!(
        d.message
            .contains("episode_count = 5, but 4 of its episodes are listed"),
        "{d}"
    );
    assert!(d.help.unwrap().contains("S1E5"));
    // Right count, but a gap in the numbers (the plot points of S1E4 then dangle too).
    let diagnostics = broken("number = 4\noverall = 4", "number = 6\noverall = 4");
    let d = diagnostics
        .iter()
        .find(|d| d.kind == ErrorKind::EpisodeCount)
        .unwrap();
    assert!(d.message.contains("numbered 1, 2, 3 and 6"), "{d}");
    assert!(
        d.help.as_deref().unwrap().contains("S1E4 is missing"),
        "{d}"
    );
}

#[test]
fn seasons_that_are_not_listed_are_errors() {
    let cast = single(
        broken("seasons = [1, 2]", "seasons = [1, 4]"),
        ErrorKind::UnknownSeason,
    );
    assert!(cast.message.contains("season 4"), "{cast}");
    let diagnostics = broken("season = 1\nnumber = 4", "season = 3\nnumber = 1");
    assert!(
        diagnostics
            .iter()
            .any(|d| d.kind == ErrorKind::UnknownSeason),
        "{diagnostics:#?}"
    );
}

#[test]
fn plot_point_spans_and_answers_are_checked() {
    single(broken("[Île Verte].", "Île Verte."), ErrorKind::PlotSpan);
    single(
        broken("[Île Verte].", "[Île] [Verte]."),
        ErrorKind::PlotSpan,
    );
    let d = single(
        broken("aboard the [Merrow]", "aboard the [Mary Rose]"),
        ErrorKind::PlotSpan,
    );
    assert!(
        d.message.contains("[Mary Rose]") && d.message.contains("`merrow`"),
        "{d}"
    );
    // Folding: case and diacritics do not matter.
    load_str(&edited("[Île Verte]", "[ILE VERTE]"), "t").unwrap();
    single(broken("kind = \"number\"\n", ""), ErrorKind::PlotAnswer);
}

#[test]
fn other_rules_are_errors() {
    single(
        broken("was announced in {date}.", "was announced in 2020."),
        ErrorKind::MilestoneDate,
    );
    let d = single(
        broken("id = \"harbour-lights\"", "id = \"Harbour Lights\""),
        ErrorKind::BadPackId,
    );
    assert!(d.help.unwrap().contains("harbour-lights"));
    single(
        broken("title = \"Fog Bell\"", "title = \"  \""),
        ErrorKind::EmptyText,
    );
    let src = edited(
        "[[episodes]]\nseason = 1\nnumber = 2",
        "[[episodes]\nseason = 1\nnumber = 2",
    );
    let d = single(errors(&src), ErrorKind::Syntax);
    assert_eq!(d.line, line_of(&src, "[[episodes]\n"));
}

#[test]
fn all_errors_of_a_file_are_reported_in_one_run() {
    // Three mistakes in one episode, one in another, and a semantic one elsewhere.
    let src = good()
        .replacen(
            "air_date = \"2021-03-12\"",
            "air_date = \"2021-13-12\"\nsynopsys = \"x\"\noverall_no = 2",
            1,
        )
        .replacen("title = \"Low Tide\"", "title = 4", 1)
        .replacen(
            "{date}.\"\n\n[[series.milestones]]",
            ".\"\n\n[[series.milestones]]",
            1,
        );
    let kinds: Vec<ErrorKind> = errors(&src).iter().map(|d| d.kind).collect();
    assert_eq!(
        kinds,
        vec![
            ErrorKind::MilestoneDate,
            ErrorKind::BadDate,
            ErrorKind::UnknownKey,
            ErrorKind::UnknownKey,
            ErrorKind::WrongType,
        ]
    );
}

#[test]
fn a_broken_element_does_not_cause_follow_on_errors() {
    // The episode with the bad date is left out, but its season's count is not then reported.
    let d = single(
        broken("air_date = \"2021-03-19\"", "air_date = \"2021-03-99\""),
        ErrorKind::BadDate,
    );
    assert!(d.message.contains("episode S1E3"));
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn a_pack_set_keeps_valid_packs_and_lists_broken_ones() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a-good.toml", &good());
    write(
        dir.path(),
        "b-broken.toml",
        &good().replace("title = \"Fog Bell\"", "title = 3"),
    );
    write(dir.path(), "c-same-id.toml", &good());
    write(dir.path(), "notes.txt", "not a pack");

    let set = PackSet::load_dir(dir.path());
    assert_eq!(set.ids(), vec!["harbour-lights"]);
    assert_eq!(set.default_pack().unwrap().id(), "harbour-lights");
    assert!(set.get("harbour-lights").is_some() && set.get("nope").is_none());
    assert_eq!(
        set.file_of("harbour-lights").unwrap(),
        dir.path().join("a-good.toml")
    );
    let broken: Vec<_> = set
        .broken
        .iter()
        .map(|b| b.path.file_name().unwrap().to_str().unwrap())
        .collect();
    assert_eq!(broken, vec!["b-broken.toml", "c-same-id.toml"]);
    let dup = &set.broken[1].diagnostics[0];
    assert_eq!(dup.kind, ErrorKind::DuplicatePack);
    assert_eq!(dup.line, line_of(&good(), "id = \"harbour-lights\""));
    assert_eq!(set.error_count(), 2);
}

#[test]
fn a_missing_folder_is_reported_not_fatal() {
    let set = PackSet::load_dir(Path::new("/nonexistent/packs"));
    assert!(set.packs.is_empty());
    assert_eq!(set.broken[0].diagnostics[0].kind, ErrorKind::Unreadable);
}

fn check(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_trivia-bot"))
        .arg("check")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("QUESTIONS_DIR")
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn check_prints_a_summary_per_pack_and_exits_0_when_all_are_valid() {
    let (code, out) = check(&["tests/packs/harbour-lights.toml"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(
        "✓ harbour-lights (tests/packs/harbour-lights.toml): Harbour Lights v0.1 — 2 seasons, 4 episodes, 5 cast, 8 entities, 5 plot points"
    ), "{out}");
    assert!(out.contains("1 pack OK, 0 broken"), "{out}");
}

#[test]
fn check_prints_diagnostics_and_exits_1_on_errors() {
    let (code, out) = check(&["tests/packs/harbour-lights.toml", "tests/packs/broken"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("✗ tests/packs/broken/three-mistakes.toml: 3 errors"),
        "{out}"
    );
    assert_eq!(out.matches(": error: ").count(), 3, "{out}");
    assert_eq!(out.matches("\n  help: ").count(), 3, "{out}");
    assert!(
        out.contains("tests/packs/broken/three-mistakes.toml:21:1: error: unknown key `diretors`"),
        "{out}"
    );
    assert!(out.contains("1 pack OK, 1 broken (3 errors)"), "{out}");
}

#[test]
fn check_defaults_to_the_questions_folder() {
    let (code, out) = check(&[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("✓ picard (questions/picard.toml)"), "{out}");
}

#[test]
fn a_pack_built_in_code_can_be_validated() {
    let mut pack = load_str(&good(), "t").unwrap().data;
    assert!(trivia_bot::facts::validate(&pack, "built").is_empty());
    pack.cast[0].characters = vec!["nobody".into()];
    pack.series.milestones[0].statement = "No placeholder.".into();
    let kinds: Vec<ErrorKind> = trivia_bot::facts::validate(&pack, "built")
        .iter()
        .map(|d| d.kind)
        .collect();
    assert_eq!(
        kinds,
        vec![ErrorKind::MilestoneDate, ErrorKind::DanglingReference]
    );
}
