//! Jira issues and comments for a notice: summaries (one line, at most 255 characters),
//! labels (`vigil` and `vigil-<violation key>`: the search key that keeps one violation one
//! issue), and bodies written once as [`JiraText`] and rendered as wiki text (REST v2) or
//! Atlassian Document Format (REST v3).

use serde_json::{json, Value};

use super::facts;
use crate::notice::AlertKind;
use crate::{AppNotice, Notice, ViolationNotice};

pub const MAX_SUMMARY: usize = 255;

/// A body, independent of the API version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(String),
    Paragraph(String),
    Bullets(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JiraText(pub Vec<Block>);

impl JiraText {
    /// The body as the API version wants it: a wiki-markup string (2) or an ADF document (3).
    pub fn body(&self, api_version: u8) -> Value {
        if api_version >= 3 {
            self.adf()
        } else {
            Value::String(self.wiki())
        }
    }

    /// Jira wiki markup; text from outside has the characters that make macros, links,
    /// tables and images (`{ } [ ] | !`) escaped.
    pub fn wiki(&self) -> String {
        let mut out = Vec::new();
        for block in &self.0 {
            match block {
                Block::Heading(text) => {
                    out.push(format!("h3. {}", escape_wiki(&super::one_line(text))))
                }
                Block::Paragraph(text) => out.push(escape_wiki(text)),
                Block::Bullets(items) => out.push(
                    items
                        .iter()
                        .map(|i| format!("* {}", escape_wiki(&super::one_line(i))))
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
            }
        }
        out.join("\n\n")
    }

    /// An Atlassian Document Format document (text nodes carry text as data: no escaping).
    pub fn adf(&self) -> Value {
        let text = |t: &str| json!({"type": "text", "text": t});
        let content: Vec<Value> = self
            .0
            .iter()
            .filter_map(|block| match block {
                Block::Heading(t) if !t.is_empty() => {
                    Some(json!({"type": "heading", "attrs": {"level": 3}, "content": [text(&super::one_line(t))]}))
                }
                Block::Paragraph(t) if !t.is_empty() => Some(json!({"type": "paragraph", "content": [text(t)]})),
                Block::Bullets(items) if !items.is_empty() => Some(json!({
                    "type": "bulletList",
                    "content": items.iter().map(|i| json!({
                        "type": "listItem",
                        "content": [{"type": "paragraph", "content": [text(&super::one_line(i))]}],
                    })).collect::<Vec<_>>(),
                })),
                Block::Heading(_) | Block::Paragraph(_) | Block::Bullets(_) => None,
            })
            .collect();
        json!({"type": "doc", "version": 1, "content": content})
    }
}

fn escape_wiki(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '{' | '}' | '[' | ']' | '|' | '!') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `vigil-<key>`: the label that finds a violation's issue. Keys are lowercase hex; anything
/// else a label cannot hold (spaces above all) is dropped.
pub fn violation_label(v: &ViolationNotice) -> String {
    let key: String = v
        .key
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    format!("vigil-{key}")
}

pub fn violation_labels(v: &ViolationNotice) -> Vec<String> {
    vec!["vigil".to_string(), violation_label(v)]
}

/// `vigil` and the label of every violation the notice carries, each once.
pub fn run_labels(notice: &Notice) -> Vec<String> {
    let mut labels = vec!["vigil".to_string()];
    for v in notice.violations() {
        let label = violation_label(v);
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    labels
}

/// `[Vigil] log4j-core 2.14.1 violates Security-Critical in Payments`.
pub fn violation_summary(app: &AppNotice, v: &ViolationNotice) -> String {
    let text = format!(
        "[Vigil] {} violates {} in {}",
        v.component, v.policy, app.name
    );
    super::truncate(&super::one_line(&text), MAX_SUMMARY)
}

/// `[Vigil] <title>`; for one application of a digest, `[Vigil] 2 new violations in Shop`.
pub fn run_summary(notice: &Notice, app: &AppNotice, new: usize) -> String {
    let text = if notice.applications.len() > 1 {
        let noun = if new == 1 { "violation" } else { "violations" };
        format!("[Vigil] {new} new {noun} in {}", app.name)
    } else {
        format!("[Vigil] {}", notice.title)
    };
    super::truncate(&super::one_line(&text), MAX_SUMMARY)
}

/// `delivery <id>)`: how a body's footer names its delivery (the parenthesis ends it, so
/// `d-1` is not found in `d-10`), so a retry can tell its own comments.
pub fn delivery_mark(delivery_id: &str) -> String {
    format!("delivery {delivery_id})")
}

fn footer(notice: &Notice, delivery_id: &str) -> Block {
    let run = notice
        .run_id
        .map(|r| format!("run {r}, "))
        .unwrap_or_default();
    Block::Paragraph(format!(
        "Reported by Vigil ({run}{}.",
        delivery_mark(delivery_id)
    ))
}

/// The description of one violation's issue.
pub fn violation_description(
    notice: &Notice,
    app: &AppNotice,
    v: &ViolationNotice,
    delivery_id: &str,
) -> JiraText {
    JiraText(vec![
        Block::Heading(facts::app_heading(app)),
        Block::Paragraph(facts::headline(v)),
        Block::Bullets(facts::details(v)),
        footer(notice, delivery_id),
    ])
}

/// The description of an application run's issue: every violation with its details.
pub fn run_description(notice: &Notice, delivery_id: &str) -> JiraText {
    let mut blocks = Vec::new();
    if let Some(summary) = &notice.summary {
        blocks.push(Block::Paragraph(summary.clone()));
    }
    for app in &notice.applications {
        blocks.push(Block::Heading(facts::app_heading(app)));
        for v in &app.violations {
            blocks.push(Block::Paragraph(facts::headline(v)));
            blocks.push(Block::Bullets(facts::details(v)));
        }
    }
    blocks.push(footer(notice, delivery_id));
    JiraText(blocks)
}

/// A comment on a violation's existing issue: reported again, changed (what changed),
/// resolved, or open past its SLA.
pub fn violation_comment(notice: &Notice, v: &ViolationNotice, delivery_id: &str) -> JiraText {
    let lead = match v.kind {
        AlertKind::New => format!("Reported again: {}", facts::headline(v)),
        AlertKind::Changed => format!(
            "{}. What changed: {}",
            facts::headline(v),
            v.changed.join("; ")
        ),
        AlertKind::Resolved => format!("{}.", facts::headline(v)),
        AlertKind::Escalated => format!("Open past its SLA: {}", facts::headline(v)),
    };
    let mut blocks = vec![Block::Paragraph(lead)];
    if v.kind != AlertKind::Resolved {
        blocks.push(Block::Bullets(facts::details(v)));
    }
    blocks.push(footer(notice, delivery_id));
    JiraText(blocks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixtures;

    #[test]
    fn labels_summaries_and_bodies() {
        let notice = fixtures::violations();
        let app = &notice.applications[0];
        let v = &app.violations[0];
        assert_eq!(violation_labels(v), ["vigil", "vigil-0000000000000001"]);
        assert_eq!(
            run_labels(&notice),
            [
                "vigil",
                "vigil-0000000000000001",
                "vigil-0000000000000002",
                "vigil-0000000000000003"
            ]
        );
        assert_eq!(
            violation_summary(app, v),
            "[Vigil] log4j-core 2.14.1 violates Security-Critical in Payments"
        );
        let text = violation_description(&notice, app, v, "d-1");
        let wiki = text.wiki();
        assert!(wiki.starts_with("h3. Payments (critical tier, organization Retail, stage release)\n\nNew: log4j-core"), "{wiki}");
        assert!(wiki.contains("\n* Fix: upgrade to 2.17.1"), "{wiki}");
        let adf = text.body(3);
        assert_eq!(adf["type"], "doc");
        assert_eq!(adf["version"], 1);
        assert_eq!(adf["content"][0]["type"], "heading");
        assert_eq!(adf["content"][2]["type"], "bulletList");
        assert!(text.body(2).is_string());
    }

    #[test]
    fn bodies_name_their_delivery() {
        let notice = fixtures::violations();
        let v = &notice.applications[0].violations[0];
        let wiki = violation_comment(&notice, v, "d-1").wiki();
        assert!(
            wiki.ends_with("Reported by Vigil (run 7, delivery d-1)."),
            "{wiki}"
        );
        assert!(wiki.contains(&delivery_mark("d-1")) && !wiki.contains(&delivery_mark("d-10")));
    }

    #[test]
    fn wiki_markup_from_outside_is_escaped() {
        let text = JiraText(vec![Block::Paragraph(
            "{html}<b>x</b>{html} [click|http://evil] !img.png!".into(),
        )]);
        assert_eq!(
            text.wiki(),
            "\\{html\\}<b>x</b>\\{html\\} \\[click\\|http://evil\\] \\!img.png\\!"
        );
    }

    #[test]
    fn comments_say_what_happened() {
        let notice = fixtures::violations();
        let changed = &notice.applications[0].violations[1];
        assert!(violation_comment(&notice, changed, "d")
            .wiki()
            .contains("What changed: now in CISA KEV"));
        let resolved = &notice.applications[0].violations[2];
        assert!(violation_comment(&notice, resolved, "d")
            .wiki()
            .starts_with("Resolved: log4j-core 2.14.1 no longer violates"));
    }

    #[test]
    fn a_digests_run_issue_names_its_application() {
        let notice = fixtures::digest();
        assert_eq!(
            run_summary(&notice, &notice.applications[1], 1),
            "[Vigil] 1 new violation in Shop"
        );
        let one = fixtures::violations();
        assert_eq!(
            run_summary(&one, &one.applications[0], 3),
            "[Vigil] 3 violations in Payments (critical)"
        );
    }

    #[test]
    fn summaries_are_one_short_line() {
        let mut notice = fixtures::violations();
        notice.title = format!("a\nb{}", "x".repeat(300));
        let s = run_summary(&notice, &notice.applications[0], 1);
        assert!(!s.contains('\n'));
        assert_eq!(s.chars().count(), MAX_SUMMARY);
    }
}
