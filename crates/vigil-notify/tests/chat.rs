//! Slack, Teams and Mattermost through a real HTTP receiver: the payload each receives, and
//! the URL (their credential) never in an answer.

mod common;

use common::{violations, Case};
use serde_json::json;
use vigil_notify::notice::AlertKind;
use vigil_notify::{ChannelConfig, ChannelSecrets, ChatConfig, FailureClass};
use vigil_testkit::HttpReceiver;

const PATH: &str = "/services/T0ORG/B0HOOK/xoxSecretToken987";

fn case(receiver: &HttpReceiver, config: ChannelConfig) -> Case {
    let secrets = ChannelSecrets {
        url: Some(format!("{}{PATH}", receiver.url())),
        ..ChannelSecrets::default()
    };
    Case::new(
        config,
        secrets,
        violations(&[AlertKind::New, AlertKind::Changed]),
    )
}

fn hint() -> ChatConfig {
    ChatConfig {
        url_hint: "http://127.0.0.1/services/…".into(),
    }
}

#[test]
fn slack_receives_block_kit() {
    let receiver = HttpReceiver::start(None);
    receiver.plan(
        json!([]),
        json!({"status": 200, "body": "ok", "headers": {"content-type": "text/plain"}}),
    );
    let answer = case(&receiver, ChannelConfig::Slack(hint()))
        .send()
        .expect("delivered");
    assert_eq!(answer.text, "HTTP 200: ok");
    let records = receiver.records();
    assert_eq!(records[0]["path"], PATH);
    let body = &records[0]["json"];
    assert_eq!(body["text"], "[Vigil] 2 violations in Payments (critical)");
    let blocks = body["blocks"].as_array().expect("blocks");
    let types: Vec<&str> = blocks.iter().filter_map(|b| b["type"].as_str()).collect();
    assert_eq!(types, ["header", "section", "context"]);
    let section = blocks[1]["text"]["text"].as_str().expect("mrkdwn");
    assert!(
        section.contains("• New: log4j-core 2.14.1 · Security-Critical"),
        "{section}"
    );
}

#[test]
fn teams_receives_an_adaptive_card() {
    let receiver = HttpReceiver::start(None);
    receiver.plan(json!([{"status": 202, "body": ""}]), json!(200));
    let answer = case(&receiver, ChannelConfig::Teams(hint()))
        .send()
        .expect("delivered");
    assert_eq!(answer.status, Some(202));
    let body = &receiver.records()[0]["json"];
    assert_eq!(body["type"], "message");
    assert_eq!(
        body["attachments"][0]["contentType"],
        "application/vnd.microsoft.card.adaptive"
    );
    assert_eq!(body["attachments"][0]["content"]["type"], "AdaptiveCard");
    assert_eq!(body["attachments"][0]["content"]["version"], "1.4");
    assert_eq!(
        body["attachments"][0]["content"]["body"][2]["type"],
        "FactSet"
    );
}

#[test]
fn mattermost_receives_markdown() {
    let receiver = HttpReceiver::start(None);
    case(&receiver, ChannelConfig::Mattermost(hint()))
        .send()
        .expect("delivered");
    let body = &receiver.records()[0]["json"];
    assert!(body.get("blocks").is_none());
    assert!(
        body["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("#### 2 violations in Payments")),
        "{body}"
    );
    assert_eq!(body["attachments"][0]["fields"][0]["title"], "Threat level");
}

#[test]
fn a_failing_chat_answer_does_not_show_the_url() {
    let receiver = HttpReceiver::start(None);
    // A server that echoes the path it was called on, as some proxies' error pages do.
    receiver.plan(
        json!([{"status": 404, "body": format!("no_service at {PATH}")}, {"hang": 3}]),
        json!(200),
    );
    let case = case(&receiver, ChannelConfig::Slack(hint()));
    let failure = case.send().expect_err("404");
    assert_eq!(failure.class, FailureClass::Permanent);
    assert!(
        !failure.answer.contains("xoxSecretToken987") && !failure.answer.contains("B0HOOK"),
        "{}",
        failure.answer
    );
    let sender = vigil_notify::Sender::with_timeout(std::time::Duration::from_millis(500))
        .expect("a sender");
    let failure = sender.send(&case.out()).expect_err("timeout");
    assert!(
        !failure.answer.contains("xoxSecretToken987") && !failure.answer.contains("/services/"),
        "{}",
        failure.answer
    );
}
