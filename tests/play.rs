//! `trivia-bot play` with piped answers: a seeded deck, prepared answers, asserted standings.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use trivia_bot::cli::play::deck;
use trivia_bot::facts::{self, FactPack};
use trivia_bot::quiz::{Form, Question};

const PACKS: &str = "tests/packs";
const SEED: u64 = 7;

fn pack() -> FactPack {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(PACKS)
        .join("game_mini.toml");
    facts::load_file(&path).unwrap_or_else(|d| panic!("the test pack must load: {d:?}"))
}

/// Runs `trivia-bot play` with `args`, `input` on stdin; returns (success, stdout, stderr).
fn play(args: &[&str], input: &str) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_trivia-bot"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["--questions-dir", PACKS, "play", "--pack", "game-mini"])
        .args(args)
        .env_remove("CLICOLOR_FORCE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The right answer as a player would type it.
fn right(q: &Question) -> String {
    match q.correct {
        Some(i) => char::from(b'A' + i as u8).to_string(),
        None => q.answer.clone(),
    }
}

/// A wrong answer as a player would type it.
fn wrong(q: &Question) -> String {
    match (q.form, q.correct) {
        (Form::Typed, _) => "certainly not this".to_string(),
        (_, Some(i)) => char::from(b'A' + ((i + 1) % q.choices.len()) as u8).to_string(),
        (_, None) => "A".to_string(),
    }
}

/// The "Final standings" table: (place, name, points) a line.
fn final_standings(stdout: &str) -> Vec<(usize, String, u64)> {
    let table = stdout
        .split("Final standings")
        .nth(1)
        .unwrap_or_else(|| panic!("no final standings in:\n{stdout}"));
    table
        .lines()
        .filter_map(|line| {
            let (place, rest) = line.trim().split_once(". ")?;
            let mut words = rest.split_whitespace();
            let name = words.next()?.to_string();
            let points = words.next()?.parse().ok()?;
            Some((place.parse().ok()?, name, points))
        })
        .collect()
}

#[test]
fn a_piped_game_with_two_players_ends_with_their_standings() {
    let questions = deck(&pack(), 5, SEED);
    assert_eq!(questions.len(), 5, "the test pack deals a full deck");
    let input: String = questions
        .iter()
        .map(|q| format!("alice: {}\nbob: {}\n", right(q), wrong(q)))
        .collect();

    let args = ["--seed", "7", "--rounds", "5", "--players", "alice,bob"];
    let (ok, stdout, stderr) = play(&args, &input);
    assert!(ok, "{stderr}\n{stdout}");
    assert!(
        stdout.contains("Game over: every question was asked."),
        "{stdout}"
    );
    // Piped answers arrive the moment each question opens: 1000 points each, plus the streak
    // bonus (+100, +200, ...) for consecutive right answers.
    assert_eq!(
        final_standings(&stdout),
        [
            (1, "alice".to_string(), 1000 + 1100 + 1200 + 1300 + 1400),
            (2, "bob".to_string(), 0)
        ]
    );
    assert!(
        stdout.contains(&questions[0].prompt),
        "the question is shown"
    );
    assert!(
        stdout.contains(&format!("Source: {}", questions[4].source)),
        "the source fact is shown"
    );
    assert!(
        !stdout.contains('\u{1b}'),
        "no colour codes when stdout is not a terminal"
    );

    // The same seed deals the same game.
    assert_eq!(play(&args, &input).1, stdout);
}

#[test]
fn end_of_input_stops_the_game_with_the_standings_so_far() {
    let questions = deck(&pack(), 4, SEED);
    // Race rule: bob misses first, then alice takes the question. Two of four questions.
    let input: String = questions[..2]
        .iter()
        .map(|q| format!("bob: {}\nalice: {}\n", wrong(q), right(q)))
        .collect();
    let args = [
        "--seed",
        "7",
        "--rounds",
        "4",
        "--rule",
        "race",
        "--scoring",
        "classic",
        "--players",
        "alice,bob",
    ];
    let (ok, stdout, stderr) = play(&args, &input);
    assert!(ok, "{stderr}\n{stdout}");
    assert!(stdout.contains("alice got it first!"), "{stdout}");
    assert!(stdout.contains("Game stopped."), "{stdout}");
    assert_eq!(
        final_standings(&stdout),
        [(1, "alice".to_string(), 2), (2, "bob".to_string(), 0)]
    );
}

#[test]
fn a_blank_line_lets_the_time_run_out_for_a_single_player() {
    let questions = deck(&pack(), 3, SEED);
    let input = format!("{}\n\n{}\n", right(&questions[0]), right(&questions[2]));
    let (ok, stdout, stderr) = play(&["--seed", "7", "--rounds", "3"], &input);
    assert!(ok, "{stderr}\n{stdout}");
    assert!(stdout.contains("Time's up: nobody answered."), "{stdout}");
    // The missed question ends the streak: no bonus on the third.
    assert_eq!(final_standings(&stdout), [(1, "you".to_string(), 2000)]);
}

#[test]
fn bad_lines_get_a_message_and_change_nothing() {
    let questions = deck(&pack(), 1, SEED);
    let input = format!(
        "{}\ncarol: A\nalice: {}\nalice: {}\nbob: {}\n",
        right(&questions[0]),
        right(&questions[0]),
        wrong(&questions[0]),
        wrong(&questions[0])
    );
    let (ok, stdout, _) = play(
        &[
            "--seed",
            "7",
            "--rounds",
            "1",
            "--players",
            "alice,bob",
            "--scoring",
            "classic",
        ],
        &input,
    );
    assert!(ok);
    assert!(
        stdout.contains("Start the line with a player's name"),
        "{stdout}"
    );
    assert!(stdout.contains("There is no player `carol`"), "{stdout}");
    assert!(
        stdout.contains("alice: You already answered this question."),
        "{stdout}"
    );
    assert_eq!(
        final_standings(&stdout),
        [(1, "alice".to_string(), 1), (2, "bob".to_string(), 0)]
    );
}

#[test]
fn an_unknown_pack_is_a_clear_error() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_trivia-bot"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["--questions-dir", PACKS, "play", "--pack", "no-such-pack"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!child.status.success());
    let stderr = String::from_utf8(std::mem::take(&mut child.stderr)).unwrap();
    assert!(
        stderr.contains("no pack `no-such-pack`") && stderr.contains("game-mini"),
        "{stderr}"
    );
}
