//! What the integration tests share: notices, and a [`Case`] owning what an [`Outgoing`]
//! borrows.
#![allow(dead_code)] // each test file uses part of it

use chrono::{DateTime, TimeZone, Utc};
use vigil_notify::notice::AlertKind;
use vigil_notify::{
    AdvisoryNotice, AppNotice, ChannelConfig, ChannelSecrets, Notice, NoticeKind, Outgoing,
    ViolationNotice,
};

pub const DELIVERY: &str = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 6, 21, 30, 0)
        .single()
        .expect("a date")
}

pub fn violation(kind: AlertKind, n: i64) -> ViolationNotice {
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
            summary: Some("Remote code execution <script>alert(1)</script> & more".into()),
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

pub fn notice(kind: NoticeKind, title: &str, violations: Vec<ViolationNotice>) -> Notice {
    let level = violations.iter().map(|v| v.threat_level).max().unwrap_or(0);
    Notice {
        kind,
        title: title.into(),
        level,
        occurred_at: now(),
        run_id: Some(7),
        applications: if violations.is_empty() {
            vec![]
        } else {
            vec![AppNotice {
                name: "Payments".into(),
                public_id: Some("payments".into()),
                tier: "critical".into(),
                organization: Some("Retail".into()),
                stage: "release".into(),
                violations,
            }]
        },
        waivers: vec![],
        summary: None,
    }
}

/// Payments: `kinds` as violations 1, 2, …
pub fn violations(kinds: &[AlertKind]) -> Notice {
    let lines = kinds
        .iter()
        .enumerate()
        .map(|(i, k)| violation(*k, i as i64 + 1))
        .collect();
    notice(
        NoticeKind::Violations,
        &format!("{} violations in Payments (critical)", kinds.len()),
        lines,
    )
}

pub fn test_notice() -> Notice {
    let mut n = notice(NoticeKind::Test, "Test notification", vec![]);
    n.summary = Some("This is a test from Vigil.".into());
    n
}

/// Owns what an [`Outgoing`] borrows.
pub struct Case {
    pub delivery_id: String,
    pub channel: String,
    pub attempt: u32,
    pub now: DateTime<Utc>,
    pub config: ChannelConfig,
    pub secrets: ChannelSecrets,
    pub notice: Notice,
    pub recipients: Vec<String>,
}

impl Case {
    pub fn new(config: ChannelConfig, secrets: ChannelSecrets, notice: Notice) -> Case {
        Case {
            delivery_id: DELIVERY.into(),
            channel: "Security Team".into(),
            attempt: 1,
            now: now(),
            config,
            secrets,
            notice,
            recipients: vec!["owner@example.test".into(), "sec@example.test".into()],
        }
    }

    pub fn out(&self) -> Outgoing<'_> {
        Outgoing {
            delivery_id: &self.delivery_id,
            channel: &self.channel,
            attempt: self.attempt,
            now: self.now,
            config: &self.config,
            secrets: &self.secrets,
            notice: &self.notice,
            recipients: &self.recipients,
        }
    }

    pub fn send(&self) -> Result<vigil_notify::Answer, vigil_notify::Failure> {
        vigil_notify::Sender::new()
            .expect("a sender")
            .send(&self.out())
    }
}
