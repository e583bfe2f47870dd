//! The real bot (start-up code, serenity, poise, the engine, the store) against the local fake
//! Discord: commands, button games, typed answers through the modal, `/fact`, permissions,
//! forged input and a dropped gateway connection.

mod discord_support;
mod fake_discord;

use discord_support::*;
use serde_json::json;
use trivia_bot::store::Board;

/// `/trivia start` options (poise sends choice options as the index of the choice).
const FORM_MULTIPLE_CHOICE: u64 = 1;
const FORM_TYPED: u64 = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn commands_are_registered_within_discords_limits() {
    let mut world = World::start().await;
    let commands = world.fake.registered_commands(None);
    let names: Vec<&str> = commands.iter().filter_map(|c| c["name"].as_str()).collect();
    assert_eq!(names, ["trivia", "fact", "config", "event", "pack"]);
    let config = commands.iter().find(|c| c["name"] == "config").unwrap();
    assert_eq!(config["default_member_permissions"], "32", "Manage Server");
    assert!(world.fake.registered_commands(Some(GUILD)).is_empty());

    // /trivia packs lists the pack.
    let packs = world
        .fake
        .slash_command(&bob(), CHANNEL, "trivia", json!({"packs": {}}));
    let text = world.reply_text(packs).await;
    assert!(
        text.contains("Starlight Diner") && text.contains("game-mini"),
        "{text}"
    );
    world.fake.assert_no_violations();
    world.stop_bot().await.unwrap();

    // With DEV_GUILD_ID the commands go to that server only.
    let mut world = World::start_with(|c| c.dev_guild = Some(GUILD)).await;
    assert_eq!(world.fake.registered_commands(Some(GUILD)).len(), 5);
    assert!(world.fake.registered_commands(None).is_empty());
    world.stop_bot().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_shard_connects_when_discord_recommends_several() {
    init_logs();
    let mut config = fake_config();
    config.shard_count = 2;
    let fake = fake_discord::FakeDiscord::start(config).await;
    let files = Files::new();
    let bot = RunningBot::start(files.config(&fake));
    fake.wait_for_ready(2, WAIT)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(fake.connected_shards(), [0, 1]);
    // Commands still work on the guild's shard.
    let id = fake.slash_command(&alice(), CHANNEL, "trivia", json!({"packs": {}}));
    fake.wait_for_response(id, WAIT).await.unwrap();
    fake.assert_no_violations();
    bot.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn channel_races_are_refused_plainly_without_the_intent() {
    // TYPED_ANSWERS unset: the bot does not ask for message content.
    let mut world = World::start().await;
    let start = world.fake.slash_command(
        &alice(),
        CHANNEL,
        "trivia",
        json!({"start": {"chat": true}}),
    );
    let text = world.reply_text(start).await;
    assert!(
        text.contains("TYPED_ANSWERS") && text.contains("Answer button"),
        "{text}"
    );
    assert!(world.is_ephemeral(start).await);
    world.stop_bot().await.unwrap();

    // TYPED_ANSWERS set, but the application does not have the intent enabled (flags 0).
    let mut config = fake_config();
    config.application_flags = 0;
    let mut world = World::start_on(config, |c| c.typed_answers = true).await;
    let intents = world.fake.gateway_stats();
    assert_eq!(
        intents.identifies, 1,
        "the bot connected without the intent instead of failing"
    );
    let start = world.fake.slash_command(
        &alice(),
        CHANNEL,
        "trivia",
        json!({"start": {"chat": true}}),
    );
    let text = world.reply_text(start).await;
    assert!(
        text.contains("developer portal") && text.contains("not enabled"),
        "{text}"
    );
    assert!(world.bot.is_some());
    assert!(
        world.fake.channel_messages(CHANNEL).is_empty(),
        "no game started"
    );
    world.fake.assert_no_violations();
    world.stop_bot().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_button_game_with_two_players() {
    let mut world = World::start().await;
    let (alice, bob) = (alice(), bob());

    let start = world.fake.slash_command(
        &alice,
        CHANNEL,
        "trivia",
        json!({"start": {"rounds": 3, "seconds": 60, "form": FORM_MULTIPLE_CHOICE}}),
    );
    let announced = world.reply_text(start).await;
    assert!(announced.contains("**3** questions"), "{announced}");

    // A second start in the same channel says where the running game is.
    let second = world
        .fake
        .slash_command(&bob, CHANNEL, "trivia", json!({"start": {}}));
    assert!(
        world
            .reply_text(second)
            .await
            .contains("already running in this channel")
    );
    assert!(world.is_ephemeral(second).await);

    world.join_on_first_question(&alice, &[&alice, &bob]).await;
    for n in 2..=3 {
        let q = world.question(n).await;
        assert!(q.json["allowed_mentions"].is_object() || q.content.is_empty());
        let (right, wrong) = right_and_wrong(&q);
        let locked = world.click(&alice, q.id, &right).await;
        assert!(locked.starts_with("🔒 Locked in"), "{locked}");
        let locked = world.click(&bob, q.id, &wrong).await;
        assert!(locked.starts_with("🔒 Locked in"), "{locked}");
        // Both known players answered: the question ends early and the same message is edited.
        let revealed = world.reveal(q.id).await;
        let buttons = revealed.buttons();
        let marked: Vec<_> = buttons.iter().filter(|b| b.style == 3).collect();
        assert_eq!(
            marked.len(),
            1,
            "exactly the right choice is green: {buttons:?}"
        );
        assert_eq!(marked[0].custom_id.as_deref(), Some(right.as_str()));
        assert!(
            marked[0].label.as_deref().unwrap().ends_with("(1)"),
            "counts on the labels"
        );
        let text = revealed.text();
        assert!(text.contains("Right (1 of 2)"), "{text}");
        assert!(text.contains("alice +"), "{text}");
        assert!(
            text.contains("Source"),
            "the reveal shows the source fact: {text}"
        );
    }

    let standings = world.standings().await;
    let text = standings.text();
    assert!(text.contains("🥇") && text.contains("alice"), "{text}");

    // /trivia stats reads the same database.
    let stats = world.fake.slash_command(
        &bob,
        CHANNEL,
        "trivia",
        json!({"stats": {"user": alice.id.to_string()}}),
    );
    let text = world.reply_text(stats).await;
    assert!(text.contains("2 of 2"), "{text}");

    // The database has the game at once: alice scored, bob answered twice and scored nothing.
    let store = open_store(&world.files).await;
    let board = store
        .leaderboard(GUILD, Board::AllTime, trivia_bot::discord::now_ms(), 0, 10)
        .await
        .unwrap();
    let alice_row = board
        .iter()
        .find(|r| r.user == alice.id)
        .expect("alice is on the board");
    assert_eq!((alice_row.right, alice_row.answered), (2, 2));
    assert!(alice_row.points > 0);
    let bob_row = board
        .iter()
        .find(|r| r.user == bob.id)
        .expect("bob is on the board");
    assert_eq!((bob_row.right, bob_row.answered, bob_row.points), (0, 2, 0));

    // /trivia leaderboard shows the same.
    let lb = world
        .fake
        .slash_command(&bob, CHANNEL, "trivia", json!({"leaderboard": {}}));
    let text = world.reply_text(lb).await;
    assert!(
        text.contains(&format!("alice — **{}** pts", alice_row.points)),
        "{text}"
    );
    assert!(
        !world
            .fake
            .channel_messages(CHANNEL)
            .iter()
            .any(|m| m.text().contains("could not be saved"))
    );

    world.fake.assert_no_violations();
    world.stop_bot().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forged_stale_and_double_clicks_change_nothing() {
    let mut world = World::start().await;
    let (alice, bob) = (alice(), bob());
    let start = world.fake.slash_command(
        &alice,
        CHANNEL,
        "trivia",
        json!({"start": {"rounds": 1, "seconds": 60, "form": FORM_MULTIPLE_CHOICE}}),
    );
    world.reply_text(start).await;
    let q = world.question(1).await;
    let (right, wrong) = right_and_wrong(&q);
    let game = right.split(':').nth(2).unwrap().to_owned();

    // Forged or malformed ids: "this question is over", nothing counted.
    for forged in [
        format!("t:a:{game}:5:0"),
        "t:a:999999:0:0".to_owned(),
        "not-ours".to_owned(),
        format!("t:a:{game}:0:9"),
        format!("t:a:0{game}:0:0"),
    ] {
        let id = world.fake.click_unchecked(&bob, q.id, &forged);
        let text = world.reply_text(id).await;
        assert!(world.is_ephemeral(id).await);
        assert!(
            text == "This question is over." || text == "That question has no such choice.",
            "{forged}: {text}"
        );
    }

    // A double click counts once.
    assert!(
        world
            .click(&alice, q.id, &right)
            .await
            .starts_with("🔒 Locked in")
    );
    let again = world.click(&alice, q.id, &wrong).await;
    assert_eq!(again, "You already answered this question.");

    // Pause: the countdown becomes "paused", answers wait; resume goes on.
    let pause = world
        .fake
        .slash_command(&alice, CHANNEL, "trivia", json!({"pause": {}}));
    assert!(world.reply_text(pause).await.contains("Paused"));
    world
        .fake
        .wait_for(WAIT, "the paused question", |f| {
            f.message(q.id).filter(|m| m.text().contains("Paused with"))
        })
        .await
        .unwrap();
    assert_eq!(world.click(&bob, q.id, &wrong).await, "The game is paused.");
    let resume = world
        .fake
        .slash_command(&alice, CHANNEL, "trivia", json!({"resume": {}}));
    assert!(world.reply_text(resume).await.contains("Resumed"));
    let again = world
        .fake
        .slash_command(&alice, CHANNEL, "trivia", json!({"resume": {}}));
    assert_eq!(world.reply_text(again).await, "The game isn't paused.");

    // Bob (not the starter, not a moderator) may not skip; Alice ends it.
    let skip = world
        .fake
        .slash_command(&bob, CHANNEL, "trivia", json!({"skip": {}}));
    let refusal = world.reply_text(skip).await;
    assert!(
        refusal.contains("who started this game, or a moderator"),
        "{refusal}"
    );
    assert!(world.is_ephemeral(skip).await);
    let skip = world
        .fake
        .slash_command(&alice, CHANNEL, "trivia", json!({"skip": {}}));
    assert!(world.reply_text(skip).await.contains("Skipped"));
    world.standings().await;

    // A click on the finished game's message (disabled in clients, forged here).
    let late = world.fake.click_unchecked(&bob, q.id, &right);
    assert_eq!(world.reply_text(late).await, "This question is over.");

    let store = open_store(&world.files).await;
    let board = store
        .leaderboard(GUILD, Board::AllTime, trivia_bot::discord::now_ms(), 0, 10)
        .await
        .unwrap();
    assert!(
        board.is_empty(),
        "a skipped question scores nothing: {board:?}"
    );
    world.fake.assert_no_violations();
    world.stop_bot().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_typed_game_answered_through_the_modal() {
    let mut world = World::start().await;
    let alice = alice();
    let start = world.fake.slash_command(
        &alice,
        CHANNEL,
        "trivia",
        json!({"start": {"rounds": 1, "seconds": 60, "form": FORM_TYPED, "rule": 1}}),
    );
    world.reply_text(start).await;
    let q = world.question(1).await;
    let open = q.button_ids();
    assert_eq!(open.len(), 1, "one Answer button");
    let answers = right_answers(&prompt_of(&q), trivia_bot::quiz::Form::Typed);

    // A hint first (typed questions only).
    let hint = world
        .fake
        .slash_command(&alice, CHANNEL, "trivia", json!({"hint": {}}));
    assert!(world.reply_text(hint).await.contains("Hint"));

    // The Answer button opens a modal; a wrong answer, then the right one.
    let click = world.fake.click(&alice, q.id, &open[0]);
    let response = world.fake.wait_for_response(click, WAIT).await.unwrap();
    assert_eq!(response.kind, 9, "a modal");
    let modal_id = response.data["custom_id"].as_str().unwrap().to_owned();
    let submit = world
        .fake
        .submit_modal(&alice, &modal_id, &[("answer", "definitely not this")]);
    let text = world.reply_text(submit).await;
    assert!(
        text.contains("Not right") || text.contains("Close"),
        "{text}"
    );

    let click = world.fake.click(&alice, q.id, &open[0]);
    world.fake.wait_for_response(click, WAIT).await.unwrap();
    let submit = world
        .fake
        .submit_modal(&alice, &modal_id, &[("answer", &answers[0])]);
    let text = world.reply_text(submit).await;
    assert_eq!(text, "✅ Right — you got it first!");

    let revealed = world.reveal(q.id).await;
    assert!(revealed.text().contains("first!"), "{}", revealed.text());
    world.standings().await;
    let store = open_store(&world.files).await;
    let stats = store
        .player_stats(GUILD, alice.id)
        .await
        .unwrap()
        .expect("alice has stats");
    assert_eq!(stats.right, 1);
    world.fake.assert_no_violations();
    world.stop_bot().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fact_lookup_with_autocomplete_within_the_spoiler_limit() {
    let mut world = World::start().await;
    let (alice, bob) = (alice(), bob());

    let suggestions = |world: &World, query: &str| {
        let id = world
            .fake
            .autocomplete(&bob, CHANNEL, "fact", json!({"query": query}), "query");
        (id, query.to_owned())
    };
    let (id, _) = suggestions(&world, "Last Order");
    let response = world.fake.wait_for_response(id, WAIT).await.unwrap();
    assert_eq!(response.kind, 8);
    let choices = response.data["choices"].as_array().unwrap().clone();
    assert!(!choices.is_empty() && choices.len() <= 25);
    assert!(
        choices
            .iter()
            .all(|c| c["name"].as_str().unwrap().chars().count() <= 100)
    );
    let last_order = choices
        .iter()
        .find(|c| c["name"].as_str().unwrap().contains("Last Order"))
        .expect("the episode is suggested")
        .clone();

    // The chosen suggestion gives a card; `ephemeral` keeps it private.
    let fact = world.fake.slash_command(
        &bob,
        CHANNEL,
        "fact",
        json!({"query": last_order["value"], "ephemeral": true}),
    );
    let text = world.reply_text(fact).await;
    assert!(text.contains("Last Order"), "{text}");
    assert!(world.is_ephemeral(fact).await);

    // A moderator sets a spoiler limit before that episode: it is no longer suggested or shown.
    let set = world.fake.slash_command(
        &alice,
        CHANNEL,
        "config",
        json!({"set": {"spoiler_limit": "S1E1"}}),
    );
    assert!(world.reply_text(set).await.contains("up to S1E1"));
    let (id, _) = suggestions(&world, "Last Order");
    let response = world.fake.wait_for_response(id, WAIT).await.unwrap();
    let hidden = response.data["choices"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        !hidden
            .iter()
            .any(|c| c["name"].as_str().unwrap().contains("Last Order")),
        "{hidden:?}"
    );
    let fact =
        world
            .fake
            .slash_command(&bob, CHANNEL, "fact", json!({"query": last_order["value"]}));
    let text = world.reply_text(fact).await;
    assert!(
        !text.contains("Last Order\n") && text.contains("No fact matches")
            || !text.contains("S1E3"),
        "{text}"
    );

    world.fake.assert_no_violations();
    world.stop_bot().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn members_without_permission_are_refused() {
    let mut world = World::start().await;
    let bob = bob();
    for (name, options) in [
        ("config", json!({"show": {}})),
        ("config", json!({"set": {"rounds": 3}})),
        ("config", json!({"reset-scores": {}})),
    ] {
        let id = world
            .fake
            .slash_command(&bob, CHANNEL, name, options.clone());
        let text = world.reply_text(id).await;
        assert!(
            text.starts_with("Only moderators can do that"),
            "{options}: {text}"
        );
        assert!(world.is_ephemeral(id).await);
    }
    // Nothing changed.
    let store = open_store(&world.files).await;
    assert_eq!(
        store.guild_settings(GUILD).await.unwrap().default_rounds,
        10
    );

    // A moderator's reset asks first; Bob cannot press its button.
    let alice = alice();
    let reset = world
        .fake
        .slash_command(&alice, CHANNEL, "config", json!({"reset-scores": {}}));
    let response = world.fake.wait_for_response(reset, WAIT).await.unwrap();
    assert!(
        response.data["content"]
            .as_str()
            .unwrap()
            .contains("cannot be undone")
    );
    let message = world
        .fake
        .original_response(reset)
        .expect("the confirm message");
    let confirm = message.button_ids()[0].clone();
    let pressed = world.fake.click(&bob, message.id, &confirm);
    assert!(
        world
            .reply_text(pressed)
            .await
            .contains("Only the moderator who asked")
    );
    let pressed = world.fake.click(&alice, message.id, &confirm);
    let response = world.fake.wait_for_response(pressed, WAIT).await.unwrap();
    assert_eq!(response.kind, 7, "the confirm message is updated");
    assert!(
        response.data["content"]
            .as_str()
            .unwrap()
            .starts_with("Done")
    );
    assert_eq!(store.resets(GUILD).await.unwrap().len(), 1);

    // Games only in allowed channels, once a moderator lists some.
    let set = world.fake.slash_command(
        &alice,
        CHANNEL,
        "config",
        json!({"channel": {"channel": OTHER_CHANNEL.to_string(), "allowed": true}}),
    );
    assert!(
        world
            .reply_text(set)
            .await
            .contains(&format!("<#{OTHER_CHANNEL}>"))
    );
    let start = world
        .fake
        .slash_command(&bob, CHANNEL, "trivia", json!({"start": {}}));
    assert!(
        world
            .reply_text(start)
            .await
            .starts_with("Games run only in")
    );

    // The quiz-master role makes Bob a moderator.
    let set = world.fake.slash_command(
        &alice,
        CHANNEL,
        "config",
        json!({"set": {"quiz_master_role": QUIZ_ROLE.to_string()}}),
    );
    assert!(
        world
            .reply_text(set)
            .await
            .contains(&format!("<@&{QUIZ_ROLE}>"))
    );
    let show = world
        .fake
        .slash_command(&bob, CHANNEL, "config", json!({"show": {}}));
    assert!(world.reply_text(show).await.contains("Trivia settings"));
    world.fake.assert_no_violations();
    world.stop_bot().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_dropped_gateway_connection_mid_game() {
    let mut world = World::start().await;
    let (alice, bob) = (alice(), bob());
    let start = world.fake.slash_command(
        &alice,
        CHANNEL,
        "trivia",
        json!({"start": {"rounds": 3, "seconds": 60, "form": FORM_MULTIPLE_CHOICE}}),
    );
    world.reply_text(start).await;
    world.join_on_first_question(&alice, &[&alice, &bob]).await;
    let q = world.question(2).await;
    let (right, wrong) = right_and_wrong(&q);
    assert!(world.click(&alice, q.id, &right).await.starts_with("🔒"));

    // The connection drops; Bob's click waits in the session's backlog until serenity resumes.
    assert!(world.fake.drop_connection(0));
    let late = world.fake.click(&bob, q.id, &wrong);
    assert!(world.reply_text(late).await.starts_with("🔒"));
    world.reveal(q.id).await;

    let q2 = world.question(3).await;
    let (right2, _) = right_and_wrong(&q2);
    assert!(world.click(&alice, q2.id, &right2).await.starts_with("🔒"));
    assert!(world.click(&bob, q2.id, &right2).await.starts_with("🔒"));
    world.standings().await;
    assert!(world.fake.gateway_stats().resumes >= 1 || world.fake.gateway_stats().identifies >= 2);

    let store = open_store(&world.files).await;
    let board = store
        .leaderboard(GUILD, Board::AllTime, trivia_bot::discord::now_ms(), 0, 10)
        .await
        .unwrap();
    let a = board.iter().find(|r| r.user == alice.id).unwrap();
    let b = board.iter().find(|r| r.user == bob.id).unwrap();
    assert_eq!((a.right, a.answered), (2, 2), "no double award");
    assert_eq!((b.right, b.answered), (1, 2));
    world.fake.assert_no_violations();
    world.stop_bot().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_store_failure_is_told_in_the_channel_and_the_results_saved_later() {
    use sqlx::Connection;
    let mut world = World::start().await;
    let (alice, bob) = (alice(), bob());
    let start = world.fake.slash_command(
        &alice,
        CHANNEL,
        "trivia",
        json!({"start": {"rounds": 3, "seconds": 60, "form": FORM_MULTIPLE_CHOICE}}),
    );
    world.reply_text(start).await;
    world.join_on_first_question(&alice, &[&alice, &bob]).await;
    let q1 = world.question(2).await;

    // The answers table goes missing: recording question 1 fails.
    let mut db = sqlx::SqliteConnection::connect(&world.files.database_url())
        .await
        .unwrap();
    sqlx::query("ALTER TABLE answers RENAME TO answers_away")
        .execute(&mut db)
        .await
        .unwrap();
    let (right, wrong) = right_and_wrong(&q1);
    world.click(&alice, q1.id, &right).await;
    world.click(&bob, q1.id, &wrong).await;
    let warning = world
        .fake
        .wait_for_message(CHANNEL, |m| m.content.contains("could not be saved"), WAIT)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        warning.content.contains("tries again"),
        "{}",
        warning.content
    );
    world.reveal(q1.id).await;

    // The database is back: question 1's results are saved with question 2's.
    sqlx::query("ALTER TABLE answers_away RENAME TO answers")
        .execute(&mut db)
        .await
        .unwrap();
    let q2 = world.question(3).await;
    let (right2, wrong2) = right_and_wrong(&q2);
    world.click(&alice, q2.id, &right2).await;
    world.click(&bob, q2.id, &wrong2).await;
    world.standings().await;

    let store = open_store(&world.files).await;
    let board = store
        .leaderboard(GUILD, Board::AllTime, trivia_bot::discord::now_ms(), 0, 10)
        .await
        .unwrap();
    let a = board.iter().find(|r| r.user == alice.id).expect("alice");
    let b = board.iter().find(|r| r.user == bob.id).expect("bob");
    assert_eq!((a.right, a.answered), (2, 2), "{board:?}");
    assert_eq!((b.right, b.answered), (0, 2), "{board:?}");
    world.fake.assert_no_violations();
    world.stop_bot().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_race_typed_in_the_channel_with_typed_answers() {
    let mut world = World::start_with(|c| c.typed_answers = true).await;
    let (alice, bob) = (alice(), bob());
    let start = world.fake.slash_command(
        &alice,
        CHANNEL,
        "trivia",
        json!({"start": {"rounds": 1, "seconds": 60, "chat": true}}),
    );
    let announced = world.reply_text(start).await;
    assert!(
        announced.contains("type answers in the channel"),
        "{announced}"
    );
    let q = world.question(1).await;
    assert!(
        description(&q).contains("type it here"),
        "{}",
        description(&q)
    );
    let answers = right_answers(&prompt_of(&q), trivia_bot::quiz::Form::Typed);

    world.fake.send_message(&bob, CHANNEL, "no idea, sorry");
    // Gateway events are handled concurrently: let bob's miss in before alice's win.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let winning = world.fake.send_message(&alice, CHANNEL, &answers[0]);
    let ack = world
        .fake
        .wait_for_message(CHANNEL, |m| m.content.contains("got it first"), WAIT)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(ack.content.contains("alice"), "{}", ack.content);
    assert_eq!(
        ack.json["message_reference"]["message_id"].as_str(),
        Some(winning.to_string().as_str())
    );
    let revealed = world.reveal(q.id).await;
    assert!(
        revealed.text().contains("alice +") && revealed.text().contains("first!"),
        "{}",
        revealed.text()
    );
    world.standings().await;

    let store = open_store(&world.files).await;
    let board = store
        .leaderboard(GUILD, Board::AllTime, trivia_bot::discord::now_ms(), 0, 10)
        .await
        .unwrap();
    let a = board.iter().find(|r| r.user == alice.id).expect("alice");
    let b = board
        .iter()
        .find(|r| r.user == bob.id)
        .expect("bob answered too");
    assert_eq!((a.right, b.right, b.answered), (1, 0, 1), "{board:?}");
    world.fake.assert_no_violations();
    world.stop_bot().await.unwrap();
}
