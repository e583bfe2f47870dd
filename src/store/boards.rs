//! Leaderboards and a player's own figures.

use chrono::{DateTime, Datelike, NaiveTime, TimeZone, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::types::{from_sql_id, to_sql_id};
use super::{Board, BoardRow, PlayerStats, Store, StoreError, UnixMillis};

/// Each board's totals as `totals(user_id, points, right_answers, answered)`, from the rows of
/// server `$1` selected by `$2` (a start time or an id). SUM is cast because PostgreSQL sums
/// BIGINT into NUMERIC, which the Any driver cannot read.
fn totals_sql(board: Board) -> &'static str {
    match board {
        Board::AllTime => {
            "SELECT user_id, points, right_answers, answered FROM players \
             WHERE guild_id = $1 AND last_played_at >= $2"
        }
        Board::Week | Board::Month => {
            "SELECT user_id, CAST(SUM(points) AS BIGINT) AS points, \
                    CAST(SUM(correct) AS BIGINT) AS right_answers, COUNT(*) AS answered \
             FROM answers WHERE guild_id = $1 AND answered_at >= $2 AND cleared_by_reset IS NULL \
             GROUP BY user_id"
        }
        Board::Game(_) => {
            "SELECT user_id, CAST(SUM(points) AS BIGINT) AS points, \
                    CAST(SUM(correct) AS BIGINT) AS right_answers, COUNT(*) AS answered \
             FROM answers WHERE guild_id = $1 AND game_id = $2 GROUP BY user_id"
        }
        Board::Event(_) => {
            "SELECT user_id, CAST(SUM(points) AS BIGINT) AS points, \
                    CAST(SUM(correct) AS BIGINT) AS right_answers, COUNT(*) AS answered \
             FROM answers WHERE guild_id = $1 AND event_id = $2 GROUP BY user_id"
        }
    }
}

/// The value bound to `$2` of [`totals_sql`].
fn board_key(board: Board, now: UnixMillis) -> i64 {
    match board {
        Board::AllTime => i64::MIN,
        Board::Week => week_start(now),
        Board::Month => month_start(now),
        Board::Game(id) | Board::Event(id) => id,
    }
}

/// Monday 00:00 UTC of the week containing `now`.
pub fn week_start(now: UnixMillis) -> UnixMillis {
    let day = utc(now).date_naive();
    let monday = day - chrono::Days::new(u64::from(day.weekday().num_days_from_monday()));
    midnight_millis(monday)
}

/// The 1st of the month containing `now`, 00:00 UTC.
pub fn month_start(now: UnixMillis) -> UnixMillis {
    let day = utc(now).date_naive();
    midnight_millis(day.with_day(1).unwrap_or(day))
}

fn utc(millis: UnixMillis) -> DateTime<Utc> {
    // Out of chrono's range only for times hundreds of thousands of years away.
    Utc.timestamp_millis_opt(millis)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

fn midnight_millis(day: chrono::NaiveDate) -> UnixMillis {
    day.and_time(NaiveTime::MIN).and_utc().timestamp_millis()
}

/// `ranked` adds fair ranks (equal points, equal rank: 1, 1, 3) to `totals`; the page is
/// ordered by rank, then user id, so pages never overlap or skip.
fn ranked_sql(board: Board, tail: &str) -> String {
    format!(
        "WITH totals AS ({}), \
         ranked AS (SELECT RANK() OVER (ORDER BY points DESC) AS rank, \
                           user_id, points, right_answers, answered FROM totals) \
         SELECT r.rank, r.user_id, n.name, r.points, r.right_answers, r.answered \
         FROM ranked r LEFT JOIN display_names n ON n.guild_id = $1 AND n.user_id = r.user_id \
         {tail}",
        totals_sql(board)
    )
}

fn board_row(row: &AnyRow) -> Result<BoardRow, StoreError> {
    Ok(BoardRow {
        rank: row.try_get::<i64, _>("rank")?.max(1) as u64,
        user: from_sql_id(row.try_get("user_id")?),
        name: row.try_get("name")?,
        points: row.try_get("points")?,
        right: row.try_get("right_answers")?,
        answered: row.try_get("answered")?,
    })
}

impl Store {
    /// One page of a leaderboard: `limit` rows starting at `offset` (0-based). `now` places the
    /// week and month windows.
    pub async fn leaderboard(
        &self,
        guild: u64,
        board: Board,
        now: UnixMillis,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<BoardRow>, StoreError> {
        // Fixed SQL pieces chosen by the board; every value is a bound parameter.
        let sql = ranked_sql(board, "ORDER BY r.rank, r.user_id LIMIT $3 OFFSET $4");
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        let rows = self
            .with_retry("read leaderboard", || async {
                Ok(sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(to_sql_id(guild))
                    .bind(board_key(board, now))
                    .bind(limit)
                    .bind(offset)
                    .fetch_all(&self.pool)
                    .await?)
            })
            .await?;
        rows.iter().map(board_row).collect()
    }

    /// Players on a leaderboard, for "page 2 of 7".
    pub async fn board_len(
        &self,
        guild: u64,
        board: Board,
        now: UnixMillis,
    ) -> Result<u64, StoreError> {
        let sql = format!(
            "WITH totals AS ({}) SELECT COUNT(*) FROM totals",
            totals_sql(board)
        );
        let count: i64 = self
            .with_retry("count leaderboard", || async {
                Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(to_sql_id(guild))
                    .bind(board_key(board, now))
                    .fetch_one(&self.pool)
                    .await?)
            })
            .await?;
        Ok(count.max(0) as u64)
    }

    /// A player's line on a leaderboard (rank included), or None if they are not on it.
    pub async fn board_row_of(
        &self,
        guild: u64,
        board: Board,
        now: UnixMillis,
        user: u64,
    ) -> Result<Option<BoardRow>, StoreError> {
        let sql = ranked_sql(board, "WHERE r.user_id = $3");
        let row = self
            .with_retry("read leaderboard line", || async {
                Ok(sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(to_sql_id(guild))
                    .bind(board_key(board, now))
                    .bind(to_sql_id(user))
                    .fetch_optional(&self.pool)
                    .await?)
            })
            .await?;
        row.as_ref().map(board_row).transpose()
    }

    /// A player's all-time figures and rank, or None if they have none (never played, or reset).
    pub async fn player_stats(
        &self,
        guild: u64,
        user: u64,
    ) -> Result<Option<PlayerStats>, StoreError> {
        let row = self
            .with_retry("read player stats", || async {
                Ok(sqlx::query(
                    "SELECT p.points, p.answered, p.right_answers, p.games_played, p.games_won, \
                            p.current_streak, p.best_streak, p.last_played_at, n.name, \
                            (SELECT COUNT(*) FROM players o \
                              WHERE o.guild_id = p.guild_id AND o.points > p.points) + 1 AS rank, \
                            (SELECT COUNT(*) FROM players o WHERE o.guild_id = p.guild_id) AS board_size \
                     FROM players p \
                     LEFT JOIN display_names n ON n.guild_id = p.guild_id AND n.user_id = p.user_id \
                     WHERE p.guild_id = $1 AND p.user_id = $2",
                )
                .bind(to_sql_id(guild))
                .bind(to_sql_id(user))
                .fetch_optional(&self.pool)
                .await?)
            })
            .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(PlayerStats {
            user,
            name: row.try_get("name")?,
            rank: row.try_get::<i64, _>("rank")?.max(1) as u64,
            board_size: row.try_get::<i64, _>("board_size")?.max(0) as u64,
            points: row.try_get("points")?,
            answered: row.try_get("answered")?,
            right: row.try_get("right_answers")?,
            games_played: row.try_get("games_played")?,
            games_won: row.try_get("games_won")?,
            current_streak: row.try_get("current_streak")?,
            best_streak: row.try_get("best_streak")?,
            last_played_at: row.try_get("last_played_at")?,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn millis(iso: &str) -> UnixMillis {
        DateTime::parse_from_rfc3339(iso)
            .unwrap()
            .timestamp_millis()
    }

    #[test]
    fn week_starts_on_monday_midnight_utc() {
        // 2026-11-26 is a Thursday.
        assert_eq!(
            week_start(millis("2026-11-26T15:30:00Z")),
            millis("2026-11-23T00:00:00Z")
        );
        // A Monday is its own week's start; Sunday night belongs to the week before.
        assert_eq!(
            week_start(millis("2026-11-23T00:00:00Z")),
            millis("2026-11-23T00:00:00Z")
        );
        assert_eq!(
            week_start(millis("2026-11-22T23:59:59Z")),
            millis("2026-11-16T00:00:00Z")
        );
    }

    #[test]
    fn month_starts_on_the_first_midnight_utc() {
        assert_eq!(
            month_start(millis("2026-11-26T15:30:00Z")),
            millis("2026-11-01T00:00:00Z")
        );
        assert_eq!(
            month_start(millis("2026-03-01T00:00:00Z")),
            millis("2026-03-01T00:00:00Z")
        );
        // UTC, not the server's local zone: 00:30 at UTC+2 is still the previous month in UTC.
        assert_eq!(
            month_start(millis("2026-12-01T00:30:00+02:00")),
            millis("2026-11-01T00:00:00Z")
        );
    }
}
