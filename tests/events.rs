//! Quiz events below Discord: the pure rules (`trivia_bot::events`) together with their
//! storage, one suite run on SQLite (a temporary file) and PostgreSQL (a fresh schema in the
//! database named by TEST_POSTGRES_URL; without it the PostgreSQL half says it is skipped).
//! The clock is a number the tests choose: nothing sleeps.

#[macro_use]
mod store_support;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use store_support::{TestDb, open};
use trivia_bot::answer::{self, Verdict};
use trivia_bot::events::{
    self, Event, EventSpec, EventStatus, ExportDoc, ExportFormat, JoinPlan, RoundSpec,
    ScheduleConfig, ScheduledAction, TeamMode, Teams, Transition,
};
use trivia_bot::facts::{self, FactPack};
use trivia_bot::game::{
    AnswerInput, AnswerRule, Effect, Game, Input, PlayerRef, QuestionOutcome, RejectReason,
    Scoring, Timer,
};
use trivia_bot::quiz::{self, Category, Form, Question};
use trivia_bot::store::{
    self, Board, MAX_SERVER_PACKS, NewGame, NewRuling, QuestionResults, RulingOutcome, SavePack,
    Store,
};

on_both_backends!(
    events_are_stored_listed_and_edited,
    status_changes_are_compare_and_set,
    a_restart_before_the_start_still_announces_and_starts_on_time,
    a_start_found_late_starts_within_grace_and_is_missed_after,
    sign_ups_teams_and_leaving,
    balanced_teams_from_past_points,
    a_ruling_moves_points_and_its_undo_moves_them_back,
    a_night_of_two_rounds_exported_and_parsed_back,
    server_packs_are_per_server_and_replaced_only_when_valid,
);

const GUILD: u64 = 900_000_000_000_000_001;
const OTHER_GUILD: u64 = 900_000_000_000_000_002;
const MOD: u64 = 800_000_000_000_000_009;
const HOST: u64 = 800_000_000_000_000_010;
const ROLE: u64 = 700_000_000_000_000_001;
const CHANNEL: u64 = 600_000_000_000_000_001;
/// Thursday 2026-11-26 12:00:00 UTC.
const NOW: i64 = 1_795_694_400_000;
const MIN: i64 = 60_000;
/// The trivia night: 20:00 the same day.
const START: i64 = NOW + 8 * 60 * MIN;

const ANN: u64 = 500_000_000_000_000_001;
const BEN: u64 = 500_000_000_000_000_002;
const CAT: u64 = 500_000_000_000_000_003;
const DAN: u64 = 500_000_000_000_000_004;

fn mini_pack_source() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/packs/game_mini.toml"
    ))
    .unwrap()
}

/// Two rounds with different settings: choice questions, once rule, speed scoring; then
/// typed cast questions, race rule, classic scoring.
fn two_rounds() -> Vec<RoundSpec> {
    vec![
        RoundSpec {
            forms: vec![Form::MultipleChoice, Form::TrueFalse],
            questions: 3,
            seconds: 20,
            rule: AnswerRule::Once,
            scoring: Scoring::Speed,
            ..RoundSpec::new("game-mini")
        },
        RoundSpec {
            categories: vec![Category::Cast],
            forms: vec![Form::Typed],
            questions: 2,
            seconds: 30,
            rule: AnswerRule::Race,
            scoring: Scoring::Classic,
            ..RoundSpec::new("game-mini")
        },
    ]
}

fn spec(starts_at: Option<i64>, teams: Option<Teams>) -> EventSpec {
    EventSpec {
        name: "Diner Trivia Night".into(),
        description: "Two rounds about the Starlight Diner.".into(),
        channel: CHANNEL,
        hosts: vec![HOST],
        starts_at,
        announce_lead_ms: 30 * MIN,
        announce_role: Some(ROLE),
        rounds: two_rounds(),
        teams,
    }
}

async fn create(store: &Store, spec: &EventSpec) -> Event {
    spec.validate(Some(NOW)).unwrap();
    store.create_event(GUILD, spec, MOD, NOW).await.unwrap()
}

async fn reload(store: &Store, event: &Event) -> Event {
    store.event(event.guild, event.id).await.unwrap().unwrap()
}

/// Moves the event by `transition` (checked by the pure rules, claimed in the store).
async fn advance(store: &Store, event: &Event, transition: Transition, at: i64) -> Event {
    let to = event.next_status(transition).unwrap();
    assert!(store.set_event_status(event, to, at).await.unwrap());
    let now = reload(store, event).await;
    assert_eq!(now.status, to);
    now
}

fn round_game(event: &Event, round: usize, at: i64) -> NewGame {
    NewGame {
        guild: event.guild,
        channel: event.spec.channel,
        started_by: HOST,
        pack: event.spec.rounds[round].pack.clone(),
        seed: events::round_seed(event.id, round),
        mode: "buttons".into(),
        started_at: at,
    }
}

// ---------------------------------------------------------------------------------------------

async fn events_are_stored_listed_and_edited(db: &TestDb) {
    let store = open(db).await;
    let teams = Teams {
        mode: TeamMode::Choose,
        names: vec!["Red".into(), "Blue".into(), "Gold".into()],
    };
    let scheduled = create(&store, &spec(Some(START), Some(teams.clone()))).await;
    let draft = create(&store, &spec(None, None)).await;
    assert_eq!(scheduled.status, EventStatus::Scheduled);
    assert_eq!(draft.status, EventStatus::Draft);

    // Everything the moderator wrote comes back as written.
    let read = reload(&store, &scheduled).await;
    assert_eq!(read, scheduled);
    assert_eq!(read.spec.rounds, two_rounds());
    assert_eq!(read.spec.teams, Some(teams));
    assert_eq!(read.spec.announce_role, Some(ROLE));
    assert_eq!(read.spec.hosts, [HOST]);
    // An id from another server (a forged option) finds nothing.
    assert_eq!(store.event(OTHER_GUILD, scheduled.id).await.unwrap(), None);

    let listed: Vec<i64> = store
        .list_events(GUILD, 10)
        .await
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(listed, [draft.id, scheduled.id], "newest first");
    assert!(store.list_events(OTHER_GUILD, 10).await.unwrap().is_empty());
    let waiting: Vec<i64> = store
        .waiting_events()
        .await
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(waiting, [scheduled.id], "drafts wait for /event start");

    // Edit: fewer teams, a later start. Team choices beyond the new count are cleared.
    store
        .register_player(&scheduled, ANN, Some(2), NOW)
        .await
        .unwrap();
    store
        .register_player(&scheduled, BEN, Some(1), NOW)
        .await
        .unwrap();
    let mut new_spec = scheduled.spec.clone();
    new_spec.starts_at = Some(START + 60 * MIN);
    new_spec.teams = Some(Teams::numbered(TeamMode::Choose, 2));
    new_spec.rounds.pop();
    let edited = scheduled.edited(new_spec, NOW + MIN).unwrap();
    assert!(
        store
            .update_event(&scheduled, &edited, NOW + MIN)
            .await
            .unwrap()
    );
    assert_eq!(reload(&store, &scheduled).await, edited);
    let teams: Vec<(u64, Option<usize>)> = store
        .registrations(scheduled.id)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.user, r.team))
        .collect();
    assert_eq!(teams, [(ANN, None), (BEN, Some(1))]);

    store
        .set_event_discord_id(GUILD, draft.id, Some(123))
        .await
        .unwrap();
    assert!(
        store
            .set_event_signup_message(GUILD, draft.id, Some(456))
            .await
            .unwrap()
    );
    assert!(
        !store
            .set_event_signup_message(OTHER_GUILD, draft.id, Some(1))
            .await
            .unwrap()
    );
    let draft = reload(&store, &draft).await;
    assert_eq!(draft.discord_scheduled_event_id, Some(123));
    assert_eq!(draft.signup_message, Some(456));
}

async fn status_changes_are_compare_and_set(db: &TestDb) {
    let store = open(db).await;
    let event = create(&store, &spec(None, None)).await;
    let running = event.next_status(Transition::Start).unwrap();
    assert!(store.set_event_status(&event, running, NOW).await.unwrap());
    // A second caller holding the old copy loses: it must read again and decide anew.
    assert!(!store.set_event_status(&event, running, NOW).await.unwrap());
    let cancel = Event {
        status: EventStatus::Draft,
        ..event.clone()
    };
    assert!(
        !store
            .set_event_status(&cancel, EventStatus::Cancelled, NOW)
            .await
            .unwrap()
    );
    // An edit based on a stale copy changes nothing either.
    let mut renamed = event.spec.clone();
    renamed.name = "Renamed".into();
    let stale_edit = event.edited(renamed, NOW).unwrap();
    assert!(!store.update_event(&event, &stale_edit, NOW).await.unwrap());

    let event = reload(&store, &event).await;
    assert_eq!(event.status, EventStatus::Running { round: 0 });
    assert_eq!(event.spec.name, "Diner Trivia Night");
    let live: Vec<i64> = store
        .live_events()
        .await
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(live, [event.id]);
    let event = advance(&store, &event, Transition::Pause, NOW + MIN).await;
    let event = advance(&store, &event, Transition::Resume, NOW + 2 * MIN).await;
    let event = advance(&store, &event, Transition::Stop, NOW + 3 * MIN).await;
    assert_eq!(event.status, EventStatus::Finished);
    assert!(store.live_events().await.unwrap().is_empty());
}

async fn a_restart_before_the_start_still_announces_and_starts_on_time(db: &TestDb) {
    let cfg = ScheduleConfig::default();
    let store = open(db).await;
    let event = create(&store, &spec(Some(START), None)).await;
    // The bot restarts long before the start: the schedule is in the database.
    store.close().await;

    let store = open(db).await;
    let other_process = open(db).await;
    let waiting = store.waiting_events().await.unwrap();
    assert_eq!(events::due_actions(&waiting, NOW, &cfg), []);
    let announce_at = START - 30 * MIN;
    assert_eq!(events::next_due(&waiting, NOW, &cfg), Some(announce_at));
    assert_eq!(
        events::due_actions(&waiting, announce_at, &cfg),
        [ScheduledAction::Announce(event.id)]
    );
    // Both processes see the announcement due; only the first to claim it posts it.
    let announced = waiting[0].next_status(Transition::Announce).unwrap();
    assert!(
        store
            .set_event_status(&waiting[0], announced, announce_at)
            .await
            .unwrap()
    );
    assert!(
        !other_process
            .set_event_status(&waiting[0], announced, announce_at)
            .await
            .unwrap()
    );
    store.close().await;

    // Another restart between the announcement and the start.
    let store = open(db).await;
    let waiting = store.waiting_events().await.unwrap();
    assert_eq!(waiting[0].status, EventStatus::Announced);
    assert_eq!(events::due_actions(&waiting, START - MIN, &cfg), []);
    assert_eq!(events::next_due(&waiting, START - MIN, &cfg), Some(START));
    assert_eq!(
        events::due_actions(&waiting, START, &cfg),
        [ScheduledAction::Start(event.id)]
    );
    let game = store
        .start_event_round(&waiting[0], 0, &round_game(&waiting[0], 0, START))
        .await
        .unwrap();
    assert!(game.is_some());
    assert_eq!(
        other_process
            .start_event_round(&waiting[0], 0, &round_game(&waiting[0], 0, START))
            .await
            .unwrap(),
        None,
        "the round starts once"
    );
    let started = reload(&store, &event).await;
    assert_eq!(started.status, EventStatus::Running { round: 0 });
    assert!(store.waiting_events().await.unwrap().is_empty());
    let games = store.event_games(event.id).await.unwrap();
    assert_eq!(games.len(), 1);
    assert_eq!((games[0].round, Some(games[0].game_id)), (0, game));
    assert_eq!(
        store.event_of_game(games[0].game_id).await.unwrap(),
        Some((event.id, 0))
    );
}

async fn a_start_found_late_starts_within_grace_and_is_missed_after(db: &TestDb) {
    let cfg = ScheduleConfig::default();
    let store = open(db).await;
    let early = create(&store, &spec(Some(START), None)).await;
    let late = create(&store, &spec(Some(START + 20 * MIN), None)).await;
    // The bot was down from before both announcements until 16 minutes after the first start.
    let back = START + 16 * MIN;
    let waiting = store.waiting_events().await.unwrap();
    assert_eq!(
        events::due_actions(&waiting, back, &cfg),
        [
            ScheduledAction::MarkMissed(early.id),
            ScheduledAction::Announce(late.id)
        ]
    );
    let missed = early.next_status(Transition::MarkMissed).unwrap();
    assert!(store.set_event_status(&early, missed, back).await.unwrap());
    assert_eq!(reload(&store, &early).await.status, EventStatus::Missed);

    // Down again over the second start: 5 minutes late is within the grace period.
    let waiting = store.waiting_events().await.unwrap();
    assert_eq!(
        events::due_actions(&waiting, START + 25 * MIN, &cfg),
        [ScheduledAction::StartLate {
            id: late.id,
            late_by_ms: 5 * MIN
        }]
    );
}

async fn sign_ups_teams_and_leaving(db: &TestDb) {
    let store = open(db).await;
    let teams = Teams {
        mode: TeamMode::Choose,
        names: vec!["Red".into(), "Blue".into()],
    };
    let event = create(&store, &spec(Some(START), Some(teams))).await;
    // Each press is checked by the rules, then stored.
    let join = |user: u64, team: Option<usize>| {
        let store = store.clone();
        let event = event.clone();
        async move {
            let existing = store.registration(event.id, user).await.unwrap();
            let plan = events::check_join(&event, existing.as_ref(), team)?;
            let team = match plan {
                JoinPlan::Join { team } => team,
                JoinPlan::ChangeTeam { team } => Some(team),
                JoinPlan::AlreadyRegistered => return Ok(plan),
            };
            assert!(
                store
                    .register_player(&event, user, team, NOW)
                    .await
                    .unwrap()
            );
            Ok::<_, events::EventError>(plan)
        }
    };
    assert_eq!(
        join(ANN, Some(0)).await,
        Ok(JoinPlan::Join { team: Some(0) })
    );
    assert_eq!(join(BEN, None).await, Ok(JoinPlan::Join { team: None }));
    assert_eq!(
        join(BEN, Some(1)).await,
        Ok(JoinPlan::ChangeTeam { team: 1 })
    );
    assert_eq!(join(BEN, Some(1)).await, Ok(JoinPlan::AlreadyRegistered));
    assert_eq!(
        join(CAT, Some(5)).await,
        Err(events::EventError::NoSuchTeam)
    );
    assert_eq!(
        join(CAT, Some(1)).await,
        Ok(JoinPlan::Join { team: Some(1) })
    );

    // Leaving keeps the row (and the team); coming back without a team keeps it too.
    assert!(store.leave_event(&event, CAT, NOW + MIN).await.unwrap());
    assert!(!store.leave_event(&event, CAT, NOW + MIN).await.unwrap());
    let cat = store.registration(event.id, CAT).await.unwrap().unwrap();
    assert_eq!((cat.team, cat.left_at), (Some(1), Some(NOW + MIN)));
    let regs = store.registrations(event.id).await.unwrap();
    assert_eq!(events::roster(&regs), [ANN, BEN]);
    assert_eq!(join(CAT, None).await, Ok(JoinPlan::Join { team: None }));
    let cat = store.registration(event.id, CAT).await.unwrap().unwrap();
    assert_eq!((cat.team, cat.left_at), (Some(1), None));

    // Before the first round everyone without a team is placed, and stored.
    assert!(store.register_player(&event, DAN, None, NOW).await.unwrap());
    let regs = store.registrations(event.id).await.unwrap();
    let placed = events::teams_for_round(&event, &regs, &HashMap::new(), 0);
    assert_eq!(placed, [(ANN, 0), (BEN, 1), (CAT, 1), (DAN, 0)]);
    store.set_teams(&event, &placed).await.unwrap();
    let stored: Vec<(u64, Option<usize>)> = store
        .registrations(event.id)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.user, r.team))
        .collect();
    assert_eq!(
        stored,
        [
            (ANN, Some(0)),
            (BEN, Some(1)),
            (CAT, Some(1)),
            (DAN, Some(0))
        ]
    );

    // Over: sign-ups close, in the rules and in the store.
    let running = advance(&store, &event, Transition::Start, START).await;
    let finished = advance(&store, &running, Transition::Stop, START + MIN).await;
    assert!(matches!(
        events::check_join(&finished, None, None),
        Err(events::EventError::RegistrationClosed { .. })
    ));
    assert!(
        !store
            .register_player(&event, 42, None, START + 2 * MIN)
            .await
            .unwrap(),
        "a stale copy of the event cannot sign anyone up after the end"
    );
    assert!(
        !store
            .leave_event(&event, ANN, START + 2 * MIN)
            .await
            .unwrap()
    );
}

async fn balanced_teams_from_past_points(db: &TestDb) {
    let store = open(db).await;
    // Past games: ANN 1000, BEN 800, CAT 300 all-time points; DAN never played.
    let game = store
        .start_game(&NewGame {
            guild: GUILD,
            channel: CHANNEL,
            started_by: MOD,
            pack: "game-mini".into(),
            seed: 1,
            mode: "buttons".into(),
            started_at: NOW - 60 * MIN,
        })
        .await
        .unwrap();
    let past = [(ANN, 1000), (BEN, 800), (CAT, 300)];
    record(
        &store,
        game,
        0,
        None,
        past.iter()
            .map(|&(user, points)| answer_record(user, "x", true, points))
            .collect(),
    )
    .await;

    let event = create(
        &store,
        &spec(Some(START), Some(Teams::numbered(TeamMode::Balanced, 2))),
    )
    .await;
    for user in [ANN, BEN, CAT, DAN] {
        assert!(
            store
                .register_player(&event, user, None, NOW)
                .await
                .unwrap()
        );
    }
    let regs = store.registrations(event.id).await.unwrap();
    let points = store
        .past_points(GUILD, &events::roster(&regs))
        .await
        .unwrap();
    assert_eq!(points, HashMap::from([(ANN, 1000), (BEN, 800), (CAT, 300)]));
    // 1000 → team 1; 800 → team 2; 300 → team 2 (800 < 1000); 0 → team 1 (1000 < 1100).
    let dealt = events::teams_for_round(&event, &regs, &points, 0);
    assert_eq!(dealt, [(ANN, 0), (BEN, 1), (CAT, 1), (DAN, 0)]);
    store.set_teams(&event, &dealt).await.unwrap();
    let regs = store.registrations(event.id).await.unwrap();
    assert_eq!(
        events::teams_for_round(&event, &regs, &points, 1),
        dealt,
        "later rounds keep the teams"
    );
}

fn answer_record(user: u64, text: &str, correct: bool, points: i64) -> store::AnswerRecord {
    store::AnswerRecord {
        user,
        answer_text: text.into(),
        answered_at: NOW,
        correct,
        points,
        near_miss: (!correct).then_some(0.8),
    }
}

async fn record(
    store: &Store,
    game_id: i64,
    index: u32,
    event_id: Option<i64>,
    answers: Vec<store::AnswerRecord>,
) {
    store
        .record_question(&QuestionResults {
            game_id,
            guild: GUILD,
            question_index: index,
            question_text: format!("Question {index}?"),
            correct_answer: "Noor Haddad".into(),
            asked_at: NOW - 10_000,
            answers,
            event_id,
            names: Vec::new(),
        })
        .await
        .unwrap();
}

async fn a_ruling_moves_points_and_its_undo_moves_them_back(db: &TestDb) {
    let store = open(db).await;
    let event = create(&store, &spec(None, None)).await;
    let game = store
        .start_event_round(&event, 0, &round_game(&event, 0, NOW))
        .await
        .unwrap()
        .unwrap();
    record(
        &store,
        game,
        0,
        Some(event.id),
        vec![
            answer_record(ANN, "Noor Haddad", true, 900),
            answer_record(BEN, "Nor Hadad", false, 0),
        ],
    )
    .await;
    let totals = |board: Board| {
        let store = store.clone();
        async move {
            store
                .leaderboard(GUILD, board, NOW, 0, 10)
                .await
                .unwrap()
                .iter()
                .map(|r| (r.user, r.points, r.right))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(totals(Board::AllTime).await, [(ANN, 900, 1), (BEN, 0, 0)]);

    let alias = events::Alias {
        pack: "game-mini".into(),
        question_id: "cast.actor:dot/typed".into(),
        alias: "nor hadad".into(),
    };
    let ruling = NewRuling {
        guild: GUILD,
        game_id: game,
        question_index: 0,
        user: BEN,
        points: 750,
        ruled_by: HOST,
        ruled_at: NOW + MIN,
        alias: Some(alias.clone()),
    };
    let RulingOutcome::Accepted(accepted) = store.accept_answer(&ruling).await.unwrap() else {
        panic!("the near miss should be accepted");
    };
    assert_eq!(accepted.event_id, Some(event.id));
    assert_eq!(accepted.answer_text, "Nor Hadad");
    // The points count as if the answer had been right: all-time and event boards.
    assert_eq!(totals(Board::AllTime).await, [(ANN, 900, 1), (BEN, 750, 1)]);
    assert_eq!(
        totals(Board::Event(event.id)).await,
        [(ANN, 900, 1), (BEN, 750, 1)]
    );
    assert_eq!(
        store.aliases(GUILD, "game-mini").await.unwrap(),
        std::slice::from_ref(&alias)
    );
    assert!(
        store
            .aliases(OTHER_GUILD, "game-mini")
            .await
            .unwrap()
            .is_empty()
    );

    // Refusals: twice, a right answer, no answer, another server's game.
    assert_eq!(
        store.accept_answer(&ruling).await.unwrap(),
        RulingOutcome::AlreadyRight
    );
    let ann = NewRuling {
        user: ANN,
        ..ruling.clone()
    };
    assert_eq!(
        store.accept_answer(&ann).await.unwrap(),
        RulingOutcome::AlreadyRight
    );
    let nobody = NewRuling {
        user: DAN,
        ..ruling.clone()
    };
    assert_eq!(
        store.accept_answer(&nobody).await.unwrap(),
        RulingOutcome::NoSuchAnswer
    );
    let forged = NewRuling {
        guild: OTHER_GUILD,
        ..ruling.clone()
    };
    assert!(matches!(
        store.accept_answer(&forged).await,
        Err(store::StoreError::UnknownGame { .. })
    ));

    // Undo: everything goes back, and the ruling stays on record.
    let undone = store
        .undo_ruling(GUILD, game, 0, BEN, MOD, NOW + 2 * MIN)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (undone.id, undone.undone_by, undone.undone_at),
        (accepted.id, Some(MOD), Some(NOW + 2 * MIN))
    );
    assert_eq!(totals(Board::AllTime).await, [(ANN, 900, 1), (BEN, 0, 0)]);
    assert_eq!(
        totals(Board::Event(event.id)).await,
        [(ANN, 900, 1), (BEN, 0, 0)]
    );
    assert!(store.aliases(GUILD, "game-mini").await.unwrap().is_empty());
    assert_eq!(
        store
            .undo_ruling(GUILD, game, 0, BEN, MOD, NOW + 3 * MIN)
            .await
            .unwrap(),
        None,
        "nothing left to undo"
    );
    // Accepted again: a second ruling, both kept.
    assert!(matches!(
        store.accept_answer(&ruling).await.unwrap(),
        RulingOutcome::Accepted(_)
    ));
    let rulings = store.rulings_of_game(GUILD, game).await.unwrap();
    let states: Vec<(u64, bool)> = rulings.iter().map(|r| (r.user, r.is_active())).collect();
    assert_eq!(states, [(BEN, false), (BEN, true)]);
    assert_eq!(totals(Board::AllTime).await, [(ANN, 900, 1), (BEN, 750, 1)]);
}

// ----- a whole night through the engine --------------------------------------------------------

/// One round's game, driven by the test's clock.
struct Table {
    game: Game,
    game_id: i64,
    event_id: i64,
    now: i64,
    timer: Option<(i64, Timer)>,
    /// The question being asked.
    asked: Option<(usize, Arc<Question>)>,
    /// Revealed questions not yet written to the store.
    revealed: Vec<(Arc<Question>, QuestionOutcome)>,
    ended: bool,
    rejected: Vec<RejectReason>,
    ruled: Vec<i64>,
}

impl Table {
    fn new(
        setup: events::RoundSetup,
        deck: Vec<Arc<Question>>,
        game_id: i64,
        event_id: i64,
        now: i64,
    ) -> Table {
        let mut table = Table {
            game: Game::new(setup.config, deck),
            game_id,
            event_id,
            now,
            timer: None,
            asked: None,
            revealed: Vec::new(),
            ended: false,
            rejected: Vec::new(),
            ruled: Vec::new(),
        };
        table.input(Input::Start);
        table
    }

    fn input(&mut self, input: Input) {
        for effect in self.game.handle(input, self.now) {
            match effect {
                Effect::Schedule { at, timer } => self.timer = Some((at, timer)),
                Effect::Asked {
                    index, question, ..
                } => self.asked = Some((index, question)),
                Effect::Revealed {
                    question, outcome, ..
                } => self.revealed.push((question, outcome)),
                Effect::Paused { .. } => self.timer = None,
                Effect::Ended { .. } => {
                    self.ended = true;
                    self.timer = None;
                }
                Effect::Rejected { reason, .. } => self.rejected.push(reason),
                Effect::Ruled { points, .. } => self.ruled.push(points),
                _ => {}
            }
        }
    }

    /// Lets time pass until the pending timer fires.
    fn wait(&mut self) {
        let (at, timer) = self.timer.take().expect("a timer is pending");
        self.now = self.now.max(at);
        self.input(Input::Timer(timer));
    }

    /// Lets time pass (through hints) until the open question is revealed.
    fn wait_for_reveal(&mut self) {
        while self.revealed.is_empty() && !self.ended {
            self.wait();
        }
    }

    fn answer(&mut self, player: &PlayerRef, answer: AnswerInput) {
        self.now += 2_000;
        let question = self.asked.as_ref().expect("a question is open").0;
        self.input(Input::Answer {
            player: player.clone(),
            question,
            answer,
        });
    }

    /// Writes the revealed questions to the store, as the shell does before showing them.
    async fn save(&mut self, store: &Store) {
        for (q, outcome) in std::mem::take(&mut self.revealed) {
            let answers = if outcome.scored() {
                outcome
                    .answers
                    .iter()
                    .map(|a| store::AnswerRecord {
                        user: a.player,
                        answer_text: a.text.clone(),
                        answered_at: a.answered_at,
                        correct: a.correct(),
                        points: a.points as i64,
                        near_miss: a.closeness(),
                    })
                    .collect()
            } else {
                Vec::new()
            };
            store
                .record_question(&QuestionResults {
                    game_id: self.game_id,
                    guild: GUILD,
                    question_index: outcome.index as u32,
                    question_text: q.prompt.clone(),
                    correct_answer: q.answer.clone(),
                    asked_at: outcome.asked_at,
                    answers,
                    event_id: Some(self.event_id),
                    names: Vec::new(),
                })
                .await
                .unwrap();
        }
    }
}

fn player(user: u64) -> PlayerRef {
    let name = match user {
        ANN => "Ann",
        BEN => "Ben",
        CAT => "=Cat", // typed by a player: must not become a spreadsheet formula
        _ => "Dan",
    };
    PlayerRef::new(user, name)
}

/// A typed answer to `q` that the matcher calls a near miss, if letters can be bent into one.
fn near_miss_of(q: &Question) -> Option<String> {
    let letters: Vec<usize> = q
        .answer
        .char_indices()
        .filter(|(_, c)| c.is_ascii_alphabetic())
        .map(|(i, _)| i)
        .collect();
    (1..=4).find_map(|edits| {
        let mut text: Vec<char> = q.answer.chars().collect();
        for k in 0..edits {
            let i = letters.get(1 + 2 * k)?;
            let c = &mut text[*i];
            *c = if *c == 'x' { 'q' } else { 'x' };
        }
        let text: String = text.into_iter().collect();
        matches!(answer::judge(q, &text), Verdict::NearMiss { .. }).then_some(text)
    })
}

async fn a_night_of_two_rounds_exported_and_parsed_back(db: &TestDb) {
    let store = open(db).await;
    let pack: FactPack = facts::load_str(&mini_pack_source(), "game_mini.toml").unwrap();
    let teams = Teams {
        mode: TeamMode::Choose,
        names: vec!["Red".into(), "Blue".into()],
    };
    let event = create(&store, &spec(Some(START), Some(teams))).await;
    for (user, team) in [(ANN, Some(0)), (BEN, Some(1)), (CAT, None)] {
        assert!(
            store
                .register_player(&event, user, team, NOW)
                .await
                .unwrap()
        );
        store
            .remember_name(GUILD, user, &player(user).name)
            .await
            .unwrap();
    }

    // Round 1: choice questions, once rule, speed scoring. ANN right, BEN wrong, CAT silent,
    // DAN (not signed up) refused. A pause in the middle.
    let regs = store.registrations(event.id).await.unwrap();
    let placed = events::teams_for_round(&event, &regs, &HashMap::new(), 0);
    store.set_teams(&event, &placed).await.unwrap();
    let roster = events::roster(&store.registrations(event.id).await.unwrap());
    let setup = events::round_setup(&event, 0, &roster, None).unwrap();
    let deck = quiz::deal(&pack, &setup.deck);
    assert_eq!(deck.len(), 3);
    assert!(deck.iter().all(|q| q.form != Form::Typed));
    let game_id = store
        .start_event_round(&event, 0, &round_game(&event, 0, START))
        .await
        .unwrap()
        .unwrap();
    let mut event = reload(&store, &event).await;
    let mut table = Table::new(setup, deck, game_id, event.id, START);
    for q in 0..3 {
        let (_, question) = table.asked.clone().unwrap();
        let right = question.correct.unwrap();
        let wrong = (right + 1) % question.choices.len();
        table.answer(&player(ANN), AnswerInput::Choice(right));
        table.answer(&player(DAN), AnswerInput::Choice(right));
        if q == 1 {
            event = advance(&store, &event, Transition::Pause, table.now).await;
            table.input(Input::Pause);
            table.now += 5 * MIN;
            event = advance(&store, &event, Transition::Resume, table.now).await;
            table.input(Input::Resume);
        }
        table.answer(&player(BEN), AnswerInput::Choice(wrong));
        table.wait_for_reveal(); // CAT never answers: the time runs out
        table.save(&store).await;
        if !table.ended {
            table.wait(); // the next question
        }
    }
    assert!(table.ended);
    assert!(table.rejected.contains(&RejectReason::NotRegistered));
    store.finish_game(game_id, table.now, &[ANN]).await.unwrap();
    event = advance(&store, &event, Transition::RoundEnded, table.now).await;
    assert_eq!(event.status, EventStatus::Intermission { next: 1 });

    // Round 2: typed cast questions, race rule, classic scoring. BEN's near miss is accepted,
    // undone, and accepted again; ANN takes the questions BEN cannot near-miss.
    let round_start = table.now + 2 * MIN;
    let setup = events::round_setup(&event, 1, &roster, None).unwrap();
    assert_eq!(setup.config.rule, AnswerRule::Race);
    let deck = quiz::deal(&pack, &setup.deck);
    assert_eq!(deck.len(), 2);
    assert!(deck.iter().all(|q| q.form == Form::Typed));
    let game_id = store
        .start_event_round(&event, 1, &round_game(&event, 1, round_start))
        .await
        .unwrap()
        .unwrap();
    event = reload(&store, &event).await;
    assert_eq!(event.status, EventStatus::Running { round: 1 });
    let mut table = Table::new(setup, deck, game_id, event.id, round_start);
    let mut ruled = None;
    for _ in 0..2 {
        let (index, question) = table.asked.clone().unwrap();
        match near_miss_of(&question).filter(|_| ruled.is_none()) {
            Some(text) => {
                table.answer(&player(BEN), AnswerInput::Text(text.clone()));
                table.wait_for_reveal(); // nobody gets it: time up
                ruled = Some((index, question, text));
            }
            None => table.answer(&player(ANN), AnswerInput::Text(question.answer.clone())),
        }
        table.save(&store).await;
        if !table.ended {
            table.wait();
        }
    }
    assert!(table.ended);
    let (index, question, text) = ruled.expect("a cast answer can be bent into a near miss");
    let accept = NewRuling {
        guild: GUILD,
        game_id,
        question_index: index as u32,
        user: BEN,
        points: 0, // set from the engine below
        ruled_by: HOST,
        ruled_at: table.now + MIN,
        alias: events::alias_for(&question, &text),
    };
    for step in ["accept", "undo", "accept"] {
        table.now += MIN;
        if step == "accept" {
            table.input(Input::AcceptAnswer {
                question: index,
                player: BEN,
            });
            let points = *table.ruled.last().unwrap();
            assert_eq!(points, 1, "classic scoring: one point");
            let ruling = NewRuling {
                points,
                ruled_at: table.now,
                ..accept.clone()
            };
            assert!(matches!(
                store.accept_answer(&ruling).await.unwrap(),
                RulingOutcome::Accepted(_)
            ));
        } else {
            table.input(Input::UndoRuling {
                question: index,
                player: BEN,
            });
            assert_eq!(*table.ruled.last().unwrap(), -1);
            assert!(
                store
                    .undo_ruling(GUILD, game_id, index as u32, BEN, HOST, table.now)
                    .await
                    .unwrap()
                    .is_some()
            );
        }
    }
    // The accepted spelling counts as right in the server's next games.
    let aliases = store.aliases(GUILD, "game-mini").await.unwrap();
    let mut again = vec![question.clone()];
    events::apply_aliases(&mut again, &aliases);
    assert_eq!(answer::judge(&again[0], &text), Verdict::Right);
    store.finish_game(game_id, table.now, &[]).await.unwrap();
    event = advance(&store, &event, Transition::RoundEnded, table.now).await;
    assert_eq!(event.status, EventStatus::Finished);

    // Results: the event board (its own SQL) and the standings (from the records) agree.
    let records = store.event_records(GUILD, event.id).await.unwrap().unwrap();
    assert_eq!(
        store.event_records(OTHER_GUILD, event.id).await.unwrap(),
        None
    );
    let board: BTreeMap<u64, (i64, i64, i64)> = store
        .leaderboard(GUILD, Board::Event(event.id), table.now, 0, 100)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.user, (r.points, r.right, r.answered)))
        .collect();
    let table_standings = events::standings(&records);
    for p in &table_standings.players {
        let expected = board.get(&p.user).copied().unwrap_or((0, 0, 0));
        assert_eq!(
            (p.points, p.right, p.answered),
            expected,
            "player {}",
            p.user
        );
    }
    assert_eq!(table_standings.players[0].user, ANN);
    assert_eq!(table_standings.teams.len(), 2);
    assert_eq!(records.questions.len(), 5);
    assert_eq!(records.rulings.len(), 2);

    check_csv(&records, &board);
    check_json(&records, &board);
    assert_eq!(
        events::export_filename(&records, ExportFormat::Csv),
        format!("event-{}-diner-trivia-night.csv", event.id)
    );
}

/// The CSV parsed back: one row per answer (and one for each unanswered question), matching
/// the event board's totals and the stored rulings.
fn check_csv(records: &events::EventRecords, board: &BTreeMap<u64, (i64, i64, i64)>) {
    let text = events::to_csv(records);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        [
            "round",
            "question",
            "question_text",
            "correct_answer",
            "player_id",
            "player_name",
            "team",
            "answer",
            "answered_at",
            "correct",
            "points",
            "ruling"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let answers: usize = records
        .questions
        .iter()
        .map(|q| q.answers.len().max(1))
        .sum();
    assert_eq!(rows.len(), answers);

    let mut totals: BTreeMap<u64, (i64, i64, i64)> = BTreeMap::new();
    let mut ruling_cells = Vec::new();
    for row in &rows {
        let round: usize = row[0].parse().unwrap();
        let number: u32 = row[1].parse().unwrap();
        let q = records
            .questions
            .iter()
            .find(|q| q.round + 1 == round && q.index + 1 == number)
            .expect("every row names a stored question");
        assert_eq!(row[2], q.text);
        assert_eq!(row[3], q.correct_answer);
        if row[4].is_empty() {
            assert!(q.answers.is_empty());
            continue;
        }
        let user: u64 = row[4].parse().unwrap();
        let stored = q.answers.iter().find(|a| a.user == user).unwrap();
        assert_eq!(row[7], stored.text);
        assert_eq!(row[8], events::iso_utc(stored.answered_at));
        assert_eq!(row[9].parse::<bool>().unwrap(), stored.correct);
        assert_eq!(row[10].parse::<i64>().unwrap(), stored.points);
        let expected_name = match user {
            CAT => "'=Cat",
            _ => records.names[&user].as_str(),
        };
        assert_eq!(row[5], *expected_name);
        let team = records
            .team_of(user)
            .map(|t| ["Red", "Blue"][t])
            .unwrap_or("");
        assert_eq!(row[6], *team);
        let t = totals.entry(user).or_default();
        t.0 += stored.points;
        t.1 += i64::from(stored.correct);
        t.2 += 1;
        if !row[11].is_empty() {
            ruling_cells.push(row[11].to_owned());
        }
    }
    assert_eq!(&totals, board);
    assert_eq!(ruling_cells.len(), 1, "one answer was ruled on");
    let cell = &ruling_cells[0];
    assert_eq!(cell.matches("accepted by").count(), 2, "{cell}");
    assert_eq!(cell.matches("undone by").count(), 1, "{cell}");
    assert!(cell.contains(&HOST.to_string()), "{cell}");
}

/// The JSON parsed back into [`ExportDoc`]: the same document, matching the event board.
fn check_json(records: &events::EventRecords, board: &BTreeMap<u64, (i64, i64, i64)>) {
    let text = events::to_json(records);
    let doc: ExportDoc = serde_json::from_str(&text).unwrap();
    assert_eq!(doc, ExportDoc::new(records));
    assert_eq!(doc.event.name, "Diner Trivia Night");
    assert_eq!(doc.rounds.len(), 2);
    let per_round: Vec<usize> = doc.rounds.iter().map(|r| r.questions.len()).collect();
    assert_eq!(per_round, [3, 2]);
    assert_eq!(doc.rounds[1].settings.scoring, Scoring::Classic);
    assert_eq!(doc.rulings.len(), 2);
    assert_eq!(doc.rulings[0].round, Some(2));
    assert!(doc.rulings[0].undone_at.is_some() && doc.rulings[1].undone_at.is_none());
    for p in &doc.standings.players {
        let user: u64 = p.player_id.parse().unwrap();
        let expected = board.get(&user).copied().unwrap_or((0, 0, 0));
        assert_eq!((p.points, p.right, p.answered), expected);
    }
    // Names are exact in JSON (no spreadsheet to protect).
    assert!(
        doc.standings
            .players
            .iter()
            .any(|p| p.player_name.as_deref() == Some("=Cat"))
    );
    // Snowflakes are strings: a JavaScript reader keeps every digit.
    let raw: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(raw["event"]["guild_id"], GUILD.to_string());
}

// ----- server packs --------------------------------------------------------------------------

async fn server_packs_are_per_server_and_replaced_only_when_valid(db: &TestDb) {
    let store = open(db).await;
    let source = mini_pack_source();
    let first = events::check_upload(source.as_bytes(), "mini.toml", &["picard"]).unwrap();
    assert_eq!(
        store
            .save_server_pack(GUILD, &first, MOD, NOW)
            .await
            .unwrap(),
        SavePack::Saved {
            version: 1,
            replaced: false
        }
    );
    let listed = store.server_packs(GUILD).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (
            listed[0].id.as_str(),
            listed[0].title.as_str(),
            listed[0].uploaded_by
        ),
        ("game-mini", "Starlight Diner", MOD)
    );
    assert!(store.server_packs(OTHER_GUILD).await.unwrap().is_empty());
    assert_eq!(
        store.server_pack(OTHER_GUILD, "game-mini").await.unwrap(),
        None
    );

    // A broken upload is answered with diagnostics and never reaches the store.
    let broken = source.replace(
        "[[episodes]]\nseason = 1\nnumber = 2",
        "[[episodes]]\nseason = 9\nnumber = 2",
    );
    let diagnostics =
        events::check_upload(broken.as_bytes(), "mini.toml", &["picard"]).unwrap_err();
    assert!(!diagnostics.is_empty());
    assert!(
        diagnostics
            .iter()
            .all(|d| d.file == "mini.toml" && d.line > 0)
    );
    let kept = store
        .server_pack(GUILD, "game-mini")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (kept.info.version, kept.source.as_str()),
        (1, source.as_str())
    );

    // A good new version replaces it, and is playable at once.
    let renamed = source.replace(
        "title = \"Starlight Diner\"\ndescription",
        "title = \"Starlight Diner (director's cut)\"\ndescription",
    );
    assert_ne!(renamed, source);
    let second = events::check_upload(renamed.as_bytes(), "mini.toml", &[]).unwrap();
    assert_eq!(
        store
            .save_server_pack(GUILD, &second, HOST, NOW + MIN)
            .await
            .unwrap(),
        SavePack::Saved {
            version: 2,
            replaced: true
        }
    );
    let stored = store
        .server_pack(GUILD, "game-mini")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.info.title, "Starlight Diner (director's cut)");
    assert_eq!(stored.info.uploaded_by, HOST);
    let playable = facts::load_str(&stored.source, "game-mini").unwrap();
    assert!(!quiz::deal(&playable, &quiz::DeckOptions::default()).is_empty());

    // A server keeps at most MAX_SERVER_PACKS; replacing one is still allowed when full.
    for i in 1..MAX_SERVER_PACKS {
        let other = source.replace("id = \"game-mini\"", &format!("id = \"pack-{i}\""));
        let valid = events::check_upload(other.as_bytes(), "p.toml", &[]).unwrap();
        assert!(matches!(
            store
                .save_server_pack(GUILD, &valid, MOD, NOW)
                .await
                .unwrap(),
            SavePack::Saved { version: 1, .. }
        ));
    }
    let one_more = source.replace("id = \"game-mini\"", "id = \"one-too-many\"");
    let valid = events::check_upload(one_more.as_bytes(), "p.toml", &[]).unwrap();
    assert_eq!(
        store
            .save_server_pack(GUILD, &valid, MOD, NOW)
            .await
            .unwrap(),
        SavePack::TooMany {
            limit: MAX_SERVER_PACKS
        }
    );
    assert!(matches!(
        store
            .save_server_pack(GUILD, &first, MOD, NOW)
            .await
            .unwrap(),
        SavePack::Saved { version: 3, .. }
    ));
    assert_eq!(
        store
            .server_pack(OTHER_GUILD, "one-too-many")
            .await
            .unwrap(),
        None
    );

    assert!(store.remove_server_pack(GUILD, "game-mini").await.unwrap());
    assert!(!store.remove_server_pack(GUILD, "game-mini").await.unwrap());
    assert!(
        !store
            .remove_server_pack(OTHER_GUILD, "pack-1")
            .await
            .unwrap()
    );
    assert_eq!(
        store.server_packs(GUILD).await.unwrap().len(),
        MAX_SERVER_PACKS - 1
    );
}
