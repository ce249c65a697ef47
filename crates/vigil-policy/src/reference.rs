//! The reference policy set, modelled on Sonatype Lifecycle's reference policies.
//!
//! | policy | threat | condition | actions | monitoring |
//! |---|---|---|---|---|
//! | Security-Malicious | 10 | a malicious-package record (`MAL-…`) | fail at release, operate; warn before | on |
//! | Security-Critical | 10 | CVSS ≥ 9 | fail at release, operate; warn before | on |
//! | Security-High | 9 | CVSS 7 to < 9 | fail at release, operate; warn before | on |
//! | Security-Medium | 7 | CVSS 4 to < 7 | warn everywhere | on |
//! | Security-Low | 3 | CVSS < 4 | none | on |
//! | Security-Unscored | 7 | no score and no rating | warn everywhere | on |
//! | License-Banned | 10 | license only satisfiable with banned licenses | fail at release, operate; warn before | on |
//! | License-Copyleft | 7 | license only satisfiable with copyleft licenses | warn everywhere | off |
//! | License-None | 5 | no license declared, or not an SPDX expression | warn everywhere | off |
//! | Component-Unknown | 2 | no purl or no version | none | off |
//!
//! The CVSS ranges tile 0–10 (`at_least` inclusive, `below` exclusive), so a scored advisory
//! is in exactly one severity policy, and an unscored one is in Security-Unscored; a rating
//! without a score counts as its band's lowest score (see `evaluate`).

use vigil_model::Stage;

use crate::{
    Action, Condition, Constraint, Match, Policy, PolicyScope, ScoreBound, StageActions, Targets,
    ThreatGroup,
};

/// The reference policy set installed on first run.
pub fn reference_policies() -> Vec<Policy> {
    let cvss =
        |at_least: Option<f64>, below: Option<f64>| Condition::Cvss(ScoreBound { at_least, below });
    vec![
        reference(
            "Security-Malicious",
            10,
            gate(),
            true,
            vec![one("malicious", Condition::Malicious)],
        ),
        reference(
            "Security-Critical",
            10,
            gate(),
            true,
            vec![one("critical", cvss(Some(9.0), None))],
        ),
        reference(
            "Security-High",
            9,
            gate(),
            true,
            vec![one("high", cvss(Some(7.0), Some(9.0)))],
        ),
        reference(
            "Security-Medium",
            7,
            all(Action::Warn),
            true,
            vec![one("medium", cvss(Some(4.0), Some(7.0)))],
        ),
        // Low-severity findings and unidentified components are shown with the application's
        // violations but neither warn nor fail: they are too many to act on at every build,
        // and a gate that always warns is a gate people stop reading. Lifecycle's reference
        // policies give them no action either. Monitoring still reports new low findings.
        reference(
            "Security-Low",
            3,
            all(Action::None),
            true,
            vec![one("low", cvss(None, Some(4.0)))],
        ),
        reference(
            "Security-Unscored",
            7,
            all(Action::Warn),
            true,
            vec![one("unscored", Condition::Unscored)],
        ),
        reference(
            "License-Banned",
            10,
            gate(),
            true,
            vec![one(
                "banned",
                Condition::LicenseGroup(vec![ThreatGroup::Banned]),
            )],
        ),
        // Copyleft alone, so that an AGPL component is License-Banned only. (An expression
        // such as `GPL-3.0-only OR AGPL-3.0-only` can avoid each group alone and so violates
        // neither; a policy of `license_group: [banned, copyleft]` catches it.)
        reference(
            "License-Copyleft",
            7,
            all(Action::Warn),
            false,
            vec![one(
                "copyleft",
                Condition::LicenseGroup(vec![ThreatGroup::Copyleft]),
            )],
        ),
        reference(
            "License-None",
            5,
            all(Action::Warn),
            false,
            vec![
                one("no-license", Condition::NoLicense),
                one("not-spdx", Condition::InvalidLicense),
            ],
        ),
        reference(
            "Component-Unknown",
            2,
            all(Action::None),
            false,
            vec![one("unknown", Condition::Unknown)],
        ),
    ]
}

fn reference(
    name: &str,
    threat_level: u8,
    actions: StageActions,
    monitoring: bool,
    constraints: Vec<Constraint>,
) -> Policy {
    Policy {
        name: name.to_string(),
        threat_level,
        enabled: true,
        monitoring,
        reference: true,
        scope: PolicyScope::Everywhere,
        actions,
        targets: Targets::default(),
        constraints,
    }
}

fn one(name: &str, condition: Condition) -> Constraint {
    Constraint {
        name: name.to_string(),
        operator: Match::All,
        conditions: vec![condition],
    }
}

/// Fail where software ships or runs (`release`, `operate`), warn before.
fn gate() -> StageActions {
    let mut actions = all(Action::Warn);
    actions.set(Stage::Release, Action::Fail);
    actions.set(Stage::Operate, Action::Fail);
    actions
}

fn all(action: Action) -> StageActions {
    let mut actions = StageActions::default();
    for stage in Stage::ALL {
        actions.set(stage, action);
    }
    actions
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::{
        default_license_groups, evaluate, AdvisoryFact, ComponentFacts, EvaluationContext,
        LicenseFact,
    };

    fn violated_by(advisory: AdvisoryFact, license: Option<&str>) -> Vec<String> {
        let component = ComponentFacts {
            purl: "pkg:npm/a@1.0.0".into(),
            has_purl: true,
            version: Some("1.0.0".into()),
            license: license.map(|l| LicenseFact {
                expression: Some(l.into()),
                raw: l.into(),
            }),
            license_unrecorded: false,
            advisories: vec![advisory],
        };
        let context = EvaluationContext {
            application: "app".into(),
            organization: None,
            categories: vec![],
            today: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
        };
        let mut names: Vec<String> = evaluate(
            &reference_policies(),
            &default_license_groups(),
            &[component],
            &[],
            &context,
        )
        .into_iter()
        .map(|v| v.policy)
        .collect();
        names.dedup();
        names
    }

    fn scored(score: Option<f64>, rating: Option<&str>) -> AdvisoryFact {
        AdvisoryFact {
            id: "CVE-1".into(),
            score,
            rating: rating.map(str::to_string),
            ..AdvisoryFact::default()
        }
    }

    #[test]
    fn the_cvss_ranges_tile_zero_to_ten() {
        for (score, policy) in [
            (10.0, "Security-Critical"),
            (9.0, "Security-Critical"),
            (8.9, "Security-High"),
            (7.0, "Security-High"),
            (6.9, "Security-Medium"),
            (4.0, "Security-Medium"),
            (3.9, "Security-Low"),
            (0.0, "Security-Low"),
        ] {
            assert_eq!(
                violated_by(scored(Some(score), None), Some("MIT")),
                [policy],
                "{score}"
            );
        }
        assert_eq!(
            violated_by(scored(None, None), Some("MIT")),
            ["Security-Unscored"]
        );
        for (rating, policy) in [
            ("CRITICAL", "Security-Critical"),
            ("HIGH", "Security-High"),
            ("MEDIUM", "Security-Medium"),
            ("LOW", "Security-Low"),
        ] {
            assert_eq!(
                violated_by(scored(None, Some(rating)), Some("MIT")),
                [policy],
                "{rating}"
            );
        }
        // Every tenth of a point is in exactly one severity policy.
        for tenth in 0..=100 {
            let score = f64::from(tenth) / 10.0;
            assert_eq!(
                violated_by(scored(Some(score), None), Some("MIT")).len(),
                1,
                "{score}"
            );
        }
    }

    #[test]
    fn the_license_policies() {
        let advisory = || scored(Some(0.0), None);
        let licenses = |license: Option<&str>| -> Vec<String> {
            violated_by(advisory(), license)
                .into_iter()
                .filter(|p| p != "Security-Low")
                .collect()
        };
        assert!(licenses(Some("MIT OR GPL-3.0-only")).is_empty());
        assert_eq!(licenses(Some("GPL-3.0-only")), ["License-Copyleft"]);
        assert_eq!(licenses(Some("AGPL-3.0-only")), ["License-Banned"]);
        assert_eq!(licenses(Some("MIT AND GPL-3.0-only")), ["License-Copyleft"]);
        // Each group can be avoided alone (the known limit of the reference pair).
        assert!(licenses(Some("GPL-3.0-only OR AGPL-3.0-only")).is_empty());
        assert!(licenses(Some("LGPL-2.1-only")).is_empty());
        assert_eq!(licenses(None), ["License-None"]);
    }

    #[test]
    fn the_shape_of_the_set() {
        let set = reference_policies();
        let summary: Vec<(&str, u8, bool)> = set
            .iter()
            .map(|p| (p.name.as_str(), p.threat_level, p.monitoring))
            .collect();
        assert_eq!(
            summary,
            [
                ("Security-Malicious", 10, true),
                ("Security-Critical", 10, true),
                ("Security-High", 9, true),
                ("Security-Medium", 7, true),
                ("Security-Low", 3, true),
                ("Security-Unscored", 7, true),
                ("License-Banned", 10, true),
                ("License-Copyleft", 7, false),
                ("License-None", 5, false),
                ("Component-Unknown", 2, false),
            ]
        );
        for policy in &set {
            assert!(policy.reference && policy.enabled, "{}", policy.name);
            let expected = match policy.threat_level {
                9.. => (Action::Warn, Action::Fail),
                5..=8 => (Action::Warn, Action::Warn),
                _ => (Action::None, Action::None),
            };
            assert_eq!(
                (
                    policy.actions.at(Stage::Develop),
                    policy.actions.at(Stage::Release)
                ),
                expected,
                "{}",
                policy.name
            );
            assert_eq!(
                policy.actions.at(Stage::Operate),
                policy.actions.at(Stage::Release)
            );
        }
    }
}
