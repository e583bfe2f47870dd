-- trivia-bot storage, version 2 (SQLite): quiz events, rulings, server aliases, server packs.
-- Keep in step with migrations/postgres/0002_events.sql: same tables, same columns, same meaning.
-- Ids are Discord snowflakes stored as 64-bit integers; times are Unix milliseconds, UTC.

-- A moderator's quiz event. `rounds` (RoundSpec list), `teams` (Teams or NULL) and `hosts`
-- (user ids) are JSON written by the bot. `status` names the EventStatus; `status_round` is
-- its round (running, paused) or next round (intermission), else 0. Status changes are
-- compare-and-set on (status, status_round), so two bot processes never both act on one.
CREATE TABLE events (
    event_id          INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    guild_id          INTEGER NOT NULL,
    name              TEXT    NOT NULL,
    description       TEXT    NOT NULL,
    channel_id        INTEGER NOT NULL,
    hosts             TEXT    NOT NULL,
    starts_at         INTEGER,
    announce_lead_ms  INTEGER NOT NULL,
    announce_role     INTEGER,
    rounds            TEXT    NOT NULL,
    teams             TEXT,
    status            TEXT    NOT NULL,
    status_round      INTEGER NOT NULL DEFAULT 0,
    status_changed_at INTEGER NOT NULL,
    discord_event_id  INTEGER,
    signup_message_id INTEGER,
    created_by        INTEGER NOT NULL,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX events_by_guild ON events (guild_id, created_at);
CREATE INDEX events_waiting ON events (status, starts_at);

-- Sign-ups. A player who leaves keeps the row (left_at), so their points still count for
-- their team; `team` indexes the event's team names.
CREATE TABLE event_registrations (
    event_id      INTEGER NOT NULL REFERENCES events (event_id),
    user_id       INTEGER NOT NULL,
    team          INTEGER,
    registered_at INTEGER NOT NULL,
    left_at       INTEGER,
    PRIMARY KEY (event_id, user_id)
);

-- The game that played each round. Answers also carry event_id (see answers).
CREATE TABLE event_games (
    event_id    INTEGER NOT NULL REFERENCES events (event_id),
    round_index INTEGER NOT NULL,
    game_id     INTEGER NOT NULL UNIQUE REFERENCES games (game_id),
    PRIMARY KEY (event_id, round_index)
);

-- A host's ruling that accepted a near miss, kept when undone. `points` is what it awarded.
-- At most one ruling per answer is in force (undone_at IS NULL).
CREATE TABLE rulings (
    ruling_id      INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    guild_id       INTEGER NOT NULL,
    event_id       INTEGER,
    game_id        INTEGER NOT NULL,
    question_index INTEGER NOT NULL,
    user_id        INTEGER NOT NULL,
    answer_text    TEXT    NOT NULL,
    points         INTEGER NOT NULL,
    ruled_by       INTEGER NOT NULL,
    ruled_at       INTEGER NOT NULL,
    undone_by      INTEGER,
    undone_at      INTEGER,
    FOREIGN KEY (game_id, question_index, user_id)
        REFERENCES answers (game_id, question_index, user_id)
);
CREATE UNIQUE INDEX rulings_in_force ON rulings (game_id, question_index, user_id)
    WHERE undone_at IS NULL;
CREATE INDEX rulings_by_event ON rulings (event_id) WHERE event_id IS NOT NULL;

-- Spellings a host accepted, counted right in later games of that server. `alias` is folded
-- text; `ruling_id` is the ruling that added it (undoing that ruling removes it).
CREATE TABLE guild_aliases (
    guild_id    INTEGER NOT NULL,
    pack        TEXT    NOT NULL,
    question_id TEXT    NOT NULL,
    alias       TEXT    NOT NULL,
    added_by    INTEGER NOT NULL,
    added_at    INTEGER NOT NULL,
    ruling_id   INTEGER,
    PRIMARY KEY (guild_id, pack, question_id, alias)
);

-- Packs a server uploaded, usable in that server only. `source` is the TOML as uploaded,
-- stored only after it validated; `version` counts the uploads of this pack id.
CREATE TABLE guild_packs (
    guild_id    INTEGER NOT NULL,
    pack_id     TEXT    NOT NULL,
    title       TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    source      TEXT    NOT NULL,
    size_bytes  INTEGER NOT NULL,
    uploaded_by INTEGER NOT NULL,
    uploaded_at INTEGER NOT NULL,
    PRIMARY KEY (guild_id, pack_id)
);
