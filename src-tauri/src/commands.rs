//! The webview's commands: each a short delegation to `vigil_engine::Engine`, run off the
//! main thread because the engine's work is blocking (SQLite, file reads).

use std::{
    path::PathBuf,
    time::{Duration, Instant},
};

use tauri::{ipc::Channel, AppHandle, State};
use vigil_engine::{
    api::{
        ApplicationDetail, ApplicationSummary, DbStatus, ImportReport, MonitorReport, Progress,
        ScanResult,
    },
    EngineError, ScanTarget, Trigger,
};
use vigil_model::Stage;

use crate::{
    error::{self, CommandResult},
    monitoring, Shell,
};

/// Runs blocking engine work on the blocking pool and maps its error for the webview.
pub async fn blocking<T, F>(work: F) -> CommandResult<T>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, EngineError> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(work)
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

/// Imports OSV files, streaming progress (at most ten messages a second, and the last one).
#[tauri::command]
pub async fn import_advisories(
    shell: State<'_, Shell>,
    paths: Vec<PathBuf>,
    on_progress: Channel<Progress>,
) -> CommandResult<ImportReport> {
    let engine = shell.engine()?;
    blocking(move || {
        let mut last_sent: Option<Instant> = None;
        engine.import_advisories(&paths, &mut |progress: &Progress| {
            let finished = progress.total == Some(progress.done);
            let due = last_sent.is_none_or(|t| t.elapsed() >= Duration::from_millis(100));
            if finished || due {
                last_sent = Some(Instant::now());
                // A closed window is no reason to stop an import.
                let _ = on_progress.send(progress.clone());
            }
        })
    })
    .await
}

/// Scans `paths` and stores the inventory as `application`'s scan at `stage` (default: build).
#[tauri::command]
pub async fn scan(
    shell: State<'_, Shell>,
    paths: Vec<PathBuf>,
    application: String,
    stage: Option<String>,
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
    };
    blocking(move || engine.scan(&paths, Some(target))).await
}

#[tauri::command]
pub async fn run_monitoring(app: AppHandle) -> CommandResult<MonitorReport> {
    monitoring::run(&app, Trigger::Window).await
}
