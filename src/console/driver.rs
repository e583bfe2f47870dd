//! The input loop: lines from a reader thread, timers, Ctrl-C.

use std::io::{self, BufRead, Write};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::Console;

/// How time passes in a terminal game.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A person at a terminal: the wall clock; timers fire when due.
    Interactive,
    /// Prepared answers: a virtual clock that jumps to each deadline instead of waiting.
    Piped,
}

fn wall_clock_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The time in a game: the wall clock, or a virtual one that only moves to deadlines.
struct Clock {
    mode: Mode,
    virtual_now: i64,
}

impl Clock {
    fn now(&self) -> i64 {
        match self.mode {
            Mode::Interactive => wall_clock_ms(),
            Mode::Piped => self.virtual_now,
        }
    }

    fn advance_to(&mut self, at: i64) {
        self.virtual_now = self.virtual_now.max(at);
    }
}

/// Plays the console's game with lines from `input` until the game ends, the input ends, or
/// Ctrl-C; the last two stop the game with the standings so far.
pub fn run<W: Write>(
    console: &mut Console<W>,
    input: impl BufRead + Send + 'static,
    mode: Mode,
) -> io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(drive(console, input, mode))
}

async fn drive<W: Write>(
    console: &mut Console<W>,
    input: impl BufRead + Send + 'static,
    mode: Mode,
) -> io::Result<()> {
    // A plain thread reads the lines: a blocking read of a terminal cannot be cancelled, and a
    // thread left blocked does not keep the process alive once the game is over.
    let (lines_tx, mut lines) = tokio::sync::mpsc::unbounded_channel();
    std::thread::spawn(move || {
        for line in input.lines() {
            if lines_tx.send(line).is_err() {
                return;
            }
        }
    });
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);

    let mut clock = Clock {
        mode,
        virtual_now: wall_clock_ms(),
    };
    console.start(clock.now())?;
    loop {
        if mode == Mode::Piped {
            settle(console, &mut clock)?;
        }
        if console.is_over() {
            return Ok(());
        }
        let wait = console
            .next_deadline()
            .map(|at| Duration::from_millis(u64::try_from(at - clock.now()).unwrap_or(0)));
        tokio::select! {
            line = lines.recv() => match line {
                Some(Ok(line)) if mode == Mode::Piped && line.trim().is_empty() => {
                    if let Some(at) = console.next_deadline() {
                        clock.advance_to(at);
                        console.timer(clock.now())?;
                    }
                }
                Some(Ok(line)) => console.line(&line, clock.now())?,
                Some(Err(err)) => {
                    console.finish(clock.now())?;
                    return Err(err);
                }
                None => return console.finish(clock.now()),
            },
            _ = tokio::time::sleep(wait.unwrap_or_default()), if mode == Mode::Interactive && wait.is_some() => {
                console.timer(clock.now())?;
            }
            _ = &mut ctrl_c => return console.finish(clock.now()),
        }
    }
}

/// Piped mode: runs the clock forward while the game waits on time alone (between questions),
/// so the next line always answers an open question.
fn settle<W: Write>(console: &mut Console<W>, clock: &mut Clock) -> io::Result<()> {
    while !console.is_over() && !console.game().accepting_answers() {
        let Some(at) = console.next_deadline() else {
            break;
        };
        clock.advance_to(at);
        console.timer(clock.now())?;
    }
    Ok(())
}
