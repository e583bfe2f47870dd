//! Start-up and shut-down: packs, database, pre-flight checks against Discord (or the API
//! base), command registration, the gateway, and the clean end of running games.

use std::future::Future;
use std::sync::Arc;

use poise::serenity_prelude::{
    self as serenity, ApplicationFlags, ClientBuilder, GatewayIntents, GuildId, HttpBuilder,
};
use tracing::{error, info, warn};

use super::config::{BotConfig, Shards};
use super::render::out::no_mentions;
use super::{Bot, Catalog, Data, Error, RaceSupport, commands, events, games};
use crate::store::{Store, redact_url};

/// Why the bot could not start (or stopped on a fatal gateway error). Each is one line for
/// the operator, never containing the token.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("{target} cannot be reached: {detail}")]
    Unreachable { target: String, detail: String },
    #[error(
        "Discord rejected the bot token (DISCORD_TOKEN): copy it again from the developer portal (Bot → Reset Token)"
    )]
    TokenRejected,
    #[error(
        "Discord refused the Message Content intent: enable it in the developer portal (Bot → Privileged Gateway Intents → Message Content Intent) or unset TYPED_ANSWERS"
    )]
    IntentNotEnabled,
    #[error("{0}")]
    Database(#[from] crate::store::StoreError),
    #[error("{what} failed: {detail}")]
    Discord { what: &'static str, detail: String },
    #[error("{0}")]
    Gateway(String),
    #[error("{0}")]
    Metrics(#[from] crate::metrics::MetricsError),
}

pub(super) async fn run(
    config: BotConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    // METRICS_ADDR first: a typo in it fails at once, before anything else starts.
    crate::metrics::start_from_env().await?;
    let catalog = load_packs(&config);
    let store = connect_store(config.database_url.clone()).await?;
    info!(database = %redact_url(&config.database_url), backend = ?store.backend(), "database ready");

    let http = build_http(&config);
    // Boxed as `dyn Send`: rustc cannot otherwise prove these borrowing futures Send for
    // every lifetime when `run` is spawned (a known higher-ranked lifetime limitation).
    let checked = boxed(preflight(&http, &config)).await?;
    let bot_commands = commands::all();
    boxed(register_commands(&http, &config, &bot_commands)).await?;

    let bot: Data = Arc::new(Bot {
        catalog,
        store: store.clone(),
        writer: crate::store::GameWriter::spawn(store.clone()),
        games: games::Games::new(),
        race: checked.race,
        settings: Default::default(),
        events: super::quiz_events::Runtime::new(config.clock.clone()),
        packs: Default::default(),
    });
    let running = Arc::downgrade(&bot);
    crate::metrics::global().count_games_with(move || running.upgrade().map(|b| b.games.count()));
    let mut intents = GatewayIntents::GUILDS;
    if checked.race == RaceSupport::Enabled {
        intents |= GatewayIntents::GUILD_MESSAGES | GatewayIntents::MESSAGE_CONTENT;
    }

    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: bot_commands,
            event_handler: |fw, event| Box::pin(events::handle(fw, event)),
            on_error: |err| Box::pin(commands::on_error(err)),
            allowed_mentions: Some(no_mentions()),
            initialize_owners: false,
            ..Default::default()
        })
        .setup({
            let bot = bot.clone();
            let shards = checked.shards;
            move |ctx, ready, _framework| {
                Box::pin(async move {
                    info!(user = %ready.user.name, "connected to the gateway");
                    // Events first: their rounds' games are observed before they resume.
                    boxed(super::quiz_events::start(&bot, ctx.http.clone(), shards)).await;
                    games::resume_saved(&bot, ctx.http.clone(), shards).await;
                    Ok::<Data, Error>(bot)
                })
            }
        })
        .build();

    let mut client = ClientBuilder::new_with_http(http, intents)
        .cache_settings(cache_settings())
        .framework(crate::metrics::Timed(framework))
        .await
        .map_err(|e| StartError::Discord {
            what: "starting the Discord client",
            detail: e.to_string(),
        })?;

    // Ctrl-C / SIGTERM: save the games (a note in each channel; revealed questions are already
    // committed) for the next start, then close the gateway.
    let stopper = {
        let bot = bot.clone();
        let shard_manager = client.shard_manager.clone();
        tokio::spawn(async move {
            shutdown.await;
            bot.events.stop();
            info!("shutting down: saving running games for the next start");
            boxed(bot.games.suspend_all()).await;
            boxed(shard_manager.shutdown_all()).await;
        })
    };

    info!(shards = ?checked.shards, "starting the gateway");
    let ShardPlan { first, last, total } = checked.shards;
    // serenity's range end is inclusive here (it runs `end - start + 1` shards).
    let result = boxed(client.start_shard_range(first..last, total)).await;
    stopper.abort();
    bot.events.stop();
    // A fatal gateway error (or a return without shutdown) still saves the games cleanly.
    boxed(bot.games.suspend_all()).await;
    boxed(store.close()).await;
    match result {
        Ok(()) => {
            info!("stopped");
            Ok(())
        }
        Err(e) => Err(gateway_error(e)),
    }
}

fn boxed<'a, T>(
    f: impl Future<Output = T> + Send + 'a,
) -> std::pin::Pin<Box<dyn Future<Output = T> + Send + 'a>> {
    Box::pin(f)
}

/// Opens the database. `Store::connect`'s future is not `Send` for every lifetime (sqlx's
/// migrator borrows the connection through a higher-ranked `Acquire`), so it runs to
/// completion on a blocking thread of the runtime instead of inside this spawnable future.
async fn connect_store(url: String) -> Result<Store, StartError> {
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || runtime.block_on(Store::connect(&url)))
        .await
        .map_err(|e| StartError::Gateway(format!("opening the database panicked: {e}")))?
        .map_err(StartError::Database)
}

fn load_packs(config: &BotConfig) -> Catalog {
    let catalog = Catalog::load(&config.questions_dir);
    for pack in &catalog.packs.packs {
        info!(pack = pack.id(), title = pack.title(), contents = %pack.stats(), "pack loaded");
    }
    for broken in &catalog.packs.broken {
        let diagnostics: Vec<String> = broken.diagnostics.iter().map(ToString::to_string).collect();
        error!(
            file = %broken.path.display(),
            "pack failed to load:\n{}",
            diagnostics.join("\n")
        );
    }
    if catalog.packs.packs.is_empty() {
        warn!(
            dir = %config.questions_dir.display(),
            "no fact packs loaded: games cannot start until QUESTIONS_DIR holds a valid pack \
             (check with `trivia-bot check`)"
        );
    }
    catalog
}

fn build_http(config: &BotConfig) -> serenity::Http {
    let mut builder =
        HttpBuilder::new(config.token.expose()).default_allowed_mentions(no_mentions());
    if let Some(base) = &config.api_base {
        // serenity's ratelimiter builds its requests without the proxy (they would go to
        // discord.com), so with an API base the proxy in front owns rate limiting.
        builder = builder.proxy(base.as_str()).ratelimiter_disabled(true);
    }
    builder.build()
}

/// serenity's cache keeps only what the bot reads: interactions carry the member, channel and
/// permissions they need, so guilds, channels and users are not cached (memory stays flat with
/// the number of servers). serenity's permission pre-checks skip what is not cached.
fn cache_settings() -> serenity::cache::Settings {
    let mut settings = serenity::cache::Settings::default();
    settings.max_messages = 0;
    settings.cache_guilds = false;
    settings.cache_channels = false;
    settings.cache_users = false;
    settings
}

/// Which shards this process runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardPlan {
    pub first: u32,
    pub last: u32,
    pub total: u32,
}

impl ShardPlan {
    /// Whether a guild's events come to this process (Discord's `(guild_id >> 22) % total`).
    pub fn owns_guild(&self, guild: u64) -> bool {
        let shard = ((guild >> 22) % u64::from(self.total.max(1))) as u32;
        (self.first..=self.last).contains(&shard)
    }
}

struct Checked {
    race: RaceSupport,
    shards: ShardPlan,
}

/// Checks what serenity would otherwise get wrong quietly: the token (401 → one clear line),
/// the API base answering (serenity falls back to the real gateway if `GET /gateway` fails),
/// the application id (for registering commands) and whether the message-content intent is
/// enabled.
async fn preflight(http: &serenity::Http, config: &BotConfig) -> Result<Checked, StartError> {
    let target = match &config.api_base {
        Some(base) => format!("the Discord API base {base} (DISCORD_API_BASE)"),
        None => "Discord (https://discord.com)".to_owned(),
    };
    let me = http
        .get_current_user()
        .await
        .map_err(|e| classify(e, "checking the token", &target))?;
    info!(bot = %me.name, id = %me.id, "token accepted");
    let app = http
        .get_current_application_info()
        .await
        .map_err(|e| classify(e, "reading the application", &target))?;
    http.set_application_id(app.id);

    let gateway = http
        .get_gateway()
        .await
        .map_err(|e| classify(e, "asking for the gateway URL", &target))?;
    if !(gateway.url.starts_with("ws://") || gateway.url.starts_with("wss://")) {
        return Err(StartError::Discord {
            what: "asking for the gateway URL",
            detail: format!(
                "{target} answered {:?}, not a ws:// or wss:// URL",
                gateway.url
            ),
        });
    }
    let shards = match config.shards {
        Shards::Range { first, last, total } => ShardPlan { first, last, total },
        Shards::Auto => {
            let bot_gateway = http
                .get_bot_gateway()
                .await
                .map_err(|e| classify(e, "asking for the shard count", &target))?;
            let total = bot_gateway.shards.max(1);
            ShardPlan {
                first: 0,
                last: total - 1,
                total,
            }
        }
    };

    let race = if !config.typed_answers {
        RaceSupport::NotRequested
    } else {
        let granted = ApplicationFlags::GATEWAY_MESSAGE_CONTENT
            | ApplicationFlags::GATEWAY_MESSAGE_CONTENT_LIMITED;
        match app.flags {
            Some(flags) if !flags.intersects(granted) => {
                warn!(
                    "TYPED_ANSWERS is set, but the Message Content intent is not enabled for this \
                     bot in the developer portal (Bot → Privileged Gateway Intents): typed races \
                     in the channel are off; typed questions still work through the Answer button"
                );
                RaceSupport::NotGranted
            }
            _ => {
                info!("TYPED_ANSWERS: requesting the Message Content intent for typed races");
                RaceSupport::Enabled
            }
        }
    };
    Ok(Checked { race, shards })
}

async fn register_commands(
    http: &serenity::Http,
    config: &BotConfig,
    commands: &[poise::Command<Data, Error>],
) -> Result<(), StartError> {
    let create = poise::builtins::create_application_commands(commands);
    let count = create.len();
    let registered = match config.dev_guild {
        Some(guild) => GuildId::new(guild)
            .set_commands(http, create)
            .await
            .map(|_| "in DEV_GUILD_ID"),
        None => serenity::Command::set_global_commands(http, create)
            .await
            .map(|_| "globally"),
    };
    match registered {
        Ok(scope) => {
            info!(count, "slash commands registered {scope}");
            Ok(())
        }
        Err(e) => Err(classify(e, "registering the slash commands", "Discord")),
    }
}

/// Turns a serenity error into one line: a rejected token, an unreachable base, or what
/// Discord said.
fn classify(e: serenity::Error, what: &'static str, target: &str) -> StartError {
    use serenity::{Error as SE, HttpError};
    match e {
        SE::Http(HttpError::UnsuccessfulRequest(resp)) if resp.status_code.as_u16() == 401 => {
            StartError::TokenRejected
        }
        SE::Http(HttpError::UnsuccessfulRequest(resp)) => StartError::Discord {
            what,
            detail: format!(
                "{target} answered {} to {} {}: {}",
                resp.status_code,
                resp.method,
                path_of(&resp.url),
                resp.error.message
            ),
        },
        SE::Http(HttpError::Request(err)) => StartError::Unreachable {
            target: target.to_owned(),
            detail: error_chain(&err),
        },
        other => StartError::Discord {
            what,
            detail: other.to_string(),
        },
    }
}

fn gateway_error(e: serenity::Error) -> StartError {
    use serenity::{Error as SE, GatewayError};
    match e {
        SE::Gateway(GatewayError::InvalidAuthentication) => StartError::TokenRejected,
        SE::Gateway(GatewayError::DisallowedGatewayIntents) => StartError::IntentNotEnabled,
        SE::Gateway(GatewayError::InvalidGatewayIntents) => StartError::Gateway(
            "Discord rejected the gateway intents the bot asked for (close code 4013)".to_owned(),
        ),
        other => StartError::Gateway(format!("the gateway connection failed: {other}")),
    }
}

/// The path of a URL, for messages (the base is already named in them).
fn path_of(url: &str) -> &str {
    url.find("/api/").map_or(url, |i| &url[i..])
}

/// An error and its causes on one line ("error sending request: connection refused").
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let s = cause.to_string();
        if !text.contains(&s) {
            text.push_str(": ");
            text.push_str(&s);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_ownership_follows_discords_formula() {
        let plan = ShardPlan {
            first: 1,
            last: 2,
            total: 4,
        };
        let guild = |shard: u64| (shard << 22) | 12345;
        assert!(!plan.owns_guild(guild(0)));
        assert!(plan.owns_guild(guild(1)));
        assert!(plan.owns_guild(guild(2)));
        assert!(!plan.owns_guild(guild(3)));
        assert!(plan.owns_guild(guild(5)));
        let all = ShardPlan {
            first: 0,
            last: 0,
            total: 1,
        };
        assert!(all.owns_guild(u64::MAX));
    }

    #[test]
    fn fatal_gateway_closes_become_clear_errors() {
        use poise::serenity_prelude::GatewayError;
        let e = gateway_error(serenity::Error::Gateway(
            GatewayError::DisallowedGatewayIntents,
        ));
        assert!(matches!(e, StartError::IntentNotEnabled));
        let e = gateway_error(serenity::Error::Gateway(
            GatewayError::InvalidAuthentication,
        ));
        assert!(matches!(e, StartError::TokenRejected));
        let e = gateway_error(serenity::Error::Gateway(
            GatewayError::InvalidGatewayIntents,
        ));
        assert!(e.to_string().contains("4013"));
    }

    #[test]
    fn errors_are_one_line_without_secrets() {
        let errors = [
            StartError::TokenRejected,
            StartError::IntentNotEnabled,
            StartError::Unreachable {
                target: "x".into(),
                detail: "refused".into(),
            },
        ];
        for e in errors {
            assert!(!e.to_string().contains('\n'), "{e}");
        }
        assert!(
            StartError::IntentNotEnabled
                .to_string()
                .contains("unset TYPED_ANSWERS")
        );
    }
}
