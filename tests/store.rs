//! The store's behaviour, one suite run against both backends: SQLite (a temporary file) and
//! PostgreSQL (a fresh schema in the database named by TEST_POSTGRES_URL; without it the
//! PostgreSQL half prints why it is skipped).

#[macro_use]
mod store_support;

use std::collections::HashMap;
use std::time::Duration;

use store_support::{TestDb, open};
use trivia_bot::store::{
    AnswerRecord, Backend, Board, BoardRow, GameSnapshot, GameWriter, GuildSettings, NewGame,
    QuestionResults, Recorded, SnapshotWrite, Store, StoreError, StoreOptions,
    known_schema_version,
};

on_both_backends!(
    creates_the_database_and_reports_its_backend,
    settings_round_trip_with_defaults,
    settings_written_by_an_older_bot_get_new_fields_defaulted,
    damaged_settings_are_a_clear_error,
    a_question_updates_totals_and_streaks,
    ties_share_a_rank,
    pages_cover_the_board_once,
    week_and_month_count_only_their_answers,
    game_and_event_boards,
    recording_a_question_twice_counts_once,
    a_big_question_is_recorded_whole_with_its_players_names,
    answers_for_an_unknown_game_are_refused,
    finishing_a_game_counts_once,
    resets_clear_totals_and_windows_and_are_listed,
    a_ruling_moves_the_totals,
    display_names_follow_renames,
    game_snapshots_round_trip,
    the_game_writer_keeps_each_channels_latest_save,
    the_game_writer_commits_games_together_and_isolates_a_bad_one,
    a_newer_schema_is_refused,
    two_pools_many_tasks_exact_totals,
);

const GUILD: u64 = 900_000_000_000_000_001;
const OTHER_GUILD: u64 = 900_000_000_000_000_002;
const MOD: u64 = 800_000_000_000_000_009;
/// Thursday 2026-11-26 12:00:00 UTC.
const NOW: i64 = 1_795_694_400_000;
const DAY: i64 = 86_400_000;

async fn new_game(store: &Store, guild: u64, at: i64) -> i64 {
    store
        .start_game(&NewGame {
            guild,
            channel: 700,
            started_by: MOD,
            pack: "picard".into(),
            seed: u64::MAX - 7, // above i64::MAX: must round-trip through BIGINT
            mode: "buttons".into(),
            started_at: at,
        })
        .await
        .unwrap()
}

fn answer(user: u64, correct: bool, points: i64, at: i64) -> AnswerRecord {
    AnswerRecord {
        user,
        answer_text: if correct { "Picard" } else { "Riker" }.into(),
        answered_at: at,
        correct,
        points,
        near_miss: if correct { None } else { Some(0.4) },
    }
}

fn question(game_id: i64, guild: u64, index: u32, answers: Vec<AnswerRecord>) -> QuestionResults {
    let asked_at = answers.iter().map(|a| a.answered_at).min().unwrap_or(NOW) - 1_000;
    QuestionResults {
        game_id,
        guild,
        question_index: index,
        question_text: format!("Question {index}?"),
        correct_answer: "Picard".into(),
        asked_at,
        answers,
        event_id: None,
        names: Vec::new(),
    }
}

/// (user, points) of a board page, for compact assertions.
fn points_of(rows: &[BoardRow]) -> Vec<(u64, i64)> {
    rows.iter().map(|r| (r.user, r.points)).collect()
}

async fn board(store: &Store, board: Board) -> Vec<BoardRow> {
    store.leaderboard(GUILD, board, NOW, 0, 100).await.unwrap()
}

// ---------------------------------------------------------------------------------------------

async fn creates_the_database_and_reports_its_backend(db: &TestDb) {
    let store = open(db).await;
    let expected = if db.is_sqlite() {
        Backend::Sqlite
    } else {
        Backend::Postgres
    };
    assert_eq!(store.backend(), expected);
    if db.is_sqlite() {
        assert_eq!(db.query_text("PRAGMA journal_mode").await, "wal");
    }
    // Opening again finds the schema in place and changes nothing.
    store.close().await;
    let again = open(db).await;
    assert!(board(&again, Board::AllTime).await.is_empty());
}

async fn settings_round_trip_with_defaults(db: &TestDb) {
    let store = open(db).await;
    assert_eq!(
        store.guild_settings(GUILD).await.unwrap(),
        GuildSettings::default()
    );
    let custom = GuildSettings {
        default_rounds: 15,
        default_seconds: 30,
        default_rule: "race".into(),
        default_scoring: "classic".into(),
        quiz_master_role: Some(123_456_789_012_345_678),
        announce_channel: Some(u64::MAX >> 1),
        allowed_channels: vec![1, 2, 3],
        spoiler_limit: Some("S1E4".into()),
    };
    store.set_guild_settings(GUILD, &custom).await.unwrap();
    assert_eq!(store.guild_settings(GUILD).await.unwrap(), custom);
    assert_eq!(
        store.guild_settings(OTHER_GUILD).await.unwrap(),
        GuildSettings::default()
    );

    let changed = GuildSettings {
        default_rounds: 5,
        ..custom
    };
    store.set_guild_settings(GUILD, &changed).await.unwrap();
    assert_eq!(store.guild_settings(GUILD).await.unwrap(), changed);
}

async fn settings_written_by_an_older_bot_get_new_fields_defaulted(db: &TestDb) {
    let store = open(db).await;
    db.execute(&format!(
        "INSERT INTO guilds (guild_id, settings) VALUES ({}, '{{\"default_rounds\": 7}}')",
        GUILD as i64
    ))
    .await;
    let settings = store.guild_settings(GUILD).await.unwrap();
    assert_eq!(
        settings,
        GuildSettings {
            default_rounds: 7,
            ..GuildSettings::default()
        }
    );
}

async fn damaged_settings_are_a_clear_error(db: &TestDb) {
    let store = open(db).await;
    db.execute(&format!(
        "INSERT INTO guilds (guild_id, settings) VALUES ({}, 'not json')",
        GUILD as i64
    ))
    .await;
    let err = store.guild_settings(GUILD).await.unwrap_err();
    assert!(matches!(err, StoreError::Corrupt(_)), "{err}");
    assert!(err.to_string().contains("save them again"), "{err}");
    // Saving settings again repairs it.
    store
        .set_guild_settings(GUILD, &GuildSettings::default())
        .await
        .unwrap();
    assert_eq!(
        store.guild_settings(GUILD).await.unwrap(),
        GuildSettings::default()
    );
}

async fn a_question_updates_totals_and_streaks(db: &TestDb) {
    let store = open(db).await;
    let game = new_game(&store, GUILD, NOW).await;
    // Player 1: right, right, wrong, right. Player 2: wrong, right, (no answer), right.
    let rounds = [
        vec![answer(1, true, 10, NOW), answer(2, false, 0, NOW + 1)],
        vec![answer(1, true, 8, NOW + 10), answer(2, true, 9, NOW + 11)],
        vec![answer(1, false, 0, NOW + 20)],
        vec![answer(1, true, 7, NOW + 30), answer(2, true, 6, NOW + 31)],
    ];
    for (i, answers) in rounds.into_iter().enumerate() {
        let recorded = store
            .record_question(&question(game, GUILD, i as u32, answers.clone()))
            .await
            .unwrap();
        assert_eq!(
            recorded,
            Recorded {
                new_answers: answers.len(),
                already_recorded: 0
            }
        );
    }

    let one = store.player_stats(GUILD, 1).await.unwrap().unwrap();
    assert_eq!((one.points, one.answered, one.right), (25, 4, 3));
    assert_eq!((one.current_streak, one.best_streak), (1, 2));
    assert_eq!(one.last_played_at, NOW + 30);
    assert_eq!((one.rank, one.board_size), (1, 2));

    let two = store.player_stats(GUILD, 2).await.unwrap().unwrap();
    assert_eq!((two.points, two.answered, two.right), (15, 3, 2));
    // A question not answered does not break a streak.
    assert_eq!((two.current_streak, two.best_streak), (2, 2));
    assert_eq!(two.rank, 2);

    assert_eq!(store.player_stats(GUILD, 3).await.unwrap(), None);
    assert_eq!(store.player_stats(OTHER_GUILD, 1).await.unwrap(), None);
    assert_eq!(
        points_of(&board(&store, Board::AllTime).await),
        [(1, 25), (2, 15)]
    );
}

async fn ties_share_a_rank(db: &TestDb) {
    let store = open(db).await;
    let game = new_game(&store, GUILD, NOW).await;
    let points = [(14, 30), (12, 30), (13, 20), (11, 10), (16, 10), (15, 5)];
    let answers = points
        .iter()
        .map(|&(user, p)| answer(user, true, p, NOW))
        .collect();
    store
        .record_question(&question(game, GUILD, 0, answers))
        .await
        .unwrap();

    for which in [Board::AllTime, Board::Week, Board::Game(game)] {
        let rows = board(&store, which).await;
        let ranks: Vec<(u64, u64, i64)> = rows.iter().map(|r| (r.rank, r.user, r.points)).collect();
        assert_eq!(
            ranks,
            [
                (1, 12, 30),
                (1, 14, 30),
                (3, 13, 20),
                (4, 11, 10),
                (4, 16, 10),
                (6, 15, 5)
            ],
            "{which:?}"
        );
        let sixteen = store
            .board_row_of(GUILD, which, NOW, 16)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((sixteen.rank, sixteen.points), (4, 10));
    }
    assert_eq!(
        store.player_stats(GUILD, 14).await.unwrap().unwrap().rank,
        1
    );
    assert_eq!(
        store.player_stats(GUILD, 16).await.unwrap().unwrap().rank,
        4
    );
    assert_eq!(
        store
            .board_row_of(GUILD, Board::AllTime, NOW, 99)
            .await
            .unwrap(),
        None
    );
}

async fn pages_cover_the_board_once(db: &TestDb) {
    let store = open(db).await;
    let game = new_game(&store, GUILD, NOW).await;
    // Seven players, two of them tied across the page boundary.
    let points = [
        (1, 70),
        (2, 60),
        (3, 50),
        (4, 50),
        (5, 30),
        (6, 20),
        (7, 10),
    ];
    let answers = points
        .iter()
        .map(|&(user, p)| answer(user, true, p, NOW))
        .collect();
    store
        .record_question(&question(game, GUILD, 0, answers))
        .await
        .unwrap();

    assert_eq!(
        store.board_len(GUILD, Board::AllTime, NOW).await.unwrap(),
        7
    );
    let mut seen = Vec::new();
    for page in 0..3 {
        let rows = store
            .leaderboard(GUILD, Board::AllTime, NOW, page * 3, 3)
            .await
            .unwrap();
        assert_eq!(rows.len(), if page < 2 { 3 } else { 1 });
        seen.extend(rows.iter().map(|r| (r.rank, r.user)));
    }
    assert_eq!(
        seen,
        [(1, 1), (2, 2), (3, 3), (3, 4), (5, 5), (6, 6), (7, 7)]
    );
    assert!(
        store
            .leaderboard(GUILD, Board::AllTime, NOW, 7, 3)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .board_len(OTHER_GUILD, Board::AllTime, NOW)
            .await
            .unwrap(),
        0
    );
}

async fn week_and_month_count_only_their_answers(db: &TestDb) {
    let store = open(db).await;
    // NOW is Thursday 26 November: the week began Monday 23rd, the month on the 1st.
    let last_month = NOW - 30 * DAY; // 27 October
    let earlier_this_month = NOW - 10 * DAY; // 16 November
    let monday = NOW - 3 * DAY - 12 * 3_600_000; // Monday 23rd, 00:00
    let game = new_game(&store, GUILD, last_month).await;
    let at = [last_month, earlier_this_month, monday, monday - 1];
    for (i, &t) in at.iter().enumerate() {
        store
            .record_question(&question(
                game,
                GUILD,
                i as u32,
                vec![answer(1, true, 1 << i, t), answer(2, true, 100, t)],
            ))
            .await
            .unwrap();
    }
    assert_eq!(
        points_of(&board(&store, Board::Week).await),
        [(2, 100), (1, 4)]
    );
    assert_eq!(
        points_of(&board(&store, Board::Month).await),
        [(2, 300), (1, 2 + 4 + 8)]
    );
    assert_eq!(
        points_of(&board(&store, Board::AllTime).await),
        [(2, 400), (1, 15)]
    );
    let week_row = store
        .board_row_of(GUILD, Board::Week, NOW, 2)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((week_row.right, week_row.answered), (1, 1));
    assert_eq!(store.board_len(GUILD, Board::Month, NOW).await.unwrap(), 2);
}

async fn game_and_event_boards(db: &TestDb) {
    let store = open(db).await;
    let first = new_game(&store, GUILD, NOW).await;
    let second = new_game(&store, GUILD, NOW).await;
    let elsewhere = new_game(&store, OTHER_GUILD, NOW).await;
    assert!(first != second && second != elsewhere);

    let mut in_event = question(first, GUILD, 0, vec![answer(1, true, 10, NOW)]);
    in_event.event_id = Some(42);
    store.record_question(&in_event).await.unwrap();
    store
        .record_question(&question(first, GUILD, 1, vec![answer(2, true, 5, NOW)]))
        .await
        .unwrap();
    let mut also_in_event = question(second, GUILD, 0, vec![answer(2, true, 7, NOW)]);
    also_in_event.event_id = Some(42);
    store.record_question(&also_in_event).await.unwrap();
    store
        .record_question(&question(
            elsewhere,
            OTHER_GUILD,
            0,
            vec![answer(1, true, 99, NOW)],
        ))
        .await
        .unwrap();

    assert_eq!(
        points_of(&board(&store, Board::Game(first)).await),
        [(1, 10), (2, 5)]
    );
    assert_eq!(
        points_of(&board(&store, Board::Game(second)).await),
        [(2, 7)]
    );
    assert_eq!(
        points_of(&board(&store, Board::Event(42)).await),
        [(1, 10), (2, 7)]
    );
    // Another server's game is not readable from this one.
    assert!(board(&store, Board::Game(elsewhere)).await.is_empty());
    assert_eq!(
        points_of(&board(&store, Board::AllTime).await),
        [(2, 12), (1, 10)]
    );
}

async fn recording_a_question_twice_counts_once(db: &TestDb) {
    let store = open(db).await;
    let game = new_game(&store, GUILD, NOW).await;
    let first = question(
        game,
        GUILD,
        0,
        vec![answer(1, true, 10, NOW), answer(2, false, 0, NOW)],
    );
    store.record_question(&first).await.unwrap();
    let again = store.record_question(&first).await.unwrap();
    assert_eq!(
        again,
        Recorded {
            new_answers: 0,
            already_recorded: 2
        }
    );
    // A replay that also carries a late answer stores only the new one.
    let mut replay = first.clone();
    replay.answers.push(answer(3, true, 4, NOW + 5));
    replay.answers.push(answer(3, true, 4, NOW + 6)); // the same player twice in one call
    let replayed = store.record_question(&replay).await.unwrap();
    assert_eq!(
        replayed,
        Recorded {
            new_answers: 1,
            already_recorded: 3
        }
    );

    assert_eq!(
        points_of(&board(&store, Board::AllTime).await),
        [(1, 10), (3, 4), (2, 0)]
    );
    let one = store.player_stats(GUILD, 1).await.unwrap().unwrap();
    assert_eq!((one.answered, one.right, one.current_streak), (1, 1, 1));
}

async fn a_big_question_is_recorded_whole_with_its_players_names(db: &TestDb) {
    // More answers than one statement carries: every one is stored and counted once, and the
    // names of the new players are written in the same transaction.
    let store = open(db).await;
    let game = new_game(&store, GUILD, NOW).await;
    let answers: Vec<AnswerRecord> = (1..=450)
        .map(|user| answer(user, user % 3 == 0, if user % 3 == 0 { 5 } else { 0 }, NOW))
        .collect();
    let mut results = question(game, GUILD, 0, answers);
    results.names = (1..=450)
        .map(|user| (user, format!("player {user}")))
        .collect();
    let recorded = store.record_question(&results).await.unwrap();
    assert_eq!(
        recorded,
        Recorded {
            new_answers: 450,
            already_recorded: 0
        }
    );
    let again = store.record_question(&results).await.unwrap();
    assert_eq!(again.already_recorded, 450);
    let rows = store
        .leaderboard(GUILD, Board::AllTime, NOW, 0, 1_000)
        .await
        .unwrap();
    assert_eq!(rows.len(), 450);
    assert_eq!(rows.iter().map(|r| r.answered).sum::<i64>(), 450);
    assert_eq!(rows.iter().map(|r| r.points).sum::<i64>(), 150 * 5);
    let stats = store.player_stats(GUILD, 449).await.unwrap().unwrap();
    assert_eq!(stats.name.as_deref(), Some("player 449"));
}

async fn answers_for_an_unknown_game_are_refused(db: &TestDb) {
    let store = open(db).await;
    let err = store
        .record_question(&question(12_345, GUILD, 0, vec![answer(1, true, 10, NOW)]))
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::UnknownGame { game_id: 12_345 }),
        "{err}"
    );
    // A game of another server cannot receive this server's answers.
    let elsewhere = new_game(&store, OTHER_GUILD, NOW).await;
    let err = store
        .record_question(&question(
            elsewhere,
            GUILD,
            0,
            vec![answer(1, true, 10, NOW)],
        ))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::UnknownGame { .. }), "{err}");
    assert!(!err.is_unavailable());
    assert!(board(&store, Board::AllTime).await.is_empty());
    let err = store.finish_game(12_345, NOW, &[1]).await.unwrap_err();
    assert!(matches!(err, StoreError::UnknownGame { .. }), "{err}");
}

async fn finishing_a_game_counts_once(db: &TestDb) {
    let store = open(db).await;
    let game = new_game(&store, GUILD, NOW).await;
    for i in 0..2 {
        store
            .record_question(&question(
                game,
                GUILD,
                i,
                vec![answer(1, true, 10, NOW), answer(2, false, 0, NOW)],
            ))
            .await
            .unwrap();
    }
    assert!(
        store
            .finish_game(game, NOW + 60_000, &[1, 1])
            .await
            .unwrap()
    );
    assert!(!store.finish_game(game, NOW + 70_000, &[1]).await.unwrap());

    let one = store.player_stats(GUILD, 1).await.unwrap().unwrap();
    let two = store.player_stats(GUILD, 2).await.unwrap().unwrap();
    assert_eq!((one.games_played, one.games_won), (1, 1));
    assert_eq!((two.games_played, two.games_won), (1, 0));
    assert_eq!(one.points, 20);
}

async fn resets_clear_totals_and_windows_and_are_listed(db: &TestDb) {
    let store = open(db).await;
    let game = new_game(&store, GUILD, NOW).await;
    store
        .record_question(&question(
            game,
            GUILD,
            0,
            vec![answer(1, true, 10, NOW), answer(2, true, 20, NOW)],
        ))
        .await
        .unwrap();
    let other = new_game(&store, OTHER_GUILD, NOW).await;
    store
        .record_question(&question(
            other,
            OTHER_GUILD,
            0,
            vec![answer(1, true, 50, NOW)],
        ))
        .await
        .unwrap();

    let first = store.reset_player(GUILD, 2, MOD, NOW + 1).await.unwrap();
    assert_eq!((first.user, first.by, first.at), (Some(2), MOD, NOW + 1));
    assert_eq!(store.player_stats(GUILD, 2).await.unwrap(), None);
    assert_eq!(points_of(&board(&store, Board::AllTime).await), [(1, 10)]);
    assert_eq!(points_of(&board(&store, Board::Week).await), [(1, 10)]);
    assert_eq!(points_of(&board(&store, Board::Month).await), [(1, 10)]);
    // The game's own board is a record of what happened.
    assert_eq!(
        points_of(&board(&store, Board::Game(game)).await),
        [(2, 20), (1, 10)]
    );

    // Answers after the reset count again, from zero.
    store
        .record_question(&question(game, GUILD, 1, vec![answer(2, true, 3, NOW + 2)]))
        .await
        .unwrap();
    assert_eq!(
        points_of(&board(&store, Board::Week).await),
        [(1, 10), (2, 3)]
    );
    assert_eq!(
        store
            .player_stats(GUILD, 2)
            .await
            .unwrap()
            .unwrap()
            .answered,
        1
    );

    let second = store.reset_guild(GUILD, MOD + 1, NOW + 3).await.unwrap();
    assert_eq!(second.user, None);
    assert!(board(&store, Board::AllTime).await.is_empty());
    assert!(board(&store, Board::Week).await.is_empty());
    assert_eq!(store.board_len(GUILD, Board::Month, NOW).await.unwrap(), 0);
    // Another server is untouched.
    assert_eq!(
        store
            .player_stats(OTHER_GUILD, 1)
            .await
            .unwrap()
            .unwrap()
            .points,
        50
    );

    let resets = store.resets(GUILD).await.unwrap();
    assert_eq!(resets, [second.clone(), first.clone()]);
    assert!(second.reset_id > first.reset_id);
    assert!(store.resets(OTHER_GUILD).await.unwrap().is_empty());
}

async fn a_ruling_moves_the_totals(db: &TestDb) {
    let store = open(db).await;
    let game = new_game(&store, GUILD, NOW).await;
    store
        .record_question(&question(
            game,
            GUILD,
            0,
            vec![answer(1, false, 0, NOW), answer(2, true, 10, NOW)],
        ))
        .await
        .unwrap();

    // "Riker" was accepted after all.
    assert!(store.amend_answer(game, 0, 1, true, 8).await.unwrap());
    assert!(store.amend_answer(game, 0, 1, true, 8).await.unwrap());
    let one = store.player_stats(GUILD, 1).await.unwrap().unwrap();
    assert_eq!((one.points, one.right, one.answered), (8, 1, 1));
    assert_eq!(
        points_of(&board(&store, Board::Game(game)).await),
        [(2, 10), (1, 8)]
    );
    assert_eq!(
        points_of(&board(&store, Board::Week).await),
        [(2, 10), (1, 8)]
    );

    // Taking points away works the same way.
    assert!(store.amend_answer(game, 0, 2, false, 0).await.unwrap());
    let two = store.player_stats(GUILD, 2).await.unwrap().unwrap();
    assert_eq!((two.points, two.right), (0, 0));

    assert!(!store.amend_answer(game, 0, 3, true, 5).await.unwrap());
    assert!(!store.amend_answer(game, 9, 1, true, 5).await.unwrap());
    assert!(!store.amend_answer(987_654, 0, 1, true, 5).await.unwrap());
    assert_eq!(store.player_stats(GUILD, 3).await.unwrap(), None);
}

async fn display_names_follow_renames(db: &TestDb) {
    let store = open(db).await;
    let game = new_game(&store, GUILD, NOW).await;
    store
        .record_question(&question(
            game,
            GUILD,
            0,
            vec![answer(1, true, 10, NOW), answer(2, true, 5, NOW)],
        ))
        .await
        .unwrap();
    store.remember_name(GUILD, 1, "Raffi").await.unwrap();
    store
        .remember_name(OTHER_GUILD, 1, "Musiker")
        .await
        .unwrap();
    let rows = board(&store, Board::AllTime).await;
    assert_eq!(rows[0].name.as_deref(), Some("Raffi"));
    assert_eq!(rows[1].name, None);

    store.remember_name(GUILD, 1, "Raffi M.").await.unwrap();
    store
        .remember_name(GUILD, 2, &"Seven of Nine ".repeat(20))
        .await
        .unwrap();
    let rows = board(&store, Board::AllTime).await;
    assert_eq!(rows[0].name.as_deref(), Some("Raffi M."));
    assert_eq!(rows[1].name.as_ref().map(|n| n.chars().count()), Some(100));
    assert_eq!(
        store
            .player_stats(GUILD, 1)
            .await
            .unwrap()
            .unwrap()
            .name
            .as_deref(),
        Some("Raffi M.")
    );
}

async fn game_snapshots_round_trip(db: &TestDb) {
    let store = open(db).await;
    assert!(store.load_game_snapshots().await.unwrap().is_empty());
    let a = GameSnapshot {
        guild: GUILD,
        channel: 701,
        game_id: 1,
        json: r#"{"question":3}"#.into(),
        deck: Some("[1]".into()),
        rounds: Vec::new(),
        updated_at: NOW,
    };
    let b = GameSnapshot {
        channel: 702,
        game_id: 2,
        updated_at: NOW + 1,
        ..a.clone()
    };
    store.save_game_snapshot(&a).await.unwrap();
    store.save_game_snapshot(&b).await.unwrap();
    // A later save without a deck keeps the stored one.
    let a2 = GameSnapshot {
        json: r#"{"question":4}"#.into(),
        deck: None,
        updated_at: NOW + 2,
        ..a.clone()
    };
    store.save_game_snapshot(&a2).await.unwrap();
    let a2_loaded = GameSnapshot {
        deck: Some("[1]".into()),
        ..a2.clone()
    };
    assert_eq!(
        store.load_game_snapshots().await.unwrap(),
        [b.clone(), a2_loaded.clone()]
    );
    assert!(store.delete_game_snapshot(701).await.unwrap());
    assert!(!store.delete_game_snapshot(701).await.unwrap());
    assert_eq!(
        store.load_game_snapshots().await.unwrap(),
        std::slice::from_ref(&b)
    );

    // A batch applies in order, in one transaction; a delete names its game, so the end of
    // an old game cannot delete a newer game's snapshot in the same channel.
    let c = GameSnapshot {
        channel: 702,
        game_id: 3,
        updated_at: NOW + 3,
        ..b.clone()
    };
    store
        .write_game_snapshots(&[
            SnapshotWrite::Save(a.clone()),
            SnapshotWrite::Save(c.clone()),
            SnapshotWrite::Delete {
                channel: 702,
                game_id: 2,
            },
            SnapshotWrite::Delete {
                channel: 701,
                game_id: 1,
            },
        ])
        .await
        .unwrap();
    assert_eq!(
        store.load_game_snapshots().await.unwrap(),
        std::slice::from_ref(&c)
    );

    // Revealed questions are saved apart, once each: a later save without them keeps them, a
    // ruling's re-save replaces one, and they come back with the game, in order.
    let round = |i: u32, text: &str| (i, format!(r#"{{"index":{i},"text":"{text}"}}"#));
    let with = |rounds: Vec<(u32, String)>| GameSnapshot {
        rounds,
        deck: None,
        ..c.clone()
    };
    store
        .save_game_snapshot(&with(vec![round(0, "a"), round(1, "b")]))
        .await
        .unwrap();
    store.save_game_snapshot(&with(Vec::new())).await.unwrap();
    store
        .save_game_snapshot(&with(vec![round(1, "ruled"), round(2, "c")]))
        .await
        .unwrap();
    let loaded = store.load_game_snapshots().await.unwrap();
    assert_eq!(
        loaded[0].rounds,
        [round(0, "a"), round(1, "ruled"), round(2, "c")]
    );
    // The game ends: its questions go with it.
    store
        .write_game_snapshots(&[SnapshotWrite::Delete {
            channel: 702,
            game_id: 3,
        }])
        .await
        .unwrap();
    assert!(store.load_game_snapshots().await.unwrap().is_empty());
    let left = db
        .query_text("SELECT CAST(COUNT(*) AS TEXT) FROM game_snapshot_rounds")
        .await;
    assert_eq!(left, "0");
}

async fn the_game_writer_keeps_each_channels_latest_save(db: &TestDb) {
    let store = open(db).await;
    let writer = GameWriter::spawn(store.clone());
    let save = |channel: u64, game_id: i64, step: i64, deck: Option<&str>| GameSnapshot {
        guild: GUILD,
        channel,
        game_id,
        json: format!(r#"{{"step":{step}}}"#),
        deck: deck.map(str::to_owned),
        rounds: Vec::new(),
        updated_at: NOW + step,
    };
    // Many saves of two games, the first carrying the deck: the latest state of each is
    // written, with its deck.
    writer.save(save(801, 1, 0, Some("[\"a\"]")));
    writer.save(save(802, 2, 0, Some("[\"b\"]")));
    for step in 1..=50 {
        writer.save(save(801, 1, step, None));
        writer.save(save(802, 2, step, None));
    }
    writer.flush().await;
    let saved = store.load_game_snapshots().await.unwrap();
    assert_eq!(
        saved,
        [
            save(801, 1, 50, Some("[\"a\"]")),
            save(802, 2, 50, Some("[\"b\"]"))
        ]
    );
    // Game 1 ends and a new game starts in its channel; game 2 ends.
    writer.delete(801, 1);
    writer.save(save(801, 3, 60, Some("[\"c\"]")));
    writer.delete(802, 2);
    writer.flush().await;
    assert_eq!(
        store.load_game_snapshots().await.unwrap(),
        [save(801, 3, 60, Some("[\"c\"]"))]
    );
}

async fn the_game_writer_commits_games_together_and_isolates_a_bad_one(db: &TestDb) {
    let store = open(db).await;
    let writer = GameWriter::spawn(store.clone());
    let a = new_game(&store, GUILD, NOW).await;
    let b = new_game(&store, OTHER_GUILD, NOW).await;
    // Three questions at once (they share a commit), one of them for a game that does not
    // exist: the other two are recorded, and the bad one gets its own error.
    let (ra, rb, rbad) = tokio::join!(
        writer.record(question(a, GUILD, 0, vec![answer(1, true, 10, NOW)])),
        writer.record(question(b, OTHER_GUILD, 0, vec![answer(2, true, 7, NOW)])),
        writer.record(question(99_999, GUILD, 0, vec![answer(3, true, 5, NOW)])),
    );
    assert_eq!(ra.unwrap().new_answers, 1);
    assert_eq!(rb.unwrap().new_answers, 1);
    assert!(
        matches!(rbad, Err(StoreError::UnknownGame { game_id: 99_999 })),
        "{rbad:?}"
    );
    // Sent again (a retry): counted once.
    let again = writer
        .record(question(a, GUILD, 0, vec![answer(1, true, 10, NOW)]))
        .await
        .unwrap();
    assert_eq!(again.already_recorded, 1);
    assert_eq!(points_of(&board(&store, Board::AllTime).await), [(1, 10)]);
}

async fn a_newer_schema_is_refused(db: &TestDb) {
    let store = open(db).await;
    let game = new_game(&store, GUILD, NOW).await;
    store.close().await;
    // As if a newer trivia-bot had migrated the database.
    let blob = if db.is_sqlite() {
        "X'00'"
    } else {
        "'\\x00'::bytea"
    };
    db.execute(&format!(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (9999, 'from the future', TRUE, {blob}, 0)"
    ))
    .await;

    let err = Store::connect(&db.url).await.unwrap_err();
    match &err {
        StoreError::SchemaTooNew { found, known } => {
            assert_eq!((*found, *known), (9999, known_schema_version()));
        }
        other => panic!("expected SchemaTooNew, got {other}"),
    }
    let message = err.to_string();
    assert!(message.contains("upgrade trivia-bot"), "{message}");
    assert!(message.contains("9999"), "{message}");

    // Nothing was written: removing the future version makes the database usable as it was.
    db.execute("DELETE FROM _sqlx_migrations WHERE version = 9999")
        .await;
    let store = open(db).await;
    assert!(store.finish_game(game, NOW, &[]).await.unwrap());
}

/// Two pools (as two bot processes would have), four tasks on each, all awarding points to the
/// same three players at once. Tasks k and k+4 replay the same game's questions through
/// different pools, so every answer also races its own duplicate: each must count exactly once.
async fn two_pools_many_tasks_exact_totals(db: &TestDb) {
    const GAMES: usize = 4;
    const QUESTIONS: u32 = 50;
    let first = open(db).await;
    let second = open(db).await;
    let mut games = Vec::new();
    for _ in 0..GAMES {
        games.push(new_game(&first, GUILD, NOW).await);
    }

    let mut tasks = tokio::task::JoinSet::new();
    for (k, store) in [&first, &second].into_iter().enumerate() {
        for &game in &games {
            let store = store.clone();
            tasks.spawn(async move {
                let mut new_answers = 0;
                for q in 0..QUESTIONS {
                    // Alternate the answer order so transactions lock players in varying order.
                    let mut answers = vec![
                        answer(1, true, 3, NOW),
                        answer(2, q % 2 == 0, 2, NOW),
                        answer(3, false, 1, NOW),
                    ];
                    if (q as usize + k) % 2 == 1 {
                        answers.reverse();
                    }
                    let recorded = store
                        .record_question(&question(game, GUILD, q, answers))
                        .await
                        .unwrap_or_else(|e| panic!("game {game} question {q}: {e}"));
                    new_answers += recorded.new_answers;
                }
                new_answers
            });
        }
    }
    let mut stored = 0;
    while let Some(result) = tasks.join_next().await {
        stored += result.expect("writer task panicked");
    }

    let questions = GAMES as i64 * i64::from(QUESTIONS);
    assert_eq!(stored as i64, 3 * questions, "answers counted once each");
    let totals: HashMap<u64, (i64, i64, i64)> = board(&first, Board::AllTime)
        .await
        .into_iter()
        .map(|r| (r.user, (r.points, r.right, r.answered)))
        .collect();
    assert_eq!(totals[&1], (3 * questions, questions, questions));
    assert_eq!(totals[&2], (2 * questions, questions / 2, questions));
    assert_eq!(totals[&3], (questions, 0, questions));
    // The other pool reads the same.
    assert_eq!(
        points_of(&board(&second, Board::AllTime).await),
        points_of(&board(&first, Board::AllTime).await)
    );
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL only: a connection lost mid-run, through a local TCP relay the test can cut.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_lost_connection_is_retried_then_reported() {
    let Ok(base) = std::env::var(store_support::POSTGRES_ENV) else {
        store_support::say_postgres_is_skipped();
        return;
    };
    let db = TestDb::postgres().await.expect("the variable is set");
    let target = url::Url::parse(&base).expect("TEST_POSTGRES_URL is a URL");
    let upstream = format!(
        "{}:{}",
        target.host_str().unwrap_or("127.0.0.1"),
        target.port().unwrap_or(5432)
    );
    let relay = relay::Relay::start(upstream).await;
    let mut via_relay = url::Url::parse(&db.url).unwrap();
    via_relay.set_host(Some("127.0.0.1")).unwrap();
    via_relay.set_port(Some(relay.port)).unwrap();

    let options = StoreOptions {
        acquire_timeout: Duration::from_millis(500),
        attempts: 3,
        first_retry_delay: Duration::from_millis(50),
        ..StoreOptions::default()
    };
    let store = Store::connect_with(via_relay.as_str(), options)
        .await
        .unwrap();
    let game = new_game(&store, GUILD, NOW).await;
    let q = |i| question(game, GUILD, i, vec![answer(1, true, 10, NOW)]);
    store.record_question(&q(0)).await.unwrap();

    // Every open connection dies; the database itself is still there.
    relay.cut_connections();
    store.record_question(&q(1)).await.unwrap();

    // The database cannot be reached at all: the caller gets an error it can show.
    relay.set_accepting(false);
    relay.cut_connections();
    let err = store.record_question(&q(2)).await.unwrap_err();
    assert!(err.is_unavailable(), "{err}");
    assert!(
        matches!(err, StoreError::Unavailable { attempts: 3, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("nothing was saved"), "{err}");

    // Back again: the same question saves, and nothing was counted twice.
    relay.set_accepting(true);
    store.record_question(&q(2)).await.unwrap();
    let one = store.player_stats(GUILD, 1).await.unwrap().unwrap();
    assert_eq!((one.points, one.answered), (30, 3));
}

mod relay {
    //! A TCP relay to the database that the test can cut or block.

    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    use tokio::net::{TcpListener, TcpStream};
    use tokio::sync::watch;

    pub struct Relay {
        pub port: u16,
        accepting: Arc<AtomicBool>,
        generation: watch::Sender<u64>,
    }

    impl Relay {
        pub async fn start(upstream: String) -> Relay {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let port = listener.local_addr().unwrap().port();
            let accepting = Arc::new(AtomicBool::new(true));
            let (generation, _) = watch::channel(0u64);
            let relay = Relay {
                port,
                accepting: accepting.clone(),
                generation: generation.clone(),
            };
            tokio::spawn(async move {
                loop {
                    let Ok((client, _)) = listener.accept().await else {
                        return;
                    };
                    if !accepting.load(Ordering::SeqCst) {
                        drop(client); // the client sees the connection closed at once
                        continue;
                    }
                    let mut cut = generation.subscribe();
                    let upstream = upstream.clone();
                    tokio::spawn(async move {
                        let Ok(mut server) = TcpStream::connect(&upstream).await else {
                            return;
                        };
                        let mut client = client;
                        tokio::select! {
                            _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                            _ = cut.changed() => {}
                        }
                    });
                }
            });
            relay
        }

        /// Closes every connection open now.
        pub fn cut_connections(&self) {
            self.generation.send_modify(|g| *g += 1);
        }

        /// While false, new connections are closed as soon as they arrive.
        pub fn set_accepting(&self, accepting: bool) {
            self.accepting.store(accepting, Ordering::SeqCst);
        }
    }
}
