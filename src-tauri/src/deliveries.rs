//! The outbox's worker from the window and the tray: what is due is sent (by the engine) and
//! desktop deliveries are shown here, one notification per notice, right after a run and after
//! "Retry now" (the agent thread's own delivery step does the same on every tick).

use tauri::{AppHandle, Emitter, Manager};
use vigil_engine::{api::DeliveryReport, Engine, EngineError};

use crate::{commands::blocking, desktop, error::CommandResult, Shell};

/// The app event telling the window that deliveries changed (sent, failed, a channel
/// disabled), so that the Channels screen refreshes.
pub const DELIVERIES_CHANGED_EVENT: &str = "deliveries-changed";

/// Sends what is due at `now`; blocking (SQLite, SMTP, HTTP).
fn send_due_now(app: &AppHandle, engine: &Engine) -> Result<DeliveryReport, EngineError> {
    let sink = |notice: &vigil_notify::Notice| desktop::show(app, &desktop::message(notice));
    let report = engine.send_due_deliveries(chrono::Utc::now(), Some(&sink))?;
    if changed(&report) {
        if let Err(error) = app.emit(DELIVERIES_CHANGED_EVENT, ()) {
            eprintln!("vigil-desktop: could not tell the window about deliveries: {error}");
        }
    }
    Ok(report)
}

/// The same on the blocking pool, for commands and runs.
pub async fn send_due(app: &AppHandle) -> CommandResult<DeliveryReport> {
    let engine = app.state::<Shell>().engine()?;
    let app = app.clone();
    blocking(move || send_due_now(&app, &engine)).await
}

fn changed(report: &DeliveryReport) -> bool {
    report.sent > 0 || report.retrying > 0 || report.failed > 0 || !report.disabled.is_empty()
}
