//! The desktop channel: how a desktop delivery (a `vigil_notify::Notice` the outbox hands the
//! shell) becomes one notification, and where a click on it leads. `message` is pure; `show`
//! talks to the platform.

use std::sync::Mutex;

use tauri::{AppHandle, Emitter, Manager};
use vigil_model::PackageRef;
use vigil_notify::{notice::AlertKind, Notice, NoticeKind, ViolationNotice};

/// App events a click on a notification sends the window (`ui/src/lib/ipc/events.ts`).
/// Payload: the application's name.
pub const OPEN_APPLICATION_EVENT: &str = "open-application";
/// Payload: the run's id.
pub const OPEN_RUN_EVENT: &str = "open-run";
/// Payload: a screen's name (`runs`, `waivers`, `channels`).
pub const OPEN_VIEW_EVENT: &str = "open-view";

/// What a click on the notification opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opens {
    /// One application's Violations tab.
    Application(String),
    /// A run's alerts (several applications), or the Runs screen.
    Run(Option<i64>),
    Waivers,
    Channels,
    /// The window as it is.
    Window,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesktopMessage {
    pub title: String,
    pub body: String,
    pub opens: Opens,
}

/// How many items the body names before "and N more".
const NAMED: usize = 3;

/// One notification for one notice: the engine's title, and a body that counts what it
/// carries by kind and application, then names the first few components, the most threatening
/// first: "3 new violations in 2 applications — log4j-core in Payments, lodash in shop-api and
/// 1 more".
pub fn message(notice: &Notice) -> DesktopMessage {
    let opens = match (notice.kind, notice.applications.as_slice()) {
        (NoticeKind::WaiverExpiring, _) => Opens::Waivers,
        (_, [only]) => Opens::Application(only.name.clone()),
        (_, _) => Opens::Run(notice.run_id),
    };
    let body = match notice.kind {
        NoticeKind::Violations | NoticeKind::Digest | NoticeKind::Escalation => {
            violations_body(notice)
        }
        NoticeKind::WaiverExpiring => waivers_body(notice),
        NoticeKind::EvaluationCompleted | NoticeKind::AdvisoriesUpdated | NoticeKind::Test => None,
    }
    .or_else(|| notice.summary.clone())
    .unwrap_or_default();
    DesktopMessage {
        title: notice.title.clone(),
        body,
        opens,
    }
}

fn violations_body(notice: &Notice) -> Option<String> {
    let mut lines: Vec<(&str, &ViolationNotice)> = notice
        .applications
        .iter()
        .flat_map(|a| a.violations.iter().map(move |v| (a.name.as_str(), v)))
        .collect();
    if lines.is_empty() {
        return None;
    }
    let (mut new, mut changed, mut resolved, mut overdue) = (0, 0, 0, 0);
    for (_, v) in &lines {
        match v.kind {
            AlertKind::New => new += 1,
            AlertKind::Changed => changed += 1,
            AlertKind::Resolved => resolved += 1,
            AlertKind::Escalated => overdue += 1,
        }
    }
    let total = lines.len();
    let kinds: Vec<(usize, &str)> = [
        (new, "new"),
        (changed, "changed"),
        (resolved, "resolved"),
        (overdue, "past their SLA"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .collect();
    let counted = match kinds.as_slice() {
        [(n, "past their SLA")] => format!("{n} violation{} past their SLA", plural(*n)),
        [(n, word)] => format!("{n} {word} violation{}", plural(*n)),
        several => {
            let parts: Vec<String> = several
                .iter()
                .map(|(n, word)| format!("{n} {word}"))
                .collect();
            format!("{} ({total} violation{})", parts.join(", "), plural(total))
        }
    };
    let mut applications: Vec<&str> = lines.iter().map(|(a, _)| *a).collect();
    applications.sort_unstable();
    applications.dedup();
    let place = match applications.as_slice() {
        [only] => format!("in {only}"),
        many => format!("in {} applications", many.len()),
    };

    // The ones that ask for attention first: new, then by threat.
    lines.sort_by(|(a_app, a), (b_app, b)| {
        rank(a.kind)
            .cmp(&rank(b.kind))
            .then_with(|| b.threat_level.cmp(&a.threat_level))
            .then_with(|| a_app.cmp(b_app))
            .then_with(|| a.purl.cmp(&b.purl))
    });
    // Several policies can match one component: name each component (in its application,
    // when there are several) once.
    let mut items: Vec<String> = Vec::new();
    for (application, v) in &lines {
        let item = match applications.len() {
            1 => component_name(&v.purl),
            _ => format!("{} in {application}", component_name(&v.purl)),
        };
        if !items.contains(&item) {
            items.push(item);
        }
    }
    // The engine's title usually says the counts already; the body does not repeat them.
    let summary = format!("{counted} {place}");
    if notice.title.contains(&summary) {
        Some(named(&items))
    } else {
        Some(format!("{summary} — {}", named(&items)))
    }
}

fn waivers_body(notice: &Notice) -> Option<String> {
    if notice.waivers.is_empty() {
        return None;
    }
    let mut waivers: Vec<_> = notice.waivers.iter().collect();
    waivers.sort_by(|a, b| {
        a.days_left
            .cmp(&b.days_left)
            .then_with(|| a.component.cmp(&b.component))
    });
    let items: Vec<String> = waivers
        .iter()
        .map(|w| format!("{} ({}) on {}", w.component, w.scope, w.expires))
        .collect();
    let n = waivers.len();
    Some(format!(
        "{n} waiver{} expire{} soon — {}",
        plural(n),
        if n == 1 { "s" } else { "" },
        named(&items)
    ))
}

fn named(items: &[String]) -> String {
    let named = items
        .iter()
        .take(NAMED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    match items.len().saturating_sub(NAMED) {
        0 => named,
        more => format!("{named} and {more} more"),
    }
}

fn rank(kind: AlertKind) -> u8 {
    match kind {
        AlertKind::New => 0,
        AlertKind::Escalated => 1,
        AlertKind::Changed => 2,
        AlertKind::Resolved => 3,
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The package name a purl names, short as people say it (`pkg:npm/%40babel/core@7.0.0` →
/// `@babel/core`, a Maven artifact without its group: `log4j-core`); the purl itself when
/// Vigil cannot read it.
fn component_name(purl: &str) -> String {
    match PackageRef::parse_purl(purl) {
        Ok(package) => match package.name.rsplit_once(':') {
            Some((_group, artifact)) => artifact.to_string(),
            None => package.name,
        },
        Err(_) => purl.to_string(),
    }
}

/// "Send test" on the desktop channel: shown by the window itself (the engine has no desktop).
pub fn test_message(channel: &str) -> DesktopMessage {
    DesktopMessage {
        title: format!("Test from Vigil: channel {channel}"),
        body: "Alerts will appear like this; a click opens what they are about.".to_string(),
        opens: Opens::Channels,
    }
}

/// Shows the message; a click brings the window back and opens what it is about. On Linux the
/// click needs the notification server's `ActionInvoked` signal, which the notification plugin
/// does not offer on desktop, so notify-rust (which the plugin uses underneath) is called
/// directly; elsewhere the plugin shows it, without a click-through.
pub fn show(app: &AppHandle, message: &DesktopMessage) -> Result<(), String> {
    #[cfg(target_os = "linux")]
    {
        let handle = notify_rust::Notification::new()
            .appname("Vigil")
            .summary(&message.title)
            .body(&message.body)
            .action("default", "Open")
            .show()
            .map_err(|e| format!("the desktop notification could not be shown: {e}"))?;
        let app = app.clone();
        let opens = message.opens.clone();
        // Waits until the notification is clicked or closed (it expires by itself).
        let waiting = std::thread::Builder::new()
            .name("vigil-notification".into())
            .spawn(move || {
                handle.wait_for_action(|action| {
                    if action == "default" {
                        open(&app, &opens);
                    }
                });
            });
        if let Err(error) = waiting {
            eprintln!("vigil-desktop: a notification's click cannot be followed: {error}");
        }
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    {
        use tauri_plugin_notification::NotificationExt;
        app.notification()
            .builder()
            .title(&message.title)
            .body(&message.body)
            .show()
            .map_err(|e| format!("the desktop notification could not be shown: {e}"))
    }
}

/// What a click asked the window to open while the window was still being made: told once
/// its first screen says it is ready (`frontend_ready`), as a new page hears no earlier event.
#[derive(Default)]
pub struct PendingOpen(Mutex<Option<Opens>>);

/// Brings the window back and tells it what to open.
pub fn open(app: &AppHandle, opens: &Opens) {
    if app.get_webview_window(crate::window::MAIN).is_none() {
        if let Some(pending) = app.try_state::<PendingOpen>() {
            *pending.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(opens.clone());
        }
        crate::window::show(app);
        return;
    }
    crate::window::show(app);
    tell(app, opens);
}

/// The window's first screen is ready: it may now hear what a click asked for.
pub fn window_ready(app: &AppHandle) {
    let pending = app
        .try_state::<PendingOpen>()
        .and_then(|p| p.0.lock().unwrap_or_else(|e| e.into_inner()).take());
    if let Some(opens) = pending {
        tell(app, &opens);
    }
}

fn tell(app: &AppHandle, opens: &Opens) {
    let sent = match opens {
        Opens::Application(name) => app.emit(OPEN_APPLICATION_EVENT, name),
        Opens::Run(Some(run)) => app.emit(OPEN_RUN_EVENT, run),
        Opens::Run(None) => app.emit(OPEN_VIEW_EVENT, "runs"),
        Opens::Waivers => app.emit(OPEN_VIEW_EVENT, "waivers"),
        Opens::Channels => app.emit(OPEN_VIEW_EVENT, "channels"),
        Opens::Window => Ok(()),
    };
    if let Err(error) = sent {
        eprintln!("vigil-desktop: could not tell the window what to open: {error}");
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use vigil_notify::{AppNotice, WaiverNotice};

    use super::*;

    fn line(kind: AlertKind, purl: &str, threat_level: u8) -> ViolationNotice {
        ViolationNotice {
            alert_id: Some(1),
            violation_id: 1,
            kind,
            policy: "Security-High".into(),
            threat_level,
            purl: purl.into(),
            component: purl.into(),
            condition: "security".into(),
            satisfied_conditions: vec![],
            advisories: vec![],
            changed: vec![],
            fix: None,
            found_in: vec![],
            key: "k".into(),
        }
    }

    fn app(name: &str, violations: Vec<ViolationNotice>) -> AppNotice {
        AppNotice {
            name: name.into(),
            public_id: None,
            tier: "high".into(),
            organization: None,
            stage: "release".into(),
            violations,
        }
    }

    fn notice(kind: NoticeKind, applications: Vec<AppNotice>) -> Notice {
        Notice {
            kind,
            title: "the engine's title".into(),
            level: 9,
            occurred_at: chrono::Utc.with_ymd_and_hms(2026, 3, 10, 12, 5, 0).unwrap(),
            run_id: Some(7),
            applications,
            waivers: vec![],
            summary: None,
        }
    }

    #[test]
    fn one_application_opens_it() {
        let m = message(&notice(
            NoticeKind::Violations,
            vec![app(
                "shop-api",
                vec![line(AlertKind::New, "pkg:npm/lodash@4.17.20", 9)],
            )],
        ));
        assert_eq!(m.title, "the engine's title");
        assert_eq!(m.body, "1 new violation in shop-api — lodash");
        assert_eq!(m.opens, Opens::Application("shop-api".into()));
    }

    #[test]
    fn counts_the_title_already_says_are_not_repeated() {
        let mut n = notice(
            NoticeKind::Violations,
            vec![app(
                "storefront",
                vec![
                    line(AlertKind::New, "pkg:npm/ms@2.0.0", 7),
                    line(AlertKind::New, "pkg:npm/lodash@4.17.20", 5),
                ],
            )],
        );
        n.title = "2 new violations in storefront".into();
        assert_eq!(message(&n).body, "ms, lodash");
    }

    #[test]
    fn summarises_by_threat_and_names_each_component_once() {
        let m = message(&notice(
            NoticeKind::Digest,
            vec![
                app(
                    "shop-web",
                    vec![line(AlertKind::New, "pkg:npm/minimist@1.2.0", 5)],
                ),
                app(
                    "Payments",
                    vec![
                        line(
                            AlertKind::New,
                            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                            10,
                        ),
                        line(
                            AlertKind::New,
                            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                            7,
                        ),
                    ],
                ),
            ],
        ));
        assert_eq!(
            m.body,
            "3 new violations in 2 applications — log4j-core in Payments, minimist in shop-web"
        );
        assert_eq!(m.opens, Opens::Run(Some(7)));
    }

    #[test]
    fn names_three_then_counts_the_rest() {
        let m = message(&notice(
            NoticeKind::Violations,
            vec![
                app(
                    "a",
                    vec![
                        line(AlertKind::New, "pkg:npm/one@1.0.0", 9),
                        line(AlertKind::New, "pkg:npm/%40scope/two@1.0.0", 8),
                    ],
                ),
                app(
                    "b",
                    vec![
                        line(AlertKind::New, "pkg:pypi/three@1.0", 7),
                        line(AlertKind::New, "pkg:npm/four@1.0.0", 6),
                    ],
                ),
                app("c", vec![line(AlertKind::New, "not a purl", 5)]),
            ],
        ));
        assert_eq!(
            m.body,
            "5 new violations in 3 applications — one in a, @scope/two in a, three in b and 2 more"
        );
    }

    #[test]
    fn mixed_kinds_count_each_and_name_new_ones_first() {
        let m = message(&notice(
            NoticeKind::Violations,
            vec![app(
                "shop-api",
                vec![
                    line(AlertKind::Resolved, "pkg:npm/old@1.0.0", 10),
                    line(AlertKind::Changed, "pkg:npm/changed@1.0.0", 9),
                    line(AlertKind::New, "pkg:npm/fresh@1.0.0", 3),
                ],
            )],
        ));
        assert_eq!(
            m.body,
            "1 new, 1 changed, 1 resolved (3 violations) in shop-api — fresh, changed, old"
        );
    }

    #[test]
    fn escalations_say_past_their_sla() {
        let m = message(&notice(
            NoticeKind::Escalation,
            vec![app(
                "shop-api",
                vec![
                    line(AlertKind::Escalated, "pkg:npm/lodash@4.17.20", 9),
                    line(AlertKind::Escalated, "pkg:npm/qs@1.0.0", 5),
                ],
            )],
        ));
        assert_eq!(
            m.body,
            "2 violations past their SLA in shop-api — lodash, qs"
        );
    }

    #[test]
    fn a_test_or_run_notice_shows_its_summary() {
        let mut n = notice(NoticeKind::Test, vec![]);
        n.run_id = None;
        n.summary = Some("Vigil can reach this channel.".into());
        let m = message(&n);
        assert_eq!(m.body, "Vigil can reach this channel.");
        assert_eq!(m.opens, Opens::Run(None));
    }

    #[test]
    fn expiring_waivers_soonest_first_open_the_waivers() {
        let mut n = notice(NoticeKind::WaiverExpiring, vec![]);
        let waiver = |component: &str, days_left, expires: &str| WaiverNotice {
            id: 1,
            scope: "application Payments".into(),
            component: component.into(),
            policy: None,
            advisory: None,
            reason: "accepted".into(),
            expires: expires.into(),
            days_left,
        };
        n.waivers = vec![
            waiver("lodash", 9, "2026-03-19"),
            waiver("qs", 2, "2026-03-12"),
        ];
        let m = message(&n);
        assert_eq!(
            m.body,
            "2 waivers expire soon — qs (application Payments) on 2026-03-12, lodash (application Payments) on 2026-03-19"
        );
        assert_eq!(m.opens, Opens::Waivers);
    }
}
