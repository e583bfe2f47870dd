//! Games and their results: the writes that change scores.

use sqlx::{Any, Executor, Transaction};

use super::types::{from_sql_id, to_sql_id};
use super::{AnswerRecord, NewGame, QuestionResults, Recorded, Store, StoreError, UnixMillis};

/// Locks the server's row until the transaction ends, so score changes and resets in one server
/// take turns (PostgreSQL row lock; SQLite's BEGIN IMMEDIATE already serializes writers).
pub(super) async fn lock_guild(
    tx: &mut Transaction<'static, Any>,
    guild: u64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO guilds (guild_id) VALUES ($1) \
         ON CONFLICT (guild_id) DO UPDATE SET settings = guilds.settings",
    )
    .bind(to_sql_id(guild))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The server a game belongs to, if the game exists.
async fn game_guild(
    tx: &mut Transaction<'static, Any>,
    game_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT guild_id FROM games WHERE game_id = $1")
        .bind(game_id)
        .fetch_optional(&mut **tx)
        .await
}

/// Locks the server's row ([`lock_guild`]) and checks that the game is one of its games, so a
/// caller naming a server cannot write to another server's game.
pub(super) async fn lock_guild_of_game(
    tx: &mut Transaction<'static, Any>,
    guild: u64,
    game_id: i64,
) -> Result<(), StoreError> {
    lock_guild(tx, guild).await?;
    if game_guild(tx, game_id).await? != Some(to_sql_id(guild)) {
        return Err(StoreError::UnknownGame { game_id });
    }
    Ok(())
}

/// Records that a game started; returns its id. Takes the pool (a lone game) or a
/// transaction (an event round, linked to its event in the same transaction).
pub(super) async fn insert_game<'c>(
    db: impl Executor<'c, Database = Any>,
    game: &NewGame,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO games (guild_id, channel_id, started_by, pack, seed, mode, started_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING game_id",
    )
    .bind(to_sql_id(game.guild))
    .bind(to_sql_id(game.channel))
    .bind(to_sql_id(game.started_by))
    .bind(game.pack.as_str())
    .bind(to_sql_id(game.seed))
    .bind(game.mode.as_str())
    .bind(game.started_at)
    .fetch_one(db)
    .await
}

/// Sets a stored answer's result and points and moves the player's points and right-answer
/// count by the difference; an answer cleared by a reset changes on the game's board only.
/// Streaks are not recomputed. Both a moderator's amendment and an event ruling (and its undo)
/// change an answer this way. The difference is taken inside the statement, from the stored
/// answer, while the caller's guild lock ([`lock_guild`]) keeps anyone else from changing it.
/// Returns false if there is no such answer.
pub(super) async fn amend_in_tx(
    tx: &mut Transaction<'static, Any>,
    guild: u64,
    game_id: i64,
    question_index: u32,
    user: u64,
    correct: bool,
    points: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE players SET \
             points = points + ($4 - (SELECT a.points FROM answers a \
                 WHERE a.game_id = $1 AND a.question_index = $2 AND a.user_id = $3)), \
             right_answers = right_answers + ($5 - (SELECT a.correct FROM answers a \
                 WHERE a.game_id = $1 AND a.question_index = $2 AND a.user_id = $3)) \
         WHERE guild_id = $6 AND user_id = $3 AND EXISTS (SELECT 1 FROM answers a \
             WHERE a.game_id = $1 AND a.question_index = $2 AND a.user_id = $3 \
               AND a.cleared_by_reset IS NULL)",
    )
    .bind(game_id)
    .bind(i64::from(question_index))
    .bind(to_sql_id(user))
    .bind(points)
    .bind(i64::from(correct))
    .bind(to_sql_id(guild))
    .execute(&mut **tx)
    .await?;
    let changed = sqlx::query(
        "UPDATE answers SET points = $4, correct = $5 \
         WHERE game_id = $1 AND question_index = $2 AND user_id = $3",
    )
    .bind(game_id)
    .bind(i64::from(question_index))
    .bind(to_sql_id(user))
    .bind(points)
    .bind(i64::from(correct))
    .execute(&mut **tx)
    .await?;
    Ok(changed.rows_affected() == 1)
}

/// Stores one answer unless (game, question, player) is already stored; true if stored now.
///
/// `near_miss` arrives as a number ($10) and a flag ($11) rather than an `Option<f64>`: sqlx 0.9's
/// Any driver sends a NULL f64 to PostgreSQL typed as float4, and a statement first prepared
/// with that type then rejects real f64 values ("incorrect binary data format").
const INSERT_ANSWER: &str = "\
    INSERT INTO answers (game_id, question_index, user_id, guild_id, event_id, answer_text, \
                         answered_at, correct, points, near_miss) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $11 = 1 THEN $10 ELSE NULL END) \
    ON CONFLICT (game_id, question_index, user_id) DO NOTHING";

/// Adds one answer to the player's totals in a single atomic upsert. In an UPDATE every
/// right-hand side sees the row as it was, so the streak arithmetic uses the old values.
const ADD_TO_TOTALS: &str = "\
    INSERT INTO players (guild_id, user_id, points, answered, right_answers, \
                         current_streak, best_streak, last_played_at) \
    VALUES ($1, $2, $3, 1, $4, $4, $4, $5) \
    ON CONFLICT (guild_id, user_id) DO UPDATE SET \
        points = players.points + excluded.points, \
        answered = players.answered + 1, \
        right_answers = players.right_answers + excluded.right_answers, \
        current_streak = CASE WHEN excluded.right_answers = 1 \
                              THEN players.current_streak + 1 ELSE 0 END, \
        best_streak = CASE WHEN excluded.right_answers = 1 \
                                AND players.current_streak + 1 > players.best_streak \
                           THEN players.current_streak + 1 ELSE players.best_streak END, \
        last_played_at = CASE WHEN excluded.last_played_at > players.last_played_at \
                              THEN excluded.last_played_at ELSE players.last_played_at END";

impl Store {
    /// Records that a game started; returns its id.
    pub async fn start_game(&self, game: &NewGame) -> Result<i64, StoreError> {
        self.with_retry("start game", || async {
            let _turn = self.write_turn().await;
            Ok(insert_game(&self.pool, game).await?)
        })
        .await
    }

    /// Stores a question and its answers and adds them to the players' totals, all in one
    /// transaction: when this returns Ok the awards are committed and the reveal may be shown.
    ///
    /// Idempotent: an answer already stored for (game, question, player) is skipped and not
    /// counted again, so a retried or replayed question never counts twice.
    ///
    /// Streaks: a right answer extends the player's streak, a wrong one ends it; questions the
    /// player did not answer leave it alone.
    pub async fn record_question(&self, results: &QuestionResults) -> Result<Recorded, StoreError> {
        self.with_retry("record question", || self.record_question_once(results))
            .await
    }

    async fn record_question_once(&self, q: &QuestionResults) -> Result<Recorded, StoreError> {
        let _turn = self.write_turn().await;
        let mut tx = self.begin_write().await?;
        lock_guild_of_game(&mut tx, q.guild, q.game_id).await?;
        sqlx::query(
            "INSERT INTO questions (game_id, question_index, question_text, correct_answer, asked_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (game_id, question_index) DO NOTHING",
        )
        .bind(q.game_id)
        .bind(i64::from(q.question_index))
        .bind(q.question_text.as_str())
        .bind(q.correct_answer.as_str())
        .bind(q.asked_at)
        .execute(&mut *tx)
        .await?;

        // One order for everyone, so two transactions touching the same players cannot
        // deadlock even without the guild lock.
        let mut answers: Vec<&AnswerRecord> = q.answers.iter().collect();
        answers.sort_by_key(|a| a.user);
        let mut recorded = Recorded {
            new_answers: 0,
            already_recorded: 0,
        };
        for answer in answers {
            if insert_answer(&mut tx, q, answer).await? {
                add_to_totals(&mut tx, q.guild, answer).await?;
                recorded.new_answers += 1;
            } else {
                recorded.already_recorded += 1;
            }
        }
        for (user, name) in &q.names {
            super::guilds::remember_name(&mut tx, q.guild, *user, name).await?;
        }
        tx.commit().await?;
        Ok(recorded)
    }

    /// Marks a game finished: one more game played for everyone who answered in it, one more
    /// won for each winner. Returns false (and changes nothing) if it was already finished.
    pub async fn finish_game(
        &self,
        game_id: i64,
        ended_at: UnixMillis,
        winners: &[u64],
    ) -> Result<bool, StoreError> {
        let mut winners = winners.to_vec();
        winners.sort_unstable();
        winners.dedup();
        self.with_retry("finish game", || {
            self.finish_game_once(game_id, ended_at, &winners)
        })
        .await
    }

    async fn finish_game_once(
        &self,
        game_id: i64,
        ended_at: UnixMillis,
        winners: &[u64],
    ) -> Result<bool, StoreError> {
        let _turn = self.write_turn().await;
        let mut tx = self.begin_write().await?;
        let Some(guild) = game_guild(&mut tx, game_id).await? else {
            return Err(StoreError::UnknownGame { game_id });
        };
        lock_guild(&mut tx, guild as u64).await?;
        let ended =
            sqlx::query("UPDATE games SET ended_at = $2 WHERE game_id = $1 AND ended_at IS NULL")
                .bind(game_id)
                .bind(ended_at)
                .execute(&mut *tx)
                .await?;
        if ended.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO players (guild_id, user_id, games_played, last_played_at) \
             SELECT DISTINCT guild_id, user_id, 1, $2 FROM answers WHERE game_id = $1 \
             ON CONFLICT (guild_id, user_id) DO UPDATE SET \
                 games_played = players.games_played + 1",
        )
        .bind(game_id)
        .bind(ended_at)
        .execute(&mut *tx)
        .await?;
        for &winner in winners {
            sqlx::query(
                "INSERT INTO players (guild_id, user_id, games_won, last_played_at) \
                 VALUES ($1, $2, 1, $3) \
                 ON CONFLICT (guild_id, user_id) DO UPDATE SET \
                     games_won = players.games_won + 1",
            )
            .bind(guild)
            .bind(to_sql_id(winner))
            .bind(ended_at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Changes the result of a stored answer (a moderator's ruling) and moves the player's
    /// points and right-answer count by the difference. Setting the same result twice changes
    /// nothing the second time. Streaks are not recomputed. Answers cleared by a reset change
    /// on the game's board only. Returns false if there is no such answer.
    pub async fn amend_answer(
        &self,
        game_id: i64,
        question_index: u32,
        user: u64,
        correct: bool,
        points: i64,
    ) -> Result<bool, StoreError> {
        self.with_retry("amend answer", || {
            self.amend_answer_once(game_id, question_index, user, correct, points)
        })
        .await
    }

    async fn amend_answer_once(
        &self,
        game_id: i64,
        question_index: u32,
        user: u64,
        correct: bool,
        points: i64,
    ) -> Result<bool, StoreError> {
        let _turn = self.write_turn().await;
        let mut tx = self.begin_write().await?;
        let Some(guild) = game_guild(&mut tx, game_id).await? else {
            return Ok(false);
        };
        let guild = from_sql_id(guild);
        lock_guild(&mut tx, guild).await?;
        let changed = amend_in_tx(
            &mut tx,
            guild,
            game_id,
            question_index,
            user,
            correct,
            points,
        )
        .await?;
        tx.commit().await?;
        Ok(changed)
    }
}

async fn insert_answer(
    tx: &mut Transaction<'static, Any>,
    q: &QuestionResults,
    answer: &AnswerRecord,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(INSERT_ANSWER)
        .bind(q.game_id)
        .bind(i64::from(q.question_index))
        .bind(to_sql_id(answer.user))
        .bind(to_sql_id(q.guild))
        .bind(q.event_id)
        .bind(answer.answer_text.as_str())
        .bind(answer.answered_at)
        .bind(i64::from(answer.correct))
        .bind(answer.points)
        .bind(answer.near_miss.unwrap_or(0.0))
        .bind(i64::from(answer.near_miss.is_some()))
        .execute(&mut **tx)
        .await?;
    Ok(result.rows_affected() == 1)
}

async fn add_to_totals(
    tx: &mut Transaction<'static, Any>,
    guild: u64,
    answer: &AnswerRecord,
) -> Result<(), sqlx::Error> {
    sqlx::query(ADD_TO_TOTALS)
        .bind(to_sql_id(guild))
        .bind(to_sql_id(answer.user))
        .bind(answer.points)
        .bind(i64::from(answer.correct))
        .bind(answer.answered_at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
