//! Coverage: which applications monitoring covers, which it must cover (coverage rules), and
//! which it covers badly (never scanned, stale).

use vigil_store::{ApplicationRow, Store};

use crate::{api, Engine, EngineError};

/// The applications a monitoring run covers: their own switch or an organization above that
/// turned monitoring on, minus those a coverage rule takes out of monitoring.
pub(crate) fn monitored_applications(store: &Store) -> Result<Vec<ApplicationRow>, EngineError> {
    Ok(store
        .applications()?
        .into_iter()
        .filter(|app| app.monitored)
        .collect())
}

impl Engine {
    /// Every application that should be monitored and is not, whose watched stage was never
    /// scanned, or whose latest scan is older than the stale limit.
    pub fn coverage(
        &self,
        _now: chrono::DateTime<chrono::Utc>,
    ) -> Result<api::CoverageReport, EngineError> {
        Err(EngineError::InvalidInput("coverage is not built yet".into()))
    }
}
