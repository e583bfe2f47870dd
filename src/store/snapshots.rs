//! Running games' snapshots, so a restarted bot resumes them: the statements, and what is
//! queued for the next write ([`Pending`]: each channel's latest save, its deck written once).
//! [`super::GameWriter`] writes them in batches.

use std::collections::HashMap;

use sqlx::{Any, Row, Transaction};

use super::types::{from_sql_id, to_sql_id};
use super::{GameSnapshot, Store, StoreError, UnixMillis};

/// One change to the saved games.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotWrite {
    /// Save (or replace) the state of the game running in its channel.
    Save(GameSnapshot),
    /// The game `game_id` in `channel` ended: forget its snapshot (not a later game's).
    Delete { channel: u64, game_id: i64 },
}

impl SnapshotWrite {
    fn channel(&self) -> u64 {
        match self {
            SnapshotWrite::Save(s) => s.channel,
            SnapshotWrite::Delete { channel, .. } => *channel,
        }
    }
}

impl Store {
    /// Saves (or replaces) the state of the game running in `channel`.
    pub async fn save_game_snapshot(&self, snapshot: &GameSnapshot) -> Result<(), StoreError> {
        self.write_game_snapshots(std::slice::from_ref(&SnapshotWrite::Save(snapshot.clone())))
            .await
    }

    /// Applies `writes` in order, in one transaction.
    pub async fn write_game_snapshots(&self, writes: &[SnapshotWrite]) -> Result<(), StoreError> {
        if writes.is_empty() {
            return Ok(());
        }
        self.with_retry("save game snapshots", || async {
            let _turn = self.write_turn().await;
            let mut tx = self.begin_write().await?;
            apply(&mut tx, writes).await?;
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    /// Every saved running game, oldest first (to resume after a restart).
    pub async fn load_game_snapshots(&self) -> Result<Vec<GameSnapshot>, StoreError> {
        let rows = self
            .with_retry("load game snapshots", || async {
                Ok(sqlx::query(
                    "SELECT guild_id, channel_id, game_id, snapshot, deck, updated_at \
                     FROM game_snapshots ORDER BY updated_at, channel_id",
                )
                .fetch_all(&self.pool)
                .await?)
            })
            .await?;
        let round_rows = self
            .with_retry("load game snapshots", || async {
                Ok(sqlx::query(
                    "SELECT channel_id, game_id, round_index, outcome FROM game_snapshot_rounds \
                     ORDER BY channel_id, game_id, round_index",
                )
                .fetch_all(&self.pool)
                .await?)
            })
            .await?;
        let mut rounds: HashMap<(u64, i64), Vec<(u32, String)>> = HashMap::new();
        for row in &round_rows {
            let index: i64 = row.try_get("round_index")?;
            rounds
                .entry((
                    from_sql_id(row.try_get("channel_id")?),
                    row.try_get("game_id")?,
                ))
                .or_default()
                .push((
                    u32::try_from(index).unwrap_or(u32::MAX),
                    row.try_get("outcome")?,
                ));
        }
        rows.iter()
            .map(|row| {
                let channel = from_sql_id(row.try_get("channel_id")?);
                let game_id: i64 = row.try_get("game_id")?;
                Ok(GameSnapshot {
                    guild: from_sql_id(row.try_get("guild_id")?),
                    channel,
                    game_id,
                    json: row.try_get("snapshot")?,
                    deck: row.try_get("deck")?,
                    rounds: rounds.remove(&(channel, game_id)).unwrap_or_default(),
                    updated_at: row.try_get::<UnixMillis, _>("updated_at")?,
                })
            })
            .collect()
    }

    /// Forgets the snapshot of `channel`'s game (it ended). Returns false if there was none.
    pub async fn delete_game_snapshot(&self, channel: u64) -> Result<bool, StoreError> {
        self.with_retry("delete game snapshot", || async {
            let _turn = self.write_turn().await;
            let mut tx = self.begin_write().await?;
            let done = sqlx::query("DELETE FROM game_snapshots WHERE channel_id = $1")
                .bind(to_sql_id(channel))
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM game_snapshot_rounds WHERE channel_id = $1")
                .bind(to_sql_id(channel))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(done.rows_affected() > 0)
        })
        .await
    }
}

/// Applies `writes` in order inside a transaction.
pub(super) async fn apply(
    tx: &mut Transaction<'static, Any>,
    writes: &[SnapshotWrite],
) -> Result<(), sqlx::Error> {
    for write in writes {
        match write {
            SnapshotWrite::Save(s) => upsert(tx, s).await?,
            SnapshotWrite::Delete { channel, game_id } => {
                for table in ["game_snapshots", "game_snapshot_rounds"] {
                    // The table name is one of the two above; the values are bound.
                    let sql = format!("DELETE FROM {table} WHERE channel_id = $1 AND game_id = $2");
                    sqlx::query(sqlx::AssertSqlSafe(sql))
                        .bind(to_sql_id(*channel))
                        .bind(*game_id)
                        .execute(&mut **tx)
                        .await?;
                }
            }
        }
    }
    Ok(())
}

async fn upsert(tx: &mut Transaction<'static, Any>, s: &GameSnapshot) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO game_snapshots (channel_id, guild_id, game_id, snapshot, deck, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (channel_id) DO UPDATE SET guild_id = excluded.guild_id, \
             game_id = excluded.game_id, snapshot = excluded.snapshot, \
             deck = COALESCE(excluded.deck, game_snapshots.deck), \
             updated_at = excluded.updated_at",
    )
    .bind(to_sql_id(s.channel))
    .bind(to_sql_id(s.guild))
    .bind(s.game_id)
    .bind(s.json.as_str())
    .bind(s.deck.as_deref())
    .bind(s.updated_at)
    .execute(&mut **tx)
    .await?;
    if s.deck.is_some() {
        // A game's first save: rounds a crashed earlier game left in this channel go.
        sqlx::query("DELETE FROM game_snapshot_rounds WHERE channel_id = $1 AND game_id <> $2")
            .bind(to_sql_id(s.channel))
            .bind(s.game_id)
            .execute(&mut **tx)
            .await?;
    }
    for (index, outcome) in &s.rounds {
        sqlx::query(
            "INSERT INTO game_snapshot_rounds (channel_id, game_id, round_index, outcome) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (channel_id, game_id, round_index) DO UPDATE SET outcome = excluded.outcome",
        )
        .bind(to_sql_id(s.channel))
        .bind(s.game_id)
        .bind(i64::from(*index))
        .bind(outcome.as_str())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// What is waiting to be written: the latest write of each channel, and which games' decks
/// the database already holds (so later saves of a game leave its deck out).
#[derive(Default)]
pub(super) struct Pending {
    pub(super) writes: HashMap<u64, SnapshotWrite>,
    decks_stored: HashMap<u64, i64>,
}

impl Pending {
    pub(super) fn add(&mut self, write: SnapshotWrite) {
        let channel = write.channel();
        let write = match self.writes.remove(&channel) {
            Some(older) => newer_keeping_deck(older, write),
            None => write,
        };
        self.writes.insert(channel, write);
    }

    /// The queued writes, with decks the database holds already left out.
    pub(super) fn take(&mut self) -> Vec<SnapshotWrite> {
        let mut writes: Vec<SnapshotWrite> = self.writes.drain().map(|(_, w)| w).collect();
        for write in &mut writes {
            if let SnapshotWrite::Save(s) = write
                && self.decks_stored.get(&s.channel) == Some(&s.game_id)
            {
                s.deck = None;
            }
        }
        writes
    }

    pub(super) fn written(&mut self, writes: &[SnapshotWrite]) {
        for write in writes {
            match write {
                SnapshotWrite::Save(s) if s.deck.is_some() => {
                    self.decks_stored.insert(s.channel, s.game_id);
                }
                SnapshotWrite::Save(_) => {}
                SnapshotWrite::Delete { channel, .. } => {
                    self.decks_stored.remove(channel);
                }
            }
        }
    }

    /// Writes that failed go back in the queue, unless a newer write of the channel came.
    pub(super) fn failed(&mut self, writes: Vec<SnapshotWrite>) {
        for write in writes {
            let channel = write.channel();
            let write = match self.writes.remove(&channel) {
                Some(newer) => newer_keeping_deck(write, newer),
                None => write,
            };
            self.writes.insert(channel, write);
        }
    }
}

/// `newer` replaces `older`; a save of the same game keeps the older one's deck and rounds
/// (which may not be written yet) where it has none of its own.
fn newer_keeping_deck(older: SnapshotWrite, newer: SnapshotWrite) -> SnapshotWrite {
    match (older, newer) {
        (SnapshotWrite::Save(old), SnapshotWrite::Save(mut new)) if new.game_id == old.game_id => {
            new.deck = new.deck.or(old.deck);
            new.rounds = merge_rounds(old.rounds, std::mem::take(&mut new.rounds));
            SnapshotWrite::Save(new)
        }
        (_, newer) => newer,
    }
}

/// Both saves' rounds, the newer one's where both have a round.
pub(super) fn merge_rounds(
    older: Vec<(u32, String)>,
    newer: Vec<(u32, String)>,
) -> Vec<(u32, String)> {
    let mut all: std::collections::BTreeMap<u32, String> = older.into_iter().collect();
    all.extend(newer);
    all.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn save(channel: u64, game_id: i64, deck: Option<&str>) -> SnapshotWrite {
        SnapshotWrite::Save(GameSnapshot {
            guild: 1,
            channel,
            game_id,
            json: format!("{{\"at\":{game_id}}}"),
            deck: deck.map(str::to_owned),
            rounds: Vec::new(),
            updated_at: 0,
        })
    }

    fn deck_of(w: &SnapshotWrite) -> Option<&str> {
        match w {
            SnapshotWrite::Save(s) => s.deck.as_deref(),
            SnapshotWrite::Delete { .. } => None,
        }
    }

    #[test]
    fn the_latest_write_of_a_channel_wins_and_keeps_an_unwritten_deck() {
        let mut p = Pending::default();
        p.add(save(7, 1, Some("deck")));
        p.add(save(7, 1, None));
        let writes = p.take();
        assert_eq!(writes.len(), 1);
        assert_eq!(deck_of(&writes[0]), Some("deck"), "the deck is not lost");
        p.written(&writes);

        // Written once: later saves of the same game leave it out, a new game's keeps its own.
        p.add(save(7, 1, Some("deck")));
        assert_eq!(deck_of(&p.take()[0]), None);
        p.add(save(7, 2, Some("deck 2")));
        assert_eq!(deck_of(&p.take()[0]), Some("deck 2"));
    }

    #[test]
    fn a_delete_replaces_a_queued_save_and_failed_writes_do_not_undo_newer_ones() {
        let mut p = Pending::default();
        p.add(save(7, 1, Some("deck")));
        p.add(SnapshotWrite::Delete {
            channel: 7,
            game_id: 1,
        });
        let failed = p.take();
        assert_eq!(
            failed,
            [SnapshotWrite::Delete {
                channel: 7,
                game_id: 1
            }]
        );
        p.add(save(7, 2, Some("deck 2")));
        p.failed(failed);
        assert_eq!(p.take(), [save(7, 2, Some("deck 2"))]);

        // A failed save's deck survives a newer save of the same game that has none.
        p.failed(vec![save(8, 3, Some("deck 3"))]);
        let failed = p.take();
        p.add(save(8, 3, None));
        p.failed(failed);
        assert_eq!(deck_of(&p.take()[0]), Some("deck 3"));
    }
}
