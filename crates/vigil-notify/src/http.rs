//! What every HTTP transport shares: sending a request, classifying the answer for retrying,
//! `Retry-After`, and keeping secrets out of every text shown to the user.
//!
//! 2xx is success; 408, 429 and 5xx are worth retrying (with the server's `Retry-After`);
//! 410 means the receiver is gone; any other status will not get better by retrying. Network
//! errors and timeouts are retried. reqwest's errors print the URL, which for chat channels
//! is the credential: they are shown `without_url()`, and every text is scrubbed of the
//! channel's secrets besides.

use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::blocking::RequestBuilder;

use crate::{Answer, ChannelSecrets, Failure, FailureClass};

/// How much of a server's answer is shown.
const MAX_ANSWER: usize = 300;

/// The strings that must never appear in a text shown to the user.
#[derive(Default)]
pub(crate) struct Hide {
    secrets: Vec<String>,
}

impl Hide {
    /// The channel's secrets, and for a URL secret its path and query too (the part that is
    /// the credential, in case a server or library prints it apart from the host).
    pub(crate) fn new(secrets: &ChannelSecrets) -> Hide {
        let mut hide = Hide::default();
        for s in [
            &secrets.password,
            &secrets.signing_secret,
            &secrets.authorization,
            &secrets.token,
        ]
        .into_iter()
        .flatten()
        {
            hide.add(s);
        }
        if let Some(url) = &secrets.url {
            hide.add(url);
            if let Ok(parsed) = reqwest::Url::parse(url) {
                let path = parsed.path();
                if path.len() > 1 {
                    hide.add(path);
                    // Each long path segment alone (Slack's token is the last one).
                    for segment in path.split('/').filter(|s| s.len() >= 8) {
                        hide.add(segment);
                    }
                }
                if let Some(query) = parsed.query() {
                    hide.add(query);
                }
            }
        }
        hide
    }

    pub(crate) fn add(&mut self, secret: &str) {
        let secret = secret.trim();
        // Very short strings would scrub ordinary words; no real credential is that short.
        if secret.len() >= 4 && !self.secrets.iter().any(|s| s == secret) {
            self.secrets.push(secret.to_string());
            self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        }
    }

    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        for secret in &self.secrets {
            out = out.replace(secret.as_str(), "[secret]");
        }
        out
    }
}

/// A server's answer to one request.
pub(crate) struct Reply {
    pub status: u16,
    pub retry_after: Option<Duration>,
    pub body: String,
}

/// Sends the request; network errors and timeouts become a [`Failure`] (Retry, except a
/// request that cannot be built or a certificate the system does not trust).
pub(crate) fn execute(
    request: RequestBuilder,
    now: DateTime<Utc>,
    hide: &Hide,
) -> Result<Reply, Failure> {
    let response = request.send().map_err(|e| network_failure(e, hide))?;
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, now));
    let body = response.text().map_err(|e| network_failure(e, hide))?;
    Ok(Reply {
        status,
        retry_after,
        body,
    })
}

/// `HTTP 200: ok` (the body cut to 300 characters, scrubbed) for 2xx; a classified
/// [`Failure`] otherwise.
pub(crate) fn judge(reply: &Reply, hide: &Hide) -> Result<Answer, Failure> {
    let text = hide.scrub(&format!(
        "HTTP {}: {}",
        reply.status,
        crate::render::truncate(reply.body.trim(), MAX_ANSWER)
    ));
    let text = text.trim_end_matches([' ', ':']).to_string();
    if (200..300).contains(&reply.status) {
        return Ok(Answer {
            status: Some(reply.status),
            text,
            reference: None,
        });
    }
    Err(Failure {
        class: classify_status(reply.status),
        status: Some(reply.status),
        retry_after: reply.retry_after,
        answer: text,
    })
}

pub(crate) fn classify_status(status: u16) -> FailureClass {
    match status {
        410 => FailureClass::Gone,
        408 | 429 | 500..=599 => FailureClass::Retry,
        _ => FailureClass::Permanent,
    }
}

/// `Retry-After`: delay-seconds or an HTTP-date, resolved against `now` (a date in the past
/// is no delay).
pub(crate) fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = DateTime::parse_from_rfc2822(value)
        .ok()?
        .with_timezone(&Utc);
    Some((date - now).to_std().unwrap_or(Duration::ZERO))
}

fn network_failure(error: reqwest::Error, hide: &Hide) -> Failure {
    let timeout = error.is_timeout();
    let builder = error.is_builder();
    let chain = hide.scrub(&error_chain(&error.without_url()));
    let certificate = chain.to_lowercase().contains("certificate");
    if builder {
        return Failure::permanent(format!("cannot make the request: {chain}"));
    }
    if certificate {
        return Failure::permanent(format!(
            "the server's TLS certificate is not trusted: {chain}"
        ));
    }
    if timeout {
        return Failure::retry(format!("no answer in time: {chain}"));
    }
    Failure::retry(format!("cannot reach the server: {chain}"))
}

/// An error and its sources, `: `-separated, each said once.
pub(crate) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut parts: Vec<String> = vec![error.to_string()];
    let mut source = error.source();
    while let Some(e) = source {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = e.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 6, 21, 30, 0)
            .single()
            .expect("a date")
    }

    #[test]
    fn statuses_are_classified_for_retrying() {
        for (status, class) in [
            (500, FailureClass::Retry),
            (503, FailureClass::Retry),
            (429, FailureClass::Retry),
            (408, FailureClass::Retry),
            (410, FailureClass::Gone),
            (400, FailureClass::Permanent),
            (401, FailureClass::Permanent),
            (404, FailureClass::Permanent),
        ] {
            assert_eq!(classify_status(status), class, "{status}");
        }
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        assert_eq!(
            parse_retry_after("120", now()),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Dec 2026 21:31:30 GMT", now()),
            Some(Duration::from_secs(90))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Dec 2026 21:00:00 GMT", now()),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now()), None);
    }

    #[test]
    fn answers_are_cut_and_scrubbed() {
        let secrets = ChannelSecrets {
            url: Some("https://hooks.slack.com/services/T000/B000/XXXXsecretXXXX".into()),
            authorization: Some("Bearer tok-123456".into()),
            ..ChannelSecrets::default()
        };
        let hide = Hide::new(&secrets);
        let reply = Reply {
            status: 400,
            retry_after: None,
            body: format!(
                "bad: XXXXsecretXXXX and Bearer tok-123456 {}",
                "x".repeat(500)
            ),
        };
        let failure = judge(&reply, &hide).expect_err("400 fails");
        assert_eq!(failure.class, FailureClass::Permanent);
        assert!(
            !failure.answer.contains("XXXXsecretXXXX") && !failure.answer.contains("tok-123456"),
            "{}",
            failure.answer
        );
        assert!(failure
            .answer
            .starts_with("HTTP 400: bad: [secret] and [secret] xxx"));
        assert!(failure.answer.chars().count() <= MAX_ANSWER + 20);
        let ok = judge(
            &Reply {
                status: 200,
                retry_after: None,
                body: "ok".into(),
            },
            &hide,
        )
        .expect("200 succeeds");
        assert_eq!(ok.text, "HTTP 200: ok");
        let empty = judge(
            &Reply {
                status: 204,
                retry_after: None,
                body: String::new(),
            },
            &hide,
        )
        .expect("204 succeeds");
        assert_eq!(empty.text, "HTTP 204");
    }
}
