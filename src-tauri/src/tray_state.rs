//! What the tray icon says at a glance, decided from plain facts (gathered by `tray.rs`): a run
//! in progress → running; a failed run or sync, or deliveries that failed since the window was
//! last open → error; a last run whose new or changed violations nobody has looked at yet (it
//! finished after the window was last open) → new; else all well. Pure, so that it is tested
//! without a tray.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrayState {
    AllWell,
    NewViolations,
    Running,
    Error,
}

impl TrayState {
    pub fn icon(self) -> &'static [u8] {
        match self {
            TrayState::AllWell => include_bytes!("../../icons/tray-ok.png"),
            TrayState::NewViolations => include_bytes!("../../icons/tray-new.png"),
            TrayState::Running => include_bytes!("../../icons/tray-running.png"),
            TrayState::Error => include_bytes!("../../icons/tray-error.png"),
        }
    }
}

/// The last run's findings, and whether they came after the window was last open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LastRun {
    pub new: u32,
    pub changed: u32,
    pub unseen: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub running: bool,
    /// The last monitoring run this app started failed, with this message.
    pub run_error: Option<String>,
    /// The agent's last advisory sync failed, with this message.
    pub sync_error: Option<String>,
    /// Deliveries given up on since the window was last open.
    pub failed_deliveries: usize,
    pub last_run: Option<LastRun>,
}

/// The state and the same in words (the tray's tooltip and its menu's first line).
pub fn decide(facts: &Facts) -> (TrayState, String) {
    if facts.running {
        return (TrayState::Running, "Monitoring is running…".into());
    }
    if let Some(error) = &facts.run_error {
        return (TrayState::Error, format!("Monitoring failed: {error}"));
    }
    if let Some(error) = &facts.sync_error {
        return (TrayState::Error, format!("Advisory sync failed: {error}"));
    }
    if facts.failed_deliveries > 0 {
        let n = facts.failed_deliveries;
        let s = if n == 1 { "y" } else { "ies" };
        return (
            TrayState::Error,
            format!("{n} notification deliver{s} failed (see Channels)"),
        );
    }
    match &facts.last_run {
        Some(run) if run.unseen && run.new + run.changed > 0 => {
            let mut parts = Vec::new();
            if run.new > 0 {
                parts.push(format!("{} new", run.new));
            }
            if run.changed > 0 {
                parts.push(format!("{} changed", run.changed));
            }
            (
                TrayState::NewViolations,
                format!("{} violations to look at", parts.join(", ")),
            )
        }
        _ => (TrayState::AllWell, "All well".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unseen(new: u32, changed: u32) -> Option<LastRun> {
        Some(LastRun {
            new,
            changed,
            unseen: true,
        })
    }

    #[test]
    fn nothing_to_say_is_all_well() {
        assert_eq!(decide(&Facts::default()).0, TrayState::AllWell);
        let seen = Facts {
            last_run: Some(LastRun {
                new: 3,
                changed: 1,
                unseen: false,
            }),
            ..Facts::default()
        };
        assert_eq!(decide(&seen), (TrayState::AllWell, "All well".into()));
        let quiet = Facts {
            last_run: unseen(0, 0),
            ..Facts::default()
        };
        assert_eq!(decide(&quiet).0, TrayState::AllWell);
    }

    #[test]
    fn unseen_new_or_changed_violations_are_new() {
        let facts = Facts {
            last_run: unseen(2, 1),
            ..Facts::default()
        };
        assert_eq!(
            decide(&facts),
            (
                TrayState::NewViolations,
                "2 new, 1 changed violations to look at".into()
            )
        );
        let changed = Facts {
            last_run: unseen(0, 4),
            ..Facts::default()
        };
        assert_eq!(decide(&changed).0, TrayState::NewViolations);
    }

    #[test]
    fn failures_outrank_findings_and_name_what_failed() {
        let base = Facts {
            last_run: unseen(2, 0),
            ..Facts::default()
        };
        let run = Facts {
            run_error: Some("the database is locked".into()),
            ..base.clone()
        };
        assert_eq!(
            decide(&run),
            (
                TrayState::Error,
                "Monitoring failed: the database is locked".into()
            )
        );
        let sync = Facts {
            sync_error: Some("connection refused".into()),
            ..base.clone()
        };
        assert_eq!(
            decide(&sync).1,
            "Advisory sync failed: connection refused"
        );
        let deliveries = Facts {
            failed_deliveries: 2,
            ..base.clone()
        };
        assert_eq!(
            decide(&deliveries),
            (
                TrayState::Error,
                "2 notification deliveries failed (see Channels)".into()
            )
        );
    }

    #[test]
    fn a_run_in_progress_outranks_everything() {
        let facts = Facts {
            running: true,
            run_error: Some("earlier failure".into()),
            failed_deliveries: 1,
            last_run: unseen(1, 0),
            ..Facts::default()
        };
        assert_eq!(decide(&facts).0, TrayState::Running);
    }

    #[test]
    fn each_state_has_its_own_icon() {
        let icons = [
            TrayState::AllWell,
            TrayState::NewViolations,
            TrayState::Running,
            TrayState::Error,
        ]
        .map(TrayState::icon);
        for (i, a) in icons.iter().enumerate() {
            assert!(a.starts_with(b"\x89PNG"), "icon {i} is not a PNG");
            for b in &icons[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }
}
