//! A notice as a Microsoft Teams Workflows ("When a Teams webhook request is received")
//! message: one Adaptive Card 1.4 attachment, a TextBlock per heading and a FactSet per
//! application. Teams rejects payloads over about 28 KB, so each application shows at most
//! [`MAX_FACTS`] violations and the card at most [`MAX_APPLICATIONS`] applications, the rest
//! counted.

use serde_json::{json, Value};

use super::facts;
use crate::Notice;

pub const MAX_FACTS: usize = 15;
pub const MAX_APPLICATIONS: usize = 10;

pub fn render(notice: &Notice, delivery_id: &str) -> Value {
    let mut body = vec![json!({
        "type": "TextBlock", "text": super::one_line(&notice.title), "weight": "Bolder", "size": "Medium", "wrap": true,
    })];
    if let Some(summary) = &notice.summary {
        body.push(json!({"type": "TextBlock", "text": summary, "wrap": true}));
    }
    for app in notice.applications.iter().take(MAX_APPLICATIONS) {
        body.push(json!({"type": "TextBlock", "text": facts::app_heading(app), "weight": "Bolder", "wrap": true, "spacing": "Medium"}));
        let mut facts_out: Vec<Value> = app
            .violations
            .iter()
            .take(MAX_FACTS)
            .map(|v| {
                // The fact's title says the kind; the value need not say it again.
                let label = facts::kind_label(v.kind);
                let line = facts::short(v);
                let value = line.strip_prefix(&format!("{label}: ")).unwrap_or(&line);
                json!({"title": label, "value": super::truncate(value, 400)})
            })
            .collect();
        if app.violations.len() > MAX_FACTS {
            facts_out.push(json!({"title": "…", "value": format!("and {} more", app.violations.len() - MAX_FACTS)}));
        }
        body.push(json!({"type": "FactSet", "facts": facts_out}));
    }
    if notice.applications.len() > MAX_APPLICATIONS {
        body.push(json!({"type": "TextBlock", "text": format!("… and {} more applications", notice.applications.len() - MAX_APPLICATIONS), "wrap": true}));
    }
    if !notice.waivers.is_empty() {
        body.push(
            json!({"type": "TextBlock", "text": "Waivers", "weight": "Bolder", "wrap": true}),
        );
        for w in notice.waivers.iter().take(MAX_FACTS) {
            body.push(json!({"type": "TextBlock", "text": facts::waiver(w), "wrap": true}));
        }
    }
    body.push(json!({
        "type": "TextBlock", "isSubtle": true, "size": "Small", "wrap": true,
        "text": format!("Vigil · threat level {} ({}) · delivery {delivery_id}", notice.level, facts::band(notice.level)),
    }));
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.4",
                "body": body,
                "msteams": {"width": "Full"},
            },
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixtures;

    #[test]
    fn an_adaptive_card_in_a_message() {
        let body = render(&fixtures::violations(), "d-1");
        assert_eq!(body["type"], "message");
        let attachment = &body["attachments"][0];
        assert_eq!(
            attachment["contentType"],
            "application/vnd.microsoft.card.adaptive"
        );
        assert_eq!(attachment["contentUrl"], Value::Null);
        let card = &attachment["content"];
        assert_eq!(card["type"], "AdaptiveCard");
        assert_eq!(card["version"], "1.4");
        assert_eq!(
            card["body"][0]["text"],
            "3 violations in Payments (critical)"
        );
        assert_eq!(
            card["body"][1]["text"],
            "Payments (critical tier, organization Retail, stage release)"
        );
        assert_eq!(card["body"][2]["type"], "FactSet");
        assert_eq!(card["body"][2]["facts"][0]["title"], "New");
        assert!(card["body"][2]["facts"][0]["value"]
            .as_str()
            .is_some_and(|v| v.contains("upgrade to 2.17.1") && !v.starts_with("New")));
    }

    #[test]
    fn a_huge_digest_stays_small() {
        let body = render(&fixtures::big_digest(40, 60), "d-1");
        let size = body.to_string().len();
        assert!(size < 28_000, "{size} bytes");
        let text = body.to_string();
        assert!(text.contains("and 45 more"), "facts counted");
        assert!(text.contains("… and 30 more applications"));
    }
}
