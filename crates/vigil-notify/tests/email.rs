//! Email through a real SMTP server on loopback (aiosmtpd, a trustme CA): STARTTLS with AUTH,
//! implicit TLS, plain only to loopback, and how SMTP's answers are classified.

mod common;

use common::{violations, Case, DELIVERY};
use vigil_notify::notice::AlertKind;
use vigil_notify::{ChannelConfig, ChannelSecrets, EmailConfig, EmailSecurity, FailureClass};
use vigil_testkit::{SmtpMode, SmtpServer};

const USER: &str = "vigil";
const PASSWORD: &str = "correct horse battery staple";

fn case(server: &SmtpServer, security: EmailSecurity, password: &str) -> Case {
    let config = ChannelConfig::Email(EmailConfig {
        host: "127.0.0.1".into(),
        port: server.port(),
        security,
        from: "Vigil <vigil@example.test>".into(),
        to: vec![],
        to_roles: vec!["owner".into()],
        user: (security != EmailSecurity::None).then(|| USER.to_string()),
        ca_file: (security != EmailSecurity::None)
            .then(|| server.ca_pem_path().to_string_lossy().into_owned()),
    });
    let secrets = ChannelSecrets {
        password: Some(password.into()),
        ..ChannelSecrets::default()
    };
    Case::new(
        config,
        secrets,
        violations(&[AlertKind::New, AlertKind::Changed]),
    )
}

#[test]
fn starttls_with_auth_delivers_a_multipart_message() {
    let server = SmtpServer::start(SmtpMode::Starttls, Some((USER, PASSWORD)));
    let case = case(&server, EmailSecurity::Starttls, PASSWORD);
    let answer = case.send().expect("delivered");
    assert_eq!(answer.status, Some(250));
    assert_eq!(answer.text, "250 2.0.0 Ok: queued as VIGILTEST");

    let records = server.records();
    assert_eq!(records.len(), 1);
    let mail = &records[0];
    assert_eq!(mail["authenticated"], USER);
    assert_eq!(mail["mail_from"], "vigil@example.test");
    assert_eq!(
        mail["rcpt_tos"],
        serde_json::json!(["owner@example.test", "sec@example.test"])
    );
    assert_eq!(mail["contentType"], "multipart/alternative");
    let headers = &mail["headers"];
    assert_eq!(
        headers["subject"],
        "[Vigil] 2 violations in Payments (critical)"
    );
    assert_eq!(headers["message-id"], format!("<{DELIVERY}@vigil.invalid>"));
    assert_eq!(headers["x-vigil-threat-level"], "10");
    assert_eq!(headers["x-vigil-application"], "Payments");
    assert_eq!(
        headers["list-id"],
        "Vigil Security Team <security-team.vigil.invalid>"
    );
    assert_eq!(
        headers["date"], "Sun, 06 Dec 2026 21:30:00 +0000",
        "the date is the message's now"
    );
    assert_eq!(headers["to"], "owner@example.test, sec@example.test");

    let parts = mail["parts"].as_array().expect("parts");
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0]["contentType"], "text/plain");
    assert_eq!(parts[1]["contentType"], "text/html");
    let text = parts[0]["text"].as_str().expect("text");
    assert!(
        text.contains("New: log4j-core 2.14.1 violates Security-Critical, threat 10 (critical)"),
        "{text}"
    );
    assert!(text.contains("Fix: upgrade to 2.17.1"), "{text}");
    assert!(
        text.contains("Satisfied: CVSS 10.0 ≥ 9; in CISA KEV"),
        "{text}"
    );
    let html = parts[1]["text"].as_str().expect("html");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"),
        "{html}"
    );
    assert!(!html.contains("<script>"), "{html}");
    assert!(!mail["content"]
        .as_str()
        .unwrap_or_default()
        .contains(PASSWORD));
}

#[test]
fn a_retry_sends_the_same_message_id() {
    let server = SmtpServer::start(SmtpMode::Starttls, Some((USER, PASSWORD)));
    let mut case = case(&server, EmailSecurity::Starttls, PASSWORD);
    case.send().expect("first");
    case.attempt = 2;
    case.now += chrono::Duration::minutes(5);
    case.send().expect("second");
    let records = server.records();
    assert_eq!(records.len(), 2);
    assert_eq!(
        records[0]["headers"]["message-id"],
        records[1]["headers"]["message-id"]
    );
}

#[test]
fn implicit_tls_with_auth() {
    let server = SmtpServer::start(SmtpMode::Tls, Some((USER, PASSWORD)));
    let answer = case(&server, EmailSecurity::Tls, PASSWORD)
        .send()
        .expect("delivered");
    assert_eq!(answer.status, Some(250));
    let records = server.records();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["authenticated"], USER);
}

#[test]
fn plain_smtp_is_allowed_to_loopback() {
    let server = SmtpServer::start(SmtpMode::Plain, None);
    let mut case = case(&server, EmailSecurity::None, PASSWORD);
    case.notice = violations(&[AlertKind::Resolved]);
    let answer = case.send().expect("delivered");
    assert!(answer.text.starts_with("250 "), "{}", answer.text);
    let records = server.records();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["authenticated"], serde_json::Value::Null);
    assert_eq!(
        records[0]["headers"]["references"], "<vigil-0000000000000001@vigil.invalid>",
        "one violation, one thread"
    );
}

#[test]
fn plain_smtp_to_another_host_is_refused_without_connecting() {
    let server = SmtpServer::start(SmtpMode::Plain, None);
    let mut case = case(&server, EmailSecurity::None, PASSWORD);
    if let ChannelConfig::Email(config) = &mut case.config {
        // A name that resolves nowhere: had it tried to connect, the failure would be a
        // (retryable) connection error, not this refusal.
        config.host = "mail.example.invalid".into();
    }
    let failure = case.send().expect_err("refused");
    assert_eq!(failure.class, FailureClass::Permanent);
    assert!(
        failure.answer.contains("loopback") && failure.answer.contains("mail.example.invalid"),
        "{}",
        failure.answer
    );
    assert!(server.records().is_empty());
}

#[test]
fn a_temporary_refusal_is_retried_a_permanent_one_is_not() {
    let server = SmtpServer::start(SmtpMode::Starttls, Some((USER, PASSWORD)));
    let case = case(&server, EmailSecurity::Starttls, PASSWORD);
    server.answer_next(&[451, 550]);
    let first = case.send().expect_err("451");
    assert_eq!(
        (first.class, first.status),
        (FailureClass::Retry, Some(451)),
        "{first:?}"
    );
    assert!(
        first.answer.contains("451") && first.answer.contains("Temporary failure"),
        "{}",
        first.answer
    );
    let second = case.send().expect_err("550");
    assert_eq!(
        (second.class, second.status),
        (FailureClass::Permanent, Some(550)),
        "{second:?}"
    );
    assert!(case.send().is_ok(), "later messages are accepted again");
}

#[test]
fn a_wrong_password_is_permanent_and_not_shown() {
    let server = SmtpServer::start(SmtpMode::Starttls, Some((USER, PASSWORD)));
    let failure = case(&server, EmailSecurity::Starttls, "wrong password 123")
        .send()
        .expect_err("refused");
    assert_eq!(failure.class, FailureClass::Permanent, "{failure:?}");
    assert_eq!(failure.status, Some(535));
    assert!(
        !failure.answer.contains("wrong password 123"),
        "{}",
        failure.answer
    );
    assert!(server.records().is_empty());
}

#[test]
fn an_untrusted_certificate_is_permanent() {
    let server = SmtpServer::start(SmtpMode::Starttls, Some((USER, PASSWORD)));
    let mut case = case(&server, EmailSecurity::Starttls, PASSWORD);
    if let ChannelConfig::Email(config) = &mut case.config {
        config.ca_file = None;
    }
    let failure = case.send().expect_err("the test CA is not a system root");
    assert_eq!(failure.class, FailureClass::Permanent, "{failure:?}");
    assert!(
        failure.answer.contains("certificate is not trusted"),
        "{}",
        failure.answer
    );
}

#[test]
fn no_recipients_and_no_server_are_told_apart() {
    let server = SmtpServer::start(SmtpMode::Plain, None);
    let mut case = case(&server, EmailSecurity::None, PASSWORD);
    case.recipients.clear();
    let failure = case.send().expect_err("nobody to tell");
    assert_eq!(failure.class, FailureClass::Permanent);
    assert!(
        failure.answer.contains("no recipients"),
        "{}",
        failure.answer
    );

    let port = server.port();
    drop(server);
    let mut case = case_for_port(port);
    case.recipients = vec!["a@example.test".into()];
    let failure = case.send().expect_err("nothing listens");
    assert_eq!(failure.class, FailureClass::Retry, "{failure:?}");
}

fn case_for_port(port: u16) -> Case {
    let config = ChannelConfig::Email(EmailConfig {
        host: "127.0.0.1".into(),
        port,
        security: EmailSecurity::None,
        from: "vigil@example.test".into(),
        to: vec![],
        to_roles: vec![],
        user: None,
        ca_file: None,
    });
    Case::new(
        config,
        ChannelSecrets::default(),
        violations(&[AlertKind::New]),
    )
}
