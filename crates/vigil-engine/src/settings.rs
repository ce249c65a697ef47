//! The workspace settings the engine knows, with their defaults. Stored as JSON under these
//! keys by `vigil-store`; a key never set reads as its default.

use chrono::{DateTime, Utc};
use vigil_store::Store;

use crate::{api, EngineError};

pub const MONITOR_NEW_APPLICATIONS: &str = "monitor_new_applications";
pub const SCHEDULE_AT: &str = "schedule.at";
pub const SCHEDULE_TIMEZONE: &str = "schedule.timezone";
pub const SCHEDULE_PAUSED: &str = "schedule.paused";
pub const SYNC_EVERY_SECONDS: &str = "sync.every_seconds";
pub const SYNC_BASE_URL: &str = "sync.base_url";
pub const INTAKE_FOLDER: &str = "intake.folder";
pub const STALE_AFTER_DAYS: &str = "coverage.stale_after_days";
pub const COVERAGE_RULES: &str = "coverage.rules";
pub const ADVISORY_DATA_MAX_AGE_HOURS: &str = "advisories.max_age_hours";
pub const THEME: &str = "window.theme";
/// When someone last had the desktop window open (RFC 3339): what a run found before then has
/// been looked at, so the tray stops saying "new violations".
pub const DESKTOP_LOOKED_AT: &str = "desktop.looked_at";

pub const DEFAULT_SCHEDULE_AT: &str = "06:30";
pub const DEFAULT_SYNC_EVERY_SECONDS: u64 = 3600;
pub const DEFAULT_STALE_AFTER_DAYS: u32 = 30;
/// Two days: a daily sync that failed once is not yet news, twice is.
pub const DEFAULT_ADVISORY_DATA_MAX_AGE_HOURS: u32 = 48;

pub(crate) fn advisory_data_max_age_hours(store: &Store) -> Result<u32, EngineError> {
    Ok(store
        .setting(ADVISORY_DATA_MAX_AGE_HOURS)?
        .unwrap_or(DEFAULT_ADVISORY_DATA_MAX_AGE_HOURS))
}

pub(crate) fn agent_settings(store: &Store) -> Result<api::AgentSettings, EngineError> {
    Ok(api::AgentSettings {
        sync_every_seconds: store
            .setting(SYNC_EVERY_SECONDS)?
            .unwrap_or(DEFAULT_SYNC_EVERY_SECONDS),
        sync_base_url: store
            .setting(SYNC_BASE_URL)?
            .unwrap_or_else(|| crate::sync::DEFAULT_BASE_URL.to_string()),
        intake_folder: store.setting(INTAKE_FOLDER)?,
        monitor_new_applications: store.setting(MONITOR_NEW_APPLICATIONS)?.unwrap_or(true),
        stale_after_days: store
            .setting(STALE_AFTER_DAYS)?
            .unwrap_or(DEFAULT_STALE_AFTER_DAYS),
        advisory_data_max_age_hours: advisory_data_max_age_hours(store)?,
    })
}

impl crate::Engine {
    /// The window's theme (System until one is chosen).
    pub fn theme(&self) -> Result<api::Theme, EngineError> {
        Ok(self.store()?.setting(THEME)?.unwrap_or_default())
    }

    pub fn set_theme(&self, theme: api::Theme) -> Result<(), EngineError> {
        self.store()?.set_setting(THEME, &theme)?;
        Ok(())
    }

    /// When the desktop window was last open (`None`: never).
    pub fn looked_at(&self) -> Result<Option<DateTime<Utc>>, EngineError> {
        let stored: Option<String> = self.store()?.setting(DESKTOP_LOOKED_AT)?;
        Ok(stored
            .and_then(|at| DateTime::parse_from_rfc3339(&at).ok())
            .map(|at| at.with_timezone(&Utc)))
    }

    /// Records that the desktop window is open at `now`; an earlier mark never replaces a later
    /// one (two processes, or a clock set back, must not bring old news back).
    pub fn mark_looked_at(&self, now: DateTime<Utc>) -> Result<(), EngineError> {
        if self.looked_at()?.is_some_and(|at| at >= now) {
            return Ok(());
        }
        let at = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        self.store()?.set_setting(DESKTOP_LOOKED_AT, &at)?;
        Ok(())
    }

    pub fn agent_settings(&self) -> Result<api::AgentSettings, EngineError> {
        agent_settings(&self.store()?)
    }

    /// Stores every field of `settings` (validated first: nothing is stored when one is bad).
    pub fn set_agent_settings(&self, settings: &api::AgentSettings) -> Result<(), EngineError> {
        if let Some(folder) = &settings.intake_folder {
            if folder.trim().is_empty() {
                return Err(EngineError::InvalidInput(
                    "the intake folder is empty; clear it instead".into(),
                ));
            }
        }
        if !(settings.sync_base_url.starts_with("https://")
            || settings.sync_base_url.starts_with("http://"))
        {
            return Err(EngineError::InvalidInput(format!(
                "the sync base URL {:?} is not an http(s) URL",
                settings.sync_base_url
            )));
        }
        if settings.advisory_data_max_age_hours == 0 {
            return Err(EngineError::InvalidInput(
                "the advisory data age limit must be at least an hour".into(),
            ));
        }
        let mut store = self.store()?;
        store.transaction(|tx| {
            use vigil_store::settings::{remove_setting, set_setting};
            set_setting(tx, SYNC_EVERY_SECONDS, &settings.sync_every_seconds)?;
            set_setting(tx, SYNC_BASE_URL, &settings.sync_base_url)?;
            match &settings.intake_folder {
                Some(folder) => set_setting(tx, INTAKE_FOLDER, folder)?,
                None => remove_setting(tx, INTAKE_FOLDER)?,
            }
            set_setting(
                tx,
                MONITOR_NEW_APPLICATIONS,
                &settings.monitor_new_applications,
            )?;
            set_setting(tx, STALE_AFTER_DAYS, &settings.stale_after_days)?;
            set_setting(
                tx,
                ADVISORY_DATA_MAX_AGE_HOURS,
                &settings.advisory_data_max_age_hours,
            )
        })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{api::Theme, Engine};

    #[test]
    fn the_theme_follows_the_system_until_one_is_chosen_and_the_choice_survives_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let engine = Engine::open(&data).unwrap();
        assert_eq!(engine.theme().unwrap(), Theme::System);
        engine.set_theme(Theme::Dark).unwrap();
        assert_eq!(engine.theme().unwrap(), Theme::Dark);
        drop(engine);

        let reopened = Engine::open(&data).unwrap();
        assert_eq!(reopened.theme().unwrap(), Theme::Dark);
        reopened.set_theme(Theme::Light).unwrap();
        assert_eq!(reopened.theme().unwrap(), Theme::Light);
    }


    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_looked_at_mark_survives_reopening_and_never_goes_back() {
        let dir = tempfile::tempdir().unwrap();
        let engine = crate::Engine::open(dir.path()).unwrap();
        assert_eq!(engine.looked_at().unwrap(), None);
        engine.mark_looked_at(utc("2026-12-07T06:00:00Z")).unwrap();
        engine.mark_looked_at(utc("2026-12-07T05:00:00Z")).unwrap();
        drop(engine);
        let reopened = crate::Engine::open(dir.path()).unwrap();
        assert_eq!(
            reopened.looked_at().unwrap(),
            Some(utc("2026-12-07T06:00:00Z"))
        );
    }
}
