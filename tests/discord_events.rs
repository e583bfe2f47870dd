//! Quiz events and server packs end to end: the real bot (start-up path, serenity, poise, the
//! engine, the store) against the local fake Discord, with the event clock moved by the test
//! instead of waiting for hours.
//!
//! - a scheduled night: created, restarted before its time, announced and started on time,
//!   sign-ups with teams, two rounds with different settings, pause/resume from the host's
//!   panel, a near miss accepted and undone, the podium, and both exports parsed back and
//!   checked against the database; also the server's Events list kept in sync;
//! - starts found late after downtime: within the grace period (late start with a note) and
//!   past it (missed);
//! - members without permission refused on every `/event` and `/pack` command;
//! - server packs: a broken upload answered with its diagnostics (nothing stored), a good one
//!   playable at once in that server and invisible in another.

mod discord_support;
mod fake_discord;

use std::time::Duration;

use discord_support::*;
use fake_discord::{FakeCdn, FakeConfig, FakeDiscord, FakeGuild, FakeUser, MessageView, perms};
use serde_json::{Value, json};
use trivia_bot::answer::{Verdict, judge};
use trivia_bot::discord::Clock;
use trivia_bot::events::{EventStatus, ExportDoc, TeamMode};
use trivia_bot::quiz::Form;

const GUILD2: u64 = 900_000_000_000_000_002;
const CHANNEL2: u64 = 900_000_000_000_000_301;
const TRIVIA_ROLE: u64 = 900_000_000_000_000_202;
const MOD_ROLE2: u64 = 900_000_000_000_000_203;
const MINUTE: i64 = 60_000;

/// Choice indexes as poise registers them.
const FORM_MULTIPLE_CHOICE: u64 = 1;
const FORM_TYPED: u64 = 3;
const CATEGORY_CAST: u64 = 1;
const FORMAT_JSON: u64 = 1;

fn carol() -> FakeUser {
    FakeUser::new(910_000_000_000_000_003, "carol")
}

fn dave() -> FakeUser {
    FakeUser::new(910_000_000_000_000_004, "dave")
}

/// A moderator of the second server only.
fn erin() -> FakeUser {
    FakeUser::new(910_000_000_000_000_005, "erin")
}

/// Alice moderates; Bob, Carol and Dave are members; the Trivia role may be pinged by the
/// event's announcements (and the fake reports any other ping). A second server has Erin.
fn config() -> FakeConfig {
    let home = FakeGuild::new(GUILD, "Starlight Fans")
        .channel(CHANNEL, "trivia")
        .channel(OTHER_CHANNEL, "general")
        .role(MOD_ROLE, "Moderator", perms::MANAGE_GUILD)
        .role(TRIVIA_ROLE, "Trivia", 0)
        .member(&alice(), &[MOD_ROLE])
        .member(&bob(), &[TRIVIA_ROLE])
        .member(&carol(), &[])
        .member(&dave(), &[])
        .owner(910_000_000_000_000_099);
    let other = FakeGuild::new(GUILD2, "Other Server")
        .channel(CHANNEL2, "quiz")
        .role(MOD_ROLE2, "Mods", perms::MANAGE_GUILD)
        .member(&erin(), &[MOD_ROLE2])
        .owner(910_000_000_000_000_098);
    FakeConfig {
        guilds: vec![home, other],
        heartbeat_interval: Duration::from_millis(1_000),
        allowed_role_mentions: vec![TRIVIA_ROLE],
        ..FakeConfig::default()
    }
}

/// The fake, the bot and its files, with a clock the test moves.
async fn start(clock: &Clock) -> World {
    init_logs();
    let fake = FakeDiscord::start(config()).await;
    let files = Files::new();
    let mut world = World {
        fake,
        files,
        bot: None,
    };
    boot(&mut world, clock, 1).await;
    world
}

/// Starts the bot (again) and waits for its `n`th identify.
async fn boot(world: &mut World, clock: &Clock, n: u64) {
    let mut config = world.files.config(&world.fake);
    config.clock = clock.clone();
    world.bot = Some(RunningBot::start(config));
    world
        .fake
        .wait_until(WAIT, "the bot to connect", |f| {
            f.gateway_stats().identifies >= n && !f.connected_shards().is_empty()
        })
        .await
        .unwrap();
}

async fn store(world: &World) -> trivia_bot::store::Store {
    open_store(&world.files).await
}

/// A command's reply text (ephemeral or not).
async fn run(world: &World, user: &FakeUser, name: &str, options: Value) -> (u64, String) {
    let id = world.fake.slash_command(user, CHANNEL, name, options);
    (id, world.reply_text(id).await)
}

/// The message an interaction's reply ended up in (after a defer: the first follow-up).
async fn reply_message(world: &World, interaction: u64) -> MessageView {
    world
        .fake
        .wait_for(WAIT, "the reply message", |f| {
            f.original_response(interaction)
                .filter(|m| !m.is_loading())
                .or_else(|| f.followups(interaction).into_iter().next())
        })
        .await
        .unwrap()
}

/// The file attached to an interaction's reply.
async fn attached_file(world: &World, interaction: u64) -> (String, Vec<u8>) {
    let token = world.fake.interaction(interaction).unwrap().token;
    world
        .fake
        .wait_for(WAIT, "an attached file", |f| {
            f.requests()
                .into_iter()
                .filter(|r| r.path.contains(&token))
                .flat_map(|r| r.files)
                .next()
                .map(|file| (file.filename, file.bytes))
        })
        .await
        .unwrap()
}

async fn message_with(world: &World, channel: u64, text: &str) -> MessageView {
    world
        .fake
        .wait_for_message(channel, |m| m.text().contains(text), WAIT)
        .await
        .unwrap_or_else(|e| panic!("a message with {text:?}: {e}"))
}

fn button(m: &MessageView, prefix: &str) -> String {
    m.button_ids()
        .into_iter()
        .find(|id| id.starts_with(prefix))
        .unwrap_or_else(|| panic!("no button {prefix}… on {:?}", m.button_ids()))
}

/// A typed answer the matcher calls a near miss (not right, not wrong) for this prompt.
fn near_miss_for(prompt: &str) -> Option<String> {
    let questions: Vec<_> = pack_questions()
        .into_iter()
        .filter(|q| q.form == Form::Typed && q.prompt == prompt)
        .collect();
    let mut candidates = Vec::new();
    for q in &questions {
        for answer in q.accepted.iter().chain([&q.answer]) {
            candidates.extend(answer.split_whitespace().next().map(str::to_owned));
            let chars: Vec<char> = answer.chars().collect();
            for k in 1..=5 {
                let mut changed = chars.clone();
                let letters: Vec<usize> = (0..chars.len())
                    .filter(|&i| chars[i].is_alphabetic())
                    .collect();
                for &i in letters.iter().rev().take(k) {
                    changed[i] = if chars[i] == 'q' { 'z' } else { 'q' };
                }
                candidates.push(changed.into_iter().collect());
            }
        }
    }
    candidates.into_iter().find(|c| {
        !questions.is_empty()
            && questions
                .iter()
                .all(|q| matches!(judge(q, c), Verdict::NearMiss { .. }))
    })
}

/// Answers a typed question through the Answer button and the modal.
async fn type_answer(world: &World, user: &FakeUser, q: &MessageView, text: &str) -> String {
    let open = q.button_ids()[0].clone();
    let click = world.fake.click(user, q.id, &open);
    let response = world.fake.wait_for_response(click, WAIT).await.unwrap();
    assert_eq!(response.kind, 9, "a modal");
    let modal = response.data["custom_id"].as_str().unwrap().to_owned();
    let submit = world.fake.submit_modal(user, &modal, &[("answer", text)]);
    world.reply_text(submit).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_scheduled_event_night_from_creation_to_export() {
    let clock = Clock::default();
    let mut world = start(&clock).await;
    let (alice, bob, carol, dave) = (alice(), bob(), carol(), dave());
    let db = store(&world).await;

    // --- create: two rounds like round 1, teams picked by the players ---
    let (_, text) = run(
        &world,
        &alice,
        "event",
        json!({"create": {
            "name": "Diner Night", "start": "in 2h", "lead": "30m",
            "role": TRIVIA_ROLE.to_string(), "rounds": 2, "pack": "game-mini",
            "questions": 2, "seconds": 60, "form": FORM_MULTIPLE_CHOICE,
            "teams": 2, "team_names": "Red, Blue",
            "description": "Two rounds at the diner."
        }}),
    )
    .await;
    assert!(text.contains("Event **#1** created"), "{text}");
    let event = db.event(GUILD, 1).await.unwrap().expect("stored");
    assert_eq!(event.status, EventStatus::Scheduled);
    assert_eq!(event.spec.rounds.len(), 2);
    assert_eq!(event.spec.teams.as_ref().unwrap().mode, TeamMode::Choose);
    let start_at = event.spec.starts_at.unwrap();

    // The server's Events list shows it: an external event located in the channel.
    let listed = world.fake.scheduled_events(GUILD);
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["name"], "Diner Night");
    assert_eq!(listed[0]["entity_type"], 3);
    assert_eq!(listed[0]["entity_metadata"]["location"], "Discord: #trivia");

    // Round 2 differs: typed cast questions with a shorter clock.
    let (_, text) = run(
        &world,
        &alice,
        "event",
        json!({"round": {"round": 2, "form": FORM_TYPED, "category": CATEGORY_CAST, "seconds": 45}}),
    )
    .await;
    assert!(text.contains("Round 2: 2 × typed"), "{text}");
    let (_, text) = run(
        &world,
        &alice,
        "event",
        json!({"edit": {"name": "Diner Trivia Night"}}),
    )
    .await;
    assert!(text.contains("Saved"), "{text}");
    assert_eq!(
        world.fake.scheduled_events(GUILD)[0]["name"],
        "Diner Trivia Night",
        "the edit reached the Events list"
    );
    let event = db.event(GUILD, 1).await.unwrap().unwrap();
    assert_eq!(event.spec.rounds[1].forms, [Form::Typed]);
    assert_eq!(event.spec.rounds[1].seconds, 45);
    assert_eq!(event.spec.rounds[0].forms, [Form::MultipleChoice]);

    // --- sign-ups: Bob picks Red, Carol Blue, Alice just joins; Dave does not ---
    let signup = message_with(&world, CHANNEL, "📝").await;
    assert!(signup.button_ids().contains(&"ev:j:1".to_owned()));
    let pick = world.fake.select(&bob, signup.id, "ev:t:1", &["0"]);
    assert!(world.reply_text(pick).await.contains("in team **Red**"));
    let pick = world.fake.select(&carol, signup.id, "ev:t:1", &["1"]);
    assert!(world.reply_text(pick).await.contains("in team **Blue**"));
    let joined = world.click(&alice, signup.id, "ev:j:1").await;
    assert!(joined.starts_with("✅ You're signed up"), "{joined}");
    let again = world.click(&alice, signup.id, "ev:j:1").await;
    assert!(again.contains("already signed up"), "{again}");
    world
        .fake
        .wait_for(WAIT, "the sign-up list", |f| {
            f.message(signup.id)
                .filter(|m| m.text().contains("Red (1)") && m.text().contains("No team yet (1)"))
        })
        .await
        .unwrap();

    // --- the bot restarts before the event's time ---
    world.stop_bot().await.unwrap();
    boot(&mut world, &clock, 2).await;

    // Half an hour before the start: the announcement pings the Trivia role, nobody else.
    clock.set(start_at - 30 * MINUTE + 1_000);
    let announced = message_with(&world, CHANNEL, "📣").await;
    assert!(announced.content.starts_with(&format!("<@&{TRIVIA_ROLE}>")));
    assert_eq!(
        db.event(GUILD, 1).await.unwrap().unwrap().status,
        EventStatus::Announced
    );

    // The start time: "starts now", the round header, then the first question.
    clock.set(start_at + 1_000);
    let now = message_with(&world, CHANNEL, "starts now").await;
    assert!(now.content.contains(&format!("<@&{TRIVIA_ROLE}>")));
    message_with(&world, CHANNEL, "round 1 of 2").await;
    let q1 = world.question(1).await;
    world
        .fake
        .wait_until(WAIT, "the server's event to be active", |f| {
            f.scheduled_events(GUILD)[0]["status"] == 2
        })
        .await
        .unwrap();
    // Teams were completed before the round: Alice goes to the weaker team (a tie: Red).
    let regs = db.registrations(1).await.unwrap();
    let team_of = |u: u64| regs.iter().find(|r| r.user == u).and_then(|r| r.team);
    assert_eq!(
        (team_of(alice.id), team_of(bob.id), team_of(carol.id)),
        (Some(0), Some(0), Some(1))
    );

    // --- the host's panel; Bob cannot use it ---
    let (panel_cmd, _) = run(&world, &alice, "event", json!({"panel": {}})).await;
    let panel = reply_message(&world, panel_cmd).await;
    assert!(panel.ephemeral && panel.text().contains("Host controls"));
    let mut alice_interactions = vec![panel_cmd];
    let forged = world.fake.click_unchecked(&bob, panel.id, "ev:p:1:x");
    assert!(
        world
            .reply_text(forged)
            .await
            .starts_with("Only moderators")
    );

    // Dave is not signed up: his answer does not count.
    let (right, wrong) = right_and_wrong(&q1);
    let refused = world.click(&dave, q1.id, &right).await;
    assert_eq!(refused, "You're not registered for this game.");

    // Pause and resume from the panel.
    let pause = world.fake.click(&alice, panel.id, "ev:p:1:p");
    alice_interactions.push(pause);
    world
        .fake
        .wait_for(WAIT, "the panel after pausing", |f| {
            f.message(panel.id)
                .filter(|m| m.text().contains("Paused: the clock stopped"))
        })
        .await
        .unwrap();
    world
        .fake
        .wait_for(WAIT, "the paused question", |f| {
            f.message(q1.id)
                .filter(|m| m.text().contains("Paused with"))
        })
        .await
        .unwrap();
    assert_eq!(
        db.event(GUILD, 1).await.unwrap().unwrap().status,
        EventStatus::Paused { round: 0 }
    );
    assert_eq!(
        world.click(&bob, q1.id, &right).await,
        "The game is paused."
    );
    let resume = world.fake.click(&alice, panel.id, "ev:p:1:r");
    alice_interactions.push(resume);
    world
        .fake
        .wait_for(WAIT, "the resumed event", |f| {
            f.message(panel.id).filter(|m| m.text().contains("Resumed"))
        })
        .await
        .unwrap();
    assert_eq!(
        db.event(GUILD, 1).await.unwrap().unwrap().status,
        EventStatus::Running { round: 0 }
    );

    // Round 1: two multiple-choice questions; each ends once the three players answered.
    for n in 1..=2 {
        let q = if n == 1 {
            q1.clone()
        } else {
            world.question(2).await
        };
        let (right, wrong2) = right_and_wrong(&q);
        assert!(world.click(&alice, q.id, &right).await.starts_with("🔒"));
        assert!(world.click(&bob, q.id, &right).await.starts_with("🔒"));
        assert!(world.click(&carol, q.id, &wrong2).await.starts_with("🔒"));
        world.reveal(q.id).await;
    }
    let _ = wrong;
    message_with(&world, CHANNEL, "Round 1 of 2 is over").await;
    assert_eq!(
        db.event(GUILD, 1).await.unwrap().unwrap().status,
        EventStatus::Intermission { next: 1 }
    );

    // --- round 2, typed: a near miss accepted by the host, undone, accepted again ---
    let next = world.fake.click(&alice, panel.id, "ev:p:1:n");
    alice_interactions.push(next);
    message_with(&world, CHANNEL, "round 2 of 2").await;
    let mut ruled = false;
    for n in 1..=2 {
        let q = world
            .fake
            .wait_for_message(
                CHANNEL,
                |m| {
                    title(m).starts_with(&format!("Question {n}/2"))
                        && title(m).contains("typed")
                        && m.buttons().iter().any(|b| !b.disabled)
                },
                WAIT,
            )
            .await
            .unwrap();
        let prompt = prompt_of(&q);
        let answers = right_answers(&prompt, Form::Typed);
        let miss = if ruled { None } else { near_miss_for(&prompt) };
        let reply = type_answer(&world, &alice, &q, &answers[0]).await;
        assert!(reply.starts_with("🔒"), "{reply}");
        type_answer(&world, &carol, &q, "zzzz").await;
        type_answer(&world, &bob, &q, miss.as_deref().unwrap_or("zzzz")).await;
        world.reveal(q.id).await;
        let Some(miss) = miss else { continue };

        // The near misses reach the host privately, with an Accept button for Bob.
        let rulings = world
            .fake
            .wait_for(WAIT, "the rulings panel", |f| {
                alice_interactions
                    .iter()
                    .flat_map(|i| f.followups(*i))
                    .find(|m| m.text().contains("Near misses"))
            })
            .await
            .unwrap();
        assert!(rulings.ephemeral);
        assert!(rulings.text().contains(&miss), "{}", rulings.text());
        let accept = button(&rulings, "ev:a:1:");
        assert!(accept.ends_with(&format!(":{}", bob.id)));
        let parts: Vec<&str> = accept.split(':').collect();
        let (game, question) = (
            parts[3].parse::<i64>().unwrap(),
            parts[4].parse::<u32>().unwrap(),
        );
        let bob_id = bob.id;
        let answer_of = |db: trivia_bot::store::Store| async move {
            let records = db.event_records(GUILD, 1).await.unwrap().unwrap();
            let q = records
                .questions
                .iter()
                .find(|q| q.game_id == game && q.index == question)
                .unwrap()
                .clone();
            q.answers.into_iter().find(|a| a.user == bob_id).unwrap()
        };
        let before = answer_of(db.clone()).await;
        assert!(!before.correct && before.points == 0 && before.near_miss.is_some());

        let click = world.fake.click(&alice, rulings.id, &accept);
        alice_interactions.push(click);
        let accepted = world
            .fake
            .wait_for(WAIT, "the accepted ruling", |f| {
                f.message(rulings.id)
                    .filter(|m| m.text().contains("accepted by"))
            })
            .await
            .unwrap();
        let after = answer_of(db.clone()).await;
        assert!(after.correct && after.points > 0, "{after:?}");
        let aliases = db.aliases(GUILD, "game-mini").await.unwrap();
        assert!(
            aliases.iter().any(|a| a.alias
                == trivia_bot::text::fold(&miss)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")),
            "the spelling became a server alias: {aliases:?}"
        );

        let undo = button(&accepted, "ev:u:1:");
        let click = world.fake.click(&alice, rulings.id, &undo);
        alice_interactions.push(click);
        let undone = world
            .fake
            .wait_for(WAIT, "the undone ruling", |f| {
                f.message(rulings.id).filter(|m| {
                    !m.text().contains("accepted by")
                        && m.button_ids().iter().any(|b| b.starts_with("ev:a:"))
                })
            })
            .await
            .unwrap();
        let back = answer_of(db.clone()).await;
        assert!(!back.correct && back.points == 0, "{back:?}");
        assert!(db.aliases(GUILD, "game-mini").await.unwrap().is_empty());

        // Accepted again, for good: the export shows both rulings.
        let accept = button(&undone, "ev:a:1:");
        let click = world.fake.click(&alice, rulings.id, &accept);
        alice_interactions.push(click);
        world
            .fake
            .wait_for(WAIT, "the ruling again", |f| {
                f.message(rulings.id)
                    .filter(|m| m.text().contains("accepted by"))
            })
            .await
            .unwrap();
        assert!(answer_of(db.clone()).await.correct);
        ruled = true;
    }
    assert!(ruled, "the typed round gave a near miss to rule on");

    // --- the end: the podium by itself, the server's event completed ---
    let podium = message_with(&world, CHANNEL, "— results").await;
    assert!(podium.text().contains("🥇"), "{}", podium.text());
    assert!(podium.text().contains("Red") && podium.text().contains("Blue"));
    let event = db.event(GUILD, 1).await.unwrap().unwrap();
    assert_eq!(event.status, EventStatus::Finished);
    world
        .fake
        .wait_until(WAIT, "the server's event to be completed", |f| {
            f.scheduled_events(GUILD)[0]["status"] == 3
        })
        .await
        .unwrap();

    // /event results posts the same podium.
    let (_, text) = run(&world, &alice, "event", json!({"results": {}})).await;
    assert!(
        text.contains("Diner Trivia Night — results") && text.contains("Teams"),
        "{text}"
    );

    // --- exports, read back and checked against the database ---
    let records = db.event_records(GUILD, 1).await.unwrap().unwrap();
    assert_eq!(records.questions.len(), 4);
    assert!(
        records
            .questions
            .iter()
            .all(|q| q.answers.iter().all(|a| a.user != dave.id))
    );
    let (json_export, _) = run(
        &world,
        &alice,
        "event",
        json!({"export": {"format": FORMAT_JSON}}),
    )
    .await;
    let (name, bytes) = attached_file(&world, json_export).await;
    assert_eq!(name, "event-1-diner-trivia-night.json");
    let doc: ExportDoc = serde_json::from_slice(&bytes).expect("the JSON export parses");
    assert_eq!(doc.event.name, "Diner Trivia Night");
    assert_eq!(doc.rounds.len(), 2);
    let exported: Vec<(String, i64, bool, String)> = doc
        .rounds
        .iter()
        .flat_map(|r| &r.questions)
        .flat_map(|q| &q.answers)
        .map(|a| (a.player_id.clone(), a.points, a.correct, a.answer.clone()))
        .collect();
    let stored: Vec<(String, i64, bool, String)> = records
        .questions
        .iter()
        .flat_map(|q| &q.answers)
        .map(|a| (a.user.to_string(), a.points, a.correct, a.text.clone()))
        .collect();
    assert_eq!(exported, stored);
    assert_eq!(doc.rulings.len(), 2, "accepted, undone, accepted again");
    assert!(doc.rulings[0].undone_by.as_deref() == Some(&*alice.id.to_string()));
    assert!(doc.rulings[1].undone_at.is_none());
    assert_eq!(doc.rulings[1].ruled_by, alice.id.to_string());
    assert_eq!(doc.standings.teams.len(), 2);
    let points: i64 = doc.standings.players.iter().map(|p| p.points).sum();
    assert_eq!(points, stored.iter().map(|a| a.1).sum::<i64>());

    let (csv_export, _) = run(&world, &alice, "event", json!({"export": {}})).await;
    let (name, bytes) = attached_file(&world, csv_export).await;
    assert!(name.ends_with(".csv"));
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header.first().map(String::as_str), Some("round"));
    assert_eq!(header.last().map(String::as_str), Some("ruling"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), stored.len(), "one row per answer");
    let ruled_rows: Vec<&csv::StringRecord> = rows.iter().filter(|r| !r[11].is_empty()).collect();
    assert_eq!(ruled_rows.len(), 1);
    assert!(ruled_rows[0][11].contains("undone by") && ruled_rows[0][4] == bob.id.to_string());

    // --- only the announcements allowed a ping, and only of the event's role ---
    let pinging: Vec<String> = world
        .fake
        .requests()
        .into_iter()
        .filter_map(|r| r.body)
        .filter(|b| {
            b["allowed_mentions"]["roles"]
                .as_array()
                .is_some_and(|roles| !roles.is_empty())
        })
        .map(|b| b["content"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(pinging.len(), 2, "{pinging:?}");
    assert!(pinging[0].contains("📣") && pinging[1].contains("starts now"));
    world.fake.assert_no_violations();
    world.stop_bot().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn starts_found_after_downtime_are_late_within_grace_or_missed() {
    let clock = Clock::default();
    let mut world = start(&clock).await;
    let alice = alice();
    let db = store(&world).await;
    for (name, start, channel) in [
        ("Late Night", "in 40m", CHANNEL),
        ("Lost Night", "in 30m", OTHER_CHANNEL),
    ] {
        let options = json!({"create": {"name": name, "start": start, "lead": "0",
               "channel": channel.to_string(), "questions": 1, "seconds": 60}});
        let (_, text) = run(&world, &alice, "event", options).await;
        assert!(text.contains("created"), "{text}");
    }
    let late = db.event(GUILD, 1).await.unwrap().unwrap();
    assert_eq!(late.spec.channel, CHANNEL);

    // The bot is down for 50 minutes: "Late Night" is 10 minutes late (within the 15-minute
    // grace), "Lost Night" 20 minutes (past it).
    world.stop_bot().await.unwrap();
    clock.set(late.spec.starts_at.unwrap() + 10 * MINUTE);
    boot(&mut world, &clock, 2).await;
    let note = message_with(&world, CHANNEL, "starts now").await;
    assert!(note.content.contains("10 min late"), "{}", note.content);
    world.question(1).await;
    let missed = message_with(&world, OTHER_CHANNEL, "marked missed").await;
    assert!(missed.content.contains("Lost Night"));
    assert_eq!(
        db.event(GUILD, 2).await.unwrap().unwrap().status,
        EventStatus::Missed
    );
    // A missed event leaves the server's Events list.
    world
        .fake
        .wait_until(WAIT, "one listed event", |f| {
            f.scheduled_events(GUILD).len() == 1
        })
        .await
        .unwrap();

    // /event stop ends the late one; a second stop says it is over.
    let (_, text) = run(&world, &alice, "event", json!({"stop": {"event": 1}})).await;
    assert!(text.contains("ends now"), "{text}");
    message_with(&world, CHANNEL, "— results").await;
    assert_eq!(
        db.event(GUILD, 1).await.unwrap().unwrap().status,
        EventStatus::Finished
    );
    let (_, text) = run(&world, &alice, "event", json!({"stop": {"event": 1}})).await;
    assert!(text.contains("finished already"), "{text}");
    world.fake.assert_no_violations();
    world.stop_bot().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn members_without_permission_are_refused_on_every_event_and_pack_command() {
    let clock = Clock::default();
    let mut world = start(&clock).await;
    let bob = bob();
    let cdn = FakeCdn::start().await;
    let commands = [
        ("event", json!({"create": {"name": "Mine"}})),
        ("event", json!({"edit": {"name": "Mine"}})),
        ("event", json!({"round": {"round": 1}})),
        ("event", json!({"list": {}})),
        ("event", json!({"show": {}})),
        ("event", json!({"start": {}})),
        ("event", json!({"panel": {}})),
        ("event", json!({"pause": {}})),
        ("event", json!({"resume": {}})),
        ("event", json!({"skip": {}})),
        ("event", json!({"next-round": {}})),
        ("event", json!({"stop": {}})),
        ("event", json!({"cancel": {}})),
        ("event", json!({"results": {}})),
        ("event", json!({"export": {}})),
        ("pack", json!({"list": {}})),
        ("pack", json!({"download": {"pack": "x"}})),
        ("pack", json!({"remove": {"pack": "x"}})),
    ];
    // Every subcommand of both commands is tried.
    let registered = world.fake.registered_commands(None);
    for name in ["event", "pack"] {
        let command = registered.iter().find(|c| c["name"] == name).unwrap();
        assert_eq!(command["default_member_permissions"], "32", "Manage Server");
        for sub in command["options"].as_array().unwrap() {
            let sub = sub["name"].as_str().unwrap();
            let tried = sub == "upload"
                || commands
                    .iter()
                    .any(|(n, o)| *n == name && o.get(sub).is_some());
            assert!(tried, "/{name} {sub} is not tried");
        }
    }
    for (name, options) in commands {
        let (id, text) = run(&world, &bob, name, options.clone()).await;
        assert!(
            text.starts_with("Only moderators can do that"),
            "/{name} {options}: {text}"
        );
        assert!(world.is_ephemeral(id).await);
    }
    let upload = world.fake.slash_command_with_file(
        &cdn,
        &bob,
        CHANNEL,
        "pack",
        &["upload"],
        "file",
        "mine.toml",
        b"[pack]",
    );
    assert!(
        world
            .reply_text(upload)
            .await
            .starts_with("Only moderators can do that")
    );
    assert!(cdn.downloads().is_empty(), "nothing was downloaded");
    let db = store(&world).await;
    assert!(db.list_events(GUILD, 10).await.unwrap().is_empty());
    assert!(db.server_packs(GUILD).await.unwrap().is_empty());
    world.fake.assert_no_violations();
    world.stop_bot().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn server_packs_are_checked_playable_at_once_and_kept_to_their_server() {
    let clock = Clock::default();
    let mut world = start(&clock).await;
    let (alice, erin) = (alice(), erin());
    let cdn = FakeCdn::start().await;
    let db = store(&world).await;
    let packs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/packs");
    let good = std::fs::read(packs.join("harbour-lights.toml")).unwrap();
    let broken = String::from_utf8(good.clone()).unwrap().replacen(
        "title = \"Harbour Lights\"",
        "titel = \"Harbour Lights\"",
        1,
    );

    let upload = |user: &FakeUser, channel: u64, name: &str, bytes: &[u8]| {
        world.fake.slash_command_with_file(
            &cdn,
            user,
            channel,
            "pack",
            &["upload"],
            "file",
            name,
            bytes,
        )
    };

    // A broken file: every problem, as `trivia-bot check` reports them; nothing stored.
    let id = upload(&alice, CHANNEL, "harbour.toml", broken.as_bytes());
    let text = world.reply_text(id).await;
    assert!(
        text.contains("Pack refused") && text.contains("harbour.toml:"),
        "{text}"
    );
    assert!(text.contains("titel"), "{text}");
    assert!(db.server_packs(GUILD).await.unwrap().is_empty());

    // Too big: refused before downloading.
    let big = vec![b'#'; 300 * 1024];
    let id = upload(&alice, CHANNEL, "big.toml", &big);
    let text = world.reply_text(id).await;
    assert!(text.contains("at most 256 KiB"), "{text}");
    assert!(!cdn.downloads().contains(&"big.toml".to_owned()));

    // A good one is stored and playable at once, here.
    let id = upload(&alice, CHANNEL, "harbour.toml", &good);
    let text = world.reply_text(id).await;
    assert!(text.contains("✓ `harbour-lights`"), "{text}");
    let (_, text) = run(
        &world,
        &alice,
        "trivia",
        json!({"start": {"pack": "harbour-lights", "rounds": 1, "seconds": 60, "form": FORM_MULTIPLE_CHOICE}}),
    )
    .await;
    assert!(text.contains("Harbour Lights"), "{text}");
    let q = world.question(1).await;
    assert!(title(&q).starts_with("Question 1/1"));
    let (_, text) = run(&world, &alice, "trivia", json!({"stop": {}})).await;
    assert!(text.contains("stopped"), "{text}");
    let (_, text) = run(&world, &alice, "fact", json!({"query": "Adaeze Obi"})).await;
    assert!(
        text.contains("Adaeze Obi as Zoë Marchetti"),
        "/fact finds the server pack: {text}"
    );
    let (_, text) = run(&world, &alice, "trivia", json!({"packs": {}})).await;
    assert!(
        text.contains("Harbour Lights (this server's own)"),
        "/trivia packs lists the server pack: {text}"
    );

    // Never in another server.
    let id = world.fake.slash_command(
        &erin,
        CHANNEL2,
        "trivia",
        json!({"start": {"pack": "harbour-lights"}}),
    );
    let refused = world.reply_text(id).await;
    assert!(refused.contains("No such pack"), "{refused}");
    let id = world
        .fake
        .slash_command(&erin, CHANNEL2, "fact", json!({"query": "Adaeze Obi"}));
    let text = world.reply_text(id).await;
    assert!(text.contains("No fact matches"), "{text}");
    let id = world
        .fake
        .slash_command(&erin, CHANNEL2, "pack", json!({"list": {}}));
    assert!(world.reply_text(id).await.contains("no packs of its own"));
    let id = world
        .fake
        .slash_command(&erin, CHANNEL2, "trivia", json!({"packs": {}}));
    let text = world.reply_text(id).await;
    assert!(
        text.contains("Starlight Diner") && !text.contains("Harbour Lights"),
        "/trivia packs elsewhere lists only the built-in packs: {text}"
    );

    // Download gives the file back; a broken re-upload keeps version 1; a good one replaces it.
    let (id, _) = run(
        &world,
        &alice,
        "pack",
        json!({"download": {"pack": "harbour-lights"}}),
    )
    .await;
    let (name, bytes) = attached_file(&world, id).await;
    assert_eq!(
        (name.as_str(), bytes.as_slice()),
        ("harbour-lights.toml", good.as_slice())
    );
    let id = upload(&alice, CHANNEL, "harbour.toml", broken.as_bytes());
    assert!(world.reply_text(id).await.contains("Pack refused"));
    let stored = db
        .server_pack(GUILD, "harbour-lights")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (stored.info.version, stored.source.as_bytes()),
        (1, good.as_slice())
    );
    let id = upload(&alice, CHANNEL, "harbour.toml", &good);
    assert!(world.reply_text(id).await.contains("Version 2"));

    // Removed: gone from games here too.
    let (_, text) = run(
        &world,
        &alice,
        "pack",
        json!({"remove": {"pack": "harbour-lights"}}),
    )
    .await;
    assert!(text.starts_with("Removed"), "{text}");
    // (In the other channel: the stopped game may still be closing in this one.)
    let id = world.fake.slash_command(
        &alice,
        OTHER_CHANNEL,
        "trivia",
        json!({"start": {"pack": "harbour-lights"}}),
    );
    let text = world.reply_text(id).await;
    assert!(text.contains("No such pack"), "{text}");
    world.fake.assert_no_violations();
    world.stop_bot().await.unwrap();
}
