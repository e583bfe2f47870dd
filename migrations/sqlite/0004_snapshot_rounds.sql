-- A running game's revealed questions (with every answer) are saved once each, apart from its
-- state, which is saved after every change and so stays small. A ruling re-saves its question.
CREATE TABLE game_snapshot_rounds (
    channel_id  INTEGER NOT NULL,
    game_id     INTEGER NOT NULL,
    round_index INTEGER NOT NULL,
    outcome     TEXT    NOT NULL,
    PRIMARY KEY (channel_id, game_id, round_index)
);
