//! What the fake Discord knows before it starts: the bot, its guilds, their channels, roles
//! and members, and how strict or chatty the fake should be.

use std::time::Duration;

/// Discord permission bits the tests talk about (see Discord's "Permissions" page).
pub mod perms {
    pub const ADD_REACTIONS: u64 = 1 << 6;
    pub const ADMINISTRATOR: u64 = 1 << 3;
    pub const MANAGE_GUILD: u64 = 1 << 5;
    pub const VIEW_CHANNEL: u64 = 1 << 10;
    pub const SEND_MESSAGES: u64 = 1 << 11;
    pub const MANAGE_MESSAGES: u64 = 1 << 13;
    pub const EMBED_LINKS: u64 = 1 << 14;
    pub const ATTACH_FILES: u64 = 1 << 15;
    pub const READ_MESSAGE_HISTORY: u64 = 1 << 16;
    pub const MENTION_EVERYONE: u64 = 1 << 17;
    pub const USE_EXTERNAL_EMOJIS: u64 = 1 << 18;
    pub const USE_APPLICATION_COMMANDS: u64 = 1 << 31;
    pub const MANAGE_EVENTS: u64 = 1 << 33;
    pub const SEND_MESSAGES_IN_THREADS: u64 = 1 << 38;
    pub const CREATE_EVENTS: u64 = 1 << 44;
    /// Every permission bit Discord defines today (what ADMINISTRATOR grants).
    pub const ALL: u64 = (1 << 51) - 1;

    /// What `@everyone` may do in a freshly made server.
    pub const EVERYONE_DEFAULT: u64 = VIEW_CHANNEL
        | SEND_MESSAGES
        | SEND_MESSAGES_IN_THREADS
        | READ_MESSAGE_HISTORY
        | ADD_REACTIONS
        | EMBED_LINKS
        | ATTACH_FILES
        | USE_EXTERNAL_EMOJIS
        | USE_APPLICATION_COMMANDS;

    /// What a trivia bot is invited with.
    pub const BOT_DEFAULT: u64 = EVERYONE_DEFAULT | MANAGE_EVENTS | CREATE_EVENTS;
}

/// A Discord user (a person, or a bot when `bot` is true).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FakeUser {
    pub id: u64,
    pub name: String,
    pub bot: bool,
}

impl FakeUser {
    pub fn new(id: u64, name: impl Into<String>) -> Self {
        Self {
            id,
            name: name.into(),
            bot: false,
        }
    }

    pub fn bot(id: u64, name: impl Into<String>) -> Self {
        Self {
            id,
            name: name.into(),
            bot: true,
        }
    }
}

/// A text channel of a guild.
#[derive(Clone, Debug)]
pub struct FakeChannel {
    pub id: u64,
    pub name: String,
}

/// A guild role. The `@everyone` role has the guild's id; one is added if missing.
#[derive(Clone, Debug)]
pub struct FakeRole {
    pub id: u64,
    pub name: String,
    pub permissions: u64,
}

/// A user's membership in a guild.
#[derive(Clone, Debug)]
pub struct FakeMember {
    pub user: FakeUser,
    pub roles: Vec<u64>,
    pub nick: Option<String>,
}

/// A guild with its channels, roles and members. Build with [`FakeGuild::new`] and the
/// chained helpers; the bot is always a member (added at start).
#[derive(Clone, Debug)]
pub struct FakeGuild {
    pub id: u64,
    pub name: String,
    /// The owner has every permission. Unless set, the owner is a user outside the member
    /// list, so no configured member gets the owner's powers by accident.
    pub owner_id: Option<u64>,
    pub channels: Vec<FakeChannel>,
    pub roles: Vec<FakeRole>,
    pub members: Vec<FakeMember>,
}

impl FakeGuild {
    pub fn new(id: u64, name: impl Into<String>) -> Self {
        Self {
            id,
            name: name.into(),
            owner_id: None,
            channels: Vec::new(),
            roles: Vec::new(),
            members: Vec::new(),
        }
    }

    pub fn channel(mut self, id: u64, name: impl Into<String>) -> Self {
        self.channels.push(FakeChannel {
            id,
            name: name.into(),
        });
        self
    }

    pub fn role(mut self, id: u64, name: impl Into<String>, permissions: u64) -> Self {
        self.roles.push(FakeRole {
            id,
            name: name.into(),
            permissions,
        });
        self
    }

    pub fn member(mut self, user: &FakeUser, roles: &[u64]) -> Self {
        self.members.push(FakeMember {
            user: user.clone(),
            roles: roles.to_vec(),
            nick: None,
        });
        self
    }

    pub fn owner(mut self, user_id: u64) -> Self {
        self.owner_id = Some(user_id);
        self
    }
}

/// Application flags (Discord's "Application flags") the fake looks at: which privileged
/// gateway intents the developer portal has enabled for the bot.
pub mod app_flags {
    pub const GATEWAY_PRESENCE: u64 = 1 << 12;
    pub const GATEWAY_PRESENCE_LIMITED: u64 = 1 << 13;
    pub const GATEWAY_GUILD_MEMBERS: u64 = 1 << 14;
    pub const GATEWAY_GUILD_MEMBERS_LIMITED: u64 = 1 << 15;
    pub const GATEWAY_MESSAGE_CONTENT: u64 = 1 << 18;
    pub const GATEWAY_MESSAGE_CONTENT_LIMITED: u64 = 1 << 19;
    /// An unverified bot with every privileged intent switched on in the portal.
    pub const ALL_INTENTS_LIMITED: u64 =
        GATEWAY_PRESENCE_LIMITED | GATEWAY_GUILD_MEMBERS_LIMITED | GATEWAY_MESSAGE_CONTENT_LIMITED;
}

/// How the fake behaves. `FakeConfig::default()` is one shard, no guilds, a bot called
/// "TriviaBot" and Discord's real heartbeat interval.
#[derive(Clone, Debug)]
pub struct FakeConfig {
    pub shard_count: u32,
    pub guilds: Vec<FakeGuild>,
    /// The bot's own user; its id is also the application id, as for every modern bot.
    pub bot: FakeUser,
    /// The token the bot must send (`Authorization: Bot <token>`, and in IDENTIFY).
    pub token: String,
    /// The heartbeat interval announced in HELLO.
    pub heartbeat_interval: Duration,
    /// Permissions of the bot's managed role in every guild.
    pub bot_permissions: u64,
    /// Roles a test explicitly lets the bot ping (`allowed_mentions.roles` may name them).
    pub allowed_role_mentions: Vec<u64>,
    /// Send the bot a MESSAGE_CREATE for its own non-ephemeral messages, as Discord does.
    pub echo_bot_messages: bool,
    /// Deserialize every gateway payload with serenity's own types before sending it and
    /// report the fake's own mistakes as violations (serenity would drop such an event).
    pub validate_payloads: bool,
    /// Dispatches kept per session for RESUME replay.
    pub replay_capacity: usize,
    /// Deadline for the first response to an interaction (Discord: 3 s).
    pub initial_response_deadline: Duration,
    /// How long an interaction token accepts follow-ups (Discord: 15 min).
    pub token_lifetime: Duration,
    /// The application's flags, as `GET /applications/@me` and READY report them. IDENTIFY
    /// with a privileged intent these do not enable is closed with 4014, as Discord does.
    /// Default: every privileged intent enabled ([`app_flags::ALL_INTENTS_LIMITED`]).
    pub application_flags: u64,
}

impl Default for FakeConfig {
    fn default() -> Self {
        Self {
            shard_count: 1,
            guilds: Vec::new(),
            bot: FakeUser::bot(1_000_000_000_000_000_001, "TriviaBot"),
            token: "fake-bot-token".to_owned(),
            heartbeat_interval: Duration::from_millis(41_250),
            bot_permissions: perms::BOT_DEFAULT,
            allowed_role_mentions: Vec::new(),
            echo_bot_messages: true,
            validate_payloads: true,
            replay_capacity: 4096,
            initial_response_deadline: Duration::from_secs(3),
            token_lifetime: Duration::from_secs(15 * 60),
            application_flags: app_flags::ALL_INTENTS_LIMITED,
        }
    }
}
