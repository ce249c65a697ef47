//! Monitoring's history: runs, alerts, each application's diff per run, and "who is affected
//! by this advisory?".

use crate::{api, Engine, EngineError};

impl Engine {
    /// The runs, newest first (at most `limit`).
    pub fn runs(&self, _limit: u32) -> Result<Vec<api::RunSummary>, EngineError> {
        Err(EngineError::InvalidInput("run history is not built yet".into()))
    }

    /// Recorded alerts, oldest first.
    pub fn alerts(&self, _filter: &api::AlertFilter) -> Result<Vec<api::AlertRecord>, EngineError> {
        Err(EngineError::InvalidInput("alerts are not built yet".into()))
    }

    /// One application's part of each run, newest first.
    pub fn application_history(
        &self,
        _name: &str,
    ) -> Result<Vec<api::RunApplicationDiff>, EngineError> {
        Err(EngineError::InvalidInput("history is not built yet".into()))
    }

    /// Which applications, stages and versions contain what an advisory (id or alias) affects.
    pub fn affected(&self, _advisory: &str) -> Result<api::AffectedReport, EngineError> {
        Err(EngineError::InvalidInput("affected is not built yet".into()))
    }
}
