//! Domain and store types → the API's DTOs.

use vigil_model::Component;
use vigil_policy::{AdvisoryFact, Violation};
use vigil_store::{ApplicationRow, ComponentRow};

use crate::api;

pub fn application_summary(app: ApplicationRow) -> api::ApplicationSummary {
    api::ApplicationSummary {
        id: app.id,
        name: app.name,
        monitored: app.monitored,
        monitored_stage: app.monitored_stage,
        last_scan_at: app.last_scan_at,
        components: app.components,
        violations: app.violations,
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
        }),
        kev: fact.kev,
        epss: fact.epss,
    }
}

pub fn violation(violation: &Violation) -> api::ViolationDto {
    api::ViolationDto {
        policy: violation.policy.clone(),
        threat_level: violation.threat_level,
        purl: violation.purl.clone(),
        condition_key: violation.condition_key.clone(),
        advisories: violation.details.advisories.iter().map(advisory).collect(),
        summary: violation.details.summary.clone(),
    }
}
