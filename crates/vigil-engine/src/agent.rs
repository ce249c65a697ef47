//! The agent: what the desktop app and `vigil agent` do by themselves — the scheduled run,
//! advisory syncs with backoff, the intake folder.

use crate::{api, Engine, EngineError};

impl Engine {
    pub fn agent_status(
        &self,
        _now: chrono::DateTime<chrono::Utc>,
    ) -> Result<api::AgentStatus, EngineError> {
        Err(EngineError::InvalidInput("the agent is not built yet".into()))
    }
}
