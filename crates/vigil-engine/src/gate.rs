//! The CI gate: scan, evaluate at a stage, store, and say whether the build may pass.

use std::path::PathBuf;

use vigil_inventory::ScanObserver;
use vigil_policy::Action;

use crate::{api, convert, Engine, EngineError, ScanTarget};

impl Engine {
    /// Scans `paths` as the application's new scan at `target.stage`, evaluates it, stores
    /// both, and judges the result by each policy's action at that stage. Waived violations
    /// are listed but neither count nor fail.
    pub fn evaluate(
        &self,
        paths: &[PathBuf],
        target: ScanTarget,
        observer: &mut dyn ScanObserver,
    ) -> Result<api::EvaluationReport, EngineError> {
        let stage = target.stage;
        let scan = self.scan_observed(paths, Some(target), observer)?;
        let Some(stored) = scan.stored else {
            let why: Vec<String> = scan
                .warnings
                .iter()
                .map(|w| format!("{}: {}", w.path, w.message))
                .collect();
            return Err(EngineError::Unreadable(if why.is_empty() {
                "the scan was cancelled; nothing was evaluated".into()
            } else {
                format!(
                    "nothing could be read, so nothing was evaluated:\n{}",
                    why.join("\n")
                )
            }));
        };
        let store = self.store()?;
        let (evaluation, violations) =
            store.latest_evaluation(stored.scan_id)?.ok_or_else(|| {
                EngineError::NotFound(format!("scan {} has no evaluation", stored.scan_id))
            })?;
        let policies = store.policies()?;
        let mut counts = api::ViolationCounts::default();
        let mut dtos = convert::violations(&violations, &policies, Some(stage), &scan.components);
        for dto in &mut dtos {
            // A policy deleted since takes no action.
            let action = *dto.action.get_or_insert(Action::None);
            if dto.waiver.is_some() {
                counts.waived += 1;
            } else {
                match action {
                    Action::Fail => counts.fail += 1,
                    Action::Warn => counts.warn += 1,
                    Action::None => counts.none += 1,
                }
            }
        }
        dtos.sort_by(|a, b| {
            b.threat_level
                .cmp(&a.threat_level)
                .then_with(|| a.policy.cmp(&b.policy))
                .then_with(|| a.purl.cmp(&b.purl))
                .then_with(|| a.condition_key.cmp(&b.condition_key))
        });
        let outcome = if counts.fail > 0 {
            api::GateOutcome::Fail
        } else if counts.warn > 0 {
            api::GateOutcome::Warn
        } else {
            api::GateOutcome::Pass
        };
        Ok(api::EvaluationReport {
            application: stored.application,
            stage: stage.as_str().to_string(),
            scan_id: stored.scan_id,
            evaluated_at: evaluation.evaluated_at,
            components: scan.components.len() as u32,
            unidentified: scan.unidentified.len() as u32,
            outcome,
            counts,
            violations: dtos,
            warnings: scan.warnings,
            advisory_data: scan.advisory_data.unwrap_or(api::DataFreshness {
                ecosystems: Vec::new(),
                max_age_hours: crate::settings::DEFAULT_ADVISORY_DATA_MAX_AGE_HOURS,
            }),
        })
    }
}
