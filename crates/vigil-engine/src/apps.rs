//! Applications as monitoring sees them: profiles (organization, contacts, tier, exposure,
//! hosting, users, status, what monitoring watches), the organization tree, CSV import.

mod csv_import;
mod validate;

use std::collections::HashMap;
use std::path::Path;

use vigil_store::{
    applications::{create_application, write_application_profile, ApplicationProfileFields},
    organizations::{
        ensure_organization, insert_organization, update_organization, ROOT_ID, ROOT_NAME,
    },
    ApplicationRow, ContactRow, Store,
};

use crate::{
    api, evaluate, portfolio::org_name, portfolio::Portfolio, rfc3339,
    settings::MONITOR_NEW_APPLICATIONS, Engine, EngineError,
};

pub(crate) use validate::{EXPOSURES, HOSTINGS, STATUSES, TIERS};

/// An application change, checked and ready to write.
pub(crate) struct Planned {
    /// `None`: a new application.
    id: Option<i64>,
    name: String,
    fields: ApplicationProfileFields,
    /// The organization, categories or stage changed, which policy scopes and stage actions
    /// depend on: its latest scan is evaluated again.
    reevaluate: bool,
}

fn not_found(name: &str) -> EngineError {
    EngineError::NotFound(format!("no application named {name:?}"))
}

pub(crate) fn contact_dto(c: ContactRow) -> api::ContactDto {
    api::ContactDto {
        role: c.role,
        name: c.name,
        email: c.email,
    }
}

fn profile(
    app: ApplicationRow,
    contacts: Vec<ContactRow>,
    portfolio: &Portfolio,
) -> api::ApplicationProfile {
    let monitoring = portfolio.monitoring(&app);
    api::ApplicationProfile {
        public_id: app.public_id,
        organization: org_name(app.organization.as_deref()),
        categories: app.categories,
        contacts: contacts.into_iter().map(contact_dto).collect(),
        tier: app.tier,
        exposure: app.exposure,
        hosting: app.hosting,
        users: app.users,
        status: app.status,
        monitor: app.monitored,
        monitored: monitoring.monitored,
        monitored_because: monitoring.because,
        stage: app.monitored_stage,
        watch: app.watch,
        watch_labels: app.watch_labels,
        alert_on_baseline: app.alert_on_baseline,
        baselined: app.baseline_run.is_some(),
        name: app.name,
    }
}

/// Evaluates the latest scan of each named application again, as a scope change requires:
/// their rules hash (which covers organization and categories) changed, so the incremental
/// refresh re-evaluates exactly those.
fn reevaluate(
    store: &mut Store,
    names: &[&str],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), EngineError> {
    if names.is_empty() {
        return Ok(());
    }
    evaluate::refresh_latest_evaluations(store, now)
}

/// Writes planned changes in one transaction and evaluates what a scope change touched.
pub(crate) fn commit(store: &mut Store, planned: &[Planned]) -> Result<(u32, u32), EngineError> {
    let clock = chrono::Utc::now();
    let now = rfc3339(clock);
    // Organizations named for the first time are created under the root.
    let counts = store.transaction(|tx| {
        let (mut created, mut updated) = (0, 0);
        for plan in planned {
            let mut fields = plan.fields.clone();
            fields.organization = match &fields.organization {
                Some(org) => ensure_organization(tx, org, &now)?,
                None => None,
            };
            match plan.id {
                Some(id) => {
                    write_application_profile(tx, id, &fields)?;
                    updated += 1;
                }
                None => {
                    create_application(tx, &plan.name, &fields, &now)?;
                    created += 1;
                }
            }
        }
        Ok((created, updated))
    })?;
    let touched: Vec<&str> = planned
        .iter()
        .filter(|p| p.reevaluate)
        .map(|p| p.name.as_str())
        .collect();
    reevaluate(store, &touched, clock)?;
    Ok(counts)
}

/// Public ids in use → the (lower-cased) name of the application holding each.
pub(crate) fn public_ids(apps: &[ApplicationRow]) -> HashMap<String, String> {
    apps.iter()
        .filter(|a| !a.public_id.is_empty())
        .map(|a| (a.public_id.clone(), a.name.to_lowercase()))
        .collect()
}

pub(crate) fn monitor_new_applications(store: &Store) -> Result<bool, EngineError> {
    Ok(store.setting(MONITOR_NEW_APPLICATIONS)?.unwrap_or(true))
}

/// Which of an application's scans (newest first, any stage) monitoring watches: the rule of
/// [`crate::monitor::select_watched`] over those at its stage.
pub(crate) fn watched(app: &ApplicationRow, scans: &[vigil_store::ScanRow]) -> Vec<i64> {
    crate::monitor::select_watched(
        app,
        scans
            .iter()
            .filter(|s| s.stage == app.monitored_stage)
            .map(|s| (s.id, s.version_label.as_deref())),
    )
}

impl Engine {
    /// One application's profile.
    pub fn application_profile(&self, name: &str) -> Result<api::ApplicationProfile, EngineError> {
        let store = self.store()?;
        let app = store.application(name)?.ok_or_else(|| not_found(name))?;
        let contacts = store.contacts(app.id)?;
        Ok(profile(app, contacts, &Portfolio::load(&store)?))
    }

    /// Changes an application (creating it when new); returns its profile. Every field is
    /// checked first: on an error nothing changes.
    pub fn update_application(
        &self,
        name: &str,
        update: &api::ApplicationUpdate,
    ) -> Result<api::ApplicationProfile, EngineError> {
        let mut store = self.store()?;
        let portfolio = Portfolio::load(&store)?;
        let current = store.application(name.trim())?;
        let contacts = match &current {
            Some(app) => store.contacts(app.id)?,
            None => Vec::new(),
        };
        let ids = public_ids(&store.applications()?);
        let planned = validate::plan(
            name,
            current.as_ref().map(|app| (app, contacts.as_slice())),
            update,
            &portfolio,
            &ids,
            monitor_new_applications(&store)?,
        )
        .map_err(EngineError::InvalidInput)?;
        let name = planned.name.clone();
        commit(&mut store, std::slice::from_ref(&planned))?;
        self.application_profile(&name)
    }

    /// Creates or updates applications from a CSV file with a header row: all rows or none.
    pub fn import_applications_csv(
        &self,
        path: &Path,
    ) -> Result<api::AppsImportReport, EngineError> {
        csv_import::import(self, path)
    }

    /// The scans of an application, newest first.
    pub fn application_scans(&self, name: &str) -> Result<Vec<api::ScanSummary>, EngineError> {
        let store = self.store()?;
        let app = store.application(name)?.ok_or_else(|| not_found(name))?;
        let scans = store.application_scans(app.id)?;
        let watched = watched(&app, &scans);
        Ok(scans
            .into_iter()
            .map(|s| api::ScanSummary {
                watched: watched.contains(&s.id),
                id: s.id,
                stage: s.stage,
                version_label: s.version_label,
                created_at: s.created_at,
                components: s.components,
                sources: s.sources,
            })
            .collect())
    }

    /// The organization tree, parents before children (children by name).
    pub fn organizations(&self) -> Result<Vec<api::OrganizationDto>, EngineError> {
        let store = self.store()?;
        let portfolio = Portfolio::load(&store)?;
        let orgs = portfolio.organizations();
        let mut children: HashMap<Option<i64>, Vec<&vigil_store::OrganizationRow>> = HashMap::new();
        for org in orgs {
            children.entry(org.parent_id).or_default().push(org);
        }
        for list in children.values_mut() {
            list.sort_by_key(|o| o.name.to_lowercase());
        }
        let mut out = Vec::new();
        let mut stack: Vec<&vigil_store::OrganizationRow> =
            children.get(&None).cloned().unwrap_or_default();
        stack.reverse();
        let mut seen = std::collections::HashSet::new();
        while let Some(org) = stack.pop() {
            if !seen.insert(org.id) {
                continue;
            }
            out.push(api::OrganizationDto {
                name: org.name.clone(),
                parent: org
                    .parent_id
                    .and_then(|id| portfolio.by_id(id))
                    .map(|p| p.name.clone()),
                monitoring_on: org.monitoring_on,
                applications: org.applications,
            });
            if let Some(kids) = children.get(&Some(org.id)) {
                stack.extend(kids.iter().rev());
            }
        }
        Ok(out)
    }

    /// Creates or changes an organization (`parent` `None`: under the root, or unchanged).
    /// The parent must exist and may not lie below it; `monitoring_on` `None` leaves it (or, for
    /// a new one, inherits).
    pub fn save_organization(
        &self,
        name: &str,
        parent: Option<&str>,
        monitoring_on: Option<bool>,
    ) -> Result<api::OrganizationDto, EngineError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(EngineError::InvalidInput(
                "an organization needs a name".into(),
            ));
        }
        validate::limit("organization", name, validate::MAX_NAME)
            .map_err(EngineError::InvalidInput)?;
        let mut store = self.store()?;
        let portfolio = Portfolio::load(&store)?;
        let parent_row = match parent.map(str::trim) {
            Some(p) => Some(
                portfolio
                    .org(Some(p))
                    .filter(|_| !p.is_empty())
                    .ok_or_else(|| {
                        EngineError::InvalidInput(format!(
                    "parent {p:?}: no organization of that name (add it first with vigil orgs add)"
                ))
                    })?,
            ),
            None => None,
        };
        let existing = portfolio
            .org(Some(name))
            .filter(|o| o.name.eq_ignore_ascii_case(name));
        let existing = if name.eq_ignore_ascii_case(ROOT_NAME) {
            portfolio.by_id(ROOT_ID)
        } else {
            existing
        };
        let now = rfc3339(chrono::Utc::now());
        match existing {
            Some(org) => {
                let parent_id = match parent_row {
                    Some(p) if org.id == ROOT_ID => {
                        return Err(EngineError::InvalidInput(format!(
                            "parent {:?}: the root organization has no parent",
                            p.name
                        )))
                    }
                    Some(p) => {
                        if portfolio
                            .lineage(Some(&p.name))
                            .iter()
                            .any(|o| o.id == org.id)
                        {
                            return Err(EngineError::InvalidInput(format!(
                                "parent {:?}: it lies within {} (or is it), which would make a cycle",
                                p.name, org.name
                            )));
                        }
                        Some(p.id)
                    }
                    None => org.parent_id,
                };
                let on = monitoring_on.unwrap_or(org.monitoring_on);
                let id = org.id;
                store.transaction(|tx| update_organization(tx, id, parent_id, on))?;
            }
            None => {
                let parent_id = parent_row.map_or(ROOT_ID, |p| p.id);
                let on = monitoring_on.unwrap_or(false);
                store.transaction(|tx| insert_organization(tx, name, parent_id, on, &now))?;
            }
        }
        self.organizations()?
            .into_iter()
            .find(|o| o.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| EngineError::NotFound(format!("the organization {name:?} vanished")))
    }

    /// Whether an application created by its first scan is monitored (default: yes).
    pub fn monitor_new_applications(&self) -> Result<bool, EngineError> {
        monitor_new_applications(&self.store()?)
    }

    pub fn set_monitor_new_applications(&self, on: bool) -> Result<(), EngineError> {
        Ok(self.store()?.set_setting(MONITOR_NEW_APPLICATIONS, &on)?)
    }
}

#[cfg(test)]
mod tests;
