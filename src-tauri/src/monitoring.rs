//! A monitoring run started from the shell (window or tray), and how it is announced: an app
//! event for the window, the tray's "last run" line and its state (running while it runs). People hear of its alerts through the
//! outbox (the desktop channel among the others), sent right after the run.

use chrono::{DateTime, Local, TimeZone, Utc};
use tauri::{AppHandle, Emitter, Manager};
use vigil_engine::{
    api::{AlertKind, MonitorReport},
    Trigger,
};

use crate::{commands::blocking, deliveries, error::CommandResult, tray, window, Shell};

/// The app event the window listens to (`ui/src/lib/ipc/events.ts`).
pub const FINISHED_EVENT: &str = "monitoring-finished";

pub async fn run(app: &AppHandle, trigger: Trigger) -> CommandResult<MonitorReport> {
    let engine = app.state::<Shell>().engine()?;
    let session = app.state::<tray::Session>();
    session.run_started();
    tray::refresh(app);
    let ran = blocking(move || engine.run_monitoring(trigger, Utc::now())).await;
    session.run_ended(ran.as_ref().err().map(|e| e.message.clone()));
    let report = match ran {
        Ok(report) => report,
        Err(error) => {
            tray::refresh(app);
            return Err(error);
        }
    };
    announce(app, &report);
    // The run's alerts are in the outbox now: send what is due at once rather than on the
    // agent's next tick. A failed send is the deliveries' story (the Channels screen), not the run's.
    if let Err(error) = deliveries::send_due(app).await {
        eprintln!(
            "vigil-desktop: deliveries could not be sent: {}",
            error.message
        );
    }
    Ok(report)
}

pub fn announce(app: &AppHandle, report: &MonitorReport) {
    tray::show_last_run(app, &last_run_label(report, &Local));
    // With the window open, what the run found is in front of someone already.
    window::looked_at_if_open(app);
    tray::refresh(app);
    if let Err(error) = app.emit(FINISHED_EVENT, report) {
        eprintln!("vigil-desktop: could not tell the window about the run: {error}");
    }
}

/// The tray menu's first line: "Last run 14:32: 2 new, 1 resolved" (local time).
pub fn last_run_label<Tz: TimeZone>(report: &MonitorReport, zone: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let at = DateTime::parse_from_rfc3339(&report.started_at)
        .map(|t| t.with_timezone(zone).format("%H:%M").to_string())
        .unwrap_or_else(|_| report.started_at.clone());
    let (mut created, mut changed, mut resolved) = (0, 0, 0);
    for alert in &report.alerts {
        match alert.kind {
            AlertKind::New => created += 1,
            AlertKind::Changed => changed += 1,
            AlertKind::Resolved => resolved += 1,
        }
    }
    let mut parts = Vec::new();
    if created > 0 {
        parts.push(format!("{created} new"));
    }
    if changed > 0 {
        parts.push(format!("{changed} changed"));
    }
    if resolved > 0 {
        parts.push(format!("{resolved} resolved"));
    }
    let found = if parts.is_empty() {
        "no changes".to_string()
    } else {
        parts.join(", ")
    };
    format!("Last run {at}: {found}")
}

#[cfg(test)]
mod tests {
    use chrono::FixedOffset;
    use vigil_engine::api::{AlertDto, ViolationDto};

    use super::*;

    fn alert(kind: AlertKind, application: &str, purl: &str, threat_level: u8) -> AlertDto {
        AlertDto {
            id: 1,
            kind,
            application: application.into(),
            changed: vec![],
            changes: vec![],
            violation: ViolationDto {
                policy: "Security-High".into(),
                threat_level,
                purl: purl.into(),
                condition_key: format!("{purl}#vuln"),
                advisories: vec![],
                license: None,
                conditions: vec![],
                summary: String::new(),
                waiver: None,
                action: None,
                evidence: vec![],
            },
        }
    }

    fn report(alerts: Vec<AlertDto>) -> MonitorReport {
        MonitorReport {
            run_id: 7,
            trigger: "window".into(),
            started_at: "2025-03-10T12:05:00Z".into(),
            applications: 3,
            evaluated: 3,
            baseline: 0,
            alerts,
            advisory_data: vigil_engine::api::DataFreshness {
                ecosystems: vec![],
                max_age_hours: vigil_engine::settings::DEFAULT_ADVISORY_DATA_MAX_AGE_HOURS,
            },
        }
    }

    #[test]
    fn tray_label_in_local_time() {
        let cet = FixedOffset::east_opt(3600).unwrap();
        assert_eq!(
            last_run_label(&report(vec![]), &cet),
            "Last run 13:05: no changes"
        );
        let busy = report(vec![
            alert(AlertKind::New, "a", "pkg:npm/one@1.0.0", 9),
            alert(AlertKind::New, "a", "pkg:npm/two@1.0.0", 9),
            alert(AlertKind::Resolved, "a", "pkg:npm/three@1.0.0", 9),
        ]);
        assert_eq!(
            last_run_label(&busy, &Utc),
            "Last run 12:05: 2 new, 1 resolved"
        );
    }
}
