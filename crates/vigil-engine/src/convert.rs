//! Domain and store types → the API's DTOs.

use vigil_model::{Component, Hash, License, UnidentifiedComponent};
use vigil_policy::{AdvisoryFact, Violation};
use vigil_store::{ApplicationRow, ComponentRow, UnidentifiedRow};

use crate::api;

/// `monitored` is the effective switch (`portfolio::Portfolio::monitoring`); the row's own
/// switch becomes `monitor`.
pub fn application_summary(
    app: ApplicationRow,
    monitored: bool,
    owner: Option<String>,
    violations_by_threat: api::ThreatCounts,
) -> api::ApplicationSummary {
    api::ApplicationSummary {
        id: app.id,
        name: app.name,
        organization: app.organization,
        categories: app.categories,
        monitored,
        monitored_stage: app.monitored_stage,
        last_scan_at: app.last_scan_at,
        components: app.components,
        violations: app.violations,
        public_id: app.public_id,
        tier: app.tier,
        owner,
        exposure: app.exposure,
        hosting: app.hosting,
        users: app.users,
        status: app.status,
        monitor: app.monitored,
        watch: app.watch,
        violations_by_threat,
    }
}

pub fn component_row(row: ComponentRow) -> api::ComponentDto {
    api::ComponentDto {
        purl: row.purl,
        ecosystem: row.ecosystem,
        name: row.name,
        version: row.version,
        scope: row.scope,
        evidence: row.evidence,
        license: row.license.as_ref().map(license),
        hashes: row.hashes.iter().map(hash).collect(),
        identified_by: row.identified_by.as_str().to_string(),
    }
}

pub fn unidentified_row(row: UnidentifiedRow) -> api::UnidentifiedDto {
    api::UnidentifiedDto {
        name: row.name,
        version: row.version,
        purl: row.purl,
        license: row.license.as_ref().map(license),
        hashes: row.hashes.iter().map(hash).collect(),
        evidence: row.evidence,
    }
}

pub fn unidentified(component: &UnidentifiedComponent) -> api::UnidentifiedDto {
    api::UnidentifiedDto {
        name: component.name.clone(),
        version: component.version.clone(),
        purl: component.purl.clone(),
        license: component.license.as_ref().map(license),
        hashes: component.hashes.iter().map(hash).collect(),
        evidence: component.evidence.iter().map(|e| e.0.clone()).collect(),
    }
}

fn license(license: &License) -> api::LicenseDto {
    api::LicenseDto {
        expression: license.expression.clone(),
        raw: license.raw.clone(),
    }
}

fn hash(hash: &Hash) -> api::HashDto {
    api::HashDto {
        alg: hash.algorithm.as_str().to_string(),
        value: hash.value.clone(),
    }
}

pub fn component(component: &Component) -> api::ComponentDto {
    api::ComponentDto {
        purl: component.purl(),
        ecosystem: component.ecosystem().osv_name().to_string(),
        name: component.package.name.clone(),
        version: component.package.version.clone(),
        scope: component.scope.as_str().to_string(),
        evidence: component.evidence.iter().map(|e| e.0.clone()).collect(),
        license: component.license.as_ref().map(license),
        hashes: component.hashes.iter().map(hash).collect(),
        identified_by: component.identified_by.as_str().to_string(),
    }
}

pub fn advisory(fact: &AdvisoryFact) -> api::AdvisoryRef {
    api::AdvisoryRef {
        id: fact.id.clone(),
        aliases: fact.aliases.clone(),
        summary: fact.summary.clone(),
        severity: fact.rating.as_ref().map(|rating| api::SeverityDto {
            score: fact.score,
            rating: rating.clone(),
            vector: fact.vector.clone(),
        }),
        kev: fact.kev,
        epss: fact.epss,
        fixed: fact.fixed.clone(),
    }
}

/// Stored violations as front ends show them: each with its policy's action at `stage` (none
/// without a stage, or for a policy deleted since) and where its component was found.
pub fn violations(
    violations: &[Violation],
    policies: &[vigil_policy::Policy],
    stage: Option<vigil_model::Stage>,
    components: &[api::ComponentDto],
) -> Vec<api::ViolationDto> {
    let evidence: std::collections::HashMap<&str, &Vec<String>> = components
        .iter()
        .map(|c| (c.purl.as_str(), &c.evidence))
        .collect();
    violations
        .iter()
        .map(|v| {
            let action =
                stage.and_then(|stage| crate::evaluate::action_at(policies, &v.policy, stage));
            let found = evidence.get(v.purl.as_str()).map(|e| e.to_vec());
            violation(v, action, found.unwrap_or_default())
        })
        .collect()
}

/// A violation with the action its policy takes at the stage in question and where its
/// component was found.
pub fn violation(
    violation: &Violation,
    action: Option<vigil_policy::Action>,
    evidence: Vec<String>,
) -> api::ViolationDto {
    let details = &violation.details;
    api::ViolationDto {
        policy: violation.policy.clone(),
        threat_level: violation.threat_level,
        purl: violation.purl.clone(),
        condition_key: violation.condition_key.clone(),
        advisories: details.advisories.iter().map(advisory).collect(),
        license: details.license.clone(),
        conditions: details
            .conditions
            .iter()
            .map(|hit| api::ConditionDto {
                summary: hit.summary.clone(),
                reason: hit.reason.clone(),
            })
            .collect(),
        summary: details.summary.clone(),
        waiver: details.waiver.as_ref().map(|w| api::WaiverMarkDto {
            id: w.id,
            reason: w.reason.clone(),
            expires: w.expires.clone(),
        }),
        action,
        evidence,
    }
}
