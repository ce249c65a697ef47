//! The plan as code: `vigil plan export|import`. Import is all or nothing; every problem is
//! reported as `FILE: line N, column M: …` (as policies as code does).
//!
//! Read as `vigil-policy`'s policies are: serde-saphyr with aliases and anchors refused, a
//! budget sized to the text, one document, duplicate keys refused, unknown fields refused by
//! the model's `deny_unknown_fields`; then every validation problem at once, located by a
//! second parse of the same text into a shadow of the format made of `Spanned` locations.
//! `crates/vigil-engine/fixtures/plan.yaml` shows every field, commented.

use std::collections::HashMap;
use std::fmt;

use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_saphyr::{options::DuplicateKeyPolicy, Budget, Options, Spanned};

use super::model::{Plan, BANDS, ROLES, TIERS};
use crate::schedule::{parse_at, parse_timezone};

/// Far above any real plan (the fixture with every field is about 4 KB).
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

/// A plan nests five levels (plan, tiers, tier, rule, channel list); room for a few more.
pub const MAX_DEPTH: usize = 16;

/// The furthest ahead a waiver-expiring alert may look: a year.
const MAX_WAIVER_DAYS: u32 = 365;

/// Parses and validates a plan. `channels` are the channel names that exist (a plan naming
/// another is refused); `source` names the file in errors.
///
/// Every problem found is reported, one per line, sorted by position:
/// `plan.yaml: line 4, column 14: tiers.critical.roles: unknown role "boss" (…)`. A file that
/// does not parse reports the parser's one error, with its line and column.
pub fn parse_plan(text: &str, source: &str, channels: &[String]) -> Result<Plan, String> {
    if text.len() > MAX_FILE_BYTES {
        return Err(render(
            source,
            vec![PlanError {
                at: None,
                message: format!(
                    "the file is {} bytes; a plan may be at most {MAX_FILE_BYTES} bytes",
                    text.len()
                ),
            }],
        ));
    }
    // The shadow accepts any value where the plan wants a number or a word, so it also names
    // the field of a value the plan's parse refuses; should it fail, errors go without lines.
    let positions: PlanPositions =
        serde_saphyr::from_str_with_options(text, options(text)).unwrap_or_default();
    let plan: Plan = serde_saphyr::from_str_with_options(text, options(text))
        .map_err(|e| render(source, vec![parse_error(&e, &positions)]))?;
    let mut errors = validate(&plan, channels, &positions);
    if errors.is_empty() {
        Ok(plan)
    } else {
        errors.sort_by_key(|e| (e.at.is_none(), e.at));
        Err(render(source, errors))
    }
}

/// Validates a plan given as a value (the Plan screen's save): the same rules as `parse_plan`,
/// errors naming the field (`tiers.critical.roles: unknown role "boss"`), one per line.
///
/// The rules: tiers are `critical|high|medium|low`; roles `owner|developer|security|manager`;
/// SLA bands `critical|severe|moderate|low`; every channel named exists; `digest_at` and the
/// quiet hours' `from`/`to` are `HH:MM` (24-hour) and `from` ≠ `to`; `timezone` is empty or
/// an IANA zone; `min_threat_level` and `except_at_least` are 0–10; SLA days at least 1;
/// `expiring_within_days` 1–365; `owners_only` is true (Vigil never writes to another
/// application's contacts, and a plan that says otherwise would lie).
pub fn validate_plan(plan: &Plan, channels: &[String]) -> Result<(), String> {
    let errors = validate(plan, channels, &PlanPositions::default());
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors
            .into_iter()
            .map(|e| e.message)
            .collect::<Vec<_>>()
            .join("\n"))
    }
}

/// The plan as YAML, commented at the top, that `parse_plan` reads back to the same plan.
pub fn export_plan(plan: &Plan) -> String {
    let body = serde_saphyr::to_string(plan)
        .expect("plan types serialize: plain structs, maps, enums, strings and numbers");
    format!("{HEADER}{body}")
}

const HEADER: &str = "\
# Vigil notification plan: `vigil plan export` writes it, `vigil plan import FILE` reads it
# (all or nothing). Every field is shown, commented, in crates/vigil-engine/fixtures/plan.yaml.
#
# tiers: per priority tier (critical, high, medium, low): channels; roles (owner, developer,
#   security, manager) whose contacts of the application the tier's email channels also write
#   to; delivery (immediate or digest); min_threat_level (0-10, lower is not sent). A tier
#   left out is told nothing; no tier at all sends every alert to every enabled channel at once.
# digest_at, timezone: when digests go out (HH:MM in an IANA zone; empty is the system's).
# owners_only: always true: people hear only about the applications they hold a role on.
# quiet_hours: from, to (HH:MM, may wrap past midnight): alerts below except_at_least wait.
# sla: days per threat band (critical 8-10, severe 4-7, moderate 2-3, low 0-1) a violation may
#   stay open before it escalates to the escalate_to roles through channels (none: every
#   enabled email channel); a band left out never escalates.
# waivers: a waiver expiring within expiring_within_days is announced on channels (none: the
#   tiers' channels).
# announce_resolved: whether RESOLVED alerts are sent (they are always recorded).
";

/// One problem, with where it is when known.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PlanError {
    at: Option<Position>,
    message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Position {
    line: usize,
    column: usize,
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some(p) => write!(f, "line {}, column {}: {}", p.line, p.column, self.message),
            None => f.write_str(&self.message),
        }
    }
}

fn render(source: &str, errors: Vec<PlanError>) -> String {
    errors
        .iter()
        .map(|e| format!("{source}: {e}"))
        .collect::<Vec<_>>()
        .join("\n")
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

fn parse_error(error: &serde_saphyr::Error, positions: &PlanPositions) -> PlanError {
    let location = error.location().filter(|l| l.line() > 0);
    let rendered = error.to_string();
    let mut message = rendered.lines().next().unwrap_or("").trim().to_string();
    // The location is carried separately; drop its repetition from the message.
    if let Some(index) = message.rfind(" at line ") {
        message.truncate(index);
    }
    // The library's advice to its caller is not the user's.
    if let Some(index) = message.find(", set DuplicateKeyPolicy") {
        message.truncate(index);
    }
    // serde's "invalid u8" says little to someone who wrote `min_threat_level: high`.
    if message.starts_with("invalid u") || message.starts_with("invalid i") {
        message = "expected a whole number, 0 or more".to_string();
    }
    let at = location.map(|l| Position {
        line: l.line() as usize,
        column: l.column() as usize,
    });
    // A refused value is named by its field when the shadow knows where that field is.
    if let Some(field) = at.and_then(|at| field_at(positions, at)) {
        message = format!("{field}: {message}");
    }
    PlanError {
        at,
        message: format!("not a valid plan: {message}"),
    }
}

/// The field whose value is at `at`, among the plan's numbers, times and words.
fn field_at(positions: &PlanPositions, at: Position) -> Option<String> {
    let mut fields: Vec<(Option<Position>, String)> = vec![
        (spot(&positions.digest_at), "digest_at".into()),
        (spot(&positions.timezone), "timezone".into()),
        (spot(&positions.owners_only), "owners_only".into()),
        (
            spot(&positions.announce_resolved),
            "announce_resolved".into(),
        ),
    ];
    for (tier, rule) in &positions.tiers {
        for (name, value) in [
            ("min_threat_level", &rule.value.min_threat_level),
            ("delivery", &rule.value.delivery),
        ] {
            fields.push((spot(value), format!("tiers.{}.{name}", tier.value)));
        }
    }
    if let Some(quiet) = &positions.quiet_hours {
        for (name, value) in [
            ("from", &quiet.value.from),
            ("to", &quiet.value.to),
            ("except_at_least", &quiet.value.except_at_least),
        ] {
            fields.push((spot(value), format!("quiet_hours.{name}")));
        }
    }
    if let Some(sla) = &positions.sla {
        for (band, value) in &sla.value.days {
            fields.push((position(value), format!("sla.days.{}", band.value)));
        }
    }
    if let Some(waivers) = &positions.waivers {
        fields.push((
            spot(&waivers.value.expiring_within_days),
            "waivers.expiring_within_days".into(),
        ));
    }
    fields
        .into_iter()
        .find(|(p, _)| *p == Some(at))
        .map(|(_, field)| field)
}

fn position<T>(spanned: &Spanned<T>) -> Option<Position> {
    let location = spanned.referenced;
    (location.line() > 0).then(|| Position {
        line: location.line() as usize,
        column: location.column() as usize,
    })
}

type Spot = Option<Spanned<IgnoredAny>>;

/// Where the parts of a plan file are: a shadow of the format that keeps only locations.
#[derive(Deserialize, Default)]
#[serde(default)]
struct PlanPositions {
    tiers: HashMap<Spanned<String>, Spanned<TierPositions>>,
    digest_at: Spot,
    timezone: Spot,
    owners_only: Spot,
    announce_resolved: Spot,
    quiet_hours: Option<Spanned<QuietPositions>>,
    sla: Option<Spanned<SlaPositions>>,
    waivers: Option<Spanned<WaiverPositions>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TierPositions {
    channels: Vec<Spanned<IgnoredAny>>,
    roles: Vec<Spanned<IgnoredAny>>,
    min_threat_level: Spot,
    delivery: Spot,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct QuietPositions {
    from: Spot,
    to: Spot,
    except_at_least: Spot,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SlaPositions {
    days: HashMap<Spanned<String>, Spanned<IgnoredAny>>,
    escalate_to: Vec<Spanned<IgnoredAny>>,
    channels: Vec<Spanned<IgnoredAny>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WaiverPositions {
    expiring_within_days: Spot,
    channels: Vec<Spanned<IgnoredAny>>,
}

fn spot(s: &Spot) -> Option<Position> {
    s.as_ref().and_then(position)
}

fn item(list: &[Spanned<IgnoredAny>], index: usize) -> Option<Position> {
    list.get(index).and_then(position)
}

/// A map's entry: where its key is, and its value.
fn entry<'a, T>(
    map: &'a HashMap<Spanned<String>, Spanned<T>>,
    key: &str,
) -> Option<(Option<Position>, &'a Spanned<T>)> {
    map.iter()
        .find(|(k, _)| k.value == key)
        .map(|(k, v)| (position(k), v))
}

struct Checker<'a> {
    channels: &'a [String],
    errors: Vec<PlanError>,
}

impl Checker<'_> {
    fn push(&mut self, at: Option<Position>, message: String) {
        self.errors.push(PlanError { at, message });
    }

    fn names(
        &mut self,
        field: &str,
        names: &[String],
        at: &[Spanned<IgnoredAny>],
        fallback: Option<Position>,
        known: &[&str],
        what: &str,
    ) {
        for (index, name) in names.iter().enumerate() {
            if !known.contains(&name.as_str()) {
                self.push(
                    item(at, index).or(fallback),
                    format!(
                        "{field}: unknown {what} {name:?} (the {what}s are {})",
                        known.join(", ")
                    ),
                );
            }
        }
    }

    fn channels(
        &mut self,
        field: &str,
        names: &[String],
        at: &[Spanned<IgnoredAny>],
        fallback: Option<Position>,
    ) {
        for (index, name) in names.iter().enumerate() {
            if !self.channels.contains(name) {
                let known = if self.channels.is_empty() {
                    "there is no channel yet: add channels first".to_string()
                } else {
                    format!("the channels are {}", self.channels.join(", "))
                };
                self.push(
                    item(at, index).or(fallback),
                    format!("{field}: unknown channel {name:?} ({known})"),
                );
            }
        }
    }

    fn time(&mut self, field: &str, value: &str, at: Option<Position>) -> bool {
        let ok = parse_at(value).is_ok();
        if !ok {
            self.push(
                at,
                format!("{field}: {value:?} is not HH:MM (24-hour, e.g. 07:30)"),
            );
        }
        ok
    }

    fn level(&mut self, field: &str, value: u8, at: Option<Position>) {
        if value > 10 {
            self.push(at, format!("{field}: must be 0–10, found {value}"));
        }
    }
}

fn validate(plan: &Plan, channels: &[String], positions: &PlanPositions) -> Vec<PlanError> {
    let mut check = Checker {
        channels,
        errors: Vec::new(),
    };
    for (tier, rule) in &plan.tiers {
        let (key_at, shadow) = match entry(&positions.tiers, tier) {
            Some((key_at, value)) => (key_at, Some(value)),
            None => (None, None),
        };
        let rule_at = shadow.and_then(position).or(key_at);
        let field = format!("tiers.{tier}");
        if !TIERS.contains(&tier.as_str()) {
            check.push(
                key_at.or(rule_at),
                format!(
                    "{field}: unknown tier {tier:?} (the tiers are {})",
                    TIERS.join(", ")
                ),
            );
        }
        let none: &[Spanned<IgnoredAny>] = &[];
        check.channels(
            &format!("{field}.channels"),
            &rule.channels,
            shadow.map_or(none, |s| &s.value.channels),
            rule_at,
        );
        check.names(
            &format!("{field}.roles"),
            &rule.roles,
            shadow.map_or(none, |s| &s.value.roles),
            rule_at,
            &ROLES,
            "role",
        );
        check.level(
            &format!("{field}.min_threat_level"),
            rule.min_threat_level,
            shadow
                .and_then(|s| spot(&s.value.min_threat_level))
                .or(rule_at),
        );
    }

    check.time("digest_at", &plan.digest_at, spot(&positions.digest_at));
    if !plan.timezone.trim().is_empty() && parse_timezone(&plan.timezone).is_err() {
        check.push(
            spot(&positions.timezone),
            format!(
                "timezone: unknown time zone {:?}: give an IANA name such as Europe/Berlin or UTC, or leave it empty for the system's",
                plan.timezone
            ),
        );
    }
    if !plan.owners_only {
        check.push(
            spot(&positions.owners_only),
            "owners_only: must be true: an email channel never writes to another application's contacts".to_string(),
        );
    }

    if let Some(quiet) = &plan.quiet_hours {
        let shadow = positions.quiet_hours.as_ref();
        let at = shadow.and_then(position);
        let from_at = shadow.and_then(|s| spot(&s.value.from)).or(at);
        let to_at = shadow.and_then(|s| spot(&s.value.to)).or(at);
        let from_ok = check.time("quiet_hours.from", &quiet.from, from_at);
        let to_ok = check.time("quiet_hours.to", &quiet.to, to_at);
        if from_ok && to_ok && parse_at(&quiet.from).ok() == parse_at(&quiet.to).ok() {
            check.push(
                at,
                format!(
                    "quiet_hours: from and to are both {}: give the hours they span, e.g. from 20:00 to 07:00",
                    quiet.from
                ),
            );
        }
        check.level(
            "quiet_hours.except_at_least",
            quiet.except_at_least,
            shadow.and_then(|s| spot(&s.value.except_at_least)).or(at),
        );
    }

    let sla = positions.sla.as_ref();
    let sla_at = sla.and_then(position);
    for (band, days) in &plan.sla.days {
        let (key_at, value_at) = match sla.and_then(|s| entry(&s.value.days, band)) {
            Some((key_at, value)) => (key_at, position(value)),
            None => (None, None),
        };
        if !BANDS.contains(&band.as_str()) {
            check.push(
                key_at.or(sla_at),
                format!(
                    "sla.days: unknown band {band:?} (the bands are {})",
                    BANDS.join(", ")
                ),
            );
        }
        if *days < 1 {
            check.push(
                value_at.or(key_at).or(sla_at),
                format!("sla.days.{band}: must be at least 1 day, found {days} (leave the band out for no escalation)"),
            );
        }
    }
    let none: &[Spanned<IgnoredAny>] = &[];
    check.names(
        "sla.escalate_to",
        &plan.sla.escalate_to,
        sla.map_or(none, |s| &s.value.escalate_to),
        sla_at,
        &ROLES,
        "role",
    );
    check.channels(
        "sla.channels",
        &plan.sla.channels,
        sla.map_or(none, |s| &s.value.channels),
        sla_at,
    );

    let waivers = positions.waivers.as_ref();
    let waivers_at = waivers.and_then(position);
    let days = plan.waivers.expiring_within_days;
    if !(1..=MAX_WAIVER_DAYS).contains(&days) {
        check.push(
            waivers
                .and_then(|s| spot(&s.value.expiring_within_days))
                .or(waivers_at),
            format!("waivers.expiring_within_days: must be 1–{MAX_WAIVER_DAYS}, found {days}"),
        );
    }
    check.channels(
        "waivers.channels",
        &plan.waivers.channels,
        waivers.map_or(none, |s| &s.value.channels),
        waivers_at,
    );
    check.errors
}

#[cfg(test)]
mod tests;
