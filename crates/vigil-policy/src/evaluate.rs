//! Evaluation: components × policies × license groups × waivers → violations.
//!
//! A policy is violated by a component when any of its constraints holds; each holding
//! constraint is one violation, identified by (policy, component purl, constraint name).
//!
//! Security conditions are tested per advisory. Under `all`, the constraint holds when every
//! component condition holds and (if it has security conditions) at least one advisory
//! satisfies every security condition; all such advisories are listed. Under `any`, it holds
//! when a component condition holds or an advisory satisfies a security condition.
//!
//! A CVSS condition tests the advisory's score; an advisory with a rating but no score counts
//! as the lowest score of its rating's CVSS band (critical 9.0, high 7.0, medium 4.0, low 0.1,
//! none 0.0), so that a rating-only record falls in exactly one of the reference ranges. An
//! advisory with neither is "unscored": no CVSS condition matches it, the `unscored` condition
//! does, so it is never silently dropped.
//!
//! Waivers: a waiver without an advisory waives the whole violation (it is still reported,
//! marked). A waiver with an advisory takes that advisory (by id or alias) out; if the
//! constraint still holds without the waived advisories, that smaller violation is reported,
//! active; if not, the original violation is reported, marked waived. Expired waivers are
//! ignored.

use std::cmp::{Ordering, Reverse};
use std::collections::HashMap;

use vigil_model::{Ecosystem, PackageRef};

use crate::license::{satisfiable_with_terms, DeclaredLicense, LicenseTerm};
use crate::{
    AdvisoryFact, ComponentFacts, Condition, ConditionHit, Constraint, EvaluationContext,
    LicenseGroups, Match, Policy, PolicyScope, PurlPattern, Rating, ScoreBound, ThreatGroup,
    Violation, ViolationDetails, Waiver,
};

/// Evaluates components against the enabled policies whose scope covers the application.
/// Output is sorted by identity (policy, purl, condition key).
pub fn evaluate(
    policies: &[Policy],
    groups: &LicenseGroups,
    components: &[ComponentFacts],
    waivers: &[Waiver],
    context: &EvaluationContext,
) -> Vec<Violation> {
    let policies: Vec<PreparedPolicy> = policies
        .iter()
        .filter(|policy| policy.enabled && scope_covers(&policy.scope, context))
        .map(PreparedPolicy::new)
        .collect();
    let waivers: Vec<(&Waiver, Option<PackageRef>)> = waivers
        .iter()
        .filter(|waiver| waiver.in_force(context.today) && waiver.applies_to(context))
        .map(|waiver| (waiver, PackageRef::parse_purl(waiver.component.trim()).ok()))
        .collect();
    let mut violations = Vec::new();
    for component in components {
        let prepared = PreparedComponent::new(component);
        let covering: Vec<&Waiver> = waivers
            .iter()
            .filter(|(waiver, waived)| {
                waiver.covers_parsed(waived.as_ref(), &component.purl, prepared.package.as_ref())
            })
            .map(|(waiver, _)| *waiver)
            .collect();
        let all_advisories: Vec<&AdvisoryFact> = component.advisories.iter().collect();
        for policy in &policies {
            let policy_waivers: Vec<&Waiver> = covering
                .iter()
                .copied()
                .filter(|waiver| waiver.covers_policy(&policy.policy.name))
                .collect();
            for constraint in &policy.constraints {
                let Some(details) = constraint.check(&prepared, &all_advisories, groups) else {
                    continue;
                };
                let details =
                    apply_waivers(details, constraint, &prepared, groups, &policy_waivers);
                violations.push(Violation {
                    policy: policy.policy.name.clone(),
                    threat_level: policy.policy.threat_level,
                    purl: component.purl.clone(),
                    condition_key: constraint.constraint.name.clone(),
                    details,
                });
            }
        }
    }
    violations.sort_by(|a, b| a.key().cmp(&b.key()));
    // One violation per identity, should the same component be listed twice.
    violations.dedup_by(|a, b| a.key() == b.key());
    violations
}

/// Whether a policy's scope covers the application.
pub fn scope_covers(scope: &PolicyScope, context: &EvaluationContext) -> bool {
    match scope {
        PolicyScope::Everywhere => true,
        PolicyScope::Organization(org) => context.organization.as_deref() == Some(org.as_str()),
        PolicyScope::Category(category) => context.categories.iter().any(|c| c == category),
    }
}

fn apply_waivers(
    details: ViolationDetails,
    constraint: &PreparedConstraint,
    component: &PreparedComponent,
    groups: &LicenseGroups,
    waivers: &[&Waiver],
) -> ViolationDetails {
    let best = |candidates: &[&Waiver]| {
        candidates
            .iter()
            .max_by_key(|waiver| (waiver.expires, Reverse(waiver.id)))
            .map(|waiver| waiver.mark())
    };
    let whole: Vec<&Waiver> = waivers
        .iter()
        .copied()
        .filter(|waiver| waiver.advisory.is_none())
        .collect();
    if !whole.is_empty() {
        return ViolationDetails {
            waiver: best(&whole),
            ..details
        };
    }
    let taking_part: Vec<&Waiver> = waivers
        .iter()
        .copied()
        .filter(|waiver| {
            waiver.advisory.as_deref().is_some_and(|id| {
                details
                    .advisories
                    .iter()
                    .any(|advisory| advisory_is(advisory, id))
            })
        })
        .collect();
    if taking_part.is_empty() {
        return details;
    }
    let remaining: Vec<&AdvisoryFact> = component
        .facts
        .advisories
        .iter()
        .filter(|advisory| {
            !waivers.iter().any(|waiver| {
                waiver
                    .advisory
                    .as_deref()
                    .is_some_and(|id| advisory_is(advisory, id))
            })
        })
        .collect();
    match constraint.check(component, &remaining, groups) {
        Some(unwaived) => unwaived,
        None => ViolationDetails {
            waiver: best(&taking_part),
            ..details
        },
    }
}

/// Whether an advisory is `id`, by its id or an alias.
fn advisory_is(advisory: &AdvisoryFact, id: &str) -> bool {
    let id = id.trim();
    std::iter::once(&advisory.id)
        .chain(&advisory.aliases)
        .any(|known| known.eq_ignore_ascii_case(id))
}

struct PreparedComponent<'a> {
    facts: &'a ComponentFacts,
    package: Option<PackageRef>,
    /// The package's normalised name.
    key: Option<String>,
    license: DeclaredLicense,
}

impl<'a> PreparedComponent<'a> {
    fn new(facts: &'a ComponentFacts) -> Self {
        let package = if facts.has_purl {
            PackageRef::parse_purl(&facts.purl).ok()
        } else {
            None
        };
        PreparedComponent {
            facts,
            key: package.as_ref().map(PackageRef::key),
            package,
            license: DeclaredLicense::of(facts.license.as_ref()),
        }
    }

    fn version(&self) -> Option<&str> {
        self.package
            .as_ref()
            .and_then(|package| package.version.as_deref())
            .or(self.facts.version.as_deref())
    }
}

struct PreparedPolicy<'a> {
    policy: &'a Policy,
    constraints: Vec<PreparedConstraint<'a>>,
}

impl<'a> PreparedPolicy<'a> {
    fn new(policy: &'a Policy) -> Self {
        PreparedPolicy {
            policy,
            constraints: policy
                .constraints
                .iter()
                .map(PreparedConstraint::new)
                .collect(),
        }
    }
}

struct PreparedConstraint<'a> {
    constraint: &'a Constraint,
    security: Vec<&'a Condition>,
    component: Vec<PreparedCondition<'a>>,
}

enum PreparedCondition<'a> {
    /// A purl condition with its patterns parsed and keyed by (ecosystem, normalised name)
    /// (those that do not parse are left out: the policy file's validation refuses them).
    Purl(HashMap<(Ecosystem, String), Vec<(PackageRef, &'a PurlPattern)>>),
    LicenseNotIn(Vec<LicenseTerm>),
    Other(&'a Condition),
}

/// What one component condition found: the hits and a phrase for the one-line summary.
struct ComponentHit {
    hits: Vec<ConditionHit>,
    phrase: String,
    license: Option<String>,
}

impl<'a> PreparedConstraint<'a> {
    fn new(constraint: &'a Constraint) -> Self {
        let (security, component): (Vec<&Condition>, Vec<&Condition>) = constraint
            .conditions
            .iter()
            .partition(|condition| condition.is_security());
        let component = component
            .into_iter()
            .map(|condition| match condition {
                Condition::Purl(patterns) => {
                    let mut by_package: HashMap<_, Vec<_>> = HashMap::new();
                    for pattern in patterns {
                        let Ok(package) = PackageRef::parse_purl(&pattern.purl) else {
                            continue;
                        };
                        let bounded = pattern.below.is_some() || pattern.at_least.is_some();
                        if bounded && package.version.is_some() {
                            continue;
                        }
                        by_package
                            .entry((package.ecosystem, package.key()))
                            .or_default()
                            .push((package, pattern));
                    }
                    PreparedCondition::Purl(by_package)
                }
                Condition::LicenseNotIn(allowed) => PreparedCondition::LicenseNotIn(
                    allowed
                        .iter()
                        .filter_map(|entry| crate::license::allow_entry(entry))
                        .collect(),
                ),
                Condition::Cvss(_)
                | Condition::Rating(_)
                | Condition::Unscored
                | Condition::Kev
                | Condition::EpssAtLeast(_)
                | Condition::FixAvailable(_)
                | Condition::Malicious
                | Condition::LicenseGroup(_)
                | Condition::NoLicense
                | Condition::InvalidLicense
                | Condition::Unknown => PreparedCondition::Other(condition),
            })
            .collect();
        PreparedConstraint {
            constraint,
            security,
            component,
        }
    }

    /// The details of the violation when the constraint holds for the component with these
    /// advisories.
    fn check(
        &self,
        component: &PreparedComponent,
        advisories: &[&AdvisoryFact],
        groups: &LicenseGroups,
    ) -> Option<ViolationDetails> {
        if self.security.is_empty() && self.component.is_empty() {
            return None;
        }
        let any = self.constraint.operator == Match::Any;
        let mut component_hits = Vec::new();
        for condition in &self.component {
            match check_component(condition, component, groups) {
                Some(hit) => component_hits.push(hit),
                None if !any => return None,
                None => {}
            }
        }
        let mut matching: Vec<&AdvisoryFact> = Vec::new();
        let mut hits: Vec<ConditionHit> = Vec::new();
        if !self.security.is_empty() {
            for advisory in advisories {
                let satisfied: Vec<&Condition> = self
                    .security
                    .iter()
                    .copied()
                    .filter(|condition| advisory_matches(condition, advisory))
                    .collect();
                let holds = if any {
                    !satisfied.is_empty()
                } else {
                    satisfied.len() == self.security.len()
                };
                if holds {
                    matching.push(advisory);
                    hits.extend(satisfied.iter().map(|c| security_hit(c, advisory)));
                }
            }
            if !any && matching.is_empty() {
                return None;
            }
        }
        if any && matching.is_empty() && component_hits.is_empty() {
            return None;
        }
        let mut advisories: Vec<AdvisoryFact> = matching.into_iter().cloned().collect();
        advisories.sort_by(|a, b| a.id.cmp(&b.id));
        advisories.dedup_by(|a, b| a.id == b.id);
        let mut parts = Vec::new();
        if !advisories.is_empty() {
            parts.push(self.advisory_phrase(&advisories));
        }
        let mut license = None;
        for hit in component_hits {
            hits.extend(hit.hits);
            parts.push(hit.phrase);
            license = license.or(hit.license);
        }
        hits.sort();
        hits.dedup();
        Some(ViolationDetails {
            summary: format!("{}: {}", component.facts.purl, parts.join("; ")),
            advisories,
            license,
            conditions: hits,
            waiver: None,
        })
    }

    /// "2 vulnerabilities with CVSS ≥ 9 (CVE-…, GHSA-…)".
    fn advisory_phrase(&self, advisories: &[AdvisoryFact]) -> String {
        let n = advisories.len();
        let malicious_only = self
            .security
            .iter()
            .all(|condition| matches!(condition, Condition::Malicious));
        let noun = match (malicious_only, n) {
            (true, 1) => "malicious-package record",
            (true, _) => "malicious-package records",
            (false, 1) => "vulnerability",
            (false, _) => "vulnerabilities",
        };
        let joiner = match self.constraint.operator {
            Match::All => " and ",
            Match::Any => " or ",
        };
        let phrases: Vec<String> = self
            .security
            .iter()
            .filter(|condition| !(malicious_only && matches!(condition, Condition::Malicious)))
            .map(|condition| security_phrase(condition))
            .collect();
        const SHOWN: usize = 5;
        let mut ids: Vec<&str> = advisories
            .iter()
            .take(SHOWN)
            .map(|a| a.id.as_str())
            .collect();
        let more = n.saturating_sub(SHOWN);
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        let phrase = phrases.join(joiner);
        let ids = std::mem::take(&mut ids).join(", ");
        if phrase.is_empty() {
            format!("{n} {noun} ({ids}{more})")
        } else {
            format!("{n} {noun} {phrase} ({ids}{more})")
        }
    }
}

/// The score an advisory is judged by: its CVSS score, or the lowest score of its rating's
/// band; `None` when it has neither.
fn effective_score(advisory: &AdvisoryFact) -> Option<f64> {
    if let Some(score) = advisory.score {
        return Some(score);
    }
    match rating_of(advisory)? {
        Rating::Critical => Some(9.0),
        Rating::High => Some(7.0),
        Rating::Medium => Some(4.0),
        Rating::Low => Some(0.1),
        Rating::None => Some(0.0),
    }
}

fn rating_of(advisory: &AdvisoryFact) -> Option<Rating> {
    let rating = advisory.rating.as_deref()?.trim();
    [
        Rating::None,
        Rating::Low,
        Rating::Medium,
        Rating::High,
        Rating::Critical,
    ]
    .into_iter()
    .find(|r| rating_name(*r).eq_ignore_ascii_case(rating))
}

fn rating_name(rating: Rating) -> &'static str {
    match rating {
        Rating::None => "none",
        Rating::Low => "low",
        Rating::Medium => "medium",
        Rating::High => "high",
        Rating::Critical => "critical",
    }
}

fn is_unscored(advisory: &AdvisoryFact) -> bool {
    advisory.score.is_none()
        && advisory
            .rating
            .as_deref()
            .is_none_or(|rating| rating.trim().is_empty())
}

fn in_bound(bound: &ScoreBound, score: f64) -> bool {
    bound.at_least.is_none_or(|low| score >= low) && bound.below.is_none_or(|high| score < high)
}

fn advisory_matches(condition: &Condition, advisory: &AdvisoryFact) -> bool {
    match condition {
        Condition::Cvss(bound) => effective_score(advisory).is_some_and(|s| in_bound(bound, s)),
        Condition::Rating(ratings) => rating_of(advisory).is_some_and(|r| ratings.contains(&r)),
        Condition::Unscored => is_unscored(advisory),
        Condition::Kev => advisory.kev,
        Condition::EpssAtLeast(threshold) => advisory.epss.is_some_and(|e| e >= *threshold),
        Condition::FixAvailable(wanted) => advisory.fixed.is_empty() != *wanted,
        Condition::Malicious => advisory.is_malicious(),
        Condition::LicenseGroup(_)
        | Condition::LicenseNotIn(_)
        | Condition::NoLicense
        | Condition::InvalidLicense
        | Condition::Purl(_)
        | Condition::Unknown => false,
    }
}

/// A number as people write it: `9`, `6.5`, `0.25`.
fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

fn bound_text(bound: &ScoreBound, ascii: bool) -> String {
    let (ge, lt) = if ascii { (">=", "<") } else { ("≥", "<") };
    match (bound.at_least, bound.below) {
        (Some(low), Some(high)) => format!("{ge} {} and {lt} {}", number(low), number(high)),
        (Some(low), None) => format!("{ge} {}", number(low)),
        (None, Some(high)) => format!("{lt} {}", number(high)),
        (None, None) => "is scored".to_string(),
    }
}

fn ratings_text(ratings: &[Rating]) -> String {
    let mut sorted = ratings.to_vec();
    sorted.sort_by(|a, b| b.cmp(a));
    sorted.dedup();
    sorted
        .iter()
        .map(|r| rating_name(*r))
        .collect::<Vec<_>>()
        .join(" or ")
}

fn security_phrase(condition: &Condition) -> String {
    match condition {
        Condition::Cvss(bound) => match (bound.at_least, bound.below) {
            (None, None) => "with a CVSS score".to_string(),
            _ => format!("with CVSS {}", bound_text(bound, false)),
        },
        Condition::Rating(ratings) => format!("rated {}", ratings_text(ratings)),
        Condition::Unscored => "without a score".to_string(),
        Condition::Kev => "in CISA KEV".to_string(),
        Condition::EpssAtLeast(p) => format!("with EPSS ≥ {}", number(*p)),
        Condition::FixAvailable(true) => "with a fix available".to_string(),
        Condition::FixAvailable(false) => "with no known fix".to_string(),
        Condition::Malicious => "marked malicious".to_string(),
        Condition::LicenseGroup(_)
        | Condition::LicenseNotIn(_)
        | Condition::NoLicense
        | Condition::InvalidLicense
        | Condition::Purl(_)
        | Condition::Unknown => String::new(),
    }
}

fn security_hit(condition: &Condition, advisory: &AdvisoryFact) -> ConditionHit {
    let id = &advisory.id;
    let found = format!("Found security vulnerability {id}");
    let (summary, reason) = match condition {
        Condition::Cvss(bound) => (
            format!(
                "Security Vulnerability Severity {}",
                bound_text(bound, true)
            ),
            match (advisory.score, advisory.rating.as_deref()) {
                (Some(score), _) => format!("{found} with severity {score:.1}"),
                (None, Some(rating)) => format!(
                    "{found} with rating {} and no score",
                    rating.trim().to_uppercase()
                ),
                (None, None) => found.clone(),
            },
        ),
        Condition::Rating(ratings) => (
            format!("Security Vulnerability Rating is {}", ratings_text(ratings)),
            format!(
                "{found} with rating {}",
                advisory
                    .rating
                    .as_deref()
                    .unwrap_or_default()
                    .trim()
                    .to_uppercase()
            ),
        ),
        Condition::Unscored => (
            "Security Vulnerability Severity is unscored".to_string(),
            format!("{found} with no severity score"),
        ),
        Condition::Kev => (
            "Security Vulnerability is in CISA KEV".to_string(),
            format!("{found} in CISA's Known Exploited Vulnerabilities catalog"),
        ),
        Condition::EpssAtLeast(p) => (
            format!("Security Vulnerability EPSS >= {}", number(*p)),
            format!(
                "{found} with EPSS {}",
                advisory.epss.map(number).unwrap_or_default()
            ),
        ),
        Condition::FixAvailable(true) => (
            "Security Vulnerability has a fix available".to_string(),
            format!("{found}, fixed in {}", advisory.fixed.join(", ")),
        ),
        Condition::FixAvailable(false) => (
            "Security Vulnerability has no known fix".to_string(),
            format!("{found} with no known fix"),
        ),
        Condition::Malicious => {
            let mal = std::iter::once(&advisory.id)
                .chain(&advisory.aliases)
                .find(|alias| alias.starts_with("MAL-"))
                .filter(|mal| *mal != id);
            (
                "Security Vulnerability is a malicious-package record".to_string(),
                match mal {
                    Some(mal) => format!("Found malicious-package record {id} ({mal})"),
                    None => format!("Found malicious-package record {id}"),
                },
            )
        }
        Condition::LicenseGroup(_)
        | Condition::LicenseNotIn(_)
        | Condition::NoLicense
        | Condition::InvalidLicense
        | Condition::Purl(_)
        | Condition::Unknown => (String::new(), String::new()),
    };
    ConditionHit { summary, reason }
}

fn group_title(group: ThreatGroup) -> &'static str {
    match group {
        ThreatGroup::Banned => "Banned",
        ThreatGroup::Copyleft => "Copyleft",
        ThreatGroup::WeakCopyleft => "Weak copyleft",
        ThreatGroup::Liberal => "Liberal",
        ThreatGroup::Unknown => "Unknown",
    }
}

/// At most this many characters of a declared license text go into a reason.
const RAW_SHOWN: usize = 120;

fn shorten(text: &str) -> String {
    if text.chars().count() <= RAW_SHOWN {
        text.to_string()
    } else {
        let cut: String = text.chars().take(RAW_SHOWN).collect();
        format!("{cut}…")
    }
}

fn check_component(
    condition: &PreparedCondition,
    component: &PreparedComponent,
    groups: &LicenseGroups,
) -> Option<ComponentHit> {
    let purl = &component.facts.purl;
    match condition {
        PreparedCondition::Purl(patterns) => {
            let package = component.package.as_ref()?;
            let key = component.key.clone()?;
            let texts: Vec<String> = patterns
                .get(&(package.ecosystem, key))?
                .iter()
                .filter(|(pattern, bounds)| purl_matches(pattern, bounds, package, component))
                .map(|(_, bounds)| pattern_text(bounds))
                .collect();
            let first = texts.first()?.clone();
            Some(ComponentHit {
                hits: texts
                    .iter()
                    .map(|text| ConditionHit {
                        summary: format!("Component matches {text}"),
                        reason: format!("{purl} matches {text}"),
                    })
                    .collect(),
                phrase: format!("matches {first}"),
                license: None,
            })
        }
        PreparedCondition::LicenseNotIn(allowed) => {
            let DeclaredLicense::Valid(expression) = &component.license else {
                return None;
            };
            if satisfiable_with_terms(expression, allowed) {
                return None;
            }
            let text = expression.as_str().to_string();
            Some(ComponentHit {
                hits: vec![ConditionHit {
                    summary: "License is not in the allow list".to_string(),
                    reason: format!(
                        "Found license {text}, which the allowed licenses do not satisfy"
                    ),
                }],
                phrase: format!("license {text} is not allowed"),
                license: Some(text),
            })
        }
        PreparedCondition::Other(condition) => match condition {
            Condition::LicenseGroup(wanted) => {
                let DeclaredLicense::Valid(expression) = &component.license else {
                    return None;
                };
                let in_groups =
                    |term: &LicenseTerm| wanted.contains(&crate::license::term_group(term, groups));
                if crate::license::satisfiable_avoiding(expression, in_groups) {
                    return None;
                }
                let text = expression.as_str().to_string();
                let mut offending: Vec<(String, ThreatGroup)> = expression
                    .terms()
                    .iter()
                    .map(|term| (term.to_string(), crate::license::term_group(term, groups)))
                    .filter(|(_, group)| wanted.contains(group))
                    .collect();
                offending.sort();
                offending.dedup();
                let mut wanted_sorted = wanted.clone();
                wanted_sorted.sort();
                wanted_sorted.dedup();
                let names = wanted_sorted
                    .iter()
                    .map(|g| group_title(*g))
                    .collect::<Vec<_>>()
                    .join(" or ");
                let single = offending.len() == 1 && offending[0].0 == text;
                let hits = offending
                    .iter()
                    .map(|(term, group)| ConditionHit {
                        summary: format!("License Threat Group is {names}"),
                        reason: if single {
                            format!("Found license {term} ({})", group.as_str())
                        } else {
                            format!("Found license {term} ({}) in {text}", group.as_str())
                        },
                    })
                    .collect();
                let phrase = if single {
                    format!("license {text} is {}", offending[0].1.as_str())
                } else {
                    format!(
                        "license {text} needs {}",
                        offending
                            .iter()
                            .map(|(term, group)| format!("{term} ({})", group.as_str()))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                Some(ComponentHit {
                    hits,
                    phrase,
                    license: Some(text),
                })
            }
            Condition::NoLicense => {
                let DeclaredLicense::None = &component.license else {
                    return None;
                };
                // Found in a format that records no licenses (most lockfiles): its silence
                // says nothing about the package.
                if component.facts.license_unrecorded && component.facts.license.is_none() {
                    return None;
                }
                let raw = component
                    .facts
                    .license
                    .as_ref()
                    .map(|l| l.raw.trim().to_string())
                    .filter(|raw| !raw.is_empty());
                Some(ComponentHit {
                    hits: vec![ConditionHit {
                        summary: "License is not declared".to_string(),
                        reason: match &raw {
                            Some(raw) => format!("{purl} declares {}", shorten(raw)),
                            None => format!("{purl} declares no license"),
                        },
                    }],
                    phrase: "no license declared".to_string(),
                    license: raw,
                })
            }
            Condition::InvalidLicense => {
                let DeclaredLicense::Invalid(raw) = &component.license else {
                    return None;
                };
                let shown = shorten(raw);
                Some(ComponentHit {
                    hits: vec![ConditionHit {
                        summary: "License is not a valid SPDX expression".to_string(),
                        reason: format!("Found license {shown:?}, which is not an SPDX expression"),
                    }],
                    phrase: format!("license {shown:?} is not an SPDX expression"),
                    license: Some(raw.clone()),
                })
            }
            Condition::Unknown => {
                let missing = if !component.facts.has_purl && purl.starts_with("pkg:") {
                    "a package URL Vigil cannot place"
                } else if !component.facts.has_purl {
                    "no package URL"
                } else if component
                    .facts
                    .version
                    .as_deref()
                    .is_none_or(|v| v.trim().is_empty())
                {
                    "no version"
                } else {
                    return None;
                };
                Some(ComponentHit {
                    hits: vec![ConditionHit {
                        summary: "Component is unknown".to_string(),
                        reason: format!("{purl} has {missing}"),
                    }],
                    phrase: format!("unknown component ({missing})"),
                    license: None,
                })
            }
            Condition::Cvss(_)
            | Condition::Rating(_)
            | Condition::Unscored
            | Condition::Kev
            | Condition::EpssAtLeast(_)
            | Condition::FixAvailable(_)
            | Condition::Malicious
            | Condition::LicenseNotIn(_)
            | Condition::Purl(_) => None,
        },
    }
}

fn pattern_text(pattern: &PurlPattern) -> String {
    let mut text = pattern.purl.trim().to_string();
    if let Some(at_least) = &pattern.at_least {
        text.push_str(&format!(" at or above {at_least}"));
    }
    if let Some(below) = &pattern.below {
        text.push_str(&format!(" below {below}"));
    }
    text
}

fn purl_matches(
    pattern: &PackageRef,
    bounds: &PurlPattern,
    package: &PackageRef,
    component: &PreparedComponent,
) -> bool {
    if pattern.release.is_some() && pattern.release != package.release {
        return false;
    }
    let ecosystem = pattern.ecosystem;
    let compare = |a: &str, b: &str| vigil_advisories::version::compare(ecosystem, a, b).ok();
    if bounds.below.is_none() && bounds.at_least.is_none() {
        return match &pattern.version {
            None => true,
            Some(wanted) => component
                .version()
                .is_some_and(|v| v == wanted || compare(v, wanted) == Some(Ordering::Equal)),
        };
    }
    let Some(version) = component.version() else {
        return false;
    };
    let below = bounds
        .below
        .as_deref()
        .is_none_or(|below| compare(version, below) == Some(Ordering::Less));
    let at_least = bounds.at_least.as_deref().is_none_or(|at_least| {
        matches!(
            compare(version, at_least),
            Some(Ordering::Greater | Ordering::Equal)
        )
    });
    below && at_least
}

#[cfg(test)]
mod tests;
