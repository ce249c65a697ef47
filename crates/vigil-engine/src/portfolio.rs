//! What it takes to judge an application within its portfolio: the organization tree (which
//! passes monitoring down) and the coverage rules. Loaded once per operation, so that listing
//! 1,000 applications costs a handful of queries, not one per application.

use std::collections::HashMap;

use vigil_store::{
    organizations::{ROOT_ID, ROOT_NAME},
    ApplicationRow, ContactRow, OrganizationRow, Store, ThreatBands,
};

use crate::{api, coverage::rules, EngineError};

pub(crate) struct Portfolio {
    orgs: Vec<OrganizationRow>,
    by_name: HashMap<String, usize>,
    by_id: HashMap<i64, usize>,
    pub rules: Vec<api::CoverageRule>,
}

/// Whether monitoring runs for an application, and why when its own switch does not decide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Monitoring {
    pub monitored: bool,
    pub because: Option<String>,
}

impl Portfolio {
    pub fn load(store: &Store) -> Result<Portfolio, EngineError> {
        let orgs = store.organizations()?;
        let by_name = orgs
            .iter()
            .enumerate()
            .map(|(i, o)| (o.name.to_lowercase(), i))
            .collect();
        let by_id = orgs.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
        Ok(Portfolio {
            orgs,
            by_name,
            by_id,
            rules: rules::load(store)?,
        })
    }

    pub fn organizations(&self) -> &[OrganizationRow] {
        &self.orgs
    }

    /// The organization an application names (the root for none, or for a name the tree does
    /// not know yet: such a name is created under the root).
    pub fn org(&self, name: Option<&str>) -> Option<&OrganizationRow> {
        let name = name.map(str::trim).filter(|n| !n.is_empty());
        match name {
            Some(name) => self.by_name.get(&name.to_lowercase()),
            None => self.by_id.get(&ROOT_ID),
        }
        .map(|&i| &self.orgs[i])
    }

    pub fn by_id(&self, id: i64) -> Option<&OrganizationRow> {
        self.by_id.get(&id).map(|&i| &self.orgs[i])
    }

    /// The organization itself, then each one above it up to the root.
    pub fn lineage(&self, name: Option<&str>) -> Vec<&OrganizationRow> {
        let mut out = Vec::new();
        // A name not in the tree yet is created under the root: its lineage is the root's.
        let mut next = self.org(name).or_else(|| self.by_id(ROOT_ID));
        // A damaged tree with a cycle must not hang every listing.
        while let Some(org) = next.filter(|_| out.len() <= self.orgs.len()) {
            out.push(org);
            next = org.parent_id.and_then(|id| self.by_id(id));
        }
        out
    }

    /// The nearest organization at or above `name` that turns monitoring on.
    pub fn forcing_org(&self, name: Option<&str>) -> Option<&str> {
        self.lineage(name)
            .into_iter()
            .find(|o| o.monitoring_on)
            .map(|o| o.name.as_str())
    }

    /// Whether the organization `name` is `ancestor` or lies below it.
    pub fn within(&self, name: Option<&str>, ancestor: &str) -> bool {
        self.lineage(name)
            .iter()
            .any(|o| o.name.eq_ignore_ascii_case(ancestor.trim()))
    }

    pub fn monitoring(&self, app: &ApplicationRow) -> Monitoring {
        if let Some(rule) = self.rules.iter().find(|r| {
            r.effect == api::CoverageEffect::LeavesMonitoring && rules::matches(r, app, self)
        }) {
            return Monitoring {
                monitored: false,
                because: Some(format!("coverage rule: {}", rules::sentence(rule))),
            };
        }
        match self.forcing_org(app.organization.as_deref()) {
            Some(org) => Monitoring {
                monitored: true,
                because: Some(format!("organization {org} turns monitoring on")),
            },
            None => Monitoring {
                monitored: app.monitored,
                because: None,
            },
        }
    }

    /// The first rule saying the application must be monitored.
    pub fn must_monitor(&self, app: &ApplicationRow) -> Option<&api::CoverageRule> {
        self.rules
            .iter()
            .find(|r| r.effect == api::CoverageEffect::MustMonitor && rules::matches(r, app, self))
    }
}

/// The organization's name as people see it: `Root` for none.
pub(crate) fn org_name(organization: Option<&str>) -> String {
    organization
        .filter(|o| !o.trim().is_empty())
        .unwrap_or(ROOT_NAME)
        .to_string()
}

/// The per-application facts of the Applications table, loaded for all at once.
pub(crate) struct SummaryFacts {
    pub portfolio: Portfolio,
    owners: HashMap<i64, ContactRow>,
    threats: HashMap<i64, ThreatBands>,
}

impl SummaryFacts {
    pub fn load(store: &Store) -> Result<SummaryFacts, EngineError> {
        Ok(SummaryFacts {
            portfolio: Portfolio::load(store)?,
            owners: store.first_owners()?,
            threats: store.threat_bands()?,
        })
    }

    pub fn summary(&self, app: ApplicationRow) -> api::ApplicationSummary {
        let monitoring = self.portfolio.monitoring(&app);
        let owner = self.owners.get(&app.id).map(|c| {
            if c.email.is_empty() {
                c.name.clone()
            } else {
                c.email.clone()
            }
        });
        let threat = self.threats.get(&app.id).copied().unwrap_or_default();
        crate::convert::application_summary(
            app,
            monitoring.monitored,
            owner,
            api::ThreatCounts {
                critical: threat.critical,
                severe: threat.severe,
                moderate: threat.moderate,
                low: threat.low,
            },
        )
    }
}
