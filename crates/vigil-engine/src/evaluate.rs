//! Evaluating stored scans against the current advisories.

use vigil_policy::{any_known_vulnerability, evaluate, Policy, Violation};
use vigil_store::{applications::insert_evaluation, Store};

use crate::{matcher::Matcher, rfc3339, EngineError};

/// The policies in force. Only the built-in one exists until policies become configurable.
pub fn policies() -> Vec<Policy> {
    vec![any_known_vulnerability()]
}

/// Violations of one scan under the current advisories.
pub fn evaluate_scan(
    matcher: &mut Matcher<'_>,
    store: &Store,
    scan_id: i64,
) -> Result<Vec<Violation>, EngineError> {
    let components = store.scan_components(scan_id)?;
    let facts = matcher.facts(&components)?;
    Ok(evaluate(&policies(), &facts))
}

/// Re-evaluates the latest scan of every application and stores the results.
pub fn refresh_latest_evaluations(
    store: &mut Store,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), EngineError> {
    let generation = store.advisory_generation()?;
    let mut results = Vec::new();
    {
        let mut matcher = Matcher::new(store);
        for app in store.applications()? {
            if let Some(scan_id) = app.last_scan_id {
                results.push((scan_id, evaluate_scan(&mut matcher, store, scan_id)?));
            }
        }
    }
    let now = rfc3339(now);
    store.transaction(|tx| {
        for (scan_id, violations) in &results {
            insert_evaluation(tx, *scan_id, &now, generation, violations)?;
        }
        Ok(())
    })?;
    Ok(())
}
