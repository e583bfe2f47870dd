//! The floor for the end-to-end benchmark: a bot built on serenity alone that acknowledges
//! every interaction and does nothing else. `cargo bench --bench e2e` runs it under the same
//! load as trivia-bot, so the report can give the bot's cost as a ratio to this floor.
//!
//! Settings (environment): `DISCORD_TOKEN`; `DISCORD_API_BASE` (a proxy or the fake Discord,
//! e.g. `http://127.0.0.1:3000`); optional `SHARD_COUNT` (all shards of that count in this
//! process; otherwise serenity's autosharding). Answers: a deferred update (callback type 6)
//! for buttons, selects and modals, "ok" (type 4) for commands, no choices for autocomplete.
//! Its cache keeps as little as trivia-bot's, so memory figures compare like with like.

use std::process::ExitCode;

use serenity::cache::Settings as CacheSettings;

use serenity::all::{
    ClientBuilder, Context, CreateAllowedMentions, CreateAutocompleteResponse,
    CreateInteractionResponse, CreateInteractionResponseMessage, EventHandler, GatewayIntents,
    HttpBuilder, Interaction, Ready,
};

struct Ack;

#[serenity::async_trait]
impl EventHandler for Ack {
    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let result = match &interaction {
            Interaction::Command(c) => {
                let message = CreateInteractionResponseMessage::new()
                    .content("ok")
                    .allowed_mentions(CreateAllowedMentions::new());
                c.create_response(&ctx.http, CreateInteractionResponse::Message(message))
                    .await
            }
            Interaction::Component(c) => {
                c.create_response(&ctx.http, CreateInteractionResponse::Acknowledge)
                    .await
            }
            Interaction::Modal(m) => {
                m.create_response(&ctx.http, CreateInteractionResponse::Acknowledge)
                    .await
            }
            Interaction::Autocomplete(a) => {
                let none = CreateAutocompleteResponse::new();
                a.create_response(&ctx.http, CreateInteractionResponse::Autocomplete(none))
                    .await
            }
            _ => Ok(()),
        };
        if let Err(e) = result {
            tracing::warn!("cannot answer an interaction: {e}");
        }
    }

    async fn ready(&self, _ctx: Context, ready: Ready) {
        tracing::info!(shard = ?ready.shard, "shard ready");
    }
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
                tracing_subscriber::EnvFilter::new("warn,serenity-baseline=info")
            }),
        )
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("serenity-baseline: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let token = std::env::var("DISCORD_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty())
        .ok_or("DISCORD_TOKEN is not set")?;
    let mut http = HttpBuilder::new(token.trim());
    if let Some(base) = std::env::var("DISCORD_API_BASE")
        .ok()
        .filter(|b| !b.trim().is_empty())
    {
        // serenity's ratelimiter ignores the proxy: turn it off so every call goes there.
        http = http
            .proxy(base.trim().trim_end_matches('/'))
            .ratelimiter_disabled(true);
    }
    let shard_count = match std::env::var("SHARD_COUNT") {
        Ok(v) if !v.trim().is_empty() => Some(
            v.trim()
                .parse::<u32>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("SHARD_COUNT is {v:?}, not a positive number"))?,
        ),
        _ => None,
    };
    let mut cache = CacheSettings::default();
    cache.cache_guilds = false;
    cache.cache_channels = false;
    cache.cache_users = false;
    let mut client = ClientBuilder::new_with_http(http.build(), GatewayIntents::GUILDS)
        .cache_settings(cache)
        .event_handler(Ack)
        .await
        .map_err(|e| format!("cannot start the client: {e}"))?;
    let shard_manager = client.shard_manager.clone();
    tokio::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        shard_manager.shutdown_all().await;
    });
    let started = match shard_count {
        Some(n) => client.start_shards(n).await,
        None => client.start_autosharded().await,
    };
    started.map_err(|e| format!("the gateway connection failed: {e}"))
}
