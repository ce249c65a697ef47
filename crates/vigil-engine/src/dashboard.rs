//! The dashboard: a handful of aggregate queries and bounded lists, so that it opens as fast
//! at 1,000 applications × 1,000 components as on a laptop's first day. It never loads an
//! inventory or a violation's details beyond the ten it shows.

use vigil_store::{dashboard::RunOpenRow, notifications::DeliveryQuery, Store, ThreatBands};

use crate::{api, history::run_summary, monitor::describe, Engine, EngineError};

/// How many runs the chart shows, top items and risk rows the lists show.
const CHART_RUNS: u32 = 30;
const TOP_ITEMS: u32 = 10;
const TOP_RISKS: usize = 10;
const RECENT_FAILURES: u32 = 5;

/// The weight of an application's priority tier in its risk score.
pub fn tier_weight(tier: &str) -> u32 {
    match tier {
        "critical" => 4,
        "high" => 3,
        "medium" => 2,
        "low" => 1,
        // The schema allows only the four; an unknown one counts as the default tier.
        _ => 2,
    }
}

fn counts(bands: ThreatBands) -> api::ThreatCounts {
    api::ThreatCounts {
        critical: bands.critical,
        severe: bands.severe,
        moderate: bands.moderate,
        low: bands.low,
    }
}

fn plural(n: u32, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// Ranks applications by risk (see [`api::RiskEntry`]): `levels` is each application's open
/// violations per threat level, highest first. Pure.
pub fn rank_risk<'a>(
    apps: impl IntoIterator<Item = (&'a str, &'a str, &'a [(u8, u32)])>,
    limit: usize,
) -> Vec<api::RiskEntry> {
    let mut out: Vec<api::RiskEntry> = apps
        .into_iter()
        .filter_map(|(name, tier, levels)| {
            let &(top, at_top) = levels.iter().max_by_key(|(level, _)| *level)?;
            let weight = tier_weight(tier);
            Some(api::RiskEntry {
                application: name.to_string(),
                tier: tier.to_string(),
                score: weight * u32::from(top),
                weight,
                top_threat_level: top,
                at_top,
                open: levels.iter().map(|(_, n)| n).sum(),
                reason: format!(
                    "tier {tier} (×{weight}) × threat level {top} ({})",
                    plural(at_top, "violation")
                ),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(b.top_threat_level.cmp(&a.top_threat_level))
            .then(b.at_top.cmp(&a.at_top))
            .then(b.open.cmp(&a.open))
            .then_with(|| a.application.to_lowercase().cmp(&b.application.to_lowercase()))
    });
    out.truncate(limit);
    out
}

fn top_items(store: &Store, run_id: i64) -> Result<Vec<api::DashboardItem>, EngineError> {
    Ok(store
        .run_alerts_by_threat(run_id, &["new", "changed"], TOP_ITEMS)?
        .into_iter()
        .map(|alert| {
            // A damaged list of changes reads as none rather than hiding the item.
            let changes: Vec<api::ChangeNote> =
                serde_json::from_str(&alert.changes).unwrap_or_default();
            api::DashboardItem {
                kind: alert.kind.to_uppercase(),
                application: alert.application,
                policy: alert.policy,
                purl: alert.purl,
                condition_key: alert.condition_key,
                threat_level: alert.threat_level,
                advisories: alert.details.advisories.iter().map(|a| a.id.clone()).collect(),
                summary: alert.details.summary,
                changed: changes.iter().map(describe).collect(),
            }
        })
        .collect())
}

fn deliveries(store: &Store) -> Result<api::DeliveryHealth, EngineError> {
    let counts = store.delivery_counts()?;
    let recent_failures = store
        .deliveries(&DeliveryQuery {
            status: Some("failed"),
            limit: Some(RECENT_FAILURES),
            ..Default::default()
        })?
        .into_iter()
        .map(|d| api::FailedDelivery {
            id: d.id,
            channel: d.channel,
            title: d.title,
            last_answer: d.last_answer,
            at: d.last_attempt_at.unwrap_or(d.created_at),
        })
        .collect();
    Ok(api::DeliveryHealth {
        pending: counts.pending,
        failed: counts.failed,
        recent_failures,
    })
}

impl Engine {
    /// The dashboard as of `now` (coverage's staleness is measured from it).
    pub fn dashboard(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<api::DashboardDto, EngineError> {
        let store = self.store()?;
        let last_run = store.runs(1)?.into_iter().next().map(run_summary);
        let top_items = match &last_run {
            Some(run) => top_items(&store, run.id)?,
            None => Vec::new(),
        };
        let mut runs: Vec<RunOpenRow> = store.run_open_bands(CHART_RUNS)?;
        runs.reverse();
        let coverage = crate::coverage::report(&store, now)?;
        let not_monitored = coverage
            .gaps
            .iter()
            .filter(|g| matches!(g.gap, api::CoverageGapKind::NotMonitored { .. }))
            .count() as u32;
        let levels = store.open_threat_levels()?;
        let apps = store.applications()?;
        let risk = rank_risk(
            apps.iter().filter_map(|app| {
                levels
                    .get(&app.id)
                    .map(|l| (app.name.as_str(), app.tier.as_str(), l.as_slice()))
            }),
            TOP_RISKS,
        );
        let onboarding = api::Onboarding {
            advisory_data: !store.ecosystem_imports()?.is_empty(),
            applications: !apps.is_empty(),
            channel: store.channels()?.iter().any(|c| c.kind != "desktop"),
        };
        Ok(api::DashboardDto {
            last_run,
            top_items,
            runs: runs
                .into_iter()
                .map(|r| api::RunOpenViolations {
                    run: r.id,
                    trigger: r.trigger,
                    started_at: r.started_at,
                    open: r.open.map(counts),
                })
                .collect(),
            coverage: api::DashboardCoverage {
                applications: coverage.applications,
                monitored: coverage.monitored,
                must_be_monitored: coverage.must_be_monitored,
                covered: coverage.must_be_monitored.saturating_sub(not_monitored),
                gaps: coverage.gaps.len() as u32,
            },
            risk,
            deliveries: deliveries(&store)?,
            onboarding,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn risk_is_the_tier_weight_times_the_highest_open_threat_level() {
        let licenses = [(1u8, 700u32)];
        let criticals = [(9u8, 3u32), (4, 1)];
        let medium_nine = [(9u8, 1u32)];
        let medium_nine_more = [(9u8, 2u32)];
        let ranked = rank_risk(
            [
                ("licenses", "critical", &licenses[..]),
                ("payments", "low", &criticals[..]),
                ("shop", "medium", &medium_nine[..]),
                ("portal", "medium", &medium_nine_more[..]),
                ("clean", "critical", &[][..]),
            ],
            10,
        );
        let order: Vec<(&str, u32)> = ranked
            .iter()
            .map(|r| (r.application.as_str(), r.score))
            .collect();
        // 700 low findings in a critical application (4 × 1) stay below one 9 anywhere;
        // at equal scores, more violations at the top level go first; nothing open, no row.
        assert_eq!(
            order,
            [("portal", 18), ("shop", 18), ("payments", 9), ("licenses", 4)]
        );
        assert_eq!(ranked[2].open, 4);
        assert_eq!(ranked[2].reason, "tier low (×1) × threat level 9 (3 violations)");
        assert_eq!(rank_risk([("a", "high", &criticals[..])], 0).len(), 0);
    }
}
