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

/// When each ecosystem's data was last known current: the newer of its last import and its
/// last successful sync. Only ecosystems that ever had data are listed. No counting, so that
/// every evaluation can afford it (counting a 300k-record store takes seconds).
pub(crate) fn checked_times(store: &Store) -> Result<Vec<(String, DateTime<Utc>)>, EngineError> {
    let mut out = Vec::new();
    for (ecosystem, imported_at) in store.ecosystem_imports()? {
        let last_sync = store.sync_state(&ecosystem)?.and_then(|s| s.last_success);
        if let Some(at) = newest(Some(&imported_at), last_sync.as_deref()) {
            out.push((ecosystem, at));
        }
    }
    Ok(out)
}

/// The data age for these ecosystems (OSV names), in their order.
pub(crate) fn freshness<'a>(
    store: &Store,
    ecosystems: impl IntoIterator<Item = &'a str>,
    now: DateTime<Utc>,
) -> Result<api::DataFreshness, EngineError> {
    let checked = checked_times(store)?;
    let max_age_hours = crate::settings::advisory_data_max_age_hours(store)?;
    let wanted: BTreeSet<&str> = ecosystems.into_iter().collect();
    let ecosystems = wanted
        .into_iter()
        .map(|ecosystem| {
            let checked_at = checked
                .iter()
                .find(|(name, _)| name == ecosystem)
                .map(|(_, at)| *at);
            let age_seconds = checked_at.map(|at| age_seconds(at, now));
            api::EcosystemFreshness {
                ecosystem: ecosystem.to_string(),
                stale: age_seconds.is_none_or(|age| is_stale(age, max_age_hours)),
                age_seconds,
                checked_at: checked_at.map(crate::rfc3339),
            }
        })
        .collect();
    Ok(api::DataFreshness {
        ecosystems,
        max_age_hours,
    })
}

fn is_stale(age_seconds: u32, max_age_hours: u32) -> bool {
    u64::from(age_seconds) > u64::from(max_age_hours) * 3600
}

/// `3 days`, `5 hours`, `12 minutes`: the unit a reader thinks in at that age.
pub fn human_age(seconds: u32) -> String {
    let plural = |n: u32, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    match seconds {
        s if s >= 86_400 => plural(s / 86_400, "day"),
        s if s >= 3_600 => plural(s / 3_600, "hour"),
        s => plural((s / 60).max(1), "minute"),
    }
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
    fn data_is_stale_only_past_the_limit_and_says_its_age_in_the_readers_unit() {
        assert!(!is_stale(48 * 3600, 48));
        assert!(is_stale(48 * 3600 + 1, 48));
        assert!(!is_stale(u32::MAX, u32::MAX));
        assert_eq!(human_age(3 * 86_400 + 7), "3 days");
        assert_eq!(human_age(86_400), "1 day");
        assert_eq!(human_age(5 * 3600), "5 hours");
        assert_eq!(human_age(30), "1 minute");
    }

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
