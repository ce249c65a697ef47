//! The webhook body: one JSON envelope per delivery, camelCase, stable field order.
//!
//! `{id, type, occurredAt, level, title, runId, application, violations[]}`; a digest adds
//! `applications[]`, a waiver notice `waivers[]`, run/advisory/ping notices `summary`. `id` is
//! the delivery id, which is also the `webhook-id` header: receivers deduplicate on it.

use chrono::SecondsFormat;
use serde_json::{json, Value};

use super::facts;
use crate::{AdvisoryNotice, AppNotice, Notice, NoticeKind, ViolationNotice, WaiverNotice};

pub fn render(notice: &Notice, delivery_id: &str) -> Value {
    let mut body = serde_json::Map::new();
    body.insert("id".into(), json!(delivery_id));
    body.insert("type".into(), json!(notice.webhook_event().as_str()));
    body.insert(
        "occurredAt".into(),
        json!(notice
            .occurred_at
            .to_rfc3339_opts(SecondsFormat::Secs, true)),
    );
    body.insert("level".into(), json!(notice.level));
    body.insert("title".into(), json!(notice.title));
    body.insert("runId".into(), json!(notice.run_id));
    body.insert(
        "application".into(),
        notice
            .applications
            .first()
            .map(application)
            .unwrap_or(Value::Null),
    );
    if notice.kind == NoticeKind::Digest {
        body.insert(
            "applications".into(),
            Value::Array(notice.applications.iter().map(application).collect()),
        );
    }
    let violations: Vec<Value> = notice
        .applications
        .iter()
        .flat_map(|a| a.violations.iter().map(move |v| violation(a, v)))
        .collect();
    body.insert("violations".into(), Value::Array(violations));
    if notice.kind == NoticeKind::WaiverExpiring || !notice.waivers.is_empty() {
        body.insert(
            "waivers".into(),
            Value::Array(notice.waivers.iter().map(waiver).collect()),
        );
    }
    let carries_summary = matches!(
        notice.kind,
        NoticeKind::EvaluationCompleted | NoticeKind::AdvisoriesUpdated | NoticeKind::Test
    );
    if carries_summary || notice.summary.is_some() {
        body.insert("summary".into(), json!(notice.summary));
    }
    Value::Object(body)
}

fn application(a: &AppNotice) -> Value {
    json!({
        "name": a.name,
        "publicId": a.public_id,
        "tier": a.tier,
        "organization": a.organization,
        "stage": a.stage,
    })
}

fn violation(app: &AppNotice, v: &ViolationNotice) -> Value {
    json!({
        "violationId": v.violation_id,
        "alertId": v.alert_id,
        "kind": facts::kind_key(v.kind),
        "application": app.name,
        "policy": v.policy,
        "threatLevel": v.threat_level,
        "purl": v.purl,
        "component": v.component,
        "condition": v.condition,
        "satisfiedConditions": v.satisfied_conditions,
        "advisories": v.advisories.iter().map(advisory).collect::<Vec<_>>(),
        "changed": v.changed,
        "fix": v.fix,
        "foundIn": v.found_in,
        "key": v.key,
    })
}

fn advisory(a: &AdvisoryNotice) -> Value {
    json!({
        "id": a.id,
        "aliases": a.aliases,
        "summary": a.summary,
        "score": a.score.map(|s| (f64::from(s) * 10.0).round() / 10.0),
        "rating": a.rating,
        "kev": a.kev,
        "epss": a.epss.map(|e| (f64::from(e) * 1e5).round() / 1e5),
        "fixed": a.fixed,
    })
}

fn waiver(w: &WaiverNotice) -> Value {
    json!({
        "id": w.id,
        "scope": w.scope,
        "component": w.component,
        "policy": w.policy,
        "advisory": w.advisory,
        "reason": w.reason,
        "expires": w.expires,
        "daysLeft": w.days_left,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notice::AlertKind;
    use crate::render::fixtures;

    const ID: &str = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

    #[test]
    fn a_violations_envelope() {
        let mut notice = fixtures::violations();
        notice.applications[0].violations.truncate(1);
        let body = render(&notice, ID);
        let keys: Vec<&str> = body
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "id",
                "type",
                "occurredAt",
                "level",
                "title",
                "runId",
                "application",
                "violations"
            ]
        );
        assert_eq!(body["id"], ID);
        assert_eq!(body["type"], "violation.new");
        assert_eq!(body["occurredAt"], "2026-12-06T21:30:00Z");
        assert_eq!(body["level"], 10);
        assert_eq!(
            body["application"],
            json!({"name": "Payments", "publicId": "payments", "tier": "critical", "organization": "Retail", "stage": "release"})
        );
        let v = &body["violations"][0];
        assert_eq!(v["violationId"], 1);
        assert_eq!(v["alertId"], 101);
        assert_eq!(v["kind"], "new");
        assert_eq!(v["policy"], "Security-Critical");
        assert_eq!(v["threatLevel"], 10);
        assert_eq!(
            v["purl"],
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
        );
        assert_eq!(
            v["satisfiedConditions"],
            json!(["CVSS 10.0 ≥ 9", "in CISA KEV"])
        );
        assert_eq!(v["advisories"][0]["id"], "CVE-2021-44228");
        assert_eq!(
            v["advisories"][0]["aliases"],
            json!(["GHSA-jfh8-c2jp-5v3q"])
        );
        assert_eq!(v["advisories"][0]["score"], 10.0);
        assert_eq!(v["advisories"][0]["kev"], true);
        assert_eq!(v["advisories"][0]["epss"], 0.97);
        assert_eq!(v["fix"], "2.17.1");
        assert_eq!(
            v["foundIn"],
            json!(["app.war!/WEB-INF/lib/log4j-core-2.14.1.jar"])
        );
        assert_eq!(v["changed"], json!([]));
    }

    #[test]
    fn a_changed_notice_is_violation_changed() {
        let mut notice = fixtures::violations();
        notice.applications[0]
            .violations
            .retain(|v| v.kind == AlertKind::Changed);
        let body = render(&notice, ID);
        assert_eq!(body["type"], "violation.changed");
        assert_eq!(body["violations"][0]["changed"], json!(["now in CISA KEV"]));
    }

    #[test]
    fn a_digest_has_every_application() {
        let body = render(&fixtures::digest(), ID);
        assert_eq!(body["application"]["name"], "Payments");
        assert_eq!(body["applications"].as_array().map(Vec::len), Some(2));
        assert_eq!(body["applications"][1]["name"], "Shop");
        assert_eq!(body["violations"][1]["application"], "Shop");
    }

    #[test]
    fn waivers_and_pings() {
        let body = render(&fixtures::waivers(), ID);
        assert_eq!(body["type"], "waiver.expiring");
        assert_eq!(body["application"], Value::Null);
        assert_eq!(body["waivers"][0]["daysLeft"], 4);
        assert_eq!(body["waivers"][0]["expires"], "2026-12-10");
        let body = render(&fixtures::test_notice(), ID);
        assert_eq!(body["type"], "ping");
        assert_eq!(body["summary"], "This is a test from Vigil.");
        assert_eq!(body["violations"], json!([]));
    }
}
