//! A notice as a Slack incoming-webhook message: Block Kit `blocks` (a header, a section per
//! application, a context line) and a plain `text` fallback for notifications.
//!
//! Slack's limits are kept here, not left to the API to reject: at most 50 blocks, a header's
//! text at most 150 characters, a section's text at most 3000: what does not fit ends in
//! `… and N more`. `&`, `<` and `>` are escaped in mrkdwn as Slack requires, so text from
//! outside cannot form links or mentions.

use serde_json::{json, Value};

use super::facts;
use crate::Notice;

pub const MAX_BLOCKS: usize = 50;
pub const MAX_SECTION_TEXT: usize = 3000;
pub const MAX_HEADER_TEXT: usize = 150;

/// Escapes text for Slack mrkdwn (`&amp;`, `&lt;`, `&gt;`).
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

pub fn render(notice: &Notice, delivery_id: &str) -> Value {
    let mut blocks = vec![json!({
        "type": "header",
        "text": {"type": "plain_text", "text": super::truncate(&super::one_line(&notice.title), MAX_HEADER_TEXT), "emoji": true},
    })];
    if let Some(summary) = &notice.summary {
        blocks.push(section(&[escape(summary)]));
    }
    if !notice.waivers.is_empty() {
        let lines: Vec<String> = notice
            .waivers
            .iter()
            .map(|w| format!("• {}", escape(&facts::waiver(w))))
            .collect();
        blocks.push(section_titled("*Waivers*", &lines));
    }
    // Room for the applications: the blocks so far, the context, and one "and N more" line.
    let room = MAX_BLOCKS.saturating_sub(blocks.len() + 2);
    let apps = &notice.applications;
    for app in apps.iter().take(room) {
        let title = format!("*{}*", escape(&facts::app_heading(app)));
        let lines: Vec<String> = app
            .violations
            .iter()
            .map(|v| format!("• {}", escape(&facts::short(v))))
            .collect();
        blocks.push(section_titled(&title, &lines));
    }
    if apps.len() > room {
        blocks.push(section(&[format!(
            "… and {} more applications",
            apps.len() - room
        )]));
    }
    blocks.push(json!({
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": escape(&format!(
            "Vigil · threat level {} ({}) · delivery {delivery_id}",
            notice.level,
            facts::band(notice.level)
        ))}],
    }));
    json!({"text": escape(&fallback(notice)), "blocks": blocks})
}

/// What a notification shows: the title and, for one application, its name.
fn fallback(notice: &Notice) -> String {
    format!("[Vigil] {}", super::one_line(&notice.title))
}

fn section(lines: &[String]) -> Value {
    section_titled("", lines)
}

/// A mrkdwn section: the title, then as many lines as fit in 3000 characters, then
/// `… and N more`.
fn section_titled(title: &str, lines: &[String]) -> Value {
    json!({"type": "section", "text": {"type": "mrkdwn", "text": fit_lines(title, lines, MAX_SECTION_TEXT)}})
}

/// `title` and `lines`, one a line, within `max` characters: lines that do not fit are
/// counted in a last `… and N more` line.
pub(crate) fn fit_lines(title: &str, lines: &[String], max: usize) -> String {
    const RESERVE: usize = 40; // "\n… and 123456 more"
    let mut out = super::truncate(title, max - RESERVE);
    let mut used = out.chars().count();
    for (i, line) in lines.iter().enumerate() {
        let line = super::truncate(line, max / 2);
        let cost = line.chars().count() + usize::from(!out.is_empty());
        if used + cost > max - RESERVE {
            out.push_str(&format!("\n… and {} more", lines.len() - i));
            return out;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&line);
        used += cost;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixtures;

    fn texts(body: &Value) -> Vec<String> {
        body["blocks"]
            .as_array()
            .map(|blocks| {
                blocks
                    .iter()
                    .filter_map(|b| b["text"]["text"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn header_sections_and_context() {
        let body = render(&fixtures::violations(), "d-1");
        assert_eq!(body["text"], "[Vigil] 3 violations in Payments (critical)");
        let blocks = body["blocks"].as_array().expect("blocks");
        assert_eq!(blocks[0]["type"], "header");
        assert_eq!(
            blocks[0]["text"]["text"],
            "3 violations in Payments (critical)"
        );
        assert_eq!(blocks[1]["type"], "section");
        let text = blocks[1]["text"]["text"].as_str().expect("mrkdwn");
        assert!(text.starts_with("*Payments (critical tier, organization Retail, stage release)*\n• New: log4j-core 2.14.1 · Security-Critical · threat 10 (critical) · CVE-2021-44228 (CVSS 10.0, KEV) · upgrade to 2.17.1"), "{text}");
        assert!(text.contains("• Changed: log4j-core 2.14.1"), "{text}");
        assert_eq!(
            blocks.last().map(|b| b["type"].clone()),
            Some(json!("context"))
        );
    }

    #[test]
    fn text_from_outside_is_escaped() {
        let mut notice = fixtures::violations();
        notice.applications[0].name = "<!channel> & <https://evil.example|click>".into();
        let body = render(&notice, "d-1");
        let all = texts(&body).join("\n");
        assert!(
            all.contains("&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;"),
            "{all}"
        );
        assert!(!all.contains("<!channel>"));
    }

    #[test]
    fn limits_hold_for_a_huge_digest() {
        let body = render(&fixtures::big_digest(80, 60), "d-1");
        let blocks = body["blocks"].as_array().expect("blocks");
        assert!(blocks.len() <= MAX_BLOCKS, "{} blocks", blocks.len());
        for text in texts(&body) {
            assert!(
                text.chars().count() <= MAX_SECTION_TEXT,
                "{} chars",
                text.chars().count()
            );
        }
        let all = texts(&body).join("\n");
        assert!(
            all.contains("… and 33 more applications"),
            "{}",
            &all[all.len() - 300..]
        );
        assert!(
            all.contains(" more\n") || all.contains(" more"),
            "sections say how many lines were left out"
        );
        let first = texts(&body)[1].clone();
        assert!(first.ends_with(" more"), "{first}");
    }

    #[test]
    fn a_long_title_fits_the_header() {
        let mut notice = fixtures::test_notice();
        notice.title = "x".repeat(400);
        let body = render(&notice, "d-1");
        assert_eq!(
            body["blocks"][0]["text"]["text"]
                .as_str()
                .map(|t| t.chars().count()),
            Some(MAX_HEADER_TEXT)
        );
        assert_eq!(
            body["blocks"][1]["text"]["text"],
            "This is a test from Vigil."
        );
    }
}
