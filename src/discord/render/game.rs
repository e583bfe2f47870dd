//! Game messages: a question with its buttons and live countdown, the reveal edit of the same
//! message, the final standings, and the private "locked in" answers to clicks.

use std::fmt::Write as _;

use poise::serenity_prelude::{
    ButtonStyle, CreateActionRow, CreateButton, CreateEmbed, CreateEmbedFooter,
};

use super::clip;
use super::info::{escape, relative_time};
use super::limits::*;
use crate::discord::custom_id::ComponentId;
use crate::game::{
    AnswerRule, CloseReason, Effect, EndReason, QuestionOutcome, RejectReason, Scoring, Standing,
};
use crate::quiz::{Form, Question};

const QUESTION_COLOUR: u32 = 0xf59e0b;
const RIGHT_COLOUR: u32 = 0x22c55e;
const OVER_COLOUR: u32 = 0x8b5cf6;
const PAUSED_COLOUR: u32 = 0x6b7280;

/// What every game message shows about its game.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GameInfo {
    pub game_id: i64,
    pub pack_title: String,
    pub rule: AnswerRule,
    pub scoring: Scoring,
    /// Typed answers in the channel are raced too.
    pub chat_answers: bool,
}

/// The state of an open question's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// Ends at this Unix millisecond time.
    EndsAt(i64),
    /// Paused with this much time left.
    Paused { remaining_ms: i64 },
}

/// Letter of choice `i`: A, B, C...
pub fn letter(i: usize) -> char {
    char::from(b'A' + (i % 26) as u8)
}

fn rule_text(info: &GameInfo) -> &'static str {
    match (info.rule, info.chat_answers) {
        (AnswerRule::Once, _) => "everyone answers once",
        (AnswerRule::Race, false) => "first right answer wins",
        (AnswerRule::Race, true) => "first right answer wins (type it in the channel)",
    }
}

fn form_text(form: Form) -> &'static str {
    match form {
        Form::MultipleChoice => "multiple choice",
        Form::TrueFalse => "true or false",
        Form::Typed => "typed answer",
    }
}

fn footer(info: &GameInfo) -> CreateEmbedFooter {
    CreateEmbedFooter::new(clip(
        &format!(
            "{} · {} · {} scoring · game {}",
            info.pack_title,
            rule_text(info),
            info.scoring.as_str(),
            info.game_id
        ),
        300,
    ))
}

fn header(index: usize, total: usize, q: &Question) -> String {
    format!(
        "Question {}/{} · {} · {} · {}",
        index + 1,
        total,
        q.category.as_str(),
        q.difficulty.as_str(),
        form_text(q.form)
    )
}

/// An open question: the embed with the prompt and countdown, and its buttons.
pub fn question(
    info: &GameInfo,
    index: usize,
    total: usize,
    q: &Question,
    clock: Clock,
    hint: Option<&str>,
) -> (CreateEmbed, Vec<CreateActionRow>) {
    let mut text = escape_prompt(&q.prompt);
    if q.form == Form::Typed {
        text.push_str("\n\nPress **Answer** to type your answer.");
        if info.chat_answers {
            text.push_str(" Or type it here in the channel.");
        }
    }
    if let Some(hint) = hint {
        let _ = write!(text, "\n\n💡 Hint: `{}`", hint.replace('`', "'"));
    }
    let (time, colour) = match clock {
        Clock::EndsAt(at) => (format!("Ends {}", relative_time(at)), QUESTION_COLOUR),
        Clock::Paused { remaining_ms } => (
            format!("⏸ Paused with {} s left", (remaining_ms + 999) / 1000),
            PAUSED_COLOUR,
        ),
    };
    let embed = CreateEmbed::new()
        .title(clip(&header(index, total, q), EMBED_TITLE))
        .description(clip(&text, EMBED_DESCRIPTION - 100))
        .field("Time", time, true)
        .colour(colour)
        .footer(footer(info));
    (embed, question_buttons(info.game_id, index, q))
}

/// The buttons of an open question: one a choice, or one "Answer" button for typed questions.
pub fn question_buttons(game: i64, index: usize, q: &Question) -> Vec<CreateActionRow> {
    let question = u32::try_from(index).unwrap_or(u32::MAX);
    if q.form == Form::Typed || q.choices.is_empty() {
        let open = CreateButton::new(ComponentId::OpenAnswer { game, question }.encode())
            .label("Answer")
            .emoji('✍')
            .style(ButtonStyle::Primary);
        return vec![CreateActionRow::Buttons(vec![open])];
    }
    let buttons = q
        .choices
        .iter()
        .enumerate()
        .take(BUTTONS_PER_ROW * ACTION_ROWS)
        .map(|(i, choice)| {
            let id = ComponentId::Choice {
                game,
                question,
                choice: i as u8,
            };
            CreateButton::new(id.encode())
                .label(choice_label(i, choice, None))
                .style(ButtonStyle::Primary)
        })
        .collect();
    rows(buttons)
}

fn rows(buttons: Vec<CreateButton>) -> Vec<CreateActionRow> {
    buttons
        .chunks(BUTTONS_PER_ROW)
        .map(|chunk| CreateActionRow::Buttons(chunk.to_vec()))
        .collect()
}

fn choice_label(i: usize, choice: &str, count: Option<u32>) -> String {
    let suffix = count.map(|n| format!(" ({n})")).unwrap_or_default();
    let room = BUTTON_LABEL - 4 - suffix.chars().count();
    format!("{}. {}{suffix}", letter(i), clip(choice, room))
}

/// Prompts are pack text: shown as written, but never as a heading or a quote block.
fn escape_prompt(prompt: &str) -> String {
    prompt.replace('\n', " ")
}

/// The reveal: the same message, edited. Buttons disabled with the right one marked and each
/// choice's count, who was right with their points, and the source fact.
pub fn reveal(
    info: &GameInfo,
    total: usize,
    q: &Question,
    outcome: &QuestionOutcome,
    next_at: Option<i64>,
) -> (CreateEmbed, Vec<CreateActionRow>) {
    let index = outcome.index;
    let mut text = escape_prompt(&q.prompt);
    let _ = write!(text, "\n\n✅ **{}**", escape(&q.answer));
    match outcome.close {
        Some(CloseReason::Skipped) => text.push_str("\n\n⏭ Skipped: this question scores nothing."),
        Some(CloseReason::Dropped) => {
            text.push_str("\n\n⏹ The game was stopped: this question scores nothing.")
        }
        _ => {}
    }
    let mut embed = CreateEmbed::new()
        .title(clip(&header(index, total, q), EMBED_TITLE))
        .description(clip(&text, 2000))
        .colour(RIGHT_COLOUR)
        .footer(footer(info));

    if outcome.scored() {
        let right: Vec<_> = outcome.answers.iter().filter(|a| a.correct()).collect();
        let mut who = String::new();
        for a in &right {
            let bonus = if a.streak_bonus > 0 {
                format!(" (streak +{})", a.streak_bonus)
            } else {
                String::new()
            };
            let first = if outcome.winner == Some(a.player) {
                " — first!"
            } else {
                ""
            };
            let _ = writeln!(
                who,
                "{} +{}{bonus}{first}",
                escape(&clip(&a.name, 40)),
                a.points
            );
        }
        if right.is_empty() {
            who = if outcome.answers.is_empty() {
                "Nobody answered.".to_owned()
            } else {
                "Nobody got it.".to_owned()
            };
        }
        let heading = format!("Right ({} of {})", right.len(), outcome.answers.len());
        embed = embed.field(heading, clip(&who, FIELD_VALUE), false);
        if q.form == Form::Typed {
            let close: Vec<String> = outcome
                .answers
                .iter()
                .filter(|a| a.closeness().is_some() && !a.correct())
                .map(|a| {
                    format!(
                        "{}: “{}”",
                        escape(&clip(&a.name, 40)),
                        escape(&clip(&a.text, 60))
                    )
                })
                .collect();
            if !close.is_empty() {
                embed = embed.field("So close", clip(&close.join("\n"), FIELD_VALUE), false);
            }
        }
    }
    if !q.source.trim().is_empty() {
        embed = embed.field("Source", clip(&q.source, FIELD_VALUE), false);
    }
    let when = match next_at {
        Some(at) => format!("Next question {}", relative_time(at)),
        None => "That was the last question.".to_owned(),
    };
    embed = embed.field("Next", when, false);
    (embed, reveal_buttons(info.game_id, q, outcome))
}

/// Disabled buttons: the right choice green, every label with how many picked it.
fn reveal_buttons(game: i64, q: &Question, outcome: &QuestionOutcome) -> Vec<CreateActionRow> {
    let question = u32::try_from(outcome.index).unwrap_or(u32::MAX);
    if q.form == Form::Typed || q.choices.is_empty() {
        let done = CreateButton::new(ComponentId::OpenAnswer { game, question }.encode())
            .label(format!("{} answered", outcome.answers.len()))
            .style(ButtonStyle::Secondary)
            .disabled(true);
        return vec![CreateActionRow::Buttons(vec![done])];
    }
    let buttons = q
        .choices
        .iter()
        .enumerate()
        .take(BUTTONS_PER_ROW * ACTION_ROWS)
        .map(|(i, choice)| {
            let right = q.correct == Some(i);
            let count = outcome.tally.get(i).copied().unwrap_or(0);
            let id = ComponentId::Choice {
                game,
                question,
                choice: i as u8,
            };
            let mut b = CreateButton::new(id.encode())
                .label(choice_label(i, choice, Some(count)))
                .style(if right {
                    ButtonStyle::Success
                } else {
                    ButtonStyle::Secondary
                })
                .disabled(true);
            if right {
                b = b.emoji('✅');
            }
            b
        })
        .collect();
    rows(buttons)
}

/// The final standings with a podium.
pub fn standings(
    info: &GameInfo,
    reason: EndReason,
    standings: &[Standing],
    note: Option<&str>,
) -> CreateEmbed {
    let why = match reason {
        EndReason::Finished => "Every question was asked.",
        EndReason::Stopped => "The game was stopped.",
        EndReason::Inactive => "Nobody answered for a while, so the game ended.",
        EndReason::TargetReached => "Someone reached the target score!",
        EndReason::NoQuestions => "There were no questions to ask.",
    };
    let mut text = String::new();
    if let Some(note) = note {
        let _ = writeln!(text, "{note}\n");
    }
    let _ = writeln!(text, "{why}\n");
    if standings.is_empty() {
        text.push_str("Nobody scored.");
    }
    for s in standings.iter().take(15) {
        let medal = match s.place {
            1 => "🥇",
            2 => "🥈",
            3 => "🥉",
            _ => "▫️",
        };
        let _ = writeln!(
            text,
            "{medal} **{}.** {} — **{}** pts ({}/{} right)",
            s.place,
            escape(&clip(&s.name, 64)),
            s.points,
            s.right,
            s.answered
        );
    }
    if standings.len() > 15 {
        let _ = writeln!(text, "…and {} more", standings.len() - 15);
    }
    CreateEmbed::new()
        .title("🏆 Final standings")
        .description(clip(&text, EMBED_DESCRIPTION))
        .colour(OVER_COLOUR)
        .footer(CreateEmbedFooter::new(clip(
            &format!(
                "{} · game {} · totals on /trivia leaderboard",
                info.pack_title, info.game_id
            ),
            300,
        )))
}

/// The private answer to a player's click or typed answer, from the effects of that input.
/// `chosen` is the choice the player clicked (its index and text), if it was a button.
pub fn ack(effects: &[Effect], player: u64, chosen: Option<(usize, &str)>) -> String {
    for effect in effects {
        match effect {
            Effect::Revealed { outcome, .. } if outcome.winner == Some(player) => {
                return "✅ Right — you got it first!".to_owned();
            }
            Effect::Locked { player: p, .. } if p.id == player => {
                return match chosen {
                    Some((i, text)) => format!(
                        "🔒 Locked in: **{}. {}**. Results at the reveal.",
                        letter(i),
                        escape(&clip(text, 200))
                    ),
                    None => "🔒 Locked in. Results at the reveal.".to_owned(),
                };
            }
            Effect::Missed {
                player: p,
                near_miss,
                retry,
                ..
            } if p.id == player => {
                let mut text = if *near_miss {
                    "🤏 Close, but not right."
                } else {
                    "❌ Not right."
                }
                .to_owned();
                if *retry {
                    text.push_str(" Try again!");
                }
                return text;
            }
            Effect::Rejected { reason, .. } => return reject_text(*reason).to_owned(),
            _ => {}
        }
    }
    "🔒 Got it.".to_owned()
}

/// What a rejected click or command is told.
pub fn reject_text(reason: RejectReason) -> &'static str {
    match reason {
        RejectReason::NotCurrentQuestion | RejectReason::QuestionOver | RejectReason::GameOver => {
            QUESTION_OVER
        }
        other => other.message(),
    }
}

/// The answer to a forged, stale or malformed custom_id, or a click on a finished game.
pub const QUESTION_OVER: &str = "This question is over.";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::Verdict;
    use crate::discord::render::limits::violations;
    use crate::discord::render::out;
    use crate::game::{AnswerRecord, PlayerRef};
    use crate::quiz::{Category, Difficulty};

    fn info() -> GameInfo {
        GameInfo {
            game_id: 77,
            pack_title: "Star Trek: Picard".into(),
            rule: AnswerRule::Once,
            scoring: Scoring::Speed,
            chat_answers: false,
        }
    }

    fn mc(choice_len: usize) -> Question {
        Question {
            id: "q".into(),
            fact: "f".into(),
            pack: "picard".into(),
            form: Form::MultipleChoice,
            category: Category::Cast,
            difficulty: Difficulty::Easy,
            prompt: "Who plays Elnor? @everyone".repeat(10),
            choices: (0..4)
                .map(|i| format!("{i}{}", "x".repeat(choice_len)))
                .collect(),
            correct: Some(2),
            answer: "2x".into(),
            accepted: vec!["2x".into()],
            confusables: Vec::new().into(),
            source: "cast: Evan Evagora as Elnor".into(),
            spoils: None,
        }
    }

    fn record(player: u64, choice: usize, right: bool) -> AnswerRecord {
        AnswerRecord {
            player,
            name: format!("player{player}**"),
            choice: Some(choice),
            text: "x".into(),
            answered_at: 0,
            elapsed_ms: 10,
            verdict: if right {
                Verdict::Right
            } else {
                Verdict::Wrong
            },
            points: if right { 950 } else { 0 },
            streak_bonus: 0,
            accepted: false,
            attempts: 1,
        }
    }

    fn body(embed: CreateEmbed, rows: Vec<CreateActionRow>) -> serde_json::Value {
        serde_json::to_value(out::message().embed(embed).components(rows)).unwrap()
    }

    #[test]
    fn question_message_fits_and_carries_ids() {
        let q = mc(200);
        let (e, rows) = question(&info(), 2, 10, &q, Clock::EndsAt(1_700_000_020_000), None);
        let b = body(e, rows);
        assert!(violations(&b).is_empty(), "{:?}", violations(&b));
        assert!(
            b["embeds"][0]["title"]
                .as_str()
                .unwrap()
                .starts_with("Question 3/10")
        );
        assert!(
            b["embeds"][0]["fields"][0]["value"]
                .as_str()
                .unwrap()
                .contains("<t:1700000020:R>")
        );
        let buttons = b["components"][0]["components"].as_array().unwrap();
        assert_eq!(buttons.len(), 4);
        assert_eq!(buttons[1]["custom_id"], "t:a:77:2:1");
        assert!(buttons[1]["label"].as_str().unwrap().starts_with("B. 1x"));
    }

    #[test]
    fn typed_question_has_one_answer_button() {
        let mut q = mc(5);
        q.form = Form::Typed;
        q.choices.clear();
        q.correct = None;
        let (e, rows) = question(
            &info(),
            0,
            1,
            &q,
            Clock::Paused { remaining_ms: 4001 },
            Some("J___"),
        );
        let b = body(e, rows);
        assert_eq!(b["components"][0]["components"][0]["custom_id"], "t:o:77:0");
        let d = b["embeds"][0]["description"].as_str().unwrap();
        assert!(d.contains("Hint") && d.contains("J___"));
        assert!(
            b["embeds"][0]["fields"][0]["value"]
                .as_str()
                .unwrap()
                .contains("5 s left")
        );
    }

    #[test]
    fn reveal_marks_the_right_choice_and_counts() {
        let q = mc(200);
        let mut outcome = QuestionOutcome::new(2, &q, 0);
        outcome.close = Some(CloseReason::TimeUp);
        outcome.answers = vec![record(1, 2, true), record(2, 0, false)];
        outcome.tally = vec![1, 0, 1, 0];
        let (e, rows) = reveal(&info(), 10, &q, &outcome, Some(1_700_000_030_000));
        let b = body(e, rows);
        assert!(violations(&b).is_empty(), "{:?}", violations(&b));
        let buttons = b["components"][0]["components"].as_array().unwrap();
        assert!(buttons.iter().all(|b| b["disabled"] == true));
        assert_eq!(buttons[2]["style"], 3, "the right choice is green");
        assert!(buttons[2]["label"].as_str().unwrap().ends_with("(1)"));
        let fields = b["embeds"][0]["fields"].as_array().unwrap();
        assert!(
            fields[0]["value"]
                .as_str()
                .unwrap()
                .contains("player1\\*\\* +950")
        );
        assert!(fields.iter().any(|f| f["name"] == "Source"));
    }

    #[test]
    fn standings_have_a_podium_and_fit() {
        let s: Vec<Standing> = (1..=30)
            .map(|i| Standing {
                place: i,
                player: i as u64,
                name: "n".repeat(300),
                points: 10,
                right: 1,
                answered: 1,
            })
            .collect();
        let b = body(
            standings(&info(), EndReason::Finished, &s, Some("note")),
            vec![],
        );
        assert!(violations(&b).is_empty(), "{:?}", violations(&b));
        let d = b["embeds"][0]["description"].as_str().unwrap();
        assert!(d.contains("🥇") && d.contains("🥈") && d.contains("🥉") && d.contains("15 more"));
    }

    #[test]
    fn acks() {
        let p = PlayerRef::new(5, "x");
        let locked = [Effect::Locked {
            player: p.clone(),
            question: 0,
        }];
        assert_eq!(
            ack(&locked, 5, Some((1, "Picard"))),
            "🔒 Locked in: **B. Picard**. Results at the reveal."
        );
        let missed = [Effect::Missed {
            player: p.clone(),
            question: 0,
            near_miss: true,
            retry: true,
        }];
        assert_eq!(ack(&missed, 5, None), "🤏 Close, but not right. Try again!");
        let over = [Effect::Rejected {
            player: Some(p),
            reason: RejectReason::QuestionOver,
        }];
        assert_eq!(ack(&over, 5, None), QUESTION_OVER);
    }
}
