//! Embeds for the informational commands: leaderboards, player stats, packs and fact cards.

use std::fmt::Write as _;

use poise::serenity_prelude::{
    ButtonStyle, CreateActionRow, CreateButton, CreateEmbed, CreateEmbedFooter,
};

use super::clip;
use super::limits::*;
use crate::discord::custom_id::{ComponentId, Period};
use crate::facts::{EpisodeCode, FactPack, PackSet};
use crate::lookup::Card;
use crate::store::{BoardRow, PlayerStats};

/// Rows on one leaderboard page.
pub const BOARD_PAGE: u64 = 10;

/// Embed colour of the bot's informational messages.
pub const INFO_COLOUR: u32 = 0x3b82f6;

pub fn period_name(period: Period) -> &'static str {
    match period {
        Period::AllTime => "all time",
        Period::Week => "this week",
        Period::Month => "this month",
    }
}

/// How a player is named on a board: their last seen display name, else their id.
pub fn player_label(user: u64, name: Option<&str>) -> String {
    match name {
        Some(n) if !n.trim().is_empty() => clip(n, 64),
        _ => format!("player {user}"),
    }
}

/// Pages needed for `len` rows (at least one, for the empty board).
pub fn page_count(len: u64) -> u32 {
    u32::try_from(len.div_ceil(BOARD_PAGE).max(1)).unwrap_or(u32::MAX)
}

/// One leaderboard page: ranks, names and points, "page 2 of 7" in the footer.
pub fn leaderboard(period: Period, page: u32, pages: u32, rows: &[BoardRow]) -> CreateEmbed {
    let mut text = String::new();
    if rows.is_empty() {
        text.push_str("No scores yet. Start a game with `/trivia start`.");
    }
    for row in rows {
        let medal = match row.rank {
            1 => "🥇",
            2 => "🥈",
            3 => "🥉",
            _ => "",
        };
        let _ = writeln!(
            text,
            "**{}.** {medal} {} — **{}** pts ({}/{} right)",
            row.rank,
            escape(&player_label(row.user, row.name.as_deref())),
            row.points,
            row.right,
            row.answered
        );
    }
    CreateEmbed::new()
        .title(format!("Leaderboard — {}", period_name(period)))
        .description(clip(&text, EMBED_DESCRIPTION))
        .colour(INFO_COLOUR)
        .footer(CreateEmbedFooter::new(format!(
            "Page {} of {}",
            page + 1,
            pages.max(1)
        )))
}

/// Previous/next buttons for a leaderboard page (disabled at the ends).
pub fn leaderboard_buttons(period: Period, page: u32, pages: u32) -> Vec<CreateActionRow> {
    if pages <= 1 {
        return Vec::new();
    }
    let prev = CreateButton::new(
        ComponentId::Board {
            period,
            page: page.saturating_sub(1),
        }
        .encode(),
    )
    .label("◀ Previous")
    .style(ButtonStyle::Secondary)
    .disabled(page == 0);
    let next = CreateButton::new(
        ComponentId::Board {
            period,
            page: (page + 1).min(pages - 1),
        }
        .encode(),
    )
    .label("Next ▶")
    .style(ButtonStyle::Secondary)
    .disabled(page + 1 >= pages);
    vec![CreateActionRow::Buttons(vec![prev, next])]
}

/// `/trivia stats`: a player's all-time figures in this server.
pub fn stats(user: u64, stats: Option<&PlayerStats>) -> CreateEmbed {
    let Some(s) = stats else {
        return CreateEmbed::new()
            .title("Stats")
            .description(format!(
                "{} has no scores in this server yet.",
                escape(&player_label(user, None))
            ))
            .colour(INFO_COLOUR);
    };
    let accuracy = if s.answered > 0 {
        format!("{:.0}%", 100.0 * s.right as f64 / s.answered as f64)
    } else {
        "—".to_owned()
    };
    CreateEmbed::new()
        .title(clip(
            &format!("Stats — {}", player_label(s.user, s.name.as_deref())),
            EMBED_TITLE,
        ))
        .colour(INFO_COLOUR)
        .field("Rank", format!("{} of {}", s.rank, s.board_size), true)
        .field("Points", s.points.to_string(), true)
        .field(
            "Right",
            format!("{} of {} ({accuracy})", s.right, s.answered),
            true,
        )
        .field(
            "Games",
            format!("{} played, {} won", s.games_played, s.games_won),
            true,
        )
        .field(
            "Streak",
            format!("{} now, best {}", s.current_streak, s.best_streak),
            true,
        )
        .field("Last played", relative_time(s.last_played_at), true)
}

/// `/trivia packs`: every pack that loaded, and how many did not.
pub fn packs(packs: &PackSet, server: &[&FactPack]) -> CreateEmbed {
    let mut embed = CreateEmbed::new().title("Fact packs").colour(INFO_COLOUR);
    if packs.packs.is_empty() && server.is_empty() {
        embed = embed.description("No packs are loaded, so games cannot start. The bot's operator can check the packs with `trivia-bot check`.");
    }
    let all: Vec<(&FactPack, &str)> = packs
        .packs
        .iter()
        .map(|p| (p, ""))
        .chain(server.iter().map(|p| (*p, " (this server's own)")))
        .collect();
    for (pack, origin) in all.iter().take(EMBED_FIELDS - 1) {
        embed = embed.field(
            clip(&format!("{}{origin}", pack.title()), FIELD_NAME),
            clip(&format!("`{}` — {}", pack.id(), pack.stats()), FIELD_VALUE),
            false,
        );
    }
    if all.len() > EMBED_FIELDS - 1 {
        embed = embed.field(
            "…",
            format!("and {} more", all.len() - (EMBED_FIELDS - 1)),
            false,
        );
    }
    if !packs.broken.is_empty() {
        embed = embed.footer(CreateEmbedFooter::new(format!(
            "{} pack file(s) failed to load; the bot's log lists why.",
            packs.broken.len()
        )));
    }
    embed
}

/// `/fact`: a lookup's card.
pub fn card(card: &Card, pack_title: &str, spoiler_limit: Option<EpisodeCode>) -> CreateEmbed {
    let mut text = String::new();
    for line in &card.lines {
        let _ = writeln!(text, "{line}");
    }
    if text.is_empty() {
        text.push_str("No more facts are known.");
    }
    let mut footer = format!("{pack_title} · {}", card.kind.label());
    if let Some(limit) = spoiler_limit {
        let _ = write!(footer, " · no spoilers after {limit}");
    }
    if let Some(source) = &card.source {
        let _ = write!(footer, " · source: {source}");
    }
    CreateEmbed::new()
        .title(clip(&card.title, EMBED_TITLE))
        .description(clip(&text, EMBED_DESCRIPTION))
        .colour(INFO_COLOUR)
        .footer(CreateEmbedFooter::new(clip(&footer, 1000)))
}

/// A Discord timestamp that every client shows in its own time zone ("3 minutes ago").
pub fn relative_time(unix_ms: i64) -> String {
    format!("<t:{}:R>", unix_ms.div_euclid(1000))
}

/// Escapes Discord markdown in user-derived text so a name cannot restyle a message.
/// (Mentions are already inert: every message has empty `allowed_mentions`.)
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '*' | '_' | '~' | '`' | '|' | '>' | '\\' | '[' | ']' | '#' | '-'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discord::render::limits::violations;
    use crate::discord::render::out;

    fn row(rank: u64, name: &str) -> BoardRow {
        BoardRow {
            rank,
            user: rank,
            name: Some(name.to_owned()),
            points: 10,
            right: 1,
            answered: 2,
        }
    }

    #[test]
    fn leaderboard_pages_fit() {
        let long = "n".repeat(500);
        let rows: Vec<BoardRow> = (1..=10).map(|r| row(r, &long)).collect();
        let msg = out::message()
            .embed(leaderboard(Period::Week, 1, 3, &rows))
            .components(leaderboard_buttons(Period::Week, 1, 3));
        let body = serde_json::to_value(&msg).unwrap();
        assert!(violations(&body).is_empty(), "{:?}", violations(&body));
        assert_eq!(body["embeds"][0]["footer"]["text"], "Page 2 of 3");
        let ids: Vec<_> = body["components"][0]["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["custom_id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(ids, ["t:l:w:0", "t:l:w:2"]);
    }

    #[test]
    fn single_page_has_no_buttons_and_empty_board_says_so() {
        assert!(leaderboard_buttons(Period::AllTime, 0, 1).is_empty());
        let body = serde_json::to_value(leaderboard(Period::AllTime, 0, 1, &[])).unwrap();
        assert!(
            body["description"]
                .as_str()
                .unwrap()
                .contains("No scores yet")
        );
        assert_eq!(page_count(0), 1);
        assert_eq!(page_count(10), 1);
        assert_eq!(page_count(11), 2);
    }

    #[test]
    fn cards_fit() {
        let card = Card {
            key: "k".into(),
            kind: crate::lookup::HitKind::Character,
            title: "t".repeat(100),
            lines: vec!["l".repeat(1000); 10],
            source: Some("s".repeat(3000)),
        };
        let e = card_embed_json(&card);
        assert!(violations(&e).is_empty(), "{:?}", violations(&e));
    }

    fn card_embed_json(c: &Card) -> serde_json::Value {
        serde_json::to_value(out::message().embed(card(c, "Pack", None))).unwrap()
    }

    #[test]
    fn names_cannot_format() {
        assert_eq!(escape("**x**"), "\\*\\*x\\*\\*");
        assert_eq!(player_label(7, Some("  ")), "player 7");
    }
}
