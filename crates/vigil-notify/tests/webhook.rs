//! Webhooks through a real HTTP receiver on loopback: signatures the receiver verifies, the
//! Authorization header, the envelope, how answers are classified, and the events filter.

mod common;

use std::time::Duration;

use common::{violations, Case, DELIVERY};
use serde_json::json;
use vigil_notify::notice::AlertKind;
use vigil_notify::{
    ChannelConfig, ChannelSecrets, FailureClass, Sender, WebhookConfig, WebhookEvent,
};
use vigil_testkit::HttpReceiver;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const AUTHORIZATION: &str = "Bearer s3cr3t-t0ken-value";

fn case(receiver: &HttpReceiver, secrets: ChannelSecrets, events: Vec<WebhookEvent>) -> Case {
    let config = ChannelConfig::Webhook(WebhookConfig {
        url: format!("{}/hooks/vigil", receiver.url()),
        events,
    });
    Case::new(config, secrets, violations(&[AlertKind::New]))
}

fn signed() -> ChannelSecrets {
    ChannelSecrets {
        signing_secret: Some(SECRET.into()),
        authorization: Some(AUTHORIZATION.into()),
        ..ChannelSecrets::default()
    }
}

#[test]
fn a_signed_delivery_the_receiver_verifies() {
    let receiver = HttpReceiver::start(Some(SECRET));
    let case = case(&receiver, signed(), vec![]);
    let answer = case.send().expect("delivered");
    assert_eq!(answer.status, Some(200));
    assert_eq!(answer.text, r#"HTTP 200: {"ok":true}"#);

    let records = receiver.records();
    assert_eq!(records.len(), 1);
    let request = &records[0];
    assert_eq!(request["method"], "POST");
    assert_eq!(request["path"], "/hooks/vigil");
    assert_eq!(request["verified"], true, "{request}");
    let headers = &request["headers"];
    assert_eq!(headers["webhook-id"], DELIVERY);
    assert_eq!(
        headers["webhook-timestamp"],
        case.now.timestamp().to_string()
    );
    assert!(headers["webhook-signature"]
        .as_str()
        .is_some_and(|s| s.starts_with("v1,")));
    assert_eq!(headers["authorization"], AUTHORIZATION);
    assert_eq!(headers["content-type"], "application/json");
    let body = &request["json"];
    assert_eq!(body["id"], DELIVERY);
    assert_eq!(body["type"], "violation.new");
    assert_eq!(body["occurredAt"], "2026-12-06T21:30:00Z");
    assert_eq!(body["application"]["name"], "Payments");
    assert_eq!(
        body["violations"][0]["advisories"][0]["id"],
        "CVE-2021-44228"
    );
}

#[test]
fn a_wrong_secret_does_not_verify_and_no_secret_sends_no_signature() {
    let receiver = HttpReceiver::start(Some(SECRET));
    let other = ChannelSecrets {
        signing_secret: Some(vigil_notify::signing::generate_secret()),
        ..ChannelSecrets::default()
    };
    case(&receiver, other, vec![]).send().expect("delivered");
    case(&receiver, ChannelSecrets::default(), vec![])
        .send()
        .expect("delivered");
    let records = receiver.records();
    assert_eq!(records[0]["verified"], false);
    assert_eq!(records[1]["verified"], false);
    assert!(
        records[1]["headers"].get("webhook-signature").is_none(),
        "{}",
        records[1]["headers"]
    );
    assert!(records[1]["headers"].get("authorization").is_none());
    assert_eq!(
        records[1]["headers"]["webhook-id"], DELIVERY,
        "the id is sent anyway, for deduplication"
    );
}

#[test]
fn answers_are_classified_for_retrying() {
    let receiver = HttpReceiver::start(None);
    receiver.plan(
        json!([
            {"status": 500, "body": "boom"},
            {"status": 429, "retryAfter": "2"},
            {"status": 503, "retryAfter": "Sun, 06 Dec 2026 21:31:30 GMT"},
            {"status": 410, "body": "gone"},
            {"status": 404, "body": "no such hook"},
            {"status": 408},
        ]),
        json!(200),
    );
    let case = case(&receiver, ChannelSecrets::default(), vec![]);
    let failure = case.send().expect_err("500");
    assert_eq!(
        (failure.class, failure.status),
        (FailureClass::Retry, Some(500))
    );
    assert_eq!(failure.answer, "HTTP 500: boom");
    let failure = case.send().expect_err("429");
    assert_eq!(
        (failure.class, failure.retry_after),
        (FailureClass::Retry, Some(Duration::from_secs(2)))
    );
    let failure = case.send().expect_err("503");
    assert_eq!(
        failure.retry_after,
        Some(Duration::from_secs(90)),
        "an HTTP date, resolved against now"
    );
    let failure = case.send().expect_err("410");
    assert_eq!(
        (failure.class, failure.status),
        (FailureClass::Gone, Some(410))
    );
    let failure = case.send().expect_err("404");
    assert_eq!(
        (failure.class, failure.status),
        (FailureClass::Permanent, Some(404))
    );
    assert_eq!(failure.answer, "HTTP 404: no such hook");
    let failure = case.send().expect_err("408");
    assert_eq!(failure.class, FailureClass::Retry);
    assert!(case.send().is_ok());
    assert_eq!(receiver.records().len(), 7);
}

#[test]
fn a_hang_and_a_reset_are_retried() {
    let receiver = HttpReceiver::start(None);
    receiver.plan(json!([{"hang": 3}, {"reset": true}]), json!(200));
    let case = case(&receiver, ChannelSecrets::default(), vec![]);
    let sender = Sender::with_timeout(Duration::from_millis(700)).expect("a sender");
    let failure = sender.send(&case.out()).expect_err("timed out");
    assert_eq!(failure.class, FailureClass::Retry, "{failure:?}");
    assert!(
        failure.answer.starts_with("no answer in time"),
        "{}",
        failure.answer
    );
    let failure = sender.send(&case.out()).expect_err("reset");
    assert_eq!(failure.class, FailureClass::Retry, "{failure:?}");
    assert!(
        !failure.answer.contains("127.0.0.1"),
        "no URL in {}",
        failure.answer
    );
}

#[test]
fn a_long_answer_is_cut() {
    let receiver = HttpReceiver::start(None);
    receiver.plan(
        json!([{"status": 200, "body": "y".repeat(1000)}]),
        json!(200),
    );
    let answer = case(&receiver, ChannelSecrets::default(), vec![])
        .send()
        .expect("delivered");
    assert!(answer.text.starts_with("HTTP 200: yyy"));
    assert_eq!(answer.text.chars().count(), "HTTP 200: ".len() + 300);
}

#[test]
fn the_events_filter_skips_without_a_request() {
    let receiver = HttpReceiver::start(None);
    let answer = case(
        &receiver,
        ChannelSecrets::default(),
        vec![WebhookEvent::ViolationResolved, WebhookEvent::Ping],
    )
    .send()
    .expect("skipped is a success");
    assert_eq!(
        answer.text,
        "skipped: receiver does not subscribe to violation.new"
    );
    assert_eq!(answer.status, None);
    assert!(receiver.records().is_empty());
    case(
        &receiver,
        ChannelSecrets::default(),
        vec![WebhookEvent::ViolationNew],
    )
    .send()
    .expect("sent");
    assert_eq!(receiver.records().len(), 1);
}
