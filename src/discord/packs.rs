//! Server packs: `/pack upload|list|download|remove` (moderators), and the lookups that let
//! games, events and `/fact` in a server use the packs uploaded there, and never elsewhere.
//!
//! An upload is checked exactly like `trivia-bot check` ([`crate::events::check_upload`]) and
//! stored only when the whole file is valid, so a broken upload changes nothing. Loaded packs
//! are cached per server (with their lookup index) and dropped from the cache when this process
//! changes them; a server's commands all reach the one process that runs its shard.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Deref;
use std::sync::{Arc, Mutex};

use poise::serenity_prelude::{self as serenity, CreateAttachment, CreateEmbed};
use tracing::{info, warn};

use super::commands::{guild_of, require_moderator, whisper};
use super::render::info::{INFO_COLOUR, escape};
use super::render::{clip, limits, out};
use super::{Bot, Context, Error};
use crate::events::{MAX_PACK_BYTES, check_upload};
use crate::facts::{Diagnostic, EpisodeCode, FactPack};
use crate::lookup::{Card, Hit, Index};
use crate::store::{MAX_SERVER_PACKS, SavePack, StoreError};

/// A server pack as loaded from the database: its lookup index (which holds the pack).
pub struct ServerPack {
    pub index: Index,
    pub version: i64,
    /// Its question pools (dropped with it when the pack changes).
    pub pools: super::catalog::Pools,
}

impl ServerPack {
    pub fn pack(&self) -> &FactPack {
        self.index.pack()
    }
}

/// The loaded packs of each server this process has served, by guild.
#[derive(Default)]
pub struct ServerPacks {
    loaded: Mutex<HashMap<u64, Arc<Vec<Arc<ServerPack>>>>>,
}

impl ServerPacks {
    fn cached(&self, guild: u64) -> Option<Arc<Vec<Arc<ServerPack>>>> {
        self.lock().get(&guild).cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<Vec<Arc<ServerPack>>>>> {
        self.loaded.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Forgets a server's packs (after an upload or removal).
    pub fn invalidate(&self, guild: u64) {
        self.lock().remove(&guild);
    }
}

/// The packs uploaded to `guild`, loaded (cached after the first call).
pub async fn server_packs(bot: &Bot, guild: u64) -> Result<Arc<Vec<Arc<ServerPack>>>, StoreError> {
    if let Some(packs) = bot.packs.cached(guild) {
        return Ok(packs);
    }
    let mut loaded = Vec::new();
    for info in bot.store.server_packs(guild).await? {
        let Some(stored) = bot.store.server_pack(guild, &info.id).await? else {
            continue; // removed meanwhile
        };
        match crate::facts::load_str(&stored.source, &format!("{}.toml", info.id)) {
            Ok(pack) => loaded.push(Arc::new(ServerPack {
                index: Index::new(&pack),
                version: info.version,
                pools: Default::default(),
            })),
            // A pack stored by an older, more lenient bot: say so in the log, serve the rest.
            Err(diagnostics) => warn!(
                guild,
                pack = %info.id,
                errors = diagnostics.len(),
                "a stored server pack no longer loads; re-upload it"
            ),
        }
    }
    let loaded = Arc::new(loaded);
    bot.packs.lock().insert(guild, loaded.clone());
    Ok(loaded)
}

/// A pack a game can be dealt from: built in, or one of the server's.
pub enum PackRef<'a> {
    Builtin(&'a FactPack),
    Server(Arc<ServerPack>),
}

impl Deref for PackRef<'_> {
    type Target = FactPack;

    fn deref(&self) -> &FactPack {
        match self {
            PackRef::Builtin(pack) => pack,
            PackRef::Server(server) => server.pack(),
        }
    }
}

/// The pack named `id` for a game in `guild`: a built-in pack, else one of the server's packs.
/// With no id, the default built-in pack.
pub async fn resolve<'a>(
    bot: &'a Bot,
    guild: u64,
    id: Option<&str>,
) -> Result<Option<PackRef<'a>>, StoreError> {
    if let Some(pack) = bot.catalog.pack(id) {
        return Ok(Some(PackRef::Builtin(pack)));
    }
    let Some(id) = id.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let packs = server_packs(bot, guild).await?;
    Ok(packs
        .iter()
        .find(|p| p.pack().id() == id)
        .cloned()
        .map(PackRef::Server))
}

/// "known packs: a, b (built in); c (this server)" for messages about an unknown pack.
pub async fn known(bot: &Bot, guild: u64) -> String {
    let mine: Vec<String> = match server_packs(bot, guild).await {
        Ok(packs) => packs.iter().map(|p| p.pack().id().to_owned()).collect(),
        Err(_) => Vec::new(),
    };
    let builtin = bot.catalog.known();
    if mine.is_empty() {
        builtin
    } else {
        format!("{builtin}; this server's packs: {}", mine.join(", "))
    }
}

/// Autocomplete choices for a pack option: built-in packs, then the server's, matching `partial`.
pub async fn pack_choices(
    bot: &Bot,
    guild: Option<u64>,
    partial: &str,
) -> Vec<serenity::AutocompleteChoice> {
    let partial = crate::text::fold(partial);
    let matches = |p: &FactPack| {
        crate::text::fold(p.id()).contains(&partial)
            || crate::text::fold(p.title()).contains(&partial)
    };
    let choice = |p: &FactPack, whose: &str| {
        let name = clip(
            &format!("{} ({}){whose}", p.title(), p.id()),
            limits::CHOICE_NAME,
        );
        serenity::AutocompleteChoice::new(name, p.id().to_owned())
    };
    let mut choices: Vec<serenity::AutocompleteChoice> = bot
        .catalog
        .packs
        .packs
        .iter()
        .filter(|p| matches(p))
        .map(|p| choice(p, ""))
        .collect();
    if let Some(guild) = guild
        && let Ok(packs) = server_packs(bot, guild).await
    {
        choices.extend(
            packs
                .iter()
                .filter(|p| matches(p.pack()))
                .map(|p| choice(p.pack(), " · this server")),
        );
    }
    choices.truncate(limits::AUTOCOMPLETE_CHOICES);
    choices
}

/// `/fact` over the server's own packs: the best `limit` hits, each with its pack id.
pub async fn fact_hits(
    bot: &Bot,
    guild: u64,
    query: &str,
    limit: usize,
    spoilers: Option<EpisodeCode>,
) -> Vec<(String, Hit)> {
    let Ok(packs) = server_packs(bot, guild).await else {
        return Vec::new();
    };
    let mut hits: Vec<(String, Hit)> = packs
        .iter()
        .flat_map(|p| {
            let id = p.pack().id().to_owned();
            p.index
                .search(query, limit, spoilers)
                .into_iter()
                .map(move |h| (id.clone(), h))
        })
        .collect();
    hits.sort_by(|a, b| b.1.score.total_cmp(&a.1.score));
    hits.truncate(limit);
    hits
}

/// A card from one of the server's packs, with the pack's title.
pub async fn fact_card(
    bot: &Bot,
    guild: u64,
    pack: &str,
    key: &str,
    spoilers: Option<EpisodeCode>,
) -> Option<(String, Card)> {
    let packs = server_packs(bot, guild).await.ok()?;
    let found = packs.iter().find(|p| p.pack().id() == pack)?;
    let card = found.index.card_within(key, spoilers)?;
    Some((found.pack().title().to_owned(), card))
}

/// Server packs you can use in games, events and /fact here (moderators)
#[poise::command(
    slash_command,
    guild_only,
    default_member_permissions = "MANAGE_GUILD",
    subcommands("upload", "list", "download", "remove"),
    subcommand_required
)]
pub async fn pack(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

async fn autocomplete_server_pack(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let mut choices = Vec::new();
    if let Some(guild) = ctx.guild_id()
        && let Ok(packs) = server_packs(ctx.data(), guild.get()).await
    {
        let partial = crate::text::fold(partial);
        choices = packs
            .iter()
            .map(|p| p.pack())
            .filter(|p| {
                crate::text::fold(p.id()).contains(&partial)
                    || crate::text::fold(p.title()).contains(&partial)
            })
            .take(limits::AUTOCOMPLETE_CHOICES)
            .map(|p| {
                let name = clip(&format!("{} ({})", p.title(), p.id()), limits::CHOICE_NAME);
                serenity::AutocompleteChoice::new(name, p.id().to_owned())
            })
            .collect();
    }
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

/// The reply to a refused upload: `trivia-bot check`'s report, cut to fit one embed.
pub fn diagnostics_report(filename: &str, diagnostics: &[Diagnostic]) -> CreateEmbed {
    let n = diagnostics.len();
    let head = format!(
        "✗ {}: {n} error{} — nothing was changed; fix the file and upload it again.",
        escape(filename),
        if n == 1 { "" } else { "s" }
    );
    // Inside a code block nothing needs escaping but the fence itself.
    let mut body = String::new();
    let room = limits::EMBED_DESCRIPTION - head.chars().count() - 40;
    for (i, d) in diagnostics.iter().enumerate() {
        let line = format!("{d}\n").replace("```", "'''");
        if body.chars().count() + line.chars().count() > room {
            let _ = write!(body, "… and {} more", n - i);
            break;
        }
        body.push_str(&line);
    }
    CreateEmbed::new()
        .title("Pack refused")
        .description(format!("{head}\n```\n{}\n```", body.trim_end()))
        .colour(0xef4444)
}

/// Upload a pack file (TOML, like questions/*.toml) for this server
#[poise::command(slash_command, guild_only)]
pub async fn upload(
    ctx: Context<'_>,
    #[description = "The pack file (.toml, at most 256 KiB)"] file: serenity::Attachment,
) -> Result<(), Error> {
    if require_moderator(ctx).await?.is_none() {
        return Ok(());
    }
    let guild = guild_of(ctx)?;
    let bot = ctx.data();
    // Downloading and checking may take longer than Discord's 3 s.
    ctx.defer_ephemeral().await?;
    let size = usize::try_from(file.size).unwrap_or(usize::MAX);
    let bytes = if size > MAX_PACK_BYTES {
        // Refused without downloading; check_upload words the limit.
        vec![0; MAX_PACK_BYTES + 1]
    } else {
        match file.download().await {
            Ok(bytes) => bytes,
            Err(e) => {
                return whisper(
                    ctx,
                    format!("The file could not be downloaded from Discord ({e}); try again."),
                )
                .await;
            }
        }
    };
    let reserved = bot.catalog.packs.ids();
    let valid = match check_upload(&bytes, &file.filename, &reserved) {
        Ok(valid) => valid,
        Err(diagnostics) => {
            info!(guild, file = %file.filename, errors = diagnostics.len(), "pack upload refused");
            let embed = diagnostics_report(&file.filename, &diagnostics);
            ctx.send(out::reply().embed(embed).ephemeral(true)).await?;
            return Ok(());
        }
    };
    let by = ctx.author().id.get();
    let saved = bot
        .store
        .save_server_pack(guild, &valid, by, super::now_ms())
        .await?;
    bot.packs.invalidate(guild);
    let text = match saved {
        SavePack::TooMany { limit } => format!(
            "This server already keeps {limit} packs, the most it can: remove one with \
             `/pack remove` first. Nothing was changed."
        ),
        SavePack::Saved { version, replaced } => {
            info!(guild, pack = valid.id(), version, "server pack saved");
            let mut text = format!(
                "✓ `{}`: **{}** — {}.\n",
                valid.id(),
                escape(valid.title()),
                valid.pack().stats()
            );
            if replaced {
                let _ = writeln!(text, "Version {version}: it replaces the previous upload.");
            }
            let _ = write!(
                text,
                "Use it in this server now: `/trivia start pack:{id}`, event rounds \
                 (`pack:{id}`) and `/fact`.",
                id = valid.id()
            );
            text
        }
    };
    whisper(ctx, text).await
}

/// List this server's packs (and the built-in ones)
#[poise::command(slash_command, guild_only)]
pub async fn list(ctx: Context<'_>) -> Result<(), Error> {
    if require_moderator(ctx).await?.is_none() {
        return Ok(());
    }
    let guild = guild_of(ctx)?;
    let bot = ctx.data();
    let infos = bot.store.server_packs(guild).await?;
    let mut text = String::new();
    if infos.is_empty() {
        text.push_str("This server has no packs of its own yet: add one with `/pack upload`.\n");
    }
    for p in &infos {
        let _ = writeln!(
            text,
            "`{}` — **{}**, version {}, {} KiB, by <@{}> {}",
            p.id,
            escape(&p.title),
            p.version,
            (p.size_bytes + 1023) / 1024,
            p.uploaded_by,
            super::render::info::relative_time(p.uploaded_at)
        );
    }
    let builtin = bot.catalog.packs.ids().join(", ");
    let _ = write!(
        text,
        "\nBuilt in: {}\nAt most {MAX_SERVER_PACKS} packs a server.",
        if builtin.is_empty() { "none" } else { &builtin }
    );
    let embed = CreateEmbed::new()
        .title("This server's packs")
        .description(clip(&text, limits::EMBED_DESCRIPTION))
        .colour(INFO_COLOUR);
    ctx.send(out::reply().embed(embed).ephemeral(true)).await?;
    Ok(())
}

/// Get one of this server's pack files back
#[poise::command(slash_command, guild_only)]
pub async fn download(
    ctx: Context<'_>,
    #[description = "The pack's id"]
    #[autocomplete = "autocomplete_server_pack"]
    #[max_length = 64]
    pack: String,
) -> Result<(), Error> {
    if require_moderator(ctx).await?.is_none() {
        return Ok(());
    }
    let guild = guild_of(ctx)?;
    let Some(stored) = ctx.data().store.server_pack(guild, pack.trim()).await? else {
        return whisper(
            ctx,
            "This server has no pack by that id (see `/pack list`).",
        )
        .await;
    };
    let file = CreateAttachment::bytes(
        stored.source.into_bytes(),
        format!("{}.toml", stored.info.id),
    );
    let text = format!(
        "`{}`, version {} — edit it and `/pack upload` it again to replace it.",
        stored.info.id, stored.info.version
    );
    ctx.send(out::reply().content(text).attachment(file).ephemeral(true))
        .await?;
    Ok(())
}

/// Remove one of this server's packs
#[poise::command(slash_command, guild_only)]
pub async fn remove(
    ctx: Context<'_>,
    #[description = "The pack's id"]
    #[autocomplete = "autocomplete_server_pack"]
    #[max_length = 64]
    pack: String,
) -> Result<(), Error> {
    if require_moderator(ctx).await?.is_none() {
        return Ok(());
    }
    let guild = guild_of(ctx)?;
    let bot = ctx.data();
    let removed = bot.store.remove_server_pack(guild, pack.trim()).await?;
    bot.packs.invalidate(guild);
    let text = if removed {
        format!(
            "Removed `{}`. Games already running keep their questions; events that use it \
             need another pack before their round starts.",
            pack.trim()
        )
    } else {
        "This server has no pack by that id (see `/pack list`).".to_owned()
    };
    whisper(ctx, text).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::ErrorKind;

    #[test]
    fn a_long_report_fits_one_embed() {
        let d = Diagnostic {
            file: "show.toml".into(),
            line: 3,
            column: 1,
            kind: ErrorKind::UnknownKey,
            message: "unknown key `titel` ```".into(),
            help: Some("did you mean `title`?".into()),
        };
        let many = vec![d; 400];
        let embed = diagnostics_report("show.toml", &many);
        let json = serde_json::to_value(out::message().embed(embed)).unwrap();
        assert!(limits::violations(&json).is_empty());
        let text = json["embeds"][0]["description"].as_str().unwrap();
        assert!(
            text.contains("400 errors") && text.contains("more"),
            "{text}"
        );
        assert_eq!(text.matches("```").count(), 2, "the fence is not broken");
    }
}
