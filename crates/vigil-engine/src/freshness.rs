//! How old the advisory data is: offline is a normal state, so every evaluation says how
//! current the data behind it was, per ecosystem.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use vigil_store::Store;

use crate::{api, EngineError};

/// Every ecosystem with advisory data or a sync on record, with its counts, sync state and age.
pub(crate) fn ecosystem_statuses(
    store: &Store,
    now: DateTime<Utc>,
) -> Result<Vec<api::EcosystemStatus>, EngineError> {
    let mut statuses: Vec<api::EcosystemStatus> = store
        .ecosystem_counts()?
        .into_iter()
        .map(|count| api::EcosystemStatus {
            matched: vigil_model::Ecosystem::from_osv(&count.ecosystem).is_some(),
            ecosystem: count.ecosystem,
            advisories: count.advisories,
            withdrawn: count.withdrawn,
            imported_at: count.imported_at,
            last_sync: None,
            last_error: None,
            age_seconds: None,
        })
        .collect();
    for ecosystem in store.synced_ecosystems()? {
        let Some(state) = store.sync_state(&ecosystem)? else {
            continue;
        };
        let index = match statuses.iter().position(|s| s.ecosystem == ecosystem) {
            Some(index) => index,
            None => {
                // Synced, but every attempt failed so far: listed, with its error and no data.
                statuses.push(api::EcosystemStatus {
                    matched: vigil_model::Ecosystem::from_osv(&ecosystem).is_some(),
                    ecosystem: ecosystem.clone(),
                    advisories: 0,
                    withdrawn: 0,
                    imported_at: None,
                    last_sync: None,
                    last_error: None,
                    age_seconds: None,
                });
                statuses.len() - 1
            }
        };
        statuses[index].last_sync = state.last_success;
        statuses[index].last_error = state.last_error;
    }
    for status in &mut statuses {
        let checked = newest(status.imported_at.as_deref(), status.last_sync.as_deref());
        status.age_seconds = checked.map(|at| age_seconds(at, now));
    }
    statuses.sort_by(|a, b| a.ecosystem.cmp(&b.ecosystem));
    Ok(statuses)
}

/// The data age for these ecosystems (OSV names), in their order.
pub(crate) fn freshness<'a>(
    store: &Store,
    ecosystems: impl IntoIterator<Item = &'a str>,
    now: DateTime<Utc>,
) -> Result<api::DataFreshness, EngineError> {
    let statuses = ecosystem_statuses(store, now)?;
    let wanted: BTreeSet<&str> = ecosystems.into_iter().collect();
    let ecosystems = wanted
        .into_iter()
        .map(|ecosystem| {
            let status = statuses
                .iter()
                .find(|s| s.ecosystem == ecosystem && s.advisories > 0);
            let checked_at =
                status.and_then(|s| newest(s.imported_at.as_deref(), s.last_sync.as_deref()));
            api::EcosystemFreshness {
                ecosystem: ecosystem.to_string(),
                age_seconds: checked_at.map(|at| age_seconds(at, now)),
                checked_at: checked_at.map(|at| crate::rfc3339(at)),
            }
        })
        .collect();
    Ok(api::DataFreshness { ecosystems })
}

fn newest(a: Option<&str>, b: Option<&str>) -> Option<DateTime<Utc>> {
    let parse = |s: &str| {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    };
    match (a.and_then(parse), b.and_then(parse)) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

fn age_seconds(at: DateTime<Utc>, now: DateTime<Utc>) -> u32 {
    (now - at).num_seconds().clamp(0, i64::from(u32::MAX)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newer_of_import_and_sync_counts() {
        let a = Some("2026-01-01T00:00:00Z");
        let b = Some("2026-02-01T00:00:00Z");
        assert_eq!(
            newest(a, b).unwrap().to_rfc3339(),
            "2026-02-01T00:00:00+00:00"
        );
        assert_eq!(
            newest(None, a).unwrap().to_rfc3339(),
            "2026-01-01T00:00:00+00:00"
        );
        assert_eq!(newest(None, None), None);
    }
}
