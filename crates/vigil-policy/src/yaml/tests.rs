use super::*;
use crate::{
    default_license_groups, reference_policies, Action, Match, PolicyScope, ScoreBound, ThreatGroup,
};

const EXAMPLE: &str = include_str!("../../fixtures/policies.yaml");

fn errors(text: &str) -> Vec<String> {
    match from_yaml(text) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(errors) => errors.iter().map(|e| e.to_string()).collect(),
    }
}

/// The example in the module doc, without its `//! ` prefixes.
fn doc_example() -> String {
    let source = include_str!("../yaml.rs");
    let mut lines = Vec::new();
    let mut inside = false;
    for line in source.lines() {
        if line.starts_with("//! ```yaml") {
            inside = true;
        } else if inside && line.starts_with("//! ```") {
            break;
        } else if inside {
            lines.push(
                line.strip_prefix("//! ")
                    .unwrap_or(line.trim_start_matches("//!")),
            );
        }
    }
    lines.join("\n") + "\n"
}

#[test]
fn the_documented_example_is_the_fixture_and_parses() {
    assert_eq!(doc_example(), EXAMPLE);
    let set = from_yaml(EXAMPLE).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(set.version, 1);
    let names: Vec<&str> = set.policies.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Security-Critical",
            "Exploited",
            "Banned-components",
            "Allowed-licenses",
            "Weak-copyleft-review"
        ]
    );
    let critical = &set.policies[0];
    assert!(critical.enabled && critical.monitoring && !critical.reference);
    assert_eq!(critical.actions.release, Action::Fail);
    assert_eq!(critical.actions.develop, Action::Warn);
    assert_eq!(critical.targets.roles, ["owner", "security"]);
    assert_eq!(
        critical.constraints[0].conditions,
        [Condition::Cvss(ScoreBound {
            at_least: Some(9.0),
            below: None
        })]
    );
    let exploited = &set.policies[1];
    assert_eq!(
        exploited.scope,
        PolicyScope::Category("internet-facing".into())
    );
    assert_eq!(exploited.actions.develop, Action::None);
    assert_eq!(exploited.constraints[0].operator, Match::Any);
    assert_eq!(exploited.constraints[1].operator, Match::All);
    let Condition::Purl(patterns) = &set.policies[2].constraints[0].conditions[0] else {
        panic!("not a purl condition");
    };
    assert_eq!(patterns[0].below.as_deref(), Some("2.17.1"));
    assert_eq!(patterns[1].purl, "pkg:npm/event-stream@3.3.6");
    assert_eq!(
        set.policies[3].constraints[1].conditions,
        [
            Condition::NoLicense,
            Condition::InvalidLicense,
            Condition::Unknown
        ]
    );
    assert!(!set.policies[4].enabled);
    let groups = set.license_groups.as_ref().unwrap();
    assert_eq!(groups.licenses["MPL-2.0"], ThreatGroup::WeakCopyleft);
    assert_eq!(
        groups.licenses["LicenseRef-Acme-Internal"],
        ThreatGroup::Liberal
    );
    // And it survives a round trip.
    assert_eq!(from_yaml(&to_yaml(&set)).unwrap(), set);
}

#[test]
fn the_reference_set_and_default_groups_round_trip() {
    let set = PolicySet {
        version: 1,
        policies: reference_policies(),
        license_groups: Some(default_license_groups()),
    };
    let text = to_yaml(&set);
    assert!(text.starts_with("# Vigil policies, format version 1.\nversion: 1\n"));
    assert!(text.len() < MAX_FILE_BYTES / 10);
    assert_eq!(from_yaml(&text).unwrap_or_else(|e| panic!("{e:?}")), set);
    // Without groups, the key is left out.
    let bare = PolicySet {
        license_groups: None,
        ..set
    };
    let text = to_yaml(&bare);
    assert!(!text.contains("license_groups"));
    assert_eq!(from_yaml(&text).unwrap(), bare);
}

const MINIMAL: &str = "\
version: 1
policies:
  - name: P
    threat_level: 5
    constraints:
      - name: c
        conditions:
          - kev
";

#[test]
fn defaults_fill_what_is_left_out() {
    let set = from_yaml(MINIMAL).unwrap();
    let p = &set.policies[0];
    assert!(p.enabled && !p.monitoring && !p.reference);
    assert_eq!(p.scope, PolicyScope::Everywhere);
    assert_eq!(p.actions, crate::StageActions::default());
    assert_eq!(p.constraints[0].operator, Match::All);
    assert_eq!(set.license_groups, None);
}

#[test]
fn validation_errors_point_at_their_line() {
    let text = "\
version: 2
policies:
  - name: Dup
    threat_level: 11
    constraints:
      - name: c
        conditions:
          - cvss: {at_least: 9.5, below: 9.0}
          - epss_at_least: 1.5
      - name: c
        conditions: []
  - name: Dup
    threat_level: 3
    constraints: []
  - name: ''
    threat_level: 3
    constraints:
      - name: x
        conditions:
          - purl:
              - purl: not-a-purl
              - purl: pkg:npm/a@1.0.0
                below: 2.0.0
              - purl: pkg:npm/b
                at_least: 2.0.0
                below: 1.0.0
          - license_not_in: [MIT, Not-A-License, LicenseRef-Ours]
          - cvss: {at_least: 11}
";
    let errors = errors(text);
    assert_eq!(
        errors,
        [
            "line 1, column 10: version must be 1, found 2 (this Vigil reads format 1)",
            "line 4, column 19: policy \"Dup\": threat_level must be 0–10, found 11",
            "line 8, column 13: policy \"Dup\", constraint \"c\": cvss at_least (9.5) must be less than below (9)",
            "line 9, column 13: policy \"Dup\", constraint \"c\": epss_at_least must be within 0–1, found 1.5",
            "line 10, column 9: policy \"Dup\", constraint \"c\" is named twice (first at line 6): constraint names must be unique within a policy",
            "line 10, column 9: policy \"Dup\", constraint \"c\" has no conditions: it needs at least one",
            "line 12, column 5: policy \"Dup\" is named twice (first at line 3): policy names must be unique",
            "line 12, column 5: policy \"Dup\" has no constraints: it needs at least one",
            "line 15, column 5: policy 3 has an empty name",
            "line 20, column 13: policy 3, constraint \"x\": purl: \"not-a-purl\" is not a valid package URL: missing scheme",
            "line 20, column 13: policy 3, constraint \"x\": purl: \"pkg:npm/a@1.0.0\" has a version and bounds: give either a version (that version) or bounds",
            "line 20, column 13: policy 3, constraint \"x\": purl: \"pkg:npm/b\": at_least 2.0.0 must be below 1.0.0",
            "line 27, column 13: policy 3, constraint \"x\": license_not_in: \"Not-A-License\" is not an SPDX license id (nor a LicenseRef-…)",
            "line 28, column 13: policy 3, constraint \"x\": cvss at_least must be within 0–10, found 11",
        ]
    );
}

#[test]
fn shape_errors_come_from_the_parser_with_their_line() {
    let cases = [
        (
            MINIMAL.replace(
                "    threat_level: 5\n",
                "    threat_level: 5\n    colour: red\n",
            ),
            5,
            "colour",
        ),
        (MINIMAL.replace("- kev", "- kev_listed"), 8, "kev_listed"),
        (
            MINIMAL.replace(
                "    threat_level: 5\n",
                "    threat_level: 5\n    actions: {deploy: fail}\n",
            ),
            5,
            "deploy",
        ),
        (
            MINIMAL.replace(
                "    threat_level: 5\n",
                "    threat_level: 5\n    actions: {build: block}\n",
            ),
            5,
            "block",
        ),
        (
            MINIMAL.replace("threat_level: 5", "threat_level: high"),
            4,
            "",
        ),
        (
            MINIMAL.replace("threat_level: 5", "threat_level: 300"),
            4,
            "",
        ),
        (
            MINIMAL.replace(
                "        conditions:\n",
                "        match: most\n        conditions:\n",
            ),
            7,
            "most",
        ),
        (
            MINIMAL.replace("    threat_level: 5\n", ""),
            4,
            "threat_level",
        ),
        (
            format!("{MINIMAL}license_groups:\n  licenses:\n    MIT: permissive\n"),
            11,
            "permissive",
        ),
        (format!("{MINIMAL}extra: 1\n"), 9, "extra"),
        (
            format!("{MINIMAL}license_groups:\n  licenses: {{}}\n  groups: {{}}\n"),
            11,
            "groups",
        ),
    ];
    for (text, line, word) in cases {
        let errors = from_yaml(&text).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        let error = &errors[0];
        assert_eq!(error.line, Some(line), "{error} in\n{text}");
        assert!(error.column.is_some(), "{error}");
        assert!(
            error.message.starts_with("not a valid policy file: "),
            "{error}"
        );
        assert!(error.message.contains(word), "{error}");
    }
}

#[test]
fn duplicate_keys_and_several_documents_are_errors() {
    let twice = MINIMAL.replace(
        "    threat_level: 5\n",
        "    threat_level: 5\n    threat_level: 6\n",
    );
    let errors = from_yaml(&twice).unwrap_err();
    assert_eq!(errors[0].line, Some(5), "{errors:?}");
    let two = format!("---\n{MINIMAL}---\n{MINIMAL}");
    assert!(from_yaml(&two).is_err());
    assert!(from_yaml("").is_err());
    assert!(from_yaml("just a string").is_err());
}

#[test]
fn a_billion_laughs_is_refused() {
    let mut yaml = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let previous = format!("*a{}", i - 1);
        yaml.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            [previous.as_str(); 10].join(", ")
        ));
    }
    let errors = from_yaml(&yaml).unwrap_err();
    assert!(
        errors[0].message.starts_with("not a valid policy file"),
        "{errors:?}"
    );
    // Even one alias, inside an otherwise valid file.
    let aliased = MINIMAL.replace("- name: c", "- name: &n c").replace(
        "- kev",
        "- kev\n      - name: *n\n        conditions: [kev]",
    );
    assert!(from_yaml(&aliased).is_err());
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for (open, close) in [("[", "]"), ("{a: ", "}")] {
        let yaml = format!(
            "version: {}1{}\n",
            open.repeat(100_000),
            close.repeat(100_000)
        );
        let errors = from_yaml(&yaml).unwrap_err();
        assert!(
            errors[0].message.starts_with("not a valid policy file"),
            "{errors:?}"
        );
    }
    let mut block = String::new();
    for depth in 0..5_000 {
        block.push_str(&" ".repeat(depth));
        block.push_str("k:\n");
    }
    assert!(from_yaml(&block).is_err());
}

#[test]
fn a_ten_megabyte_file_is_refused_before_parsing() {
    let big = format!("{MINIMAL}# {}\n", "x".repeat(10 * 1024 * 1024));
    let errors = from_yaml(&big).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, None);
    assert!(
        errors[0].message.contains("at most 4194304 bytes"),
        "{errors:?}"
    );
    assert!(from_yaml_bytes(big.as_bytes()).is_err());
    // A large but allowed file of many policies parses.
    let mut many = String::from("version: 1\npolicies:\n");
    for i in 0..2_000 {
        many.push_str(&format!(
            "  - name: P{i}\n    threat_level: 5\n    constraints:\n      - name: c\n        conditions: [kev]\n"
        ));
    }
    assert_eq!(from_yaml(&many).unwrap().policies.len(), 2_000);
}

#[test]
fn non_utf8_bytes_are_an_error_with_their_position() {
    let mut bytes = MINIMAL.as_bytes().to_vec();
    let at = MINIMAL.find("name: c").unwrap() + 6;
    bytes[at] = 0xff;
    let errors = from_yaml_bytes(&bytes).unwrap_err();
    assert_eq!(errors[0].to_string(), "line 6, column 15: not UTF-8 text");
    assert_eq!(
        from_yaml_bytes(MINIMAL.as_bytes()).unwrap().policies.len(),
        1
    );
}

#[test]
fn errors_display_their_position() {
    let error = PolicyFileError {
        line: Some(12),
        column: Some(7),
        message: "bad".into(),
    };
    assert_eq!(error.to_string(), "line 12, column 7: bad");
    let error = PolicyFileError {
        line: None,
        column: None,
        message: "bad".into(),
    };
    assert_eq!(error.to_string(), "bad");
}

#[test]
fn sets_from_elsewhere_validate_without_lines() {
    let mut set = from_yaml(EXAMPLE).unwrap();
    assert!(validate_set(&set).is_empty());
    set.policies[1].name = set.policies[0].name.clone();
    set.policies[0].constraints[0].conditions = vec![Condition::EpssAtLeast(f64::NAN)];
    let errors: Vec<String> = validate_set(&set).iter().map(|e| e.to_string()).collect();
    assert_eq!(
        errors,
        [
            "policy \"Security-Critical\", constraint \"critical\": epss_at_least must be within 0–1, found NaN",
            "policy \"Security-Critical\" is named twice: policy names must be unique",
        ]
    );
    assert_eq!(
        validate_policies(&set.policies),
        [
            "policy \"Security-Critical\", constraint \"critical\": epss_at_least must be within 0–1, found NaN",
            "policy \"Security-Critical\" is named twice: policy names must be unique",
        ]
    );
}

#[test]
fn awkward_strings_round_trip() {
    let mut set = from_yaml(MINIMAL).unwrap();
    let awkward = [
        "Security: critical",
        "# not a comment",
        "'quoted' \"twice\"",
        "yes",
        "~",
        "null",
        "1e3",
        "- dash",
        "Sécurité — élevée ✓",
        "tab\tand\nnewline",
        "  padded  ",
        "@at",
        "*star",
        "&amp",
        "!bang",
        "%percent",
        "{brace}",
        "[bracket]",
    ];
    set.policies[0].targets.contacts = awkward.iter().map(|s| s.to_string()).collect();
    set.policies[0].scope = PolicyScope::Category("a: b".into());
    set.policies[0].constraints[0].name = "true".into();
    let text = to_yaml(&set);
    assert_eq!(
        from_yaml(&text).unwrap_or_else(|e| panic!("{e:?}\n{text}")),
        set
    );
}

#[test]
fn odd_numbers_are_written_and_then_refused_by_validation() {
    let mut set = from_yaml(MINIMAL).unwrap();
    set.policies[0].constraints[0].conditions = vec![
        Condition::EpssAtLeast(f64::NAN),
        Condition::Cvss(ScoreBound {
            at_least: Some(f64::INFINITY),
            below: None,
        }),
    ];
    let text = to_yaml(&set);
    let errors: Vec<String> = from_yaml(&text)
        .unwrap_err()
        .iter()
        .map(|e| e.to_string())
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}\n{text}");
    assert!(
        errors[0].contains("epss_at_least must be within 0–1, found NaN"),
        "{errors:?}"
    );
    assert!(
        errors[1].contains("cvss at_least must be within 0–10, found inf"),
        "{errors:?}"
    );
}
