//! The words every channel uses for the same facts: a violation's headline and details, an
//! advisory, an application, a waiver. Channels only shape (escape, bold, bullet) them.

use crate::notice::AlertKind;
use crate::{AdvisoryNotice, AppNotice, ViolationNotice, WaiverNotice};

/// Threat bands, as everywhere in Vigil: critical 8–10, severe 4–7, moderate 2–3, low 0–1.
pub fn band(level: u8) -> &'static str {
    match level {
        8.. => "critical",
        4..=7 => "severe",
        2..=3 => "moderate",
        0..=1 => "low",
    }
}

/// A channel name as a DNS label: lowercase ASCII letters, digits and single `-`
/// (`Security Team #2` → `security-team-2`), `channel` when nothing is left.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    let out: String = out.chars().take(63).collect();
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "channel".to_string()
    } else {
        out.to_string()
    }
}

pub(crate) fn kind_label(kind: AlertKind) -> &'static str {
    match kind {
        AlertKind::New => "New",
        AlertKind::Changed => "Changed",
        AlertKind::Resolved => "Resolved",
        AlertKind::Escalated => "Escalated",
    }
}

pub(crate) fn kind_key(kind: AlertKind) -> &'static str {
    match kind {
        AlertKind::New => "new",
        AlertKind::Changed => "changed",
        AlertKind::Resolved => "resolved",
        AlertKind::Escalated => "escalated",
    }
}

/// `threat 10 (critical)`.
pub(crate) fn threat(level: u8) -> String {
    format!("threat {level} ({})", band(level))
}

/// `New: log4j-core 2.14.1 violates Security-Critical, threat 10 (critical)`.
pub(crate) fn headline(v: &ViolationNotice) -> String {
    let verb = match v.kind {
        AlertKind::Resolved => "no longer violates",
        AlertKind::New | AlertKind::Changed | AlertKind::Escalated => "violates",
    };
    format!(
        "{}: {} {verb} {}, {}",
        kind_label(v.kind),
        v.component,
        v.policy,
        threat(v.threat_level)
    )
}

/// `CVE-2021-44228 (aka GHSA-jfh8-c2jp-5v3q), CVSS 10.0, in CISA KEV, EPSS 97%`.
pub(crate) fn advisory(a: &AdvisoryNotice) -> String {
    let mut out = a.id.clone();
    if !a.aliases.is_empty() {
        out.push_str(&format!(" (aka {})", a.aliases.join(", ")));
    }
    match (a.score, &a.rating) {
        (Some(score), _) => out.push_str(&format!(", CVSS {score:.1}")),
        (None, Some(rating)) => out.push_str(&format!(", rated {rating}")),
        (None, None) => {}
    }
    if a.kev {
        out.push_str(", in CISA KEV");
    }
    if let Some(epss) = a.epss {
        out.push_str(&format!(", EPSS {:.0}%", epss * 100.0));
    }
    out
}

/// `upgrade to 2.17.1`, when a fix is known.
pub(crate) fn fix(v: &ViolationNotice) -> Option<String> {
    v.fix.as_ref().map(|f| format!("upgrade to {f}"))
}

/// One violation's details after its headline, each a line: the purl, the condition, what
/// was satisfied, each advisory (with its summary), what changed, the fix, where it was found.
pub(crate) fn details(v: &ViolationNotice) -> Vec<String> {
    let mut lines = vec![format!("Component: {}", v.purl)];
    lines.push(format!("Condition: {}", v.condition));
    if !v.satisfied_conditions.is_empty() {
        lines.push(format!("Satisfied: {}", v.satisfied_conditions.join("; ")));
    }
    for a in &v.advisories {
        match &a.summary {
            Some(summary) => lines.push(format!(
                "Advisory: {}: {}",
                advisory(a),
                super::one_line(summary)
            )),
            None => lines.push(format!("Advisory: {}", advisory(a))),
        }
    }
    if !v.changed.is_empty() {
        lines.push(format!("What changed: {}", v.changed.join("; ")));
    }
    if let Some(fix) = fix(v) {
        lines.push(format!("Fix: {fix}"));
    }
    if !v.found_in.is_empty() {
        lines.push(format!("Found in: {}", v.found_in.join(", ")));
    }
    lines
}

/// A short one-line form for chat: `New: log4j-core 2.14.1 · Security-Critical · threat 10 ·
/// CVE-2021-44228 (KEV) · upgrade to 2.17.1`.
pub(crate) fn short(v: &ViolationNotice) -> String {
    let mut parts = vec![
        format!("{}: {}", kind_label(v.kind), v.component),
        v.policy.clone(),
        threat(v.threat_level),
    ];
    let ids: Vec<String> = v
        .advisories
        .iter()
        .map(|a| match (a.score, a.kev) {
            (Some(s), true) => format!("{} (CVSS {s:.1}, KEV)", a.id),
            (Some(s), false) => format!("{} (CVSS {s:.1})", a.id),
            (None, true) => format!("{} (KEV)", a.id),
            (None, false) => a.id.clone(),
        })
        .collect();
    if !ids.is_empty() {
        parts.push(ids.join(", "));
    }
    if !v.changed.is_empty() {
        parts.push(v.changed.join("; "));
    }
    if let Some(fix) = fix(v) {
        parts.push(fix);
    }
    parts.join(" · ")
}

/// `Payments (critical tier, organization Retail, stage release)`.
pub(crate) fn app_heading(a: &AppNotice) -> String {
    let mut parts = vec![format!("{} tier", a.tier)];
    if let Some(org) = &a.organization {
        parts.push(format!("organization {org}"));
    }
    parts.push(format!("stage {}", a.stage));
    format!("{} ({})", a.name, parts.join(", "))
}

/// `log4j-core, policy Security-Critical, advisory CVE-1 (application Payments): expires
/// 2026-12-10, in 4 days. Reason: vendor patch pending`.
pub(crate) fn waiver(w: &WaiverNotice) -> String {
    let mut what = w.component.clone();
    if let Some(p) = &w.policy {
        what.push_str(&format!(", policy {p}"));
    }
    if let Some(a) = &w.advisory {
        what.push_str(&format!(", advisory {a}"));
    }
    let when = match w.days_left {
        ..=0 => "today".to_string(),
        1 => "in 1 day".to_string(),
        n => format!("in {n} days"),
    };
    format!(
        "Waiver #{} for {what} ({}): expires {}, {when}. Reason: {}",
        w.id,
        w.scope,
        w.expires,
        super::one_line(&w.reason)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixtures;

    #[test]
    fn bands_follow_vigils_thresholds() {
        assert_eq!(
            [
                band(10),
                band(8),
                band(7),
                band(4),
                band(3),
                band(2),
                band(1),
                band(0)
            ],
            ["critical", "critical", "severe", "severe", "moderate", "moderate", "low", "low"]
        );
    }

    #[test]
    fn slugs_are_dns_labels() {
        assert_eq!(slug("Security Team #2"), "security-team-2");
        assert_eq!(slug("  --Ops--  "), "ops");
        assert_eq!(slug("Équipe"), "quipe");
        assert_eq!(slug("!!!"), "channel");
        assert!(slug(&"a".repeat(100)).len() <= 63);
    }

    #[test]
    fn a_violation_reads_with_its_advisories_and_fix() {
        let notice = fixtures::violations();
        let v = &notice.applications[0].violations[0];
        assert_eq!(
            headline(v),
            "New: log4j-core 2.14.1 violates Security-Critical, threat 10 (critical)"
        );
        let details = details(v).join("\n");
        assert!(details.contains("Advisory: CVE-2021-44228 (aka GHSA-jfh8-c2jp-5v3q), CVSS 10.0, in CISA KEV, EPSS 97%"), "{details}");
        assert!(
            details.contains("Satisfied: CVSS 10.0 ≥ 9; in CISA KEV"),
            "{details}"
        );
        assert!(details.contains("Fix: upgrade to 2.17.1"), "{details}");
        assert!(
            details.contains("Found in: app.war!/WEB-INF/lib/log4j-core-2.14.1.jar"),
            "{details}"
        );
        let resolved = &notice.applications[0].violations[2];
        assert!(headline(resolved).contains("no longer violates"));
    }
}
