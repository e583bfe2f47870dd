//! Shared by the load run (`benches/e2e.rs`) and the sharding test (`tests/sharding.rs`): a
//! fake Discord world of many guilds, and bot processes (the real binaries) started against
//! it, with their CPU time and memory read from `/proc`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::fake_discord::{FakeConfig, FakeGuild, FakeUser, guild_id_for_shard};

/// One guild of the world: its id, its game channel and its players.
#[derive(Debug, Clone)]
pub struct GuildPlan {
    pub id: u64,
    pub channel: u64,
    pub shard: u32,
    pub players: Vec<FakeUser>,
}

/// `guilds` guilds spread evenly over `shards` shards by Discord's routing rule, each with one
/// channel and `players` members. Users are distinct per guild.
pub fn world(guilds: usize, players: usize, shards: u32) -> (FakeConfig, Vec<GuildPlan>) {
    assert!(players < 1000, "at most 999 players a guild");
    let plans: Vec<GuildPlan> = (0..guilds)
        .map(|g| {
            let shard = (g as u32) % shards;
            let n = (g as u64) / u64::from(shards);
            GuildPlan {
                id: guild_id_for_shard(shard, shards, n),
                channel: 800_000_000_000_000_000 + g as u64,
                shard,
                players: (0..players)
                    .map(|p| {
                        FakeUser::new(
                            700_000_000_000_000_000 + (g as u64) * 1000 + p as u64,
                            format!("player{g}x{p}"),
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    let config = FakeConfig {
        shard_count: shards,
        guilds: plans
            .iter()
            .enumerate()
            .map(|(g, plan)| {
                plan.players.iter().fold(
                    FakeGuild::new(plan.id, format!("Guild {g}")).channel(plan.channel, "trivia"),
                    |guild, user| guild.member(user, &[]),
                )
            })
            .collect(),
        ..FakeConfig::default()
    };
    (config, plans)
}

/// The folder of fact packs the bot loads: the repository's `questions/`.
pub fn questions_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("questions")
}

/// A bot binary running as a child process, its stderr in a log file.
pub struct BotProcess {
    child: Option<Child>,
    pub name: String,
    log: PathBuf,
}

impl BotProcess {
    /// Starts `bin` in `dir` with a clean environment plus `vars`.
    pub fn start(bin: &str, name: &str, dir: &Path, vars: &[(&str, String)]) -> BotProcess {
        let log = dir.join(format!("{name}.log"));
        let file = std::fs::File::create(&log).expect("create the bot's log file");
        let mut cmd = Command::new(bin);
        cmd.current_dir(dir)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(file);
        for (k, v) in vars {
            cmd.env(k, v);
        }
        let child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {bin}: {e}"));
        BotProcess {
            child: Some(child),
            name: name.to_owned(),
            log,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    /// Whether it has exited (with its status).
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child
            .as_mut()
            .and_then(|c| c.try_wait().ok().flatten())
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// User plus system CPU time so far (`/proc/<pid>/stat`, in clock ticks of 10 ms).
    pub fn cpu(&self) -> Duration {
        cpu_of(self.pid()).unwrap_or_default()
    }

    /// Peak resident memory so far (VmHWM), in bytes.
    pub fn peak_memory(&self) -> u64 {
        status_kb(self.pid(), "VmHWM:").unwrap_or(0) * 1024
    }

    /// Resident memory now (VmRSS), in bytes.
    pub fn memory(&self) -> u64 {
        status_kb(self.pid(), "VmRSS:").unwrap_or(0) * 1024
    }

    /// SIGTERM (as a service manager stops it), then waits up to `wait` for the exit; kills it
    /// if it is still running then. Returns the exit code and the log.
    pub fn terminate(mut self, wait: Duration) -> (Option<i32>, String) {
        let Some(mut child) = self.child.take() else {
            return (None, self.log());
        };
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let deadline = Instant::now() + wait;
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                return (status.code(), self.log());
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                return (None, self.log());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// utime + stime of a process. Linux reports them in USER_HZ ticks, 100 a second.
pub fn cpu_of(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // After the name, field 3 (state) is index 0: utime is field 14, stime field 15.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 10))
}

/// CPU time so far of every process whose command name is `name` (e.g. "postgres"), by pid.
pub fn cpu_of_processes_named(name: &str) -> std::collections::HashMap<u32, Duration> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Default::default();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c.trim() == name)
        })
        .filter_map(|pid| Some((pid, cpu_of(pid)?)))
        .collect()
}

/// The CPU `before` and `after` (from [`cpu_of_processes_named`]) add up to for the processes
/// in both: what they used in between.
pub fn cpu_between(
    before: &std::collections::HashMap<u32, Duration>,
    after: &std::collections::HashMap<u32, Duration>,
) -> Duration {
    after
        .iter()
        .filter_map(|(pid, a)| Some(a.saturating_sub(*before.get(pid)?)))
        .sum()
}

fn status_kb(pid: u32, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Lines of a bot log that report a problem: warnings, errors, events serenity dropped.
pub fn log_problems(log: &str) -> Vec<String> {
    log.lines()
        .filter(|l| {
            // The level may be wrapped in colour codes.
            l.contains("WARN")
                || l.contains("ERROR")
                || l.contains("Err deserializing")
                || l.contains("panicked")
        })
        .map(str::to_owned)
        .collect()
}
