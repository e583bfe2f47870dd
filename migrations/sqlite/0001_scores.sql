-- trivia-bot storage, version 1 (SQLite). Keep in step with migrations/postgres/0001_scores.sql:
-- same tables, same columns, same meaning; only the SQL dialect differs.
-- Ids are Discord snowflakes (or seeds) stored as 64-bit integers; times are Unix milliseconds, UTC.
-- Flags are INTEGER 0/1 (sqlx's Any driver cannot read SQLite BOOLEAN columns).

-- One row per server. `settings` is JSON (GuildSettings); NULL means the defaults.
-- Score-changing transactions also lock this row first, so a reset and a question's awards
-- in the same server never interleave.
CREATE TABLE guilds (
    guild_id            INTEGER PRIMARY KEY NOT NULL,
    settings            TEXT,
    settings_updated_at INTEGER
);

-- Latest known display name of a member, so leaderboards read well.
CREATE TABLE display_names (
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    name       TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

-- All-time totals per player and server. Changed only by single atomic statements
-- (points = points + n), never read-modify-write. A reset deletes the rows.
CREATE TABLE players (
    guild_id       INTEGER NOT NULL,
    user_id        INTEGER NOT NULL,
    points         INTEGER NOT NULL DEFAULT 0,
    answered       INTEGER NOT NULL DEFAULT 0,
    right_answers  INTEGER NOT NULL DEFAULT 0,
    games_played   INTEGER NOT NULL DEFAULT 0,
    games_won      INTEGER NOT NULL DEFAULT 0,
    current_streak INTEGER NOT NULL DEFAULT 0,
    best_streak    INTEGER NOT NULL DEFAULT 0,
    last_played_at INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);
CREATE INDEX players_by_points ON players (guild_id, points DESC);

CREATE TABLE games (
    game_id    INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    guild_id   INTEGER NOT NULL,
    channel_id INTEGER NOT NULL,
    started_by INTEGER NOT NULL,
    pack       TEXT    NOT NULL,
    seed       INTEGER NOT NULL,
    mode       TEXT    NOT NULL,
    started_at INTEGER NOT NULL,
    ended_at   INTEGER
);
CREATE INDEX games_by_guild ON games (guild_id, started_at);

CREATE TABLE questions (
    game_id        INTEGER NOT NULL REFERENCES games (game_id),
    question_index INTEGER NOT NULL,
    question_text  TEXT    NOT NULL,
    correct_answer TEXT    NOT NULL,
    asked_at       INTEGER NOT NULL,
    PRIMARY KEY (game_id, question_index)
);

-- Moderator resets, kept so a mistaken one is visible. user_id NULL = the whole server.
CREATE TABLE resets (
    reset_id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    guild_id INTEGER NOT NULL,
    user_id  INTEGER,
    reset_by INTEGER NOT NULL,
    reset_at INTEGER NOT NULL
);
CREATE INDEX resets_by_guild ON resets (guild_id, reset_at);

-- One row per player per question. The primary key makes recording a question idempotent.
-- `cleared_by_reset` names the reset that took the answer out of the totals and the
-- week/month boards (NULL = still counts); game and event boards keep showing it.
CREATE TABLE answers (
    game_id          INTEGER NOT NULL,
    question_index   INTEGER NOT NULL,
    user_id          INTEGER NOT NULL,
    guild_id         INTEGER NOT NULL,
    event_id         INTEGER,
    answer_text      TEXT    NOT NULL,
    answered_at      INTEGER NOT NULL,
    correct          INTEGER NOT NULL CHECK (correct IN (0, 1)),
    points           INTEGER NOT NULL,
    near_miss        REAL,
    cleared_by_reset INTEGER REFERENCES resets (reset_id),
    PRIMARY KEY (game_id, question_index, user_id),
    FOREIGN KEY (game_id, question_index) REFERENCES questions (game_id, question_index)
);
CREATE INDEX answers_by_time ON answers (guild_id, answered_at);
CREATE INDEX answers_by_event ON answers (event_id) WHERE event_id IS NOT NULL;

-- A running game's state, so a restarted bot can resume it. One game per channel.
CREATE TABLE game_snapshots (
    channel_id INTEGER PRIMARY KEY NOT NULL,
    guild_id   INTEGER NOT NULL,
    game_id    INTEGER NOT NULL,
    snapshot   TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);
