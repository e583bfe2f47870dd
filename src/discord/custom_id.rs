//! The custom_ids of the bot's buttons and modals: what a click's handler needs, in a short
//! string Discord hands back verbatim.
//!
//! A client can send any custom_id it likes, so [`ComponentId::decode`] is strict (exact
//! shape, canonical decimal numbers) and the handlers still check everything against the
//! running game: an id that decodes but names another game or a finished question is simply
//! "over". Encoded ids are at most [`MAX_LEN`] characters, Discord's limit.

use std::fmt::Write as _;

/// Discord's limit for a component's custom_id.
pub const MAX_LEN: usize = 100;

/// Every id starts with this, so the bot ignores components it did not make.
const PREFIX: &str = "t";

/// Which leaderboard a page button shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, poise::ChoiceParameter)]
pub enum Period {
    #[name = "all-time"]
    AllTime,
    #[name = "week"]
    Week,
    #[name = "month"]
    Month,
}

impl Period {
    fn code(self) -> &'static str {
        match self {
            Period::AllTime => "a",
            Period::Week => "w",
            Period::Month => "m",
        }
    }

    fn from_code(code: &str) -> Option<Period> {
        match code {
            "a" => Some(Period::AllTime),
            "w" => Some(Period::Week),
            "m" => Some(Period::Month),
            _ => None,
        }
    }
}

/// What a button or modal is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ComponentId {
    /// A choice button of a question: `t:a:<game>:<question>:<choice>`.
    Choice {
        game: i64,
        question: u32,
        choice: u8,
    },
    /// The "Answer" button of a typed question, which opens the modal: `t:o:<game>:<question>`.
    OpenAnswer { game: i64, question: u32 },
    /// The typed-answer modal: `t:m:<game>:<question>`.
    AnswerModal { game: i64, question: u32 },
    /// A leaderboard page button: `t:l:<period>:<page>`.
    Board { period: Period, page: u32 },
    /// Confirms a reset asked for by `by`, of `user` or (None) the whole server:
    /// `t:r:<user or 0>:<by>`.
    ConfirmReset { user: Option<u64>, by: u64 },
    /// Cancels a reset asked for by `by`: `t:x:<by>`.
    CancelReset { by: u64 },
}

impl ComponentId {
    pub fn encode(&self) -> String {
        let mut s = String::with_capacity(48);
        // Writing to a String cannot fail.
        let _ = match *self {
            ComponentId::Choice {
                game,
                question,
                choice,
            } => {
                write!(s, "{PREFIX}:a:{game}:{question}:{choice}")
            }
            ComponentId::OpenAnswer { game, question } => write!(s, "{PREFIX}:o:{game}:{question}"),
            ComponentId::AnswerModal { game, question } => {
                write!(s, "{PREFIX}:m:{game}:{question}")
            }
            ComponentId::Board { period, page } => write!(s, "{PREFIX}:l:{}:{page}", period.code()),
            ComponentId::ConfirmReset { user, by } => {
                write!(s, "{PREFIX}:r:{}:{by}", user.unwrap_or(0))
            }
            ComponentId::CancelReset { by } => write!(s, "{PREFIX}:x:{by}"),
        };
        debug_assert!(s.len() <= MAX_LEN);
        s
    }

    /// Reads an id the bot made; None for anything else (another bot's, forged, truncated).
    pub fn decode(id: &str) -> Option<ComponentId> {
        if id.len() > MAX_LEN {
            return None;
        }
        let mut parts = id.split(':');
        if parts.next()? != PREFIX {
            return None;
        }
        let kind = parts.next()?;
        let rest: Vec<&str> = parts.collect();
        let decoded = match (kind, rest.as_slice()) {
            ("a", [game, question, choice]) => ComponentId::Choice {
                game: game_id(game)?,
                question: number(question)?,
                choice: number(choice)?,
            },
            ("o", [game, question]) => ComponentId::OpenAnswer {
                game: game_id(game)?,
                question: number(question)?,
            },
            ("m", [game, question]) => ComponentId::AnswerModal {
                game: game_id(game)?,
                question: number(question)?,
            },
            ("l", [period, page]) => ComponentId::Board {
                period: Period::from_code(period)?,
                page: number(page)?,
            },
            ("r", [user, by]) => ComponentId::ConfirmReset {
                user: Some(number::<u64>(user)?).filter(|&u| u != 0),
                by: number(by)?,
            },
            ("x", [by]) => ComponentId::CancelReset { by: number(by)? },
            _ => return None,
        };
        Some(decoded)
    }

    /// The game an id belongs to, if it is a game's component.
    pub fn game(&self) -> Option<i64> {
        match *self {
            ComponentId::Choice { game, .. }
            | ComponentId::OpenAnswer { game, .. }
            | ComponentId::AnswerModal { game, .. } => Some(game),
            _ => None,
        }
    }
}

/// A canonical unsigned decimal: digits only, no sign, no leading zero (except "0"), so that
/// every id has exactly one spelling.
fn number<T: std::str::FromStr>(s: &str) -> Option<T> {
    let canonical =
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'));
    if canonical { s.parse().ok() } else { None }
}

/// Game ids are positive database ids.
fn game_id(s: &str) -> Option<i64> {
    number::<i64>(s).filter(|&g| g > 0)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn examples() {
        let id = ComponentId::Choice {
            game: 42,
            question: 3,
            choice: 1,
        };
        assert_eq!(id.encode(), "t:a:42:3:1");
        assert_eq!(ComponentId::decode("t:a:42:3:1"), Some(id));
        assert_eq!(
            ComponentId::decode("t:r:0:7"),
            Some(ComponentId::ConfirmReset { user: None, by: 7 })
        );
        for bad in [
            "",
            "t",
            "t:",
            "t:a",
            "t:a:42:3",
            "t:a:42:3:1:9",
            "t:a:042:3:1",
            "t:a:+42:3:1",
            "t:a:0:3:1",
            "t:a:-1:3:1",
            "t:a:42:3:256",
            "x:a:42:3:1",
            "t:z:1",
            "t:l:q:0",
            "t:a:99999999999999999999:0:0",
            "T:a:42:3:1",
            "t:a:4 2:3:1",
        ] {
            assert_eq!(ComponentId::decode(bad), None, "{bad:?}");
        }
    }

    fn any_id() -> impl Strategy<Value = ComponentId> {
        let period = prop_oneof![
            Just(Period::AllTime),
            Just(Period::Week),
            Just(Period::Month)
        ];
        prop_oneof![
            (1..=i64::MAX, any::<u32>(), any::<u8>()).prop_map(|(game, question, choice)| {
                ComponentId::Choice {
                    game,
                    question,
                    choice,
                }
            }),
            (1..=i64::MAX, any::<u32>())
                .prop_map(|(game, question)| ComponentId::OpenAnswer { game, question }),
            (1..=i64::MAX, any::<u32>())
                .prop_map(|(game, question)| ComponentId::AnswerModal { game, question }),
            (period, any::<u32>()).prop_map(|(period, page)| ComponentId::Board { period, page }),
            (proptest::option::of(1..=u64::MAX), any::<u64>())
                .prop_map(|(user, by)| ComponentId::ConfirmReset { user, by }),
            any::<u64>().prop_map(|by| ComponentId::CancelReset { by }),
        ]
    }

    proptest! {
        #[test]
        fn round_trips_within_discord_limit(id in any_id()) {
            let s = id.encode();
            prop_assert!(s.len() <= MAX_LEN, "{} is {} chars", s, s.len());
            prop_assert_eq!(ComponentId::decode(&s), Some(id));
        }

        #[test]
        fn garbage_never_panics_and_decodes_canonically(s in "\\PC{0,120}") {
            if let Some(id) = ComponentId::decode(&s) {
                prop_assert_eq!(id.encode(), s);
            }
        }

        #[test]
        fn near_misses_never_panic(s in "t:[aomlrx]:[0-9a-z:+-]{0,40}") {
            if let Some(id) = ComponentId::decode(&s) {
                prop_assert_eq!(id.encode(), s);
            }
        }
    }
}
