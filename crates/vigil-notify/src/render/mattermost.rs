//! A notice as a Mattermost incoming-webhook message: Slack-compatible `text` in Markdown
//! (Mattermost does not read Block Kit) and one attachment coloured by the threat band.
//! A post holds at most 16383 characters; longer text ends in `… and N more`.

use serde_json::{json, Value};

use super::facts;
use crate::Notice;

pub const MAX_TEXT: usize = 16_383;

pub fn render(notice: &Notice, delivery_id: &str) -> Value {
    let mut lines = vec![format!("#### {}", super::one_line(&notice.title))];
    if let Some(summary) = &notice.summary {
        lines.push(summary.clone());
    }
    for app in &notice.applications {
        lines.push(format!("**{}**", facts::app_heading(app)));
        lines.extend(
            app.violations
                .iter()
                .map(|v| format!("- {}", facts::short(v))),
        );
    }
    if !notice.waivers.is_empty() {
        lines.push("**Waivers**".to_string());
        lines.extend(
            notice
                .waivers
                .iter()
                .map(|w| format!("- {}", facts::waiver(w))),
        );
    }
    let text = super::slack::fit_lines("", &lines, MAX_TEXT);
    let apps: Vec<&str> = notice
        .applications
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    let mut fields = vec![
        json!({"short": true, "title": "Threat level", "value": format!("{} ({})", notice.level, facts::band(notice.level))}),
    ];
    if !apps.is_empty() {
        fields.push(json!({"short": true, "title": "Applications", "value": super::truncate(&apps.join(", "), 500)}));
    }
    json!({
        "text": text,
        "attachments": [{
            "fallback": format!("[Vigil] {}", super::one_line(&notice.title)),
            "color": color(notice.level),
            "fields": fields,
            "footer": format!("Vigil · delivery {delivery_id}"),
        }],
    })
}

fn color(level: u8) -> &'static str {
    match facts::band(level) {
        "critical" => "#b00020",
        "severe" => "#e65100",
        "moderate" => "#f9a825",
        _ => "#607d8b",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixtures;

    #[test]
    fn markdown_text_and_an_attachment_without_blocks() {
        let body = render(&fixtures::violations(), "d-1");
        assert!(body.get("blocks").is_none());
        let text = body["text"].as_str().expect("text");
        assert!(
            text.starts_with("#### 3 violations in Payments (critical)\n**Payments (critical tier"),
            "{text}"
        );
        assert!(
            text.contains("\n- New: log4j-core 2.14.1 · Security-Critical"),
            "{text}"
        );
        assert_eq!(body["attachments"][0]["color"], "#b00020");
        assert_eq!(body["attachments"][0]["fields"][1]["value"], "Payments");
    }

    #[test]
    fn long_text_is_cut_and_counted() {
        let body = render(&fixtures::big_digest(60, 60), "d-1");
        let text = body["text"].as_str().expect("text");
        assert!(text.chars().count() <= MAX_TEXT);
        assert!(text.contains(" more"), "cut lines counted");
    }
}
