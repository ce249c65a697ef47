//! Jira through a real loopback Jira (REST v2 and v3): issues created once per violation and
//! found again by label, comments for changes, transitions for resolutions, one issue per run,
//! and no second issue when a create's answer is lost and the delivery is retried.

mod common;

use common::{violation, violations, Case};
use serde_json::Value;
use vigil_notify::notice::AlertKind;
use vigil_notify::{
    ChannelConfig, ChannelSecrets, FailureClass, JiraConfig, JiraGrouping, Notice, NoticeKind,
};
use vigil_testkit::JiraServer;

const USER: &str = "vigil-bot@example.test";
const TOKEN: &str = "ATATT-secret-token-42";

fn config(
    server: &JiraServer,
    api: u8,
    grouping: JiraGrouping,
    transition: Option<&str>,
) -> ChannelConfig {
    ChannelConfig::Jira(JiraConfig {
        url: format!("{}/", server.url()),
        project: "VIG".into(),
        issue_type: "Bug".into(),
        user: USER.into(),
        api_version: api,
        grouping,
        resolve_transition: transition.map(String::from),
    })
}

fn case(
    server: &JiraServer,
    api: u8,
    grouping: JiraGrouping,
    transition: Option<&str>,
    notice: Notice,
    delivery: &str,
) -> Case {
    let secrets = ChannelSecrets {
        token: Some(TOKEN.into()),
        ..ChannelSecrets::default()
    };
    let mut case = Case::new(config(server, api, grouping, transition), secrets, notice);
    case.delivery_id = delivery.into();
    case
}

fn labels(issue: &Value) -> Vec<String> {
    issue["labels"]
        .as_array()
        .map(|ls| {
            ls.iter()
                .filter_map(|l| l.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn comments(issue: &Value) -> usize {
    issue["comments"].as_array().map(Vec::len).unwrap_or(0)
}

fn both_apis(test: impl Fn(u8)) {
    for api in [2, 3] {
        test(api);
    }
}

#[test]
fn each_new_violation_gets_one_issue() {
    both_apis(|api| {
        let server = JiraServer::start(USER, TOKEN, "VIG");
        let notice = violations(&[AlertKind::New, AlertKind::New]);
        let answer = case(
            &server,
            api,
            JiraGrouping::PerViolation,
            None,
            notice,
            "d-1",
        )
        .send()
        .expect("created");
        assert_eq!(answer.reference.as_deref(), Some("VIG-1,VIG-2"));
        assert_eq!(answer.text, "Jira: created VIG-1; created VIG-2");
        let issues = server.issues();
        assert_eq!(issues.len(), 2);
        assert_eq!(
            labels(&issues[0]),
            ["vigil", "vigil-0000000000000001", "vigil-delivery-d-1"]
        );
        assert_eq!(
            issues[0]["summary"],
            "[Vigil] log4j-core 2.14.1 violates Security-Critical in Payments"
        );
        assert_eq!(issues[0]["issuetype"], "Bug");
        assert_eq!(issues[0]["api"], api);
        if api == 2 {
            let description = issues[0]["description"].as_str().expect("v2: a string");
            assert!(
                description.contains("* Fix: upgrade to 2.17.1"),
                "{description}"
            );
        } else {
            assert_eq!(issues[0]["description"]["type"], "doc", "v3: ADF");
            assert!(issues[0]["description"]
                .to_string()
                .contains("Fix: upgrade to 2.17.1"));
        }

        // The same violation reported new again, by a later delivery: a comment, not an issue.
        let again = violations(&[AlertKind::New]);
        let answer = case(&server, api, JiraGrouping::PerViolation, None, again, "d-2")
            .send()
            .expect("commented");
        assert_eq!(answer.text, "Jira: commented on VIG-1");
        let issues = server.issues();
        assert_eq!(issues.len(), 2);
        assert_eq!(comments(&issues[0]), 1);
    });
}

#[test]
fn changes_comment_and_resolutions_transition() {
    both_apis(|api| {
        let server = JiraServer::start(USER, TOKEN, "VIG");
        let open = violations(&[AlertKind::New, AlertKind::New]);
        case(
            &server,
            api,
            JiraGrouping::PerViolation,
            Some("Done"),
            open,
            "d-1",
        )
        .send()
        .expect("created");

        let later = violations(&[AlertKind::Changed, AlertKind::Resolved]);
        let answer = case(
            &server,
            api,
            JiraGrouping::PerViolation,
            Some("Done"),
            later,
            "d-2",
        )
        .send()
        .expect("updated");
        assert_eq!(answer.text, "Jira: commented on VIG-1; moved VIG-2 to Done");
        assert_eq!(answer.reference.as_deref(), Some("VIG-1,VIG-2"));
        let issues = server.issues();
        assert_eq!(issues.len(), 2);
        let comment = issues[0]["comments"][0].to_string();
        assert!(
            comment.contains("What changed: now in CISA KEV"),
            "{comment}"
        );
        assert_eq!(issues[1]["status"], "Done");
        assert_eq!(issues[1]["transitions"], serde_json::json!(["Done"]));

        // Without a configured transition a resolution is a comment.
        let resolved = violations(&[AlertKind::Resolved]);
        let answer = case(
            &server,
            api,
            JiraGrouping::PerViolation,
            None,
            resolved,
            "d-3",
        )
        .send()
        .expect("commented");
        assert_eq!(answer.text, "Jira: commented on VIG-1");
        let issue = &server.issues()[0];
        assert_eq!(issue["status"], "To Do");
        assert!(issue["comments"][1]
            .to_string()
            .contains("no longer violates"));
    });
}

#[test]
fn a_retry_after_a_lost_create_answer_opens_no_second_issue() {
    both_apis(|api| {
        let server = JiraServer::start(USER, TOKEN, "VIG");
        server.lose_next_creates(1);
        let mut case = case(
            &server,
            api,
            JiraGrouping::PerViolation,
            None,
            violations(&[AlertKind::New]),
            "d-1",
        );
        let failure = case.send().expect_err("the create's answer is lost");
        assert_eq!(
            (failure.class, failure.status),
            (FailureClass::Retry, Some(502)),
            "{failure:?}"
        );
        assert_eq!(server.issues().len(), 1, "but Jira stored the issue");

        case.attempt = 2;
        let answer = case.send().expect("the retry");
        assert_eq!(answer.reference.as_deref(), Some("VIG-1"));
        let issues = server.issues();
        assert_eq!(issues.len(), 1, "no second issue");
        assert_eq!(
            comments(&issues[0]),
            0,
            "the retry recognises its own issue"
        );
        let creates = server.state()["requests"].as_array().map(|r| {
            r.iter()
                .filter(|q| {
                    q["method"] == "POST"
                        && q["path"].as_str().is_some_and(|p| p.ends_with("/issue"))
                })
                .count()
        });
        assert_eq!(creates, Some(1), "{}", server.state()["requests"]);
    });
}

#[test]
fn one_issue_per_application_run() {
    both_apis(|api| {
        let server = JiraServer::start(USER, TOKEN, "VIG");
        // Violation 3 already has its own issue (VIG-1).
        let mut earlier = violations(&[]);
        earlier.applications = violations(&[AlertKind::New]).applications;
        earlier.applications[0].violations = vec![violation(AlertKind::New, 3)];
        case(
            &server,
            api,
            JiraGrouping::PerViolation,
            None,
            earlier,
            "d-0",
        )
        .send()
        .expect("created");

        let mut notice = violations(&[AlertKind::New, AlertKind::New]);
        notice.applications[0]
            .violations
            .push(violation(AlertKind::Changed, 3));
        let mut run = case(
            &server,
            api,
            JiraGrouping::PerApplicationRun,
            None,
            notice,
            "d-1",
        );
        let answer = run.send().expect("sent");
        assert_eq!(answer.reference.as_deref(), Some("VIG-2,VIG-1"));
        let issues = server.issues();
        assert_eq!(issues.len(), 2);
        assert_eq!(
            issues[1]["summary"],
            "[Vigil] 2 violations in Payments (critical)"
        );
        assert_eq!(
            labels(&issues[1]),
            [
                "vigil",
                "vigil-0000000000000001",
                "vigil-0000000000000002",
                "vigil-delivery-d-1"
            ]
        );
        assert_eq!(
            comments(&issues[0]),
            1,
            "the changed line commented on its issue"
        );

        run.attempt = 2;
        run.send().expect("a retry");
        assert_eq!(
            server.issues().len(),
            2,
            "a retry finds the run's issue by its delivery label"
        );
    });
}

#[test]
fn a_wrong_token_is_permanent_and_not_shown() {
    let server = JiraServer::start(USER, "the-right-token", "VIG");
    let failure = case(
        &server,
        3,
        JiraGrouping::PerViolation,
        None,
        violations(&[AlertKind::New]),
        "d-1",
    )
    .send()
    .expect_err("401");
    assert_eq!(
        (failure.class, failure.status),
        (FailureClass::Permanent, Some(401))
    );
    assert!(!failure.answer.contains(TOKEN), "{}", failure.answer);
    assert!(server.issues().is_empty());
}

#[test]
fn a_test_logs_in_and_other_notices_are_skipped() {
    let server = JiraServer::start(USER, TOKEN, "VIG");
    let answer = case(
        &server,
        2,
        JiraGrouping::PerViolation,
        None,
        common::test_notice(),
        "d-1",
    )
    .send()
    .expect("logged in");
    assert_eq!(answer.text, format!("Jira: logged in as Test user {USER}"));
    let waivers = common::notice(NoticeKind::WaiverExpiring, "1 waiver expires soon", vec![]);
    let answer = case(&server, 2, JiraGrouping::PerViolation, None, waivers, "d-2")
        .send()
        .expect("skipped");
    assert!(answer.text.starts_with("skipped"));
    assert!(server.issues().is_empty());
}

#[test]
fn an_unknown_project_is_permanent() {
    let server = JiraServer::start(USER, TOKEN, "OTHER");
    let failure = case(
        &server,
        2,
        JiraGrouping::PerViolation,
        None,
        violations(&[AlertKind::New]),
        "d-1",
    )
    .send()
    .expect_err("400");
    assert_eq!(
        (failure.class, failure.status),
        (FailureClass::Permanent, Some(400))
    );
    assert!(
        failure.answer.contains("valid project is required"),
        "{}",
        failure.answer
    );
}

#[test]
fn a_digest_per_application_run_opens_one_issue_per_application() {
    let server = JiraServer::start(USER, TOKEN, "VIG");
    let mut digest = violations(&[AlertKind::New]);
    digest.kind = NoticeKind::Digest;
    let mut shop = digest.applications[0].clone();
    shop.name = "Shop".into();
    shop.violations = vec![violation(AlertKind::New, 9)];
    digest.applications.push(shop);
    let mut case = case(
        &server,
        3,
        JiraGrouping::PerApplicationRun,
        None,
        digest,
        "d-1",
    );
    let answer = case.send().expect("sent");
    assert_eq!(answer.reference.as_deref(), Some("VIG-1,VIG-2"));
    assert_eq!(answer.status, Some(201), "the last answer's status");
    case.attempt = 2;
    let answer = case.send().expect("a retry");
    assert_eq!(answer.reference.as_deref(), Some("VIG-1,VIG-2"));
    let issues = server.issues();
    assert_eq!(
        issues.len(),
        2,
        "one per application, each found again by the retry"
    );
    assert!(labels(&issues[1]).contains(&"vigil-0000000000000009".to_string()));
    assert_eq!(issues[1]["summary"], "[Vigil] 1 new violation in Shop");
}

#[test]
fn a_retry_does_not_comment_twice() {
    both_apis(|api| {
        let server = JiraServer::start(USER, TOKEN, "VIG");
        case(
            &server,
            api,
            JiraGrouping::PerViolation,
            None,
            violations(&[AlertKind::New, AlertKind::New]),
            "d-1",
        )
        .send()
        .expect("created");
        // Both changed; the first attempt comments on both, then (say) the process dies
        // before recording the answer: the retry finds its own comments.
        let mut changed = case(
            &server,
            api,
            JiraGrouping::PerViolation,
            None,
            violations(&[AlertKind::Changed, AlertKind::Changed]),
            "d-2",
        );
        let first = changed.send().expect("commented");
        assert_eq!(first.text, "Jira: commented on VIG-1; commented on VIG-2");
        changed.attempt = 2;
        let again = changed.send().expect("the retry");
        assert_eq!(
            again.text,
            "Jira: already commented on VIG-1; already commented on VIG-2"
        );
        let issues = server.issues();
        assert_eq!((comments(&issues[0]), comments(&issues[1])), (1, 1));
        // Another delivery's comment is not this one's.
        let mut later = case(
            &server,
            api,
            JiraGrouping::PerViolation,
            None,
            violations(&[AlertKind::Changed]),
            "d-20",
        );
        later.attempt = 2;
        assert_eq!(
            later.send().expect("commented").text,
            "Jira: commented on VIG-1"
        );
    });
}
