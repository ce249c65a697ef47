//! Waivers: creating, listing, removing, and VEX documents in and out.

use std::path::Path;

use chrono::{DateTime, Days, NaiveDate, Utc};
use vigil_model::PackageRef;
use vigil_policy::{
    vex::{self, VexStatus},
    Waiver, WaiverScope,
};
use vigil_store::waivers::{insert_waiver, remove_waiver};

use crate::{api, evaluate, rfc3339, Engine, EngineError};

/// How long a waiver holds when its creator does not say.
pub const DEFAULT_WAIVER_DAYS: u64 = 90;

/// Who is creating a waiver: the OS account, as a workstation app knows its user.
pub fn current_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|var| std::env::var(var).ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| "unknown".into())
}

impl Engine {
    /// Every waiver, the soonest to expire first.
    pub fn waivers(&self, now: DateTime<Utc>) -> Result<Vec<api::WaiverDto>, EngineError> {
        let today = now.date_naive();
        Ok(self
            .store()?
            .waivers()?
            .into_iter()
            .map(|row| dto(&row.waiver, row.source, today))
            .collect())
    }

    /// Creates a waiver and re-evaluates at once, so that the violation it covers shows as
    /// waived everywhere.
    pub fn add_waiver(
        &self,
        new: api::NewWaiver,
        now: DateTime<Utc>,
        created_by: &str,
    ) -> Result<api::WaiverDto, EngineError> {
        let mut store = self.store()?;
        let today = now.date_naive();
        let mut waiver = waiver_from(&store, new, now, created_by)?;
        waiver.id = store.transaction(|tx| insert_waiver(tx, &waiver, None))?;
        evaluate::refresh_latest_evaluations(&mut store, now)?;
        Ok(dto(&waiver, None, today))
    }

    pub fn remove_waiver(&self, id: i64) -> Result<(), EngineError> {
        let mut store = self.store()?;
        if !store.transaction(|tx| remove_waiver(tx, id))? {
            return Err(EngineError::NotFound(format!("no waiver with id {id}")));
        }
        evaluate::refresh_latest_evaluations(&mut store, chrono::Utc::now())
    }

    /// Turns a VEX document's `not_affected` and `false_positive` statements into waivers
    /// (everywhere, for the advisory and product each names, expiring after the default
    /// term). Other statements are listed as skipped with the reason.
    pub fn import_vex(
        &self,
        path: &Path,
        now: DateTime<Utc>,
        created_by: &str,
    ) -> Result<api::VexImportReport, EngineError> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| EngineError::Io {
            context: format!("cannot read {file}"),
            source,
        })?;
        let document =
            vex::parse(&bytes).map_err(|e| EngineError::Unreadable(format!("{file}: {e}")))?;
        let today = now.date_naive();
        let mut report = api::VexImportReport {
            file: file.clone(),
            format: document.format.as_str().to_string(),
            statements: document.statements.len() as u32,
            imported: 0,
            skipped: Vec::new(),
        };
        let skip = |report: &mut api::VexImportReport, message: String| {
            report.skipped.push(api::Warning {
                path: file.clone(),
                message,
            })
        };
        let mut waivers = Vec::new();
        for statement in &document.statements {
            let status = match statement.status {
                VexStatus::NotAffected => "not_affected",
                VexStatus::FalsePositive => "false_positive",
                other @ (VexStatus::Affected
                | VexStatus::Fixed
                | VexStatus::UnderInvestigation
                | VexStatus::Other) => {
                    skip(
                        &mut report,
                        format!(
                            "{}: status {other:?} is not an acceptance, so no waiver",
                            statement.vulnerability
                        ),
                    );
                    continue;
                }
            };
            for unnamed in &statement.unnamed {
                skip(
                    &mut report,
                    format!(
                        "{}: product {unnamed:?} has no purl",
                        statement.vulnerability
                    ),
                );
            }
            for product in &statement.products {
                let Ok(package) = PackageRef::parse_purl(product) else {
                    skip(
                        &mut report,
                        format!(
                            "{}: product {product:?} is not a purl Vigil can place",
                            statement.vulnerability
                        ),
                    );
                    continue;
                };
                let mut reason = format!("VEX {status}");
                if let Some(justification) = &statement.justification {
                    reason.push_str(&format!(" ({justification})"));
                }
                if let Some(detail) = &statement.detail {
                    reason.push_str(&format!(": {detail}"));
                }
                waivers.push(Waiver {
                    id: 0,
                    scope: WaiverScope::Everywhere,
                    component: product.clone(),
                    all_versions: package.version.is_none(),
                    policy: None,
                    advisory: Some(statement.vulnerability.clone()),
                    reason,
                    expires: default_expiry(today),
                    created_at: rfc3339(now),
                    created_by: created_by.to_string(),
                });
            }
        }
        let mut store = self.store()?;
        let source = path
            .file_name()
            .map_or_else(|| file.clone(), |n| n.to_string_lossy().into_owned());
        store.transaction(|tx| {
            for waiver in &waivers {
                insert_waiver(tx, waiver, Some(&source))?;
            }
            Ok(())
        })?;
        report.imported = waivers.len() as u32;
        if !waivers.is_empty() {
            evaluate::refresh_latest_evaluations(&mut store, now)?;
        }
        Ok(report)
    }

    /// The waivers still in force as an OpenVEX document.
    pub fn export_vex(&self, now: DateTime<Utc>) -> Result<String, EngineError> {
        let today = now.date_naive();
        let waivers: Vec<Waiver> = self
            .store()?
            .waivers()?
            .into_iter()
            .map(|row| row.waiver)
            .filter(|w| w.expires >= today)
            .collect();
        Ok(vex::to_openvex(&waivers, &current_user(), &rfc3339(now)))
    }
}

/// A waiver to create, checked: the application named exists, the component is a purl (with a
/// version unless every version is waived), the policy exists, a reason, an expiry not in the
/// past (90 days from today by default). Bulk waiving checks every row through here first.
pub(crate) fn waiver_from(
    store: &vigil_store::Store,
    new: api::NewWaiver,
    now: DateTime<Utc>,
    created_by: &str,
) -> Result<Waiver, EngineError> {
    let today = now.date_naive();
    let scope = match (new.scope, new.scope_name.as_deref().map(str::trim)) {
        (api::WaiverScopeKind::Everywhere, _) => WaiverScope::Everywhere,
        (api::WaiverScopeKind::Application, Some(name)) if !name.is_empty() => {
            // A waiver for a misspelt application would silently waive nothing.
            let app = store.application(name)?.ok_or_else(|| {
                EngineError::NotFound(format!("no application named {name:?}"))
            })?;
            WaiverScope::Application(app.name)
        }
        (api::WaiverScopeKind::Organization, Some(name)) if !name.is_empty() => {
            WaiverScope::Organization(name.to_string())
        }
        (kind, _) => {
            return Err(EngineError::InvalidInput(format!(
                "a waiver for {} needs its name",
                match kind {
                    api::WaiverScopeKind::Application => "an application",
                    api::WaiverScopeKind::Organization | api::WaiverScopeKind::Everywhere =>
                        "an organization",
                }
            )))
        }
    };
    let component = new.component.trim();
    let package = PackageRef::parse_purl(component).map_err(|e| {
        EngineError::InvalidInput(format!("the component {component:?} is not a purl: {e}"))
    })?;
    if !new.all_versions && package.version.is_none() {
        return Err(EngineError::InvalidInput(format!(
            "{component} has no version: give one, or waive all versions"
        )));
    }
    if let Some(policy) = new.policy.as_deref() {
        if !store.policies()?.iter().any(|p| p.name == policy) {
            return Err(EngineError::NotFound(format!("no policy named {policy:?}")));
        }
    }
    let reason = new.reason.trim();
    if reason.is_empty() {
        return Err(EngineError::InvalidInput("a waiver needs a reason".into()));
    }
    let expires = match new.expires.as_deref().map(str::trim) {
        Some(text) => parse_date(text)?,
        None => default_expiry(today),
    };
    if expires < today {
        return Err(EngineError::InvalidInput(format!(
            "the expiry {expires} is in the past"
        )));
    }
    let waiver = Waiver {
        id: 0,
        scope,
        component: component.to_string(),
        all_versions: new.all_versions,
        policy: new.policy.filter(|p| !p.trim().is_empty()),
        advisory: new
            .advisory
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty()),
        reason: reason.to_string(),
        expires,
        created_at: rfc3339(now),
        created_by: created_by.to_string(),
    };
    Ok(waiver)
}

fn default_expiry(today: NaiveDate) -> NaiveDate {
    today
        .checked_add_days(Days::new(DEFAULT_WAIVER_DAYS))
        .unwrap_or(NaiveDate::MAX)
}

fn parse_date(text: &str) -> Result<NaiveDate, EngineError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        EngineError::InvalidInput(format!("the expiry {text:?} is not a date (YYYY-MM-DD)"))
    })
}

fn dto(waiver: &Waiver, source: Option<String>, today: NaiveDate) -> api::WaiverDto {
    let (scope, scope_name) = match &waiver.scope {
        WaiverScope::Application(name) => (api::WaiverScopeKind::Application, Some(name.clone())),
        WaiverScope::Organization(name) => (api::WaiverScopeKind::Organization, Some(name.clone())),
        WaiverScope::Everywhere => (api::WaiverScopeKind::Everywhere, None),
    };
    api::WaiverDto {
        id: waiver.id,
        scope,
        scope_name,
        component: waiver.component.clone(),
        all_versions: waiver.all_versions,
        policy: waiver.policy.clone(),
        advisory: waiver.advisory.clone(),
        reason: waiver.reason.clone(),
        expires: waiver.expires.format("%Y-%m-%d").to_string(),
        days_left: (waiver.expires - today).num_days(),
        created_at: waiver.created_at.clone(),
        created_by: waiver.created_by.clone(),
        source,
    }
}
