//! What a line typed (or piped) into the terminal game means.

/// One line of input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// An answer by player number `player` (an index into the player list).
    Answer {
        player: usize,
        text: String,
    },
    Command(Command),
    /// An empty line: when piped, it lets the time run out on the open question.
    Blank,
    /// A line that means nothing; show the message.
    Problem(String),
}

/// A slash command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Skip,
    Pause,
    Resume,
    Stop,
    Standings,
    Help,
}

pub const HELP: &str = "Answer with A-D or 1-4 (true/false: t/f) or type the answer.\n\
With several players, start the line with a name: `alice: B`.\n\
Commands: /pause /resume /skip /standings /stop /help.";

/// Reads `line` for a game with these players. With one player the whole line is the answer;
/// with several it starts with a player's name and a colon.
pub fn parse(line: &str, players: &[String]) -> Line {
    let line = line.trim();
    if line.is_empty() {
        return Line::Blank;
    }
    if let Some(command) = line.strip_prefix('/') {
        return match command.trim().to_ascii_lowercase().as_str() {
            "skip" | "next" => Line::Command(Command::Skip),
            "pause" => Line::Command(Command::Pause),
            "resume" | "go" => Line::Command(Command::Resume),
            "stop" | "quit" | "exit" => Line::Command(Command::Stop),
            "standings" | "scores" => Line::Command(Command::Standings),
            "help" | "?" => Line::Command(Command::Help),
            other => Line::Problem(format!("Unknown command `/{other}`; try /help.")),
        };
    }
    if players.len() <= 1 {
        return Line::Answer {
            player: 0,
            text: line.to_string(),
        };
    }
    let Some((name, text)) = line.split_once(':') else {
        return Line::Problem(format!(
            "Start the line with a player's name, like `{}: B`.",
            players[0]
        ));
    };
    let name = name.trim();
    match players.iter().position(|p| p.eq_ignore_ascii_case(name)) {
        Some(player) => Line::Answer {
            player,
            text: text.trim().to_string(),
        },
        None => Line::Problem(format!(
            "There is no player `{name}`; the players are {}.",
            players.join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn one_player_answers_with_the_whole_line() {
        let solo = names(&["you"]);
        let want = Line::Answer {
            player: 0,
            text: "Jean-Luc: Picard".into(),
        };
        assert_eq!(parse("  Jean-Luc: Picard ", &solo), want);
        assert_eq!(parse("", &solo), Line::Blank);
        assert_eq!(parse("/Pause", &solo), Line::Command(Command::Pause));
        assert!(matches!(parse("/dance", &solo), Line::Problem(_)));
    }

    #[test]
    fn several_players_prefix_their_name() {
        let two = names(&["alice", "bob"]);
        let want = Line::Answer {
            player: 1,
            text: "B".into(),
        };
        assert_eq!(parse("Bob: B", &two), want);
        assert!(matches!(parse("B", &two), Line::Problem(m) if m.contains("alice: B")));
        assert!(matches!(parse("carol: B", &two), Line::Problem(m) if m.contains("alice, bob")));
    }
}
