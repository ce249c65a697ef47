//! Policies and license groups: listing, editing, and policies as code.

use std::collections::BTreeMap;

use vigil_policy::{yaml, Policy, PolicySet};
use vigil_store::policies::{delete_policy, replace_license_groups, replace_policies, save_policy};

use crate::{api, evaluate, Engine, EngineError};

impl Engine {
    /// The policies in the user's order, and the license threat groups.
    pub fn policies(&self) -> Result<api::PoliciesView, EngineError> {
        let store = self.store()?;
        Ok(api::PoliciesView {
            policies: store.policies()?,
            license_groups: store.license_groups()?,
        })
    }

    /// Creates a policy (`original` = `None`) or replaces the one named `original` (renaming
    /// it keeps its place), then re-evaluates every application's latest scan.
    pub fn save_policy(&self, original: Option<&str>, policy: Policy) -> Result<(), EngineError> {
        let mut store = self.store()?;
        let mut policies = store.policies()?;
        match original {
            Some(original) => {
                let index = policies
                    .iter()
                    .position(|p| p.name == original)
                    .ok_or_else(|| {
                        EngineError::NotFound(format!("no policy named {original:?}"))
                    })?;
                policies[index] = policy.clone();
            }
            None => policies.push(policy.clone()),
        }
        validate(&policies)?;
        store.transaction(|tx| save_policy(tx, original, &policy).map(|_| ()))?;
        evaluate::refresh_latest_evaluations(&mut store, chrono::Utc::now())
    }

    /// Switches a policy on or off without otherwise touching it.
    pub fn set_policy_enabled(&self, name: &str, enabled: bool) -> Result<(), EngineError> {
        let store = self.store()?;
        let mut policy = store
            .policies()?
            .into_iter()
            .find(|p| p.name == name)
            .ok_or_else(|| EngineError::NotFound(format!("no policy named {name:?}")))?;
        policy.enabled = enabled;
        self.save_policy(Some(name), policy)
    }

    pub fn delete_policy(&self, name: &str) -> Result<(), EngineError> {
        let mut store = self.store()?;
        if !store.transaction(|tx| delete_policy(tx, name))? {
            return Err(EngineError::NotFound(format!("no policy named {name:?}")));
        }
        evaluate::refresh_latest_evaluations(&mut store, chrono::Utc::now())
    }

    /// Every policy and the license groups as the documented YAML file.
    pub fn export_policies(&self) -> Result<String, EngineError> {
        let store = self.store()?;
        Ok(yaml::to_yaml(&PolicySet {
            version: 1,
            policies: store.policies()?,
            license_groups: Some(store.license_groups()?),
        }))
    }

    /// Makes the stored policies exactly those of a policies file (and its license groups,
    /// when it has them). Nothing changes unless the whole file is valid; the error lists
    /// every problem with its line, prefixed by `source` (the file name).
    pub fn import_policies(
        &self,
        text: &str,
        source: &str,
    ) -> Result<api::PolicyImportReport, EngineError> {
        let set = yaml::from_yaml(text).map_err(|errors| {
            EngineError::InvalidInput(
                errors
                    .iter()
                    .map(|e| format!("{source}: {e}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        })?;
        let mut store = self.store()?;
        let before: BTreeMap<String, Policy> = store
            .policies()?
            .into_iter()
            .map(|p| (p.name.clone(), p))
            .collect();
        let mut report = api::PolicyImportReport {
            added: Vec::new(),
            changed: Vec::new(),
            removed: Vec::new(),
            unchanged: 0,
            license_groups: set.license_groups.is_some(),
        };
        for policy in &set.policies {
            match before.get(&policy.name) {
                None => report.added.push(policy.name.clone()),
                Some(old) if old != policy => report.changed.push(policy.name.clone()),
                Some(_) => report.unchanged += 1,
            }
        }
        report.removed = before
            .keys()
            .filter(|name| !set.policies.iter().any(|p| &&p.name == name))
            .cloned()
            .collect();
        store.transaction(|tx| {
            replace_policies(tx, &set.policies)?;
            if let Some(groups) = &set.license_groups {
                replace_license_groups(tx, groups)?;
            }
            Ok(())
        })?;
        evaluate::refresh_latest_evaluations(&mut store, chrono::Utc::now())?;
        Ok(report)
    }
}

impl Engine {
    /// Adds the licenses of an SPDX `licenses.json` (a newer list than Vigil knows) to the
    /// threat groups, grouped by the same rules as the defaults. Licenses already grouped keep
    /// their group: the user may have moved them. Returns how many were added.
    pub fn import_license_list(&self, text: &str, source: &str) -> Result<u32, EngineError> {
        let listed = vigil_policy::license_groups_from_spdx_list(text)
            .map_err(|e| EngineError::Unreadable(format!("{source}: {e}")))?;
        let mut store = self.store()?;
        let mut groups = store.license_groups()?;
        let mut added = 0;
        for (id, group) in listed.licenses {
            if let std::collections::btree_map::Entry::Vacant(slot) = groups.licenses.entry(id) {
                slot.insert(group);
                added += 1;
            }
        }
        if added > 0 {
            store.transaction(|tx| replace_license_groups(tx, &groups))?;
            evaluate::refresh_latest_evaluations(&mut store, chrono::Utc::now())?;
        }
        Ok(added)
    }

    /// Sets an application's organization and categories, which policy and waiver scopes
    /// match; `None` leaves that one as it is. Re-evaluates at once.
    pub fn set_application_details(
        &self,
        name: &str,
        organization: Option<&str>,
        categories: Option<&[String]>,
    ) -> Result<api::ApplicationSummary, EngineError> {
        let mut store = self.store()?;
        let app = store
            .application(name)?
            .ok_or_else(|| EngineError::NotFound(format!("no application named {name:?}")))?;
        let mut cleaned: Option<Vec<String>> = categories.map(|c| {
            c.iter()
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect()
        });
        if let Some(list) = &mut cleaned {
            list.sort();
            list.dedup();
        }
        store.transaction(|tx| {
            vigil_store::applications::set_application_details(
                tx,
                app.id,
                organization,
                cleaned.as_deref(),
            )
        })?;
        evaluate::refresh_latest_evaluations(&mut store, chrono::Utc::now())?;
        let app = store
            .application(name)?
            .ok_or_else(|| EngineError::NotFound(format!("no application named {name:?}")))?;
        Ok(crate::portfolio::SummaryFacts::load(&store)?.summary(app))
    }
}

/// The same checks as a policies file gets, so that the editor cannot store what an import
/// would refuse.
fn validate(policies: &[Policy]) -> Result<(), EngineError> {
    let errors = vigil_policy::yaml::validate_policies(policies);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(EngineError::InvalidInput(errors.join("\n")))
    }
}
