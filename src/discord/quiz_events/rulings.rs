//! Rulings: a host accepts a near miss (or undoes that). While the round's game runs, the game
//! rules first (`Input::AcceptAnswer` → `Effect::Ruled` with the points, so its standings
//! agree); the store then records the ruling (who, when), moves the points and adds the
//! spelling as a server alias, all in one transaction. After the game is gone (the round ended,
//! or a restart), the points come from the round's scoring rule
//! ([`crate::events::ruling_points`]).

use std::sync::Arc;

use poise::serenity_prelude::{CreateActionRow, CreateEmbed};
use tracing::warn;

use super::render;
use crate::discord::commands::{caller_settings, spoiler_limit};
use crate::discord::games::GameHandle;
use crate::discord::{Bot, now_ms, packs};
use crate::events::{Event, EventId, alias_for, round_setup, ruling_points};
use crate::game::{Effect, Input};
use crate::quiz::Question;
use crate::store::{NewRuling, RulingOutcome};

/// A host's Accept or Undo press, as decoded (and still to be checked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    pub accept: bool,
    pub game: i64,
    pub question: u32,
    pub user: u64,
    pub by: u64,
}

/// The event and round `game` belongs to, checked against the event named by the button.
async fn event_round(
    bot: &Bot,
    guild: u64,
    event: EventId,
    game: i64,
) -> Result<(Event, usize), String> {
    let e = match bot.store.event(guild, event).await {
        Ok(Some(e)) => e,
        Ok(None) => return Err("This event no longer exists.".to_owned()),
        Err(err) => return Err(format!("The event cannot be read right now ({err}).")),
    };
    match bot.store.event_of_game(game).await {
        Ok(Some((id, round))) if id == event => Ok((e, round)),
        Ok(_) => Err("That question is not part of this event.".to_owned()),
        Err(err) => Err(format!("The event cannot be read right now ({err}).")),
    }
}

/// Accepts or undoes; `engine` is the round's running game, if it still runs, and `question`
/// the question as it was asked, if known.
pub async fn apply(
    bot: &Bot,
    guild: u64,
    event: EventId,
    r: Request,
    engine: Option<GameHandle>,
    question: Option<Arc<Question>>,
) -> Result<(), String> {
    let (e, round) = event_round(bot, guild, event, r.game).await?;
    let index = r.question as usize;
    if !r.accept {
        if let Some(h) = &engine {
            // Refused when the game never accepted it (e.g. accepted after a restart): fine.
            let _ = h
                .send(Input::UndoRuling {
                    question: index,
                    player: r.user,
                })
                .await;
        }
        return match bot
            .store
            .undo_ruling(guild, r.game, r.question, r.user, r.by, now_ms())
            .await
        {
            Ok(Some(_)) => Ok(()),
            Ok(None) => Err("That answer has no accepted ruling to undo.".to_owned()),
            Err(err) => Err(format!("The undo could not be saved ({err}); try again.")),
        };
    }

    // The points, and the text that becomes an alias.
    let mut by_engine = None;
    if let Some(h) = &engine
        && let Ok(effects) = h
            .send(Input::AcceptAnswer {
                question: index,
                player: r.user,
            })
            .await
    {
        for effect in effects {
            match effect {
                Effect::Ruled { points, record, .. } => by_engine = Some((points, record.text)),
                Effect::Rejected { reason, .. } => return Err(reason.message().to_owned()),
                _ => {}
            }
        }
    }
    let (points, text) = match by_engine.clone() {
        Some(found) => found,
        None => stored_answer(bot, &e, round, r).await?,
    };
    let question = match question {
        Some(q) => Some(q),
        None => question_at(bot, &e, round, r.game, r.question).await,
    };
    let ruling = NewRuling {
        guild,
        game_id: r.game,
        question_index: r.question,
        user: r.user,
        points,
        ruled_by: r.by,
        ruled_at: now_ms(),
        alias: question.and_then(|q| alias_for(&q, &text)),
    };
    let refused = match bot.store.accept_answer(&ruling).await {
        Ok(RulingOutcome::Accepted(_)) => return Ok(()),
        Ok(RulingOutcome::NoSuchAnswer) => "That player's answer is not saved.".to_owned(),
        Ok(RulingOutcome::AlreadyRight) => "That answer already counts as right.".to_owned(),
        Err(err) => format!("The ruling could not be saved ({err}); try again."),
    };
    // The store did not take it: the game must not keep it either.
    if by_engine.is_some()
        && let Some(h) = &engine
    {
        let _ = h
            .send(Input::UndoRuling {
                question: index,
                player: r.user,
            })
            .await;
    }
    Err(refused)
}

/// Points and text of a stored answer, for a ruling made after the game is gone.
async fn stored_answer(
    bot: &Bot,
    e: &Event,
    round: usize,
    r: Request,
) -> Result<(i64, String), String> {
    let records = match bot.store.event_records(e.guild, e.id).await {
        Ok(Some(records)) => records,
        Ok(None) => return Err("This event no longer exists.".to_owned()),
        Err(err) => return Err(format!("The answers cannot be read right now ({err}).")),
    };
    let q = records
        .questions
        .iter()
        .find(|q| q.game_id == r.game && q.index == r.question)
        .ok_or("That question was not saved.")?;
    let answer = q
        .answers
        .iter()
        .find(|a| a.user == r.user)
        .ok_or("That player didn't answer that question.")?;
    if answer.correct {
        return Err("That answer already counts as right.".to_owned());
    }
    let spec = e
        .spec
        .rounds
        .get(round)
        .ok_or("That round is no longer part of the event.")?;
    let elapsed = answer.answered_at.saturating_sub(q.asked_at).max(0);
    Ok((ruling_points(spec, elapsed), answer.text.clone()))
}

/// The question a round asked at `index`, dealt again from the round's seed (the same event
/// and round always deal the same deck); None unless it matches the stored question text.
async fn question_at(
    bot: &Bot,
    e: &Event,
    round: usize,
    game: i64,
    index: u32,
) -> Option<Arc<Question>> {
    let settings = caller_settings(bot, e.guild).await.ok()?;
    let setup = round_setup(e, round, &[], spoiler_limit(&settings)).ok()?;
    let pack = packs::resolve(bot, e.guild, Some(&e.spec.rounds.get(round)?.pack))
        .await
        .ok()??;
    let question = bot
        .catalog
        .deal(&pack, &setup.deck)
        .into_iter()
        .nth(index as usize)?;
    let records = bot.store.event_records(e.guild, e.id).await.ok()??;
    let asked = records
        .questions
        .iter()
        .find(|q| q.game_id == game && q.index == index)?;
    if asked.text == question.prompt {
        Some(question)
    } else {
        warn!(
            event = e.id,
            game, index, "the dealt question differs from the asked one; no alias"
        );
        None
    }
}

/// The rulings panel of one question, from the store; None when it had no near misses.
pub async fn panel(
    bot: &Bot,
    guild: u64,
    event: EventId,
    game: i64,
    round: usize,
    question: u32,
) -> Option<(CreateEmbed, Vec<CreateActionRow>)> {
    let records = match bot.store.event_records(guild, event).await {
        Ok(Some(r)) => r,
        Ok(None) => return None,
        Err(err) => {
            warn!(event, "cannot read the near misses: {err}");
            return None;
        }
    };
    let lines = render::ruling_lines(&records, game, question);
    if lines.is_empty() {
        return None;
    }
    let asked = records
        .questions
        .iter()
        .find(|q| q.game_id == game && q.index == question)?;
    Some(render::rulings_panel(
        event,
        game,
        round,
        question,
        &asked.text,
        &asked.correct_answer,
        &lines,
    ))
}

/// The round of `game` in `event`, for re-rendering a panel after a click.
pub async fn round_of(bot: &Bot, event: EventId, game: i64) -> Option<usize> {
    match bot.store.event_of_game(game).await {
        Ok(Some((id, round))) if id == event => Some(round),
        _ => None,
    }
}
