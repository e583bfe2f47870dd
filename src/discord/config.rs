//! The bot's settings, read from the environment (and `.env`, loaded by the caller).
//!
//! Every variable is listed in `.env.example`. Parsing is pure (`from_lookup` takes a lookup
//! function), so it is tested without touching the process environment.

use std::fmt;
use std::path::PathBuf;

use url::Url;

/// The Discord bot token. Its `Debug` and `Display` never show it: only [`Token::expose`]
/// hands it out, and only serenity's HTTP client should call that.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Checks the token is one header-safe word; says what is wrong without echoing it.
    pub fn new(raw: &str) -> Result<Token, ConfigError> {
        let trimmed = raw.trim();
        let token = trimmed.strip_prefix("Bot ").unwrap_or(trimmed).trim();
        if token.is_empty() {
            return Err(ConfigError::MissingToken);
        }
        if !token.chars().all(|c| c.is_ascii_graphic()) {
            return Err(ConfigError::Invalid {
                var: "DISCORD_TOKEN",
                problem: "contains spaces or characters a token never has".to_owned(),
                help: "copy the token again from the developer portal (Bot → Reset Token)",
            });
        }
        Ok(Token(token.to_owned()))
    }

    /// The secret itself, for serenity's HTTP client. Never log or print it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Which gateway shards this process runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shards {
    /// As many as Discord recommends (`GET /gateway/bot`), all in this process.
    Auto,
    /// Shards `first..=last` of `total`; other processes run the rest against one PostgreSQL.
    Range { first: u32, last: u32, total: u32 },
}

/// Everything `trivia-bot run` needs.
#[derive(Debug, Clone)]
pub struct BotConfig {
    pub token: Token,
    /// `DATABASE_URL`; the store's SQLite file by default.
    pub database_url: String,
    /// `QUESTIONS_DIR`: the folder of fact packs.
    pub questions_dir: PathBuf,
    /// `DEV_GUILD_ID`: register commands in this guild only (instantly) instead of globally.
    pub dev_guild: Option<u64>,
    /// `DISCORD_API_BASE`: send every REST call here instead of https://discord.com.
    pub api_base: Option<String>,
    /// `TYPED_ANSWERS`: request the privileged message-content intent for typed races.
    pub typed_answers: bool,
    /// `SHARD_COUNT` and `SHARDS`.
    pub shards: Shards,
    /// The event scheduler's clock: the real one, except in tests that move it (no variable).
    pub clock: super::Clock,
}

/// A setting that cannot be used. The message names the variable and what to write instead,
/// and never contains the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("DISCORD_TOKEN is not set")]
    MissingToken,
    #[error("{var} {problem}; {help}")]
    Invalid {
        var: &'static str,
        problem: String,
        help: &'static str,
    },
}

impl BotConfig {
    /// Reads the process environment (call `dotenvy::dotenv()` first to include `.env`).
    pub fn from_env() -> Result<BotConfig, ConfigError> {
        BotConfig::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `get` (the environment, or a map in tests). Empty values count
    /// as unset, as `.env` files often leave them so.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<BotConfig, ConfigError> {
        let get = |name: &str| get(name).filter(|v| !v.trim().is_empty());
        let token = Token::new(&get("DISCORD_TOKEN").ok_or(ConfigError::MissingToken)?)?;
        let database_url =
            get("DATABASE_URL").unwrap_or_else(|| crate::store::DEFAULT_DATABASE_URL.to_owned());
        let questions_dir =
            PathBuf::from(get("QUESTIONS_DIR").unwrap_or_else(|| "questions".into()));
        let dev_guild = get("DEV_GUILD_ID")
            .map(|v| parse_snowflake("DEV_GUILD_ID", &v))
            .transpose()?;
        let api_base = get("DISCORD_API_BASE")
            .map(|v| parse_api_base(&v))
            .transpose()?;
        let typed_answers = get("TYPED_ANSWERS")
            .map(|v| parse_flag("TYPED_ANSWERS", &v))
            .transpose()?
            .unwrap_or(false);
        let shards = parse_shards(get("SHARD_COUNT").as_deref(), get("SHARDS").as_deref())?;
        Ok(BotConfig {
            token,
            database_url,
            questions_dir,
            dev_guild,
            api_base,
            typed_answers,
            shards,
            clock: super::Clock::real(),
        })
    }
}

fn parse_snowflake(var: &'static str, value: &str) -> Result<u64, ConfigError> {
    match value.trim().parse::<u64>() {
        Ok(id) if id > 0 => Ok(id),
        _ => Err(ConfigError::Invalid {
            var,
            problem: format!("is {value:?}, not a server id"),
            help: "in Discord enable Developer Mode, right-click the server and Copy Server ID",
        }),
    }
}

/// Accepts `http(s)://host[:port][/]`; the path must be empty because serenity appends
/// `/api/v10/...` to the base.
pub fn parse_api_base(value: &str) -> Result<String, ConfigError> {
    let bad = |problem: String| ConfigError::Invalid {
        var: "DISCORD_API_BASE",
        problem,
        help: "write a base URL such as http://127.0.0.1:3000 (no path), or unset it to use Discord",
    };
    let url = Url::parse(value.trim()).map_err(|e| bad(format!("is not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad(format!(
            "has scheme {:?}, not http or https",
            url.scheme()
        )));
    }
    if url.host_str().is_none() {
        return Err(bad("has no host".to_owned()));
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(bad(format!("has a path or query ({:?})", url.path())));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

fn parse_flag(var: &'static str, value: &str) -> Result<bool, ConfigError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(ConfigError::Invalid {
            var,
            problem: format!("is {value:?}"),
            help: "write true or false",
        }),
    }
}

/// `SHARD_COUNT=8` with `SHARDS=0-3` runs shards 0 to 3 of 8 here; `SHARD_COUNT` alone runs
/// all of them; neither means Discord's recommendation.
fn parse_shards(count: Option<&str>, range: Option<&str>) -> Result<Shards, ConfigError> {
    let help = "set SHARD_COUNT to the total number of shards and SHARDS to this process's range, e.g. SHARD_COUNT=4 SHARDS=0-1";
    let bad = |var, problem: String| ConfigError::Invalid { var, problem, help };
    let Some(count) = count else {
        return match range {
            None => Ok(Shards::Auto),
            Some(_) => Err(bad("SHARDS", "is set without SHARD_COUNT".to_owned())),
        };
    };
    let total: u32 = match count.trim().parse() {
        Ok(n) if n > 0 => n,
        _ => {
            return Err(bad(
                "SHARD_COUNT",
                format!("is {count:?}, not a positive number"),
            ));
        }
    };
    let (first, last) = match range {
        None => (0, total - 1),
        Some(r) => {
            let parsed = match r.trim().split_once('-') {
                Some((a, b)) => a
                    .trim()
                    .parse::<u32>()
                    .ok()
                    .zip(b.trim().parse::<u32>().ok()),
                None => r.trim().parse::<u32>().ok().map(|n| (n, n)),
            };
            match parsed {
                Some((a, b)) if a <= b && b < total => (a, b),
                _ => {
                    return Err(bad(
                        "SHARDS",
                        format!("is {r:?}, not a range like 0-3 within 0..{total}"),
                    ));
                }
            }
        }
    };
    Ok(Shards::Range { first, last, total })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<BotConfig, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        BotConfig::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn token_is_required_and_never_shown() {
        assert_eq!(config(&[]).unwrap_err(), ConfigError::MissingToken);
        assert_eq!(
            config(&[("DISCORD_TOKEN", "  ")]).unwrap_err(),
            ConfigError::MissingToken
        );
        let c = config(&[("DISCORD_TOKEN", "Bot abc.def.ghi")]).unwrap();
        assert_eq!(c.token.expose(), "abc.def.ghi");
        let shown = format!("{c:?} {}", c.token);
        assert!(!shown.contains("abc.def"), "{shown}");
        let err = config(&[("DISCORD_TOKEN", "abc def")])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("DISCORD_TOKEN") && !err.contains("abc"),
            "{err}"
        );
    }

    #[test]
    fn defaults() {
        let c = config(&[("DISCORD_TOKEN", "t")]).unwrap();
        assert_eq!(c.database_url, crate::store::DEFAULT_DATABASE_URL);
        assert_eq!(c.questions_dir, PathBuf::from("questions"));
        assert_eq!(c.dev_guild, None);
        assert_eq!(c.api_base, None);
        assert!(!c.typed_answers);
        assert_eq!(c.shards, Shards::Auto);
    }

    #[test]
    fn api_base_is_a_bare_http_url() {
        assert_eq!(
            parse_api_base("http://127.0.0.1:3000/").unwrap(),
            "http://127.0.0.1:3000"
        );
        assert_eq!(
            parse_api_base("https://proxy.example").unwrap(),
            "https://proxy.example"
        );
        for bad in ["127.0.0.1:3000", "ftp://x", "http://x/api/v10", "nonsense"] {
            let err = parse_api_base(bad).unwrap_err().to_string();
            assert!(err.starts_with("DISCORD_API_BASE"), "{bad}: {err}");
        }
    }

    #[test]
    fn flags_guild_and_shards() {
        let c = config(&[
            ("DISCORD_TOKEN", "t"),
            ("TYPED_ANSWERS", "yes"),
            ("DEV_GUILD_ID", "123"),
            ("SHARD_COUNT", "8"),
            ("SHARDS", "2-3"),
        ])
        .unwrap();
        assert!(c.typed_answers);
        assert_eq!(c.dev_guild, Some(123));
        assert_eq!(
            c.shards,
            Shards::Range {
                first: 2,
                last: 3,
                total: 8
            }
        );
        assert_eq!(
            parse_shards(Some("4"), None).unwrap(),
            Shards::Range {
                first: 0,
                last: 3,
                total: 4
            }
        );
        assert!(parse_shards(Some("4"), Some("3-4")).is_err());
        assert!(parse_shards(None, Some("0-1")).is_err());
        assert!(parse_shards(Some("0"), None).is_err());
        assert!(config(&[("DISCORD_TOKEN", "t"), ("TYPED_ANSWERS", "maybe")]).is_err());
        assert!(config(&[("DISCORD_TOKEN", "t"), ("DEV_GUILD_ID", "my server")]).is_err());
    }
}
