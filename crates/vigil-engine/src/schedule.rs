//! The daily schedule: at a local time in a time zone, correct across daylight-saving changes,
//! catching up once after sleep or shutdown.
//!
//! The logic ([`Schedule`]) is pure: "now" and the last performed run are passed in, so that a
//! test can walk it across a spring-forward night or three days of sleep.

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use vigil_store::Store;

use crate::{api, rfc3339, settings, Engine, EngineError};

/// When the schedule was last set or resumed: a scheduled time before it is never caught up
/// (setting 06:30 at 09:00 must not run at once).
pub const SCHEDULE_SET_AT: &str = "schedule.set_at";

/// Every day at `at` in `timezone`.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub at: NaiveTime,
    pub timezone: Tz,
    pub paused: bool,
    /// Scheduled times at or before this are not caught up.
    pub set_at: DateTime<Utc>,
}

impl Schedule {
    /// The instant the run of local day `date` is for. A time the clocks skip (spring forward)
    /// runs at the first instant after the gap; a time they pass twice (fall back), the first.
    pub fn occurrence(&self, date: NaiveDate) -> DateTime<Utc> {
        let mut local = date.and_time(self.at);
        // Gaps are whole minutes and at most a few hours; a day bounds the walk.
        for _ in 0..=24 * 60 {
            match self.timezone.from_local_datetime(&local) {
                LocalResult::Single(t) => return t.with_timezone(&Utc),
                LocalResult::Ambiguous(earlier, later) => {
                    return earlier.min(later).with_timezone(&Utc)
                }
                LocalResult::None => local += Duration::minutes(1),
            }
        }
        // Unreachable with real zone data; the UTC reading keeps the schedule going.
        Utc.from_utc_datetime(&date.and_time(self.at))
    }

    /// The latest scheduled instant at or before `now`.
    pub fn latest_at_or_before(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let today = now.with_timezone(&self.timezone).date_naive();
        let mut date = today;
        loop {
            let t = self.occurrence(date);
            if t <= now {
                return t;
            }
            date = date.pred_opt().unwrap_or(date);
        }
    }

    /// The first scheduled instant strictly after `t`.
    pub fn first_after(&self, t: DateTime<Utc>) -> DateTime<Utc> {
        let mut date = t.with_timezone(&self.timezone).date_naive();
        loop {
            let next = self.occurrence(date);
            if next > t {
                return next;
            }
            date = date.succ_opt().unwrap_or(date);
        }
    }

    /// The scheduled time a run is owed for at `now`, if any: the latest one at or before `now`,
    /// when it is after both the last performed run and the moment the schedule was set. However
    /// many days were missed, this is one instant: a machine that slept for three days runs once.
    pub fn due(
        &self,
        now: DateTime<Utc>,
        last_performed: Option<DateTime<Utc>>,
    ) -> Option<DateTime<Utc>> {
        if self.paused {
            return None;
        }
        let latest = self.latest_at_or_before(now);
        let after_last = last_performed.is_none_or(|last| latest > last);
        (after_last && latest > self.set_at).then_some(latest)
    }

    /// When the next run happens: an owed run at once (its scheduled time), otherwise the next
    /// scheduled time. `None` while paused.
    pub fn next_run(
        &self,
        now: DateTime<Utc>,
        last_performed: Option<DateTime<Utc>>,
    ) -> Option<DateTime<Utc>> {
        if self.paused {
            return None;
        }
        Some(
            self.due(now, last_performed)
                .unwrap_or_else(|| self.first_after(now)),
        )
    }
}

/// `HH:MM`, 24-hour, two digits each.
pub fn parse_at(at: &str) -> Result<NaiveTime, EngineError> {
    let bad = || {
        EngineError::InvalidInput(format!(
            "the schedule time {at:?} is not HH:MM (24-hour, e.g. 06:30)"
        ))
    };
    let bytes = at.as_bytes();
    if bytes.len() != 5 || bytes[2] != b':' {
        return Err(bad());
    }
    NaiveTime::parse_from_str(at, "%H:%M").map_err(|_| bad())
}

pub fn parse_timezone(name: &str) -> Result<Tz, EngineError> {
    name.trim().parse::<Tz>().map_err(|_| {
        EngineError::InvalidInput(format!(
            "unknown time zone {name:?}: give an IANA name such as Europe/Berlin or UTC"
        ))
    })
}

/// The system's IANA zone, UTC when it cannot be told.
pub fn system_timezone() -> Tz {
    iana_time_zone::get_timezone()
        .ok()
        .and_then(|name| name.parse().ok())
        .unwrap_or(Tz::UTC)
}

fn parse_stored_time(key: &str, value: &str) -> Result<DateTime<Utc>, EngineError> {
    DateTime::parse_from_rfc3339(value)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| EngineError::InvalidInput(format!("setting {key} {value:?}: {e}")))
}

/// The stored schedule. Never set: 06:30 in the system zone, counted from `now` (nothing owed).
pub(crate) fn load(store: &Store, now: DateTime<Utc>) -> Result<Schedule, EngineError> {
    let at: String = store
        .setting(settings::SCHEDULE_AT)?
        .unwrap_or_else(|| settings::DEFAULT_SCHEDULE_AT.to_string());
    let timezone = match store.setting::<String>(settings::SCHEDULE_TIMEZONE)? {
        Some(name) => parse_timezone(&name)?,
        None => system_timezone(),
    };
    let set_at = match store.setting::<String>(SCHEDULE_SET_AT)? {
        Some(value) => parse_stored_time(SCHEDULE_SET_AT, &value)?,
        None => now,
    };
    Ok(Schedule {
        at: parse_at(&at)?,
        timezone,
        paused: store.setting(settings::SCHEDULE_PAUSED)?.unwrap_or(false),
        set_at,
    })
}

impl Engine {
    /// The stored schedule, with "now" from the caller.
    pub fn schedule(&self, now: DateTime<Utc>) -> Result<Schedule, EngineError> {
        load(&self.store()?, now)
    }

    /// Starts counting a schedule that was never set from `now`, so that a first start after
    /// the default time does not run at once. Idempotent.
    pub fn arm_schedule(&self, now: DateTime<Utc>) -> Result<(), EngineError> {
        let mut store = self.store()?;
        if store.setting::<String>(SCHEDULE_SET_AT)?.is_none() {
            store.set_setting(SCHEDULE_SET_AT, &rfc3339(now))?;
        }
        Ok(())
    }

    pub fn schedule_status(&self, now: DateTime<Utc>) -> Result<api::ScheduleStatus, EngineError> {
        let schedule = self.schedule(now)?;
        let last_due = self.last_scheduled_due()?;
        Ok(api::ScheduleStatus {
            at: schedule.at.format("%H:%M").to_string(),
            timezone: schedule.timezone.name().to_string(),
            paused: schedule.paused,
            next_run: schedule.next_run(now, last_due).map(rfc3339),
            last_run: self.last_run()?,
        })
    }

    /// Sets the daily time (`HH:MM`) and, when given, the IANA time zone. Without one, a zone
    /// stored before stays; with none stored, the system's is stored (so that moving the
    /// machine to another zone does not move the run).
    pub fn set_schedule(
        &self,
        at: &str,
        timezone: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<api::ScheduleStatus, EngineError> {
        let at = parse_at(at)?;
        let mut store = self.store()?;
        let zone = match timezone {
            Some(name) => parse_timezone(name)?,
            None => match store.setting::<String>(settings::SCHEDULE_TIMEZONE)? {
                Some(name) => parse_timezone(&name)?,
                None => system_timezone(),
            },
        };
        store.transaction(|tx| {
            use vigil_store::settings::set_setting;
            set_setting(tx, settings::SCHEDULE_AT, &at.format("%H:%M").to_string())?;
            set_setting(tx, settings::SCHEDULE_TIMEZONE, &zone.name())?;
            set_setting(tx, SCHEDULE_SET_AT, &rfc3339(now))
        })?;
        drop(store);
        self.schedule_status(now)
    }

    /// Pauses or resumes. Resuming counts from `now`: a time passed while paused is not run.
    pub fn pause_schedule(
        &self,
        paused: bool,
        now: DateTime<Utc>,
    ) -> Result<api::ScheduleStatus, EngineError> {
        let mut store = self.store()?;
        let was_paused: bool = store.setting(settings::SCHEDULE_PAUSED)?.unwrap_or(false);
        store.transaction(|tx| {
            use vigil_store::settings::set_setting;
            set_setting(tx, settings::SCHEDULE_PAUSED, &paused)?;
            if was_paused && !paused {
                set_setting(tx, SCHEDULE_SET_AT, &rfc3339(now))?;
            }
            Ok(())
        })?;
        drop(store);
        self.schedule_status(now)
    }

    /// The latest monitoring run of any trigger.
    fn last_run(&self) -> Result<Option<api::RunSummary>, EngineError> {
        Ok(self.runs(1)?.into_iter().next())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn schedule(at: &str, zone: &str, set_at: &str) -> Schedule {
        Schedule {
            at: parse_at(at).unwrap(),
            timezone: parse_timezone(zone).unwrap(),
            paused: false,
            set_at: utc(set_at),
        }
    }

    #[test]
    fn a_normal_day_runs_at_the_local_time_once() {
        let s = schedule("06:30", "Europe/Berlin", "2026-06-01T00:00:00Z");
        // CEST is UTC+2.
        assert_eq!(
            s.due(utc("2026-06-02T04:29:59Z"), None),
            Some(utc("2026-06-01T04:30:00Z"))
        );
        let due = s.due(utc("2026-06-02T04:30:00Z"), None);
        assert_eq!(due, Some(utc("2026-06-02T04:30:00Z")));
        // Performed: nothing more until tomorrow.
        assert_eq!(s.due(utc("2026-06-02T12:00:00Z"), due), None);
        assert_eq!(
            s.next_run(utc("2026-06-02T12:00:00Z"), due),
            Some(utc("2026-06-03T04:30:00Z"))
        );
    }

    #[test]
    fn a_time_the_clocks_skip_runs_at_the_end_of_the_gap() {
        // Berlin, 2026-03-29: 02:00 CET jumps to 03:00 CEST (01:00 UTC). 02:30 never exists.
        let s = schedule("02:30", "Europe/Berlin", "2026-03-01T00:00:00Z");
        let day = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
        assert_eq!(s.occurrence(day), utc("2026-03-29T01:00:00Z"));
        let before = utc("2026-03-28T01:30:00Z"); // the day before's run (CET, UTC+1)
        assert_eq!(s.due(utc("2026-03-29T00:59:59Z"), Some(before)), None);
        assert_eq!(
            s.due(utc("2026-03-29T01:00:00Z"), Some(before)),
            Some(utc("2026-03-29T01:00:00Z"))
        );
        // The day after is a normal CEST day again.
        assert_eq!(
            s.first_after(utc("2026-03-29T01:00:00Z")),
            utc("2026-03-30T00:30:00Z")
        );
    }

    #[test]
    fn a_time_the_clocks_pass_twice_runs_once_at_the_first() {
        // Berlin, 2026-10-25: 03:00 CEST falls back to 02:00 CET; 02:30 happens at 00:30 and
        // again at 01:30 UTC.
        let s = schedule("02:30", "Europe/Berlin", "2026-10-01T00:00:00Z");
        let day = NaiveDate::from_ymd_opt(2026, 10, 25).unwrap();
        assert_eq!(s.occurrence(day), utc("2026-10-25T00:30:00Z"));
        let first = s.due(
            utc("2026-10-25T00:30:00Z"),
            Some(utc("2026-10-24T00:30:00Z")),
        );
        assert_eq!(first, Some(utc("2026-10-25T00:30:00Z")));
        // The second 02:30 owes nothing.
        assert_eq!(s.due(utc("2026-10-25T01:30:00Z"), first), None);
        assert_eq!(s.due(utc("2026-10-25T23:00:00Z"), first), None);
        assert_eq!(
            s.next_run(utc("2026-10-25T01:30:00Z"), first),
            Some(utc("2026-10-26T01:30:00Z"))
        );
    }

    #[test]
    fn waking_after_three_missed_days_runs_once() {
        let s = schedule("06:30", "UTC", "2026-01-01T00:00:00Z");
        let last = Some(utc("2026-01-05T06:30:00Z"));
        // Asleep from the 5th to the 9th at 08:00: the runs of the 6th, 7th, 8th, 9th were missed.
        let now = utc("2026-01-09T08:00:00Z");
        let due = s.due(now, last);
        assert_eq!(due, Some(utc("2026-01-09T06:30:00Z")));
        // Once performed, waking on it again owes nothing: one run, not four.
        assert_eq!(s.due(now, due), None);
        assert_eq!(s.due(utc("2026-01-09T23:59:00Z"), due), None);
    }

    #[test]
    fn a_paused_schedule_runs_nothing() {
        let mut s = schedule("06:30", "UTC", "2026-01-01T00:00:00Z");
        s.paused = true;
        assert_eq!(s.due(utc("2026-01-09T08:00:00Z"), None), None);
        assert_eq!(s.next_run(utc("2026-01-09T08:00:00Z"), None), None);
    }

    #[test]
    fn setting_the_time_after_it_passed_today_waits_for_tomorrow() {
        let s = schedule("06:30", "UTC", "2026-01-09T09:00:00Z");
        assert_eq!(s.due(utc("2026-01-09T09:00:01Z"), None), None);
        assert_eq!(s.due(utc("2026-01-09T23:00:00Z"), None), None);
        assert_eq!(
            s.next_run(utc("2026-01-09T09:00:01Z"), None),
            Some(utc("2026-01-10T06:30:00Z"))
        );
        assert_eq!(
            s.due(utc("2026-01-10T06:30:00Z"), None),
            Some(utc("2026-01-10T06:30:00Z"))
        );
    }

    #[test]
    fn bad_times_and_zones_are_named() {
        for bad in ["6:30", "24:00", "06:60", "0630", "06:30:00", ""] {
            let error = parse_at(bad).unwrap_err().to_string();
            assert!(error.contains(&format!("{bad:?}")), "{error}");
        }
        let error = parse_timezone("Mars/Olympus").unwrap_err().to_string();
        assert!(error.contains("Mars/Olympus"), "{error}");
    }

    #[test]
    fn the_engine_stores_the_schedule_and_resuming_does_not_catch_up() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::open(dir.path()).unwrap();
        let set = engine
            .set_schedule("06:30", Some("Europe/Berlin"), utc("2026-06-02T07:00:00Z"))
            .unwrap();
        assert_eq!(
            (set.at.as_str(), set.timezone.as_str()),
            ("06:30", "Europe/Berlin")
        );
        assert_eq!(set.next_run.as_deref(), Some("2026-06-03T04:30:00Z"));
        assert!(engine
            .set_schedule("6:30", None, utc("2026-06-02T07:00:00Z"))
            .is_err());
        // A rejected change changed nothing.
        let s = engine.schedule(utc("2026-06-02T07:00:00Z")).unwrap();
        assert_eq!(s.timezone.name(), "Europe/Berlin");

        engine
            .pause_schedule(true, utc("2026-06-02T08:00:00Z"))
            .unwrap();
        let paused = engine.schedule_status(utc("2026-06-04T08:00:00Z")).unwrap();
        assert!(paused.paused);
        assert_eq!(paused.next_run, None);
        let resumed = engine
            .pause_schedule(false, utc("2026-06-04T08:00:00Z"))
            .unwrap();
        // 06:30 on the 3rd and 4th passed while paused: the next run is the 5th.
        assert_eq!(resumed.next_run.as_deref(), Some("2026-06-05T04:30:00Z"));
    }
}
