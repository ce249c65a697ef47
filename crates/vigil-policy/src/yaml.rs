//! Policies as code: the YAML that `vigil policy export` writes and `vigil policy import`
//! reads.
//!
//! # Format (version 1)
//!
//! ```yaml
//! # Vigil policies, format version 1.
//! version: 1
//! policies:
//!   - name: Security-Critical      # unique; the violation identity includes it
//!     threat_level: 10             # 0–10
//!     enabled: true                # default true
//!     monitoring: true             # default false: whether monitoring reports it
//!     scope: everywhere            # or {organization: NAME} or {category: NAME}
//!     actions:                     # none | warn | fail; a stage left out is none
//!       develop: warn
//!       build: warn
//!       stage-release: warn
//!       release: fail
//!       operate: fail
//!     targets:                     # who is told; all optional
//!       roles: [owner, security]
//!       contacts: [alice@example.com]
//!       channels: [security-alerts]
//!     constraints:                 # the policy is violated when any constraint holds
//!       - name: critical           # unique in the policy; the violation's condition key
//!         match: all               # all (default) or any of the conditions
//!         conditions:
//!           - cvss: {at_least: 9.0}
//!   - name: Exploited
//!     threat_level: 10
//!     scope:
//!       category: internet-facing
//!     actions: {release: fail, operate: fail}
//!     constraints:
//!       - name: kev-or-likely
//!         match: any
//!         conditions:
//!           - kev
//!           - epss_at_least: 0.5
//!       - name: high-and-fixable
//!         conditions:                # one advisory must satisfy both
//!           - cvss: {at_least: 7.0, below: 9.0}
//!           - fix_available: true
//!   - name: Banned-components
//!     threat_level: 10
//!     actions: {build: fail, release: fail, operate: fail}
//!     constraints:
//!       - name: ban-list
//!         conditions:
//!           - purl:
//!               - purl: pkg:maven/org.apache.logging.log4j/log4j-core
//!                 below: 2.17.1
//!               - purl: pkg:npm/event-stream@3.3.6
//!               - purl: pkg:npm/ua-parser-js
//!                 at_least: 0.7.29
//!                 below: 0.7.30
//!   - name: Allowed-licenses
//!     threat_level: 5
//!     scope: {organization: acme}
//!     actions: {release: warn}
//!     constraints:
//!       - name: outside-allow-list
//!         conditions:
//!           - license_not_in:
//!               - MIT
//!               - Apache-2.0
//!               - BSD-3-Clause
//!               - GPL-2.0-only WITH Classpath-exception-2.0
//!       - name: unclear
//!         match: any
//!         conditions: [no_license, invalid_license, unknown]
//!   - name: Weak-copyleft-review
//!     threat_level: 4
//!     enabled: false
//!     constraints:
//!       - name: weak-copyleft
//!         conditions:
//!           - license_group: [weak-copyleft]
//!       - name: unscored-or-low
//!         match: any
//!         conditions:
//!           - unscored
//!           - rating: [low, none]
//!           - malicious
//! license_groups:                  # optional: left out, the stored groups are kept
//!   licenses:
//!     MIT: liberal
//!     GPL-3.0-only: copyleft
//!     AGPL-3.0-only: banned
//!     MPL-2.0: weak-copyleft
//!     LicenseRef-Acme-Internal: liberal
//! ```
//!
//! Conditions: `cvss: {at_least, below}` (0–10, `at_least` inclusive, `below` exclusive),
//! `rating: [none|low|medium|high|critical]`, `unscored` (no score and no rating), `kev`,
//! `epss_at_least: P` (0–1), `fix_available: true|false`, `malicious` (an OSV `MAL-` record),
//! `license_group: [banned|copyleft|weak-copyleft|liberal|unknown]` (the license can only be
//! satisfied by licenses of these groups), `license_not_in: [SPDX ids]` (the license cannot be
//! satisfied by these alone; an entry may be `ID WITH EXCEPTION`), `no_license`,
//! `invalid_license` (not an SPDX expression), `purl: [{purl, below, at_least}]` (a purl
//! without version is every version, with one that version; bounds compare in the
//! ecosystem's order and cannot go with a version), `unknown` (no purl or no version).
//! The security conditions (`cvss` to `malicious`) are tested per advisory: under `all`, one
//! advisory must satisfy all of them.
//!
//! # Reading hostile files
//!
//! The file is read with `serde-saphyr` (pure Rust, made for untrusted input): anchors and
//! aliases are refused (no "billion laughs"), a key written twice is an error, nesting is
//! capped at [`MAX_DEPTH`], node and event budgets are the file's size, and files larger than
//! [`MAX_FILE_BYTES`] are refused before parsing. Every error names its line and column:
//! syntax and shape errors (unknown fields, conditions or stage names) come from the parser;
//! the checks after parsing find the line of the offending policy, constraint or condition
//! by reading the file a second time into a shadow of the format made of
//! `serde_saphyr::Spanned` locations.

use std::collections::HashMap;
use std::fmt;

use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_saphyr::{options::DuplicateKeyPolicy, Budget, Options, Spanned};
use vigil_model::PackageRef;

use crate::{Condition, Policy, PolicySet, PurlPattern};

/// The format version this module reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// Far above any real policy file (the reference set with every license group is ~25 KB).
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// A policy file nests about eight levels (set, policies, policy, constraints, constraint,
/// conditions, condition, purl patterns).
pub const MAX_DEPTH: usize = 24;

/// One problem in a policy file, with where it is when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyFileError {
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl fmt::Display for PolicyFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => {
                write!(f, "line {line}, column {column}: {}", self.message)
            }
            (Some(line), None) => write!(f, "line {line}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for PolicyFileError {}

impl PolicyFileError {
    fn at(position: Option<Position>, message: String) -> Self {
        PolicyFileError {
            line: position.map(|p| p.line),
            column: position.map(|p| p.column),
            message,
        }
    }
}

/// Writes a policy set as YAML (see the module doc for the format).
pub fn to_yaml(set: &PolicySet) -> String {
    let body = serde_saphyr::to_string(set)
        .expect("policy types serialize: plain structs, enums, strings and numbers");
    format!("# Vigil policies, format version {FORMAT_VERSION}.\n{body}")
}

/// Reads a policy file's bytes: [`from_yaml`], after checking that they are UTF-8 text.
pub fn from_yaml_bytes(bytes: &[u8]) -> Result<PolicySet, Vec<PolicyFileError>> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(vec![too_large(bytes.len())]);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => from_yaml(text),
        Err(error) => {
            let valid = &bytes[..error.valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            let line_start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&valid[line_start..])
                .chars()
                .count()
                + 1;
            Err(vec![PolicyFileError {
                line: Some(line),
                column: Some(column),
                message: "not UTF-8 text".into(),
            }])
        }
    }
}

fn too_large(len: usize) -> PolicyFileError {
    PolicyFileError {
        line: None,
        column: None,
        message: format!(
            "the file is {len} bytes; a policy file may be at most {MAX_FILE_BYTES} bytes"
        ),
    }
}

/// Reads and validates a policy file. All validation errors are returned, sorted by line.
pub fn from_yaml(text: &str) -> Result<PolicySet, Vec<PolicyFileError>> {
    if text.len() > MAX_FILE_BYTES {
        return Err(vec![too_large(text.len())]);
    }
    let set: PolicySet = serde_saphyr::from_str_with_options(text, options(text))
        .map_err(|e| vec![parse_error(&e)])?;
    // The same text parsed, so the shadow parses too; should it not, errors go without lines.
    let positions: SetPositions =
        serde_saphyr::from_str_with_options(text, options(text)).unwrap_or_default();
    let mut errors = validate(&set, &positions);
    if errors.is_empty() {
        Ok(set)
    } else {
        errors.sort_by_key(|e| (e.line.is_none(), e.line, e.column));
        Err(errors)
    }
}

fn options(text: &str) -> Options {
    let mut budget = Budget::default();
    budget.max_aliases = 0;
    budget.max_anchors = 0;
    budget.max_depth = MAX_DEPTH;
    budget.max_events = text.len().saturating_add(1024);
    budget.max_nodes = text.len().saturating_add(1024);
    budget.max_total_scalar_bytes = text.len().saturating_add(1024);
    budget.max_documents = 1;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.duplicate_keys = DuplicateKeyPolicy::Error;
    options.with_snippet = false;
    options
}

fn parse_error(error: &serde_saphyr::Error) -> PolicyFileError {
    let location = error.location().filter(|l| l.line() > 0);
    let rendered = error.to_string();
    let mut message = rendered.lines().next().unwrap_or("").trim().to_string();
    // The location is carried separately; drop its repetition from the message.
    if let Some(index) = message.rfind(" at line ") {
        message.truncate(index);
    }
    PolicyFileError {
        line: location.map(|l| l.line() as usize),
        column: location.map(|l| l.column() as usize),
        message: format!("not a valid policy file: {message}"),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Position {
    line: usize,
    column: usize,
}

fn position<T>(spanned: &Spanned<T>) -> Option<Position> {
    let location = spanned.referenced;
    (location.line() > 0).then(|| Position {
        line: location.line() as usize,
        column: location.column() as usize,
    })
}

/// Where the parts of a policy file are: a shadow of the format that keeps only locations.
#[derive(Deserialize, Default)]
struct SetPositions {
    #[serde(default)]
    version: Option<Spanned<IgnoredAny>>,
    #[serde(default)]
    policies: Vec<Spanned<PolicyPositions>>,
}

#[derive(Deserialize)]
struct PolicyPositions {
    #[serde(default)]
    threat_level: Option<Spanned<IgnoredAny>>,
    #[serde(default)]
    constraints: Vec<Spanned<ConstraintPositions>>,
}

#[derive(Deserialize)]
struct ConstraintPositions {
    #[serde(default)]
    conditions: Vec<Spanned<IgnoredAny>>,
}

/// The checks [`from_yaml`] makes after parsing, for a set that did not come from a file:
/// the same messages, without lines.
pub fn validate_set(set: &PolicySet) -> Vec<PolicyFileError> {
    validate(set, &SetPositions::default())
}

/// The checks a policies file gets after parsing, for policies edited elsewhere (the desktop
/// editor): one message per problem, naming the policy.
pub fn validate_policies(policies: &[Policy]) -> Vec<String> {
    let mut errors = Vec::new();
    validate_policy_list(policies, &SetPositions::default(), &mut errors);
    errors.into_iter().map(|error| error.message).collect()
}

fn validate(set: &PolicySet, positions: &SetPositions) -> Vec<PolicyFileError> {
    let mut errors = Vec::new();
    if set.version != FORMAT_VERSION {
        errors.push(PolicyFileError::at(
            positions.version.as_ref().and_then(position),
            format!(
                "version must be {FORMAT_VERSION}, found {} (this Vigil reads format {FORMAT_VERSION})",
                set.version
            ),
        ));
    }
    validate_policy_list(&set.policies, positions, &mut errors);
    errors
}

fn validate_policy_list(
    policies: &[Policy],
    positions: &SetPositions,
    errors: &mut Vec<PolicyFileError>,
) {
    let mut names: HashMap<&str, Option<Position>> = HashMap::new();
    for (index, policy) in policies.iter().enumerate() {
        let shadow = positions.policies.get(index);
        let at = shadow.and_then(position);
        let label = if policy.name.trim().is_empty() {
            format!("policy {}", index + 1)
        } else {
            format!("policy {:?}", policy.name)
        };
        if policy.name.trim().is_empty() {
            errors.push(PolicyFileError::at(
                at,
                format!("{label} has an empty name"),
            ));
        } else if policy.name.trim() != policy.name {
            errors.push(PolicyFileError::at(
                at,
                format!("{label}: the name starts or ends with spaces"),
            ));
        } else if let Some(first) = names.insert(&policy.name, at) {
            let first = first
                .map(|p| format!(" (first at line {})", p.line))
                .unwrap_or_default();
            errors.push(PolicyFileError::at(
                at,
                format!("{label} is named twice{first}: policy names must be unique"),
            ));
        }
        if policy.threat_level > 10 {
            let at = shadow
                .and_then(|s| s.value.threat_level.as_ref())
                .and_then(position)
                .or(at);
            errors.push(PolicyFileError::at(
                at,
                format!(
                    "{label}: threat_level must be 0–10, found {}",
                    policy.threat_level
                ),
            ));
        }
        validate_constraints(policy, &label, at, shadow, errors);
    }
}

fn validate_constraints(
    policy: &Policy,
    label: &str,
    at: Option<Position>,
    shadow: Option<&Spanned<PolicyPositions>>,
    errors: &mut Vec<PolicyFileError>,
) {
    if policy.constraints.is_empty() {
        errors.push(PolicyFileError::at(
            at,
            format!("{label} has no constraints: it needs at least one"),
        ));
    }
    let mut names: HashMap<&str, Option<Position>> = HashMap::new();
    for (index, constraint) in policy.constraints.iter().enumerate() {
        let shadow = shadow.and_then(|s| s.value.constraints.get(index));
        let at = shadow.and_then(position).or(at);
        let constraint_label = if constraint.name.trim().is_empty() {
            format!("{label}, constraint {}", index + 1)
        } else {
            format!("{label}, constraint {:?}", constraint.name)
        };
        if constraint.name.trim().is_empty() {
            errors.push(PolicyFileError::at(
                at,
                format!("{constraint_label} has an empty name"),
            ));
        } else if let Some(first) = names.insert(&constraint.name, at) {
            let first = first
                .map(|p| format!(" (first at line {})", p.line))
                .unwrap_or_default();
            errors.push(PolicyFileError::at(
                at,
                format!(
                    "{constraint_label} is named twice{first}: constraint names must be unique within a policy"
                ),
            ));
        }
        if constraint.conditions.is_empty() {
            errors.push(PolicyFileError::at(
                at,
                format!("{constraint_label} has no conditions: it needs at least one"),
            ));
        }
        for (index, condition) in constraint.conditions.iter().enumerate() {
            let at = shadow
                .and_then(|s| s.value.conditions.get(index))
                .and_then(position)
                .or(at);
            for problem in check_condition(condition) {
                errors.push(PolicyFileError::at(
                    at,
                    format!("{constraint_label}: {problem}"),
                ));
            }
        }
    }
}

/// What is wrong with one condition (serde already checked its shape).
pub fn check_condition(condition: &Condition) -> Vec<String> {
    let mut problems = Vec::new();
    match condition {
        Condition::Cvss(bound) => {
            for (name, value) in [("at_least", bound.at_least), ("below", bound.below)] {
                if let Some(value) = value {
                    if !(0.0..=10.0).contains(&value) {
                        problems.push(format!("cvss {name} must be within 0–10, found {value}"));
                    }
                }
            }
            if let (Some(low), Some(high)) = (bound.at_least, bound.below) {
                if low >= high {
                    problems.push(format!(
                        "cvss at_least ({low}) must be less than below ({high})"
                    ));
                }
            }
        }
        Condition::EpssAtLeast(p) => {
            if !(0.0..=1.0).contains(p) {
                problems.push(format!("epss_at_least must be within 0–1, found {p}"));
            }
        }
        Condition::Rating(ratings) if ratings.is_empty() => {
            problems.push("rating needs at least one rating".into())
        }
        Condition::LicenseGroup(groups) if groups.is_empty() => {
            problems.push("license_group needs at least one group".into())
        }
        Condition::LicenseNotIn(allowed) => {
            if allowed.is_empty() {
                problems.push("license_not_in needs at least one license".into());
            }
            for entry in allowed {
                if let Err(problem) = crate::license::validate_allow_entry(entry) {
                    problems.push(format!("license_not_in: {problem}"));
                }
            }
        }
        Condition::Purl(patterns) => {
            if patterns.is_empty() {
                problems.push("purl needs at least one pattern".into());
            }
            for pattern in patterns {
                if let Err(problem) = check_pattern(pattern) {
                    problems.push(format!("purl: {problem}"));
                }
            }
        }
        Condition::Rating(_)
        | Condition::LicenseGroup(_)
        | Condition::Unscored
        | Condition::Kev
        | Condition::FixAvailable(_)
        | Condition::Malicious
        | Condition::NoLicense
        | Condition::InvalidLicense
        | Condition::Unknown => {}
    }
    problems
}

/// Whether a purl pattern is usable: it parses, carries a version only without bounds, and
/// its bounds are versions of its ecosystem in order.
pub fn check_pattern(pattern: &PurlPattern) -> Result<(), String> {
    let package = PackageRef::parse_purl(&pattern.purl).map_err(|e| e.to_string())?;
    let bounded = pattern.below.is_some() || pattern.at_least.is_some();
    if bounded && package.version.is_some() {
        return Err(format!(
            "{:?} has a version and bounds: give either a version (that version) or bounds",
            pattern.purl
        ));
    }
    for bound in [&pattern.at_least, &pattern.below].into_iter().flatten() {
        vigil_advisories::version::Version::parse(package.ecosystem, bound).map_err(|e| {
            format!(
                "{:?}: {bound:?} is not a version of its ecosystem ({e})",
                pattern.purl
            )
        })?;
    }
    if let (Some(low), Some(high)) = (&pattern.at_least, &pattern.below) {
        let order = vigil_advisories::version::compare(package.ecosystem, low, high)
            .map_err(|e| e.to_string())?;
        if order != std::cmp::Ordering::Less {
            return Err(format!(
                "{:?}: at_least {low} must be below {high}",
                pattern.purl
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
