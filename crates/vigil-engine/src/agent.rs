//! The agent: what the desktop app and `vigil agent` do by themselves — the scheduled run,
//! advisory syncs with backoff, the intake folder. One [`Agent`] serves both; its owner calls
//! [`Agent::tick`] with the time, about once a second, and shows the events it returns.

use std::{collections::HashMap, fmt, path::PathBuf, time::Duration};

use chrono::{DateTime, Utc};

use crate::{
    api, intake::Intake, rfc3339, settings, Engine, EngineError, RunOutcome, RunRequest, Trigger,
};

/// What the agent keeps between processes for the status bar and Settings.
const LAST_SYNC_AT: &str = "agent.last_sync_at";
const LAST_SYNC_ERROR: &str = "agent.last_sync_error";
const NEXT_SYNC_AT: &str = "agent.next_sync_at";
const INTAKE_LOG: &str = "agent.intake_log";
const INTAKE_LOG_KEPT: usize = 50;

/// The first retry after a failed sync; each further failure doubles it, up to the period.
const FIRST_RETRY: Duration = Duration::from_secs(60);
/// After a step failed for another reason than the network, it is tried again this much later.
const STEP_RETRY: Duration = Duration::from_secs(60);

/// Settings that one process overrides for itself (`vigil agent --sync-every --base-url`).
#[derive(Debug, Clone, Default)]
pub struct AgentOptions {
    pub sync_every: Option<Duration>,
    pub base_url: Option<String>,
}

/// One action the agent took, for a log line or a UI refresh.
#[derive(Debug, Clone)]
pub enum AgentEvent {
    Ran {
        due: DateTime<Utc>,
        report: api::MonitorReport,
    },
    /// Another process performs (or performed) the run for `due`.
    Skipped {
        due: DateTime<Utc>,
        reason: String,
    },
    Synced(api::SyncReport),
    SyncFailed {
        error: String,
        retry_at: DateTime<Utc>,
    },
    /// Said once: syncing syncs the ecosystems synced before, and there are none.
    NothingToSync,
    Intake(api::IntakeEvent),
    /// The outbox sent, retried or gave up on something.
    Delivered(api::DeliveryReport),
    Failed {
        step: &'static str,
        message: String,
    },
}

impl AgentEvent {
    /// Whether stored data changed, so that a window showing it should refresh.
    pub fn changed_data(&self) -> bool {
        match self {
            AgentEvent::Ran { .. }
            | AgentEvent::Synced(_)
            | AgentEvent::Intake(_)
            | AgentEvent::Delivered(_) => true,
            AgentEvent::Skipped { .. }
            | AgentEvent::SyncFailed { .. }
            | AgentEvent::NothingToSync
            | AgentEvent::Failed { .. } => false,
        }
    }
}

impl fmt::Display for AgentEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AgentEvent::Ran { report, .. } => {
                let count =
                    |kind: api::AlertKind| report.alerts.iter().filter(|a| a.kind == kind).count();
                write!(
                    f,
                    "run: {} applications, {} new, {} changed, {} resolved",
                    report.applications,
                    count(api::AlertKind::New),
                    count(api::AlertKind::Changed),
                    count(api::AlertKind::Resolved)
                )?;
                for warning in report.advisory_data.warnings() {
                    write!(f, "; warning: {warning}")?;
                }
                Ok(())
            }
            AgentEvent::Skipped { reason, .. } => write!(f, "skipped: {reason}"),
            AgentEvent::Synced(report) => {
                let parts: Vec<String> = report
                    .ecosystems
                    .iter()
                    .map(|e| match e.mode.as_str() {
                        "unchanged" => format!("{} unchanged", e.ecosystem),
                        _ => format!("{} {} changed", e.ecosystem, e.changed),
                    })
                    .collect();
                write!(f, "sync: {}", parts.join(", "))
            }
            AgentEvent::SyncFailed { error, retry_at } => {
                write!(f, "sync: failed: {error}; next try {}", rfc3339(*retry_at))
            }
            AgentEvent::NothingToSync => write!(
                f,
                "sync: nothing synced yet, nothing to do (run `vigil db sync --ecosystem ECO` once)"
            ),
            AgentEvent::Intake(event) if event.outcome == "done" => {
                write!(f, "intake: {} → {}", event.file, event.message)
            }
            AgentEvent::Intake(event) => {
                write!(f, "intake: {} → failed: {}", event.file, event.message)
            }
            AgentEvent::Delivered(report) => {
                write!(
                    f,
                    "deliveries: {} sent, {} to retry, {} failed, {} pending",
                    report.sent, report.retrying, report.failed, report.pending
                )?;
                for channel in &report.disabled {
                    write!(f, "; channel {channel} disabled (410 Gone)")?;
                }
                Ok(())
            }
            AgentEvent::Failed { step, message } => write!(f, "{step}: error: {message}"),
        }
    }
}

/// When the next sync is, and how far it backs off while offline. Pure.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncClock {
    pub next_at: Option<DateTime<Utc>>,
    pub failures: u32,
}

impl SyncClock {
    pub fn due(&self, now: DateTime<Utc>) -> bool {
        self.next_at.is_none_or(|at| now >= at)
    }

    pub fn succeeded(&mut self, now: DateTime<Utc>, period: Duration) {
        self.failures = 0;
        self.next_at = Some(now + chrono_duration(period));
    }

    /// 1 minute, 2, 4, ... never longer than the period itself.
    pub fn failed(&mut self, now: DateTime<Utc>, period: Duration) -> DateTime<Utc> {
        self.failures = self.failures.saturating_add(1);
        let doubled = FIRST_RETRY
            .checked_mul(1u32 << self.failures.saturating_sub(1).min(20))
            .unwrap_or(period);
        let at = now + chrono_duration(doubled.min(period));
        self.next_at = Some(at);
        at
    }
}

fn chrono_duration(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::days(365))
}

pub use crate::monitor::holder_name;

/// Shows desktop deliveries from the agent's thread (the desktop app's notifications).
pub type OwnedDesktopSink = Box<dyn Fn(&vigil_notify::Notice) -> Result<(), String> + Send>;

/// Told `true` as a scheduled run starts and `false` as it ends (whatever its outcome), so that
/// a tray can show "running" while the agent's thread is busy with it.
pub type RunWatcher = Box<dyn Fn(bool) + Send>;

pub struct Agent {
    engine: Engine,
    holder: String,
    options: AgentOptions,
    /// The scheduled time this process last performed, so that a run is never repeated here
    /// even before the store knows it.
    performed: Option<DateTime<Utc>>,
    skip_said: Option<DateTime<Utc>>,
    skip_retry_at: Option<DateTime<Utc>>,
    run_retry_at: Option<DateTime<Utc>>,
    sync: SyncClock,
    sync_loaded: bool,
    nothing_to_sync_said: bool,
    intake: Intake,
    intake_retry_at: Option<DateTime<Utc>>,
    /// The last error each step reported: a step failing the same way every tick says it once.
    errors: HashMap<&'static str, String>,
    desktop: Option<OwnedDesktopSink>,
    run_watcher: Option<RunWatcher>,
}

impl Agent {
    pub fn new(engine: Engine, holder: String, options: AgentOptions) -> Agent {
        Agent {
            engine,
            holder,
            options,
            performed: None,
            skip_said: None,
            skip_retry_at: None,
            run_retry_at: None,
            sync: SyncClock::default(),
            sync_loaded: false,
            nothing_to_sync_said: false,
            intake: Intake::default(),
            intake_retry_at: None,
            errors: HashMap::new(),
            desktop: None,
            run_watcher: None,
        }
    }

    /// Does whatever is due at `now`: a sync, the intake folder, the scheduled run.
    pub fn tick(&mut self, now: DateTime<Utc>) -> Vec<AgentEvent> {
        let mut events = Vec::new();
        let settings = match self.engine.agent_settings() {
            Ok(settings) => settings,
            Err(error) => {
                self.failed(&mut events, "settings", error);
                return events;
            }
        };
        self.sync_step(now, &settings, &mut events);
        self.intake_step(now, &settings, &mut events);
        self.run_step(now, &mut events);
        self.deliver_step(now, &mut events);
        events
    }

    /// Shows desktop deliveries through `sink` (the desktop app's notifications); without
    /// one, they wait for the desktop app.
    pub fn set_desktop_sink(&mut self, sink: OwnedDesktopSink) {
        self.desktop = Some(sink);
    }

    /// Tells `watcher` when a scheduled run starts and ends.
    pub fn set_run_watcher(&mut self, watcher: RunWatcher) {
        self.run_watcher = Some(watcher);
    }

    /// Sends what the outbox holds that is due (after the run, so its alerts go out at once).
    fn deliver_step(&mut self, now: DateTime<Utc>, events: &mut Vec<AgentEvent>) {
        let sink = self.desktop.as_deref().map(|s| s as crate::DesktopSink<'_>);
        match self.engine.send_due_deliveries(now, sink) {
            Ok(report) => {
                self.errors.remove("deliveries");
                if report.sent + report.failed + report.retrying > 0 || !report.disabled.is_empty()
                {
                    events.push(AgentEvent::Delivered(report));
                }
            }
            Err(error) => self.failed(events, "deliveries", error),
        }
    }

    fn failed(&mut self, events: &mut Vec<AgentEvent>, step: &'static str, error: EngineError) {
        let message = error.to_string();
        if self.errors.get(step) != Some(&message) {
            self.errors.insert(step, message.clone());
            events.push(AgentEvent::Failed { step, message });
        }
    }

    fn run_step(&mut self, now: DateTime<Utc>, events: &mut Vec<AgentEvent>) {
        if self.run_retry_at.is_some_and(|at| now < at) {
            return;
        }
        match self.scheduled_run(now) {
            Ok(event) => {
                self.errors.remove("run");
                events.extend(event);
            }
            Err(error) => {
                self.run_retry_at = Some(now + chrono_duration(STEP_RETRY));
                self.failed(events, "run", error);
            }
        }
    }

    fn scheduled_run(&mut self, now: DateTime<Utc>) -> Result<Option<AgentEvent>, EngineError> {
        self.engine.arm_schedule(now)?;
        let schedule = self.engine.schedule(now)?;
        // Only what this process did filters here: a run another process performed is still
        // asked for once, so that this one can say who performed it.
        let Some(due) = schedule.due(now, self.performed) else {
            return Ok(None);
        };
        if self.skip_said == Some(due) {
            // The other process may give up (its lease expires): try again now and then, until
            // the store knows the run was performed.
            let performed = self.engine.last_scheduled_due()?.is_some_and(|d| d >= due);
            if performed || self.skip_retry_at.is_some_and(|at| now < at) {
                return Ok(None);
            }
        }
        let request = RunRequest {
            trigger: Trigger::Schedule,
            now,
            holder: self.holder.clone(),
            due_at: Some(due),
            full: false,
        };
        if let Some(watcher) = &self.run_watcher {
            watcher(true);
        }
        let ran = self.engine.run_monitoring_as(&request);
        if let Some(watcher) = &self.run_watcher {
            watcher(false);
        }
        Ok(match ran? {
            RunOutcome::Ran(report) => {
                self.performed = Some(due);
                Some(AgentEvent::Ran { due, report })
            }
            RunOutcome::Skipped { reason } => {
                self.skip_retry_at = Some(now + chrono_duration(STEP_RETRY));
                let first = self.skip_said != Some(due);
                self.skip_said = Some(due);
                first.then_some(AgentEvent::Skipped { due, reason })
            }
        })
    }

    fn sync_period(&self, settings: &api::AgentSettings) -> Duration {
        self.options
            .sync_every
            .unwrap_or(Duration::from_secs(settings.sync_every_seconds))
    }

    fn sync_step(
        &mut self,
        now: DateTime<Utc>,
        settings: &api::AgentSettings,
        events: &mut Vec<AgentEvent>,
    ) {
        let period = self.sync_period(settings);
        if period.is_zero() {
            return;
        }
        if !self.sync_loaded {
            // A sync done shortly before this process started counts.
            self.sync_loaded = true;
            if let Ok(Some(last)) = self.stored_time(LAST_SYNC_AT) {
                self.sync.next_at = Some(last + chrono_duration(period));
            }
        }
        if !self.sync.due(now) {
            return;
        }
        let base_url = self
            .options
            .base_url
            .clone()
            .unwrap_or_else(|| settings.sync_base_url.clone());
        match self.sync_once(&base_url) {
            Ok(None) => {
                self.sync.succeeded(now, period);
                if !self.nothing_to_sync_said {
                    self.nothing_to_sync_said = true;
                    events.push(AgentEvent::NothingToSync);
                }
            }
            Ok(Some(report)) => {
                let errors: Vec<String> = report
                    .ecosystems
                    .iter()
                    .filter_map(|e| e.error.as_ref().map(|m| format!("{}: {m}", e.ecosystem)))
                    .collect();
                if errors.is_empty() {
                    self.sync.succeeded(now, period);
                    self.remember_sync(now, None);
                    events.push(AgentEvent::Synced(report));
                } else {
                    let error = errors.join("; ");
                    let retry_at = self.sync.failed(now, period);
                    self.remember_sync(now, Some(&error));
                    events.push(AgentEvent::SyncFailed { error, retry_at });
                }
            }
            Err(error) => {
                let error = error.to_string();
                let retry_at = self.sync.failed(now, period);
                self.remember_sync(now, Some(&error));
                events.push(AgentEvent::SyncFailed { error, retry_at });
            }
        }
    }

    /// `None` when no ecosystem was ever synced.
    fn sync_once(&self, base_url: &str) -> Result<Option<api::SyncReport>, EngineError> {
        if self.engine.store()?.synced_ecosystems()?.is_empty() {
            return Ok(None);
        }
        self.engine.sync(&[], base_url, &mut |_| {}).map(Some)
    }

    fn stored_time(&self, key: &str) -> Result<Option<DateTime<Utc>>, EngineError> {
        let value: Option<String> = self.engine.store()?.setting(key)?;
        Ok(value
            .and_then(|v| DateTime::parse_from_rfc3339(&v).ok())
            .map(|t| t.with_timezone(&Utc)))
    }

    /// Best effort: the status shown elsewhere; the agent goes on when it cannot be stored.
    fn remember_sync(&self, now: DateTime<Utc>, error: Option<&str>) {
        let next = self.sync.next_at.map(rfc3339);
        let stored = self.engine.store().and_then(|mut store| {
            store
                .transaction(|tx| {
                    use vigil_store::settings::{remove_setting, set_setting};
                    match error {
                        None => {
                            set_setting(tx, LAST_SYNC_AT, &rfc3339(now))?;
                            remove_setting(tx, LAST_SYNC_ERROR)?;
                        }
                        Some(error) => set_setting(tx, LAST_SYNC_ERROR, &error)?,
                    }
                    match &next {
                        Some(next) => set_setting(tx, NEXT_SYNC_AT, next),
                        None => remove_setting(tx, NEXT_SYNC_AT),
                    }
                })
                .map_err(EngineError::from)
        });
        drop(stored);
    }

    fn intake_step(
        &mut self,
        now: DateTime<Utc>,
        settings: &api::AgentSettings,
        events: &mut Vec<AgentEvent>,
    ) {
        let Some(folder) = &settings.intake_folder else {
            return;
        };
        if self.intake_retry_at.is_some_and(|at| now < at) {
            return;
        }
        match self.intake.poll(&self.engine, &PathBuf::from(folder), now) {
            Ok(taken) => {
                self.errors.remove("intake");
                if !taken.is_empty() {
                    self.remember_intake(&taken);
                }
                events.extend(taken.into_iter().map(AgentEvent::Intake));
            }
            Err(error) => {
                self.intake_retry_at = Some(now + chrono_duration(Duration::from_secs(5)));
                self.failed(events, "intake", error);
            }
        }
    }

    fn remember_intake(&self, taken: &[api::IntakeEvent]) {
        let stored = self.engine.store().and_then(|mut store| {
            let mut log: Vec<api::IntakeEvent> = store.setting(INTAKE_LOG)?.unwrap_or_default();
            let mut newest: Vec<api::IntakeEvent> = taken.iter().rev().cloned().collect();
            newest.append(&mut log);
            newest.truncate(INTAKE_LOG_KEPT);
            store.set_setting(INTAKE_LOG, &newest)?;
            Ok(())
        });
        drop(stored);
    }
}

impl Engine {
    pub fn agent_status(&self, now: DateTime<Utc>) -> Result<api::AgentStatus, EngineError> {
        let schedule = self.schedule_status(now)?;
        let store = self.store()?;
        Ok(api::AgentStatus {
            schedule,
            settings: settings::agent_settings(&store)?,
            last_sync_at: store.setting(LAST_SYNC_AT)?,
            last_sync_error: store.setting(LAST_SYNC_ERROR)?,
            next_sync_at: store.setting(NEXT_SYNC_AT)?,
            intake: store.setting(INTAKE_LOG)?.unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_failing_sync_backs_off_doubling_up_to_the_period_and_resets_on_success() {
        let hour = Duration::from_secs(3600);
        let now = utc("2026-01-01T00:00:00Z");
        let mut clock = SyncClock::default();
        assert!(clock.due(now));
        let waits: Vec<i64> = (0..9)
            .map(|_| (clock.failed(now, hour) - now).num_seconds())
            .collect();
        assert_eq!(waits, [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
        assert!(!clock.due(now));
        clock.succeeded(now, hour);
        assert_eq!(clock.failures, 0);
        assert_eq!(clock.failed(now, hour) - now, chrono::Duration::seconds(60));
        // A period shorter than the first retry caps it.
        assert_eq!(
            clock.failed(now, Duration::from_secs(1)) - now,
            chrono::Duration::seconds(1)
        );
    }

    #[test]
    fn an_agent_runs_a_due_schedule_once_and_says_nothing_to_sync_once() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::open(dir.path()).unwrap();
        engine
            .set_schedule("06:30", Some("UTC"), utc("2026-01-01T00:00:00Z"))
            .unwrap();
        let mut agent = Agent::new(engine.clone(), "test".into(), AgentOptions::default());
        let watched = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = watched.clone();
        agent.set_run_watcher(Box::new(move |running| seen.lock().unwrap().push(running)));
        let first = agent.tick(utc("2026-01-03T07:00:00Z"));
        assert_eq!(
            *watched.lock().unwrap(),
            [true, false],
            "the watcher hears the run start and end"
        );
        let lines: Vec<String> = first.iter().map(ToString::to_string).collect();
        assert!(
            first.iter().any(
                |e| matches!(e, AgentEvent::Ran { due, .. } if *due == utc("2026-01-03T06:30:00Z"))
            ),
            "{lines:?}"
        );
        assert!(
            first.iter().any(|e| matches!(e, AgentEvent::NothingToSync)),
            "{lines:?}"
        );
        assert!(lines.contains(&"run: 0 applications, 0 new, 0 changed, 0 resolved".to_string()));
        // Later the same day: nothing more.
        let again = agent.tick(utc("2026-01-03T08:00:00Z"));
        assert!(again.is_empty(), "{again:?}");
        assert_eq!(watched.lock().unwrap().len(), 2, "no run, nothing to watch");
    }
}
