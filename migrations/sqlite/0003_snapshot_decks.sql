-- A running game's deck is saved once, beside its state: the state changes with every
-- answer and is saved often, the deck never changes during a game. NULL in rows saved
-- before this migration (their state still holds the deck).
ALTER TABLE game_snapshots ADD COLUMN deck TEXT;
