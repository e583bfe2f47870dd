//! Gateway events the commands do not cover: buttons and modals (routed by custom_id in this
//! one global handler, so a resumed game's buttons keep working after a restart), typed
//! answers in the channel, and shard start-up logs.
//!
//! Every custom_id is untrusted: a malformed, forged or stale one gets an ephemeral "this
//! question is over" and changes nothing; the game's task checks game, question and choice.

use poise::serenity_prelude::{
    self as serenity, ActionRowComponent, ComponentInteraction, CreateActionRow, CreateInputText,
    CreateInteractionResponse, CreateModal, FullEvent, InputTextStyle, Interaction, Member,
    ModalInteraction, User,
};
use tracing::{info, warn};

use super::commands::{self, caller_settings};
use super::custom_id::ComponentId;
use super::games::GameHandle;
use super::permissions::{Caller, NOT_A_MODERATOR};
use super::render::game::{QUESTION_OVER, ack};
use super::render::{clip, limits, out};
use super::{Bot, Data, Error, RaceSupport};
use crate::game::{AnswerInput, Input, MAX_ANSWER_CHARS, PlayerRef};
use crate::quiz::Form;

/// The modal's text field.
const ANSWER_FIELD: &str = "answer";

pub async fn handle(
    fw: poise::FrameworkContext<'_, Data, Error>,
    event: &FullEvent,
) -> Result<(), Error> {
    let ctx = fw.serenity_context;
    let bot: &Bot = fw.user_data;
    match event {
        FullEvent::Ready { data_about_bot } => {
            let shard = data_about_bot
                .shard
                .map(|s| format!("{}/{}", s.id.0, s.total));
            info!(
                shard = shard.as_deref().unwrap_or("0/1"),
                guilds = data_about_bot.guilds.len(),
                "shard ready"
            );
        }
        FullEvent::Resume { .. } => info!("gateway session resumed"),
        FullEvent::InteractionCreate {
            interaction: Interaction::Component(c),
        } if super::quiz_events::owns(&c.data.custom_id) => {
            super::quiz_events::component(ctx, fw.user_data, c).await;
        }
        FullEvent::InteractionCreate {
            interaction: Interaction::Component(c),
        } => {
            component(ctx, bot, c).await;
        }
        FullEvent::InteractionCreate {
            interaction: Interaction::Modal(m),
        } => {
            modal(ctx, bot, m).await;
        }
        FullEvent::Message { new_message } => chat(bot, new_message).await,
        _ => {}
    }
    Ok(())
}

/// The player behind an interaction or message, named as the server shows them.
pub fn player_of(user: &User, member: Option<&Member>) -> PlayerRef {
    let name = member.map_or_else(
        || user.display_name().to_owned(),
        |m| m.display_name().to_owned(),
    );
    PlayerRef {
        id: user.id.get(),
        name,
        is_bot: user.bot,
    }
}

async fn respond(
    ctx: &serenity::Context,
    c: &ComponentInteraction,
    response: CreateInteractionResponse,
) {
    if let Err(e) = c.create_response(&ctx.http, response).await {
        warn!(custom_id = %c.data.custom_id, "cannot answer a click: {e}");
    }
}

/// The running game of this channel if it is game `game`.
fn game_here(bot: &Bot, channel: u64, game: i64) -> Option<GameHandle> {
    bot.games.get(channel).filter(|h| h.game_id == game)
}

async fn component(ctx: &serenity::Context, bot: &Bot, c: &ComponentInteraction) {
    let Some(id) = ComponentId::decode(&c.data.custom_id) else {
        return respond(ctx, c, out::ephemeral(QUESTION_OVER)).await;
    };
    let channel = c.channel_id.get();
    match id {
        ComponentId::Choice {
            game,
            question,
            choice,
        } => {
            let Some(handle) = game_here(bot, channel, game) else {
                return respond(ctx, c, out::ephemeral(QUESTION_OVER)).await;
            };
            let player = player_of(&c.user, c.member.as_ref());
            let input = Input::Answer {
                player,
                question: question as usize,
                answer: AnswerInput::Choice(usize::from(choice)),
            };
            let text = match handle.send(input).await {
                Ok(fx) => {
                    let label = clicked_label(c);
                    ack(
                        &fx,
                        c.user.id.get(),
                        label.as_deref().map(|l| (usize::from(choice), l)),
                    )
                }
                Err(_) => QUESTION_OVER.to_owned(),
            };
            respond(ctx, c, out::ephemeral(text)).await;
        }
        ComponentId::OpenAnswer { game, question } => {
            let open = match game_here(bot, channel, game) {
                Some(handle) => handle.status().await.ok().and_then(|s| s.open),
                None => None,
            };
            match open {
                Some((index, q)) if index == question as usize && q.form == Form::Typed => {
                    let modal = CreateModal::new(
                        ComponentId::AnswerModal { game, question }.encode(),
                        clip(
                            &format!("Question {}: your answer", index + 1),
                            limits::MODAL_TITLE,
                        ),
                    )
                    .components(vec![CreateActionRow::InputText(
                        CreateInputText::new(InputTextStyle::Short, "Your answer", ANSWER_FIELD)
                            .placeholder(clip(&q.prompt, 100))
                            .min_length(1)
                            .max_length(u16::try_from(MAX_ANSWER_CHARS).unwrap_or(200).min(4000))
                            .required(true),
                    )]);
                    respond(ctx, c, CreateInteractionResponse::Modal(modal)).await;
                }
                _ => respond(ctx, c, out::ephemeral(QUESTION_OVER)).await,
            }
        }
        ComponentId::AnswerModal { .. } => respond(ctx, c, out::ephemeral(QUESTION_OVER)).await,
        ComponentId::Board { period, page } => {
            let Some(guild) = c.guild_id else {
                return respond(ctx, c, out::ephemeral("Leaderboards are per server.")).await;
            };
            let response = match commands::trivia::board_page(bot, guild.get(), period, page).await
            {
                Ok((embed, rows)) => CreateInteractionResponse::UpdateMessage(
                    out::response().embed(embed).components(rows),
                ),
                Err(e) => out::ephemeral(format!("Cannot read the leaderboard: {e}")),
            };
            respond(ctx, c, response).await;
        }
        ComponentId::ConfirmReset { user, by } => {
            let response = confirm_reset(bot, c, user, by).await;
            respond(ctx, c, response).await;
        }
        ComponentId::CancelReset { by } => {
            let response = if c.user.id.get() != by {
                out::ephemeral("Only the moderator who asked for the reset can cancel it.")
            } else {
                CreateInteractionResponse::UpdateMessage(
                    out::response()
                        .content("Reset cancelled: nothing changed.")
                        .components(vec![]),
                )
            };
            respond(ctx, c, response).await;
        }
    }
}

/// The text of the clicked button ("Picard" from "B. Picard"), for the "locked in" reply.
fn clicked_label(c: &ComponentInteraction) -> Option<String> {
    c.message
        .components
        .iter()
        .flat_map(|row| row.components.iter())
        .find_map(|item| match item {
            ActionRowComponent::Button(b) => match &b.data {
                serenity::ButtonKind::NonLink { custom_id, .. }
                    if *custom_id == c.data.custom_id =>
                {
                    b.label
                        .as_deref()
                        .map(|l| l.split_once(". ").map_or(l, |(_, t)| t).to_owned())
                }
                _ => None,
            },
            _ => None,
        })
}

async fn confirm_reset(
    bot: &Bot,
    c: &ComponentInteraction,
    user: Option<u64>,
    by: u64,
) -> CreateInteractionResponse {
    if c.user.id.get() != by {
        return out::ephemeral("Only the moderator who asked for the reset can confirm it.");
    }
    let (Some(guild), Some(member)) = (c.guild_id, c.member.as_ref()) else {
        return out::ephemeral("Resets are per server.");
    };
    let guild = guild.get();
    let settings = match caller_settings(bot, guild).await {
        Ok(s) => s,
        Err(e) => return out::ephemeral(format!("Cannot read the server's settings: {e}")),
    };
    if !Caller::from_member(member).is_moderator(settings.quiz_master_role) {
        return out::ephemeral(NOT_A_MODERATOR);
    }
    let now = super::now_ms();
    let result = match user {
        Some(u) => bot.store.reset_player(guild, u, by, now).await,
        None => bot.store.reset_guild(guild, by, now).await,
    };
    let text = match (result, user) {
        (Ok(_), Some(u)) => format!("Done: the scores of <@{u}> in this server were reset."),
        (Ok(_), None) => "Done: every score in this server was reset.".to_owned(),
        (Err(e), _) => format!("The reset failed and nothing changed: {e}"),
    };
    CreateInteractionResponse::UpdateMessage(out::response().content(text).components(vec![]))
}

async fn modal(ctx: &serenity::Context, bot: &Bot, m: &ModalInteraction) {
    let text = match ComponentId::decode(&m.data.custom_id) {
        Some(ComponentId::AnswerModal { game, question }) => {
            match game_here(bot, m.channel_id.get(), game) {
                Some(handle) => {
                    let answer = modal_value(m).unwrap_or_default();
                    let player = player_of(&m.user, m.member.as_ref());
                    let input = Input::Answer {
                        player,
                        question: question as usize,
                        answer: AnswerInput::Text(answer),
                    };
                    match handle.send(input).await {
                        Ok(fx) => ack(&fx, m.user.id.get(), None),
                        Err(_) => QUESTION_OVER.to_owned(),
                    }
                }
                None => QUESTION_OVER.to_owned(),
            }
        }
        _ => QUESTION_OVER.to_owned(),
    };
    if let Err(e) = m.create_response(&ctx.http, out::ephemeral(text)).await {
        warn!("cannot answer a modal: {e}");
    }
}

fn modal_value(m: &ModalInteraction) -> Option<String> {
    m.data
        .components
        .iter()
        .flat_map(|row| row.components.iter())
        .find_map(|c| match c {
            ActionRowComponent::InputText(t) if t.custom_id == ANSWER_FIELD => t.value.clone(),
            _ => None,
        })
}

/// A message in a channel whose game races typed answers there.
async fn chat(bot: &Bot, msg: &serenity::Message) {
    if bot.race != RaceSupport::Enabled || msg.author.bot || msg.guild_id.is_none() {
        return;
    }
    let Some(handle) = bot.games.get(msg.channel_id.get()) else {
        return;
    };
    let text = msg.content.trim();
    if !handle.chat_answers || text.is_empty() || text.chars().count() > MAX_ANSWER_CHARS {
        return;
    }
    let mut player = player_of(&msg.author, None);
    if let Some(nick) = msg.member.as_ref().and_then(|m| m.nick.clone()) {
        player.name = nick;
    }
    handle.chat(player, text.to_owned(), msg.id.get()).await;
}
