//! Importing OSV advisories from dumps, folders and files.

use std::{
    io::{BufReader, Read},
    path::{Path, PathBuf},
};

use vigil_advisories::{
    feeds::{looks_like_epss, looks_like_kev, parse_epss, parse_kev},
    read_source, SourceLimits,
};
use vigil_store::{
    feeds::{replace_epss, replace_kev},
    AdvisoryWriter, Store, StoreError, UpsertOutcome,
};

use crate::{api, rfc3339, Engine, EngineError};

/// Progress is reported every this many records (and at the end of each source), so that a
/// 300,000-record dump does not flood a UI channel.
const PROGRESS_EVERY: u32 = 500;

impl Engine {
    /// Imports every source; each source is one transaction, so a source that fails half-way
    /// leaves the previous data as it was. Records that cannot be read become warnings.
    ///
    /// Besides OSV data, a source may be CISA's KEV catalog (JSON) or FIRST's EPSS scores (CSV,
    /// optionally gzipped); they are recognised by their content and replace the stored feed.
    pub fn import_advisories(
        &self,
        paths: &[PathBuf],
        on_progress: &mut dyn FnMut(&api::Progress),
    ) -> Result<api::ImportReport, EngineError> {
        let mut store = self.store()?;
        let mut report = api::ImportReport {
            sources: vec![],
            read: 0,
            changed: 0,
            unchanged: 0,
            warnings: vec![],
            monitoring: None,
        };
        let limits = SourceLimits::default();
        let mut client = None;
        for (index, given) in paths.iter().enumerate() {
            let label = given.display().to_string();
            // A URL (the KEV catalog, the EPSS CSV, an OSV dump) is downloaded to a file in the
            // workspace first, then read like any file; the file goes when the import does.
            let downloaded = if label.starts_with("https://") || label.starts_with("http://") {
                let client = match &client {
                    Some(client) => client,
                    None => client.insert(crate::sync::http_client()?),
                };
                let dest = tempfile::Builder::new()
                    .prefix(&format!(".import-{index}-"))
                    .tempfile_in(self.data_dir())
                    .map_err(|e| {
                        EngineError::Unreadable(format!(
                            "{label}: cannot create a download file: {e}"
                        ))
                    })?;
                crate::sync::download_to(client, &label, dest.path(), None, on_progress)
                    .map_err(EngineError::Unreadable)?;
                Some(dest)
            } else {
                None
            };
            let path: &Path = downloaded.as_ref().map_or(given.as_path(), |d| d.path());
            if let Some(kind) = feed_kind(path) {
                let (source, warnings) = import_feed(&mut store, path, &label, kind)?;
                report.read += source.read;
                report.changed += source.changed;
                report.warnings.extend(warnings);
                report.sources.push(source);
                continue;
            }
            let imported = import_osv_source(&mut store, path, &label, &limits, on_progress)?;
            drop(downloaded);
            let (source, warnings) = (imported.source, imported.warnings);
            report.read += source.read;
            report.changed += source.changed;
            report.unchanged += source.read - source.changed;
            report.warnings.extend(warnings);
            report.sources.push(source);
        }
        if report.changed > 0 {
            // The applications the new data touches are re-evaluated now, and their alerts
            // created now, not at the next daily run.
            drop(store);
            report.monitoring = self
                .after_advisory_change(crate::Trigger::Import, chrono::Utc::now(), &format!(
                    "{} advisory records new or changed from {}.",
                    report.changed,
                    report.sources.iter().map(|s| s.path.as_str()).collect::<Vec<_>>().join(", ")
                ))?
                .filter(|run| run.run_id != 0);
        }
        Ok(report)
    }
}

/// What importing one OSV source did.
pub(crate) struct ImportedOsv {
    pub source: api::ImportedSource,
    pub warnings: Vec<api::Warning>,
    /// The newest `modified` among the records read (sync's high-water mark).
    pub newest: Option<String>,
}

/// Imports one OSV dump, folder or file in one transaction.
pub(crate) fn import_osv_source(
    store: &mut Store,
    path: &Path,
    label: &str,
    limits: &SourceLimits,
    on_progress: &mut dyn FnMut(&api::Progress),
) -> Result<ImportedOsv, EngineError> {
    let now = rfc3339(chrono::Utc::now());
    let mut source = api::ImportedSource {
        path: label.to_string(),
        read: 0,
        changed: 0,
    };
    let mut warnings = Vec::new();
    let mut newest: Option<String> = None;
    let outcome = store.transaction(|tx| {
        let mut writer = AdvisoryWriter::new(tx, now.clone());
        let mut failure: Option<StoreError> = None;
        let stats = read_source(path, limits, &mut |item| {
            if failure.is_some() {
                return;
            }
            match item.result {
                Ok(record) => {
                    source.read += 1;
                    if newest
                        .as_deref()
                        .is_none_or(|n| record.record.modified.as_str() > n)
                    {
                        newest = Some(record.record.modified.clone());
                    }
                    match writer.upsert(&record.record, &record.raw) {
                        Ok(UpsertOutcome::Inserted | UpsertOutcome::Updated) => source.changed += 1,
                        Ok(UpsertOutcome::Unchanged) => {}
                        Err(e) => failure = Some(e),
                    }
                }
                Err(e) => warnings.push(api::Warning {
                    path: e.member,
                    message: e.message,
                }),
            }
            if item.done % PROGRESS_EVERY == 0 {
                on_progress(&api::Progress {
                    path: label.to_string(),
                    ecosystem: None,
                    unit: api::ProgressUnit::Records,
                    done: item.done.into(),
                    total: item.total.map(u64::from),
                });
            }
        });
        if let Some(e) = failure {
            return Err(e);
        }
        if stats.is_ok() {
            writer.finish(label)?;
        }
        Ok(stats)
    });
    match outcome {
        Ok(Ok(stats)) => {
            let done = stats.records + stats.errors;
            on_progress(&api::Progress {
                path: label.to_string(),
                ecosystem: None,
                unit: api::ProgressUnit::Records,
                done: done.into(),
                total: Some(done.into()),
            });
        }
        Ok(Err(e)) => {
            warnings.clear();
            source = api::ImportedSource {
                path: label.to_string(),
                read: 0,
                changed: 0,
            };
            warnings.push(api::Warning {
                path: label.to_string(),
                message: e.to_string(),
            });
            newest = None;
        }
        Err(e) => return Err(e.into()),
    }
    Ok(ImportedOsv {
        source,
        warnings,
        newest,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FeedKind {
    Kev,
    Epss { gzip: bool },
}

/// Largest feed file read (the KEV catalog is ~1 MB, EPSS ~10 MB compressed, ~60 MB inflated).
const MAX_FEED_BYTES: u64 = 512 << 20;

fn feed_kind(path: &Path) -> Option<FeedKind> {
    let mut head = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(4096)
        .read_to_end(&mut head)
        .ok()?;
    if head.starts_with(&[0x1f, 0x8b]) {
        let mut inflated = Vec::new();
        flate2::read::GzDecoder::new(&head[..])
            .take(256)
            .read_to_end(&mut inflated)
            .ok();
        return looks_like_epss(&inflated).then_some(FeedKind::Epss { gzip: true });
    }
    if looks_like_epss(&head) {
        return Some(FeedKind::Epss { gzip: false });
    }
    looks_like_kev(&head).then_some(FeedKind::Kev)
}

fn import_feed(
    store: &mut Store,
    path: &Path,
    label: &str,
    kind: FeedKind,
) -> Result<(api::ImportedSource, Vec<api::Warning>), EngineError> {
    let label = label.to_string();
    let now = rfc3339(chrono::Utc::now());
    let failed = |message: String| {
        (
            api::ImportedSource {
                path: label.clone(),
                read: 0,
                changed: 0,
            },
            vec![api::Warning {
                path: label.clone(),
                message,
            }],
        )
    };
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => return Ok(failed(e.to_string())),
    };
    let reader: Box<dyn Read> = match kind {
        FeedKind::Epss { gzip: true } => Box::new(flate2::read::GzDecoder::new(file)),
        FeedKind::Epss { gzip: false } | FeedKind::Kev => Box::new(file),
    };
    // The bound holds after decompression too: a gzip bomb stops here.
    let mut reader = reader.take(MAX_FEED_BYTES + 1);
    match kind {
        FeedKind::Kev => {
            let mut bytes = Vec::new();
            if let Err(e) = reader.read_to_end(&mut bytes) {
                return Ok(failed(e.to_string()));
            }
            if bytes.len() as u64 > MAX_FEED_BYTES {
                return Ok(failed(format!(
                    "larger than {MAX_FEED_BYTES} bytes; not read"
                )));
            }
            let catalog = match parse_kev(&bytes) {
                Ok(catalog) => catalog,
                Err(e) => return Ok(failed(e)),
            };
            store.transaction(|tx| replace_kev(tx, &catalog, &now, &label))?;
            let entries = catalog.entries.len() as u32;
            Ok((
                api::ImportedSource {
                    path: label,
                    read: entries,
                    changed: entries,
                },
                vec![],
            ))
        }
        FeedKind::Epss { .. } => {
            let scores = match parse_epss(BufReader::new(&mut reader)) {
                Ok(scores) => scores,
                Err(e) => return Ok(failed(format!("not an EPSS CSV: {e}"))),
            };
            if reader.limit() == 0 {
                return Ok(failed(format!(
                    "larger than {MAX_FEED_BYTES} bytes inflated; not read"
                )));
            }
            store.transaction(|tx| replace_epss(tx, &scores, &now, &label))?;
            let entries = scores.scores.len() as u32;
            let warnings = scores
                .skipped
                .iter()
                .map(|line| api::Warning {
                    path: label.clone(),
                    message: format!("skipped {line}"),
                })
                .collect();
            Ok((
                api::ImportedSource {
                    path: label,
                    read: entries,
                    changed: entries,
                },
                warnings,
            ))
        }
    }
}
