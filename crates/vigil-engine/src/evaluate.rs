//! Evaluating stored scans: components × advisories × licenses × policies × waivers →
//! violations, stored with the advisory data they were judged by.

use vigil_model::Stage;
use vigil_policy::{evaluate, EvaluationContext, LicenseGroups, Policy, Violation, Waiver};
use vigil_store::{
    applications::{insert_evaluation, NewEvaluation},
    ApplicationRow, EvaluationStamp, Store,
};

use crate::{matcher::Matcher, rfc3339, EngineError};

/// What evaluation judges with besides the components, loaded once per operation.
pub struct Rules {
    pub policies: Vec<Policy>,
    pub groups: LicenseGroups,
    pub waivers: Vec<Waiver>,
    pub today: chrono::NaiveDate,
    /// Digest of everything above that can change a result (waivers by whether they are in
    /// force today), see [`Rules::hash_for`].
    digest: sha2::Sha256,
}

impl Rules {
    pub fn load(store: &Store, now: chrono::DateTime<chrono::Utc>) -> Result<Rules, EngineError> {
        use sha2::Digest;
        let policies = store.policies()?;
        let groups = store.license_groups()?;
        let waivers: Vec<Waiver> = store.waivers()?.into_iter().map(|row| row.waiver).collect();
        let today = now.date_naive();
        // Debug output is exact and covers every field; should it differ between Vigil
        // versions, the cost is one re-evaluation, never a stale result (the version is in it).
        let mut digest = sha2::Sha256::new();
        digest.update(env!("CARGO_PKG_VERSION"));
        digest.update(format!("{policies:?}\n{groups:?}\n"));
        for waiver in waivers.iter().filter(|w| w.in_force(today)) {
            digest.update(format!("{waiver:?}\n"));
        }
        Ok(Rules {
            policies,
            groups,
            waivers,
            today,
            digest,
        })
    }

    /// What an evaluation of `app` is judged with besides the advisory data and the scan:
    /// the rules and the application's scope facts. Stored with each evaluation; equal hashes
    /// mean equal rules.
    pub fn hash_for(&self, app: &ApplicationRow) -> String {
        use sha2::Digest;
        let mut digest = self.digest.clone();
        digest.update(format!(
            "{}\n{:?}\n{:?}",
            app.name.to_lowercase(),
            app.organization,
            app.categories
        ));
        digest
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The action of `policy` at `stage` (a policy deleted since is `None`).
    pub fn action(&self, policy: &str, stage: Stage) -> Option<vigil_policy::Action> {
        action_at(&self.policies, policy, stage)
    }

    /// Violations of one scan of `app`, waived ones included (marked).
    pub fn evaluate_scan(
        &self,
        matcher: &mut Matcher<'_>,
        store: &Store,
        app: &ApplicationRow,
        scan_id: i64,
    ) -> Result<Vec<Violation>, EngineError> {
        let components = store.scan_components(scan_id)?;
        let mut facts = matcher.facts(&components)?;
        facts.extend(
            store
                .scan_unidentified(scan_id)?
                .iter()
                .map(crate::matcher::unidentified_facts),
        );
        let context = EvaluationContext {
            application: app.name.clone(),
            organization: app.organization.clone(),
            categories: app.categories.clone(),
            today: self.today,
        };
        Ok(evaluate(
            &self.policies,
            &self.groups,
            &facts,
            &self.waivers,
            &context,
        ))
    }
}

/// The action of the policy named `policy` at `stage`; `None` for a policy deleted since.
pub fn action_at(policies: &[Policy], policy: &str, stage: Stage) -> Option<vigil_policy::Action> {
    policies
        .iter()
        .find(|p| p.name == policy)
        .map(|p| p.actions.at(stage))
}

/// The advisory data an evaluation saw, as JSON: the generation, when each ecosystem's data
/// was last known current, and the KEV/EPSS versions. Stored with the evaluation, so that a result can be
/// explained later ("judged with PyPI data of 3 Nov").
pub fn advisory_snapshot(store: &Store) -> Result<String, EngineError> {
    let ecosystems: Vec<serde_json::Value> = crate::freshness::checked_times(store)?
        .into_iter()
        .map(|(ecosystem, at)| serde_json::json!({"ecosystem": ecosystem, "checked_at": rfc3339(at)}))
        .collect();
    let feeds: Vec<serde_json::Value> = store
        .feeds()?
        .into_iter()
        .map(|f| serde_json::json!({"name": f.name, "version": f.version}))
        .collect();
    Ok(serde_json::json!({
        "generation": store.advisory_generation()?,
        "ecosystems": ecosystems,
        "feeds": feeds,
    })
    .to_string())
}

/// Tells whether a stored evaluation is still current, from what it was judged with and which
/// packages advisory data touched since (the reverse index): a run whose inputs did not change
/// for a scan costs a look-up, not an evaluation.
pub struct Currency {
    stamps: std::collections::HashMap<i64, EvaluationStamp>,
    touched: std::collections::HashMap<i64, i64>,
    everything: Option<i64>,
}

impl Currency {
    pub fn load(store: &Store, rules: &Rules, apps: &[ApplicationRow]) -> Result<Currency, EngineError> {
        let stamps = store.evaluation_stamps()?;
        let generation = store.advisory_generation()?;
        // Only evaluations judged by today's rules can be current; the oldest of their
        // generations bounds which advisory changes matter.
        let hashes: std::collections::HashSet<String> =
            apps.iter().map(|app| rules.hash_for(app)).collect();
        let oldest = stamps
            .values()
            .filter(|s| hashes.contains(&s.rules_hash))
            .map(|s| s.advisory_generation)
            .min()
            .unwrap_or(generation);
        let (touched, everything) = if oldest < generation {
            store.touched_since(oldest)?
        } else {
            Default::default()
        };
        Ok(Currency {
            stamps,
            touched,
            everything,
        })
    }

    /// Holds no evaluation current: everything is evaluated afresh.
    pub fn none() -> Currency {
        Currency {
            stamps: Default::default(),
            touched: Default::default(),
            everything: None,
        }
    }

    /// The scan's current evaluation when it still holds under `rules_hash`.
    pub fn current(&self, scan_id: i64, rules_hash: &str) -> Option<&EvaluationStamp> {
        let stamp = self.stamps.get(&scan_id)?;
        let touched_after = |generation: Option<i64>| {
            generation.is_some_and(|g| g > stamp.advisory_generation)
        };
        (stamp.rules_hash == rules_hash
            && !touched_after(self.touched.get(&scan_id).copied())
            && !touched_after(self.everything))
        .then_some(stamp)
    }
}

/// Re-evaluates the latest scan (at its monitored stage) of every application whose stored
/// evaluation is no longer current, and stores the results: after new advisory data, a policy
/// or a waiver change. One application at a time, so memory does not grow with the portfolio;
/// all of it commits together.
pub fn refresh_latest_evaluations(
    store: &mut Store,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), EngineError> {
    let read = store.reopen()?;
    let generation = read.advisory_generation()?;
    let snapshot = advisory_snapshot(&read)?;
    let rules = Rules::load(&read, now)?;
    let apps = read.applications()?;
    let currency = Currency::load(&read, &rules, &apps)?;
    let now = rfc3339(now);
    let mut matcher = Matcher::new(&read);
    store.transaction_with(|tx| -> Result<(), EngineError> {
        for app in &apps {
            let Some(scan_id) = app.last_scan_id else {
                continue;
            };
            let hash = rules.hash_for(app);
            if currency.current(scan_id, &hash).is_some() {
                continue;
            }
            let violations = rules.evaluate_scan(&mut matcher, &read, app, scan_id)?;
            insert_evaluation(
                tx,
                &NewEvaluation {
                    scan_id,
                    evaluated_at: &now,
                    advisory_generation: generation,
                    stage: app.monitored_stage.parse::<Stage>().ok(),
                    advisory_snapshot: &snapshot,
                    rules_hash: &hash,
                    violations: &violations,
                },
            )?;
        }
        Ok(())
    })?;
    Ok(())
}
