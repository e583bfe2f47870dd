//! The fixed part of the fake's world: guilds, channels, roles and members indexed for quick
//! lookup, the bot's permissions, shard routing and snowflake ids.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use super::config::{FakeConfig, FakeGuild, FakeMember, FakeRole, FakeUser, perms};

/// Discord's epoch (2015-01-01) in Unix milliseconds: the timestamp part of a snowflake.
pub const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

/// The shard that receives a guild's events, by Discord's rule.
pub fn shard_for_guild(guild_id: u64, shard_count: u32) -> u32 {
    ((guild_id >> 22) % u64::from(shard_count.max(1))) as u32
}

/// A realistic guild id (snowflake) that Discord routes to `shard` of `shard_count`; `n`
/// makes several distinct ones.
pub fn guild_id_for_shard(shard: u32, shard_count: u32, n: u64) -> u64 {
    let count = u64::from(shard_count.max(1));
    // A 2021-ish timestamp, rounded so that the timestamp modulo count equals the shard.
    let base = (1_600_000_000_000 - DISCORD_EPOCH_MS) / count * count;
    ((base + n * count + u64::from(shard)) << 22) | 1
}

/// Increasing snowflakes: the current time in the top bits, a counter making them unique.
#[derive(Debug, Default)]
pub struct Snowflakes {
    last: AtomicU64,
}

impl Snowflakes {
    pub fn next(&self) -> u64 {
        let candidate = now_unix_ms().saturating_sub(DISCORD_EPOCH_MS) << 22;
        let previous = self
            .last
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |last| {
                Some(candidate.max(last + 1))
            })
            .expect("the update closure always returns Some");
        candidate.max(previous + 1)
    }
}

pub fn now_unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// A snowflake's creation time as an ISO 8601 timestamp (what Discord shows for it).
pub fn snowflake_timestamp(id: u64) -> String {
    let ms = (id >> 22) + DISCORD_EPOCH_MS;
    chrono::DateTime::from_timestamp_millis(ms as i64)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub fn now_timestamp() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// One guild, indexed.
#[derive(Debug)]
pub struct GuildIndex {
    pub guild: FakeGuild,
    pub owner_id: u64,
    pub roles: HashMap<u64, FakeRole>,
    pub members: HashMap<u64, FakeMember>,
    /// Role ids in the order they were configured (Discord lists them by position).
    pub role_order: Vec<u64>,
    /// The bot's managed role.
    pub bot_role_id: u64,
}

impl GuildIndex {
    /// A user's membership; someone not configured is a plain member with no roles.
    pub fn member(&self, user: &FakeUser) -> FakeMember {
        self.members
            .get(&user.id)
            .cloned()
            .unwrap_or_else(|| FakeMember {
                user: user.clone(),
                roles: Vec::new(),
                nick: None,
            })
    }

    /// Guild-wide permissions of a member: `@everyone` plus their roles; the owner and
    /// administrators get everything.
    pub fn permissions(&self, member: &FakeMember) -> u64 {
        if member.user.id == self.owner_id {
            return perms::ALL;
        }
        let everyone = self.roles.get(&self.guild.id).map_or(0, |r| r.permissions);
        let bits = member
            .roles
            .iter()
            .filter_map(|id| self.roles.get(id))
            .fold(everyone, |acc, role| acc | role.permissions);
        if bits & perms::ADMINISTRATOR != 0 {
            perms::ALL
        } else {
            bits
        }
    }
}

/// Everything fixed at start.
#[derive(Debug)]
pub struct World {
    pub config: FakeConfig,
    pub guilds: HashMap<u64, GuildIndex>,
    /// Guild ids in configuration order.
    pub guild_order: Vec<u64>,
    pub channel_guild: HashMap<u64, u64>,
    pub base_url: String,
    pub gateway_url: String,
}

impl World {
    pub fn new(config: FakeConfig, base_url: String, ids: &Snowflakes) -> Self {
        let mut guilds = HashMap::new();
        let mut guild_order = Vec::new();
        let mut channel_guild = HashMap::new();
        for guild in &config.guilds {
            let index = index_guild(guild.clone(), &config, ids);
            for channel in &guild.channels {
                channel_guild.insert(channel.id, guild.id);
            }
            guild_order.push(guild.id);
            guilds.insert(guild.id, index);
        }
        let gateway_url = format!("{}/gateway", base_url.replacen("http://", "ws://", 1));
        Self {
            config,
            guilds,
            guild_order,
            channel_guild,
            base_url,
            gateway_url,
        }
    }

    pub fn app_id(&self) -> u64 {
        self.config.bot.id
    }

    pub fn bot(&self) -> &FakeUser {
        &self.config.bot
    }

    pub fn guild(&self, guild_id: u64) -> Option<&GuildIndex> {
        self.guilds.get(&guild_id)
    }

    pub fn guild_of_channel(&self, channel_id: u64) -> Option<&GuildIndex> {
        self.channel_guild
            .get(&channel_id)
            .and_then(|g| self.guilds.get(g))
    }

    pub fn shard_of(&self, guild_id: Option<u64>) -> u32 {
        guild_id.map_or(0, |g| shard_for_guild(g, self.config.shard_count))
    }

    /// The bot's permissions in a guild.
    pub fn bot_permissions(&self, guild_id: u64) -> u64 {
        let Some(guild) = self.guild(guild_id) else {
            return 0;
        };
        guild.permissions(&guild.member(self.bot()))
    }
}

fn index_guild(mut guild: FakeGuild, config: &FakeConfig, ids: &Snowflakes) -> GuildIndex {
    if !guild.roles.iter().any(|r| r.id == guild.id) {
        guild.roles.insert(
            0,
            FakeRole {
                id: guild.id,
                name: "@everyone".to_owned(),
                permissions: perms::EVERYONE_DEFAULT,
            },
        );
    }
    let bot_role_id = ids.next();
    guild.roles.push(FakeRole {
        id: bot_role_id,
        name: config.bot.name.clone(),
        permissions: config.bot_permissions,
    });
    if !guild.members.iter().any(|m| m.user.id == config.bot.id) {
        guild.members.push(FakeMember {
            user: config.bot.clone(),
            roles: vec![bot_role_id],
            nick: None,
        });
    }
    let owner_id = guild.owner_id.unwrap_or_else(|| ids.next());
    let role_order = guild.roles.iter().map(|r| r.id).collect();
    GuildIndex {
        owner_id,
        roles: guild.roles.iter().map(|r| (r.id, r.clone())).collect(),
        members: guild
            .members
            .iter()
            .map(|m| (m.user.id, m.clone()))
            .collect(),
        role_order,
        bot_role_id,
        guild,
    }
}
