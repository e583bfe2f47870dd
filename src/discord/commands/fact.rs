//! `/fact`: look a fact up, with autocomplete over every pack, within the server's spoiler
//! limit.

use poise::serenity_prelude as serenity;

use super::{caller_settings, spoiler_limit, whisper};
use crate::discord::render::{clip, info, limits, out};
use crate::discord::{Bot, Context, Error};
use crate::facts::EpisodeCode;

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
    bot.catalog
        .search(None, partial, limits::AUTOCOMPLETE_CHOICES, spoilers)
        .into_iter()
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
    serenity::CreateAutocompleteResponse::new().set_choices(suggestions(
        ctx.data(),
        partial,
        spoilers,
    ))
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
    // A chosen suggestion carries its pack and key; typed text falls back to the best match.
    let picked = query.split_once(SEP).and_then(|(pack, key)| {
        Some((
            pack.to_owned(),
            key.to_owned(),
            bot.catalog.card(pack, key, spoilers)?,
        ))
    });
    let found = picked.or_else(|| {
        let (pack, hit) = bot
            .catalog
            .search(None, &query, 1, spoilers)
            .into_iter()
            .next()?;
        let card = bot.catalog.card(&pack, &hit.key, spoilers)?;
        Some((pack, hit.key, card))
    });
    let Some((pack, _key, card)) = found else {
        let mut text = format!("No fact matches “{}”.", clip(&query, 100));
        if let Some(limit) = spoilers {
            text.push_str(&format!(" (This server hides spoilers after {limit}.)"));
        }
        return whisper(ctx, text).await;
    };
    let title = bot
        .catalog
        .pack(Some(&pack))
        .map_or(pack.clone(), |p| p.title().to_owned());
    let embed = info::card(&card, &title, spoilers);
    ctx.send(
        out::reply()
            .embed(embed)
            .ephemeral(ephemeral.unwrap_or(false)),
    )
    .await?;
    Ok(())
}
