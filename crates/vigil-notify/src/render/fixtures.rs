//! Notices the render tests share (the integration tests have their own copy in
//! `tests/common/mod.rs`, as integration tests cannot see `cfg(test)` items).

use chrono::{TimeZone, Utc};

use crate::notice::AlertKind;
use crate::{AdvisoryNotice, AppNotice, Notice, NoticeKind, ViolationNotice, WaiverNotice};

pub(crate) const HOSTILE: &str = "<script>alert('x')</script> & <b>bold</b> \"quoted\"";

pub(crate) fn violation(kind: AlertKind, n: i64) -> ViolationNotice {
    ViolationNotice {
        alert_id: Some(100 + n),
        violation_id: n,
        kind,
        policy: "Security-Critical".into(),
        threat_level: 10,
        purl: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1".into(),
        component: "log4j-core 2.14.1".into(),
        condition: "Security Vulnerability Severity >= 9".into(),
        satisfied_conditions: vec!["CVSS 10.0 ≥ 9".into(), "in CISA KEV".into()],
        advisories: vec![AdvisoryNotice {
            id: "CVE-2021-44228".into(),
            aliases: vec!["GHSA-jfh8-c2jp-5v3q".into()],
            summary: Some(format!("Remote code execution via JNDI {HOSTILE}")),
            score: Some(10.0),
            rating: None,
            kev: true,
            epss: Some(0.97),
            fixed: vec!["2.17.1".into()],
        }],
        changed: match kind {
            AlertKind::Changed | AlertKind::Escalated => vec!["now in CISA KEV".into()],
            AlertKind::New | AlertKind::Resolved => vec![],
        },
        fix: Some("2.17.1".into()),
        found_in: vec!["app.war!/WEB-INF/lib/log4j-core-2.14.1.jar".into()],
        key: format!("{n:016x}"),
    }
}

pub(crate) fn app(name: &str, violations: Vec<ViolationNotice>) -> AppNotice {
    AppNotice {
        name: name.into(),
        public_id: Some(name.to_lowercase()),
        tier: "critical".into(),
        organization: Some("Retail".into()),
        stage: "release".into(),
        violations,
    }
}

fn notice(kind: NoticeKind, title: &str, applications: Vec<AppNotice>) -> Notice {
    Notice {
        kind,
        title: title.into(),
        level: applications
            .iter()
            .flat_map(|a| &a.violations)
            .map(|v| v.threat_level)
            .max()
            .unwrap_or(0),
        occurred_at: Utc
            .with_ymd_and_hms(2026, 12, 6, 21, 30, 0)
            .single()
            .expect("a valid date"),
        run_id: Some(7),
        applications,
        waivers: vec![],
        summary: None,
    }
}

/// Payments: one new, one changed, one resolved violation.
pub(crate) fn violations() -> Notice {
    notice(
        NoticeKind::Violations,
        "3 violations in Payments (critical)",
        vec![app(
            "Payments",
            vec![
                violation(AlertKind::New, 1),
                violation(AlertKind::Changed, 2),
                violation(AlertKind::Resolved, 3),
            ],
        )],
    )
}

pub(crate) fn digest() -> Notice {
    notice(
        NoticeKind::Digest,
        "Digest: 2 applications",
        vec![
            app("Payments", vec![violation(AlertKind::New, 1)]),
            app("Shop", vec![violation(AlertKind::Changed, 2)]),
        ],
    )
}

pub(crate) fn waivers() -> Notice {
    let mut n = notice(NoticeKind::WaiverExpiring, "1 waiver expires soon", vec![]);
    n.waivers = vec![WaiverNotice {
        id: 4,
        scope: "application Payments".into(),
        component: "log4j-core 2.14.1".into(),
        policy: Some("Security-Critical".into()),
        advisory: Some("CVE-2021-44228".into()),
        reason: "vendor patch pending".into(),
        expires: "2026-12-10".into(),
        days_left: 4,
    }];
    n
}

pub(crate) fn test_notice() -> Notice {
    let mut n = notice(NoticeKind::Test, "Test notification", vec![]);
    n.summary = Some("This is a test from Vigil.".into());
    n
}

/// `n` applications of `per_app` new violations each.
pub(crate) fn big_digest(n: usize, per_app: usize) -> Notice {
    let apps = (0..n)
        .map(|i| {
            app(
                &format!("App {i}"),
                (0..per_app)
                    .map(|j| violation(AlertKind::New, (i * 1000 + j) as i64))
                    .collect(),
            )
        })
        .collect();
    notice(NoticeKind::Digest, "Big digest", apps)
}
