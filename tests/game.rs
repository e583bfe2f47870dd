//! Scenario tests of the game engine: inputs at chosen instants, no sleeping.

use std::sync::Arc;

use proptest::prelude::*;
use trivia_bot::answer::{self, Verdict};
use trivia_bot::game::{
    AnswerInput, AnswerRule, CloseReason, Effect, EndReason, Game, GameConfig, Input, Phase,
    PlayerRef, QuestionOutcome, RejectReason, Scoring, Standing, TimerKind,
};
use trivia_bot::quiz::{Category, Difficulty, Form, Question};

// ----- helpers -----

/// The game's start time: any Unix millisecond will do.
const T0: i64 = 1_700_000_000_000;
/// Seconds after T0, in milliseconds.
fn at(seconds: f64) -> i64 {
    T0 + (seconds * 1000.0) as i64
}

fn question(
    id: &str,
    form: Form,
    choices: &[&str],
    correct: Option<usize>,
    answer: &str,
) -> Question {
    Question {
        id: id.into(),
        fact: format!("fact:{id}"),
        pack: "test".into(),
        form,
        category: Category::Cast,
        difficulty: Difficulty::Easy,
        prompt: format!("Question {id}?"),
        choices: choices.iter().map(|c| c.to_string()).collect(),
        correct,
        answer: answer.into(),
        accepted: vec![answer.into()],
        confusables: Vec::new().into(),
        source: format!("source of {id}"),
        spoils: None,
    }
}

/// A multiple-choice question whose right answer is B ("Data").
fn mc(id: &str) -> Question {
    question(
        id,
        Form::MultipleChoice,
        &["Worf", "Data", "Riker", "Troi"],
        Some(1),
        "Data",
    )
}

/// A typed question whose answer is "Jean-Luc Picard".
fn typed(id: &str) -> Question {
    let mut q = question(id, Form::Typed, &[], None, "Jean-Luc Picard");
    q.accepted.push("Picard".into());
    q
}

fn tf(id: &str) -> Question {
    question(id, Form::TrueFalse, &["True", "False"], Some(0), "True")
}

fn alice() -> PlayerRef {
    PlayerRef::new(1, "alice")
}
fn bob() -> PlayerRef {
    PlayerRef::new(2, "bob")
}
fn carol() -> PlayerRef {
    PlayerRef::new(3, "carol")
}

fn config(rule: AnswerRule) -> GameConfig {
    GameConfig {
        rounds: 10,
        question_seconds: 20,
        reveal_seconds: 5,
        rule,
        ..GameConfig::default()
    }
}

/// A started game with `players` joined before the start.
fn started(config: GameConfig, deck: Vec<Question>, players: &[PlayerRef]) -> Game {
    let mut game = Game::new(config, deck);
    for p in players {
        game.handle(Input::Join(p.clone()), T0);
    }
    let fx = game.handle(Input::Start, T0);
    assert!(matches!(fx[0], Effect::Started { .. }), "{fx:?}");
    game
}

fn choose(player: &PlayerRef, question: usize, choice: usize) -> Input {
    Input::Answer {
        player: player.clone(),
        question,
        answer: AnswerInput::Choice(choice),
    }
}

fn say(player: &PlayerRef, question: usize, text: &str) -> Input {
    Input::Answer {
        player: player.clone(),
        question,
        answer: AnswerInput::Text(text.into()),
    }
}

fn rejections(fx: &[Effect]) -> Vec<RejectReason> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Rejected { reason, .. } => Some(*reason),
            _ => None,
        })
        .collect()
}

fn rejected(fx: &[Effect]) -> RejectReason {
    match rejections(fx).as_slice() {
        [one] => *one,
        other => panic!("expected exactly one rejection, got {other:?} in {fx:?}"),
    }
}

fn revealed(fx: &[Effect]) -> Option<&QuestionOutcome> {
    fx.iter().find_map(|e| match e {
        Effect::Revealed { outcome, .. } => Some(outcome),
        _ => None,
    })
}

fn ended(fx: &[Effect]) -> Option<(EndReason, &[Standing])> {
    fx.iter().find_map(|e| match e {
        Effect::Ended { reason, standings } => Some((*reason, standings.as_slice())),
        _ => None,
    })
}

fn asked(fx: &[Effect]) -> Option<(usize, i64)> {
    fx.iter().find_map(|e| match e {
        Effect::Asked { index, ends_at, .. } => Some((*index, *ends_at)),
        _ => None,
    })
}

fn points(game: &Game) -> Vec<(String, u64)> {
    game.standings()
        .into_iter()
        .map(|s| (s.name, s.points))
        .collect()
}

/// Fires the pending timer at its time and returns the effects.
fn fire(game: &mut Game) -> Vec<Effect> {
    let (when, timer) = game.next_deadline().expect("a timer is pending");
    game.handle(Input::Timer(timer), when)
}

// ----- the once rule -----

#[test]
fn once_rule_locks_answers_in_and_reveals_them_together() {
    let mut game = started(
        config(AnswerRule::Once),
        vec![mc("q0"), mc("q1")],
        &[alice(), bob()],
    );

    let fx = game.handle(choose(&alice(), 0, 1), at(5.0));
    assert!(
        matches!(&fx[..], [Effect::Locked { player, question: 0 }] if player.id == 1),
        "{fx:?}"
    );
    assert_eq!(
        points(&game),
        [("alice".into(), 0), ("bob".into(), 0)],
        "hidden until the reveal"
    );

    // Bob is the last known player to answer: the question ends early.
    let fx = game.handle(choose(&bob(), 0, 3), at(8.0));
    let outcome = revealed(&fx).expect("revealed once everyone answered");
    assert_eq!(outcome.close, Some(CloseReason::AllAnswered));
    assert_eq!(outcome.closed_at, Some(at(8.0)));
    assert_eq!(outcome.tally, [0, 1, 0, 1]);
    let a = outcome.answer_of(1).unwrap();
    assert_eq!(
        (a.text.as_str(), a.verdict, a.points, a.answered_at),
        ("Data", Verdict::Right, 875, at(5.0))
    );
    let b = outcome.answer_of(2).unwrap();
    assert_eq!(
        (b.text.as_str(), b.verdict, b.points),
        ("Troi", Verdict::Wrong, 0)
    );
    assert_eq!(points(&game), [("alice".into(), 875), ("bob".into(), 0)]);
    // The next question comes after the reveal pause.
    assert!(fx.iter().any(|e| matches!(e, Effect::Schedule { at: when, timer } if *when == at(13.0) && timer.kind == TimerKind::NextQuestion)), "{fx:?}");
    let fx = fire(&mut game);
    assert_eq!(asked(&fx), Some((1, at(33.0))));
}

#[test]
fn a_second_answer_from_the_same_player_is_rejected() {
    let mut game = started(config(AnswerRule::Once), vec![mc("q0")], &[alice(), bob()]);
    game.handle(choose(&alice(), 0, 0), at(1.0));
    let fx = game.handle(choose(&alice(), 0, 1), at(2.0));
    assert_eq!(rejected(&fx), RejectReason::AlreadyAnswered);
    let fx = game.handle(say(&alice(), 0, "B"), at(2.0));
    assert_eq!(rejected(&fx), RejectReason::AlreadyAnswered);
    // The first answer stands.
    let fx = game.handle(choose(&bob(), 0, 1), at(3.0));
    assert_eq!(revealed(&fx).unwrap().answer_of(1).unwrap().choice, Some(0));
}

#[test]
fn two_answers_at_the_same_instant_both_count_the_same() {
    let mut game = started(config(AnswerRule::Once), vec![mc("q0")], &[alice(), bob()]);
    game.handle(choose(&alice(), 0, 1), at(4.0));
    let fx = game.handle(choose(&bob(), 0, 1), at(4.0));
    let outcome = revealed(&fx).unwrap();
    assert_eq!(outcome.answer_of(1).unwrap().points, 900);
    assert_eq!(outcome.answer_of(2).unwrap().points, 900);
    let standings = game.standings();
    assert_eq!(
        (standings[0].place, standings[1].place),
        (1, 1),
        "a tie shares first place"
    );
}

#[test]
fn late_old_future_and_paused_answers_are_rejected() {
    let mut game = started(
        config(AnswerRule::Once),
        vec![mc("q0"), mc("q1")],
        &[alice(), bob()],
    );
    game.handle(choose(&alice(), 0, 1), at(1.0));

    // The time runs out at 20 s even if the timer is late: an answer at 20.5 s is too late.
    let fx = game.handle(choose(&bob(), 0, 1), at(20.5));
    let outcome = revealed(&fx).expect("the overdue question closes first");
    assert_eq!(
        (outcome.close, outcome.closed_at),
        (Some(CloseReason::TimeUp), Some(at(20.0)))
    );
    assert_eq!(rejected(&fx), RejectReason::QuestionOver);
    assert!(outcome.answer_of(2).is_none());

    // An answer to the next question before it is asked.
    assert_eq!(
        rejected(&game.handle(choose(&bob(), 1, 1), at(21.0))),
        RejectReason::NotCurrentQuestion
    );

    let fx = fire(&mut game);
    assert_eq!(asked(&fx), Some((1, at(45.0))));
    // An answer to an older question.
    assert_eq!(
        rejected(&game.handle(choose(&bob(), 0, 1), at(26.0))),
        RejectReason::NotCurrentQuestion
    );
    assert_eq!(
        rejected(&game.handle(choose(&bob(), 99, 1), at(26.0))),
        RejectReason::NotCurrentQuestion
    );

    game.handle(Input::Pause, at(27.0));
    assert_eq!(
        rejected(&game.handle(choose(&bob(), 1, 1), at(28.0))),
        RejectReason::Paused
    );
    game.handle(Input::Resume, at(29.0));
    assert!(rejections(&game.handle(choose(&bob(), 1, 1), at(30.0))).is_empty());
}

#[test]
fn an_answer_exactly_at_the_deadline_is_too_late() {
    let mut game = started(
        config(AnswerRule::Once),
        vec![mc("q0"), mc("q1")],
        &[alice(), bob()],
    );
    let fx = game.handle(choose(&alice(), 0, 1), at(20.0));
    assert_eq!(rejected(&fx), RejectReason::QuestionOver);
    let fx = started(config(AnswerRule::Once), vec![mc("q0")], &[alice(), bob()])
        .handle(choose(&alice(), 0, 1), at(19.999));
    assert!(rejections(&fx).is_empty(), "{fx:?}");
}

#[test]
fn bots_outsiders_and_answers_outside_the_game_are_rejected() {
    let mut roster_config = config(AnswerRule::Once);
    roster_config.roster = Some(vec![1, 2]);
    let mut game = Game::new(roster_config, vec![mc("q0")]);

    assert_eq!(
        rejected(&game.handle(choose(&alice(), 0, 1), T0)),
        RejectReason::NotStarted
    );
    let robot = PlayerRef {
        is_bot: true,
        ..PlayerRef::new(9, "robot")
    };
    assert_eq!(
        rejected(&game.handle(Input::Join(robot.clone()), T0)),
        RejectReason::BotAccount
    );
    assert_eq!(
        rejected(&game.handle(Input::Join(carol()), T0)),
        RejectReason::NotRegistered
    );
    game.handle(Input::Start, T0);
    assert_eq!(
        rejected(&game.handle(choose(&robot, 0, 1), at(1.0))),
        RejectReason::BotAccount
    );
    assert_eq!(
        rejected(&game.handle(choose(&carol(), 0, 1), at(1.0))),
        RejectReason::NotRegistered
    );
    assert_eq!(
        rejected(&game.handle(choose(&alice(), 0, 7), at(1.0))),
        RejectReason::NoSuchChoice
    );
    assert_eq!(
        rejected(&game.handle(say(&alice(), 0, "Wesley"), at(1.0))),
        RejectReason::NotAChoice
    );
    assert_eq!(
        rejected(&game.handle(say(&alice(), 0, "   "), at(1.0))),
        RejectReason::EmptyAnswer
    );
    assert!(game.players().is_empty(), "rejected answers join nobody");

    // With a roster "everyone" is the roster: the question ends when both have answered.
    game.handle(choose(&alice(), 0, 1), at(2.0));
    let fx = game.handle(choose(&bob(), 0, 1), at(3.0));
    assert_eq!(ended(&fx).map(|e| e.0), Some(EndReason::Finished));
    assert_eq!(
        rejected(&game.handle(choose(&alice(), 0, 1), at(4.0))),
        RejectReason::GameOver
    );
    assert_eq!(
        rejected(&game.handle(Input::Start, at(4.0))),
        RejectReason::GameOver
    );
}

#[test]
fn a_roster_listing_someone_twice_still_ends_when_everyone_answered() {
    let mut cfg = config(AnswerRule::Once);
    cfg.roster = Some(vec![2, 1, 2]);
    let mut game = started(cfg, vec![mc("q0"), mc("q1")], &[]);
    assert!(revealed(&game.handle(choose(&alice(), 0, 1), at(1.0))).is_none());
    let fx = game.handle(choose(&bob(), 0, 1), at(2.0));
    assert_eq!(revealed(&fx).unwrap().close, Some(CloseReason::AllAnswered));
}

#[test]
fn choice_answers_may_be_typed_as_letters_numbers_or_words() {
    let mut game = started(
        config(AnswerRule::Once),
        vec![mc("q0"), tf("q1")],
        &[alice()],
    );
    let fx = game.handle(say(&alice(), 0, " riker "), at(1.0));
    assert_eq!(revealed(&fx).unwrap().answer_of(1).unwrap().choice, Some(2));
    fire(&mut game);
    let fx = game.handle(say(&alice(), 1, "t"), at(10.0));
    let record = revealed(&fx).unwrap().answer_of(1).unwrap().clone();
    assert_eq!((record.choice, record.verdict), (Some(0), Verdict::Right));
}

#[test]
fn an_open_game_runs_its_first_question_full_time_then_waits_for_who_was_playing() {
    let mut game = started(
        config(AnswerRule::Once),
        vec![mc("q0"), mc("q1"), mc("q2")],
        &[],
    );
    let fx = game.handle(choose(&alice(), 0, 1), at(1.0));
    assert!(
        matches!(fx[0], Effect::Joined { .. }),
        "answering joins: {fx:?}"
    );
    assert!(revealed(&fx).is_none(), "nobody was known before alice");
    // Nobody was playing when question 1 was asked: however many answer, it runs its time
    // (a big server's players are not shut out by the first two).
    let fx = game.handle(choose(&bob(), 0, 1), at(2.0));
    assert!(revealed(&fx).is_none(), "{fx:?}");
    let fx = fire(&mut game);
    assert_eq!(revealed(&fx).unwrap().closed_at, Some(at(20.0)));

    // Question 2: alice and bob were playing when it was asked. Carol joins by answering,
    // and does not hold it open; it ends once both alice and bob have answered.
    fire(&mut game);
    game.handle(choose(&bob(), 1, 1), at(40.0));
    let fx = game.handle(choose(&carol(), 1, 1), at(41.0));
    assert!(revealed(&fx).is_none(), "alice has not answered: {fx:?}");
    let fx = game.handle(choose(&alice(), 1, 1), at(42.0));
    assert_eq!(revealed(&fx).unwrap().close, Some(CloseReason::AllAnswered));

    // Question 3: carol counts now too.
    fire(&mut game);
    game.handle(choose(&bob(), 2, 1), at(60.0));
    let fx = game.handle(choose(&alice(), 2, 1), at(61.0));
    assert!(revealed(&fx).is_none(), "carol has not answered: {fx:?}");
    let fx = game.handle(choose(&carol(), 2, 1), at(62.0));
    assert_eq!(revealed(&fx).unwrap().close, Some(CloseReason::AllAnswered));
}

#[test]
fn without_end_early_the_question_runs_its_full_time() {
    let mut cfg = config(AnswerRule::Once);
    cfg.end_early = false;
    let mut game = started(cfg, vec![mc("q0"), mc("q1")], &[alice()]);
    let fx = game.handle(choose(&alice(), 0, 1), at(1.0));
    assert!(revealed(&fx).is_none());
    let fx = fire(&mut game);
    assert_eq!(revealed(&fx).unwrap().closed_at, Some(at(20.0)));
}

// ----- timers -----

#[test]
fn early_and_stale_timers_change_nothing() {
    let mut game = started(
        config(AnswerRule::Once),
        vec![mc("q0"), mc("q1")],
        &[alice(), bob()],
    );
    let (when, timer) = game.next_deadline().unwrap();
    assert_eq!(
        (when, timer.kind, timer.question),
        (at(20.0), TimerKind::QuestionEnd, 0)
    );

    // Fired early (clocks differ): nothing happens, the same deadline is armed again.
    let fx = game.handle(Input::Timer(timer), at(19.0));
    assert!(
        matches!(&fx[..], [Effect::Schedule { at: w, timer: t }] if *w == at(20.0) && t.seq != timer.seq),
        "{fx:?}"
    );
    // The old timer is now stale: ignored, even when due.
    let (_, current) = game.next_deadline().unwrap();
    game.handle(Input::Pause, at(19.5));
    assert!(
        game.handle(Input::Timer(current), at(20.0)).is_empty(),
        "paused: nothing is due"
    );
    assert_eq!(game.next_deadline(), None, "no timer while paused");
    let fx = game.handle(Input::Resume, at(30.0));
    assert!(
        matches!(fx[..], [Effect::Resumed { ends_at: Some(e), .. }, Effect::Schedule { .. }] if e == at(30.5)),
        "{fx:?}"
    );
    assert!(
        game.handle(Input::Timer(timer), at(30.4)).is_empty(),
        "stale timer"
    );
    let fx = fire(&mut game);
    assert_eq!(revealed(&fx).unwrap().closed_at, Some(at(30.5)));
}

// ----- the race rule -----

#[test]
fn race_first_right_answer_takes_the_question() {
    let mut game = started(
        config(AnswerRule::Race),
        vec![typed("q0"), typed("q1")],
        &[alice(), bob(), carol()],
    );

    // A wrong raced answer may be retried.
    let fx = game.handle(say(&carol(), 0, "Riker"), at(2.0));
    assert!(
        matches!(
            &fx[..],
            [Effect::Missed {
                retry: true,
                near_miss: false,
                ..
            }]
        ),
        "{fx:?}"
    );
    // Two right answers in the same millisecond: the first one processed wins.
    let fx = game.handle(say(&bob(), 0, "picard"), at(4.0));
    let outcome = revealed(&fx).unwrap();
    assert_eq!(
        (outcome.winner, outcome.close),
        (Some(2), Some(CloseReason::Won))
    );
    assert_eq!(outcome.answer_of(2).unwrap().points, 900);
    let fx = game.handle(say(&alice(), 0, "Picard"), at(4.0));
    assert_eq!(rejected(&fx), RejectReason::QuestionOver);
    assert_eq!(
        points(&game),
        [
            ("bob".into(), 900),
            ("alice".into(), 0),
            ("carol".into(), 0)
        ]
    );
}

#[test]
fn race_keeps_the_best_try_and_counts_tries() {
    let mut game = started(
        config(AnswerRule::Race),
        vec![typed("q0"), typed("q1")],
        &[alice()],
    );
    game.handle(say(&alice(), 0, "Riker"), at(1.0));
    game.handle(say(&alice(), 0, "Data"), at(2.0));
    let fx = game.handle(say(&alice(), 0, "Jean-Luc Picard"), at(3.0));
    let record = revealed(&fx).unwrap().answer_of(1).unwrap().clone();
    assert_eq!(
        (record.text.as_str(), record.attempts, record.answered_at),
        ("Jean-Luc Picard", 3, at(3.0))
    );
    assert_eq!(record.points, 925);
}

#[test]
fn race_choice_questions_allow_one_try() {
    let mut game = started(
        config(AnswerRule::Race),
        vec![mc("q0"), mc("q1")],
        &[alice(), bob()],
    );
    let fx = game.handle(say(&alice(), 0, "A"), at(1.0));
    assert!(
        matches!(&fx[..], [Effect::Missed { retry: false, .. }]),
        "{fx:?}"
    );
    assert_eq!(
        rejected(&game.handle(say(&alice(), 0, "B"), at(2.0))),
        RejectReason::AlreadyAnswered
    );
    let fx = game.handle(say(&bob(), 0, "B"), at(3.0));
    assert_eq!(revealed(&fx).unwrap().winner, Some(2));
}

#[test]
fn race_hints_reveal_letters_at_a_third_and_two_thirds() {
    let mut cfg = config(AnswerRule::Race);
    cfg.question_seconds = 30;
    let mut game = started(cfg, vec![typed("q0"), typed("q1")], &[alice()]);
    let fx = fire(&mut game);
    assert!(
        matches!(&fx[0], Effect::Hint { level: 1, text, .. } if text == "J___-___ P_____"),
        "{fx:?}"
    );
    assert!(
        matches!(&fx[1], Effect::Schedule { at: w, .. } if *w == at(20.0)),
        "{fx:?}"
    );
    // A late timer still shows the hint at its own time, then the question ends on time.
    let (_, timer) = game.next_deadline().unwrap();
    let fx = game.handle(Input::Timer(timer), at(31.0));
    assert!(
        matches!(&fx[0], Effect::Hint { level: 2, text, .. } if text == "Je__-___ Pi____"),
        "{fx:?}"
    );
    assert_eq!(revealed(&fx).unwrap().closed_at, Some(at(30.0)));
    assert_eq!(revealed(&fx).unwrap().hints_shown, 2);
}

// ----- scoring -----

#[test]
fn speed_scoring_adds_a_streak_bonus_and_a_miss_ends_the_streak() {
    let deck: Vec<Question> = (0..5).map(|i| mc(&format!("q{i}"))).collect();
    let mut game = started(config(AnswerRule::Once), deck, &[alice()]);
    // Right at 0 s, right at 10 s, right at 20 s-1 ms, wrong, right.
    let plan = [
        (1, 0.0, 1000),
        (1, 10.0, 750 + 100),
        (1, 19.999, 501 + 200),
        (0, 0.0, 0),
        (1, 0.0, 1000),
    ];
    let mut total = 0;
    for (i, (choice, after, want)) in plan.into_iter().enumerate() {
        let open = game.outcomes().last().unwrap().asked_at;
        let fx = game.handle(choose(&alice(), i, choice), open + (after * 1000.0) as i64);
        assert_eq!(
            revealed(&fx).unwrap().answer_of(1).unwrap().points,
            want,
            "question {i}"
        );
        total += want;
        if i < 4 {
            fire(&mut game);
        }
    }
    assert_eq!(game.standings()[0].points, total);
    assert_eq!(game.players()[0].best_streak, 3);
}

#[test]
fn classic_scoring_gives_one_point_a_right_answer() {
    let mut cfg = config(AnswerRule::Once);
    cfg.scoring = Scoring::Classic;
    let mut game = started(cfg, vec![mc("q0"), mc("q1")], &[alice(), bob()]);
    game.handle(choose(&alice(), 0, 1), at(19.0));
    game.handle(choose(&bob(), 0, 1), at(1.0));
    fire(&mut game);
    game.handle(choose(&alice(), 1, 1), at(26.0));
    let fx = game.handle(choose(&bob(), 1, 0), at(27.0));
    let (reason, standings) = ended(&fx).unwrap();
    assert_eq!(reason, EndReason::Finished);
    let got: Vec<(usize, &str, u64)> = standings
        .iter()
        .map(|s| (s.place, s.name.as_str(), s.points))
        .collect();
    assert_eq!(got, [(1, "alice", 2), (2, "bob", 1)]);
}

#[test]
fn typed_answers_are_judged_by_the_answer_matcher() {
    let q = typed("q0");
    let inputs = [
        "jean luc picard",
        "Picard!",
        "Pickard",
        "Jean-Luc Pcard",
        "Riker",
    ];
    for text in inputs {
        let mut game = started(config(AnswerRule::Once), vec![q.clone()], &[alice()]);
        let fx = game.handle(say(&alice(), 0, text), at(1.0));
        let record = revealed(&fx).unwrap().answer_of(1).unwrap().clone();
        assert_eq!(record.verdict, answer::judge(&q, text), "{text}");
        assert_eq!(
            record.points > 0,
            record.verdict == Verdict::Right,
            "{text}"
        );
    }
}

// ----- controls -----

#[test]
fn pause_keeps_the_time_left_and_speed_points_exclude_the_pause() {
    let mut game = started(
        config(AnswerRule::Once),
        vec![mc("q0"), mc("q1")],
        &[alice(), bob()],
    );
    let fx = game.handle(Input::Pause, at(5.0));
    assert_eq!(
        fx,
        [Effect::Paused {
            question: 0,
            remaining_ms: 15_000
        }]
    );
    assert_eq!(
        rejected(&game.handle(Input::Pause, at(6.0))),
        RejectReason::Paused
    );
    let fx = game.handle(Input::Resume, at(65.0));
    assert!(
        matches!(fx[0], Effect::Resumed { ends_at: Some(e), .. } if e == at(80.0)),
        "{fx:?}"
    );
    assert_eq!(
        rejected(&game.handle(Input::Resume, at(66.0))),
        RejectReason::NotPaused
    );

    // 70 s on the wall clock is 10 s of question time: 750 points.
    game.handle(choose(&alice(), 0, 1), at(70.0));
    // Pause twice more; bob answers at 19 s of question time.
    game.handle(Input::Pause, at(71.0));
    game.handle(Input::Resume, at(100.0));
    let fx = game.handle(choose(&bob(), 0, 1), at(108.0));
    let outcome = revealed(&fx).unwrap();
    assert_eq!(outcome.answer_of(1).unwrap().elapsed_ms, 10_000);
    assert_eq!(outcome.answer_of(1).unwrap().points, 750);
    assert_eq!(outcome.answer_of(2).unwrap().elapsed_ms, 19_000);
    assert_eq!(outcome.answer_of(2).unwrap().points, 525);

    // Pausing between questions keeps the wait for the next one.
    let fx = game.handle(Input::Pause, at(110.0));
    assert_eq!(
        fx,
        [Effect::Paused {
            question: 0,
            remaining_ms: 3_000
        }]
    );
    let fx = game.handle(Input::Resume, at(200.0));
    assert!(
        matches!(fx[0], Effect::Resumed { next_at: Some(n), ends_at: None, .. } if n == at(203.0)),
        "{fx:?}"
    );
    assert_eq!(asked(&fire(&mut game)), Some((1, at(223.0))));
}

#[test]
fn skip_reveals_without_scoring_and_skips_the_wait() {
    let mut game = started(
        config(AnswerRule::Once),
        vec![mc("q0"), mc("q1"), mc("q2")],
        &[alice(), bob()],
    );
    game.handle(choose(&alice(), 0, 1), at(1.0));
    let fx = game.handle(Input::Skip, at(2.0));
    let outcome = revealed(&fx).unwrap();
    assert_eq!(outcome.close, Some(CloseReason::Skipped));
    assert_eq!(outcome.answer_of(1).unwrap().points, 0);
    assert_eq!(points(&game)[0].1, 0);
    // Between questions, skip asks the next one now.
    let fx = game.handle(Input::Skip, at(3.0));
    assert_eq!(asked(&fx), Some((1, at(23.0))));
    game.handle(Input::Pause, at(4.0));
    assert_eq!(
        rejected(&game.handle(Input::Skip, at(5.0))),
        RejectReason::Paused
    );
}

#[test]
fn stop_ends_the_game_with_the_standings_so_far() {
    let mut game = started(
        config(AnswerRule::Once),
        vec![mc("q0"), mc("q1")],
        &[alice(), bob()],
    );
    game.handle(choose(&alice(), 0, 1), at(1.0));
    game.handle(choose(&bob(), 0, 1), at(2.0));
    fire(&mut game);
    game.handle(choose(&alice(), 1, 1), at(10.0));
    let fx = game.handle(Input::Stop, at(11.0));
    assert!(revealed(&fx).is_none(), "the open question is dropped");
    let (reason, standings) = ended(&fx).unwrap();
    assert_eq!(reason, EndReason::Stopped);
    assert_eq!(
        standings.iter().map(|s| s.points).collect::<Vec<_>>(),
        [975, 950]
    );
    assert_eq!(game.outcomes()[1].close, Some(CloseReason::Dropped));
    assert_eq!(game.next_deadline(), None);
    assert_eq!(
        rejected(&game.handle(Input::Stop, at(30.0))),
        RejectReason::GameOver
    );
}

#[test]
fn the_game_stops_after_questions_nobody_answered() {
    let mut cfg = config(AnswerRule::Once);
    cfg.inactive_limit = Some(2);
    let deck: Vec<Question> = (0..5).map(|i| mc(&format!("q{i}"))).collect();
    let mut game = started(cfg, deck, &[alice()]);
    fire(&mut game); // q0 times out: 1 quiet
    fire(&mut game); // q1 asked
    game.handle(choose(&alice(), 1, 1), at(26.0)); // answered: the count restarts
    fire(&mut game); // q2 asked
    game.handle(Input::Skip, at(35.0)); // skipped questions do not count
    fire(&mut game); // q3 asked
    let fx = fire(&mut game); // q3 times out: 1 quiet
    assert!(ended(&fx).is_none());
    fire(&mut game); // q4 asked
    let fx = fire(&mut game); // q4 times out: 2 quiet
    assert_eq!(
        ended(&fx).map(|e| e.0),
        Some(EndReason::Finished),
        "the last question finishes first"
    );

    let mut cfg = config(AnswerRule::Once);
    cfg.inactive_limit = Some(2);
    let deck: Vec<Question> = (0..5).map(|i| mc(&format!("q{i}"))).collect();
    let mut game = started(cfg, deck, &[]);
    // Nobody answers and no timer is delivered for a minute: the game catches up on its own.
    let (_, timer) = game.next_deadline().unwrap();
    let fx = game.handle(Input::Timer(timer), at(60.0));
    assert_eq!(ended(&fx).map(|e| e.0), Some(EndReason::Inactive));
    assert_eq!(game.outcomes().len(), 2);
    assert_eq!(game.phase(), Phase::Over(EndReason::Inactive));
}

#[test]
fn the_game_ends_when_someone_reaches_the_target_score() {
    let mut cfg = config(AnswerRule::Once);
    cfg.scoring = Scoring::Classic;
    cfg.target_score = Some(2);
    let deck: Vec<Question> = (0..5).map(|i| mc(&format!("q{i}"))).collect();
    let mut game = started(cfg, deck, &[alice()]);
    let fx = game.handle(choose(&alice(), 0, 1), at(1.0));
    assert!(ended(&fx).is_none());
    fire(&mut game);
    let fx = game.handle(choose(&alice(), 1, 1), at(10.0));
    let (reason, standings) = ended(&fx).unwrap();
    assert_eq!((reason, standings[0].points), (EndReason::TargetReached, 2));
}

#[test]
fn standings_rank_ties_fairly() {
    let mut cfg = config(AnswerRule::Once);
    cfg.scoring = Scoring::Classic;
    let mut game = started(
        cfg,
        vec![mc("q0")],
        &[alice(), bob(), carol(), PlayerRef::new(4, "dan")],
    );
    game.handle(choose(&alice(), 0, 0), at(1.0));
    game.handle(choose(&bob(), 0, 1), at(1.0));
    game.handle(choose(&carol(), 0, 1), at(1.0));
    let fx = game.handle(choose(&PlayerRef::new(4, "dan"), 0, 2), at(1.0));
    let (_, standings) = ended(&fx).unwrap();
    let got: Vec<(usize, &str)> = standings
        .iter()
        .map(|s| (s.place, s.name.as_str()))
        .collect();
    assert_eq!(got, [(1, "bob"), (1, "carol"), (3, "alice"), (3, "dan")]);
}

#[test]
fn an_empty_deck_ends_at_the_start() {
    let mut game = Game::new(GameConfig::default(), Vec::<Question>::new());
    let fx = game.handle(Input::Start, T0);
    assert_eq!(ended(&fx).map(|e| e.0), Some(EndReason::NoQuestions));
}

// ----- rulings -----

#[test]
fn a_moderator_accepts_a_typed_answer_and_can_undo_it() {
    // A long reveal pause: the rulings below come while question 0 is on show.
    let mut cfg = config(AnswerRule::Once);
    cfg.reveal_seconds = 60;
    let mut game = started(cfg, vec![typed("q0"), typed("q1")], &[alice(), bob()]);
    let accept_bob = Input::AcceptAnswer {
        question: 0,
        player: 2,
    };
    game.handle(say(&alice(), 0, "Picard"), at(2.0));
    assert_eq!(
        rejected(&game.handle(accept_bob.clone(), at(3.0))),
        RejectReason::QuestionOpen
    );
    // A first name alone is a near miss by the matcher's rules; it is recorded with its
    // closeness and scores nothing until a ruling.
    let fx = game.handle(say(&bob(), 0, "Jean-Luc"), at(4.0));
    let record = revealed(&fx).unwrap().answer_of(2).unwrap().clone();
    assert!(
        matches!(record.verdict, Verdict::NearMiss { .. }),
        "{record:?}"
    );
    assert_eq!(record.verdict, answer::judge(&typed("q0"), "Jean-Luc"));
    assert!(record.closeness().is_some_and(|c| c > 0.0 && c < 1.0));
    assert_eq!((record.points, record.text.as_str()), (0, "Jean-Luc"));

    let fx = game.accept_near_miss(0, 2, at(10.0));
    let [
        Effect::Ruled {
            question: 0,
            record,
            points: 900,
            standings,
        },
    ] = &fx[..]
    else {
        panic!("{fx:?}");
    };
    assert!(record.accepted && record.correct());
    assert_eq!(
        (standings[0].place, standings[0].points, standings[1].points),
        (1, 950, 900)
    );
    assert_eq!(
        rejected(&game.accept_near_miss(0, 2, at(11.0))),
        RejectReason::AlreadyAccepted
    );
    assert_eq!(
        rejected(&game.accept_near_miss(0, 1, at(11.0))),
        RejectReason::NotRuleable
    );
    assert_eq!(
        rejected(&game.accept_near_miss(0, 3, at(11.0))),
        RejectReason::NoSuchAnswer
    );
    assert_eq!(
        rejected(&game.accept_near_miss(7, 2, at(11.0))),
        RejectReason::NoSuchQuestion
    );

    let fx = game.undo_ruling(0, 2, at(12.0));
    assert!(
        matches!(&fx[..], [Effect::Ruled { points: -900, .. }]),
        "{fx:?}"
    );
    assert_eq!(points(&game), [("alice".into(), 950), ("bob".into(), 0)]);
    assert_eq!(
        rejected(&game.undo_ruling(0, 2, at(13.0))),
        RejectReason::NotAccepted
    );

    // Rulings still work after the game is over.
    game.handle(Input::Stop, at(14.0));
    let fx = game.accept_near_miss(0, 2, at(15.0));
    assert!(
        matches!(&fx[..], [Effect::Ruled { points: 900, .. }]),
        "{fx:?}"
    );
}

// ----- save and restore -----

#[test]
fn a_restored_game_goes_on_with_the_time_it_had_left() {
    let deck = vec![mc("q0"), mc("q1")];
    let mut game = started(config(AnswerRule::Once), deck.clone(), &[alice(), bob()]);
    game.handle(choose(&alice(), 0, 1), at(5.0));
    // The state is saved without its deck (saved once, apart), and given it back on restore.
    let saved = serde_json::to_string(&game).unwrap();
    assert!(
        !saved.contains("\"choices\""),
        "no questions in the state: {saved}"
    );
    let state: Game = serde_json::from_str(&saved).unwrap();
    let wrong = vec![Arc::new(mc("other")), Arc::new(mc("q1"))];
    let err = state.clone().with_deck(wrong).unwrap_err();
    assert!(err.contains("question 1 (q0)"), "{err}");
    let err = state.clone().with_deck(Vec::new()).unwrap_err();
    assert!(err.contains("0 questions"), "{err}");

    // The bot was down for an hour and comes back on a clock an hour later.
    let mut restored = state.with_deck(game.deck().to_vec()).unwrap();
    let back = at(3600.0);
    let fx = restored.restore(at(8.0), back);
    assert!(
        matches!(&fx[..], [Effect::Restored { question: Some(0), ends_at: Some(e), paused: false, .. }, Effect::Schedule { at: s, .. }] if *e == back + 12_000 && *s == back + 12_000),
        "{fx:?}"
    );
    // Bob answers 2 s after the restart: 10 s of question time.
    let fx = restored.handle(choose(&bob(), 0, 1), back + 2_000);
    let outcome = revealed(&fx).unwrap();
    assert_eq!(outcome.answer_of(1).unwrap().points, 875);
    assert_eq!(outcome.answer_of(2).unwrap().points, 750);
    // The same game without the restart scores the same.
    let fx = game.handle(choose(&bob(), 0, 1), at(10.0));
    assert_eq!(revealed(&fx).unwrap().answer_of(2).unwrap().points, 750);
}

#[test]
fn a_game_saved_while_paused_stays_paused() {
    let mut game = started(
        config(AnswerRule::Once),
        vec![mc("q0"), mc("q1")],
        &[alice()],
    );
    game.handle(Input::Pause, at(15.0));
    let restored: Game = serde_json::from_str(&serde_json::to_string(&game).unwrap()).unwrap();
    let mut restored = restored.with_deck(game.deck().to_vec()).unwrap();
    let fx = restored.restore(at(20.0), at(500.0));
    assert!(
        matches!(&fx[..], [Effect::Restored { paused: true, .. }]),
        "{fx:?}"
    );
    assert_eq!(
        rejected(&restored.handle(choose(&alice(), 0, 1), at(501.0))),
        RejectReason::Paused
    );
    let fx = restored.handle(Input::Resume, at(600.0));
    assert!(
        matches!(fx[0], Effect::Resumed { ends_at: Some(e), .. } if e == at(605.0)),
        "{fx:?}"
    );
}

// ----- no input panics -----

fn any_input() -> impl Strategy<Value = Input> {
    // Players 1..=3 are people, 9 is a bot.
    let player = prop_oneof![1u64..4, Just(9)].prop_map(|id| PlayerRef {
        id,
        name: format!("p{id}"),
        is_bot: id == 9,
    });
    let answer = prop_oneof![
        (0usize..6).prop_map(AnswerInput::Choice),
        prop_oneof![
            Just("Picard".to_string()),
            Just("b".to_string()),
            Just("true".to_string()),
            Just("".to_string()),
            ".{0,12}",
        ]
        .prop_map(AnswerInput::Text),
    ];
    prop_oneof![
        Just(Input::Start),
        player.clone().prop_map(Input::Join),
        (player, 0usize..5, answer).prop_map(|(player, question, answer)| Input::Answer {
            player,
            question,
            answer
        }),
        (0usize..4, 0u64..40).prop_map(|(question, seq)| Input::Timer(trivia_bot::game::Timer {
            question,
            kind: TimerKind::QuestionEnd,
            seq
        })),
        Just(Input::Pause),
        Just(Input::Resume),
        Just(Input::Skip),
        Just(Input::Stop),
        (0usize..5, 1u64..5)
            .prop_map(|(question, player)| Input::AcceptAnswer { question, player }),
        (0usize..5, 1u64..5).prop_map(|(question, player)| Input::UndoRuling { question, player }),
    ]
}

/// Time steps: mostly small, sometimes huge or backwards, sometimes the pending deadline.
fn any_step() -> impl Strategy<Value = i64> {
    prop_oneof![
        0i64..3_000,
        0i64..60_000,
        Just(i64::MAX / 2),
        -100_000i64..0,
        Just(-1)
    ]
}

proptest! {
    #[test]
    fn random_inputs_never_panic_and_keep_the_invariants(
        rule in prop_oneof![Just(AnswerRule::Once), Just(AnswerRule::Race)],
        scoring in prop_oneof![Just(Scoring::Speed), Just(Scoring::Classic)],
        seconds in 0u32..30,
        roster in prop::option::of(prop::collection::vec(1u64..5, 0..5)),
        steps in prop::collection::vec((any_input(), any_step()), 1..60),
    ) {
        let cfg = GameConfig { rounds: 4, question_seconds: seconds, reveal_seconds: 2, rule, scoring, roster, ..GameConfig::default() };
        let deck = vec![mc("q0"), typed("q1"), tf("q2"), typed("q3")];
        let mut game = Game::new(cfg, deck);
        let mut now = T0;
        for (input, step) in steps {
            // -1 means: fire the pending timer at its time, as a shell would.
            let input = match (step, game.next_deadline()) {
                (-1, Some((when, timer))) => { now = when; Input::Timer(timer) }
                _ => { now = now.saturating_add(step); input }
            };
            let fx = game.handle(input, now);
            // A serde round trip at any point gives the same game.
            if step % 7 == 0 {
                let copy: Game = serde_json::from_str(&serde_json::to_string(&game).unwrap()).unwrap();
                prop_assert_eq!(serde_json::to_value(&copy).unwrap(), serde_json::to_value(&game).unwrap());
            }
            for e in &fx {
                if let Effect::Revealed { standings, .. } | Effect::Ended { standings, .. } = e {
                    prop_assert!(standings.windows(2).all(|w| w[0].points >= w[1].points));
                }
            }
            check_invariants(&game)?;
        }
    }
}

fn check_invariants(game: &Game) -> Result<(), TestCaseError> {
    let standings = game.standings();
    prop_assert!(
        standings
            .windows(2)
            .all(|w| w[0].points >= w[1].points && w[0].place <= w[1].place)
    );
    for (i, s) in standings.iter().enumerate() {
        let better = standings.iter().filter(|o| o.points > s.points).count();
        prop_assert_eq!(s.place, better + 1, "place of #{}", i);
    }
    for player in game.players() {
        let earned: u64 = game
            .outcomes()
            .iter()
            .filter_map(|o| o.answer_of(player.id))
            .map(|r| r.points)
            .sum();
        prop_assert_eq!(
            player.points,
            earned,
            "points of {} match their answers",
            player.id
        );
    }
    for outcome in game.outcomes() {
        let mut ids: Vec<u64> = outcome.answers.iter().map(|a| a.player).collect();
        ids.sort_unstable();
        ids.dedup();
        prop_assert_eq!(
            ids.len(),
            outcome.answers.len(),
            "one record per player per question"
        );
        if game.config().rule == AnswerRule::Once {
            prop_assert!(outcome.answers.iter().all(|a| a.attempts == 1));
        }
        prop_assert!(
            outcome.answers.iter().all(|a| a.player != 9),
            "bots never answer"
        );
        if let Some(roster) = &game.config().roster {
            prop_assert!(outcome.answers.iter().all(|a| roster.contains(&a.player)));
        }
        let tallied: u32 = outcome.tally.iter().sum();
        let chosen = outcome
            .answers
            .iter()
            .filter(|a| a.choice.is_some())
            .count() as u32;
        prop_assert_eq!(tallied, chosen);
    }
    Ok(())
}
