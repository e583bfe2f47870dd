//! Proves the fake Discord against real serenity 0.12.5 and poise 0.7.1 (not the trivia bot):
//! a small bot connects through the fake's gateway, registers commands, answers slash
//! commands, autocomplete, buttons and a modal, sends and edits messages, survives a dropped
//! connection, and every event the fake dispatched reached a handler (serenity drops events
//! it cannot parse with only a log line). Misbehaviour is caught as violations.

mod fake_discord;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fake_discord::{FakeConfig, FakeDiscord, FakeGuild, FakeUser, guild_id_for_shard, perms};
use poise::serenity_prelude as serenity;
use serde_json::{Value, json};
use serenity::{
    ChannelId, ClientBuilder, Context, CreateActionRow, CreateAllowedMentions, CreateAttachment,
    CreateButton, CreateEmbed, CreateInteractionResponse, CreateInteractionResponseFollowup,
    CreateInteractionResponseMessage, CreateMessage, EditInteractionResponse, EditMessage,
    EventHandler, GatewayIntents, GuildId, Interaction, Message, Ready,
};

const WAIT: Duration = Duration::from_secs(10);
const GUILD: u64 = 800_000_000_000_000_001;
const CHANNEL: u64 = 800_000_000_000_000_101;
const MOD_ROLE: u64 = 800_000_000_000_000_201;

fn alice() -> FakeUser {
    FakeUser::new(700_000_000_000_000_001, "alice")
}

fn bob() -> FakeUser {
    FakeUser::new(700_000_000_000_000_002, "bob")
}

fn one_guild_config() -> FakeConfig {
    let guild = FakeGuild::new(GUILD, "Ten Forward")
        .channel(CHANNEL, "trivia")
        .role(MOD_ROLE, "Moderator", perms::MANAGE_GUILD)
        .member(&alice(), &[MOD_ROLE])
        .member(&bob(), &[]);
    FakeConfig {
        guilds: vec![guild],
        // Short, so heartbeats happen within the test.
        heartbeat_interval: Duration::from_millis(500),
        ..FakeConfig::default()
    }
}

fn quiet() -> CreateAllowedMentions {
    CreateAllowedMentions::new()
}

fn init_logs() {
    // serenity's warnings (e.g. "Err deserializing") show up in a failing test's output.
    let _ = tracing_subscriber::fmt()
        .with_env_filter("serenity=warn,poise=warn")
        .with_test_writer()
        .try_init();
}

// ---- the bot under test: an EventHandler that counts what serenity dispatched -------------

/// How often each handler ran, to compare with what the fake dispatched.
#[derive(Default)]
struct Seen {
    ready: AtomicU64,
    guild_create: AtomicU64,
    interaction_create: AtomicU64,
    message: AtomicU64,
    resumed: AtomicU64,
    /// (shard, guild) of every GUILD_CREATE.
    guilds: Mutex<Vec<(u32, u64)>>,
}

struct Handler {
    seen: Arc<Seen>,
}

fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::SeqCst);
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, _: Context, _: Ready) {
        bump(&self.seen.ready);
    }

    async fn guild_create(&self, ctx: Context, guild: serenity::Guild, _: Option<bool>) {
        self.seen
            .guilds
            .lock()
            .unwrap()
            .push((ctx.shard_id.0, guild.id.get()));
        bump(&self.seen.guild_create);
    }

    async fn resume(&self, _: Context, _: serenity::ResumedEvent) {
        bump(&self.seen.resumed);
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        bump(&self.seen.interaction_create);
        match interaction {
            Interaction::Component(click) if click.data.custom_id == "reveal" => {
                let row = CreateActionRow::Buttons(vec![CreateButton::new("again").label("Again")]);
                let update = CreateInteractionResponseMessage::new()
                    .embed(
                        CreateEmbed::new()
                            .title("The answer")
                            .description("Jean-Luc Picard"),
                    )
                    .components(vec![row])
                    .allowed_mentions(quiet());
                click
                    .create_response(&ctx.http, CreateInteractionResponse::UpdateMessage(update))
                    .await
                    .unwrap();
                let note = CreateInteractionResponseFollowup::new()
                    .content("Only you can see this")
                    .ephemeral(true)
                    .allowed_mentions(quiet());
                click.create_followup(&ctx.http, note).await.unwrap();
            }
            Interaction::Command(command) => misbehave_on_purpose(&ctx, &command).await,
            Interaction::Autocomplete(typing) if typing.data.name == "many" => {
                // 26 choices: one over Discord's limit, refused (the test checks the record).
                let choices = (0..26)
                    .map(|n| serenity::AutocompleteChoice::new(format!("choice {n}"), n))
                    .collect();
                let list = serenity::CreateAutocompleteResponse::new().set_choices(choices);
                let _ = typing
                    .create_response(&ctx.http, CreateInteractionResponse::Autocomplete(list))
                    .await;
            }
            _ => {}
        }
    }

    async fn message(&self, ctx: Context, msg: Message) {
        bump(&self.seen.message);
        if msg.author.bot {
            return;
        }
        match msg.content.as_str() {
            "!hello" => {
                let row =
                    CreateActionRow::Buttons(vec![CreateButton::new("hello-button").label("Hi")]);
                let create = CreateMessage::new()
                    .embed(CreateEmbed::new().title("Hello").field("Score", "3", true))
                    .components(vec![row])
                    .add_file(CreateAttachment::bytes(
                        b"alice 3\nbob 1\n".as_slice(),
                        "scores.txt",
                    ))
                    .allowed_mentions(quiet());
                let mut sent = msg
                    .channel_id
                    .send_message(&ctx.http, create)
                    .await
                    .unwrap();
                sent.edit(
                    &ctx.http,
                    EditMessage::new()
                        .content("edited hello")
                        .allowed_mentions(quiet()),
                )
                .await
                .unwrap();
            }
            "!where" => {
                let reply = CreateMessage::new()
                    .content(format!("shard {}", ctx.shard_id.0))
                    .allowed_mentions(quiet());
                msg.channel_id.send_message(&ctx.http, reply).await.unwrap();
            }
            "!after-resume" => {
                let reply = CreateMessage::new()
                    .content("still here")
                    .allowed_mentions(quiet());
                msg.channel_id.send_message(&ctx.http, reply).await.unwrap();
            }
            "!bad" => {
                let too_long = "x".repeat(101);
                let row = CreateActionRow::Buttons(vec![CreateButton::new(too_long).label("Bad")]);
                let create = CreateMessage::new()
                    .content("bad button")
                    .components(vec![row])
                    .allowed_mentions(quiet());
                // Refused with a 400; the test checks the fake's record of it.
                let _ = msg.channel_id.send_message(&ctx.http, create).await;
            }
            "!loud" => {
                // No allowed_mentions: the project's rule is broken, Discord still accepts it.
                msg.channel_id
                    .say(&ctx.http, "hello @everyone")
                    .await
                    .unwrap();
            }
            _ => {}
        }
    }
}

/// Commands registered by the rules test; each breaks (or keeps) one interaction rule. The
/// refused calls' results are ignored here: the test asserts what the fake recorded.
async fn misbehave_on_purpose(ctx: &Context, command: &serenity::CommandInteraction) {
    let say = |text: &str| {
        CreateInteractionResponseMessage::new()
            .content(text)
            .allowed_mentions(quiet())
    };
    match command.data.name.as_str() {
        "twice" => {
            command
                .create_response(&ctx.http, CreateInteractionResponse::Message(say("one")))
                .await
                .unwrap();
            let _ = command
                .create_response(&ctx.http, CreateInteractionResponse::Message(say("two")))
                .await;
        }
        "slow" => {
            tokio::time::sleep(Duration::from_millis(400)).await;
            let _ = command
                .create_response(&ctx.http, CreateInteractionResponse::Message(say("late")))
                .await;
        }
        "eager" => {
            let early = CreateInteractionResponseFollowup::new()
                .content("too early")
                .allowed_mentions(quiet());
            let _ = command.create_followup(&ctx.http, early).await;
            command
                .create_response(&ctx.http, CreateInteractionResponse::Message(say("now")))
                .await
                .unwrap();
        }
        "deferred" => {
            let defer = CreateInteractionResponseMessage::new();
            command
                .create_response(&ctx.http, CreateInteractionResponse::Defer(defer))
                .await
                .unwrap();
            let edit = EditInteractionResponse::new()
                .content("worth the wait")
                .allowed_mentions(quiet());
            command.edit_response(&ctx.http, edit).await.unwrap();
        }
        _ => {}
    }
}

// ---- a poise framework with one slash command (with autocomplete) and a modal ---------------

struct Data;
type Error = Box<dyn std::error::Error + Send + Sync>;
type PoiseContext<'a> = poise::Context<'a, Data, Error>;

async fn autocomplete_topic(
    _: PoiseContext<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let choices = ["picard", "riker", "data"]
        .into_iter()
        .filter(|t| t.starts_with(partial))
        .map(serenity::AutocompleteChoice::from)
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

/// Start a quiz about a topic
#[poise::command(slash_command)]
async fn quiz(
    ctx: PoiseContext<'_>,
    #[description = "What the quiz is about"]
    #[autocomplete = "autocomplete_topic"]
    topic: String,
) -> Result<(), Error> {
    let row = CreateActionRow::Buttons(vec![CreateButton::new("reveal").label("Reveal")]);
    let reply = poise::CreateReply::default()
        .content(format!("Quiz about {topic}"))
        .components(vec![row])
        .allowed_mentions(quiet());
    ctx.send(reply).await?;
    Ok(())
}

#[derive(Debug, poise::Modal)]
#[name = "Feedback"]
struct FeedbackModal {
    #[name = "Your answer"]
    answer: String,
}

/// Tell us what you think
#[poise::command(slash_command)]
async fn feedback(ctx: poise::ApplicationContext<'_, Data, Error>) -> Result<(), Error> {
    use poise::Modal as _;
    let answer = FeedbackModal::execute(ctx)
        .await?
        .map(|m| m.answer)
        .unwrap_or_default();
    let reply = poise::CreateReply::default()
        .content(format!("Thanks: {answer}"))
        .ephemeral(true)
        .allowed_mentions(quiet());
    poise::Context::Application(ctx).send(reply).await?;
    Ok(())
}

fn framework() -> poise::Framework<Data, Error> {
    poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: vec![quiz(), feedback()],
            // poise's default lets user pings through; the fake would flag that.
            allowed_mentions: Some(quiet()),
            ..Default::default()
        })
        .setup(|ctx, _ready, framework| {
            Box::pin(async move {
                poise::builtins::register_in_guild(
                    ctx,
                    &framework.options().commands,
                    GuildId::new(GUILD),
                )
                .await?;
                Ok(Data)
            })
        })
        .build()
}

/// Connects a serenity client for `shard` of `shards` through the fake, in the background.
async fn start_bot(fake: &FakeDiscord, shard: u32, shards: u32, with_poise: bool) -> Arc<Seen> {
    let seen = Arc::new(Seen::default());
    let intents =
        GatewayIntents::GUILDS | GatewayIntents::GUILD_MESSAGES | GatewayIntents::MESSAGE_CONTENT;
    let mut builder = ClientBuilder::new_with_http(fake.http_builder().build(), intents)
        .event_handler(Handler { seen: seen.clone() });
    if with_poise {
        builder = builder.framework(framework());
    }
    let mut client = builder
        .await
        .expect("serenity client builds against the fake");
    tokio::spawn(async move { client.start_shard(shard, shards).await });
    seen
}

/// Waits until every event the fake dispatched reached serenity's handlers.
async fn wait_all_handled(fake: &FakeDiscord, seen: &Seen) {
    let counters: [(&str, &AtomicU64); 5] = [
        ("READY", &seen.ready),
        ("GUILD_CREATE", &seen.guild_create),
        ("INTERACTION_CREATE", &seen.interaction_create),
        ("MESSAGE_CREATE", &seen.message),
        ("RESUMED", &seen.resumed),
    ];
    let all_handled = |f: &FakeDiscord| {
        let stats = f.gateway_stats();
        counters
            .iter()
            .all(|(event, counter)| counter.load(Ordering::SeqCst) == stats.dispatched(event))
    };
    if fake
        .wait_until(WAIT, "handlers to see every dispatched event", all_handled)
        .await
        .is_err()
    {
        let stats = fake.gateway_stats();
        let report: Vec<String> = counters
            .iter()
            .map(|(event, counter)| {
                format!(
                    "{event}: dispatched {}, handled {}",
                    stats.dispatched(event),
                    counter.load(Ordering::SeqCst)
                )
            })
            .collect();
        panic!(
            "serenity dropped events (a payload it could not parse?):\n{}",
            report.join("\n")
        );
    }
}

fn names(list: &[Value]) -> Vec<&str> {
    list.iter().filter_map(|c| c["name"].as_str()).collect()
}

// ---- tests ---------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serenity_and_poise_bot_round_trip() {
    init_logs();
    let fake = FakeDiscord::start(one_guild_config()).await;
    let seen = start_bot(&fake, 0, 1, true).await;
    fake.wait_for_ready(1, WAIT).await.unwrap();

    // poise registers its commands in the guild once READY arrived.
    let registered =
        |f: &FakeDiscord| names(&f.registered_commands(Some(GUILD))).contains(&"feedback");
    fake.wait_until(WAIT, "poise to register its commands", registered)
        .await
        .unwrap();
    let commands = fake.registered_commands(Some(GUILD));
    assert_eq!(names(&commands), ["quiz", "feedback"]);
    assert_eq!(commands[0]["options"][0]["name"], "topic");
    assert_eq!(commands[0]["options"][0]["autocomplete"], true);

    // Autocomplete: type 8 with the matching choices.
    let typing = fake.autocomplete(&alice(), CHANNEL, "quiz", json!({"topic": "ri"}), "topic");
    let choices = fake.wait_for_response(typing, WAIT).await.unwrap();
    assert_eq!(choices.kind, 8);
    assert_eq!(
        choices.data["choices"],
        json!([{"name": "riker", "value": "riker"}])
    );

    // The slash command: a channel message with a button, as everyone sees it.
    let run = fake.slash_command(&alice(), CHANNEL, "quiz", json!({"topic": "picard"}));
    assert_eq!(fake.wait_for_response(run, WAIT).await.unwrap().kind, 4);
    let original = fake.original_response(run).unwrap();
    assert_eq!(original.content, "Quiz about picard");
    assert_eq!(original.button_ids(), ["reveal"]);
    assert!(!original.ephemeral);
    assert_eq!(
        fake.channel_messages(CHANNEL).last().unwrap().id,
        original.id
    );

    // A click answered with UPDATE_MESSAGE (an edit) and an ephemeral follow-up.
    let click = fake.click(&bob(), original.id, "reveal");
    assert_eq!(fake.wait_for_response(click, WAIT).await.unwrap().kind, 7);
    let updated = fake.message(original.id).unwrap();
    assert_eq!(updated.edit_count(), 1);
    assert_eq!(updated.history[0]["content"], "Quiz about picard");
    assert_eq!(updated.embeds[0]["title"], "The answer");
    assert_eq!(updated.button_ids(), ["again"]);
    let notes = fake.wait_for_followups(click, 1, WAIT).await.unwrap();
    assert_eq!(notes[0].content, "Only you can see this");
    assert!(notes[0].ephemeral);
    assert!(
        fake.channel_messages(CHANNEL)
            .iter()
            .all(|m| m.id != notes[0].id),
        "ephemeral stays out of the channel"
    );

    // A typed message answered with a channel message (multipart, with a file), then edited.
    fake.send_message(&bob(), CHANNEL, "!hello");
    let hello = fake
        .wait_for_message(CHANNEL, |m| m.content == "edited hello", WAIT)
        .await
        .unwrap();
    assert_eq!(hello.author_id, fake.bot().id);
    assert_eq!(hello.edit_count(), 1);
    assert_eq!(hello.embeds[0]["title"], "Hello");
    assert_eq!(hello.button_ids(), ["hello-button"]);
    assert_eq!(hello.attachments[0]["filename"], "scores.txt");
    let upload = fake
        .requests()
        .into_iter()
        .find(|r| !r.files.is_empty())
        .unwrap();
    assert_eq!(upload.files[0].bytes, b"alice 3\nbob 1\n");

    // A modal: shown with type 9, and poise acknowledges the submit with type 6.
    let ask = fake.slash_command(&alice(), CHANNEL, "feedback", json!({}));
    let modal = fake.wait_for_response(ask, WAIT).await.unwrap();
    assert_eq!(modal.kind, 9);
    assert_eq!(modal.data["title"], "Feedback");
    // A person reads the modal before submitting; poise starts listening only after its
    // HTTP call returned.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let submit = fake.submit_modal(&alice(), &ask.to_string(), &[("answer", "Jean-Luc")]);
    assert_eq!(fake.wait_for_response(submit, WAIT).await.unwrap().kind, 6);
    let thanks = fake.wait_for_followups(ask, 1, WAIT).await.unwrap();
    assert_eq!(thanks[0].content, "Thanks: Jean-Luc");
    assert!(thanks[0].ephemeral);

    // Heartbeats are acknowledged (serenity would reconnect otherwise).
    fake.wait_until(WAIT, "a heartbeat", |f| {
        f.gateway_stats().heartbeats(0) >= 1
    })
    .await
    .unwrap();

    // A dropped connection: the message sent meanwhile is replayed after RESUME.
    assert!(fake.drop_connection(0));
    fake.send_message(&bob(), CHANNEL, "!after-resume");
    fake.wait_for_message(CHANNEL, |m| m.content == "still here", WAIT)
        .await
        .unwrap();
    let stats = fake.gateway_stats();
    assert_eq!((stats.identifies, stats.resumes), (1, 1));

    wait_all_handled(&fake, &seen).await;
    assert_eq!(seen.resumed.load(Ordering::SeqCst), 1);
    fake.assert_no_violations();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limit_breaches_and_pings_are_reported() {
    init_logs();
    let fake = FakeDiscord::start(one_guild_config()).await;
    let seen = start_bot(&fake, 0, 1, false).await;
    fake.wait_for_ready(1, WAIT).await.unwrap();

    fake.send_message(&bob(), CHANNEL, "!bad");
    fake.wait_until(WAIT, "the refused message", |f| {
        f.requests().iter().any(|r| r.status == 400)
    })
    .await
    .unwrap();
    fake.send_message(&bob(), CHANNEL, "!loud");
    fake.wait_for_message(CHANNEL, |m| m.content == "hello @everyone", WAIT)
        .await
        .unwrap();

    let rules: Vec<String> = fake.take_violations().into_iter().map(|v| v.rule).collect();
    assert_eq!(rules, ["custom-id-length", "allowed-mentions"]);
    assert!(
        fake.channel_messages(CHANNEL)
            .iter()
            .all(|m| m.content != "bad button"),
        "the refused message is not shown"
    );
    wait_all_handled(&fake, &seen).await;
    fake.assert_no_violations();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interaction_rules_are_enforced() {
    init_logs();
    let mut config = one_guild_config();
    config.initial_response_deadline = Duration::from_millis(200);
    let fake = FakeDiscord::start(config).await;
    let http = fake.http_builder().build();
    http.set_application_id(fake.application_id().into());
    let mut commands: Vec<_> = ["twice", "slow", "eager", "deferred"]
        .map(|n| serenity::CreateCommand::new(n).description("A rule"))
        .to_vec();
    let query =
        serenity::CreateCommandOption::new(serenity::CommandOptionType::String, "query", "Type")
            .set_autocomplete(true);
    commands.push(
        serenity::CreateCommand::new("many")
            .description("A rule")
            .add_option(query),
    );
    GuildId::new(GUILD)
        .set_commands(&http, commands)
        .await
        .unwrap();
    let seen = start_bot(&fake, 0, 1, false).await;
    fake.wait_for_ready(1, WAIT).await.unwrap();

    let twice = fake.slash_command(&alice(), CHANNEL, "twice", json!({}));
    let slow = fake.slash_command(&alice(), CHANNEL, "slow", json!({}));
    let eager = fake.slash_command(&alice(), CHANNEL, "eager", json!({}));
    let deferred = fake.slash_command(&alice(), CHANNEL, "deferred", json!({}));
    let many = fake.autocomplete(&alice(), CHANNEL, "many", json!({"query": "c"}), "query");

    assert_eq!(
        fake.wait_for_response(twice, WAIT).await.unwrap().data["content"],
        "one"
    );
    assert_eq!(
        fake.wait_for_response(eager, WAIT).await.unwrap().data["content"],
        "now"
    );
    assert_eq!(
        fake.wait_for_response(deferred, WAIT).await.unwrap().kind,
        5
    );
    let filled = fake
        .wait_for_message(CHANNEL, |m| m.content == "worth the wait", WAIT)
        .await
        .unwrap();
    assert!(!filled.is_loading());
    assert_eq!(
        filled.edit_count(),
        0,
        "filling the placeholder is not an edit"
    );
    let late = |f: &FakeDiscord| f.violations().iter().any(|v| v.rule == "response-deadline");
    fake.wait_until(WAIT, "the late response", late)
        .await
        .unwrap();
    assert!(fake.response(slow).is_none());
    let refused = |f: &FakeDiscord| {
        f.violations()
            .iter()
            .any(|v| v.rule == "autocomplete-choices")
    };
    fake.wait_until(WAIT, "the long autocomplete list", refused)
        .await
        .unwrap();
    assert!(
        fake.response(many).is_none(),
        "a refused response is no response"
    );

    let mut rules: Vec<String> = fake.take_violations().into_iter().map(|v| v.rule).collect();
    rules.sort();
    assert_eq!(
        rules,
        [
            "autocomplete-choices",
            "followup-before-response",
            "response-deadline",
            "second-response"
        ]
    );
    wait_all_handled(&fake, &seen).await;
    fake.assert_no_violations();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_shards_get_their_own_guilds() {
    init_logs();
    let (guild0, guild1) = (guild_id_for_shard(0, 2, 7), guild_id_for_shard(1, 2, 7));
    let (channel0, channel1) = (900_000_000_000_000_001, 900_000_000_000_000_002);
    let config = FakeConfig {
        shard_count: 2,
        guilds: vec![
            FakeGuild::new(guild0, "Enterprise")
                .channel(channel0, "bridge")
                .member(&alice(), &[]),
            FakeGuild::new(guild1, "Stargazer")
                .channel(channel1, "bridge")
                .member(&bob(), &[]),
        ],
        ..FakeConfig::default()
    };
    let fake = FakeDiscord::start(config).await;
    let gateway = fake.http_builder().build().get_bot_gateway().await.unwrap();
    assert_eq!(gateway.shards, 2);

    // Two processes, one shard each.
    let first = start_bot(&fake, 0, 2, false).await;
    let second = start_bot(&fake, 1, 2, false).await;
    fake.wait_for_ready(2, WAIT).await.unwrap();
    fake.send_message(&alice(), channel0, "!where");
    fake.send_message(&bob(), channel1, "!where");

    let answer0 = fake
        .wait_for_message(channel0, |m| m.content.starts_with("shard"), WAIT)
        .await
        .unwrap();
    let answer1 = fake
        .wait_for_message(channel1, |m| m.content.starts_with("shard"), WAIT)
        .await
        .unwrap();
    assert_eq!(
        (answer0.content.as_str(), answer1.content.as_str()),
        ("shard 0", "shard 1")
    );
    wait_all_handled_by(&fake, &[&first, &second]).await;
    assert_eq!(*first.guilds.lock().unwrap(), [(0, guild0)]);
    assert_eq!(*second.guilds.lock().unwrap(), [(1, guild1)]);
    fake.assert_no_violations();
}

/// Like `wait_all_handled`, for several clients sharing the fake.
async fn wait_all_handled_by(fake: &FakeDiscord, clients: &[&Seen]) {
    let sum = |pick: fn(&Seen) -> &AtomicU64| {
        clients
            .iter()
            .map(|s| pick(s).load(Ordering::SeqCst))
            .sum::<u64>()
    };
    let all_handled = |f: &FakeDiscord| {
        let stats = f.gateway_stats();
        sum(|s| &s.ready) == stats.dispatched("READY")
            && sum(|s| &s.guild_create) == stats.dispatched("GUILD_CREATE")
            && sum(|s| &s.message) == stats.dispatched("MESSAGE_CREATE")
    };
    fake.wait_until(WAIT, "handlers to see every dispatched event", all_handled)
        .await
        .unwrap();
}

#[tokio::test]
async fn rest_routes_answer_what_serenity_expects() {
    init_logs();
    let fake = FakeDiscord::start(one_guild_config()).await;
    let http = fake.http_builder().build();
    http.set_application_id(fake.application_id().into());
    let guild = GuildId::new(GUILD);

    assert_eq!(
        http.get_current_user().await.unwrap().id.get(),
        fake.bot().id
    );
    assert_eq!(
        http.get_current_application_info().await.unwrap().id.get(),
        fake.application_id()
    );
    assert_eq!(http.get_gateway().await.unwrap().url, fake.gateway_url());
    assert_eq!(
        guild.to_partial_guild(&http).await.unwrap().name,
        "Ten Forward"
    );
    assert_eq!(
        guild.channels(&http).await.unwrap()[&ChannelId::new(CHANNEL)].name,
        "trivia"
    );
    assert!(
        guild.roles(&http).await.unwrap()[&serenity::RoleId::new(MOD_ROLE)]
            .permissions
            .manage_guild()
    );
    assert_eq!(
        guild.member(&http, alice().id).await.unwrap().roles,
        [serenity::RoleId::new(MOD_ROLE)]
    );
    assert_eq!(http.get_user(bob().id.into()).await.unwrap().name, "bob");

    // Global commands keep their ids when registered again.
    let ping = || vec![serenity::CreateCommand::new("ping").description("Check the bot")];
    let first = serenity::Command::set_global_commands(&http, ping())
        .await
        .unwrap();
    let again = serenity::Command::set_global_commands(&http, ping())
        .await
        .unwrap();
    assert_eq!(first[0].id, again[0].id);
    assert_eq!(
        serenity::Command::get_global_commands(&http)
            .await
            .unwrap()
            .len(),
        1
    );

    // Channel messages: create, list, get, edit, delete.
    let channel = ChannelId::new(CHANNEL);
    let sent = channel
        .send_message(
            &http,
            CreateMessage::new()
                .content("first")
                .allowed_mentions(quiet()),
        )
        .await
        .unwrap();
    assert_eq!(
        channel
            .messages(&http, serenity::GetMessages::new().limit(5))
            .await
            .unwrap()
            .len(),
        1
    );
    let edit = EditMessage::new()
        .content("second")
        .allowed_mentions(quiet());
    assert_eq!(
        channel
            .edit_message(&http, sent.id, edit)
            .await
            .unwrap()
            .content,
        "second"
    );
    assert_eq!(
        channel.message(&http, sent.id).await.unwrap().content,
        "second"
    );
    channel.delete_message(&http, sent.id).await.unwrap();
    assert!(fake.channel_messages(CHANNEL).is_empty());

    // Scheduled events: create, start, list, delete.
    let start =
        serenity::Timestamp::from_unix_timestamp(chrono::Utc::now().timestamp() + 3600).unwrap();
    let end =
        serenity::Timestamp::from_unix_timestamp(chrono::Utc::now().timestamp() + 7200).unwrap();
    let create = serenity::CreateScheduledEvent::new(
        serenity::ScheduledEventType::External,
        "Trivia night",
        start,
    )
    .end_time(end)
    .location("#trivia");
    let event = guild.create_scheduled_event(&http, create).await.unwrap();
    let started =
        serenity::EditScheduledEvent::new().status(serenity::ScheduledEventStatus::Active);
    guild
        .edit_scheduled_event(&http, event.id, started)
        .await
        .unwrap();
    let events = guild.scheduled_events(&http, false).await.unwrap();
    assert_eq!(events[0].status, serenity::ScheduledEventStatus::Active);
    guild.delete_scheduled_event(&http, event.id).await.unwrap();
    assert!(fake.scheduled_events(GUILD).is_empty());
    fake.assert_no_violations();

    // Refused: a command name Discord rejects, and a route the fake does not know.
    let bad = vec![serenity::CreateCommand::new("Bad Name").description("x")];
    assert!(
        serenity::Command::set_global_commands(&http, bad)
            .await
            .is_err()
    );
    assert!(guild.bans(&http, None, None).await.is_err());
    let rules: Vec<String> = fake.take_violations().into_iter().map(|v| v.rule).collect();
    assert_eq!(rules, ["command-name", "unknown-route"]);
}

#[tokio::test]
async fn message_limits_are_checked() {
    init_logs();
    let fake = FakeDiscord::start(one_guild_config()).await;
    let http = fake.http_builder().build();
    let channel = ChannelId::new(CHANNEL);
    let text = |n: usize| "x".repeat(n);
    let row = |r: usize, count: usize, label: usize| {
        let buttons: Vec<Value> = (0..count)
            .map(|b| json!({"type": 2, "style": 1, "custom_id": format!("{r}-{b}"), "label": text(label)}))
            .collect();
        json!({"type": 1, "components": buttons})
    };
    let rows = |n: usize, buttons: usize, label: usize| {
        (0..n).map(|r| row(r, buttons, label)).collect::<Vec<_>>()
    };
    let field = |value: usize| json!({"name": "n", "value": text(value), "inline": true});
    // Raw bodies: serenity's builders would refuse some of these before sending.
    let cases = [
        ("content-length", json!({"content": text(2001)})),
        (
            "embed-count",
            json!({"embeds": vec![json!({"title": "t"}); 11]}),
        ),
        ("embed-title", json!({"embeds": [{"title": text(257)}]})),
        (
            "embed-description",
            json!({"embeds": [{"description": text(4097)}]}),
        ),
        (
            "embed-fields",
            json!({"embeds": [{"fields": vec![field(1); 26]}]}),
        ),
        (
            "embed-field-value",
            json!({"embeds": [{"fields": [field(1025)]}]}),
        ),
        (
            "embed-footer",
            json!({"embeds": [{"footer": {"text": text(2049)}}]}),
        ),
        (
            "embed-total",
            json!({"embeds": vec![json!({"description": text(4000)}); 2]}),
        ),
        ("component-rows", json!({"components": rows(6, 1, 2)})),
        ("buttons-per-row", json!({"components": rows(1, 6, 2)})),
        ("button-label", json!({"components": rows(1, 1, 81)})),
        (
            "custom-id-length",
            json!({"components": [{"type": 1, "components": [{"type": 2, "style": 1, "custom_id": text(101)}]}]}),
        ),
        ("empty-message", json!({})),
    ];
    for (rule, mut body) in cases {
        body["allowed_mentions"] = json!({"parse": []});
        let refused = http.send_message(channel, vec![], &body).await;
        assert!(refused.is_err(), "{rule}: Discord refuses it");
        let rules: Vec<String> = fake.take_violations().into_iter().map(|v| v.rule).collect();
        assert_eq!(rules, [rule]);
    }
    assert!(fake.channel_messages(CHANNEL).is_empty());

    // Exactly at the limits, a message is accepted.
    // 256 + 994 + 25 * (90 + 100) = 6000 characters of embed text.
    let fields = vec![json!({"name": text(90), "value": text(100)}); 25];
    let full = json!({
        "content": text(2000),
        "embeds": [{"title": text(256), "description": text(994), "fields": fields}],
        "components": rows(5, 5, 80),
        "allowed_mentions": {"parse": [], "users": [], "roles": []},
    });
    http.send_message(channel, vec![], &full).await.unwrap();
    fake.assert_no_violations();
}

#[tokio::test]
async fn command_limits_are_checked() {
    init_logs();
    let fake = FakeDiscord::start(one_guild_config()).await;
    let http = fake.http_builder().build();
    http.set_application_id(fake.application_id().into());
    let text = |n: usize| "x".repeat(n);
    let option = |name: String| json!({"type": 3, "name": name, "description": "d"});
    let choice = |n: usize| json!({"name": format!("c{n}"), "value": format!("c{n}")});
    let command = |name: &str, description: String, options: Vec<Value>| json!([{"type": 1, "name": name, "description": description, "options": options}]);
    let cases = [
        ("command-name", command("Quiz", "d".into(), vec![])),
        ("command-name", command(&text(33), "d".into(), vec![])),
        ("command-description", command("quiz", text(101), vec![])),
        (
            "command-description",
            command("quiz", String::new(), vec![]),
        ),
        (
            "command-options",
            command(
                "quiz",
                "d".into(),
                (0..26).map(|n| option(format!("o{n}"))).collect(),
            ),
        ),
        (
            "option-choices",
            command(
                "quiz",
                "d".into(),
                vec![
                    json!({"type": 3, "name": "o", "description": "d", "choices": (0..26).map(choice).collect::<Vec<_>>()}),
                ],
            ),
        ),
        (
            "option-order",
            command(
                "quiz",
                "d".into(),
                vec![
                    option("a".into()),
                    json!({"type": 3, "name": "b", "description": "d", "required": true}),
                ],
            ),
        ),
    ];
    for (rule, body) in cases {
        assert!(
            http.create_global_commands(&body).await.is_err(),
            "{rule}: Discord refuses it"
        );
        let rules: Vec<String> = fake.take_violations().into_iter().map(|v| v.rule).collect();
        assert_eq!(rules, [rule]);
    }
    assert!(
        fake.registered_commands(None).is_empty(),
        "a refused set changes nothing"
    );

    let most = command(
        "quiz-2",
        text(100),
        (0..25).map(|n| option(format!("o{n}"))).collect(),
    );
    http.create_global_commands(&most).await.unwrap();
    assert_eq!(
        fake.registered_commands(None)[0]["options"]
            .as_array()
            .unwrap()
            .len(),
        25
    );
    fake.assert_no_violations();
}
