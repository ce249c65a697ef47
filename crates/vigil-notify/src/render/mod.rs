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
