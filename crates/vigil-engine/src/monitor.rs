//! Continuous monitoring: re-evaluate what every monitored application's watched scans are
//! judged by, and report only what changed since monitoring last looked.
//!
//! A run is incremental: a scan whose stored evaluation is still current (same rules, no
//! package of it touched by advisory data since, see [`evaluate::Currency`]) is not evaluated
//! again, and an application whose current evaluations monitoring already compared costs a
//! look-up. Applications are handled one at a time inside one write transaction, so memory
//! does not grow with the portfolio and a crash leaves no half-run.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use vigil_policy::{AdvisoryFact, Violation};
use vigil_store::{
    applications::{insert_evaluation, NewEvaluation},
    monitoring::{
        delete_run, finish_run, insert_alert, insert_run, insert_run_application, is_withdrawn, run_for_due,
        save_violation, set_monitored, violation_states, AlertRow, RunCounts, ViolationState,
    },
    dashboard::{open_reported_bands, set_run_open},
    settings::{release_lease, take_over_lease, try_acquire_lease},
    triage::{unacknowledge, Unacknowledge, ViolationIdentity},
    ApplicationRow, Store, ThreatBands,
};

use crate::{api, convert, evaluate, matcher::Matcher, rfc3339, Engine, EngineError, Trigger};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    New,
    Changed,
    Resolved,
}

impl ChangeKind {
    fn as_str(self) -> &'static str {
        match self {
            ChangeKind::New => "new",
            ChangeKind::Changed => "changed",
            ChangeKind::Resolved => "resolved",
        }
    }

    fn api(self) -> api::AlertKind {
        match self {
            ChangeKind::New => api::AlertKind::New,
            ChangeKind::Changed => api::AlertKind::Changed,
            ChangeKind::Resolved => api::AlertKind::Resolved,
        }
    }
}

/// One difference between what monitoring reported before and what holds now.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub kind: ChangeKind,
    /// The violation as it is now (for `Resolved`: as it was last reported).
    pub violation: Violation,
    /// For `Changed`: as it was last reported.
    pub before: Option<Violation>,
    /// Whether anyone is told. A violation that a waiver covers is recorded silently: its
    /// owner accepted it. When the waiver expires (or is removed) the violation is active
    /// again, and that is announced as a change. A change of details nobody acts on (an EPSS
    /// score moving, a summary reworded) is recorded silently too.
    pub alert: bool,
    /// For `Changed`: what changed, as people are told it.
    pub notes: Vec<api::ChangeNote>,
}

/// The highest score among a violation's advisories.
fn top_score(v: &Violation) -> Option<f64> {
    v.details
        .advisories
        .iter()
        .filter_map(|a| a.score)
        .fold(None, |best: Option<f64>, s| Some(best.map_or(s, |b| b.max(s))))
}

/// What changed between two reports of one violation that people act on: advisories added or
/// gone (withdrawn, when the store says so), the score, a fix that became available, KEV, the
/// threat level, the license, a waiver that lapsed. Pure apart from `withdrawn`.
pub fn change_notes(
    before: &Violation,
    now: &Violation,
    withdrawn: &mut dyn FnMut(&str) -> bool,
) -> Vec<api::ChangeNote> {
    use api::ChangeNote as N;
    let mut notes = Vec::new();
    if before.waived() && !now.waived() {
        notes.push(N::WaiverExpired);
    }
    let by_id = |v: &Violation| -> BTreeMap<String, AdvisoryFact> {
        v.details
            .advisories
            .iter()
            .map(|a| (a.id.clone(), a.clone()))
            .collect()
    };
    let (old, new) = (by_id(before), by_id(now));
    for id in new.keys().filter(|id| !old.contains_key(*id)) {
        notes.push(N::AdvisoryAdded { id: id.clone() });
    }
    for id in old.keys().filter(|id| !new.contains_key(*id)) {
        notes.push(if withdrawn(id) {
            N::AdvisoryWithdrawn { id: id.clone() }
        } else {
            N::AdvisoryRemoved { id: id.clone() }
        });
    }
    let (from, to) = (top_score(before), top_score(now));
    if from != to {
        notes.push(N::ScoreChanged { from, to });
    }
    let had_fix: BTreeSet<&String> = old.values().flat_map(|a| &a.fixed).collect();
    let mut fixes: BTreeSet<&String> = BTreeSet::new();
    for (id, advisory) in &new {
        if old.get(id).is_some_and(|was| was.fixed.is_empty()) || had_fix.is_empty() {
            fixes.extend(advisory.fixed.iter().filter(|f| !had_fix.contains(f)));
        }
    }
    // A fix that arrives with a newly added advisory is news about that advisory, not about
    // the component; say "fix available" only when the component had none before.
    if had_fix.is_empty() && !old.is_empty() {
        if let Some(version) = fixes.iter().next() {
            notes.push(N::FixAvailable {
                version: (*version).clone(),
            });
        }
    }
    for (id, advisory) in &new {
        match old.get(id) {
            Some(was) if !was.kev && advisory.kev => notes.push(N::AddedToKev { id: id.clone() }),
            Some(was) if was.kev && !advisory.kev => {
                notes.push(N::RemovedFromKev { id: id.clone() })
            }
            _ => {}
        }
    }
    if before.threat_level != now.threat_level {
        notes.push(N::ThreatLevelChanged {
            from: before.threat_level,
            to: now.threat_level,
        });
    }
    if before.details.license != now.details.license {
        notes.push(N::LicenseChanged {
            from: before.details.license.clone(),
            to: now.details.license.clone(),
        });
    }
    notes
}

/// A change note as one short sentence: `PYSEC-2019-10 withdrawn`, `score 5.3 → 9.8`.
pub fn describe(note: &api::ChangeNote) -> String {
    use api::ChangeNote as N;
    let score = |s: &Option<f64>| s.map_or("none".to_string(), |s| format!("{s:.1}"));
    match note {
        N::AdvisoryAdded { id } => format!("{id} added"),
        N::AdvisoryRemoved { id } => format!("{id} no longer applies"),
        N::AdvisoryWithdrawn { id } => format!("{id} withdrawn"),
        N::ScoreChanged { from, to } => format!("score {} → {}", score(from), score(to)),
        N::FixAvailable { version } => format!("fix available: {version}"),
        N::AddedToKev { id } => format!("{id} added to KEV"),
        N::RemovedFromKev { id } => format!("{id} removed from KEV"),
        N::WaiverExpired => "waiver expired".to_string(),
        N::ThreatLevelChanged { from, to } => format!("threat level {from} → {to}"),
        N::LicenseChanged { from, to } => format!(
            "license {} → {}",
            from.as_deref().unwrap_or("none"),
            to.as_deref().unwrap_or("none")
        ),
    }
}

/// Compares the reported state with the current violations. Pure. A violation already
/// reported with the same details produces nothing: it is never reported twice.
pub fn diff(reported: &[ViolationState], current: &[Violation]) -> Vec<Change> {
    diff_with(reported, current, &mut |_| false)
}

/// [`diff`], asking `withdrawn` whether an advisory that went away was withdrawn.
pub fn diff_with(
    reported: &[ViolationState],
    current: &[Violation],
    withdrawn: &mut dyn FnMut(&str) -> bool,
) -> Vec<Change> {
    let before: BTreeMap<_, _> = reported
        .iter()
        .map(|state| (state.violation.key(), state))
        .collect();
    let now: BTreeMap<_, _> = current.iter().map(|v| (v.key(), v)).collect();
    let mut changes = Vec::new();
    for (key, violation) in &now {
        let change = |kind, alert, before: Option<&Violation>, notes| Change {
            kind,
            violation: (*violation).clone(),
            before: before.cloned(),
            alert,
            notes,
        };
        match before.get(key) {
            None => changes.push(change(ChangeKind::New, !violation.waived(), None, vec![])),
            Some(state) if !state.open => {
                changes.push(change(ChangeKind::New, !violation.waived(), None, vec![]))
            }
            Some(state) if state.violation == **violation => {}
            Some(state) => {
                let notes = change_notes(&state.violation, violation, withdrawn);
                // Newly or still waived: keep the state current, tell nobody.
                let alert = !violation.waived() && !notes.is_empty();
                changes.push(change(
                    ChangeKind::Changed,
                    alert,
                    Some(&state.violation),
                    notes,
                ));
            }
        }
    }
    for (key, state) in &before {
        if state.open && !now.contains_key(key) {
            changes.push(Change {
                kind: ChangeKind::Resolved,
                violation: state.violation.clone(),
                before: Some(state.violation.clone()),
                alert: !state.violation.waived(),
                notes: vec![],
            });
        }
    }
    changes
}

/// Who asks for a run, and for which scheduled time.
#[derive(Debug, Clone)]
pub struct RunRequest {
    pub trigger: Trigger,
    pub now: chrono::DateTime<chrono::Utc>,
    /// Names this process in the lease (`agent host:pid`, `desktop host:pid`), so that the
    /// others can say who performs the run.
    pub holder: String,
    /// For a scheduled run: the scheduled time it is for. Only one run per scheduled time is
    /// ever performed, whichever process gets there first.
    pub due_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Evaluate every watched scan afresh, current or not (`vigil monitor run --full`).
    pub full: bool,
}

impl RunRequest {
    pub fn new(trigger: Trigger, now: chrono::DateTime<chrono::Utc>) -> RunRequest {
        RunRequest {
            trigger,
            now,
            holder: default_holder(trigger),
            due_at: None,
            full: false,
        }
    }
}

fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_else(|| "localhost".to_string())
}

/// `KIND host:pid` (`agent myhost:4242`): who holds a lease, for the others' messages.
pub fn holder_name(kind: &str) -> String {
    format!("{kind} {}:{}", host_name(), std::process::id())
}

/// The holder name of this process for a run of `trigger`.
pub fn default_holder(trigger: Trigger) -> String {
    holder_name(trigger.as_str())
}

/// Whether a lease holder named like [`default_holder`] is a process of this machine that no
/// longer exists. Unknown (another machine, another platform, another naming): not gone.
pub(crate) fn holder_is_gone(holder: &str) -> bool {
    let Some((host, pid)) = holder
        .rsplit_once(' ')
        .and_then(|(_, at)| at.rsplit_once(':'))
    else {
        return false;
    };
    let Ok(pid) = pid.parse::<u32>() else {
        return false;
    };
    let proc = std::path::Path::new("/proc");
    host == host_name() && pid != std::process::id() && proc.join("self").exists() && !proc.join(pid.to_string()).exists()
}

/// What came of a run request.
#[derive(Debug, Clone)]
pub enum RunOutcome {
    Ran(api::MonitorReport),
    /// Another process performs it, or already performed the run for this scheduled time.
    Skipped { reason: String },
}

/// The lease a monitoring run holds; long enough for any run, short enough that a crashed
/// holder does not stop monitoring for long.
const LEASE: &str = "monitoring";
const LEASE_MINUTES: i64 = 15;
/// SQLite page cache per connection during a run.
const RUN_CACHE_MIB: u32 = 64;

/// What one application needs recorded, prepared by the reading side of a run.
struct Prepared {
    app: ApplicationRow,
    rules_hash: String,
    /// Per watched scan, newest first: its current evaluation, or a fresh one to store.
    scans: Vec<PreparedScan>,
    /// The violations of monitored policies across the watched scans, one per identity.
    current: Vec<Violation>,
}

enum PreparedScan {
    Current(i64),
    Fresh { scan_id: i64, violations: Vec<Violation> },
}

/// What the reading side tells the writing side about each application, in order.
enum Step {
    /// Nothing monitoring watches (never scanned at its stage).
    Nothing,
    /// Its current evaluations are the ones monitoring already compared: a look-up.
    Unchanged,
    Record(Box<Prepared>),
}

/// Applications prepared ahead of the writer: enough to keep both cores busy, few enough
/// that memory does not grow with the portfolio.
const PREPARED_AHEAD: usize = 4;

/// The reading side of a run: decides for each application whether anything changed and
/// evaluates what must be. Runs on its own thread with its own connection and matcher.
struct Reader<'a> {
    read: &'a Store,
    rules: &'a evaluate::Rules,
    currency: &'a evaluate::Currency,
    monitored_policies: &'a HashSet<String>,
}

impl Reader<'_> {
    fn prepare(&self, matcher: &mut Matcher<'_>, app: &ApplicationRow) -> Result<Step, EngineError> {
        let watched = watched_scans(self.read, app)?;
        if watched.is_empty() {
            return Ok(Step::Nothing);
        }
        let rules_hash = self.rules.hash_for(app);
        let stamps: Vec<Option<i64>> = watched
            .iter()
            .map(|&scan| self.currency.current(scan, &rules_hash).map(|s| s.evaluation_id))
            .collect();
        if stamps.iter().all(Option::is_some) {
            let mut compared: Vec<i64> = stamps.iter().flatten().copied().collect();
            compared.sort_unstable();
            let mut before = app.monitored_evaluations.clone();
            before.sort_unstable();
            if compared == before {
                return Ok(Step::Unchanged);
            }
        }
        // Newest scan first: a violation found in several watched versions is reported once.
        let mut current: BTreeMap<(String, String, String), Violation> = BTreeMap::new();
        let mut scans = Vec::with_capacity(watched.len());
        for (&scan_id, stamp) in watched.iter().zip(&stamps) {
            let violations = match stamp {
                Some(evaluation_id) => {
                    scans.push(PreparedScan::Current(*evaluation_id));
                    self.read
                        .latest_evaluation(scan_id)?
                        .map(|(_, violations)| violations)
                        .unwrap_or_default()
                }
                None => {
                    let violations = self.rules.evaluate_scan(matcher, self.read, app, scan_id)?;
                    let monitored: Vec<Violation> = violations
                        .iter()
                        .filter(|v| self.monitored_policies.contains(&v.policy))
                        .cloned()
                        .collect();
                    scans.push(PreparedScan::Fresh { scan_id, violations });
                    monitored
                }
            };
            for v in violations {
                if self.monitored_policies.contains(&v.policy) {
                    let key = (v.policy.clone(), v.purl.clone(), v.condition_key.clone());
                    current.entry(key).or_insert(v);
                }
            }
        }
        Ok(Step::Record(Box::new(Prepared {
            app: app.clone(),
            rules_hash,
            scans,
            current: current.into_values().collect(),
        })))
    }
}

/// The writing side of a run: stores evaluations, diffs, alerts, history, in the run's one
/// transaction.
struct RunState<'a> {
    rules: &'a evaluate::Rules,
    generation: i64,
    snapshot: String,
    started_at: String,
    run_id: i64,
    monitored_policies: &'a HashSet<String>,
    counts: RunCounts,
    evaluated: u32,
    /// Applications whose state this run wrote (not merely looked up).
    processed: u32,
    alerts: Vec<api::AlertDto>,
    router: &'a crate::outbox::Router,
    now: chrono::DateTime<chrono::Utc>,
}

impl Engine {
    /// A monitoring run, unless another process sharing the data directory is performing one
    /// (the lease) or already performed the run for `due_at`.
    pub fn run_monitoring_as(&self, request: &RunRequest) -> Result<RunOutcome, EngineError> {
        let mut store = self.store()?;
        let now = rfc3339(request.now);
        let until = rfc3339(request.now + chrono::Duration::minutes(LEASE_MINUTES));
        let due = request.due_at.map(rfc3339);
        let taken = store.transaction(|tx| {
            if let Some(due) = &due {
                if let Some((run, holder)) = run_for_due(tx, due)? {
                    let by = holder.map(|h| format!(" by {h}")).unwrap_or_default();
                    return Ok(Err(format!(
                        "the run scheduled for {due} was already performed{by} (run {run})"
                    )));
                }
            }
            match try_acquire_lease(tx, LEASE, &request.holder, &now, &until)? {
                Ok(()) => Ok(Ok(())),
                // A process on this machine that died mid-run (killed, crashed) must not stop
                // monitoring until its lease expires.
                Err(lease)
                    if holder_is_gone(&lease.holder)
                        && take_over_lease(tx, LEASE, &lease.holder, &request.holder, &now, &until)? =>
                {
                    Ok(Ok(()))
                }
                Err(lease) => Ok(Err(format!(
                    "a monitoring run is being performed by {} (since {})",
                    lease.holder, lease.acquired_at
                ))),
            }
        })?;
        if let Err(reason) = taken {
            return Ok(RunOutcome::Skipped { reason });
        }
        let result = self.perform_run(&mut store, request, due.as_deref());
        store.transaction(|tx| release_lease(tx, LEASE, &request.holder))?;
        result.map(RunOutcome::Ran)
    }

    /// The latest scheduled time a run was performed for (catch-up starts from it).
    pub fn last_scheduled_due(
        &self,
    ) -> Result<Option<chrono::DateTime<chrono::Utc>>, EngineError> {
        Ok(self
            .store()?
            .last_scheduled_due()?
            .and_then(|due| chrono::DateTime::parse_from_rfc3339(&due).ok())
            .map(|due| due.with_timezone(&chrono::Utc)))
    }

    /// Re-evaluates the watched scans of every monitored application and records as alerts
    /// only the violations that are new, changed or resolved since the previous run. Errors
    /// when another process is performing a run.
    pub fn run_monitoring(
        &self,
        trigger: Trigger,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<api::MonitorReport, EngineError> {
        match self.run_monitoring_as(&RunRequest::new(trigger, now))? {
            RunOutcome::Ran(report) => Ok(report),
            RunOutcome::Skipped { reason } => Err(EngineError::InvalidInput(reason)),
        }
    }

    /// After advisory data changed: the monitored applications it touched are re-evaluated at
    /// once and their alerts created now (a run with this trigger, recorded only when it
    /// evaluated something); the other applications' shown evaluations are brought up to date.
    pub(crate) fn after_advisory_change(
        &self,
        trigger: Trigger,
        now: chrono::DateTime<chrono::Utc>,
        what: &str,
    ) -> Result<Option<api::MonitorReport>, EngineError> {
        {
            let mut store = self.store()?;
            let router = crate::outbox::Router::load(&store, &store.policies()?)?;
            if !router.is_silent() {
                store.transaction_with(|tx| {
                    router.announce(
                        tx,
                        vigil_notify::WebhookEvent::AdvisoriesUpdated,
                        &format!("Advisory data updated ({})", trigger.as_str()),
                        what,
                        None,
                        now,
                    )
                })?;
            }
        }
        let report = match self.run_monitoring_as(&RunRequest::new(trigger, now))? {
            RunOutcome::Ran(report) => Some(report),
            // The run in progress may have read the old data; the next run catches up, since
            // the touched evaluations are no longer current.
            RunOutcome::Skipped { .. } => None,
        };
        evaluate::refresh_latest_evaluations(&mut self.store()?, now)?;
        Ok(report)
    }

    fn perform_run(
        &self,
        store: &mut Store,
        request: &RunRequest,
        due_at: Option<&str>,
    ) -> Result<api::MonitorReport, EngineError> {
        let (trigger, now) = (request.trigger, request.now);
        let read = store.reopen()?;
        // Bounded, and independent of the portfolio's size: what one run writes and rereads.
        store.set_cache_mib(RUN_CACHE_MIB)?;
        read.set_cache_mib(RUN_CACHE_MIB)?;
        let apps = crate::coverage::monitored_applications(&read)?;
        let rules = evaluate::Rules::load(&read, now)?;
        let currency = if request.full {
            evaluate::Currency::none()
        } else {
            evaluate::Currency::load(&read, &rules, &apps)?
        };
        let monitored_policies: HashSet<String> = rules
            .policies
            .iter()
            .filter(|p| p.monitoring && p.enabled)
            .map(|p| p.name.clone())
            .collect();
        let router = crate::outbox::Router::load(&read, &rules.policies)?;
        let started_at = rfc3339(now);
        let mut state = RunState {
            generation: read.advisory_generation()?,
            snapshot: evaluate::advisory_snapshot(&read)?,
            rules: &rules,
            monitored_policies: &monitored_policies,
            started_at,
            run_id: 0,
            counts: RunCounts::default(),
            evaluated: 0,
            processed: 0,
            alerts: Vec::new(),
            router: &router,
            now,
        };
        let mut looked_at = 0;
        // One thread reads and evaluates the next applications while this one writes: the two
        // halves of a run cost about the same, and a workstation has more than one core.
        let (send, receive) = std::sync::mpsc::sync_channel::<Result<Step, EngineError>>(PREPARED_AHEAD);
        let (read, recorded) = std::thread::scope(|scope| {
            let (rules, currency, policies, apps) = (&rules, &currency, &monitored_policies, &apps);
            let reader = scope.spawn(move || {
                let reader = Reader {
                    read: &read,
                    rules,
                    currency,
                    monitored_policies: policies,
                };
                let mut matcher = Matcher::new(&read);
                for app in apps {
                    let step = reader.prepare(&mut matcher, app);
                    let failed = step.is_err();
                    // The writer stopped (it failed): nothing more to prepare.
                    if send.send(step).is_err() || failed {
                        break;
                    }
                }
                drop(matcher);
                read
            });
            let recorded = store.transaction_with(|tx| -> Result<bool, EngineError> {
                state.run_id = insert_run(
                    tx,
                    trigger.as_str(),
                    &state.started_at,
                    due_at,
                    &state.snapshot,
                    &request.holder,
                )?;
                for step in receive.iter() {
                    match step? {
                        Step::Nothing => {}
                        Step::Unchanged => looked_at += 1,
                        Step::Record(prepared) => {
                            looked_at += 1;
                            state.record(tx, *prepared)?;
                        }
                    }
                }
                // Escalations and expiring waivers are looked at by every scheduled or asked-for
                // run, in its transaction.
                if !matches!(trigger, Trigger::Import | Trigger::Sync) {
                    router.escalate(tx, state.run_id, now)?;
                    router.announce_waivers(tx, now)?;
                }
                // A run caused by new data that touched nothing is not history worth keeping.
                let worth_keeping =
                    !matches!(trigger, Trigger::Import | Trigger::Sync) || state.processed > 0;
                if worth_keeping {
                    finish_run(
                        tx,
                        state.run_id,
                        &rfc3339(chrono::Utc::now().max(now)),
                        looked_at,
                        state.evaluated,
                        state.counts,
                    )?;
                    set_run_open(tx, state.run_id, open_after_run(tx, apps, &monitored_policies)?)?;
                    let c = state.counts;
                    router.announce(
                        tx,
                        vigil_notify::WebhookEvent::EvaluationCompleted,
                        &format!("Monitoring run {} ({}): {} new, {} changed, {} resolved", state.run_id, trigger.as_str(), c.new, c.changed, c.resolved),
                        &format!(
                            "{looked_at} applications looked at, {} evaluated afresh; {} new, {} changed, {} resolved violations, {} recorded as baselines.",
                            state.evaluated, c.new, c.changed, c.resolved, c.baseline
                        ),
                        Some(state.run_id),
                        now,
                    )?;
                } else {
                    delete_run(tx, state.run_id)?;
                }
                Ok(worth_keeping)
            });
            drop(receive);
            let read = reader.join().expect("the reading side of a run panicked");
            (read, recorded)
        });
        let recorded = recorded?;
        let ecosystems = read.component_ecosystems()?;
        Ok(api::MonitorReport {
            run_id: if recorded { state.run_id } else { 0 },
            trigger: trigger.as_str().to_string(),
            started_at: state.started_at.clone(),
            applications: looked_at,
            evaluated: state.evaluated,
            baseline: state.counts.baseline,
            alerts: std::mem::take(&mut state.alerts),
            advisory_data: crate::freshness::freshness(
                &read,
                ecosystems.iter().map(String::as_str),
                now,
            )?,
        })
    }
}

/// What monitoring reports open (no waiver) for the monitored applications under monitored
/// policies, by threat band: one aggregate over the reported state, in the run's transaction
/// so that it sees what the run just wrote.
fn open_after_run(
    tx: &vigil_store::Transaction<'_>,
    apps: &[ApplicationRow],
    monitored_policies: &HashSet<String>,
) -> Result<ThreatBands, EngineError> {
    let monitored: HashSet<i64> = apps.iter().map(|a| a.id).collect();
    let mut open = ThreatBands::default();
    for (app, policy, bands) in open_reported_bands(tx)? {
        if monitored.contains(&app) && monitored_policies.contains(&policy) {
            open.critical += bands.critical;
            open.severe += bands.severe;
            open.moderate += bands.moderate;
            open.low += bands.low;
        }
    }
    Ok(open)
}

/// The scans monitoring watches for an application, newest first (see [`select_watched`]).
pub(crate) fn watched_scans(store: &Store, app: &ApplicationRow) -> Result<Vec<i64>, EngineError> {
    let scans = store.scans_at_stage(app.id, &app.monitored_stage)?;
    Ok(select_watched(
        app,
        scans.iter().map(|(id, label)| (*id, label.as_deref())),
    ))
}

/// Which of an application's scans at its stage (given newest first as id and version label)
/// monitoring watches: the latest; the latest per major version label; or the latest of each
/// listed label. The one rule for the run and for the Scans list.
pub(crate) fn select_watched<'a>(
    app: &ApplicationRow,
    scans: impl Iterator<Item = (i64, Option<&'a str>)>,
) -> Vec<i64> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (id, label) in scans {
        let group = match app.watch.as_str() {
            "major" => major_of(label),
            "labels" => match label {
                Some(label) if app.watch_labels.iter().any(|l| l == label) => label.to_string(),
                _ => continue,
            },
            _ => {
                out.push(id);
                break;
            }
        };
        if seen.insert(group) {
            out.push(id);
        }
    }
    out
}

/// The major version of a label (`2.3.1` → `2`, `v10` → `10`); labels without one group
/// together.
fn major_of(label: Option<&str>) -> String {
    let label = label.unwrap_or("").trim();
    let label = label.strip_prefix(['v', 'V']).unwrap_or(label);
    let digits: String = label.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        String::new()
    } else {
        digits.trim_start_matches('0').to_string()
    }
}

impl RunState<'_> {
    /// Brings one application's reported state up to date.
    fn record(&mut self, tx: &vigil_store::Transaction<'_>, prepared: Prepared) -> Result<(), EngineError> {
        let Prepared {
            app,
            rules_hash,
            scans,
            current,
        } = prepared;
        let app = &app;
        let mut evaluations = Vec::with_capacity(scans.len());
        let mut evaluated = false;
        for scan in scans {
            match scan {
                PreparedScan::Current(id) => evaluations.push(id),
                PreparedScan::Fresh { scan_id, violations } => {
                    evaluated = true;
                    evaluations.push(insert_evaluation(
                        tx,
                        &NewEvaluation {
                            scan_id,
                            evaluated_at: &self.started_at,
                            advisory_generation: self.generation,
                            stage: app.monitored_stage.parse().ok(),
                            advisory_snapshot: &self.snapshot,
                            rules_hash: &rules_hash,
                            violations: &violations,
                        },
                    )?);
                }
            }
        }
        if evaluated {
            self.evaluated += 1;
        }
        self.processed += 1;

        let reported: Vec<ViolationState> = violation_states(tx, app.id)?
            .into_iter()
            .filter(|s| self.monitored_policies.contains(&s.violation.policy))
            .collect();
        let mut withdrawn = |id: &str| is_withdrawn(tx, id).unwrap_or(false);
        let baseline = app.baseline_run.is_none();
        let stage = app.monitored_stage.parse().ok();
        let mut counts = RunCounts::default();
        let mut routed = Vec::new();
        for mut change in diff_with(&reported, &current, &mut withdrawn) {
            let open = change.kind != ChangeKind::Resolved;
            let violation_id = save_violation(tx, app.id, &change.violation, open, self.run_id)?;
            // An acknowledgement said "seen": a change of substance needs a fresh look, and a
            // resolved violation has nothing left to handle.
            let cleared = match change.kind {
                ChangeKind::Resolved => Some(Unacknowledge::Resolved),
                ChangeKind::Changed if !change.notes.is_empty() => Some(Unacknowledge::Changed),
                ChangeKind::New | ChangeKind::Changed => None,
            };
            if let Some(why) = cleared {
                let identity = ViolationIdentity {
                    application_id: app.id,
                    policy: change.violation.policy.clone(),
                    purl: change.violation.purl.clone(),
                    condition_key: change.violation.condition_key.clone(),
                };
                unacknowledge(tx, &identity, why, &self.started_at, crate::triage::MONITORING)?;
            }
            if baseline && change.kind == ChangeKind::New && !app.alert_on_baseline {
                change.alert = false;
                counts.baseline += 1;
            }
            if !change.alert {
                continue;
            }
            let changed: Vec<String> = change.notes.iter().map(describe).collect();
            let row = AlertRow {
                kind: change.kind.as_str(),
                violation_id,
                details: change.violation.details.clone(),
                changes: serde_json::to_string(&change.notes).unwrap_or_else(|_| "[]".into()),
            };
            let id = insert_alert(tx, self.run_id, &row, &self.started_at)?;
            match change.kind {
                ChangeKind::New => counts.new += 1,
                ChangeKind::Changed => counts.changed += 1,
                ChangeKind::Resolved => counts.resolved += 1,
            }
            if !self.router.is_silent() {
                routed.push(crate::outbox::RoutedAlert {
                    alert_id: id,
                    violation_id,
                    kind: match change.kind {
                        ChangeKind::New => vigil_notify::notice::AlertKind::New,
                        ChangeKind::Changed => vigil_notify::notice::AlertKind::Changed,
                        ChangeKind::Resolved => vigil_notify::notice::AlertKind::Resolved,
                    },
                    violation: change.violation.clone(),
                    changed: changed.clone(),
                });
            }
            self.alerts.push(api::AlertDto {
                id,
                kind: change.kind.api(),
                application: app.name.clone(),
                changed,
                changes: change.notes,
                violation: convert::violation(
                    &change.violation,
                    stage.and_then(|stage| self.rules.action(&change.violation.policy, stage)),
                    Vec::new(),
                ),
            });
        }
        self.router.route_application(tx, app, &routed, self.run_id, self.now)?;
        set_monitored(tx, app.id, &evaluations, baseline.then_some(self.run_id))?;
        insert_run_application(tx, self.run_id, app.id, counts)?;
        self.counts.add(counts);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use vigil_policy::{AdvisoryFact, ViolationDetails};

    use super::*;

    fn violation(purl: &str, ids: &[&str]) -> Violation {
        Violation {
            policy: "P".into(),
            threat_level: 7,
            purl: purl.into(),
            condition_key: "c".into(),
            details: ViolationDetails {
                advisories: ids
                    .iter()
                    .map(|id| AdvisoryFact {
                        id: id.to_string(),
                        ..Default::default()
                    })
                    .collect(),
                summary: ids.join(","),
                ..Default::default()
            },
        }
    }

    fn state(v: Violation, open: bool) -> ViolationState {
        ViolationState {
            id: 1,
            violation: v,
            open,
        }
    }

    #[test]
    fn only_new_changed_and_resolved_violations_are_reported() {
        let reported = vec![
            state(violation("a", &["X"]), true),
            state(violation("b", &["X"]), true),
            state(violation("c", &["X"]), true),
            state(violation("d", &["X"]), false),
        ];
        let current = vec![
            violation("a", &["X"]),
            violation("b", &["X", "Y"]),
            violation("d", &["X"]),
            violation("e", &["Z"]),
        ];
        let changes = diff(&reported, &current);
        let changes: Vec<(ChangeKind, &str)> = changes
            .iter()
            .map(|c| (c.kind, c.violation.purl.as_str()))
            .collect();
        assert_eq!(
            changes,
            [
                (ChangeKind::Changed, "b"),
                (ChangeKind::New, "d"),
                (ChangeKind::New, "e"),
                (ChangeKind::Resolved, "c")
            ]
        );
        assert!(
            diff(&reported[..1], &current[..1]).is_empty(),
            "already reported, same details: silence"
        );
    }

    fn waived(mut v: Violation) -> Violation {
        v.details.waiver = Some(vigil_policy::WaiverMark {
            id: 1,
            reason: "not reachable".into(),
            expires: "2027-01-01".into(),
        });
        v
    }

    #[test]
    fn waived_violations_are_recorded_silently_and_an_expired_waiver_is_a_change() {
        let alerts = |changes: Vec<Change>| -> Vec<(ChangeKind, bool)> {
            changes.iter().map(|c| (c.kind, c.alert)).collect()
        };
        // Found already waived: recorded, nobody told.
        assert_eq!(
            alerts(diff(&[], &[waived(violation("a", &["X"]))])),
            [(ChangeKind::New, false)]
        );
        // Open and reported, then waived: the state follows, silently.
        let reported = [state(violation("a", &["X"]), true)];
        assert_eq!(
            alerts(diff(&reported, &[waived(violation("a", &["X"]))])),
            [(ChangeKind::Changed, false)]
        );
        // Waived, and the waiver expired: active again, announced as a change.
        let reported = [state(waived(violation("a", &["X"])), true)];
        assert_eq!(
            alerts(diff(&reported, &[violation("a", &["X"])])),
            [(ChangeKind::Changed, true)]
        );
        // Still waived, same details: silence.
        assert!(diff(&reported, &[waived(violation("a", &["X"]))]).is_empty());
        // A waived violation that goes away closes without an alert.
        assert_eq!(
            alerts(diff(&reported, &[])),
            [(ChangeKind::Resolved, false)]
        );
    }
}
