//! Webhooks (Standard Webhooks), Slack, Teams and Mattermost over HTTP: one POST of the
//! channel's JSON rendering.
//!
//! A webhook is POSTed to its configured URL with `webhook-id` (the delivery id, the same on
//! every retry), `webhook-timestamp` (`now`) and, when the channel has a signing secret,
//! `webhook-signature`; an `Authorization` secret is sent as that header. Chat channels'
//! URLs are their credential and come from the secrets.

use crate::http::{self, Hide};
use crate::send::Sender;
use crate::{render, Answer, ChannelConfig, Failure, Outgoing, WebhookConfig};

pub(crate) fn send(
    sender: &Sender,
    config: &WebhookConfig,
    out: &Outgoing<'_>,
) -> Result<Answer, Failure> {
    let event = out.notice.webhook_event();
    if !config.events.is_empty() && !config.events.contains(&event) {
        return Ok(Answer {
            status: None,
            text: format!("skipped: receiver does not subscribe to {}", event.as_str()),
            reference: None,
        });
    }
    let hide = Hide::new(out.secrets);
    let body = render::envelope::render(out.notice, out.delivery_id)
        .to_string()
        .into_bytes();
    let timestamp = out.now.timestamp();
    let mut request = sender
        .http
        .post(&config.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("webhook-id", out.delivery_id)
        .header("webhook-timestamp", timestamp.to_string());
    if let Some(secret) = &out.secrets.signing_secret {
        let signature = crate::signing::sign(secret, out.delivery_id, timestamp, &body)
            .map_err(|e| Failure::permanent(format!("cannot sign: {e}")))?;
        request = request.header("webhook-signature", signature);
    }
    if let Some(authorization) = &out.secrets.authorization {
        let mut value = reqwest::header::HeaderValue::from_str(authorization).map_err(|_| {
            Failure::permanent("the Authorization secret is not a valid header value")
        })?;
        value.set_sensitive(true);
        request = request.header(reqwest::header::AUTHORIZATION, value);
    }
    let reply = http::execute(request.body(body), out.now, &hide)?;
    http::judge(&reply, &hide)
}

pub(crate) fn send_chat(sender: &Sender, out: &Outgoing<'_>) -> Result<Answer, Failure> {
    let Some(url) = out.secrets.url.as_deref().filter(|u| !u.trim().is_empty()) else {
        return Err(Failure::permanent(
            "no webhook URL is stored for this channel (it is kept in the keyring)",
        ));
    };
    let body = match out.config {
        ChannelConfig::Slack(_) => render::slack::render(out.notice, out.delivery_id),
        ChannelConfig::Teams(_) => render::teams::render(out.notice, out.delivery_id),
        ChannelConfig::Mattermost(_) => render::mattermost::render(out.notice, out.delivery_id),
        ChannelConfig::Email(_)
        | ChannelConfig::Webhook(_)
        | ChannelConfig::Jira(_)
        | ChannelConfig::Desktop => {
            return Err(Failure::permanent("not a chat channel"));
        }
    };
    let hide = Hide::new(out.secrets);
    let request = sender
        .http
        .post(url.trim())
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body.to_string());
    let reply = http::execute(request, out.now, &hide)?;
    http::judge(&reply, &hide)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ChannelSecrets, ChatConfig, FailureClass};
    use chrono::TimeZone;

    /// A chat send to a closed port fails with a text that carries no part of the URL's secret.
    #[test]
    fn a_failing_chat_send_does_not_show_the_url() {
        // A port nothing listens on: bind, read, close.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let url = format!("http://127.0.0.1:{port}/services/T0AAAAAAA/B0BBBBBBB/zSecretTokenPart1234?token=qSecret");
        let secrets = ChannelSecrets {
            url: Some(url),
            ..ChannelSecrets::default()
        };
        let config = ChannelConfig::Slack(ChatConfig {
            url_hint: "http://127.0.0.1/services/…".into(),
        });
        let notice = crate::render::fixtures::test_notice();
        let out = Outgoing {
            delivery_id: "d-1",
            channel: "chat",
            attempt: 1,
            now: chrono::Utc
                .with_ymd_and_hms(2026, 12, 6, 21, 30, 0)
                .single()
                .expect("a date"),
            config: &config,
            secrets: &secrets,
            notice: &notice,
            recipients: &[],
        };
        let sender = Sender::new().expect("a sender");
        let failure = send_chat(&sender, &out).expect_err("nothing listens");
        assert_eq!(failure.class, FailureClass::Retry, "{failure:?}");
        for secret in [
            "zSecretTokenPart1234",
            "qSecret",
            "T0AAAAAAA/B0BBBBBBB",
            "/services/",
        ] {
            assert!(
                !failure.answer.contains(secret),
                "{secret} in {:?}",
                failure.answer
            );
        }
        assert!(
            failure.answer.starts_with("cannot reach the server"),
            "{}",
            failure.answer
        );
    }

    #[test]
    fn a_chat_channel_without_a_url_fails_permanently() {
        let config = ChannelConfig::Teams(ChatConfig {
            url_hint: String::new(),
        });
        let secrets = ChannelSecrets::default();
        let notice = crate::render::fixtures::test_notice();
        let out = Outgoing {
            delivery_id: "d-1",
            channel: "chat",
            attempt: 1,
            now: chrono::Utc::now(),
            config: &config,
            secrets: &secrets,
            notice: &notice,
            recipients: &[],
        };
        let failure = send_chat(&Sender::new().expect("a sender"), &out).expect_err("no URL");
        assert_eq!(failure.class, FailureClass::Permanent);
    }
}
