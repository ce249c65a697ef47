//! Coverage: which applications monitoring covers, which it must cover (coverage rules), and
//! which it covers badly (never scanned, stale).

pub mod rules;

use vigil_store::{ApplicationRow, Store};

use crate::{
    api::{self, CoverageCondition},
    portfolio::{org_name, Portfolio},
    settings::{COVERAGE_RULES, DEFAULT_STALE_AFTER_DAYS, STALE_AFTER_DAYS},
    Engine, EngineError,
};

/// The applications a monitoring run covers: their own switch or an organization above that
/// turned monitoring on, minus those a coverage rule takes out of monitoring.
pub(crate) fn monitored_applications(store: &Store) -> Result<Vec<ApplicationRow>, EngineError> {
    let portfolio = Portfolio::load(store)?;
    Ok(store
        .applications()?
        .into_iter()
        .filter(|app| portfolio.monitoring(app).monitored)
        .collect())
}

/// What about an application made a rule hold, for people: `external, 12000 users`.
fn facts(rule: &api::CoverageRule, app: &ApplicationRow, portfolio: &Portfolio) -> String {
    let held: Vec<String> = rule
        .conditions
        .iter()
        .filter(|c| rules::holds(c, app, portfolio))
        .map(|c| match c {
            CoverageCondition::Exposure(_) => app.exposure.clone(),
            CoverageCondition::Hosting(_) => app.hosting.clone(),
            CoverageCondition::Tier(_) => format!("tier {}", app.tier),
            CoverageCondition::Status(_) => app.status.clone(),
            CoverageCondition::UsersAtLeast(_) => format!("{} users", app.users.unwrap_or(0)),
            CoverageCondition::Organization(_) => {
                format!("in {}", org_name(app.organization.as_deref()))
            }
            CoverageCondition::Category(v) => format!("category {v}"),
        })
        .collect();
    held.join(", ")
}

/// Every application that should be monitored and is not, whose watched stage was never
/// scanned, or whose latest scan is older than the stale limit (the Coverage view and the
/// dashboard's gauge).
pub(crate) fn report(
    store: &Store,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<api::CoverageReport, EngineError> {
    let portfolio = Portfolio::load(store)?;
    let stale_after_days: u32 = store
        .setting(STALE_AFTER_DAYS)?
        .unwrap_or(DEFAULT_STALE_AFTER_DAYS);
    let apps = store.applications()?;
    let mut report = api::CoverageReport {
        rules: portfolio.rules.iter().map(rules::sentence).collect(),
        stale_after_days,
        applications: apps.len() as u32,
        monitored: 0,
        must_be_monitored: 0,
        gaps: Vec::new(),
    };
    for app in &apps {
        let monitoring = portfolio.monitoring(app);
        let gap = |gap: api::CoverageGapKind, message: String| api::CoverageGap {
            application: app.name.clone(),
            organization: org_name(app.organization.as_deref()),
            tier: app.tier.clone(),
            gap,
            message,
        };
        if let Some(rule) = portfolio.must_monitor(app) {
            report.must_be_monitored += 1;
            if !monitoring.monitored {
                let sentence = rules::sentence(rule);
                let why = monitoring
                    .because
                    .map(|b| format!(" ({b})"))
                    .unwrap_or_default();
                let message = format!(
                    "{}: must be monitored (rule {sentence}), is not{why}",
                    facts(rule, app, &portfolio)
                );
                report.gaps.push(gap(
                    api::CoverageGapKind::NotMonitored { rule: sentence },
                    message,
                ));
            }
        }
        if !monitoring.monitored {
            continue;
        }
        report.monitored += 1;
        let stage = &app.monitored_stage;
        match &app.last_scan_at {
            None => report.gaps.push(gap(
                api::CoverageGapKind::NeverScanned {
                    stage: stage.clone(),
                },
                format!("monitored at {stage}, which was never scanned"),
            )),
            Some(at) => {
                let Ok(scanned) = chrono::DateTime::parse_from_rfc3339(at) else {
                    continue;
                };
                let age = now.signed_duration_since(scanned);
                if age > chrono::TimeDelta::days(i64::from(stale_after_days)) {
                    let days = age.num_days().max(0) as u32;
                    report.gaps.push(gap(
                        api::CoverageGapKind::Stale {
                            days,
                            last_scan_at: at.clone(),
                        },
                        format!(
                            "latest scan at {stage} is {days} days old (limit {stale_after_days})"
                        ),
                    ));
                }
            }
        }
    }
    Ok(report)
}

impl Engine {
    /// Every application that should be monitored and is not, whose watched stage was never
    /// scanned, or whose latest scan is older than the stale limit.
    pub fn coverage(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<api::CoverageReport, EngineError> {
        report(&self.store()?, now)
    }

    /// The coverage rules in force, with their sentences.
    pub fn coverage_rules(&self) -> Result<Vec<api::CoverageRuleView>, EngineError> {
        Ok(rules::load(&self.store()?)?
            .into_iter()
            .map(|rule| api::CoverageRuleView {
                sentence: rules::sentence(&rule),
                rule,
            })
            .collect())
    }

    /// Replaces every coverage rule (validated first: nothing is stored when one is bad);
    /// `None` restores the defaults.
    pub fn set_coverage_rules(
        &self,
        rules: Option<&[api::CoverageRule]>,
    ) -> Result<Vec<api::CoverageRuleView>, EngineError> {
        let mut store = self.store()?;
        match rules {
            Some(list) => {
                rules::validate(list)?;
                store.set_setting(COVERAGE_RULES, &list)?;
            }
            None => {
                store.transaction(|tx| vigil_store::settings::remove_setting(tx, COVERAGE_RULES))?
            }
        }
        self.coverage_rules()
    }

    /// Reads a rule condition as the CLI takes it (`exposure=external`, `users>=1000`).
    pub fn parse_coverage_condition(text: &str) -> Result<api::CoverageCondition, EngineError> {
        rules::parse_condition(text)
    }
}

#[cfg(test)]
pub(crate) mod tests;
