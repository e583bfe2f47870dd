//! Games and their results: the writes that change scores.

use sqlx::{Any, Executor, Transaction};

use super::types::{from_sql_id, to_sql_id};
use super::{AnswerRecord, NewGame, QuestionResults, Recorded, Store, StoreError, UnixMillis};

/// Locks the server's row until the transaction ends, so score changes and resets in one server
/// take turns (PostgreSQL row lock). SQLite's BEGIN IMMEDIATE already serializes writers, so
/// there it writes nothing (nothing refers to the `guilds` row).
pub(super) async fn lock_guild(
    tx: &mut Transaction<'static, Any>,
    guild: u64,
) -> Result<(), sqlx::Error> {
    if tx.backend_name() == <sqlx::Sqlite as sqlx::Database>::NAME {
        return Ok(());
    }
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
/// Rows a multi-row statement carries at most (11 parameters each, well under the backends'
/// parameter limits). A question's answers go in one statement, not one each: with SQLite
/// every statement is a round trip to the connection's thread.
const ROWS_PER_STATEMENT: usize = 200;

/// Inserts answers, skipping any already stored; returns the players whose answer was new.
fn insert_answers_sql(rows: usize) -> String {
    let values = values_list(rows, 11, |p| {
        format!(
            "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, CASE WHEN ${} = 1 THEN ${} ELSE NULL END)",
            p,
            p + 1,
            p + 2,
            p + 3,
            p + 4,
            p + 5,
            p + 6,
            p + 7,
            p + 8,
            p + 10,
            p + 9
        )
    });
    format!(
        "INSERT INTO answers (game_id, question_index, user_id, guild_id, event_id, answer_text, \
                              answered_at, correct, points, near_miss) \
         VALUES {values} \
         ON CONFLICT (game_id, question_index, user_id) DO NOTHING RETURNING user_id"
    )
}

/// Adds answers to their players' totals in a single atomic upsert (one row a player). In an
/// UPDATE every right-hand side sees the row as it was, so the streak arithmetic uses the old
/// values.
fn add_to_totals_sql(rows: usize) -> String {
    let values = values_list(rows, 5, |p| {
        format!(
            "(${}, ${}, ${}, 1, ${}, ${}, ${}, ${})",
            p,
            p + 1,
            p + 2,
            p + 3,
            p + 3,
            p + 3,
            p + 4
        )
    });
    format!(
        "INSERT INTO players (guild_id, user_id, points, answered, right_answers, \
                              current_streak, best_streak, last_played_at) \
         VALUES {values} \
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
                                   THEN excluded.last_played_at ELSE players.last_played_at END"
    )
}

/// `rows` comma-separated `VALUES` rows of `per_row` parameters; `row(first)` writes one row
/// whose parameters are numbered from `first`.
pub(super) fn values_list(rows: usize, per_row: usize, row: impl Fn(usize) -> String) -> String {
    (0..rows)
        .map(|i| row(1 + i * per_row))
        .collect::<Vec<_>>()
        .join(", ")
}

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
        let recorded = record_in_tx(&mut tx, q).await?;
        tx.commit().await?;
        Ok(recorded)
    }

    /// Several questions' results and running games' saves in one transaction: one commit
    /// (one `fsync`) for all. All or nothing: on an error nothing is written, and the caller
    /// records each question on its own (so one bad question cannot fail the others).
    pub async fn record_batch(
        &self,
        all: &[&QuestionResults],
        snapshots: &[super::SnapshotWrite],
    ) -> Result<Vec<Recorded>, StoreError> {
        self.with_retry("record questions", || async {
            let _turn = self.write_turn().await;
            let mut tx = self.begin_write().await?;
            let mut recorded = Vec::with_capacity(all.len());
            for q in all {
                recorded.push(record_in_tx(&mut tx, q).await?);
            }
            super::snapshots::apply(&mut tx, snapshots).await?;
            tx.commit().await?;
            Ok(recorded)
        })
        .await
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

/// A question's results inside a transaction (see [`Store::record_question`]).
async fn record_in_tx(
    tx: &mut Transaction<'static, Any>,
    q: &QuestionResults,
) -> Result<Recorded, StoreError> {
    lock_guild_of_game(tx, q.guild, q.game_id).await?;
    sqlx::query(
        "INSERT INTO questions (game_id, question_index, question_text, correct_answer, asked_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (game_id, question_index) DO NOTHING",
    )
    .bind(q.game_id)
    .bind(i64::from(q.question_index))
    .bind(q.question_text.as_str())
    .bind(q.correct_answer.as_str())
    .bind(q.asked_at)
    .execute(&mut **tx)
    .await?;

    // One order for everyone, so two transactions touching the same players cannot
    // deadlock even without the guild lock.
    let mut answers: Vec<&AnswerRecord> = q.answers.iter().collect();
    answers.sort_by_key(|a| a.user);
    // A player's first answer counts; any other in the same call is already recorded.
    answers.dedup_by_key(|a| a.user);
    let mut recorded = Recorded {
        new_answers: 0,
        already_recorded: q.answers.len() - answers.len(),
    };
    for chunk in answers.chunks(ROWS_PER_STATEMENT) {
        let inserted = insert_answers(tx, q, chunk).await?;
        let new: Vec<&AnswerRecord> = chunk
            .iter()
            .copied()
            .filter(|a| inserted.contains(&a.user))
            .collect();
        add_to_totals(tx, q.guild, &new).await?;
        recorded.new_answers += new.len();
        recorded.already_recorded += chunk.len() - new.len();
    }
    super::guilds::remember_names(tx, q.guild, &q.names).await?;
    Ok(recorded)
}

/// Inserts a chunk of a question's answers; returns the players whose answer was new (an
/// answer stored before, by a retry or a replay after a restart, is skipped).
async fn insert_answers(
    tx: &mut Transaction<'static, Any>,
    q: &QuestionResults,
    answers: &[&AnswerRecord],
) -> Result<std::collections::HashSet<u64>, sqlx::Error> {
    if answers.is_empty() {
        return Ok(Default::default());
    }
    let sql = insert_answers_sql(answers.len());
    // Built from constants and numbered placeholders only: the values are bound.
    let mut query = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql));
    for answer in answers {
        query = query
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
            .bind(i64::from(answer.near_miss.is_some()));
    }
    let inserted = query.fetch_all(&mut **tx).await?;
    Ok(inserted.into_iter().map(from_sql_id).collect())
}

/// Adds each answer to its player's totals (one statement; each player once).
async fn add_to_totals(
    tx: &mut Transaction<'static, Any>,
    guild: u64,
    answers: &[&AnswerRecord],
) -> Result<(), sqlx::Error> {
    if answers.is_empty() {
        return Ok(());
    }
    let sql = add_to_totals_sql(answers.len());
    // Built from constants and numbered placeholders only: the values are bound.
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for answer in answers {
        query = query
            .bind(to_sql_id(guild))
            .bind(to_sql_id(answer.user))
            .bind(answer.points)
            .bind(i64::from(answer.correct))
            .bind(answer.answered_at);
    }
    query.execute(&mut **tx).await?;
    Ok(())
}
