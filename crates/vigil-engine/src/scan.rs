//! Scanning artifacts into inventories, and storing them as applications' scans.

use std::path::PathBuf;

use vigil_inventory::{scan_paths_observed, NoObserver, ScanLimits, ScanObserver};
use vigil_store::applications::{ensure_application, insert_evaluation, insert_scan, NewScan};

use crate::{api, convert, evaluate, matcher::Matcher, rfc3339, Engine, EngineError, ScanTarget};

impl Engine {
    /// Reads artifacts into an inventory. With a target, stores it as the application's latest
    /// scan at that stage (creating the application if new) and evaluates it at once.
    ///
    /// An inventory is not stored when nothing at all could be read (no component, and
    /// warnings say why): an unreadable file must not replace a good scan.
    pub fn scan(
        &self,
        paths: &[PathBuf],
        target: Option<ScanTarget>,
    ) -> Result<api::ScanResult, EngineError> {
        self.scan_observed(paths, target, &mut NoObserver)
    }

    /// [`Engine::scan`], reporting each artifact's progress to `observer`, which may cancel.
    /// A cancelled scan is never stored: a partial inventory must not replace a whole one.
    pub fn scan_observed(
        &self,
        paths: &[PathBuf],
        target: Option<ScanTarget>,
        observer: &mut dyn ScanObserver,
    ) -> Result<api::ScanResult, EngineError> {
        if paths.is_empty() {
            return Err(EngineError::InvalidInput(
                "nothing to scan: give at least one file or folder".into(),
            ));
        }
        let inventory = scan_paths_observed(paths, &ScanLimits::default(), observer);
        let mut result = api::ScanResult {
            components: inventory
                .components
                .iter()
                .map(convert::component)
                .collect(),
            unidentified: inventory
                .unidentified
                .iter()
                .map(convert::unidentified)
                .collect(),
            warnings: inventory
                .warnings
                .iter()
                .map(|w| api::Warning {
                    path: w.path.display().to_string(),
                    message: w.message.clone(),
                })
                .collect(),
            stored: None,
            advisory_data: None,
        };
        let Some(target) = target else {
            return Ok(result);
        };
        if observer.cancelled() {
            return Ok(result);
        }
        let application = target.application.trim();
        if application.is_empty() {
            return Err(EngineError::InvalidInput(
                "the application name is empty".into(),
            ));
        }
        if inventory.components.is_empty()
            && inventory.unidentified.is_empty()
            && !inventory.warnings.is_empty()
        {
            return Ok(result);
        }
        let mut store = self.store()?;
        let generation = store.advisory_generation()?;
        let now = rfc3339(chrono::Utc::now());
        let sources: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        let scan_id = store.transaction(|tx| {
            let app_id = ensure_application(tx, application, target.stage, &now)?;
            let scan = NewScan {
                stage: target.stage,
                version_label: target.version_label.as_deref(),
                sources: &sources,
                components: &inventory.components,
                unidentified: &inventory.unidentified,
                warnings: &inventory.warnings,
            };
            insert_scan(tx, app_id, &scan, &now)
        })?;
        let violations = evaluate::evaluate_scan(&mut Matcher::new(&store), &store, scan_id)?;
        store.transaction(|tx| insert_evaluation(tx, scan_id, &now, generation, &violations))?;
        // Names are case-insensitive; report the application's own spelling.
        let stored_name = store
            .application(application)?
            .map_or_else(|| application.to_string(), |a| a.name);
        result.stored = Some(api::StoredScan {
            scan_id,
            application: stored_name,
            stage: target.stage.as_str().to_string(),
            violations: violations.len() as u32,
        });
        let ecosystems = store.scan_ecosystems(scan_id)?;
        result.advisory_data = Some(crate::freshness::freshness(
            &store,
            ecosystems.iter().map(String::as_str),
            chrono::Utc::now(),
        )?);
        Ok(result)
    }
}
