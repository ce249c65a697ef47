//! SMTP with lettre: one connection per message, TLS by the channel's `security`.
//!
//! `none` is allowed only towards a loopback host (a local relay); anything else would send
//! the alert and the password in clear over a network, so it is refused before connecting.
//! A `ca_file` adds a PEM root to the system's (an internal relay's CA); verification is never
//! switched off. SMTP 4yz and connection errors are retried; 5yz, refused logins and
//! untrusted certificates are permanent.

use std::net::IpAddr;

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};

use crate::http::{error_chain, Hide};
use crate::send::Sender;
use crate::{render, Answer, EmailConfig, EmailSecurity, Failure, FailureClass, Outgoing};

pub(crate) fn send(
    sender: &Sender,
    config: &EmailConfig,
    out: &Outgoing<'_>,
) -> Result<Answer, Failure> {
    if out.recipients.is_empty() {
        return Err(Failure::permanent(
            "no recipients: the channel names no addresses and its roles matched no contact",
        ));
    }
    if config.security == EmailSecurity::None && !is_loopback(&config.host) {
        return Err(Failure::permanent(format!(
            "email security \"none\" sends mail and password unencrypted, so it is allowed only \
             towards a loopback host, and {} is not one: choose starttls or tls",
            config.host
        )));
    }
    let message = message(config, out)?;
    let transport = transport(sender, config, out)?;
    let hide = Hide::new(out.secrets);
    match transport.send(&message) {
        Ok(response) => {
            let code = response.code().to_string();
            let lines: Vec<&str> = response.message().collect();
            let text = hide.scrub(&format!("{code} {}", lines.join(" ")));
            Ok(Answer {
                status: code.parse().ok(),
                text: render::truncate(text.trim(), 300),
                reference: None,
            })
        }
        Err(error) => Err(failure(&error, &hide)),
    }
}

/// `localhost`, `127.0.0.0/8`, `::1`.
pub(crate) fn is_loopback(host: &str) -> bool {
    let host = host.trim().trim_end_matches('.');
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.to_ascii_lowercase().ends_with(".localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn message(config: &EmailConfig, out: &Outgoing<'_>) -> Result<Message, Failure> {
    let rendered = render::email::render(out.notice, out.delivery_id, out.channel);
    let from: Mailbox = config.from.parse().map_err(|e| {
        Failure::permanent(format!(
            "the sender address {:?} is not valid: {e}",
            config.from
        ))
    })?;
    let mut builder = Message::builder()
        .from(from)
        .subject(rendered.subject)
        .message_id(Some(rendered.message_id))
        .date(std::time::SystemTime::from(out.now));
    for recipient in out.recipients {
        let to: Mailbox = recipient.parse().map_err(|e| {
            Failure::permanent(format!(
                "the recipient address {recipient:?} is not valid: {e}"
            ))
        })?;
        builder = builder.to(to);
    }
    for (name, value) in rendered.headers {
        let name = HeaderName::new_from_ascii(name.to_string())
            .map_err(|_| Failure::permanent(format!("invalid header name {name}")))?;
        builder = builder.raw_header(HeaderValue::new(name, value));
    }
    builder
        .multipart(MultiPart::alternative_plain_html(
            rendered.text,
            rendered.html,
        ))
        .map_err(|e| Failure::permanent(format!("cannot build the message: {e}")))
}

fn transport(
    sender: &Sender,
    config: &EmailConfig,
    out: &Outgoing<'_>,
) -> Result<SmtpTransport, Failure> {
    let tls = match config.security {
        EmailSecurity::None => Tls::None,
        EmailSecurity::Starttls => Tls::Required(tls_parameters(config)?),
        EmailSecurity::Tls => Tls::Wrapper(tls_parameters(config)?),
    };
    let mut builder = SmtpTransport::relay(&config.host)
        .map_err(|e| Failure::permanent(format!("cannot set up SMTP for {}: {e}", config.host)))?
        .port(config.port)
        .tls(tls)
        .timeout(Some(sender.smtp_timeout));
    if let Some(user) = config.user.as_deref().filter(|u| !u.is_empty()) {
        let Some(password) = out.secrets.password.clone() else {
            return Err(Failure::permanent(format!(
                "the channel logs in as {user} but no password is stored in the keyring"
            )));
        };
        builder = builder.credentials(Credentials::new(user.to_string(), password));
    }
    Ok(builder.build())
}

fn tls_parameters(config: &EmailConfig) -> Result<TlsParameters, Failure> {
    let mut builder = TlsParameters::builder(config.host.clone());
    if let Some(path) = config.ca_file.as_deref().filter(|p| !p.is_empty()) {
        let pem = std::fs::read(path)
            .map_err(|e| Failure::permanent(format!("cannot read the CA file {path}: {e}")))?;
        let certificate = Certificate::from_pem(&pem).map_err(|e| {
            Failure::permanent(format!("the CA file {path} is not a PEM certificate: {e}"))
        })?;
        builder = builder.add_root_certificate(certificate);
    }
    builder
        .build()
        .map_err(|e| Failure::permanent(format!("cannot set up TLS for {}: {e}", config.host)))
}

fn failure(error: &lettre::transport::smtp::Error, hide: &Hide) -> Failure {
    let chain = hide.scrub(&error_chain(error));
    let status = error
        .status()
        .and_then(|code| code.to_string().parse::<u16>().ok());
    let certificate = chain.to_lowercase().contains("certificate");
    let text = if certificate {
        format!("SMTP: the server's TLS certificate is not trusted (a private CA goes in the channel's CA file): {chain}")
    } else {
        format!("SMTP: {chain}")
    };
    let class = if error.is_transient() {
        FailureClass::Retry
    } else if error.is_permanent() || error.is_tls() || certificate || error.is_client() {
        FailureClass::Permanent
    } else {
        // Connection, network, timeouts, a garbled response: the next attempt may work.
        FailureClass::Retry
    };
    Failure {
        class,
        status,
        retry_after: None,
        answer: render::truncate(&text, 500),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for host in [
            "localhost",
            "LOCALHOST.",
            "127.0.0.1",
            "127.1.2.3",
            "::1",
            "[::1]",
            "mail.localhost",
        ] {
            assert!(is_loopback(host), "{host}");
        }
        for host in [
            "mail.example.com",
            "10.0.0.1",
            "localhost.example.com",
            "::2",
            "0.0.0.0",
        ] {
            assert!(!is_loopback(host), "{host}");
        }
    }
}
