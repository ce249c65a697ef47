//! The CI gate's report as SARIF 2.1.0, the format code-scanning services (GitHub, GitLab,
//! Azure DevOps, SonarQube…) take in.
//!
//! One rule per policy, one result per violation. A waived violation is a result with an
//! `accepted` external suppression, so services show it as dismissed rather than open. Every
//! result has a location (services refuse results without one): the artifact the component was
//! found in, line 1. `partialFingerprints` carry the violation's identity (application, policy,
//! purl, constraint), so a service matches a re-run's results to the alerts it already has.
//! Output is deterministic: the same report gives the same bytes.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use vigil_engine::api::{Action, AdvisoryRef, EvaluationReport, ViolationDto};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// GitHub truncates rule descriptions beyond this many characters.
const MAX_DESCRIPTION: usize = 1024;

/// The evaluation report as a SARIF 2.1.0 log. `artifact_uris` are the paths the gate scanned,
/// as given: the location of a violation whose component has no recorded evidence.
pub fn sarif(report: &EvaluationReport, tool_version: &str, artifact_uris: &[String]) -> Value {
    let rules = Rules::of(&report.violations);
    let results: Vec<Value> = report
        .violations
        .iter()
        .map(|violation| result(report, violation, &rules, artifact_uris))
        .collect();

    let mut driver = Map::new();
    driver.insert("name".into(), json!("Vigil"));
    let repository = env!("CARGO_PKG_REPOSITORY");
    if !repository.is_empty() {
        driver.insert("informationUri".into(), json!(repository));
    }
    driver.insert("version".into(), json!(tool_version));
    if is_semantic_version(tool_version) {
        driver.insert("semanticVersion".into(), json!(tool_version));
    }
    driver.insert("rules".into(), Value::Array(rules.descriptors()));

    let mut invocation = Map::new();
    invocation.insert("executionSuccessful".into(), json!(true));
    if let Some(end) = utc_time(&report.evaluated_at) {
        invocation.insert("endTimeUtc".into(), json!(end));
    }
    if !report.warnings.is_empty() {
        let notifications: Vec<Value> = report
            .warnings
            .iter()
            .map(|w| {
                json!({
                    "level": "warning",
                    "message": { "text": format!("{}: {}", w.path, w.message) },
                })
            })
            .collect();
        invocation.insert(
            "toolExecutionNotifications".into(),
            Value::Array(notifications),
        );
    }

    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": Value::Object(driver) },
            "automationDetails": {
                "id": format!(
                    "vigil/{}/{}/",
                    report.application.replace('/', "-"),
                    report.stage.replace('/', "-")
                ),
            },
            "invocations": [Value::Object(invocation)],
            "results": results,
            "properties": {
                "application": report.application,
                "stage": report.stage,
                "scanId": report.scan_id,
                "outcome": report.outcome,
                "counts": report.counts,
                "components": report.components,
                "unidentified": report.unidentified,
            },
        }],
    })
}

/// The rules: one per policy that has a violation, sorted by policy name.
struct Rules {
    /// Policy name → (index, rule).
    by_policy: BTreeMap<String, (usize, Rule)>,
}

struct Rule {
    id: String,
    policy: String,
    threat_level: u8,
    kind: &'static str,
    conditions: BTreeSet<String>,
}

impl Rules {
    fn of(violations: &[ViolationDto]) -> Rules {
        let mut rules: BTreeMap<String, Rule> = BTreeMap::new();
        for violation in violations {
            let rule = rules
                .entry(violation.policy.clone())
                .or_insert_with(|| Rule {
                    id: String::new(),
                    policy: violation.policy.clone(),
                    threat_level: violation.threat_level,
                    kind: kind_by_name(&violation.policy),
                    conditions: BTreeSet::new(),
                });
            rule.threat_level = rule.threat_level.max(violation.threat_level);
            if !violation.advisories.is_empty() {
                rule.kind = "security";
            } else if violation.license.is_some() && rule.kind != "security" {
                rule.kind = "license";
            }
            rule.conditions.extend(
                violation
                    .conditions
                    .iter()
                    .map(|c| c.summary.trim().to_string())
                    .filter(|s| !s.is_empty()),
            );
        }
        // Ids are slugs of the policy names; two names with one slug are told apart by a hash.
        let mut taken: BTreeSet<String> = BTreeSet::new();
        let by_policy = rules
            .into_iter()
            .enumerate()
            .map(|(index, (name, mut rule))| {
                let mut id = slug(&name);
                if !taken.insert(id.clone()) {
                    id = format!("{id}-{}", &hash(&[&name])[..8]);
                    taken.insert(id.clone());
                }
                rule.id = id;
                (name, (index, rule))
            })
            .collect();
        Rules { by_policy }
    }

    fn get(&self, policy: &str) -> (usize, &Rule) {
        let (index, rule) = &self.by_policy[policy];
        (*index, rule)
    }

    fn descriptors(&self) -> Vec<Value> {
        self.by_policy
            .values()
            .map(|(_, rule)| {
                let full = if rule.conditions.is_empty() {
                    format!("Vigil policy {}.", rule.policy)
                } else {
                    format!(
                        "Vigil policy {}: violated by a component when {}.",
                        rule.policy,
                        rule.conditions
                            .iter()
                            .map(String::as_str)
                            .collect::<Vec<_>>()
                            .join("; or ")
                    )
                };
                json!({
                    "id": rule.id,
                    "name": rule.policy,
                    "shortDescription": {
                        "text": clip(&format!(
                            "{} (threat level {})",
                            rule.policy, rule.threat_level
                        )),
                    },
                    "fullDescription": { "text": clip(&full) },
                    "help": {
                        "text": format!(
                            "A component matched the policy {}. Upgrade it to a version that \
                             does not match, remove it, or accept the risk with `vigil waivers \
                             add`.",
                            rule.policy
                        ),
                    },
                    "properties": {
                        "security-severity": format!("{:.1}", f64::from(rule.threat_level.min(10))),
                        "tags": [rule.kind],
                    },
                })
            })
            .collect()
    }
}

/// What a policy is about, by the reference set's naming (`Security-…`, `License-…`).
fn kind_by_name(policy: &str) -> &'static str {
    let lower = policy.to_ascii_lowercase();
    if lower.starts_with("security") {
        "security"
    } else if lower.starts_with("license") {
        "license"
    } else {
        "component"
    }
}

fn result(
    report: &EvaluationReport,
    violation: &ViolationDto,
    rules: &Rules,
    artifact_uris: &[String],
) -> Value {
    let (index, rule) = rules.get(&violation.policy);
    let level = match violation.action {
        Some(Action::Fail) => "error",
        Some(Action::Warn) => "warning",
        Some(Action::None) | None => "note",
    };
    let fingerprint = hash(&[
        &report.application,
        &violation.policy,
        &violation.purl,
        &violation.condition_key,
    ]);
    let outer = violation
        .evidence
        .first()
        .map(|e| e.split("!/").next().unwrap_or(e).trim())
        .filter(|e| !e.is_empty())
        .or_else(|| {
            artifact_uris
                .iter()
                .map(|a| a.trim())
                .find(|a| !a.is_empty())
        })
        .unwrap_or(".");

    let mut properties = Map::new();
    properties.insert("policy".into(), json!(violation.policy));
    properties.insert("purl".into(), json!(violation.purl));
    properties.insert("conditionKey".into(), json!(violation.condition_key));
    properties.insert("threatLevel".into(), json!(violation.threat_level));
    properties.insert(
        "action".into(),
        json!(violation.action.map_or("none", Action::as_str)),
    );
    properties.insert(
        "advisories".into(),
        Value::Array(
            violation
                .advisories
                .iter()
                .map(|a| {
                    json!({
                        "id": a.id,
                        "aliases": a.aliases,
                        "score": a.severity.as_ref().and_then(|s| s.score),
                        "rating": a.severity.as_ref().map(|s| s.rating.as_str()),
                        "kev": a.kev,
                        "epss": a.epss,
                        "fixed": a.fixed,
                    })
                })
                .collect(),
        ),
    );
    if let Some(license) = &violation.license {
        properties.insert("license".into(), json!(license));
    }
    if !violation.evidence.is_empty() {
        properties.insert("evidence".into(), json!(violation.evidence));
    }

    let mut result = Map::new();
    result.insert("ruleId".into(), json!(rule.id));
    result.insert("ruleIndex".into(), json!(index));
    result.insert("level".into(), json!(level));
    result.insert("message".into(), json!({ "text": message(violation) }));
    result.insert(
        "locations".into(),
        json!([{
            "physicalLocation": {
                "artifactLocation": { "uri": uri_reference(outer) },
                "region": { "startLine": 1 },
            },
            "logicalLocations": [{
                "name": violation.purl,
                "fullyQualifiedName": violation.purl,
                "kind": "module",
            }],
        }]),
    );
    result.insert(
        "partialFingerprints".into(),
        json!({
            "vigil/v1": fingerprint,
            // Given, so that an uploader does not hash line 1 of a binary artifact instead.
            "primaryLocationLineHash": format!("{}:1", &fingerprint[..16]),
        }),
    );
    if let Some(waiver) = &violation.waiver {
        result.insert(
            "suppressions".into(),
            json!([{
                "kind": "external",
                "status": "accepted",
                "justification": waiver.reason,
                "properties": { "waiverId": waiver.id, "expires": waiver.expires },
            }]),
        );
    }
    result.insert("properties".into(), Value::Object(properties));
    Value::Object(result)
}

/// The summary, the component, and each advisory with its score and fixes.
fn message(violation: &ViolationDto) -> String {
    let mut lines = Vec::new();
    let summary = violation.summary.trim();
    lines.push(if summary.is_empty() {
        format!("{} matched {}", violation.policy, violation.purl)
    } else {
        summary.to_string()
    });
    lines.push(format!("Component: {}", violation.purl));
    if !violation.advisories.is_empty() {
        let advisories: Vec<String> = violation.advisories.iter().map(advisory).collect();
        lines.push(format!("Advisories: {}", advisories.join("; ")));
    }
    if let Some(license) = &violation.license {
        lines.push(format!("License: {license}"));
    }
    if violation.advisories.is_empty() && violation.license.is_none() {
        for condition in &violation.conditions {
            if !condition.reason.trim().is_empty() {
                lines.push(condition.reason.trim().to_string());
            }
        }
    }
    match violation.evidence.as_slice() {
        [] => {}
        [only] => lines.push(format!("Found in: {only}")),
        [first, rest @ ..] => lines.push(format!("Found in: {first} (and {} more)", rest.len())),
    }
    lines.join("\n")
}

/// `CVE-2021-44228 (CVSS 10.0 CRITICAL, KEV, fixed in 2.15.0, 2.12.2)`.
fn advisory(advisory: &AdvisoryRef) -> String {
    let mut facts = Vec::new();
    match &advisory.severity {
        Some(severity) => match severity.score {
            Some(score) => facts.push(format!("CVSS {score:.1} {}", severity.rating)),
            None => facts.push(severity.rating.clone()),
        },
        None => facts.push("unscored".into()),
    }
    if advisory.kev {
        facts.push("KEV".into());
    }
    if let Some(epss) = advisory.epss {
        facts.push(format!("EPSS {epss:.2}"));
    }
    if advisory.fixed.is_empty() {
        facts.push("no fix known".into());
    } else {
        facts.push(format!("fixed in {}", advisory.fixed.join(", ")));
    }
    let aliases = if advisory.aliases.is_empty() {
        String::new()
    } else {
        format!(" aka {}", advisory.aliases.join(", "))
    };
    format!("{}{aliases} ({})", advisory.id, facts.join(", "))
}

/// A path as a SARIF URI reference: relative paths stay relative (`./` dropped), absolute ones
/// become `file://` URIs; backslashes become slashes and characters a URI cannot hold are
/// percent-encoded.
fn uri_reference(path: &str) -> String {
    let mut path = path.replace('\\', "/");
    let bytes = path.as_bytes();
    let drive =
        bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    let prefix = if drive {
        "file:///"
    } else if path.starts_with('/') {
        "file://"
    } else {
        while let Some(rest) = path.strip_prefix("./") {
            path = rest.trim_start_matches('/').to_string();
        }
        ""
    };
    let mut out = String::from(prefix);
    for (i, byte) in path.bytes().enumerate() {
        let keep = byte.is_ascii_alphanumeric()
            || b"-._~/!$&'()*+,;=@".contains(&byte)
            // A colon is kept only after a drive letter: in a relative path it would read as a
            // scheme.
            || (byte == b':' && drive && i == 1);
        if keep {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}

/// `evaluated_at` as SARIF's `date-time` (UTC, `Z`), when it is an RFC 3339 time.
fn utc_time(text: &str) -> Option<String> {
    let time = chrono::DateTime::parse_from_rfc3339(text.trim()).ok()?;
    Some(
        time.with_timezone(&chrono::Utc)
            .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
    )
}

fn is_semantic_version(version: &str) -> bool {
    let core = version.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// `Security-Critical` → `security-critical`; `License: Banned (strict)` → `license-banned-strict`.
fn slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        slug.push_str("policy");
    }
    slug
}

/// SHA-256 over the parts, each ended by a NUL, as lower-case hex.
fn hash(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// At most [`MAX_DESCRIPTION`] characters, an ellipsis marking a cut.
fn clip(text: &str) -> String {
    if text.chars().count() <= MAX_DESCRIPTION {
        return text.to_string();
    }
    let at = text
        .char_indices()
        .nth(MAX_DESCRIPTION - 1)
        .map_or(text.len(), |(at, _)| at);
    format!("{}…", &text[..at])
}

#[cfg(test)]
mod tests;
