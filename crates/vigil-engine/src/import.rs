//! Importing OSV advisories from dumps, folders and files.

use std::path::PathBuf;

use vigil_advisories::{read_source, SourceLimits};
use vigil_store::{AdvisoryWriter, StoreError, UpsertOutcome};

use crate::{api, evaluate, rfc3339, Engine, EngineError};

/// Progress is reported every this many records (and at the end of each source), so that a
/// 300,000-record dump does not flood a UI channel.
const PROGRESS_EVERY: u32 = 500;

impl Engine {
    /// Imports every source; each source is one transaction, so a source that fails half-way
    /// leaves the previous data as it was. Records that cannot be read become warnings.
    pub fn import_advisories(
        &self,
        paths: &[PathBuf],
        on_progress: &mut dyn FnMut(&api::Progress),
    ) -> Result<api::ImportReport, EngineError> {
        let mut store = self.store()?;
        let mut report = api::ImportReport { sources: vec![], read: 0, changed: 0, unchanged: 0, warnings: vec![] };
        let limits = SourceLimits::default();
        for path in paths {
            let label = path.display().to_string();
            let now = rfc3339(chrono::Utc::now());
            let mut source = api::ImportedSource { path: label.clone(), read: 0, changed: 0 };
            let mut warnings = Vec::new();
            let outcome = store.transaction(|tx| {
                let mut writer = AdvisoryWriter::new(tx, now.clone());
                let mut failure: Option<StoreError> = None;
                let stats = read_source(path, &limits, &mut |item| {
                    if failure.is_some() {
                        return;
                    }
                    match item.result {
                        Ok(record) => {
                            source.read += 1;
                            match writer.upsert(&record.record, &record.raw) {
                                Ok(UpsertOutcome::Inserted | UpsertOutcome::Updated) => source.changed += 1,
                                Ok(UpsertOutcome::Unchanged) => {}
                                Err(e) => failure = Some(e),
                            }
                        }
                        Err(e) => warnings.push(api::Warning { path: e.member, message: e.message }),
                    }
                    if item.done % PROGRESS_EVERY == 0 {
                        on_progress(&api::Progress { path: label.clone(), done: item.done, total: item.total });
                    }
                });
                if let Some(e) = failure {
                    return Err(e);
                }
                if stats.is_ok() {
                    writer.finish(&label)?;
                }
                Ok(stats)
            });
            match outcome {
                Ok(Ok(stats)) => {
                    on_progress(&api::Progress { path: label.clone(), done: stats.records + stats.errors, total: Some(stats.records + stats.errors) });
                }
                Ok(Err(e)) => {
                    warnings.clear();
                    source = api::ImportedSource { path: label.clone(), read: 0, changed: 0 };
                    warnings.push(api::Warning { path: label.clone(), message: e.to_string() });
                }
                Err(e) => return Err(e.into()),
            }
            report.read += source.read;
            report.changed += source.changed;
            report.unchanged += source.read - source.changed;
            report.warnings.extend(warnings);
            report.sources.push(source);
        }
        if report.changed > 0 {
            // Stored evaluations used the old data; bring what the window shows up to date.
            // (Alerts are monitoring's job, and its state is kept apart.)
            evaluate::refresh_latest_evaluations(&mut store, chrono::Utc::now())?;
        }
        Ok(report)
    }
}
