//! Quiz events: the events themselves, sign-ups, the games that played their rounds, rulings,
//! server aliases, and everything read back for results and export.
//!
//! The rules live in [`crate::events`]; this file only keeps their state. Status changes are
//! compare-and-set: the caller passes the event as it read it, and the write happens only if
//! the status is still the same, so two processes (or a host and the scheduler) never both
//! start or announce one event.

use std::collections::{BTreeMap, HashMap, HashSet};

use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use super::scores::{amend_in_tx, insert_game, lock_guild_of_game};
use super::types::{from_sql_id, to_sql_id};
use super::{Backend, NewGame, Store, StoreError, UnixMillis};
use crate::events::{
    Alias, AnswerRow, Event, EventId, EventRecords, EventSpec, EventStatus, QuestionRecord,
    Registration, RoundGame, Ruling,
};

const EVENT_COLUMNS: &str = "event_id, guild_id, name, description, channel_id, hosts, \
    starts_at, announce_lead_ms, announce_role, rounds, teams, status, status_round, \
    discord_event_id, signup_message_id, created_by, created_at";

/// A host's acceptance of a wrong answer, to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRuling {
    pub guild: u64,
    pub game_id: i64,
    pub question_index: u32,
    pub user: u64,
    /// Points the ruling awards (the engine's `Effect::Ruled` points, or
    /// [`crate::events::ruling_points`] when the game is gone).
    pub points: i64,
    pub ruled_by: u64,
    pub ruled_at: UnixMillis,
    /// The spelling to accept in the server's later games ([`crate::events::alias_for`]).
    pub alias: Option<Alias>,
}

/// What [`Store::accept_answer`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RulingOutcome {
    /// Recorded, and the points moved.
    Accepted(Ruling),
    /// No stored answer of that player to that question.
    NoSuchAnswer,
    /// The answer already counts as right (by the matcher or an earlier ruling).
    AlreadyRight,
}

/// The parts of a spec stored as JSON.
struct SpecJson {
    hosts: String,
    rounds: String,
    teams: Option<String>,
}

fn spec_json(spec: &EventSpec) -> Result<SpecJson, StoreError> {
    let encode = |what: &str, e: serde_json::Error| {
        StoreError::Corrupt(format!("cannot encode the event's {what}: {e}"))
    };
    Ok(SpecJson {
        hosts: serde_json::to_string(&spec.hosts).map_err(|e| encode("hosts", e))?,
        rounds: serde_json::to_string(&spec.rounds).map_err(|e| encode("rounds", e))?,
        teams: spec
            .teams
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| encode("teams", e))?,
    })
}

fn event_from_row(row: &AnyRow) -> Result<Event, StoreError> {
    let id: i64 = row.try_get("event_id")?;
    let damaged = |what: &str, e: &dyn std::fmt::Display| {
        StoreError::Corrupt(format!("event {id}: its {what} cannot be read ({e})"))
    };
    let hosts: String = row.try_get("hosts")?;
    let rounds: String = row.try_get("rounds")?;
    let teams: Option<String> = row.try_get("teams")?;
    let status: String = row.try_get("status")?;
    let status_round: i64 = row.try_get("status_round")?;
    let opt_id = |column: &str| -> Result<Option<u64>, StoreError> {
        Ok(row.try_get::<Option<i64>, _>(column)?.map(from_sql_id))
    };
    Ok(Event {
        id,
        guild: from_sql_id(row.try_get("guild_id")?),
        spec: EventSpec {
            name: row.try_get("name")?,
            description: row.try_get("description")?,
            channel: from_sql_id(row.try_get("channel_id")?),
            hosts: serde_json::from_str(&hosts).map_err(|e| damaged("hosts", &e))?,
            starts_at: row.try_get("starts_at")?,
            announce_lead_ms: row.try_get("announce_lead_ms")?,
            announce_role: opt_id("announce_role")?,
            rounds: serde_json::from_str(&rounds).map_err(|e| damaged("rounds", &e))?,
            teams: teams
                .map(|t| serde_json::from_str(&t))
                .transpose()
                .map_err(|e| damaged("teams", &e))?,
        },
        status: EventStatus::from_db(&status, status_round)
            .ok_or_else(|| damaged("status", &status))?,
        discord_scheduled_event_id: opt_id("discord_event_id")?,
        signup_message: opt_id("signup_message_id")?,
        created_by: from_sql_id(row.try_get("created_by")?),
        created_at: row.try_get("created_at")?,
    })
}

fn registration_from_row(row: &AnyRow) -> Result<Registration, StoreError> {
    Ok(Registration {
        user: from_sql_id(row.try_get("user_id")?),
        team: row
            .try_get::<Option<i64>, _>("team")?
            .and_then(|t| usize::try_from(t).ok()),
        registered_at: row.try_get("registered_at")?,
        left_at: row.try_get("left_at")?,
    })
}

const RULING_COLUMNS: &str = "ruling_id, guild_id, event_id, game_id, question_index, user_id, \
    answer_text, points, ruled_by, ruled_at, undone_by, undone_at";

fn ruling_from_row(row: &AnyRow) -> Result<Ruling, StoreError> {
    Ok(Ruling {
        id: row.try_get("ruling_id")?,
        guild: from_sql_id(row.try_get("guild_id")?),
        event_id: row.try_get("event_id")?,
        game_id: row.try_get("game_id")?,
        question_index: u32::try_from(row.try_get::<i64, _>("question_index")?).unwrap_or(0),
        user: from_sql_id(row.try_get("user_id")?),
        answer_text: row.try_get("answer_text")?,
        points: row.try_get("points")?,
        ruled_by: from_sql_id(row.try_get("ruled_by")?),
        ruled_at: row.try_get("ruled_at")?,
        undone_by: row.try_get::<Option<i64>, _>("undone_by")?.map(from_sql_id),
        undone_at: row.try_get("undone_at")?,
    })
}

fn db_round(round: usize) -> i64 {
    i64::try_from(round).unwrap_or(i64::MAX)
}

/// Moves the event from `from` to `to` if it is still at `from`; true if it moved.
async fn swap_status(
    tx: &mut Transaction<'static, Any>,
    event: &Event,
    to: EventStatus,
    now: UnixMillis,
) -> Result<bool, sqlx::Error> {
    let (from_name, from_round) = event.status.to_db();
    let (to_name, to_round) = to.to_db();
    let done = sqlx::query(
        "UPDATE events SET status = $1, status_round = $2, status_changed_at = $3 \
         WHERE event_id = $4 AND guild_id = $5 AND status = $6 AND status_round = $7",
    )
    .bind(to_name)
    .bind(to_round)
    .bind(now)
    .bind(event.id)
    .bind(to_sql_id(event.guild))
    .bind(from_name)
    .bind(from_round)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

impl Store {
    /// Stores a new event (already checked with [`EventSpec::validate`]); its status is
    /// scheduled if it has a start time, else draft.
    pub async fn create_event(
        &self,
        guild: u64,
        spec: &EventSpec,
        created_by: u64,
        now: UnixMillis,
    ) -> Result<Event, StoreError> {
        let json = spec_json(spec)?;
        let status = Event::initial_status(spec);
        let (status_name, status_round) = status.to_db();
        let id: i64 = self
            .with_retry("create event", || async {
                let _turn = self.write_turn().await;
                Ok(sqlx::query_scalar(
                    "INSERT INTO events (guild_id, name, description, channel_id, hosts, \
                         starts_at, announce_lead_ms, announce_role, rounds, teams, status, \
                         status_round, status_changed_at, created_by, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $13, $13) \
                     RETURNING event_id",
                )
                .bind(to_sql_id(guild))
                .bind(spec.name.trim())
                .bind(spec.description.as_str())
                .bind(to_sql_id(spec.channel))
                .bind(json.hosts.as_str())
                .bind(spec.starts_at)
                .bind(spec.announce_lead_ms)
                .bind(spec.announce_role.map(to_sql_id))
                .bind(json.rounds.as_str())
                .bind(json.teams.as_deref())
                .bind(status_name)
                .bind(status_round)
                .bind(now)
                .bind(to_sql_id(created_by))
                .fetch_one(&self.pool)
                .await?)
            })
            .await?;
        Ok(Event {
            id,
            guild,
            spec: EventSpec {
                name: spec.name.trim().to_owned(),
                ..spec.clone()
            },
            status,
            discord_scheduled_event_id: None,
            signup_message: None,
            created_by,
            created_at: now,
        })
    }

    /// The event `id` of server `guild` (None if there is none, or it belongs to another server:
    /// ids in buttons and options can be forged).
    pub async fn event(&self, guild: u64, id: EventId) -> Result<Option<Event>, StoreError> {
        let sql =
            format!("SELECT {EVENT_COLUMNS} FROM events WHERE event_id = $1 AND guild_id = $2");
        let row = self
            .with_retry("read event", || async {
                Ok(sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(id)
                    .bind(to_sql_id(guild))
                    .fetch_optional(&self.pool)
                    .await?)
            })
            .await?;
        row.as_ref().map(event_from_row).transpose()
    }

    /// The server's events, newest first, at most `limit`.
    pub async fn list_events(&self, guild: u64, limit: u64) -> Result<Vec<Event>, StoreError> {
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE guild_id = $1 \
             ORDER BY created_at DESC, event_id DESC LIMIT $2"
        );
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self
            .with_retry("list events", || async {
                Ok(sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(to_sql_id(guild))
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?)
            })
            .await?;
        rows.iter().map(event_from_row).collect()
    }

    /// Every server's events waiting for their start time (scheduled or announced), earliest
    /// first: the scheduler's input, at start-up and on each tick.
    pub async fn waiting_events(&self) -> Result<Vec<Event>, StoreError> {
        self.events_with_status(
            "status IN ('scheduled', 'announced') AND starts_at IS NOT NULL",
            "starts_at, event_id",
        )
        .await
    }

    /// Every server's started, unfinished events (running, paused, between rounds): what a
    /// restarted bot picks up again.
    pub async fn live_events(&self) -> Result<Vec<Event>, StoreError> {
        self.events_with_status(
            "status IN ('running', 'paused', 'intermission')",
            "event_id",
        )
        .await
    }

    async fn events_with_status(
        &self,
        condition: &'static str,
        order: &'static str,
    ) -> Result<Vec<Event>, StoreError> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE {condition} ORDER BY {order}");
        let rows = self
            .with_retry("list events by status", || async {
                Ok(sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .fetch_all(&self.pool)
                    .await?)
            })
            .await?;
        rows.iter().map(event_from_row).collect()
    }

    /// Saves an edit ([`Event::edited`]) if the event is still as `before` left it (same
    /// status); false if it changed meanwhile (read it again). Team choices beyond a reduced
    /// number of teams, or all of them when teams are turned off, are cleared.
    pub async fn update_event(
        &self,
        before: &Event,
        after: &Event,
        now: UnixMillis,
    ) -> Result<bool, StoreError> {
        let json = spec_json(&after.spec)?;
        let team_count = after.spec.teams.as_ref().map_or(0, |t| t.names.len());
        self.with_retry("update event", || async {
            let _turn = self.write_turn().await;
            let mut tx = self.begin_write().await?;
            if !swap_status(&mut tx, before, after.status, now).await? {
                return Ok(false);
            }
            let spec = &after.spec;
            sqlx::query(
                "UPDATE events SET name = $1, description = $2, channel_id = $3, hosts = $4, \
                     starts_at = $5, announce_lead_ms = $6, announce_role = $7, rounds = $8, \
                     teams = $9, updated_at = $10 \
                 WHERE event_id = $11",
            )
            .bind(spec.name.trim())
            .bind(spec.description.as_str())
            .bind(to_sql_id(spec.channel))
            .bind(json.hosts.as_str())
            .bind(spec.starts_at)
            .bind(spec.announce_lead_ms)
            .bind(spec.announce_role.map(to_sql_id))
            .bind(json.rounds.as_str())
            .bind(json.teams.as_deref())
            .bind(now)
            .bind(before.id)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE event_registrations SET team = NULL WHERE event_id = $1 AND team >= $2",
            )
            .bind(before.id)
            .bind(db_round(team_count))
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(true)
        })
        .await
    }

    /// Moves `event` to status `to` if it is still at `event.status`; false if someone else
    /// changed it first (then read it again and decide anew). Use
    /// [`Event::next_status`] to get `to`.
    pub async fn set_event_status(
        &self,
        event: &Event,
        to: EventStatus,
        now: UnixMillis,
    ) -> Result<bool, StoreError> {
        self.with_retry("set event status", || async {
            let _turn = self.write_turn().await;
            let mut tx = self.begin_write().await?;
            let moved = swap_status(&mut tx, event, to, now).await?;
            tx.commit().await?;
            Ok(moved)
        })
        .await
    }

    /// Remembers the server's native scheduled event for this event (None: there is none).
    pub async fn set_event_discord_id(
        &self,
        guild: u64,
        id: EventId,
        discord_event: Option<u64>,
    ) -> Result<bool, StoreError> {
        self.set_event_column(guild, id, "discord_event_id", discord_event)
            .await
    }

    /// Remembers the sign-up message (None: there is none).
    pub async fn set_event_signup_message(
        &self,
        guild: u64,
        id: EventId,
        message: Option<u64>,
    ) -> Result<bool, StoreError> {
        self.set_event_column(guild, id, "signup_message_id", message)
            .await
    }

    async fn set_event_column(
        &self,
        guild: u64,
        id: EventId,
        column: &'static str,
        value: Option<u64>,
    ) -> Result<bool, StoreError> {
        // `column` is one of two fixed names above; the value is bound.
        let sql = format!("UPDATE events SET {column} = $1 WHERE event_id = $2 AND guild_id = $3");
        self.with_retry("update event", || async {
            let _turn = self.write_turn().await;
            let done = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(value.map(to_sql_id))
                .bind(id)
                .bind(to_sql_id(guild))
                .execute(&self.pool)
                .await?;
            Ok(done.rows_affected() == 1)
        })
        .await
    }

    /// Starts round `round` of `event`: moves it to `Running { round }` (if it is still at
    /// `event.status`), records the game and links it to the round, in one transaction.
    /// Returns the game id, or None if the status had changed or the round was already played.
    pub async fn start_event_round(
        &self,
        event: &Event,
        round: usize,
        game: &NewGame,
    ) -> Result<Option<i64>, StoreError> {
        self.with_retry("start event round", || async {
            let _turn = self.write_turn().await;
            let mut tx = self.begin_write().await?;
            let running = EventStatus::Running { round };
            if !swap_status(&mut tx, event, running, game.started_at).await? {
                return Ok(None);
            }
            let played: Option<i64> = sqlx::query_scalar(
                "SELECT game_id FROM event_games WHERE event_id = $1 AND round_index = $2",
            )
            .bind(event.id)
            .bind(db_round(round))
            .fetch_optional(&mut *tx)
            .await?;
            if played.is_some() {
                return Ok(None); // dropping the transaction rolls the status back
            }
            let game_id = insert_game(&mut *tx, game).await?;
            sqlx::query(
                "INSERT INTO event_games (event_id, round_index, game_id) VALUES ($1, $2, $3)",
            )
            .bind(event.id)
            .bind(db_round(round))
            .bind(game_id)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(Some(game_id))
        })
        .await
    }

    /// The games that played the event's rounds, by round.
    pub async fn event_games(&self, id: EventId) -> Result<Vec<RoundGame>, StoreError> {
        let rows = self
            .with_retry("list event games", || async {
                Ok(sqlx::query(
                    "SELECT eg.round_index, eg.game_id, g.started_at, g.ended_at \
                     FROM event_games eg JOIN games g ON g.game_id = eg.game_id \
                     WHERE eg.event_id = $1 ORDER BY eg.round_index",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?)
            })
            .await?;
        rows.iter().map(round_game_from_row).collect()
    }

    /// The event and round a game plays, if it belongs to an event.
    pub async fn event_of_game(
        &self,
        game_id: i64,
    ) -> Result<Option<(EventId, usize)>, StoreError> {
        let row = self
            .with_retry("find event of game", || async {
                Ok(
                    sqlx::query("SELECT event_id, round_index FROM event_games WHERE game_id = $1")
                        .bind(game_id)
                        .fetch_optional(&self.pool)
                        .await?,
                )
            })
            .await?;
        row.map(|r| -> Result<_, StoreError> {
            let round: i64 = r.try_get("round_index")?;
            Ok((r.try_get("event_id")?, usize::try_from(round).unwrap_or(0)))
        })
        .transpose()
    }

    // ----- sign-ups -----

    /// Signs `user` up for `event` (or back up after leaving), in `team` if given; with no
    /// team, a returning player keeps their old one. Check first with
    /// [`crate::events::check_join`]. Returns false (and changes nothing) if the event is over
    /// or gone by now.
    pub async fn register_player(
        &self,
        event: &Event,
        user: u64,
        team: Option<usize>,
        now: UnixMillis,
    ) -> Result<bool, StoreError> {
        let team = team.map(db_round);
        self.with_retry("register player", || async {
            let _turn = self.write_turn().await;
            let mut tx = self.begin_write().await?;
            if !registration_open(&mut tx, event).await? {
                return Ok(false);
            }
            sqlx::query(
                "INSERT INTO event_registrations (event_id, user_id, team, registered_at) \
                 VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (event_id, user_id) DO UPDATE SET left_at = NULL, \
                     team = COALESCE(excluded.team, event_registrations.team)",
            )
            .bind(event.id)
            .bind(to_sql_id(user))
            .bind(team)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(true)
        })
        .await
    }

    /// Marks `user` as having left `event`. Returns false if they were not signed up, or the
    /// event is over.
    pub async fn leave_event(
        &self,
        event: &Event,
        user: u64,
        now: UnixMillis,
    ) -> Result<bool, StoreError> {
        self.with_retry("leave event", || async {
            let _turn = self.write_turn().await;
            let mut tx = self.begin_write().await?;
            if !registration_open(&mut tx, event).await? {
                return Ok(false);
            }
            let done = sqlx::query(
                "UPDATE event_registrations SET left_at = $3 \
                 WHERE event_id = $1 AND user_id = $2 AND left_at IS NULL",
            )
            .bind(event.id)
            .bind(to_sql_id(user))
            .bind(now)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(done.rows_affected() == 1)
        })
        .await
    }

    /// One player's registration for an event (also after leaving: see `left_at`).
    pub async fn registration(
        &self,
        id: EventId,
        user: u64,
    ) -> Result<Option<Registration>, StoreError> {
        let row = self
            .with_retry("read registration", || async {
                Ok(sqlx::query(
                    "SELECT user_id, team, registered_at, left_at FROM event_registrations \
                     WHERE event_id = $1 AND user_id = $2",
                )
                .bind(id)
                .bind(to_sql_id(user))
                .fetch_optional(&self.pool)
                .await?)
            })
            .await?;
        row.as_ref().map(registration_from_row).transpose()
    }

    /// Every registration of the event (those who left included), in sign-up order.
    pub async fn registrations(&self, id: EventId) -> Result<Vec<Registration>, StoreError> {
        let rows = self
            .with_retry("list registrations", || async {
                Ok(sqlx::query(
                    "SELECT user_id, team, registered_at, left_at FROM event_registrations \
                     WHERE event_id = $1 ORDER BY registered_at, user_id",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?)
            })
            .await?;
        rows.iter().map(registration_from_row).collect()
    }

    /// Puts players in teams ([`crate::events::teams_for_round`]), in one transaction.
    /// Players who are not signed up are skipped.
    pub async fn set_teams(
        &self,
        event: &Event,
        assignments: &[(u64, usize)],
    ) -> Result<(), StoreError> {
        self.with_retry("set teams", || async {
            let _turn = self.write_turn().await;
            let mut tx = self.begin_write().await?;
            for &(user, team) in assignments {
                sqlx::query(
                    "UPDATE event_registrations SET team = $3 WHERE event_id = $1 AND user_id = $2",
                )
                .bind(event.id)
                .bind(to_sql_id(user))
                .bind(db_round(team))
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    /// All-time points of `users` in the server (missing: none yet), for balancing teams.
    pub async fn past_points(
        &self,
        guild: u64,
        users: &[u64],
    ) -> Result<HashMap<u64, i64>, StoreError> {
        let wanted: HashSet<u64> = users.iter().copied().collect();
        let rows: Vec<(i64, i64)> = self
            .with_retry("read past points", || async {
                Ok(
                    sqlx::query_as("SELECT user_id, points FROM players WHERE guild_id = $1")
                        .bind(to_sql_id(guild))
                        .fetch_all(&self.pool)
                        .await?,
                )
            })
            .await?;
        Ok(rows
            .into_iter()
            .map(|(user, points)| (from_sql_id(user), points))
            .filter(|(user, _)| wanted.contains(user))
            .collect())
    }

    // ----- rulings -----

    /// Accepts a stored wrong answer as right: records the ruling (who, when), adds its points
    /// to the answer and to the player's totals, and adds the alias to the server, all in one
    /// transaction. Answers cleared by a reset change on the game and event boards only.
    pub async fn accept_answer(&self, ruling: &NewRuling) -> Result<RulingOutcome, StoreError> {
        self.with_retry("accept answer", || self.accept_answer_once(ruling))
            .await
    }

    async fn accept_answer_once(&self, r: &NewRuling) -> Result<RulingOutcome, StoreError> {
        let _turn = self.write_turn().await;
        let mut tx = self.begin_write().await?;
        lock_guild_of_game(&mut tx, r.guild, r.game_id).await?;
        let question = i64::from(r.question_index);
        let user = to_sql_id(r.user);
        let answer = sqlx::query(
            "SELECT answer_text, correct, points, event_id \
             FROM answers WHERE game_id = $1 AND question_index = $2 AND user_id = $3",
        )
        .bind(r.game_id)
        .bind(question)
        .bind(user)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(answer) = answer else {
            return Ok(RulingOutcome::NoSuchAnswer);
        };
        if answer.try_get::<i64, _>("correct")? != 0 {
            return Ok(RulingOutcome::AlreadyRight);
        }
        let answer_text: String = answer.try_get("answer_text")?;
        let event_id: Option<i64> = answer.try_get("event_id")?;
        let answer_points: i64 = answer.try_get("points")?;

        let ruling_id: i64 = sqlx::query_scalar(
            "INSERT INTO rulings (guild_id, event_id, game_id, question_index, user_id, \
                 answer_text, points, ruled_by, ruled_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ruling_id",
        )
        .bind(to_sql_id(r.guild))
        .bind(event_id)
        .bind(r.game_id)
        .bind(question)
        .bind(user)
        .bind(answer_text.as_str())
        .bind(r.points)
        .bind(to_sql_id(r.ruled_by))
        .bind(r.ruled_at)
        .fetch_one(&mut *tx)
        .await?;
        amend_in_tx(
            &mut tx,
            r.guild,
            r.game_id,
            r.question_index,
            r.user,
            true,
            answer_points + r.points,
        )
        .await?;
        if let Some(alias) = &r.alias {
            sqlx::query(
                "INSERT INTO guild_aliases (guild_id, pack, question_id, alias, added_by, \
                     added_at, ruling_id) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (guild_id, pack, question_id, alias) DO NOTHING",
            )
            .bind(to_sql_id(r.guild))
            .bind(alias.pack.as_str())
            .bind(alias.question_id.as_str())
            .bind(alias.alias.as_str())
            .bind(to_sql_id(r.ruled_by))
            .bind(r.ruled_at)
            .bind(ruling_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(RulingOutcome::Accepted(Ruling {
            id: ruling_id,
            guild: r.guild,
            event_id,
            game_id: r.game_id,
            question_index: r.question_index,
            user: r.user,
            answer_text,
            points: r.points,
            ruled_by: r.ruled_by,
            ruled_at: r.ruled_at,
            undone_by: None,
            undone_at: None,
        }))
    }

    /// Undoes the ruling in force on (game, question, player): the answer is wrong again, its
    /// points and the player's go back, the alias it added is removed, and the ruling is kept
    /// as undone (who, when). Returns the undone ruling, or None if no ruling was in force.
    pub async fn undo_ruling(
        &self,
        guild: u64,
        game_id: i64,
        question_index: u32,
        user: u64,
        undone_by: u64,
        undone_at: UnixMillis,
    ) -> Result<Option<Ruling>, StoreError> {
        self.with_retry("undo ruling", || async {
            let _turn = self.write_turn().await;
            let mut tx = self.begin_write().await?;
            lock_guild_of_game(&mut tx, guild, game_id).await?;
            let question = i64::from(question_index);
            let sql = format!(
                "SELECT {RULING_COLUMNS} FROM rulings WHERE game_id = $1 \
                 AND question_index = $2 AND user_id = $3 AND undone_at IS NULL"
            );
            let row = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(game_id)
                .bind(question)
                .bind(to_sql_id(user))
                .fetch_optional(&mut *tx)
                .await?;
            let Some(row) = row else { return Ok(None) };
            let mut ruling = ruling_from_row(&row)?;
            sqlx::query("UPDATE rulings SET undone_by = $1, undone_at = $2 WHERE ruling_id = $3")
                .bind(to_sql_id(undone_by))
                .bind(undone_at)
                .bind(ruling.id)
                .execute(&mut *tx)
                .await?;
            let answer_points: i64 = sqlx::query_scalar(
                "SELECT points FROM answers \
                 WHERE game_id = $1 AND question_index = $2 AND user_id = $3",
            )
            .bind(game_id)
            .bind(question)
            .bind(to_sql_id(user))
            .fetch_one(&mut *tx)
            .await?;
            amend_in_tx(
                &mut tx,
                guild,
                game_id,
                question_index,
                user,
                false,
                answer_points - ruling.points,
            )
            .await?;
            sqlx::query("DELETE FROM guild_aliases WHERE ruling_id = $1")
                .bind(ruling.id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            ruling.undone_by = Some(undone_by);
            ruling.undone_at = Some(undone_at);
            Ok(Some(ruling))
        })
        .await
    }

    /// Every ruling on a game's answers (undone ones included), oldest first.
    pub async fn rulings_of_game(
        &self,
        guild: u64,
        game_id: i64,
    ) -> Result<Vec<Ruling>, StoreError> {
        let sql = format!(
            "SELECT {RULING_COLUMNS} FROM rulings WHERE guild_id = $1 AND game_id = $2 \
             ORDER BY ruled_at, ruling_id"
        );
        let rows = self
            .with_retry("list rulings", || async {
                Ok(sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(to_sql_id(guild))
                    .bind(game_id)
                    .fetch_all(&self.pool)
                    .await?)
            })
            .await?;
        rows.iter().map(ruling_from_row).collect()
    }

    /// The server's accepted spellings for questions of `pack`
    /// ([`crate::events::apply_aliases`] adds them to a deck).
    pub async fn aliases(&self, guild: u64, pack: &str) -> Result<Vec<Alias>, StoreError> {
        let rows: Vec<(String, String)> = self
            .with_retry("list aliases", || async {
                Ok(sqlx::query_as(
                    "SELECT question_id, alias FROM guild_aliases \
                     WHERE guild_id = $1 AND pack = $2 ORDER BY question_id, alias",
                )
                .bind(to_sql_id(guild))
                .bind(pack)
                .fetch_all(&self.pool)
                .await?)
            })
            .await?;
        Ok(rows
            .into_iter()
            .map(|(question_id, alias)| Alias {
                pack: pack.to_owned(),
                question_id,
                alias,
            })
            .collect())
    }

    // ----- results and export -----

    /// Everything stored about an event, read in one transaction (a consistent picture even
    /// while it is being played): the input of [`crate::events::standings`] and the exports.
    pub async fn event_records(
        &self,
        guild: u64,
        id: EventId,
    ) -> Result<Option<EventRecords>, StoreError> {
        self.with_retry("read event records", || self.event_records_once(guild, id))
            .await
    }

    async fn event_records_once(
        &self,
        guild: u64,
        id: EventId,
    ) -> Result<Option<EventRecords>, StoreError> {
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                .execute(&mut *tx)
                .await?;
        }
        let sql =
            format!("SELECT {EVENT_COLUMNS} FROM events WHERE event_id = $1 AND guild_id = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(id)
            .bind(to_sql_id(guild))
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let event = event_from_row(&row)?;

        let registrations = sqlx::query(
            "SELECT user_id, team, registered_at, left_at FROM event_registrations \
             WHERE event_id = $1 ORDER BY registered_at, user_id",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(registration_from_row)
        .collect::<Result<Vec<_>, _>>()?;

        let rounds = sqlx::query(
            "SELECT eg.round_index, eg.game_id, g.started_at, g.ended_at \
             FROM event_games eg JOIN games g ON g.game_id = eg.game_id \
             WHERE eg.event_id = $1 ORDER BY eg.round_index",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(round_game_from_row)
        .collect::<Result<Vec<_>, _>>()?;

        let mut questions = sqlx::query(
            "SELECT eg.round_index, q.game_id, q.question_index, q.question_text, \
                    q.correct_answer, q.asked_at \
             FROM event_games eg JOIN questions q ON q.game_id = eg.game_id \
             WHERE eg.event_id = $1 ORDER BY eg.round_index, q.question_index",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|row| -> Result<QuestionRecord, StoreError> {
            Ok(QuestionRecord {
                round: usize::try_from(row.try_get::<i64, _>("round_index")?).unwrap_or(0),
                game_id: row.try_get("game_id")?,
                index: u32::try_from(row.try_get::<i64, _>("question_index")?).unwrap_or(0),
                text: row.try_get("question_text")?,
                correct_answer: row.try_get("correct_answer")?,
                asked_at: row.try_get("asked_at")?,
                answers: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;

        let answers = sqlx::query(
            "SELECT a.game_id, a.question_index, a.user_id, a.answer_text, a.answered_at, \
                    a.correct, a.points, a.near_miss \
             FROM event_games eg JOIN answers a ON a.game_id = eg.game_id \
             WHERE eg.event_id = $1 ORDER BY a.game_id, a.question_index, a.answered_at, a.user_id",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        let slot: HashMap<(i64, u32), usize> = questions
            .iter()
            .enumerate()
            .map(|(i, q)| ((q.game_id, q.index), i))
            .collect();
        for row in &answers {
            let game_id: i64 = row.try_get("game_id")?;
            let index = u32::try_from(row.try_get::<i64, _>("question_index")?).unwrap_or(0);
            let Some(&i) = slot.get(&(game_id, index)) else {
                continue; // every answer has its question (foreign key); nothing to attach to
            };
            questions[i].answers.push(AnswerRow {
                user: from_sql_id(row.try_get("user_id")?),
                text: row.try_get("answer_text")?,
                answered_at: row.try_get("answered_at")?,
                correct: row.try_get::<i64, _>("correct")? != 0,
                points: row.try_get("points")?,
                near_miss: row.try_get("near_miss")?,
            });
        }

        let sql = format!(
            "SELECT {RULING_COLUMNS} FROM rulings \
             WHERE game_id IN (SELECT game_id FROM event_games WHERE event_id = $1) \
             ORDER BY ruled_at, ruling_id"
        );
        let rulings = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(id)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(ruling_from_row)
            .collect::<Result<Vec<_>, _>>()?;

        let names: Vec<(i64, String)> = sqlx::query_as(
            "SELECT n.user_id, n.name FROM display_names n WHERE n.guild_id = $1 AND ( \
                 n.user_id IN (SELECT user_id FROM event_registrations WHERE event_id = $2) \
                 OR n.user_id IN (SELECT a.user_id FROM answers a \
                     JOIN event_games eg ON eg.game_id = a.game_id WHERE eg.event_id = $2))",
        )
        .bind(to_sql_id(guild))
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(EventRecords {
            event,
            registrations,
            names: names
                .into_iter()
                .map(|(user, name)| (from_sql_id(user), name))
                .collect::<BTreeMap<_, _>>(),
            rounds,
            questions,
            rulings,
        }))
    }
}

fn round_game_from_row(row: &AnyRow) -> Result<RoundGame, StoreError> {
    Ok(RoundGame {
        round: usize::try_from(row.try_get::<i64, _>("round_index")?).unwrap_or(0),
        game_id: row.try_get("game_id")?,
        started_at: row.try_get("started_at")?,
        ended_at: row.try_get("ended_at")?,
    })
}

/// Whether sign-ups for the event are still open, read inside the write transaction.
async fn registration_open(
    tx: &mut Transaction<'static, Any>,
    event: &Event,
) -> Result<bool, StoreError> {
    let row: Option<(String, i64)> = sqlx::query_as(
        "SELECT status, status_round FROM events WHERE event_id = $1 AND guild_id = $2",
    )
    .bind(event.id)
    .bind(to_sql_id(event.guild))
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row
        .and_then(|(name, round)| EventStatus::from_db(&name, round))
        .is_some_and(EventStatus::registration_open))
}
