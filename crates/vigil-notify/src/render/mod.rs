//! A [`crate::Notice`] rendered for each kind of channel. Pure: no IO, no clock; the same
//! notice and delivery id render the same bytes on every retry.
//!
//! `facts.rs` words a violation, an advisory, an application or a waiver once, so every
//! channel says the same thing; each other file shapes those words for one channel's format
//! and limits.

pub mod email;
pub mod envelope;
mod facts;
pub mod jira;
pub mod mattermost;
pub mod slack;
pub mod teams;

pub use facts::{band, slug};

/// Cuts `text` to at most `max` characters (not bytes), ending with `…` when cut.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// One line: control characters (CR, LF, tabs) become spaces (header values, summaries).
pub(crate) fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
pub(crate) mod fixtures;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_counts_characters_and_marks_the_cut() {
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcd", 3), "ab…");
        assert_eq!(truncate("ééééé", 4), "ééé…");
    }

    #[test]
    fn one_line_removes_line_breaks() {
        assert_eq!(one_line("a\r\nBcc: x@y\tz  "), "a Bcc: x@y z");
    }
}

#[cfg(test)]
mod every_kind {
    use super::fixtures;
    use crate::notice::AlertKind;
    use crate::{Notice, NoticeKind};

    /// One notice of each kind, as the engine makes them.
    fn notices() -> Vec<Notice> {
        let mut escalation = fixtures::violations();
        escalation.kind = NoticeKind::Escalation;
        escalation.applications[0].violations = vec![fixtures::violation(AlertKind::Escalated, 5)];
        let mut run = fixtures::test_notice();
        run.kind = NoticeKind::EvaluationCompleted;
        run.summary = Some("120 applications looked at, 3 new violations.".into());
        let mut advisories = fixtures::test_notice();
        advisories.kind = NoticeKind::AdvisoriesUpdated;
        advisories.summary = Some("PyPI: 12 new advisories.".into());
        vec![
            fixtures::violations(),
            fixtures::digest(),
            escalation,
            fixtures::waivers(),
            run,
            advisories,
            fixtures::test_notice(),
        ]
    }

    #[test]
    fn every_channel_renders_every_kind() {
        for notice in notices() {
            let what = format!("{:?}", notice.kind);
            let mail = super::email::render(&notice, "d-1", "ops");
            assert!(mail.text.contains(&notice.title), "{what}");
            let body = super::envelope::render(&notice, "d-1");
            assert_eq!(body["type"], notice.webhook_event().as_str(), "{what}");
            if let Some(summary) = &notice.summary {
                assert_eq!(body["summary"], summary.as_str(), "{what}");
                assert!(mail.text.contains(summary.as_str()), "{what}");
            }
            let slack = super::slack::render(&notice, "d-1").to_string();
            let teams = super::teams::render(&notice, "d-1").to_string();
            let mattermost = super::mattermost::render(&notice, "d-1").to_string();
            for (channel, text) in [
                ("slack", &slack),
                ("teams", &teams),
                ("mattermost", &mattermost),
            ] {
                assert!(text.contains(&notice.title), "{what} on {channel}");
                for w in &notice.waivers {
                    assert!(text.contains(&w.expires), "{what} on {channel}: the waiver");
                }
                for v in notice.violations() {
                    assert!(
                        text.contains(&v.component),
                        "{what} on {channel}: {}",
                        v.component
                    );
                }
            }
        }
    }

    #[test]
    fn an_escalation_reads_as_a_change_past_its_sla() {
        let escalation = &notices()[2];
        assert_eq!(escalation.webhook_event().as_str(), "violation.changed");
        let mail = super::email::render(escalation, "d-1", "ops");
        assert!(
            mail.text.contains("Escalated: log4j-core 2.14.1 violates"),
            "{}",
            mail.text
        );
        assert!(mail.text.contains("open past their SLA"), "{}", mail.text);
        let body = super::envelope::render(escalation, "d-1");
        assert_eq!(body["violations"][0]["kind"], "escalated");
    }
}
