//! `/fact`: look a fact up, with autocomplete over every pack, within the server's spoiler
//! limit.

use poise::serenity_prelude as serenity;

use super::{caller_settings, spoiler_limit, whisper};
use crate::discord::render::{clip, info, limits, out};
use crate::discord::{Bot, Context, Error, packs};
use crate::facts::EpisodeCode;
use crate::lookup::{Card, Hit};

/// Separates the pack id from the hit key in an autocomplete value.
const SEP: char = '|';

/// The server's spoiler limit, from the cache (autocomplete must answer within 3 s).
async fn limit_here(ctx: Context<'_>) -> Option<EpisodeCode> {
    let guild = ctx.guild_id()?.get();
    let settings = caller_settings(ctx.data(), guild).await.ok()?;
    spoiler_limit(&settings)
}

/// Suggestions: at most 25, names ≤ 100 characters, values `pack|key` ≤ 100 characters.
pub fn suggestions(
    bot: &Bot,
    partial: &str,
    spoilers: Option<EpisodeCode>,
) -> Vec<serenity::AutocompleteChoice> {
    choices(
        bot.catalog
            .search(None, partial, limits::AUTOCOMPLETE_CHOICES, spoilers),
    )
}

/// Autocomplete choices for hits, each with its pack's id.
fn choices(hits: Vec<(String, Hit)>) -> Vec<serenity::AutocompleteChoice> {
    hits.into_iter()
        .filter_map(|(pack, hit)| {
            let value = format!("{pack}{SEP}{}", hit.key);
            if value.chars().count() > limits::CHOICE_NAME {
                return None;
            }
            let kind = format!(" · {}", hit.kind.label());
            let room = limits::CHOICE_NAME - kind.chars().count();
            let name = format!("{}{kind}", clip(&hit.title, room));
            Some(serenity::AutocompleteChoice::new(name, value))
        })
        .collect()
}

async fn autocomplete_fact(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let spoilers = limit_here(ctx).await;
    let mut found = suggestions(ctx.data(), partial, spoilers);
    // Then the server's own packs (`/pack upload`), in the room left.
    let room = limits::AUTOCOMPLETE_CHOICES.saturating_sub(found.len());
    if let Some(guild) = ctx.guild_id()
        && room > 0
    {
        let hits = packs::fact_hits(ctx.data(), guild.get(), partial, room, spoilers).await;
        found.extend(choices(hits));
    }
    serenity::CreateAutocompleteResponse::new().set_choices(found)
}

/// Look up a fact: cast, characters, episodes, crew, dates, places, plot
#[poise::command(slash_command, guild_only)]
pub async fn fact(
    ctx: Context<'_>,
    #[description = "What to look up: a name, an episode (S1E4), a place, a ship…"]
    #[autocomplete = "autocomplete_fact"]
    #[max_length = 100]
    query: String,
    #[description = "Only you see the answer"] ephemeral: Option<bool>,
) -> Result<(), Error> {
    let bot = ctx.data();
    let spoilers = limit_here(ctx).await;
    let guild = ctx.guild_id().map(|g| g.get());
    // A chosen suggestion carries its pack and key; typed text falls back to the best match,
    // over the built-in packs and the server's own (`/pack upload`).
    let mut found = match query.split_once(SEP) {
        Some((pack, key)) => card_of(bot, guild, pack, key, spoilers).await,
        None => None,
    };
    if found.is_none() {
        let mut hits = bot.catalog.search(None, &query, 1, spoilers);
        if let Some(guild) = guild {
            hits.extend(packs::fact_hits(bot, guild, &query, 1, spoilers).await);
        }
        hits.sort_by(|a, b| b.1.score.total_cmp(&a.1.score));
        if let Some((pack, hit)) = hits.into_iter().next() {
            found = card_of(bot, guild, &pack, &hit.key, spoilers).await;
        }
    }
    let Some((title, card)) = found else {
        let mut text = format!("No fact matches “{}”.", clip(&query, 100));
        if let Some(limit) = spoilers {
            text.push_str(&format!(" (This server hides spoilers after {limit}.)"));
        }
        return whisper(ctx, text).await;
    };
    let embed = info::card(&card, &title, spoilers);
    ctx.send(
        out::reply()
            .embed(embed)
            .ephemeral(ephemeral.unwrap_or(false)),
    )
    .await?;
    Ok(())
}

/// The card of `key` in `pack` (built in, or one of the server's packs), with the pack's title.
async fn card_of(
    bot: &Bot,
    guild: Option<u64>,
    pack: &str,
    key: &str,
    spoilers: Option<EpisodeCode>,
) -> Option<(String, Card)> {
    if let Some(card) = bot.catalog.card(pack, key, spoilers) {
        let title = bot
            .catalog
            .pack(Some(pack))
            .map_or(pack.to_owned(), |p| p.title().to_owned());
        return Some((title, card));
    }
    packs::fact_card(bot, guild?, pack, key, spoilers).await
}
