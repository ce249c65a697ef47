//! A monitoring run started from the shell (window or tray), and how it is announced: one
//! desktop notification summarising the new violations, an app event for the window, and the
//! tray's "last run" line.

use chrono::{DateTime, Local, TimeZone, Utc};
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_notification::NotificationExt;
use vigil_engine::{
    api::{AlertDto, AlertKind, MonitorReport},
    Trigger,
};
use vigil_model::PackageRef;

use crate::{commands::blocking, error::CommandResult, tray, Shell};

/// The app event the window listens to (`ui/src/lib/ipc/events.ts`).
pub const FINISHED_EVENT: &str = "monitoring-finished";

pub async fn run(app: &AppHandle, trigger: Trigger) -> CommandResult<MonitorReport> {
    let engine = app.state::<Shell>().engine()?;
    let report = blocking(move || engine.run_monitoring(trigger, Utc::now())).await?;
    announce(app, &report);
    Ok(report)
}

pub fn announce(app: &AppHandle, report: &MonitorReport) {
    if let Some(note) = new_violations_notice(report) {
        if let Err(error) = app
            .notification()
            .builder()
            .title(&note.title)
            .body(&note.body)
            .show()
        {
            eprintln!("vigil-desktop: could not show a notification: {error}");
        }
    }
    tray::show_last_run(app, &last_run_label(report, &Local));
    if let Err(error) = app.emit(FINISHED_EVENT, report) {
        eprintln!("vigil-desktop: could not tell the window about the run: {error}");
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct Notice {
    pub title: String,
    pub body: String,
}

/// How many items the notification body names before "and N more".
const NAMED: usize = 3;

/// One notification for all the run's new violations, or none when there are none:
/// "3 new violations in 2 applications" / "lodash in shop-api, minimist in shop-web and 1 more".
pub fn new_violations_notice(report: &MonitorReport) -> Option<Notice> {
    let mut fresh: Vec<&AlertDto> = report.alerts.iter().filter(|a| is_new(a.kind)).collect();
    if fresh.is_empty() {
        return None;
    }
    fresh.sort_by(|a, b| {
        b.violation
            .threat_level
            .cmp(&a.violation.threat_level)
            .then_with(|| a.application.cmp(&b.application))
            .then_with(|| a.violation.purl.cmp(&b.violation.purl))
    });

    let mut applications: Vec<&str> = fresh.iter().map(|a| a.application.as_str()).collect();
    applications.sort_unstable();
    applications.dedup();

    // Several policies can match one component: name each component-in-application once.
    let mut items: Vec<String> = Vec::new();
    for alert in &fresh {
        let item = format!(
            "{} in {}",
            component_name(&alert.violation.purl),
            alert.application
        );
        if !items.contains(&item) {
            items.push(item);
        }
    }

    let count = fresh.len();
    let title = match applications.as_slice() {
        [only] => format!("{count} new violation{} in {only}", plural(count)),
        many => format!(
            "{count} new violation{} in {} applications",
            plural(count),
            many.len()
        ),
    };
    let named = items
        .iter()
        .take(NAMED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let body = match items.len().saturating_sub(NAMED) {
        0 => named,
        more => format!("{named} and {more} more"),
    };
    Some(Notice { title, body })
}

fn is_new(kind: AlertKind) -> bool {
    match kind {
        AlertKind::New => true,
        AlertKind::Changed | AlertKind::Resolved => false,
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The package name a purl names (`pkg:npm/%40babel/core@7.0.0` → `@babel/core`); the purl
/// itself when Vigil cannot read it.
pub fn component_name(purl: &str) -> String {
    match PackageRef::parse_purl(purl) {
        Ok(package) => package.name,
        Err(_) => purl.to_string(),
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
    use vigil_engine::api::ViolationDto;

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
            advisory_data: vigil_engine::api::DataFreshness { ecosystems: vec![] },
        }
    }

    #[test]
    fn no_notification_without_new_violations() {
        assert_eq!(new_violations_notice(&report(vec![])), None);
        let only_old = report(vec![
            alert(AlertKind::Changed, "shop-api", "pkg:npm/lodash@4.17.20", 9),
            alert(AlertKind::Resolved, "shop-web", "pkg:npm/minimist@1.2.0", 5),
        ]);
        assert_eq!(new_violations_notice(&only_old), None);
    }

    #[test]
    fn one_application() {
        let notice = new_violations_notice(&report(vec![alert(
            AlertKind::New,
            "shop-api",
            "pkg:npm/lodash@4.17.20",
            9,
        )]))
        .unwrap();
        assert_eq!(notice.title, "1 new violation in shop-api");
        assert_eq!(notice.body, "lodash in shop-api");
    }

    #[test]
    fn summarises_by_threat_and_names_each_component_once() {
        let notice = new_violations_notice(&report(vec![
            alert(AlertKind::New, "shop-web", "pkg:npm/minimist@1.2.0", 5),
            alert(AlertKind::New, "shop-api", "pkg:npm/lodash@4.17.20", 9),
            alert(AlertKind::New, "shop-api", "pkg:npm/lodash@4.17.20", 7),
            alert(AlertKind::Resolved, "billing", "pkg:pypi/django@2.2", 9),
        ]))
        .unwrap();
        assert_eq!(notice.title, "3 new violations in 2 applications");
        assert_eq!(notice.body, "lodash in shop-api, minimist in shop-web");
    }

    #[test]
    fn names_three_then_counts_the_rest() {
        let notice = new_violations_notice(&report(vec![
            alert(AlertKind::New, "a", "pkg:npm/one@1.0.0", 9),
            alert(AlertKind::New, "a", "pkg:npm/%40scope/two@1.0.0", 8),
            alert(AlertKind::New, "b", "pkg:pypi/three@1.0", 7),
            alert(AlertKind::New, "b", "pkg:npm/four@1.0.0", 6),
            alert(AlertKind::New, "c", "not a purl", 5),
        ]))
        .unwrap();
        assert_eq!(notice.title, "5 new violations in 3 applications");
        assert_eq!(
            notice.body,
            "one in a, @scope/two in a, three in b and 2 more"
        );
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
