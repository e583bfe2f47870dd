//! Reading what moderators type into `/event` options: start times, durations and team names.
//! Pure functions; every error says what to write instead.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

use crate::events::{MAX_TEAM_NAME_CHARS, MAX_TEAMS, TeamMode, Teams};

/// The forms of a start time, for error messages and help.
pub const START_HELP: &str = "write a UTC time like `2026-11-26 20:00` (or with an offset: \
    `2026-11-26 20:00 +01:00`), a Discord timestamp like `<t:1795694400>`, or a delay like \
    `in 2h` or `in 90m`";

/// A start time: absolute (UTC unless an offset is given), a Discord timestamp, Unix seconds,
/// or a delay from `now_ms` ("in 2h", "+90m", "45m").
pub fn parse_start(text: &str, now_ms: i64) -> Result<i64, String> {
    let t = text.trim();
    let bad = || format!("`{t}` is not a start time: {START_HELP}.");
    if t.is_empty() {
        return Err(bad());
    }
    // A Discord timestamp, as the client's date picker and many bots write them.
    if let Some(inner) = t.strip_prefix("<t:").and_then(|s| s.strip_suffix('>')) {
        let secs = inner.split(':').next().unwrap_or_default();
        return secs
            .parse::<i64>()
            .ok()
            .and_then(|s| s.checked_mul(1000))
            .ok_or_else(bad);
    }
    if t.len() >= 9 && t.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = t.parse().map_err(|_| bad())?;
        // 13 digits are milliseconds; fewer are seconds.
        return Ok(if t.len() >= 13 {
            n
        } else {
            n.saturating_mul(1000)
        });
    }
    let relative = t
        .strip_prefix("in ")
        .or_else(|| t.strip_prefix('+'))
        .unwrap_or(t);
    if let Ok(delay) = parse_duration(relative) {
        return Ok(now_ms.saturating_add(delay));
    }
    parse_date_time(t).ok_or_else(bad)
}

fn parse_date_time(t: &str) -> Option<i64> {
    // `2026-11-26T20:00` as well as `2026-11-26 20:00`.
    let mut s = t.to_owned();
    if s.get(10..11) == Some("T") {
        s.replace_range(10..11, " ");
    }
    let utc_marker = ["Z", " UTC", " utc", " GMT"]
        .iter()
        .find(|m| s.ends_with(*m))
        .copied();
    if let Some(marker) = utc_marker {
        s.truncate(s.len() - marker.len());
    }
    let s = s.trim();
    for fmt in [
        "%Y-%m-%d %H:%M %:z",
        "%Y-%m-%d %H:%M:%S %:z",
        "%Y-%m-%d %H:%M%:z",
        "%Y-%m-%d %H:%M:%S%:z",
        "%Y-%m-%d %H:%M %z",
        "%Y-%m-%d %H:%M%z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(s, fmt) {
            return Some(dt.timestamp_millis());
        }
    }
    for fmt in [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M:%S%.f",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(Utc.from_utc_datetime(&naive).timestamp_millis());
        }
    }
    None
}

/// A duration such as `30m`, `1h30m`, `2d`, `45s`, `90` (minutes) or `0`, in milliseconds.
pub fn parse_duration(text: &str) -> Result<i64, String> {
    let t = text.trim().to_ascii_lowercase().replace(' ', "");
    let bad = || {
        format!(
            "`{}` is not a duration: write e.g. `30m`, `2h`, `1h30m` or `0`.",
            text.trim()
        )
    };
    if t.is_empty() {
        return Err(bad());
    }
    if t.bytes().all(|b| b.is_ascii_digit()) {
        let minutes: i64 = t.parse().map_err(|_| bad())?;
        return minutes.checked_mul(60_000).ok_or_else(bad);
    }
    let mut total: i64 = 0;
    let mut rest = t.as_str();
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(bad());
        }
        let n: i64 = rest[..digits].parse().map_err(|_| bad())?;
        rest = &rest[digits..];
        let unit_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        let unit_ms = match &rest[..unit_len] {
            "s" | "sec" | "secs" | "second" | "seconds" => 1_000,
            "m" | "min" | "mins" | "minute" | "minutes" => 60_000,
            "h" | "hr" | "hrs" | "hour" | "hours" => 3_600_000,
            "d" | "day" | "days" => 86_400_000,
            _ => return Err(bad()),
        };
        rest = &rest[unit_len..];
        total = n
            .checked_mul(unit_ms)
            .and_then(|ms| total.checked_add(ms))
            .ok_or_else(bad)?;
    }
    Ok(total)
}

/// "1 h 30 min" for messages.
pub fn describe_duration(ms: i64) -> String {
    let minutes = ms / 60_000;
    match (minutes / 60, minutes % 60) {
        (0, 0) => format!("{} s", ms / 1000),
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// Teams from the options: a count, a mode and optional names ("Red, Blue, Gold"). Names
/// alone give that many teams; a count alone numbers them. None when teams are not asked for.
pub fn teams(
    count: Option<u32>,
    mode: Option<TeamMode>,
    names: Option<&str>,
) -> Result<Option<Teams>, String> {
    let names: Vec<String> = names
        .map(|n| {
            n.split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    if count.is_none() && names.is_empty() {
        return match mode {
            None => Ok(None),
            Some(_) => Err("Say how many teams (`teams`) or name them (`team_names`).".into()),
        };
    }
    let mode = mode.unwrap_or(TeamMode::Choose);
    let count = count.map_or(names.len(), |c| c as usize);
    if !(2..=MAX_TEAMS).contains(&count) {
        return Err(format!("Give between 2 and {MAX_TEAMS} teams."));
    }
    if !names.is_empty() && names.len() != count {
        return Err(format!(
            "`teams` says {count} but `team_names` lists {}: give one name per team.",
            names.len()
        ));
    }
    if let Some(long) = names
        .iter()
        .find(|n| n.chars().count() > MAX_TEAM_NAME_CHARS)
    {
        return Err(format!(
            "The team name `{long}` is too long: at most {MAX_TEAM_NAME_CHARS} characters."
        ));
    }
    Ok(Some(if names.is_empty() {
        Teams::numbered(mode, count)
    } else {
        Teams { mode, names }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_694_400_000; // 2026-11-26T12:00:00Z

    #[test]
    fn start_times_in_every_form() {
        assert_eq!(
            parse_start("2026-11-26 20:00", NOW),
            Ok(NOW + 8 * 3_600_000)
        );
        assert_eq!(
            parse_start("2026-11-26T20:00Z", NOW),
            Ok(NOW + 8 * 3_600_000)
        );
        assert_eq!(
            parse_start("2026-11-26 20:00 +01:00", NOW),
            Ok(NOW + 7 * 3_600_000)
        );
        assert_eq!(
            parse_start("2026-11-26 20:00:30 UTC", NOW),
            Ok(NOW + 8 * 3_600_000 + 30_000)
        );
        assert_eq!(parse_start("<t:1795694400:F>", 0), Ok(NOW));
        assert_eq!(parse_start("1795694400", 0), Ok(NOW));
        assert_eq!(parse_start("in 2h", NOW), Ok(NOW + 7_200_000));
        assert_eq!(parse_start("+90m", NOW), Ok(NOW + 5_400_000));
        assert_eq!(parse_start("1h30m", NOW), Ok(NOW + 5_400_000));
        for bad in [
            "",
            "tomorrow",
            "2026-13-01 20:00",
            "in 2 fortnights",
            "<t:x>",
        ] {
            let err = parse_start(bad, NOW).unwrap_err();
            assert!(err.contains("2026-11-26 20:00"), "{bad}: {err}");
        }
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30m"), Ok(1_800_000));
        assert_eq!(parse_duration("1h 30m"), Ok(5_400_000));
        assert_eq!(parse_duration("0"), Ok(0));
        assert_eq!(parse_duration("45"), Ok(2_700_000));
        assert_eq!(parse_duration("2d"), Ok(172_800_000));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("5x").is_err());
        assert!(parse_duration("99999999999999999d").is_err());
        assert_eq!(describe_duration(5_400_000), "1 h 30 min");
        assert_eq!(describe_duration(1_800_000), "30 min");
    }

    #[test]
    fn teams_from_options() {
        assert_eq!(teams(None, None, None), Ok(None));
        let t = teams(Some(2), None, None).unwrap().unwrap();
        assert_eq!((t.mode, t.names.len()), (TeamMode::Choose, 2));
        let t = teams(None, Some(TeamMode::Balanced), Some("Red, Blue ,Gold"))
            .unwrap()
            .unwrap();
        assert_eq!(t.names, ["Red", "Blue", "Gold"]);
        assert_eq!(t.mode, TeamMode::Balanced);
        assert!(teams(Some(3), None, Some("Red, Blue")).is_err());
        assert!(teams(Some(1), None, None).is_err());
        assert!(teams(None, Some(TeamMode::Choose), None).is_err());
        assert!(teams(None, None, Some(&format!("a, {}", "b".repeat(40)))).is_err());
    }
}
