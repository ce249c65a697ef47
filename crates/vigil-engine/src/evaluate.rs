//! Evaluating stored scans: components × advisories × licenses × policies × waivers →
//! violations, stored with the advisory data they were judged by.

use vigil_model::Stage;
use vigil_policy::{evaluate, EvaluationContext, LicenseGroups, Policy, Violation, Waiver};
use vigil_store::{
    applications::{insert_evaluation, NewEvaluation},
    ApplicationRow, Store,
};

use crate::{matcher::Matcher, rfc3339, EngineError};

/// What evaluation judges with besides the components, loaded once per operation.
pub struct Rules {
    pub policies: Vec<Policy>,
    pub groups: LicenseGroups,
    pub waivers: Vec<Waiver>,
    pub today: chrono::NaiveDate,
}

impl Rules {
    pub fn load(store: &Store, now: chrono::DateTime<chrono::Utc>) -> Result<Rules, EngineError> {
        Ok(Rules {
            policies: store.policies()?,
            groups: store.license_groups()?,
            waivers: store.waivers()?.into_iter().map(|row| row.waiver).collect(),
            today: now.date_naive(),
        })
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

/// Re-evaluates the latest scan (at its monitored stage) of every application and stores the
/// results: after new advisory data, a policy change or a waiver change.
pub fn refresh_latest_evaluations(
    store: &mut Store,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), EngineError> {
    let generation = store.advisory_generation()?;
    let snapshot = advisory_snapshot(store)?;
    let rules = Rules::load(store, now)?;
    let mut results = Vec::new();
    {
        let mut matcher = Matcher::new(store);
        for app in store.applications()? {
            if let Some(scan_id) = app.last_scan_id {
                let violations = rules.evaluate_scan(&mut matcher, store, &app, scan_id)?;
                let stage = app.monitored_stage.parse::<Stage>().ok();
                results.push((scan_id, stage, violations));
            }
        }
    }
    let now = rfc3339(now);
    store.transaction(|tx| {
        for (scan_id, stage, violations) in &results {
            insert_evaluation(
                tx,
                &NewEvaluation {
                    scan_id: *scan_id,
                    evaluated_at: &now,
                    advisory_generation: generation,
                    stage: *stage,
                    advisory_snapshot: &snapshot,
                    violations,
                },
            )?;
        }
        Ok(())
    })?;
    Ok(())
}
