//! The delivery worker: sends what the outbox holds when it is due, with backoff, per-channel
//! rate limits and a delivery id stable across retries. Shared by `vigil deliveries send`,
//! `vigil agent` and the desktop app.

use chrono::{DateTime, Utc};
use vigil_notify::Notice;

use crate::{api, Engine, EngineError};

/// Shows desktop deliveries; only the desktop app has one. Returns an error text when the
/// notification could not be shown.
pub type DesktopSink<'a> = &'a dyn Fn(&Notice) -> Result<(), String>;

impl Engine {
    pub fn deliveries(&self, filter: &api::DeliveryFilter) -> Result<Vec<api::DeliveryDto>, EngineError> {
        let _ = filter;
        todo!("lead")
    }

    /// Sends every delivery due at `now` (desktop ones through `desktop`, else left pending).
    pub fn send_due_deliveries(
        &self,
        now: DateTime<Utc>,
        desktop: Option<DesktopSink<'_>>,
    ) -> Result<api::DeliveryReport, EngineError> {
        let _ = (now, desktop);
        todo!("lead")
    }

    /// "Retry now": a pending or failed delivery becomes due at `now` (same id).
    pub fn retry_delivery(&self, id: &str, now: DateTime<Utc>) -> Result<api::DeliveryDto, EngineError> {
        let _ = (id, now);
        todo!("lead")
    }
}
