use std::collections::BTreeMap;

use super::*;
use crate::plan::model::{DeliveryMode, QuietHours, Sla, TierRule, WaiverAlerts};

const FIXTURE: &str = include_str!("../../../fixtures/plan.yaml");

fn channels() -> Vec<String> {
    ["appsec-mail", "managers-mail", "dev-slack", "jira-sec"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn errors(text: &str) -> Vec<String> {
    parse_plan(text, "plan.yaml", &channels())
        .expect_err("refused")
        .lines()
        .map(str::to_string)
        .collect()
}

fn round_trip(plan: &Plan) {
    let text = export_plan(plan);
    assert!(text.starts_with("# Vigil notification plan"), "{text}");
    let back = parse_plan(&text, "exported.yaml", &channels())
        .unwrap_or_else(|e| panic!("{e}\nin\n{text}"));
    assert_eq!(&back, plan, "{text}");
}

#[test]
fn the_fixture_parses_with_every_field() {
    let plan = parse_plan(FIXTURE, "plan.yaml", &channels()).unwrap();
    let rule = |channels: &[&str], roles: &[&str], delivery, min| TierRule {
        channels: strings(channels),
        roles: strings(roles),
        delivery,
        min_threat_level: min,
    };
    let expected = Plan {
        tiers: BTreeMap::from([
            (
                "critical".to_string(),
                rule(
                    &["appsec-mail", "dev-slack", "jira-sec"],
                    &["owner", "security"],
                    DeliveryMode::Immediate,
                    0,
                ),
            ),
            (
                "high".to_string(),
                rule(
                    &["appsec-mail", "dev-slack"],
                    &["owner"],
                    DeliveryMode::Immediate,
                    4,
                ),
            ),
            (
                "medium".to_string(),
                rule(
                    &["appsec-mail"],
                    &["owner", "developer"],
                    DeliveryMode::Digest,
                    7,
                ),
            ),
        ]),
        digest_at: "08:00".into(),
        timezone: "Europe/Berlin".into(),
        owners_only: true,
        quiet_hours: Some(QuietHours {
            from: "20:00".into(),
            to: "07:00".into(),
            except_at_least: 8,
        }),
        sla: Sla {
            days: BTreeMap::from([
                ("critical".to_string(), 7),
                ("severe".to_string(), 30),
                ("moderate".to_string(), 90),
            ]),
            escalate_to: strings(&["manager", "security"]),
            channels: strings(&["managers-mail", "jira-sec"]),
        },
        waivers: WaiverAlerts {
            expiring_within_days: 14,
            channels: strings(&["appsec-mail"]),
        },
        announce_resolved: true,
    };
    assert_eq!(plan, expected);
    round_trip(&plan);
}

#[test]
fn the_default_plan_and_others_round_trip() {
    round_trip(&Plan::default());
    let mut plan = parse_plan(FIXTURE, "plan.yaml", &channels()).unwrap();
    plan.quiet_hours = None;
    plan.timezone = String::new();
    plan.announce_resolved = false;
    plan.digest_at = "23:59".into();
    plan.sla.days.clear();
    plan.sla.escalate_to.clear();
    plan.tiers.insert("low".into(), TierRule::default());
    round_trip(&plan);
}

#[test]
fn what_is_left_out_takes_its_default() {
    assert_eq!(
        parse_plan("{}\n", "plan.yaml", &[]).unwrap(),
        Plan::default()
    );
    let plan = parse_plan(
        "tiers:\n  low: {}\nquiet_hours:\n  from: '22:00'\n  to: '06:00'\n",
        "plan.yaml",
        &[],
    )
    .unwrap();
    assert_eq!(plan.tiers["low"], TierRule::default());
    assert_eq!(plan.quiet_hours.unwrap().except_at_least, 8);
    assert_eq!(plan.sla, Sla::default());
    assert_eq!(plan.waivers, WaiverAlerts::default());
    // Unquoted times read as text, not as sexagesimal numbers.
    let plan = parse_plan("digest_at: 08:00\n", "plan.yaml", &[]).unwrap();
    assert_eq!(plan.digest_at, "08:00");
}

#[test]
fn parse_errors_carry_the_file_line_and_column() {
    let cases = [
        // (text, line, a word of the message)
        (
            "tiers:\n  critical:\n    chanels: [appsec-mail]\n",
            3,
            "chanels",
        ),
        (
            "tiers:\n  critical:\n    min_threat_level: high\n",
            3,
            "tiers.critical.min_threat_level: expected a whole number",
        ),
        (
            "tiers:\n  critical:\n    delivery: weekly\n",
            3,
            "tiers.critical.delivery: unknown variant `weekly`",
        ),
        ("digest_at: '08:00'\nsla:\n  days: [7, 30]\n", 3, "mapping"),
        (
            "timezone: UTC\ntiers: {critical: {channels: [appsec-mail}}\n",
            2,
            "plan",
        ),
        ("timezone: UTC\ndigest_at: \"08:00\n", 2, "plan"),
        (
            "waivers:\n  expiring_within_days: -3\n",
            2,
            "waivers.expiring_within_days: expected a whole number",
        ),
        (
            "digest_at: '08:00'\ndigest_at: '09:00'\n",
            2,
            "duplicate mapping key: digest_at",
        ),
        ("version: 1\n", 1, "version"),
    ];
    for (text, line, word) in cases {
        let errors = errors(text);
        assert_eq!(errors.len(), 1, "{errors:?}");
        let prefix = format!("plan.yaml: line {line}, column ");
        assert!(
            errors[0].starts_with(&prefix),
            "{:?} for\n{text}",
            errors[0]
        );
        assert!(errors[0].contains("not a valid plan"), "{:?}", errors[0]);
        assert!(errors[0].contains(word), "{:?} lacks {word:?}", errors[0]);
    }
}

#[test]
fn aliases_several_documents_and_huge_files_are_refused() {
    let aliased = "tiers:\n  critical: &rule\n    channels: [appsec-mail]\n  high: *rule\n";
    assert!(parse_plan(aliased, "plan.yaml", &channels()).is_err());
    let two = "digest_at: '08:00'\n---\ndigest_at: '09:00'\n";
    assert!(parse_plan(two, "plan.yaml", &channels()).is_err());
    let huge = format!("timezone: UTC\n#{}\n", "x".repeat(MAX_FILE_BYTES));
    let error = parse_plan(&huge, "plan.yaml", &channels()).unwrap_err();
    assert!(error.starts_with("plan.yaml: the file is "), "{error}");
    let deep = format!("tiers: {}{}\n", "[".repeat(100), "]".repeat(100));
    assert!(parse_plan(&deep, "plan.yaml", &channels()).is_err());
}

const INVALID: &str = "\
tiers:
  urgent:
    channels: [appsec-mail]
  critical:
    channels: [appsec-mail, ghost]
    roles: [owner, boss]
    min_threat_level: 11
digest_at: '8:00'
timezone: Mars/Olympus
owners_only: false
quiet_hours:
  from: '25:00'
  to: '07:00'
  except_at_least: 12
sla:
  days:
    critical: 0
    urgent: 3
  escalate_to: [ceo]
  channels: [pager]
waivers:
  expiring_within_days: 400
  channels: [nowhere]
";

#[test]
fn every_validation_refusal_is_reported_at_its_line() {
    assert_eq!(
        errors(INVALID),
        [
            r#"plan.yaml: line 2, column 3: tiers.urgent: unknown tier "urgent" (the tiers are critical, high, medium, low)"#,
            r#"plan.yaml: line 5, column 29: tiers.critical.channels: unknown channel "ghost" (the channels are appsec-mail, managers-mail, dev-slack, jira-sec)"#,
            r#"plan.yaml: line 6, column 20: tiers.critical.roles: unknown role "boss" (the roles are owner, developer, security, manager)"#,
            "plan.yaml: line 7, column 23: tiers.critical.min_threat_level: must be 0–10, found 11",
            r#"plan.yaml: line 8, column 12: digest_at: "8:00" is not HH:MM (24-hour, e.g. 07:30)"#,
            r#"plan.yaml: line 9, column 11: timezone: unknown time zone "Mars/Olympus": give an IANA name such as Europe/Berlin or UTC, or leave it empty for the system's"#,
            "plan.yaml: line 10, column 14: owners_only: must be true: an email channel never writes to another application's contacts",
            r#"plan.yaml: line 12, column 9: quiet_hours.from: "25:00" is not HH:MM (24-hour, e.g. 07:30)"#,
            "plan.yaml: line 14, column 20: quiet_hours.except_at_least: must be 0–10, found 12",
            "plan.yaml: line 17, column 15: sla.days.critical: must be at least 1 day, found 0 (leave the band out for no escalation)",
            r#"plan.yaml: line 18, column 5: sla.days: unknown band "urgent" (the bands are critical, severe, moderate, low)"#,
            r#"plan.yaml: line 19, column 17: sla.escalate_to: unknown role "ceo" (the roles are owner, developer, security, manager)"#,
            r#"plan.yaml: line 20, column 14: sla.channels: unknown channel "pager" (the channels are appsec-mail, managers-mail, dev-slack, jira-sec)"#,
            "plan.yaml: line 22, column 25: waivers.expiring_within_days: must be 1–365, found 400",
            r#"plan.yaml: line 23, column 14: waivers.channels: unknown channel "nowhere" (the channels are appsec-mail, managers-mail, dev-slack, jira-sec)"#,
        ]
    );
}

#[test]
fn quiet_hours_must_span_some_time_and_waivers_look_ahead_at_least_a_day() {
    let errors = errors(
        "quiet_hours:\n  from: '07:00'\n  to: '07:00'\nwaivers:\n  expiring_within_days: 0\n",
    );
    assert_eq!(
        errors,
        [
            "plan.yaml: line 2, column 3: quiet_hours: from and to are both 07:00: give the hours they span, e.g. from 20:00 to 07:00",
            "plan.yaml: line 5, column 25: waivers.expiring_within_days: must be 1–365, found 0",
        ]
    );
}

#[test]
fn a_plan_naming_a_channel_when_there_is_none_says_to_add_channels() {
    let error = parse_plan("tiers:\n  low:\n    channels: [mail]\n", "-", &[]).unwrap_err();
    assert_eq!(
        error,
        r#"-: line 3, column 16: tiers.low.channels: unknown channel "mail" (there is no channel yet: add channels first)"#
    );
}

#[test]
fn validate_plan_names_the_field_without_lines() {
    let mut plan = Plan::default();
    assert_eq!(validate_plan(&plan, &[]), Ok(()));
    plan.tiers.insert(
        "critical".into(),
        TierRule {
            roles: strings(&["boss"]),
            ..TierRule::default()
        },
    );
    plan.sla.days.insert("low".into(), 0);
    plan.timezone = "Europe/Berlin".into();
    assert_eq!(
        validate_plan(&plan, &[]).unwrap_err(),
        "tiers.critical.roles: unknown role \"boss\" (the roles are owner, developer, security, manager)\n\
         sla.days.low: must be at least 1 day, found 0 (leave the band out for no escalation)"
    );
    // Every refusal of the file is a refusal of the value too.
    let unchecked: Plan = serde_saphyr::from_str(INVALID).unwrap();
    assert_eq!(
        validate_plan(&unchecked, &channels())
            .unwrap_err()
            .lines()
            .count(),
        15
    );
}

#[test]
fn the_readme_example_parses() {
    let readme = include_str!("../../../../../README.md");
    let section = &readme[readme.find("## Notification plan").expect("the section")..];
    let start = section.find("```yaml\n").expect("an example") + "```yaml\n".len();
    let example = &section[start..start + section[start..].find("```").unwrap()];
    let plan = parse_plan(example, "README.md", &channels()).unwrap();
    assert_eq!(plan.tiers.len(), 3);
    assert_eq!(plan.tiers["medium"].delivery, DeliveryMode::Digest);
}

#[test]
fn an_exported_plan_with_no_quiet_hours_still_locates_its_errors() {
    // `quiet_hours: null` and empty lists must not cost the shadow its positions.
    let text = export_plan(&Plan {
        digest_at: "8:00".into(),
        ..Plan::default()
    });
    assert!(text.contains("quiet_hours: null"), "{text}");
    let error = parse_plan(&text, "plan.yaml", &[]).unwrap_err();
    let line = text
        .lines()
        .position(|l| l.starts_with("digest_at:"))
        .unwrap()
        + 1;
    assert_eq!(
        error,
        format!(
            r#"plan.yaml: line {line}, column 12: digest_at: "8:00" is not HH:MM (24-hour, e.g. 07:30)"#
        )
    );
}
