//! The store's errors: each says what went wrong and what to do, fit to show to a person.

use std::borrow::Cow;

/// Everything the store can fail with.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// DATABASE_URL names no backend the bot supports.
    #[error(
        "unsupported DATABASE_URL {url:?}: use sqlite://path/to/file.db or postgres://user@host/database"
    )]
    UnsupportedUrl { url: String },

    /// The database could not be opened or reached at start-up. `url` has its password removed.
    #[error("cannot reach the database at {url}: {source}; check DATABASE_URL")]
    Unreachable {
        url: String,
        #[source]
        source: sqlx::Error,
    },

    /// The database was migrated by a newer trivia-bot.
    #[error(
        "the database schema is at version {found}, newer than this trivia-bot knows (version {known}); \
         upgrade trivia-bot to use this database"
    )]
    SchemaTooNew { found: i64, known: i64 },

    /// Migrations could not be applied (for example an applied migration was edited).
    #[error("cannot bring the database schema up to date: {0}")]
    Migration(#[source] sqlx::migrate::MigrateError),

    /// A write kept failing on a lost or busy connection, even after retrying.
    #[error(
        "the database is unavailable ({source}); gave up after {attempts} attempts, nothing was saved"
    )]
    Unavailable {
        attempts: u32,
        #[source]
        source: sqlx::Error,
    },

    /// A game id the store never handed out, or one from another server.
    #[error("no game {game_id} in this server")]
    UnknownGame { game_id: i64 },

    /// A stored value could not be read back (e.g. settings JSON edited by hand).
    #[error("stored data is damaged: {0}")]
    Corrupt(String),

    /// Any other database error.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

impl StoreError {
    /// True when the failure came from the database being unreachable or busy (as opposed to a
    /// mistake in the request), i.e. when "try again later" is the right advice.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Unavailable { .. } | StoreError::Unreachable { .. } => true,
            StoreError::Database(e) => is_transient(e),
            _ => false,
        }
    }
}

/// Errors worth retrying: the connection dropped, the pool could not get one in time, the
/// server is restarting, or the database was busy/locked or chose this transaction as a
/// deadlock/serialization victim. The retried operations roll back on failure and are
/// idempotent where a lost commit acknowledgement could otherwise double-count.
pub(crate) fn is_transient(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut => true,
        sqlx::Error::Database(db) => {
            let Some(code) = db.code() else { return false };
            if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                is_transient_sqlite_code(&code)
            } else {
                is_transient_sqlstate(&code)
            }
        }
        _ => false,
    }
}

/// SQLite reports numeric (extended) result codes; the low byte is the primary code.
fn is_transient_sqlite_code(code: &str) -> bool {
    const SQLITE_BUSY: u32 = 5;
    const SQLITE_LOCKED: u32 = 6;
    code.parse::<u32>()
        .is_ok_and(|n| matches!(n & 0xff, SQLITE_BUSY | SQLITE_LOCKED))
}

/// PostgreSQL SQLSTATEs: class 08 = connection exception; 40001 serialization failure;
/// 40P01 deadlock; 57P01..57P03 server shutting down / cannot connect now; 53300 too many
/// connections.
fn is_transient_sqlstate(code: &str) -> bool {
    code.starts_with("08")
        || matches!(
            code,
            "40001" | "40P01" | "57P01" | "57P02" | "57P03" | "53300"
        )
}

/// The URL with any password replaced by `***`, safe to print or log.
pub fn redact_url(url: &str) -> Cow<'_, str> {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            // set_password only fails for URLs that cannot have one, which this one has.
            let _ = parsed.set_password(Some("***"));
            Cow::Owned(parsed.to_string())
        }
        Ok(_) => Cow::Borrowed(url),
        // Not parseable: show only the scheme, the rest might hold a secret.
        Err(_) => match url.split_once(':') {
            Some((scheme, _)) => Cow::Owned(format!("{scheme}:<unparseable URL hidden>")),
            None => Cow::Borrowed("<unparseable URL hidden>"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_hides_the_password_only() {
        assert_eq!(
            redact_url("postgres://bot:s3cret@db.local:5432/trivia"),
            "postgres://bot:***@db.local:5432/trivia"
        );
        assert_eq!(
            redact_url("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
        assert_eq!(
            redact_url("sqlite://trivia-bot.db"),
            "sqlite://trivia-bot.db"
        );
        assert!(!redact_url("postgres://a:b c@[bad").contains("b c"));
    }

    #[test]
    fn transient_codes() {
        assert!(is_transient_sqlite_code("5")); // SQLITE_BUSY
        assert!(is_transient_sqlite_code("517")); // SQLITE_BUSY_SNAPSHOT
        assert!(is_transient_sqlite_code("6")); // SQLITE_LOCKED
        assert!(!is_transient_sqlite_code("19")); // SQLITE_CONSTRAINT
        assert!(is_transient_sqlstate("08006")); // connection failure
        assert!(is_transient_sqlstate("40P01")); // deadlock
        assert!(!is_transient_sqlstate("23505")); // unique violation
        assert!(!is_transient_sqlstate("42P01")); // undefined table
    }
}
