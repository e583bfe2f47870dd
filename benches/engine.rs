//! Engine steps per second: `cargo bench --bench engine`. Each benchmark counts the inputs it
//! feeds (`items/s` in divan's output is engine steps per second).

use divan::Bencher;
use divan::counter::ItemsCount;
use trivia_bot::game::{AnswerInput, AnswerRule, Game, GameConfig, Input, PlayerRef};
use trivia_bot::quiz::{Category, Difficulty, Form, Question};

fn main() {
    divan::main();
}

const T0: i64 = 1_700_000_000_000;
const QUESTIONS: usize = 10;

fn question(i: usize, form: Form) -> Question {
    let (choices, correct) = match form {
        Form::MultipleChoice => (vec!["Worf", "Data", "Riker", "Troi"], Some(1)),
        Form::TrueFalse => (vec!["True", "False"], Some(0)),
        Form::Typed => (vec![], None),
    };
    Question {
        id: format!("q{i}"),
        fact: format!("fact{i}"),
        pack: "bench".into(),
        form,
        category: Category::Cast,
        difficulty: Difficulty::Medium,
        prompt: "Who plays Data?".into(),
        choices: choices.into_iter().map(String::from).collect(),
        correct,
        answer: "Brent Spiner".into(),
        accepted: vec!["Brent Spiner".into(), "Spiner".into()],
        confusables: vec!["Brent Spinner Jr".into()].into(),
        source: "bench".into(),
        spoils: None,
    }
}

/// Every input of a whole game: players answer each question in turn, then the timer runs to
/// the next question.
fn play_game(rule: AnswerRule, form: Form, players: u64) -> usize {
    let config = GameConfig {
        rounds: QUESTIONS,
        rule,
        ..GameConfig::default()
    };
    let deck: Vec<Question> = (0..QUESTIONS).map(|i| question(i, form)).collect();
    let mut game = Game::new(config, deck);
    let mut steps = 0;
    let mut now = T0;
    for id in 1..=players {
        game.handle(Input::Join(PlayerRef::new(id, format!("p{id}"))), now);
        steps += 1;
    }
    game.handle(Input::Start, now);
    steps += 1;
    while !game.is_over() {
        let Some(index) = game.current_index() else {
            break;
        };
        for id in 1..=players {
            now += 50;
            let answer = match form {
                Form::Typed if id % 2 == 0 => AnswerInput::Text("Brent Spinner".into()),
                Form::Typed => AnswerInput::Text("brent spiner".into()),
                _ => AnswerInput::Choice((id % 4) as usize % 2),
            };
            let player = PlayerRef::new(id, format!("p{id}"));
            game.handle(
                Input::Answer {
                    player,
                    question: index,
                    answer,
                },
                now,
            );
            steps += 1;
        }
        if let Some((at, timer)) = game.next_deadline() {
            now = now.max(at);
            game.handle(Input::Timer(timer), now);
            steps += 1;
        }
    }
    steps
}

#[divan::bench(args = [1, 10, 100])]
fn once_rule_choice_game(bencher: Bencher, players: u64) {
    let steps = play_game(AnswerRule::Once, Form::MultipleChoice, players);
    bencher
        .counter(ItemsCount::new(steps))
        .bench_local(|| play_game(AnswerRule::Once, Form::MultipleChoice, players));
}

#[divan::bench(args = [1, 10, 100])]
fn race_rule_typed_game(bencher: Bencher, players: u64) {
    let steps = play_game(AnswerRule::Race, Form::Typed, players);
    bencher
        .counter(ItemsCount::new(steps))
        .bench_local(|| play_game(AnswerRule::Race, Form::Typed, players));
}

/// One answer to an open question with 100 players already answered.
#[divan::bench]
fn one_answer_step(bencher: Bencher) {
    let config = GameConfig {
        end_early: false,
        ..GameConfig::default()
    };
    let mut game = Game::new(config, vec![question(0, Form::MultipleChoice)]);
    game.handle(Input::Start, T0);
    for id in 1..=100 {
        let player = PlayerRef::new(id, format!("p{id}"));
        game.handle(
            Input::Answer {
                player,
                question: 0,
                answer: AnswerInput::Choice(1),
            },
            T0 + 10,
        );
    }
    let newcomer = PlayerRef::new(1000, "newcomer");
    bencher
        .counter(ItemsCount::new(1usize))
        .with_inputs(|| game.clone())
        .bench_local_refs(|game| {
            game.handle(
                Input::Answer {
                    player: newcomer.clone(),
                    question: 0,
                    answer: AnswerInput::Choice(1),
                },
                T0 + 20,
            )
        });
}
