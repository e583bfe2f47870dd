//! The terminal game: a thin shell that reads answers from standard input, feeds them to the
//! game engine with the time, arms its timers and prints its effects.
//!
//! Two ways to run ([`Mode`]): interactive (a person at a terminal: the real clock, timers
//! fire when due) and piped (answers prepared in a file: a virtual clock that never waits, so a
//! run is deterministic — every answer arrives the moment its question opens, the pause after
//! a reveal passes at once, and an empty line lets the time run out on the open question).

mod driver;
mod line;
mod render;

use std::io::{self, Write};

pub use driver::{Mode, run};
pub use line::{Command, HELP, Line, parse};

use crate::game::{AnswerInput, Effect, Game, Input, PlayerRef, Standing};

/// A game being played in the terminal: the engine, the players and the output.
pub struct Console<W: Write> {
    game: Game,
    players: Vec<PlayerRef>,
    names: Vec<String>,
    title: String,
    out: W,
}

impl<W: Write> Console<W> {
    /// A console for `game` with these players (numbered from 1). No names means one player,
    /// "you".
    pub fn new(game: Game, names: Vec<String>, title: impl Into<String>, out: W) -> Self {
        let names = if names.is_empty() {
            vec!["you".to_string()]
        } else {
            names
        };
        let players = names
            .iter()
            .zip(1u64..)
            .map(|(name, id)| PlayerRef::new(id, name.clone()))
            .collect();
        Console {
            game,
            players,
            names,
            title: title.into(),
            out,
        }
    }

    pub fn game(&self) -> &Game {
        &self.game
    }

    pub fn is_over(&self) -> bool {
        self.game.is_over()
    }

    pub fn standings(&self) -> Vec<Standing> {
        self.game.standings()
    }

    /// Seats the players and asks the first question.
    pub fn start(&mut self, now: i64) -> io::Result<()> {
        render::header(
            &mut self.out,
            &self.title,
            self.game.total(),
            self.game.config(),
        )?;
        for player in self.players.clone() {
            self.apply(Input::Join(player), now)?;
        }
        self.apply(Input::Start, now)
    }

    /// Handles one line of input.
    pub fn line(&mut self, text: &str, now: i64) -> io::Result<()> {
        match parse(text, &self.names) {
            Line::Answer { player, text } => {
                let Some(player) = self.players.get(player).cloned() else {
                    return Ok(());
                };
                let question = self.game.current_index().unwrap_or(0);
                let answer = AnswerInput::Text(text);
                self.apply(
                    Input::Answer {
                        player,
                        question,
                        answer,
                    },
                    now,
                )
            }
            Line::Command(Command::Skip) => self.apply(Input::Skip, now),
            Line::Command(Command::Pause) => self.apply(Input::Pause, now),
            Line::Command(Command::Resume) => self.apply(Input::Resume, now),
            Line::Command(Command::Stop) => self.apply(Input::Stop, now),
            Line::Command(Command::Standings) => {
                writeln!(self.out, "Standings")?;
                render::standings(&mut self.out, &self.game.standings())?;
                self.out.flush()
            }
            Line::Command(Command::Help) => {
                writeln!(self.out, "{HELP}")?;
                self.out.flush()
            }
            Line::Blank => Ok(()),
            Line::Problem(message) => {
                writeln!(self.out, "  ! {message}")?;
                self.out.flush()
            }
        }
    }

    /// The pending timer's time, if one is armed.
    pub fn next_deadline(&self) -> Option<i64> {
        self.game.next_deadline().map(|(at, _)| at)
    }

    /// Feeds the pending timer at `now`.
    pub fn timer(&mut self, now: i64) -> io::Result<()> {
        match self.game.next_deadline() {
            Some((_, timer)) => self.apply(Input::Timer(timer), now),
            None => Ok(()),
        }
    }

    /// Ends the game now (end of input or Ctrl-C) with the standings so far.
    pub fn finish(&mut self, now: i64) -> io::Result<()> {
        if self.game.is_over() {
            return Ok(());
        }
        self.apply(Input::Stop, now)
    }

    fn apply(&mut self, input: Input, now: i64) -> io::Result<()> {
        let solo = self.players.len() == 1;
        for effect in self.game.handle(input, now) {
            render::effect(&mut self.out, &effect, solo, now)?;
            if let Effect::Ended { .. } = effect {
                self.out.flush()?;
            }
        }
        self.out.flush()
    }
}
