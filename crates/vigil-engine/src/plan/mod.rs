//! The notification plan (`model.rs`), as code (`yaml.rs`), and routing: which channels and
//! recipients an alert goes to and when (`route.rs`, pure), and the preview (`preview.rs`).

pub mod model;
pub mod route;
pub mod yaml;

pub use model::{DeliveryMode, Plan, QuietHours, Sla, TierRule, WaiverAlerts};

use chrono::{DateTime, Utc};

use crate::{api, Engine, EngineError};

impl Engine {
    pub fn plan_view(&self) -> Result<api::PlanView, EngineError> {
        todo!("lead")
    }

    /// Replaces the plan (validated first; nothing is stored when it is refused).
    pub fn set_plan(&self, plan: &Plan) -> Result<(), EngineError> {
        let _ = plan;
        todo!("lead")
    }

    pub fn export_plan(&self) -> Result<String, EngineError> {
        todo!("lead")
    }

    /// Imports a plan from YAML; `source` names the file in errors. All or nothing.
    pub fn import_plan(&self, text: &str, source: &str) -> Result<api::PlanView, EngineError> {
        let _ = (text, source);
        todo!("lead")
    }

    pub fn plan_preview(&self, request: &api::PlanPreviewRequest, now: DateTime<Utc>) -> Result<api::PlanPreview, EngineError> {
        let _ = (request, now);
        todo!("lead")
    }
}
