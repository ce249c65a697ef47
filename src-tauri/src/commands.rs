//! The webview's commands: each a short delegation to `vigil_engine::Engine`, run off the
//! main thread because the engine's work is blocking (SQLite, file reads).

use std::{
    path::PathBuf,
    time::{Duration, Instant},
};

use tauri::{ipc::Channel, AppHandle, Manager, State};
use vigil_engine::{
    api::{
        AffectedReport, AgentSettings, AgentStatus, AlertFilter, AlertRecord, ApplicationDetail,
        ApplicationProfile, ApplicationSummary, ApplicationUpdate, AppsImportReport, BulkReport,
        BulkWaiver, ChannelDto, ChannelInput, ChannelKind, ChannelTestResult, CoverageReport,
        DashboardDto, DbStatus, DeliveryDto, DeliveryFilter, ImportReport, MonitorReport,
        NewWaiver, OrganizationDto, Plan, PlanPreview, PlanPreviewRequest, PlanView, PoliciesView,
        Policy, PolicyImportReport, PortfolioFilter, PortfolioViolations, Progress,
        RunApplicationDiff, RunSummary, ScanProgress, ScanResult, ScanSummary, ScheduleStatus,
        SyncReport, Theme, VexImportReport, ViolationHistory, ViolationRef, WaiverDto,
    },
    current_user, EngineError, ScanTarget, Trigger,
};
use vigil_model::Stage;

use crate::{
    deliveries, desktop,
    error::{self, CommandResult},
    monitoring,
    scans::RowObserver,
    Shell,
};

/// Runs blocking engine work on the blocking pool and maps its error for the webview.
pub async fn blocking<T, F>(work: F) -> CommandResult<T>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, EngineError> + Send + 'static,
{
    // Counted: closing the window must not cut it short (release.rs).
    let busy = crate::release::busy();
    tauri::async_runtime::spawn_blocking(move || {
        let _busy = busy;
        work()
    })
    .await
        .map_err(|join| error::internal(format!("background work failed: {join}")))?
        .map_err(|engine| error::from_engine(&engine))
}

#[tauri::command]
pub async fn status(shell: State<'_, Shell>) -> CommandResult<DbStatus> {
    let engine = shell.engine()?;
    blocking(move || engine.status()).await
}

#[tauri::command]
pub async fn applications(shell: State<'_, Shell>) -> CommandResult<Vec<ApplicationSummary>> {
    let engine = shell.engine()?;
    blocking(move || engine.applications()).await
}

#[tauri::command]
pub async fn application(
    shell: State<'_, Shell>,
    name: String,
) -> CommandResult<ApplicationDetail> {
    let engine = shell.engine()?;
    blocking(move || engine.application(&name)).await
}

/// Forwards progress to the window: at most ten messages a second, and the last one. A closed
/// window is no reason to stop the work, so send errors are ignored.
fn throttled(channel: Channel<Progress>) -> impl FnMut(&Progress) {
    let mut last_sent: Option<Instant> = None;
    move |progress: &Progress| {
        let finished = progress.total == Some(progress.done);
        let due = last_sent.is_none_or(|t| t.elapsed() >= Duration::from_millis(100));
        if finished || due {
            last_sent = Some(Instant::now());
            let _ = channel.send(progress.clone());
        }
    }
}

/// Imports OSV files, streaming progress.
#[tauri::command]
pub async fn import_advisories(
    shell: State<'_, Shell>,
    paths: Vec<PathBuf>,
    on_progress: Channel<Progress>,
) -> CommandResult<ImportReport> {
    let engine = shell.engine()?;
    blocking(move || engine.import_advisories(&paths, &mut throttled(on_progress))).await
}

/// Syncs `ecosystems` (OSV names; empty: those synced before) from `VIGIL_OSV_BASE_URL`, else
/// osv.dev's bucket, streaming progress. A failed ecosystem is in the report, not an error.
#[tauri::command]
pub async fn sync_advisories(
    shell: State<'_, Shell>,
    ecosystems: Vec<String>,
    on_progress: Channel<Progress>,
) -> CommandResult<SyncReport> {
    let engine = shell.engine()?;
    let base_url = std::env::var("VIGIL_OSV_BASE_URL")
        .ok()
        .filter(|url| !url.trim().is_empty())
        .unwrap_or_else(|| vigil_engine::sync::DEFAULT_BASE_URL.to_string());
    blocking(move || engine.sync(&ecosystems, &base_url, &mut throttled(on_progress))).await
}

/// Scans `paths` into one inventory and stores it as `application`'s scan at `stage` (default:
/// build), streaming each artifact's progress. `scan_id` names the scan for `cancel_scan`; a
/// cancelled scan returns what it read, unstored.
#[tauri::command]
pub async fn scan(
    shell: State<'_, Shell>,
    paths: Vec<PathBuf>,
    application: String,
    stage: Option<String>,
    scan_id: String,
    on_progress: Channel<ScanProgress>,
) -> CommandResult<ScanResult> {
    let engine = shell.engine()?;
    let stage = match stage {
        Some(stage) => stage
            .parse::<Stage>()
            .map_err(|e| error::invalid_input(e.to_string()))?,
        None => Stage::Build,
    };
    let target = ScanTarget {
        application,
        stage,
        version_label: None,
        organization: None,
    };
    let scans = shell.scans.clone();
    blocking(move || {
        let Some(running) = scans.start(&scan_id) else {
            return Err(EngineError::InvalidInput(format!(
                "a scan with the id {scan_id} is already running"
            )));
        };
        let mut observer = RowObserver::new(&paths, running.cancel.clone(), |progress| {
            let _ = on_progress.send(progress);
        });
        let result = engine.scan_observed(&paths, Some(target), &mut observer);
        observer.finish();
        result
    })
    .await
}

/// Asks the scan `scan_id` to stop; `false` when it is not running (any more).
#[tauri::command]
pub fn cancel_scan(shell: State<'_, Shell>, scan_id: String) -> bool {
    shell.scans.cancel(&scan_id)
}

#[tauri::command]
pub async fn run_monitoring(app: AppHandle) -> CommandResult<MonitorReport> {
    monitoring::run(&app, Trigger::Window).await
}

#[tauri::command]
pub async fn policies(shell: State<'_, Shell>) -> CommandResult<PoliciesView> {
    let engine = shell.engine()?;
    blocking(move || engine.policies()).await
}

/// Creates a policy (`original` = `null`) or replaces the one named `original`; the engine's
/// validation errors come back as one `invalid_input` message, a line per problem.
#[tauri::command]
pub async fn save_policy(
    shell: State<'_, Shell>,
    original: Option<String>,
    policy: Policy,
) -> CommandResult<()> {
    let engine = shell.engine()?;
    blocking(move || engine.save_policy(original.as_deref(), policy)).await
}

#[tauri::command]
pub async fn set_policy_enabled(
    shell: State<'_, Shell>,
    name: String,
    enabled: bool,
) -> CommandResult<()> {
    let engine = shell.engine()?;
    blocking(move || engine.set_policy_enabled(&name, enabled)).await
}

#[tauri::command]
pub async fn delete_policy(shell: State<'_, Shell>, name: String) -> CommandResult<()> {
    let engine = shell.engine()?;
    blocking(move || engine.delete_policy(&name)).await
}

/// Writes every policy and the license groups as YAML to `path` (chosen in the save dialog).
#[tauri::command]
pub async fn export_policies(shell: State<'_, Shell>, path: PathBuf) -> CommandResult<()> {
    let engine = shell.engine()?;
    blocking(move || write_file(&path, &engine.export_policies()?)).await
}

/// Replaces the policies with those of a YAML file; nothing changes unless all of it is
/// valid, and the error then names each problem with its line.
#[tauri::command]
pub async fn import_policies(
    shell: State<'_, Shell>,
    path: PathBuf,
) -> CommandResult<PolicyImportReport> {
    let engine = shell.engine()?;
    blocking(move || {
        let (text, source) = read_text(&path)?;
        engine.import_policies(&text, &source)
    })
    .await
}

/// Every waiver, the soonest to expire first.
#[tauri::command]
pub async fn waivers(shell: State<'_, Shell>) -> CommandResult<Vec<WaiverDto>> {
    let engine = shell.engine()?;
    blocking(move || engine.waivers(chrono::Utc::now())).await
}

/// Creates a waiver in the name of the OS user and re-evaluates at once.
#[tauri::command]
pub async fn add_waiver(shell: State<'_, Shell>, waiver: NewWaiver) -> CommandResult<WaiverDto> {
    let engine = shell.engine()?;
    blocking(move || engine.add_waiver(waiver, chrono::Utc::now(), &current_user())).await
}

#[tauri::command]
pub async fn remove_waiver(shell: State<'_, Shell>, id: i64) -> CommandResult<()> {
    let engine = shell.engine()?;
    blocking(move || engine.remove_waiver(id)).await
}

// ---- Triage across the portfolio ----------------------------------------------------------

/// Every open violation across the portfolio that the filter keeps (bounded by the engine).
#[tauri::command]
pub async fn portfolio_violations(
    shell: State<'_, Shell>,
    filter: PortfolioFilter,
) -> CommandResult<PortfolioViolations> {
    let engine = shell.engine()?;
    blocking(move || engine.portfolio_violations(&filter)).await
}

/// Marks violations "seen, being handled" in the name of the OS user, all or none.
#[tauri::command]
pub async fn acknowledge_violations(
    shell: State<'_, Shell>,
    violations: Vec<ViolationRef>,
    note: Option<String>,
) -> CommandResult<BulkReport> {
    let engine = shell.engine()?;
    let violations = some_violations(violations)?;
    let note = note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
    blocking(move || {
        engine.acknowledge(
            &violations,
            note.as_deref(),
            chrono::Utc::now(),
            &current_user(),
        )
    })
    .await
}

#[tauri::command]
pub async fn unacknowledge_violations(
    shell: State<'_, Shell>,
    violations: Vec<ViolationRef>,
) -> CommandResult<BulkReport> {
    let engine = shell.engine()?;
    let violations = some_violations(violations)?;
    blocking(move || engine.unacknowledge(&violations, chrono::Utc::now(), &current_user())).await
}

/// One waiver per violation with one reason and expiry, in one transaction.
#[tauri::command]
pub async fn waive_violations(
    shell: State<'_, Shell>,
    bulk: BulkWaiver,
) -> CommandResult<BulkReport> {
    let engine = shell.engine()?;
    if bulk.violations.is_empty() {
        return Err(error::invalid_input("no violation to waive".to_owned()));
    }
    blocking(move || engine.waive_violations(bulk, chrono::Utc::now(), &current_user())).await
}

/// A violation's timeline: first seen, its alerts with who was told through which channel.
#[tauri::command]
pub async fn violation_history(
    shell: State<'_, Shell>,
    violation: ViolationRef,
) -> CommandResult<ViolationHistory> {
    let engine = shell.engine()?;
    blocking(move || engine.violation_history(&violation)).await
}

/// A batch of at most `MAX_BATCH` violations: the window selects from a bounded list.
fn some_violations(violations: Vec<ViolationRef>) -> CommandResult<Vec<ViolationRef>> {
    const MAX_BATCH: usize = 10_000;
    if violations.is_empty() {
        return Err(error::invalid_input("no violation selected".to_owned()));
    }
    if violations.len() > MAX_BATCH {
        return Err(error::invalid_input(format!(
            "{} violations in one batch; at most {MAX_BATCH}",
            violations.len()
        )));
    }
    Ok(violations)
}

/// Turns a VEX document's `not_affected` / `false_positive` statements into waivers.
#[tauri::command]
pub async fn import_vex(shell: State<'_, Shell>, path: PathBuf) -> CommandResult<VexImportReport> {
    let engine = shell.engine()?;
    blocking(move || engine.import_vex(&path, chrono::Utc::now(), &current_user())).await
}

/// Writes the waivers still in force as an OpenVEX document to `path`.
#[tauri::command]
pub async fn export_vex(shell: State<'_, Shell>, path: PathBuf) -> CommandResult<()> {
    let engine = shell.engine()?;
    blocking(move || write_file(&path, &engine.export_vex(chrono::Utc::now())?)).await
}

// ---- Applications, organizations, coverage ---------------------------------------------

/// The name a command was given, trimmed; an empty one is refused before the engine sees it.
fn required(field: &str, value: &str) -> CommandResult<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(error::invalid_input(format!("the {field} is empty")));
    }
    Ok(trimmed.to_string())
}

#[tauri::command]
pub async fn application_profile(
    shell: State<'_, Shell>,
    name: String,
) -> CommandResult<ApplicationProfile> {
    let engine = shell.engine()?;
    let name = required("application name", &name)?;
    blocking(move || engine.application_profile(&name)).await
}

/// Changes an application (creating it when new); the engine validates every field and
/// changes nothing when one is bad.
#[tauri::command]
pub async fn update_application(
    shell: State<'_, Shell>,
    name: String,
    update: ApplicationUpdate,
) -> CommandResult<ApplicationProfile> {
    let engine = shell.engine()?;
    let name = required("application name", &name)?;
    blocking(move || engine.update_application(&name, &update)).await
}

/// The same change to several applications (the table's bulk edit), one after the other; the
/// first failure stops and names its application, and the ones before it stay changed.
#[tauri::command]
pub async fn update_applications(
    shell: State<'_, Shell>,
    names: Vec<String>,
    update: ApplicationUpdate,
) -> CommandResult<Vec<ApplicationProfile>> {
    let engine = shell.engine()?;
    if names.is_empty() {
        return Err(error::invalid_input("no applications were selected"));
    }
    let names = names
        .iter()
        .map(|n| required("application name", n))
        .collect::<CommandResult<Vec<_>>>()?;
    let busy = crate::release::busy();
    tauri::async_runtime::spawn_blocking(move || {
        let _busy = busy;
        names
            .iter()
            .map(|name| {
                engine.update_application(name, &update).map_err(|e| {
                    let mut dto = error::from_engine(&e);
                    dto.message = format!("{name}: {}", dto.message);
                    dto
                })
            })
            .collect()
    })
    .await
    .map_err(|join| error::internal(format!("background work failed: {join}")))?
}

/// Creates or updates applications from a CSV file (chosen in the open dialog): all rows or
/// none, a bad row named by its line.
#[tauri::command]
pub async fn import_applications_csv(
    shell: State<'_, Shell>,
    path: PathBuf,
) -> CommandResult<AppsImportReport> {
    let engine = shell.engine()?;
    blocking(move || engine.import_applications_csv(&path)).await
}

#[tauri::command]
pub async fn application_scans(
    shell: State<'_, Shell>,
    name: String,
) -> CommandResult<Vec<ScanSummary>> {
    let engine = shell.engine()?;
    let name = required("application name", &name)?;
    blocking(move || engine.application_scans(&name)).await
}

#[tauri::command]
pub async fn organizations(shell: State<'_, Shell>) -> CommandResult<Vec<OrganizationDto>> {
    let engine = shell.engine()?;
    blocking(move || engine.organizations()).await
}

#[tauri::command]
pub async fn save_organization(
    shell: State<'_, Shell>,
    name: String,
    parent: Option<String>,
    monitoring_on: Option<bool>,
) -> CommandResult<OrganizationDto> {
    let engine = shell.engine()?;
    let name = required("organization name", &name)?;
    let parent = parent
        .map(|p| required("parent organization", &p))
        .transpose()?;
    blocking(move || engine.save_organization(&name, parent.as_deref(), monitoring_on)).await
}

#[tauri::command]
pub async fn coverage(shell: State<'_, Shell>) -> CommandResult<CoverageReport> {
    let engine = shell.engine()?;
    blocking(move || engine.coverage(chrono::Utc::now())).await
}

// ---- The dashboard ----------------------------------------------------------------------

#[tauri::command]
pub async fn dashboard(shell: State<'_, Shell>) -> CommandResult<DashboardDto> {
    let engine = shell.engine()?;
    blocking(move || engine.dashboard(chrono::Utc::now())).await
}

// ---- History ----------------------------------------------------------------------------

/// The most runs one call lists; the Runs screen asks for fewer.
const MAX_RUNS: u32 = 1000;

#[tauri::command]
pub async fn runs(shell: State<'_, Shell>, limit: u32) -> CommandResult<Vec<RunSummary>> {
    let engine = shell.engine()?;
    if limit == 0 || limit > MAX_RUNS {
        return Err(error::invalid_input(format!(
            "the run limit {limit} is not between 1 and {MAX_RUNS}"
        )));
    }
    blocking(move || engine.runs(limit)).await
}

#[tauri::command]
pub async fn alerts(
    shell: State<'_, Shell>,
    filter: AlertFilter,
) -> CommandResult<Vec<AlertRecord>> {
    let engine = shell.engine()?;
    if let Some(since) = &filter.since {
        chrono::DateTime::parse_from_rfc3339(since).map_err(|e| {
            error::invalid_input(format!("the time {since:?} is not RFC 3339: {e}"))
        })?;
    }
    blocking(move || engine.alerts(&filter)).await
}

#[tauri::command]
pub async fn application_history(
    shell: State<'_, Shell>,
    name: String,
) -> CommandResult<Vec<RunApplicationDiff>> {
    let engine = shell.engine()?;
    let name = required("application name", &name)?;
    blocking(move || engine.application_history(&name)).await
}

#[tauri::command]
pub async fn affected(shell: State<'_, Shell>, advisory: String) -> CommandResult<AffectedReport> {
    let engine = shell.engine()?;
    let advisory = required("advisory id", &advisory)?;
    blocking(move || engine.affected(&advisory)).await
}

/// Where a purl is used across the portfolio (the search box).
#[tauri::command]
pub async fn where_used(shell: State<'_, Shell>, purl: String) -> CommandResult<AffectedReport> {
    let engine = shell.engine()?;
    let purl = required("purl", &purl)?;
    blocking(move || engine.where_used(&purl)).await
}

// ---- The schedule and the agent ---------------------------------------------------------

#[tauri::command]
pub async fn schedule_status(shell: State<'_, Shell>) -> CommandResult<ScheduleStatus> {
    let engine = shell.engine()?;
    blocking(move || engine.schedule_status(chrono::Utc::now())).await
}

/// Sets the daily time (`HH:MM`) and, when given, the IANA time zone; the engine checks both.
#[tauri::command]
pub async fn set_schedule(
    shell: State<'_, Shell>,
    at: String,
    timezone: Option<String>,
) -> CommandResult<ScheduleStatus> {
    let engine = shell.engine()?;
    let at = required("schedule time", &at)?;
    let timezone = timezone
        .map(|z| z.trim().to_string())
        .filter(|z| !z.is_empty());
    blocking(move || engine.set_schedule(&at, timezone.as_deref(), chrono::Utc::now())).await
}

#[tauri::command]
pub async fn pause_schedule(
    shell: State<'_, Shell>,
    paused: bool,
) -> CommandResult<ScheduleStatus> {
    let engine = shell.engine()?;
    blocking(move || engine.pause_schedule(paused, chrono::Utc::now())).await
}

#[tauri::command]
pub async fn agent_status(shell: State<'_, Shell>) -> CommandResult<AgentStatus> {
    let engine = shell.engine()?;
    blocking(move || engine.agent_status(chrono::Utc::now())).await
}

#[tauri::command]
pub async fn agent_settings(shell: State<'_, Shell>) -> CommandResult<AgentSettings> {
    let engine = shell.engine()?;
    blocking(move || engine.agent_settings()).await
}

#[tauri::command]
pub async fn set_agent_settings(
    shell: State<'_, Shell>,
    settings: AgentSettings,
) -> CommandResult<AgentSettings> {
    let engine = shell.engine()?;
    blocking(move || {
        engine.set_agent_settings(&settings)?;
        engine.agent_settings()
    })
    .await
}

/// The window's theme as stored (the UI applies it as soon as it starts).
#[tauri::command]
pub async fn theme(shell: State<'_, Shell>) -> CommandResult<Theme> {
    let engine = shell.engine()?;
    blocking(move || engine.theme()).await
}

/// Stores the theme and gives it to the window, so that the title bar follows too.
#[tauri::command]
pub async fn set_theme(
    window: tauri::WebviewWindow,
    shell: State<'_, Shell>,
    theme: Theme,
) -> CommandResult<Theme> {
    let engine = shell.engine()?;
    blocking(move || engine.set_theme(theme)).await?;
    crate::theme::apply(&window, theme);
    Ok(theme)
}

// ---- Channels, deliveries, the plan -------------------------------------------------------
// Secrets travel one way only: `ChannelInput` carries them from the window to the engine (and
// the OS keyring); everything sent back is a `ChannelDto`, which names secrets by kind.

#[tauri::command]
pub async fn channels(shell: State<'_, Shell>) -> CommandResult<Vec<ChannelDto>> {
    let engine = shell.engine()?;
    blocking(move || engine.channels()).await
}

#[tauri::command]
pub async fn add_channel(
    shell: State<'_, Shell>,
    input: ChannelInput,
) -> CommandResult<ChannelDto> {
    let engine = shell.engine()?;
    blocking(move || engine.add_channel(&input, chrono::Utc::now())).await
}

/// Changes channel `name`; a secret left out of `input.secrets` is kept, an empty one removed.
#[tauri::command]
pub async fn update_channel(
    shell: State<'_, Shell>,
    name: String,
    input: ChannelInput,
) -> CommandResult<ChannelDto> {
    let engine = shell.engine()?;
    let name = required("channel name", &name)?;
    blocking(move || engine.update_channel(&name, &input)).await
}

#[tauri::command]
pub async fn remove_channel(shell: State<'_, Shell>, name: String) -> CommandResult<()> {
    let engine = shell.engine()?;
    let name = required("channel name", &name)?;
    blocking(move || engine.remove_channel(&name)).await
}

/// "Send test": the server's answer, success or not, is the result; an error means the test
/// could not be attempted (no such channel, the keyring unreachable). The desktop channel is
/// this app's own: its test is a notification shown here.
#[tauri::command]
pub async fn test_channel(app: AppHandle, name: String) -> CommandResult<ChannelTestResult> {
    let engine = app.state::<Shell>().engine()?;
    let name = required("channel name", &name)?;
    blocking(move || {
        let is_desktop = engine
            .channels()?
            .iter()
            .any(|c| c.name == name && c.kind == ChannelKind::Desktop);
        if !is_desktop {
            return engine.test_channel(&name, chrono::Utc::now());
        }
        let shown = desktop::show(&app, &desktop::test_message(&name));
        Ok(ChannelTestResult {
            channel: name,
            ok: shown.is_ok(),
            status: None,
            answer: shown.map_or_else(|e| e, |()| "shown on this computer's desktop".to_string()),
            delivery_id: String::new(),
        })
    })
    .await
}

#[tauri::command]
pub async fn deliveries(
    shell: State<'_, Shell>,
    filter: DeliveryFilter,
) -> CommandResult<Vec<DeliveryDto>> {
    let engine = shell.engine()?;
    blocking(move || engine.deliveries(&filter)).await
}

/// "Retry now": the delivery becomes due and the worker sends what is due at once (desktop
/// notices included), so the row shows its new answer when this returns.
#[tauri::command]
pub async fn retry_delivery(app: AppHandle, id: String) -> CommandResult<DeliveryDto> {
    let engine = app.state::<Shell>().engine()?;
    let id = required("delivery id", &id)?;
    let retried = blocking(move || engine.retry_delivery(&id, chrono::Utc::now())).await?;
    deliveries::send_due(&app).await?;
    Ok(retried)
}

#[tauri::command]
pub async fn plan(shell: State<'_, Shell>) -> CommandResult<PlanView> {
    let engine = shell.engine()?;
    blocking(move || engine.plan_view()).await
}

/// Replaces the plan; the engine's validation errors come back as one `invalid_input` message.
#[tauri::command]
pub async fn set_plan(shell: State<'_, Shell>, plan: Plan) -> CommandResult<PlanView> {
    let engine = shell.engine()?;
    blocking(move || {
        engine.set_plan(&plan)?;
        engine.plan_view()
    })
    .await
}

/// Writes the plan as YAML to `path` (chosen in the save dialog).
#[tauri::command]
pub async fn export_plan(shell: State<'_, Shell>, path: PathBuf) -> CommandResult<()> {
    let engine = shell.engine()?;
    blocking(move || write_file(&path, &engine.export_plan()?)).await
}

/// Replaces the plan with a YAML file's, all or nothing.
#[tauri::command]
pub async fn import_plan(shell: State<'_, Shell>, path: PathBuf) -> CommandResult<PlanView> {
    let engine = shell.engine()?;
    blocking(move || {
        let (text, source) = read_text(&path)?;
        engine.import_plan(&text, &source)
    })
    .await
}

#[tauri::command]
pub async fn plan_preview(
    shell: State<'_, Shell>,
    request: PlanPreviewRequest,
) -> CommandResult<PlanPreview> {
    let engine = shell.engine()?;
    required("application name", &request.application)?;
    blocking(move || engine.plan_preview(&request, chrono::Utc::now())).await
}

/// A file's text and its name for error messages (`plan.yaml: line 3 …`).
fn read_text(path: &std::path::Path) -> Result<(String, String), EngineError> {
    let text = std::fs::read_to_string(path).map_err(|source| EngineError::Io {
        context: format!("cannot read {}", path.display()),
        source,
    })?;
    let source = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    Ok((text, source))
}

/// Writes through a temporary file in the same folder and renames it into place, so that a
/// failed write leaves any earlier file as it was.
fn write_file(path: &std::path::Path, text: &str) -> Result<(), EngineError> {
    let io = |source| EngineError::Io {
        context: format!("cannot write {}", path.display()),
        source,
    };
    let file_name = path
        .file_name()
        .ok_or_else(|| EngineError::InvalidInput(format!("{} is not a file", path.display())))?;
    let mut temporary = file_name.to_os_string();
    temporary.push(".vigil-tmp");
    let temporary = path.with_file_name(temporary);
    std::fs::write(&temporary, text).map_err(io)?;
    std::fs::rename(&temporary, path).map_err(|error| {
        let _ = std::fs::remove_file(&temporary);
        io(error)
    })
}

#[cfg(test)]
mod tests {
    use super::write_file;

    #[test]
    fn write_file_replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("policies.yaml");
        std::fs::write(&path, "old").unwrap();
        write_file(&path, "version: 1\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "version: 1\n");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, ["policies.yaml"]);
    }

    #[test]
    fn write_file_into_a_missing_folder_names_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("out.json");
        let error = write_file(&path, "{}").unwrap_err().to_string();
        assert!(
            error.starts_with(&format!("cannot write {}: ", path.display())),
            "{error}"
        );
        assert!(!dir.path().join("missing").exists());
    }
}

// ---- The desktop itself ---------------------------------------------------------------------

/// Whether Vigil starts at login (into the tray, with `--tray`).
#[tauri::command]
pub async fn autostart(app: AppHandle) -> CommandResult<bool> {
    use tauri_plugin_autostart::ManagerExt;
    app.autolaunch()
        .is_enabled()
        .map_err(|e| error::internal(format!("cannot tell whether Vigil starts at login: {e}")))
}

/// Turns starting at login on or off; resolves to the state it is in afterwards.
#[tauri::command]
pub async fn set_autostart(app: AppHandle, enabled: bool) -> CommandResult<bool> {
    use tauri_plugin_autostart::ManagerExt;
    let manager = app.autolaunch();
    let done = if enabled {
        manager.enable()
    } else {
        manager.disable()
    };
    done.map_err(|e| {
        let what = if enabled { "on" } else { "off" };
        error::internal(format!("starting at login could not be switched {what}: {e}"))
    })?;
    manager
        .is_enabled()
        .map_err(|e| error::internal(format!("cannot tell whether Vigil starts at login: {e}")))
}

/// The window's first screen has its data and takes input (`startup.rs` times it).
#[tauri::command]
pub fn frontend_ready(app: AppHandle) {
    crate::startup::interactive();
    desktop::window_ready(&app);
}
