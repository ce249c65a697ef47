//! Scanning artifacts into inventories, and storing them as applications' scans.

use std::path::{Path, PathBuf};

use vigil_inventory::{planned_bytes, scan_paths_observed, NoObserver, ScanLimits, ScanObserver};
use vigil_store::applications::{
    ensure_application, insert_evaluation, insert_scan, set_application_details, NewEvaluation,
    NewScan,
};

use crate::{api, convert, evaluate, matcher::Matcher, rfc3339, Engine, EngineError, ScanTarget};

/// About how many bytes a scan of `path` reads, from metadata alone: the total of a progress
/// bar (a folder's files that no extractor wants are not counted).
pub fn artifact_size(path: &Path) -> u64 {
    planned_bytes(path, &ScanLimits::default())
}

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
        let clock = chrono::Utc::now();
        let now = rfc3339(clock);
        let sources: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        let scan_id = store.transaction(|tx| {
            let app_id = ensure_application(tx, application, target.stage, &now)?;
            set_application_details(tx, app_id, target.organization.as_deref(), None)?;
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
        let app = store.application(application)?.ok_or_else(|| {
            EngineError::NotFound(format!("the application {application:?} vanished"))
        })?;
        let rules = evaluate::Rules::load(&store, clock)?;
        let violations = rules.evaluate_scan(&mut Matcher::new(&store), &store, &app, scan_id)?;
        let rules_hash = rules.hash_for(&app);
        let snapshot = evaluate::advisory_snapshot(&store)?;
        store.transaction(|tx| {
            insert_evaluation(
                tx,
                &NewEvaluation {
                    scan_id,
                    evaluated_at: &now,
                    advisory_generation: generation,
                    stage: Some(target.stage),
                    advisory_snapshot: &snapshot,
                    rules_hash: &rules_hash,
                    violations: &violations,
                },
            )
        })?;
        result.stored = Some(api::StoredScan {
            scan_id,
            // Names are case-insensitive; report the application's own spelling.
            application: app.name,
            stage: target.stage.as_str().to_string(),
            violations: violations.iter().filter(|v| !v.waived()).count() as u32,
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// Cancels as soon as the first artifact reported progress.
    struct CancelAfterFirst(Vec<api::ScanProgress>);
    impl ScanObserver for CancelAfterFirst {
        fn progress(&mut self, artifact: &Path, bytes_read: u64, components: usize) {
            self.0.push(api::ScanProgress {
                artifact: artifact.display().to_string(),
                bytes_read,
                total_bytes: artifact_size(artifact),
                components: components as u32,
                done: false,
            });
        }
        fn cancelled(&self) -> bool {
            !self.0.is_empty()
        }
    }

    #[test]
    fn a_cancelled_scan_is_not_stored_and_an_observed_one_is() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::open(&dir.path().join("data")).unwrap();
        let first = dir.path().join("requirements.txt");
        std::fs::write(&first, "django==2.2\n").unwrap();
        let second = dir.path().join("web");
        std::fs::create_dir(&second).unwrap();
        std::fs::write(
            second.join("package-lock.json"),
            r#"{"lockfileVersion":3,"packages":{"node_modules/lodash":{"version":"4.17.20"}}}"#,
        )
        .unwrap();
        let paths = vec![first.clone(), second.clone()];
        let target = || ScanTarget {
            application: "shop".into(),
            stage: vigil_model::Stage::Build,
            version_label: None,
            organization: None,
        };

        let mut observer = CancelAfterFirst(Vec::new());
        let result = engine
            .scan_observed(&paths, Some(target()), &mut observer)
            .unwrap();
        assert!(result.stored.is_none(), "a cancelled scan was stored");
        assert!(result
            .warnings
            .iter()
            .any(|w| w.message.contains("cancelled")));
        assert_eq!(observer.0[0].artifact, first.display().to_string());
        assert_eq!(observer.0[0].total_bytes, 12);
        assert!(engine.applications().unwrap().is_empty());

        let mut seen = Vec::new();
        struct Record<'a>(&'a mut Vec<(String, usize)>);
        impl ScanObserver for Record<'_> {
            fn progress(&mut self, artifact: &Path, _bytes: u64, components: usize) {
                self.0.push((artifact.display().to_string(), components));
            }
        }
        let result = engine
            .scan_observed(&paths, Some(target()), &mut Record(&mut seen))
            .unwrap();
        let stored = result.stored.expect("one scan of both artifacts");
        assert_eq!(result.components.len(), 2);
        assert_eq!(engine.applications().unwrap().len(), 1);
        assert_eq!(stored.application, "shop");
        assert_eq!(
            seen.last().unwrap(),
            &(second.display().to_string(), 1),
            "the folder's own component count"
        );
    }
}
