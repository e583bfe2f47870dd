//! Event messages: the event card (`/event show`), the sign-up message with its buttons and
//! team picker, the host's control panel, the rulings panel, announcements and the podium.
//! Pure functions from the events core to serenity builders, inside Discord's limits.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use poise::serenity_prelude::{
    ButtonStyle, CreateActionRow, CreateButton, CreateEmbed, CreateEmbedFooter, CreateSelectMenu,
    CreateSelectMenuKind, CreateSelectMenuOption,
};

use super::ids::{EventComponent, PanelAction};
use super::options::describe_duration;
use crate::discord::render::clip;
use crate::discord::render::info::{escape, player_label};
use crate::discord::render::limits::*;
use crate::events::{
    Event, EventRecords, EventStandings, EventStatus, Registration, RoundSpec, TeamMode,
};
use crate::game::{AnswerRule, Scoring};
use crate::quiz::Form;

pub const EVENT_COLOUR: u32 = 0x0ea5e9;
const PODIUM_COLOUR: u32 = 0xeab308;
const RULING_COLOUR: u32 = 0xa855f7;

/// `<t:…:F> (<t:…:R>)`: every client shows it in its own time zone.
pub fn when(unix_ms: i64) -> String {
    let s = unix_ms.div_euclid(1000);
    format!("<t:{s}:F> (<t:{s}:R>)")
}

fn forms_text(forms: &[Form]) -> String {
    if forms.is_empty() {
        return "mixed".to_owned();
    }
    let names: Vec<&str> = forms
        .iter()
        .map(|f| match f {
            Form::MultipleChoice => "multiple choice",
            Form::TrueFalse => "true/false",
            Form::Typed => "typed",
        })
        .collect();
    names.join(", ")
}

/// "10 × multiple choice from `picard`, 20 s, everyone answers once, speed scoring".
pub fn round_text(r: &RoundSpec) -> String {
    let mut text = format!(
        "{} × {} from `{}`, {} s each, {}, {} scoring",
        r.questions,
        forms_text(&r.forms),
        r.pack,
        r.seconds,
        match r.rule {
            AnswerRule::Once => "everyone answers once",
            AnswerRule::Race => "first right answer wins",
        },
        match r.scoring {
            Scoring::Speed => "speed",
            Scoring::Classic => "classic",
        }
    );
    if !r.categories.is_empty() {
        let c: Vec<&str> = r.categories.iter().map(|c| c.as_str()).collect();
        let _ = write!(text, ", only {}", c.join("/"));
    }
    if !r.difficulties.is_empty() {
        let d: Vec<&str> = r.difficulties.iter().map(|d| d.as_str()).collect();
        let _ = write!(text, ", {}", d.join("/"));
    }
    text
}

fn status_line(e: &Event) -> String {
    let status = e.status.to_string();
    match e.spec.starts_at {
        Some(at) if e.status.is_upcoming() => format!("{status} — starts {}", when(at)),
        _ => status,
    }
}

/// The event card: everything a moderator set, and who signed up.
pub fn event_card(
    e: &Event,
    registrations: &[Registration],
    names: &BTreeMap<u64, String>,
) -> CreateEmbed {
    let spec = &e.spec;
    let mut text = String::new();
    if !spec.description.is_empty() {
        let _ = writeln!(text, "{}\n", escape(&clip(&spec.description, 600)));
    }
    let _ = writeln!(text, "**Status:** {}", status_line(e));
    let _ = writeln!(text, "**Channel:** <#{}>", spec.channel);
    let hosts: Vec<String> = spec.hosts.iter().map(|h| format!("<@{h}>")).collect();
    let _ = writeln!(text, "**Hosts:** {}", hosts.join(", "));
    if spec.starts_at.is_some() {
        let lead = if spec.announce_lead_ms > 0 {
            format!(
                "{} before the start",
                describe_duration(spec.announce_lead_ms)
            )
        } else {
            "at the start only".to_owned()
        };
        let _ = writeln!(text, "**Announcement:** {lead}");
    }
    if let Some(role) = spec.announce_role {
        let _ = writeln!(text, "**Pings:** <@&{role}>");
    }
    for (i, r) in spec.rounds.iter().enumerate() {
        let _ = writeln!(text, "**Round {}:** {}", i + 1, round_text(r));
    }
    let active: Vec<&Registration> = registrations.iter().filter(|r| r.is_active()).collect();
    let mut embed = CreateEmbed::new()
        .title(clip(&format!("#{} · {}", e.id, spec.name), EMBED_TITLE))
        .colour(EVENT_COLOUR);
    // Embeds hold at most 6000 characters in all: the description and the lists share them.
    let fields = spec.teams.as_ref().map_or(1, |t| t.names.len() + 1);
    let value_room = (3200 / fields).min(FIELD_VALUE);
    match &spec.teams {
        Some(teams) => {
            let mode = match teams.mode {
                TeamMode::Choose => "players pick a team",
                TeamMode::Balanced => "balanced by the bot at the start",
            };
            let _ = writeln!(text, "**Teams:** {} ({mode})", teams.names.len());
            for (t, name) in teams.names.iter().enumerate() {
                let members: Vec<String> = active
                    .iter()
                    .filter(|r| r.team == Some(t))
                    .map(|r| player_name(r.user, names))
                    .collect();
                embed = embed.field(
                    clip(&format!("{} ({})", name, members.len()), 60),
                    clip(&list_or_none(&members), value_room),
                    true,
                );
            }
            let undecided: Vec<String> = active
                .iter()
                .filter(|r| r.team.is_none())
                .map(|r| player_name(r.user, names))
                .collect();
            if !undecided.is_empty() {
                embed = embed.field(
                    format!("No team yet ({})", undecided.len()),
                    clip(&undecided.join(", "), value_room),
                    false,
                );
            }
        }
        None => {
            let players: Vec<String> = active.iter().map(|r| player_name(r.user, names)).collect();
            embed = embed.field(
                format!("Signed up ({})", players.len()),
                clip(&list_or_none(&players), value_room),
                false,
            );
        }
    }
    embed.description(clip(&text, 2000))
}

fn list_or_none(names: &[String]) -> String {
    if names.is_empty() {
        "nobody yet".to_owned()
    } else {
        names.join(", ")
    }
}

/// A player on a list: a mention (inert: messages mention nobody) or their last known name.
fn player_name(user: u64, names: &BTreeMap<u64, String>) -> String {
    match names.get(&user) {
        Some(n) => escape(&clip(n, 40)),
        None => format!("<@{user}>"),
    }
}

/// The sign-up message: the event card, Join / Leave buttons and, when players pick teams,
/// the team picker. Sign-ups close (no components) once the event is over.
pub fn signup(
    e: &Event,
    registrations: &[Registration],
    names: &BTreeMap<u64, String>,
) -> (CreateEmbed, Vec<CreateActionRow>) {
    let mut embed = event_card(e, registrations, names);
    let footer = if e.status.registration_open() {
        "Press Join to play: only signed-up players score. Sign up during a round to play from the next one."
    } else {
        "Sign-ups are closed."
    };
    embed = embed
        .title(clip(&format!("📝 {}", e.spec.name), EMBED_TITLE))
        .footer(CreateEmbedFooter::new(footer));
    if !e.status.registration_open() {
        return (embed, Vec::new());
    }
    let mut rows = vec![CreateActionRow::Buttons(vec![
        CreateButton::new(EventComponent::Join { event: e.id }.encode())
            .label("Join")
            .style(ButtonStyle::Success),
        CreateButton::new(EventComponent::Leave { event: e.id }.encode())
            .label("Leave")
            .style(ButtonStyle::Secondary),
    ])];
    if let Some(teams) = e.spec.teams.as_ref().filter(|t| t.mode == TeamMode::Choose) {
        let options = teams
            .names
            .iter()
            .enumerate()
            .map(|(i, name)| CreateSelectMenuOption::new(clip(name, 100), i.to_string()))
            .collect();
        rows.push(CreateActionRow::SelectMenu(
            CreateSelectMenu::new(
                EventComponent::Team { event: e.id }.encode(),
                CreateSelectMenuKind::String { options },
            )
            .placeholder("Pick your team (this signs you up)")
            .min_values(1)
            .max_values(1),
        ));
    }
    (embed, rows)
}

/// The host's control panel buttons.
pub fn panel_buttons(event: i64, status: EventStatus) -> Vec<CreateActionRow> {
    let buttons = PanelAction::ALL
        .into_iter()
        .map(|action| {
            let enabled = match action {
                PanelAction::Pause | PanelAction::Skip => {
                    matches!(status, EventStatus::Running { .. })
                }
                PanelAction::Resume => matches!(status, EventStatus::Paused { .. }),
                PanelAction::NextRound => status.is_live(),
                PanelAction::Stop => status.is_live(),
            };
            let style = match action {
                PanelAction::Stop => ButtonStyle::Danger,
                PanelAction::NextRound => ButtonStyle::Success,
                _ => ButtonStyle::Primary,
            };
            CreateButton::new(EventComponent::Panel { event, action }.encode())
                .label(action.label())
                .style(style)
                .disabled(!enabled)
        })
        .collect();
    vec![CreateActionRow::Buttons(buttons)]
}

/// The panel's text: where the event stands.
pub fn panel_text(e: &Event, note: Option<&str>) -> String {
    let mut text = format!(
        "🎛 **Host controls · #{} {}** — {}",
        e.id,
        escape(&e.spec.name),
        e.status
    );
    if let Some(note) = note {
        let _ = write!(text, "\n{note}");
    }
    text.push_str(
        "\nNear misses come to you here after each question, with Accept buttons. Only hosts \
         and moderators can use these buttons.",
    );
    clip(&text, CONTENT)
}

/// One near miss on the rulings panel.
#[derive(Debug, Clone, PartialEq)]
pub struct RulingLine {
    pub user: u64,
    pub name: Option<String>,
    pub answer: String,
    pub closeness: f64,
    /// (by, at) of the ruling in force, if the answer was accepted.
    pub accepted: Option<(u64, i64)>,
}

/// Room for one Accept/Undo button a near miss: a message holds 5 rows of 5.
pub const MAX_RULING_LINES: usize = 5;

/// The near misses of one question (typed answers that came close), nearest first, with the
/// rulings in force, from what the store holds.
pub fn ruling_lines(records: &EventRecords, game: i64, question: u32) -> Vec<RulingLine> {
    let Some(q) = records
        .questions
        .iter()
        .find(|q| q.game_id == game && q.index == question)
    else {
        return Vec::new();
    };
    let mut lines: Vec<RulingLine> = q
        .answers
        .iter()
        .filter_map(|a| {
            let closeness = a.near_miss?;
            let accepted = records
                .rulings_on(game, question, a.user)
                .into_iter()
                .rev()
                .find(|r| r.is_active())
                .map(|r| (r.ruled_by, r.ruled_at));
            Some(RulingLine {
                user: a.user,
                name: records.names.get(&a.user).cloned(),
                answer: a.text.clone(),
                closeness,
                accepted,
            })
        })
        .collect();
    lines.sort_by(|a, b| {
        b.closeness
            .total_cmp(&a.closeness)
            .then(a.user.cmp(&b.user))
    });
    lines.truncate(MAX_RULING_LINES);
    lines
}

/// The rulings panel of one question: who typed what and how close, each with Accept (or
/// Undo, once accepted).
pub fn rulings_panel(
    event: i64,
    game: i64,
    round: usize,
    question: u32,
    prompt: &str,
    correct: &str,
    lines: &[RulingLine],
) -> (CreateEmbed, Vec<CreateActionRow>) {
    let mut text = format!(
        "{}\n**Answer:** {}\n\n",
        escape(&clip(prompt, 500)),
        escape(&clip(correct, 200))
    );
    let mut buttons = Vec::new();
    for line in lines {
        let who = escape(&player_label(line.user, line.name.as_deref()));
        let _ = write!(
            text,
            "• **{who}** typed “{}” — {:.0}% close",
            escape(&clip(&line.answer, 150)),
            line.closeness * 100.0
        );
        match line.accepted {
            Some((by, at)) => {
                let _ = writeln!(
                    text,
                    " — ✅ accepted by <@{by}> <t:{}:R>",
                    at.div_euclid(1000)
                );
                buttons.push(
                    CreateButton::new(
                        EventComponent::Undo {
                            event,
                            game,
                            question,
                            user: line.user,
                        }
                        .encode(),
                    )
                    .label(clip(&format!("Undo {}", plain_name(line)), BUTTON_LABEL))
                    .style(ButtonStyle::Danger),
                );
            }
            None => {
                text.push('\n');
                buttons.push(
                    CreateButton::new(
                        EventComponent::Accept {
                            event,
                            game,
                            question,
                            user: line.user,
                        }
                        .encode(),
                    )
                    .label(clip(&format!("Accept {}", plain_name(line)), BUTTON_LABEL))
                    .style(ButtonStyle::Success),
                );
            }
        }
    }
    if lines.is_empty() {
        text.push_str("No near misses left to rule on.");
    }
    let embed = CreateEmbed::new()
        .title(clip(
            &format!(
                "🧑‍⚖️ Near misses · round {} question {}",
                round + 1,
                question + 1
            ),
            EMBED_TITLE,
        ))
        .description(clip(&text, EMBED_DESCRIPTION))
        .colour(RULING_COLOUR)
        .footer(CreateEmbedFooter::new(
            "Accept counts an answer as right (points as if it had been); Undo takes it back. \
             Accepted spellings count in this server's later games.",
        ));
    let rows = if buttons.is_empty() {
        Vec::new()
    } else {
        vec![CreateActionRow::Buttons(buttons)]
    };
    (embed, rows)
}

/// A button label names a player without markdown.
fn plain_name(line: &RulingLine) -> String {
    player_label(line.user, line.name.as_deref())
}

/// The podium: players placed 1–3 and, with teams, every team.
pub fn podium(records: &EventRecords, table: &EventStandings) -> CreateEmbed {
    let e = &records.event;
    let mut text = String::new();
    let medal = |place: usize| match place {
        1 => "🥇",
        2 => "🥈",
        3 => "🥉",
        _ => "▫️",
    };
    let podium: Vec<_> = table.podium().collect();
    if podium.is_empty() {
        text.push_str("Nobody scored.");
    }
    for p in podium {
        let team = p
            .team
            .and_then(|t| e.team_name(t))
            .map(|t| format!(" ({})", escape(t)))
            .unwrap_or_default();
        let _ = writeln!(
            text,
            "{} **{}**{team} — **{}** pts, {}/{} right",
            medal(p.place),
            escape(&player_label(p.user, p.name.as_deref())),
            p.points,
            p.right,
            p.answered
        );
    }
    let mut embed = CreateEmbed::new()
        .title(clip(&format!("🏆 {} — results", e.spec.name), EMBED_TITLE))
        .colour(PODIUM_COLOUR);
    if !table.teams.is_empty() {
        let mut teams = String::new();
        for t in table.teams.iter().take(MAX_TEAM_LINES) {
            let _ = writeln!(
                teams,
                "{} **{}** — **{}** pts, {} right, {} player{}",
                medal(t.place),
                escape(&t.name),
                t.points,
                t.right,
                t.members.len(),
                if t.members.len() == 1 { "" } else { "s" }
            );
        }
        embed = embed.field("Teams", clip(&teams, FIELD_VALUE), false);
    }
    let players = table.players.len();
    embed
        .description(clip(&text, EMBED_DESCRIPTION))
        .footer(CreateEmbedFooter::new(format!(
            "event #{} · {} · {players} player{} · /event export for every answer",
            e.id,
            e.status,
            if players == 1 { "" } else { "s" }
        )))
}

const MAX_TEAM_LINES: usize = 10;

/// The header posted before a round's first question.
pub fn round_header(e: &Event, round: usize, pack_title: &str, players: usize) -> CreateEmbed {
    let r = &e.spec.rounds[round.min(e.spec.rounds.len().saturating_sub(1))];
    let mut text = format!(
        "**{}** — {}",
        escape(pack_title),
        round_text(r).replacen(&format!("from `{}`", r.pack), "", 1)
    );
    let _ = write!(
        text,
        "\n{players} signed-up player{} can score.",
        if players == 1 { "" } else { "s" }
    );
    if players == 0 {
        text.push_str(" Press **Join** on the sign-up message to play from the next round.");
    }
    CreateEmbed::new()
        .title(clip(
            &format!(
                "🎬 {} — round {} of {}",
                e.spec.name,
                round + 1,
                e.spec.rounds.len()
            ),
            EMBED_TITLE,
        ))
        .description(clip(&text, EMBED_DESCRIPTION))
        .colour(EVENT_COLOUR)
}

/// The lead announcement ("starts in 30 minutes").
pub fn lead_announcement(e: &Event) -> String {
    let mut text = String::new();
    if let Some(role) = e.spec.announce_role {
        let _ = write!(text, "<@&{role}> ");
    }
    let _ = write!(text, "📣 **{}**", escape(&e.spec.name));
    if let Some(at) = e.spec.starts_at {
        let _ = write!(text, " starts {}", when(at));
    }
    let _ = write!(text, " in <#{}>.", e.spec.channel);
    if !e.spec.description.is_empty() {
        let _ = write!(text, "\n{}", escape(&clip(&e.spec.description, 500)));
    }
    text.push_str("\nPress **Join** on the sign-up message to play: only signed-up players score.");
    clip(&text, CONTENT)
}

/// The start announcement; `late_by_ms` when the bot was offline at the start time.
pub fn start_announcement(e: &Event, late_by_ms: Option<i64>) -> String {
    let mut text = String::new();
    if let Some(role) = e.spec.announce_role {
        let _ = write!(text, "<@&{role}> ");
    }
    let _ = write!(text, "🎬 **{}** starts now!", escape(&e.spec.name));
    if let Some(late) = late_by_ms {
        let _ = write!(
            text,
            " (Starting {} late: at the start time the bot was offline, or a game was running \
             here.)",
            describe_duration(late)
        );
    }
    clip(&text, CONTENT)
}

/// Said when an event's start passed while the bot was away beyond the grace period.
pub fn missed_note(e: &Event, late_by_ms: i64, grace_ms: i64) -> String {
    clip(
        &format!(
            "⚠️ **{}** did not start: the bot was offline at its start time and came back {} \
             later, past the {} grace period, so it is marked missed. Create it again to play it.",
            escape(&e.spec.name),
            describe_duration(late_by_ms),
            describe_duration(grace_ms)
        ),
        CONTENT,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discord::render::{limits::violations, out};
    use crate::events::{EventSpec, Teams};

    fn event() -> Event {
        let long = "n".repeat(300);
        Event {
            id: 12,
            guild: 1,
            spec: EventSpec {
                name: "x".repeat(100),
                description: "d".repeat(1000),
                channel: 5,
                hosts: vec![1, 2, 3],
                starts_at: Some(1_795_694_400_000),
                announce_lead_ms: 1_800_000,
                announce_role: Some(9),
                rounds: vec![RoundSpec::new(long); 10],
                teams: Some(Teams {
                    mode: TeamMode::Choose,
                    names: (0..10).map(|i| format!("{i}{}", "t".repeat(31))).collect(),
                }),
            },
            status: EventStatus::Scheduled,
            discord_scheduled_event_id: None,
            signup_message: None,
            created_by: 1,
            created_at: 0,
        }
    }

    #[test]
    fn the_largest_event_fits_discords_limits() {
        let e = event();
        let regs: Vec<Registration> = (0..500)
            .map(|u| Registration {
                user: u,
                team: (u % 11 != 10).then_some((u % 11) as usize),
                registered_at: 0,
                left_at: None,
            })
            .collect();
        let names: BTreeMap<u64, String> = (0..500).map(|u| (u, "N".repeat(80))).collect();
        let (embed, rows) = signup(&e, &regs, &names);
        let msg = serde_json::to_value(out::message().embed(embed).components(rows)).unwrap();
        assert!(violations(&msg).is_empty(), "{:?}", violations(&msg));
        let panel = serde_json::to_value(
            out::message()
                .content(panel_text(&e, Some("note")))
                .components(panel_buttons(12, EventStatus::Running { round: 0 })),
        )
        .unwrap();
        assert!(violations(&panel).is_empty());
        for text in [lead_announcement(&e), start_announcement(&e, Some(600_000))] {
            assert!(text.chars().count() <= CONTENT);
            assert!(text.starts_with("<@&9>"), "the role is pinged: {text}");
        }
    }

    #[test]
    fn the_rulings_panel_fits_and_toggles() {
        let lines: Vec<RulingLine> = (0..5)
            .map(|u| RulingLine {
                user: u,
                name: Some("N".repeat(200)),
                answer: "a".repeat(300),
                closeness: 0.8,
                accepted: (u == 2).then_some((7, 1_000)),
            })
            .collect();
        let (embed, rows) = rulings_panel(1, 2, 0, 3, &"p".repeat(5000), &"c".repeat(500), &lines);
        let msg = serde_json::to_value(out::message().embed(embed).components(rows)).unwrap();
        assert!(violations(&msg).is_empty(), "{:?}", violations(&msg));
        let ids: Vec<&str> = msg["components"][0]["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["custom_id"].as_str().unwrap())
            .collect();
        assert_eq!(ids[2], "ev:u:1:2:3:2");
        assert_eq!(ids[0], "ev:a:1:2:3:0");
    }
}
