//! A notice as an email: subject, a text and an HTML body (sent as multipart/alternative), and
//! the headers mail filters and threading use. Every string from outside (advisory summaries,
//! names) is HTML-escaped in the HTML body, and header values are kept to one line.

use super::facts;
use crate::{Notice, NoticeKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedEmail {
    /// `[Vigil] <title>`.
    pub subject: String,
    pub text: String,
    pub html: String,
    /// `<delivery_id@vigil.invalid>`: the same on every retry, so receivers deduplicate.
    pub message_id: String,
    /// Extra headers, in order: `X-Vigil-Threat-Level`, `X-Vigil-Application` (when the
    /// notice has applications), `List-Id`, and for a notice about one violation
    /// `References: <vigil-<key>@vigil.invalid>`, so mail clients thread one violation's
    /// messages together.
    pub headers: Vec<(&'static str, String)>,
}

/// Application names longer than this, joined, read `digest` in `X-Vigil-Application`.
const MAX_APPLICATION_HEADER: usize = 200;

pub fn render(notice: &Notice, delivery_id: &str, channel: &str) -> RenderedEmail {
    let subject = super::one_line(&format!("[Vigil] {}", notice.title));
    let mut headers = vec![("X-Vigil-Threat-Level", notice.level.to_string())];
    if let Some(apps) = application_header(notice) {
        headers.push(("X-Vigil-Application", apps));
    }
    headers.push(("List-Id", list_id(channel)));
    let mut lines = notice.violations();
    if let (Some(only), None) = (lines.next(), lines.next()) {
        headers.push(("References", thread_id(&only.key)));
    }
    RenderedEmail {
        subject,
        text: text(notice, delivery_id),
        html: html(notice, delivery_id),
        message_id: message_id(delivery_id),
        headers,
    }
}

/// `<delivery_id@vigil.invalid>`; characters an address's local part cannot carry dropped.
pub fn message_id(delivery_id: &str) -> String {
    let local: String = delivery_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
        .collect();
    format!("<{local}@vigil.invalid>")
}

/// The made-up parent every message about one violation refers to.
fn thread_id(key: &str) -> String {
    let key: String = key.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    format!("<vigil-{key}@vigil.invalid>")
}

/// RFC 2919: `Vigil <name> <slug.vigil.invalid>`, the same for every message of a channel.
pub fn list_id(channel: &str) -> String {
    let phrase: String = super::one_line(channel)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.'))
        .collect();
    let phrase = phrase.trim();
    let slug = super::slug(channel);
    if phrase.is_empty() {
        format!("Vigil <{slug}.vigil.invalid>")
    } else {
        format!("Vigil {phrase} <{slug}.vigil.invalid>")
    }
}

/// One application's name; several, comma-separated; `digest` when that would be too long.
fn application_header(notice: &Notice) -> Option<String> {
    let names: Vec<String> = notice
        .applications
        .iter()
        .map(|a| super::one_line(&a.name))
        .collect();
    match names.len() {
        0 => None,
        _ => {
            let joined = names.join(", ");
            if joined.len() > MAX_APPLICATION_HEADER {
                Some("digest".to_string())
            } else {
                Some(joined)
            }
        }
    }
}

fn footer(delivery_id: &str) -> String {
    format!("Sent by Vigil (delivery {delivery_id}).")
}

fn text(notice: &Notice, delivery_id: &str) -> String {
    let mut out = format!("{}\n", notice.title);
    if let Some(summary) = &notice.summary {
        out.push_str(&format!("\n{summary}\n"));
    }
    for app in &notice.applications {
        out.push_str(&format!("\n{}\n", facts::app_heading(app)));
        for v in &app.violations {
            out.push_str(&format!("\n  * {}\n", facts::headline(v)));
            for line in facts::details(v) {
                out.push_str(&format!("      {line}\n"));
            }
        }
    }
    if !notice.waivers.is_empty() {
        out.push_str("\nWaivers\n");
        for w in &notice.waivers {
            out.push_str(&format!("  * {}\n", facts::waiver(w)));
        }
    }
    if notice.kind == NoticeKind::Escalation {
        out.push_str("\nThese violations are open past their SLA.\n");
    }
    out.push_str(&format!("\n-- \n{}\n", footer(delivery_id)));
    out
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn html(notice: &Notice, delivery_id: &str) -> String {
    let e = escape_html;
    let mut out = String::from(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>\n\
         <body style=\"font-family:sans-serif;font-size:14px\">\n",
    );
    out.push_str(&format!(
        "<h1 style=\"font-size:18px\">{}</h1>\n",
        e(&notice.title)
    ));
    if let Some(summary) = &notice.summary {
        out.push_str(&format!("<p>{}</p>\n", e(summary)));
    }
    for app in &notice.applications {
        out.push_str(&format!(
            "<h2 style=\"font-size:16px\">{}</h2>\n<ul>\n",
            e(&facts::app_heading(app))
        ));
        for v in &app.violations {
            out.push_str(&format!(
                "<li data-level=\"{}\"><strong>{}</strong>\n<ul>\n",
                v.threat_level,
                e(&facts::headline(v))
            ));
            for line in facts::details(v) {
                out.push_str(&format!("<li>{}</li>\n", e(&line)));
            }
            out.push_str("</ul></li>\n");
        }
        out.push_str("</ul>\n");
    }
    if !notice.waivers.is_empty() {
        out.push_str("<h2 style=\"font-size:16px\">Waivers</h2>\n<ul>\n");
        for w in &notice.waivers {
            out.push_str(&format!("<li>{}</li>\n", e(&facts::waiver(w))));
        }
        out.push_str("</ul>\n");
    }
    if notice.kind == NoticeKind::Escalation {
        out.push_str("<p>These violations are open past their SLA.</p>\n");
    }
    out.push_str(&format!(
        "<p style=\"color:#666\">{}</p>\n</body></html>\n",
        e(&footer(delivery_id))
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixtures;

    const ID: &str = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

    #[test]
    fn subject_headers_and_ids() {
        let mail = render(&fixtures::violations(), ID, "Security Team");
        assert_eq!(mail.subject, "[Vigil] 3 violations in Payments (critical)");
        assert_eq!(mail.message_id, format!("<{ID}@vigil.invalid>"));
        assert_eq!(
            mail.headers,
            vec![
                ("X-Vigil-Threat-Level", "10".to_string()),
                ("X-Vigil-Application", "Payments".to_string()),
                (
                    "List-Id",
                    "Vigil Security Team <security-team.vigil.invalid>".to_string()
                ),
            ]
        );
        assert_eq!(
            mail,
            render(&fixtures::violations(), ID, "Security Team"),
            "stable across retries"
        );
    }

    #[test]
    fn a_notice_about_one_violation_refers_to_its_thread() {
        let mut notice = fixtures::violations();
        assert!(!render(&notice, ID, "ops")
            .headers
            .iter()
            .any(|(name, _)| *name == "References"));
        notice.applications[0].violations.truncate(1);
        let mail = render(&notice, ID, "ops");
        assert_eq!(
            mail.headers.last(),
            Some(&(
                "References",
                "<vigil-0000000000000001@vigil.invalid>".to_string()
            ))
        );
    }

    #[test]
    fn a_digest_names_its_applications_or_says_digest() {
        let mail = render(&fixtures::digest(), ID, "ops");
        assert!(mail
            .headers
            .contains(&("X-Vigil-Application", "Payments, Shop".to_string())));
        let mail = render(&fixtures::big_digest(40, 1), ID, "ops");
        assert!(mail
            .headers
            .contains(&("X-Vigil-Application", "digest".to_string())));
        let mail = render(&fixtures::test_notice(), ID, "ops");
        assert!(!mail
            .headers
            .iter()
            .any(|(name, _)| *name == "X-Vigil-Application"));
    }

    #[test]
    fn text_lists_each_violation_with_its_facts() {
        let mail = render(&fixtures::violations(), ID, "ops");
        for wanted in [
            "Payments (critical tier, organization Retail, stage release)",
            "New: log4j-core 2.14.1 violates Security-Critical, threat 10 (critical)",
            "Changed: log4j-core 2.14.1 violates",
            "Resolved: log4j-core 2.14.1 no longer violates",
            "What changed: now in CISA KEV",
            "Fix: upgrade to 2.17.1",
            "CVE-2021-44228 (aka GHSA-jfh8-c2jp-5v3q), CVSS 10.0, in CISA KEV",
            "Satisfied: CVSS 10.0 ≥ 9; in CISA KEV",
            "Component: pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
        ] {
            assert!(
                mail.text.contains(wanted),
                "missing {wanted:?} in\n{}",
                mail.text
            );
            assert!(
                mail.html.contains(&escape_html(wanted)),
                "missing {wanted:?} in\n{}",
                mail.html
            );
        }
    }

    #[test]
    fn hostile_summaries_do_not_inject_html() {
        let mail = render(&fixtures::violations(), ID, "ops");
        assert!(!mail.html.contains("<script>"), "{}", mail.html);
        assert!(!mail.html.contains("<b>bold"), "{}", mail.html);
        assert!(mail.html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt; &quot;quoted&quot;"));
        assert!(
            mail.text.contains(fixtures::HOSTILE),
            "the text body keeps the text as it is"
        );
    }

    #[test]
    fn header_values_stay_on_one_line() {
        let mut notice = fixtures::violations();
        notice.title = "evil\r\nBcc: victim@example.com".into();
        notice.applications[0].name = "A\nB".into();
        let mail = render(&notice, "id\r\nX: y", "ops\r\nBcc: z");
        assert_eq!(mail.subject, "[Vigil] evil Bcc: victim@example.com");
        assert_eq!(mail.message_id, "<idXy@vigil.invalid>");
        for (_, value) in &mail.headers {
            assert!(!value.contains('\n') && !value.contains('\r'), "{value:?}");
        }
    }

    #[test]
    fn waivers_and_tests_render() {
        let mail = render(&fixtures::waivers(), ID, "ops");
        assert!(mail.text.contains("Waiver #4 for log4j-core 2.14.1, policy Security-Critical, advisory CVE-2021-44228 (application Payments): expires 2026-12-10, in 4 days. Reason: vendor patch pending"), "{}", mail.text);
        let mail = render(&fixtures::test_notice(), ID, "ops");
        assert!(mail.text.contains("This is a test from Vigil."));
        assert_eq!(mail.headers[0], ("X-Vigil-Threat-Level", "0".to_string()));
    }
}
