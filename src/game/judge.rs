//! Judging one answer: choice questions by index, typed questions by the answer matcher.

use super::effect::RejectReason;
use super::input::AnswerInput;
use crate::answer::{Matcher, Verdict};
use crate::quiz::{Form, Question};
use crate::text::fold;

/// The longest typed answer the engine keeps, in characters.
pub const MAX_ANSWER_CHARS: usize = 300;

/// An answer the engine can record.
#[derive(Debug, Clone, PartialEq)]
pub struct Judged {
    pub choice: Option<usize>,
    pub text: String,
    pub verdict: Verdict,
}

/// Judges `answer` to `question`, or says why it is not an answer to it. Typed questions are
/// judged with `matcher` (the question's own, cached by the caller) when given.
pub fn judge(
    question: &Question,
    answer: &AnswerInput,
    matcher: Option<&Matcher>,
) -> Result<Judged, RejectReason> {
    let typed = question.form == Form::Typed;
    match answer {
        AnswerInput::Choice(_) if typed => Err(RejectReason::NeedsTypedAnswer),
        AnswerInput::Choice(i) => judge_choice(question, *i),
        AnswerInput::Text(text) => {
            let text = text.trim();
            if text.is_empty() {
                return Err(RejectReason::EmptyAnswer);
            }
            if text.chars().count() > MAX_ANSWER_CHARS {
                return Err(RejectReason::AnswerTooLong);
            }
            if typed {
                Ok(Judged {
                    choice: None,
                    text: text.to_string(),
                    verdict: match matcher {
                        Some(m) => m.judge(text),
                        None => Matcher::for_question(question).judge(text),
                    },
                })
            } else {
                let i = parse_choice(question, text).ok_or(RejectReason::NotAChoice)?;
                judge_choice(question, i)
            }
        }
    }
}

fn judge_choice(question: &Question, i: usize) -> Result<Judged, RejectReason> {
    let text = question.choices.get(i).ok_or(RejectReason::NoSuchChoice)?;
    let verdict = if question.correct == Some(i) {
        Verdict::Right
    } else {
        Verdict::Wrong
    };
    Ok(Judged {
        choice: Some(i),
        text: text.clone(),
        verdict,
    })
}

/// The choice a typed text names: a letter ("b"), a number from 1 ("2"), the choice's own
/// text ("Data"), or for true/false questions also t/f, yes/no, y/n.
pub fn parse_choice(question: &Question, text: &str) -> Option<usize> {
    let folded = fold(text);
    let n = question.choices.len();
    let mut chars = folded.chars();
    if let (Some(c @ 'a'..='z'), None) = (chars.next(), chars.next()) {
        let i = (c as u8 - b'a') as usize;
        if i < n {
            return Some(i);
        }
    }
    if let Ok(k) = folded.parse::<usize>()
        && (1..=n).contains(&k)
    {
        return Some(k - 1);
    }
    if let Some(i) = question.choices.iter().position(|c| fold(c) == folded) {
        return Some(i);
    }
    if question.form == Form::TrueFalse {
        let word = match folded.as_str() {
            "t" | "y" | "yes" => "true",
            "f" | "n" | "no" => "false",
            _ => return None,
        };
        return question.choices.iter().position(|c| fold(c) == word);
    }
    None
}
