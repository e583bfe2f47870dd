//! Who may do what. Discord's `default_member_permissions` only hides commands in the client;
//! the member data an interaction carries is checked again here, on the bot's side.

use poise::serenity_prelude::{Member, Permissions, RoleId};

/// What the bot knows about the member behind an interaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub user: u64,
    /// The member's permissions in the channel, as the interaction reports them (None in DMs).
    pub permissions: Option<Permissions>,
    pub roles: Vec<u64>,
}

impl Caller {
    pub fn from_member(member: &Member) -> Caller {
        Caller {
            user: member.user.id.get(),
            permissions: member.permissions,
            roles: member.roles.iter().map(|r: &RoleId| r.get()).collect(),
        }
    }

    /// A moderator has Manage Server (Administrator implies it) or the server's quiz-master role.
    pub fn is_moderator(&self, quiz_master_role: Option<u64>) -> bool {
        let manages = self.permissions.is_some_and(|p| {
            p.contains(Permissions::MANAGE_GUILD) || p.contains(Permissions::ADMINISTRATOR)
        });
        manages || quiz_master_role.is_some_and(|role| self.roles.contains(&role))
    }

    /// Stop, skip, pause and resume belong to whoever started the game, and to moderators.
    pub fn may_control_game(&self, started_by: u64, quiz_master_role: Option<u64>) -> bool {
        self.user == started_by || self.is_moderator(quiz_master_role)
    }
}

/// The ephemeral refusal for moderator-only actions.
pub const NOT_A_MODERATOR: &str = "Only moderators can do that: members with the Manage Server \
     permission or the server's quiz-master role.";

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(permissions: Permissions, roles: &[u64]) -> Caller {
        Caller {
            user: 5,
            permissions: Some(permissions),
            roles: roles.to_vec(),
        }
    }

    #[test]
    fn moderators() {
        assert!(caller(Permissions::MANAGE_GUILD, &[]).is_moderator(None));
        assert!(caller(Permissions::ADMINISTRATOR, &[]).is_moderator(None));
        assert!(caller(Permissions::SEND_MESSAGES, &[9]).is_moderator(Some(9)));
        assert!(!caller(Permissions::SEND_MESSAGES, &[9]).is_moderator(Some(8)));
        assert!(
            !caller(
                Permissions::SEND_MESSAGES | Permissions::MANAGE_MESSAGES,
                &[]
            )
            .is_moderator(None)
        );
        let dm = Caller {
            user: 5,
            permissions: None,
            roles: vec![],
        };
        assert!(!dm.is_moderator(None));
    }

    #[test]
    fn game_control() {
        let plain = caller(Permissions::SEND_MESSAGES, &[]);
        assert!(plain.may_control_game(5, None));
        assert!(!plain.may_control_game(6, None));
        assert!(caller(Permissions::MANAGE_GUILD, &[]).may_control_game(6, None));
    }
}
