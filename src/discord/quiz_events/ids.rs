//! The custom_ids of event components: sign-up buttons, the team picker, the host's control
//! panel and the rulings panel. All start with `ev:` so the bot's one component handler can
//! route them here (game components start with `t:`).
//!
//! A client can send any custom_id, so decoding is strict (exact shape, canonical numbers) and
//! the handlers still check the event, game, player and the clicker's rights in the database.

use std::fmt::Write as _;

/// Every event component id starts with this.
pub const PREFIX: &str = "ev:";

/// What the host's control panel can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PanelAction {
    Pause,
    Resume,
    Skip,
    NextRound,
    Stop,
}

impl PanelAction {
    pub const ALL: [PanelAction; 5] = [
        PanelAction::Pause,
        PanelAction::Resume,
        PanelAction::Skip,
        PanelAction::NextRound,
        PanelAction::Stop,
    ];

    fn code(self) -> &'static str {
        match self {
            PanelAction::Pause => "p",
            PanelAction::Resume => "r",
            PanelAction::Skip => "s",
            PanelAction::NextRound => "n",
            PanelAction::Stop => "x",
        }
    }

    fn from_code(code: &str) -> Option<PanelAction> {
        PanelAction::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            PanelAction::Pause => "Pause",
            PanelAction::Resume => "Resume",
            PanelAction::Skip => "Skip question",
            PanelAction::NextRound => "Next round",
            PanelAction::Stop => "Stop event",
        }
    }
}

/// What an event component is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventComponent {
    /// `ev:j:<event>`: sign up.
    Join { event: i64 },
    /// `ev:l:<event>`: leave.
    Leave { event: i64 },
    /// `ev:t:<event>`: the team picker (a select menu; the value is the team's index).
    Team { event: i64 },
    /// `ev:p:<event>:<action>`: a control-panel button.
    Panel { event: i64, action: PanelAction },
    /// `ev:a:<event>:<game>:<question>:<user>`: accept a near miss.
    Accept {
        event: i64,
        game: i64,
        question: u32,
        user: u64,
    },
    /// `ev:u:<event>:<game>:<question>:<user>`: undo an accepted ruling.
    Undo {
        event: i64,
        game: i64,
        question: u32,
        user: u64,
    },
}

impl EventComponent {
    pub fn encode(&self) -> String {
        let mut s = String::with_capacity(64);
        // Writing to a String cannot fail.
        let _ = match *self {
            EventComponent::Join { event } => write!(s, "{PREFIX}j:{event}"),
            EventComponent::Leave { event } => write!(s, "{PREFIX}l:{event}"),
            EventComponent::Team { event } => write!(s, "{PREFIX}t:{event}"),
            EventComponent::Panel { event, action } => {
                write!(s, "{PREFIX}p:{event}:{}", action.code())
            }
            EventComponent::Accept {
                event,
                game,
                question,
                user,
            } => write!(s, "{PREFIX}a:{event}:{game}:{question}:{user}"),
            EventComponent::Undo {
                event,
                game,
                question,
                user,
            } => write!(s, "{PREFIX}u:{event}:{game}:{question}:{user}"),
        };
        debug_assert!(s.len() <= crate::discord::custom_id::MAX_LEN);
        s
    }

    /// Reads an id this module made; None for anything else.
    pub fn decode(id: &str) -> Option<EventComponent> {
        if id.len() > crate::discord::custom_id::MAX_LEN {
            return None;
        }
        let rest = id.strip_prefix(PREFIX)?;
        let parts: Vec<&str> = rest.split(':').collect();
        let decoded = match parts.as_slice() {
            ["j", event] => EventComponent::Join {
                event: positive(event)?,
            },
            ["l", event] => EventComponent::Leave {
                event: positive(event)?,
            },
            ["t", event] => EventComponent::Team {
                event: positive(event)?,
            },
            ["p", event, action] => EventComponent::Panel {
                event: positive(event)?,
                action: PanelAction::from_code(action)?,
            },
            ["a", event, game, question, user] => EventComponent::Accept {
                event: positive(event)?,
                game: positive(game)?,
                question: number(question)?,
                user: number(user)?,
            },
            ["u", event, game, question, user] => EventComponent::Undo {
                event: positive(event)?,
                game: positive(game)?,
                question: number(question)?,
                user: number(user)?,
            },
            _ => return None,
        };
        Some(decoded)
    }

    /// The event the component belongs to.
    pub fn event(&self) -> i64 {
        match *self {
            EventComponent::Join { event }
            | EventComponent::Leave { event }
            | EventComponent::Team { event }
            | EventComponent::Panel { event, .. }
            | EventComponent::Accept { event, .. }
            | EventComponent::Undo { event, .. } => event,
        }
    }
}

/// A canonical unsigned decimal (digits only, no leading zero), so each id has one spelling.
fn number<T: std::str::FromStr>(s: &str) -> Option<T> {
    let canonical =
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'));
    if canonical { s.parse().ok() } else { None }
}

/// Event and game ids are positive database ids.
fn positive(s: &str) -> Option<i64> {
    number::<i64>(s).filter(|&n| n > 0)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn examples_and_forgeries() {
        let accept = EventComponent::Accept {
            event: 3,
            game: 41,
            question: 2,
            user: 910_000_000_000_000_002,
        };
        assert_eq!(accept.encode(), "ev:a:3:41:2:910000000000000002");
        assert_eq!(EventComponent::decode(&accept.encode()), Some(accept));
        assert_eq!(
            EventComponent::decode("ev:p:7:n"),
            Some(EventComponent::Panel {
                event: 7,
                action: PanelAction::NextRound
            })
        );
        for bad in [
            "",
            "ev:",
            "ev:j",
            "ev:j:0",
            "ev:j:07",
            "ev:j:-7",
            "ev:j:7:8",
            "ev:p:7:q",
            "ev:a:1:2:3",
            "ev:a:1:0:3:4",
            "ev:z:1",
            "t:a:1:2:3",
            "EV:j:1",
            "ev:j:99999999999999999999",
        ] {
            assert_eq!(EventComponent::decode(bad), None, "{bad:?}");
        }
    }

    fn any_component() -> impl Strategy<Value = EventComponent> {
        let action = proptest::sample::select(PanelAction::ALL.to_vec());
        prop_oneof![
            (1..=i64::MAX).prop_map(|event| EventComponent::Join { event }),
            (1..=i64::MAX).prop_map(|event| EventComponent::Leave { event }),
            (1..=i64::MAX).prop_map(|event| EventComponent::Team { event }),
            (1..=i64::MAX, action)
                .prop_map(|(event, action)| EventComponent::Panel { event, action }),
            (1..=i64::MAX, 1..=i64::MAX, any::<u32>(), any::<u64>()).prop_map(
                |(event, game, question, user)| EventComponent::Accept {
                    event,
                    game,
                    question,
                    user
                }
            ),
            (1..=i64::MAX, 1..=i64::MAX, any::<u32>(), any::<u64>()).prop_map(
                |(event, game, question, user)| EventComponent::Undo {
                    event,
                    game,
                    question,
                    user
                }
            ),
        ]
    }

    proptest! {
        #[test]
        fn round_trips_within_discords_limit(c in any_component()) {
            let s = c.encode();
            prop_assert!(s.len() <= crate::discord::custom_id::MAX_LEN);
            prop_assert_eq!(EventComponent::decode(&s), Some(c));
        }

        #[test]
        fn garbage_never_panics_and_decodes_canonically(s in "ev:[jltpau]:[0-9a-z:]{0,60}") {
            if let Some(c) = EventComponent::decode(&s) {
                prop_assert_eq!(c.encode(), s);
            }
        }
    }
}
