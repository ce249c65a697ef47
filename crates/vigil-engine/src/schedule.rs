//! The daily schedule: at a local time in a time zone, correct across daylight-saving changes,
//! catching up once after sleep or shutdown.

use crate::{api, Engine, EngineError};

impl Engine {
    pub fn schedule_status(
        &self,
        _now: chrono::DateTime<chrono::Utc>,
    ) -> Result<api::ScheduleStatus, EngineError> {
        Err(EngineError::InvalidInput("the schedule is not built yet".into()))
    }

    /// Sets the daily time (`HH:MM`) and, when given, the IANA time zone.
    pub fn set_schedule(
        &self,
        _at: &str,
        _timezone: Option<&str>,
        _now: chrono::DateTime<chrono::Utc>,
    ) -> Result<api::ScheduleStatus, EngineError> {
        Err(EngineError::InvalidInput("the schedule is not built yet".into()))
    }

    pub fn pause_schedule(
        &self,
        _paused: bool,
        _now: chrono::DateTime<chrono::Utc>,
    ) -> Result<api::ScheduleStatus, EngineError> {
        Err(EngineError::InvalidInput("the schedule is not built yet".into()))
    }
}
