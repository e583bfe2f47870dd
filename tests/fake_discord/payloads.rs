//! Discord objects as JSON, complete enough for serenity 0.12.5 to deserialize: serenity drops
//! a gateway event it cannot parse with only a log line, so every required field is here.

use serde_json::{Value, json};

use super::config::{FakeChannel, FakeMember, FakeRole, FakeUser};
use super::world::{GuildIndex, World, snowflake_timestamp};

pub fn user(user: &FakeUser) -> Value {
    json!({
        "id": user.id.to_string(),
        "username": user.name,
        "discriminator": "0",
        "global_name": if user.bot { Value::Null } else { json!(user.name) },
        "avatar": null,
        "bot": user.bot,
        "system": false,
        "banner": null,
        "accent_color": null,
        "public_flags": 0,
        "flags": 0,
        "avatar_decoration_data": null,
    })
}

/// `GET /users/@me` and READY's user: a user plus the account fields.
pub fn current_user(bot: &FakeUser) -> Value {
    let mut value = user(bot);
    let map = value.as_object_mut().expect("user() builds an object");
    map.insert("verified".into(), json!(true));
    map.insert("mfa_enabled".into(), json!(false));
    map.insert("email".into(), Value::Null);
    map.insert("locale".into(), json!("en-US"));
    map.insert("premium_type".into(), json!(0));
    value
}

pub fn role(role: &FakeRole, position: usize, managed: bool) -> Value {
    json!({
        "id": role.id.to_string(),
        "name": role.name,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
        "hoist": false,
        "icon": null,
        "unicode_emoji": null,
        "position": position,
        "permissions": role.permissions.to_string(),
        "managed": managed,
        "mentionable": false,
        "flags": 0,
        "tags": {},
    })
}

pub fn roles(guild: &GuildIndex) -> Vec<Value> {
    guild
        .role_order
        .iter()
        .enumerate()
        .filter_map(|(position, id)| {
            guild
                .roles
                .get(id)
                .map(|r| role(r, position, *id == guild.bot_role_id))
        })
        .collect()
}

/// A member as the guild routes return it. Interactions add `permissions` (see `with_perms`).
pub fn member(guild: &GuildIndex, member: &FakeMember) -> Value {
    json!({
        "user": user(&member.user),
        "nick": member.nick,
        "avatar": null,
        "banner": null,
        "roles": member.roles.iter().map(u64::to_string).collect::<Vec<_>>(),
        "joined_at": snowflake_timestamp(guild.guild.id),
        "premium_since": null,
        "deaf": false,
        "mute": false,
        "flags": 0,
        "pending": false,
        "communication_disabled_until": null,
    })
}

/// The member object inside an interaction carries the invoker's computed permissions.
pub fn member_with_permissions(guild: &GuildIndex, m: &FakeMember) -> Value {
    let mut value = member(guild, m);
    value["permissions"] = json!(guild.permissions(m).to_string());
    value
}

pub fn channel(guild_id: u64, channel: &FakeChannel, position: usize) -> Value {
    json!({
        "id": channel.id.to_string(),
        "type": 0,
        "guild_id": guild_id.to_string(),
        "name": channel.name,
        "position": position,
        "permission_overwrites": [],
        "topic": null,
        "nsfw": false,
        "last_message_id": null,
        "rate_limit_per_user": 0,
        "parent_id": null,
        "flags": 0,
    })
}

pub fn channels(guild: &GuildIndex) -> Vec<Value> {
    guild
        .guild
        .channels
        .iter()
        .enumerate()
        .map(|(i, c)| channel(guild.guild.id, c, i))
        .collect()
}

/// The guild object shared by `GET /guilds/{id}` and GUILD_CREATE.
pub fn guild(guild: &GuildIndex) -> Value {
    let id = guild.guild.id.to_string();
    json!({
        "id": id,
        "name": guild.guild.name,
        "icon": null,
        "icon_hash": null,
        "splash": null,
        "discovery_splash": null,
        "owner_id": guild.owner_id.to_string(),
        "afk_channel_id": null,
        "afk_timeout": 300,
        "widget_enabled": false,
        "widget_channel_id": null,
        "verification_level": 1,
        "default_message_notifications": 1,
        "explicit_content_filter": 2,
        "roles": roles(guild),
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": guild.guild.channels.first().map(|c| c.id.to_string()),
        "system_channel_flags": 0,
        "rules_channel_id": null,
        "max_presences": null,
        "max_members": 500_000,
        "vanity_url_code": null,
        "description": null,
        "banner": null,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": null,
        "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50,
        "nsfw_level": 0,
        "stickers": [],
        "premium_progress_bar_enabled": false,
        "safety_alerts_channel_id": null,
        "incidents_data": null,
    })
}

/// GUILD_CREATE: the guild plus the gateway-only fields. Without the GUILD_MEMBERS intent
/// Discord sends only the bot's own member, and so does the fake.
pub fn guild_create(world: &World, guild: &GuildIndex, with_all_members: bool) -> Value {
    let mut value = self::guild(guild);
    let members: Vec<Value> = guild
        .guild
        .members
        .iter()
        .filter(|m| with_all_members || m.user.id == world.bot().id)
        .map(|m| member(guild, m))
        .collect();
    let map = value.as_object_mut().expect("guild() builds an object");
    map.insert(
        "joined_at".into(),
        json!(snowflake_timestamp(guild.guild.id)),
    );
    map.insert("large".into(), json!(false));
    map.insert("unavailable".into(), json!(false));
    map.insert("member_count".into(), json!(guild.guild.members.len()));
    map.insert("voice_states".into(), json!([]));
    map.insert("members".into(), Value::Array(members));
    map.insert("channels".into(), Value::Array(channels(guild)));
    map.insert("threads".into(), json!([]));
    map.insert("presences".into(), json!([]));
    map.insert("stage_instances".into(), json!([]));
    map.insert("guild_scheduled_events".into(), json!([]));
    map.insert("soundboard_sounds".into(), json!([]));
    value
}

pub fn ready(world: &World, session_id: &str, shard: [u32; 2], guild_ids: &[u64]) -> Value {
    json!({
        "v": 10,
        "user": current_user(world.bot()),
        "guilds": guild_ids
            .iter()
            .map(|id| json!({"id": id.to_string(), "unavailable": true}))
            .collect::<Vec<_>>(),
        "session_id": session_id,
        "resume_gateway_url": world.gateway_url,
        "shard": shard,
        "application": {"id": world.app_id().to_string(), "flags": world.config.application_flags},
        "private_channels": [],
        "presences": [],
        "relationships": [],
        "user_settings": {},
    })
}

pub fn application(world: &World) -> Value {
    json!({
        "id": world.app_id().to_string(),
        "name": world.bot().name,
        "icon": null,
        "description": "",
        "rpc_origins": [],
        "bot_public": true,
        "bot_require_code_grant": false,
        "owner": user(&FakeUser::new(1, "owner")),
        "verify_key": "0".repeat(64),
        "team": null,
        "flags": world.config.application_flags,
        "tags": [],
        "integration_types_config": {"0": {}},
        "approximate_guild_count": world.guilds.len(),
        "redirect_uris": [],
        "interactions_endpoint_url": null,
        "role_connections_verification_url": null,
        "bot": user(world.bot()),
    })
}

pub fn gateway_bot(world: &World) -> Value {
    json!({
        "url": world.gateway_url,
        "shards": world.config.shard_count,
        "session_start_limit": {
            "total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1
        },
    })
}

/// Discord's JSON error body.
pub fn error(code: u32, message: &str) -> Value {
    json!({"code": code, "message": message})
}

/// The partial channel inside an interaction.
pub fn interaction_channel(guild: &GuildIndex, channel_id: u64, permissions: u64) -> Value {
    let name = guild
        .guild
        .channels
        .iter()
        .find(|c| c.id == channel_id)
        .map(|c| c.name.clone());
    json!({
        "id": channel_id.to_string(),
        "type": 0,
        "name": name,
        "guild_id": guild.guild.id.to_string(),
        "permissions": permissions.to_string(),
        "nsfw": false,
        "flags": 0,
    })
}

/// Which kind of interaction (Discord's `type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InteractionKind {
    Ping = 1,
    Command = 2,
    Component = 3,
    Autocomplete = 4,
    ModalSubmit = 5,
}

/// Everything an INTERACTION_CREATE carries.
pub struct InteractionParts<'a> {
    pub id: u64,
    pub token: &'a str,
    pub kind: InteractionKind,
    pub guild: &'a GuildIndex,
    pub channel_id: u64,
    pub user: &'a FakeUser,
    pub data: Value,
    pub message: Option<Value>,
}

pub fn interaction(world: &World, parts: InteractionParts<'_>) -> Value {
    let guild = parts.guild;
    let member = guild.member(parts.user);
    let app_permissions = world.bot_permissions(guild.guild.id);
    let mut value = json!({
        "id": parts.id.to_string(),
        "application_id": world.app_id().to_string(),
        "type": parts.kind as u8,
        "data": parts.data,
        "guild_id": guild.guild.id.to_string(),
        "guild": {"id": guild.guild.id.to_string(), "locale": "en-US", "features": []},
        "channel": interaction_channel(guild, parts.channel_id, guild.permissions(&member)),
        "channel_id": parts.channel_id.to_string(),
        "member": member_with_permissions(guild, &member),
        "token": parts.token,
        "version": 1,
        "app_permissions": app_permissions.to_string(),
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": guild.guild.id.to_string()},
        "context": 0,
        "attachment_size_limit": 10_485_760,
    });
    if let Some(message) = parts.message {
        value["message"] = message;
    }
    value
}

/// The fields a new message starts with; callers fill content, embeds and the rest.
pub struct MessageParts<'a> {
    pub id: u64,
    pub channel_id: u64,
    pub guild_id: Option<u64>,
    pub author: &'a FakeUser,
    /// Message type: 0 default, 19 reply, 20 slash-command response.
    pub kind: u8,
    /// Set for interaction responses and follow-ups (the application's webhook).
    pub webhook_id: Option<u64>,
}

pub fn message(parts: MessageParts<'_>) -> Value {
    json!({
        "id": parts.id.to_string(),
        "channel_id": parts.channel_id.to_string(),
        "guild_id": parts.guild_id.map(|g| g.to_string()),
        "author": user(parts.author),
        "content": "",
        "timestamp": snowflake_timestamp(parts.id),
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "mention_channels": [],
        "attachments": [],
        "embeds": [],
        "components": [],
        "reactions": [],
        "pinned": false,
        "type": parts.kind,
        "flags": 0,
        "webhook_id": parts.webhook_id.map(|w| w.to_string()),
        "application_id": parts.webhook_id.map(|w| w.to_string()),
    })
}
