//! Timing every gateway event's handling: a wrapper around the bot's serenity framework
//! (poise), so commands, autocomplete, buttons and modals are all measured in one place.

use std::time::Instant;

use serenity::all::{Client, Context, FullEvent, Interaction};
use serenity::framework::Framework;

use super::{InteractionKind, global};

/// Wraps a serenity [`Framework`]: each interaction's handling time (from the event's arrival
/// to the end of its handler, which sends the callback) goes to [`global`], and READY marks
/// the bot healthy.
pub struct Timed<F>(pub F);

#[serenity::async_trait]
impl<F: Framework> Framework for Timed<F> {
    async fn init(&mut self, client: &Client) {
        self.0.init(client).await;
    }

    async fn dispatch(&self, ctx: Context, event: FullEvent) {
        let kind = match &event {
            FullEvent::InteractionCreate { interaction } => Some(kind_of(interaction)),
            FullEvent::Ready { .. } => {
                global().shard_ready();
                None
            }
            _ => None,
        };
        let started = Instant::now();
        self.0.dispatch(ctx, event).await;
        if let Some(kind) = kind {
            global().interaction_handled(kind, started.elapsed());
        }
    }
}

fn kind_of(interaction: &Interaction) -> InteractionKind {
    match interaction {
        Interaction::Command(_) => InteractionKind::command,
        Interaction::Autocomplete(_) => InteractionKind::autocomplete,
        Interaction::Component(_) => InteractionKind::component,
        Interaction::Modal(_) => InteractionKind::modal,
        // Ping and kinds added to Discord later.
        _ => InteractionKind::ping,
    }
}
