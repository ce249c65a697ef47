//! Coverage rules: which applications must be monitored, and which leave monitoring. Stored
//! as JSON under the setting `coverage.rules`; never set means the defaults.

use vigil_store::{ApplicationRow, Store};

use crate::{
    api::{CoverageCondition, CoverageEffect, CoverageRule, RuleCombine},
    portfolio::Portfolio,
    settings::COVERAGE_RULES,
    EngineError,
};

/// More than this is a mistake (a script gone wrong), not a policy.
const MAX_RULES: usize = 100;
const MAX_CONDITIONS: usize = 20;

/// "exposure is external or users ≥ 1000 ⇒ must be monitored", "status is retired ⇒ leaves
/// monitoring".
pub fn defaults() -> Vec<CoverageRule> {
    vec![
        CoverageRule {
            combine: RuleCombine::Any,
            conditions: vec![
                CoverageCondition::Exposure("external".into()),
                CoverageCondition::UsersAtLeast(1000),
            ],
            effect: CoverageEffect::MustMonitor,
        },
        CoverageRule {
            combine: RuleCombine::Any,
            conditions: vec![CoverageCondition::Status("retired".into())],
            effect: CoverageEffect::LeavesMonitoring,
        },
    ]
}

pub(crate) fn load(store: &Store) -> Result<Vec<CoverageRule>, EngineError> {
    Ok(store.setting(COVERAGE_RULES)?.unwrap_or_else(defaults))
}

pub fn sentence(rule: &CoverageRule) -> String {
    let joiner = match rule.combine {
        RuleCombine::Any => " or ",
        RuleCombine::All => " and ",
    };
    let conditions: Vec<String> = rule.conditions.iter().map(condition_text).collect();
    let effect = match rule.effect {
        CoverageEffect::MustMonitor => "must be monitored",
        CoverageEffect::LeavesMonitoring => "leaves monitoring",
    };
    format!("{} ⇒ {effect}", conditions.join(joiner))
}

pub fn condition_text(condition: &CoverageCondition) -> String {
    match condition {
        CoverageCondition::Exposure(v) => format!("exposure is {v}"),
        CoverageCondition::Hosting(v) => format!("hosting is {v}"),
        CoverageCondition::Tier(v) => format!("tier is {v}"),
        CoverageCondition::Status(v) => format!("status is {v}"),
        CoverageCondition::UsersAtLeast(n) => format!("users ≥ {n}"),
        CoverageCondition::Organization(v) => format!("organization is {v}"),
        CoverageCondition::Category(v) => format!("category is {v}"),
    }
}

pub fn holds(condition: &CoverageCondition, app: &ApplicationRow, portfolio: &Portfolio) -> bool {
    match condition {
        CoverageCondition::Exposure(v) => app.exposure.eq_ignore_ascii_case(v),
        CoverageCondition::Hosting(v) => app.hosting.eq_ignore_ascii_case(v),
        CoverageCondition::Tier(v) => app.tier.eq_ignore_ascii_case(v),
        CoverageCondition::Status(v) => app.status.eq_ignore_ascii_case(v),
        CoverageCondition::UsersAtLeast(n) => app.users.is_some_and(|users| users >= *n),
        CoverageCondition::Organization(v) => portfolio.within(app.organization.as_deref(), v),
        CoverageCondition::Category(v) => app.categories.iter().any(|c| c.eq_ignore_ascii_case(v)),
    }
}

pub fn matches(rule: &CoverageRule, app: &ApplicationRow, portfolio: &Portfolio) -> bool {
    let mut conditions = rule.conditions.iter();
    match rule.combine {
        RuleCombine::Any => conditions.any(|c| holds(c, app, portfolio)),
        RuleCombine::All => {
            !rule.conditions.is_empty() && conditions.all(|c| holds(c, app, portfolio))
        }
    }
}

/// Checks every rule; the error names the rule (1-based) and the bad value.
pub fn validate(rules: &[CoverageRule]) -> Result<(), EngineError> {
    let bad = |n: usize, message: String| {
        Err(EngineError::InvalidInput(format!(
            "coverage rule {n}: {message}"
        )))
    };
    if rules.len() > MAX_RULES {
        return Err(EngineError::InvalidInput(format!(
            "{} coverage rules; at most {MAX_RULES} are allowed",
            rules.len()
        )));
    }
    for (i, rule) in rules.iter().enumerate() {
        let n = i + 1;
        if rule.conditions.is_empty() {
            return bad(n, "has no condition".into());
        }
        if rule.conditions.len() > MAX_CONDITIONS {
            return bad(n, format!("has more than {MAX_CONDITIONS} conditions"));
        }
        for condition in &rule.conditions {
            let checked = match condition {
                CoverageCondition::Exposure(v) => one_of("exposure", v, crate::apps::EXPOSURES),
                CoverageCondition::Hosting(v) => one_of("hosting", v, crate::apps::HOSTINGS),
                CoverageCondition::Tier(v) => one_of("tier", v, crate::apps::TIERS),
                CoverageCondition::Status(v) => one_of("status", v, crate::apps::STATUSES),
                CoverageCondition::UsersAtLeast(_) => Ok(()),
                CoverageCondition::Organization(v) | CoverageCondition::Category(v) => {
                    if v.trim().is_empty() {
                        Err(format!("{} is empty", condition_text(condition)))
                    } else {
                        Ok(())
                    }
                }
            };
            if let Err(message) = checked {
                return bad(n, message);
            }
        }
    }
    Ok(())
}

fn one_of(field: &str, value: &str, allowed: &[&str]) -> Result<(), String> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(format!(
            "{field} {value:?} is not one of {}",
            allowed.join(", ")
        ))
    }
}

/// Reads a condition as people type it: `exposure=external`, `users>=1000`, `org=Payments`.
pub fn parse_condition(text: &str) -> Result<CoverageCondition, EngineError> {
    let text = text.trim();
    let bad = || {
        EngineError::InvalidInput(format!(
            "condition {text:?}: expected FIELD=VALUE (exposure, hosting, tier, status, \
             organization, category) or users>=N"
        ))
    };
    if let Some(n) = text
        .strip_prefix("users")
        .and_then(|rest| rest.trim_start().strip_prefix(">="))
    {
        let n = n.trim().parse().map_err(|_| {
            EngineError::InvalidInput(format!(
                "condition {text:?}: {n:?} is not a number of users"
            ))
        })?;
        return Ok(CoverageCondition::UsersAtLeast(n));
    }
    let (field, value) = text.split_once('=').ok_or_else(bad)?;
    let value = value.trim().to_string();
    Ok(match field.trim().to_ascii_lowercase().as_str() {
        "exposure" => CoverageCondition::Exposure(value.to_ascii_lowercase()),
        "hosting" => CoverageCondition::Hosting(value.to_ascii_lowercase()),
        "tier" => CoverageCondition::Tier(value.to_ascii_lowercase()),
        "status" => CoverageCondition::Status(value.to_ascii_lowercase()),
        "organization" | "org" => CoverageCondition::Organization(value),
        "category" => CoverageCondition::Category(value),
        _ => return Err(bad()),
    })
}
