//! Sync from an OSV bucket over HTTP (reqwest; `HTTPS_PROXY`/`HTTP_PROXY` are honoured).
//!
//! The layout is osv.dev's public bucket: `<base>/<Ecosystem>/all.zip` and
//! `<base>/<Ecosystem>/modified_id.csv` (rows `<RFC 3339 modified>,<ID>`, newest first), and
//! `<base>/<Ecosystem>/<ID>.json`. The first sync of an ecosystem downloads `all.zip` (to a
//! temporary file in the data directory, never into memory) and imports it; later ones read
//! `modified_id.csv` down to the previous high-water mark and fetch only the changed records,
//! with a conditional request (ETag) so that an unchanged feed costs one round trip. Every
//! ecosystem's import is one transaction: a failure half-way leaves the previous data intact.

use std::{
    io::{BufRead, BufReader, Read, Write},
    time::Duration,
};

use vigil_advisories::{OsvRecord, SourceLimits};
use vigil_store::{AdvisoryWriter, Store, SyncState};

use crate::{api, import::import_osv_source, rfc3339, Engine, EngineError};

/// osv.dev's public bucket.
pub const DEFAULT_BASE_URL: &str = "https://osv-vulnerabilities.storage.googleapis.com";

/// Most records fetched one by one in an incremental sync; beyond that a fresh `all.zip` is
/// cheaper and the sync falls back to it.
const MAX_INCREMENTAL: usize = 5_000;

#[derive(Debug)]
enum Outcome {
    Full {
        read: u32,
        changed: u32,
        newest: Option<String>,
        warnings: Vec<api::Warning>,
    },
    Incremental {
        fetched: u32,
        changed: u32,
        newest: String,
    },
    Unchanged,
}

impl Engine {
    /// Syncs each ecosystem (OSV names) from `base_url`. An ecosystem that fails is reported
    /// with its error and keeps its previous data; the others go on.
    pub fn sync(
        &self,
        ecosystems: &[String],
        base_url: &str,
        on_progress: &mut dyn FnMut(&api::Progress),
    ) -> Result<api::SyncReport, EngineError> {
        let mut store = self.store()?;
        let ecosystems: Vec<String> = if ecosystems.is_empty() {
            store.synced_ecosystems()?
        } else {
            ecosystems.to_vec()
        };
        if ecosystems.is_empty() {
            return Err(EngineError::InvalidInput(
                "nothing synced yet: name the ecosystems to sync, e.g. --ecosystem PyPI --ecosystem npm".into(),
            ));
        }
        let client = http_client()?;
        let base_url = base_url.trim_end_matches('/');
        let mut report = api::SyncReport {
            ecosystems: Vec::new(),
            monitoring: None,
        };
        for ecosystem in &ecosystems {
            let now = rfc3339(chrono::Utc::now());
            let previous = store
                .sync_state(ecosystem)?
                .filter(|s| s.base_url == base_url);
            let mut state = previous.clone().unwrap_or_default();
            state.ecosystem = ecosystem.clone();
            state.base_url = base_url.to_string();
            state.last_attempt = now.clone();
            let result = match previous.as_ref().and_then(|p| p.high_water.clone()) {
                Some(high_water) => incremental(
                    &client,
                    &mut store,
                    base_url,
                    ecosystem,
                    &high_water,
                    &mut state,
                    on_progress,
                ),
                None => full(self, &client, &mut store, base_url, ecosystem, on_progress),
            };
            let entry = match result {
                Ok(outcome) => {
                    state.last_success = Some(now);
                    state.last_error = None;
                    match outcome {
                        Outcome::Full {
                            read,
                            changed,
                            newest,
                            warnings,
                        } => {
                            state.high_water = newest;
                            api::EcosystemSync {
                                ecosystem: ecosystem.clone(),
                                mode: "full".into(),
                                read,
                                changed,
                                warnings,
                                error: None,
                            }
                        }
                        Outcome::Incremental {
                            fetched,
                            changed,
                            newest,
                        } => {
                            state.high_water = Some(newest);
                            api::EcosystemSync {
                                ecosystem: ecosystem.clone(),
                                mode: "incremental".into(),
                                read: fetched,
                                changed,
                                warnings: vec![],
                                error: None,
                            }
                        }
                        Outcome::Unchanged => api::EcosystemSync {
                            ecosystem: ecosystem.clone(),
                            mode: "unchanged".into(),
                            read: 0,
                            changed: 0,
                            warnings: vec![],
                            error: None,
                        },
                    }
                }
                Err(error) => {
                    state.last_error = Some(error.clone());
                    api::EcosystemSync {
                        ecosystem: ecosystem.clone(),
                        mode: "failed".into(),
                        read: 0,
                        changed: 0,
                        warnings: vec![],
                        error: Some(error),
                    }
                }
            };
            store.save_sync_state(&state)?;
            report.ecosystems.push(entry);
        }
        if report.ecosystems.iter().any(|e| e.changed > 0) {
            drop(store);
            report.monitoring = self
                .after_advisory_change(crate::Trigger::Sync, chrono::Utc::now(), &format!(
                    "Synced: {}.",
                    report
                        .ecosystems
                        .iter()
                        .filter(|e| e.changed > 0)
                        .map(|e| format!("{} {} records new or changed", e.ecosystem, e.changed))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))?
                .filter(|run| run.run_id != 0);
        }
        Ok(report)
    }
}

fn http_error(url: &str, e: impl std::fmt::Display) -> String {
    format!("{url}: {e}")
}

fn full(
    engine: &Engine,
    client: &reqwest::blocking::Client,
    store: &mut Store,
    base_url: &str,
    ecosystem: &str,
    on_progress: &mut dyn FnMut(&api::Progress),
) -> Result<Outcome, String> {
    let url = format!("{base_url}/{ecosystem}/all.zip");
    let download = engine.data_dir().join(format!(
        ".sync-{}.zip.part",
        ecosystem.replace(['/', ':', ' '], "_")
    ));
    let written = download_to(client, &url, &download, Some(ecosystem), on_progress);
    let result = match written {
        Err(e) => Err(e),
        Ok(_) => import_osv_source(
            store,
            &download,
            &url,
            &SourceLimits::default(),
            &mut |progress: &api::Progress| {
                on_progress(&api::Progress {
                    ecosystem: Some(ecosystem.to_string()),
                    ..progress.clone()
                })
            },
        )
        .map_err(|e| e.to_string())
        .and_then(|imported| match imported.source.read {
            0 if !imported.warnings.is_empty() => Err(imported.warnings[0].message.clone()),
            _ => Ok(Outcome::Full {
                read: imported.source.read,
                changed: imported.source.changed,
                newest: imported.newest,
                warnings: imported.warnings,
            }),
        }),
    };
    let _ = std::fs::remove_file(&download);
    result
}

fn incremental(
    client: &reqwest::blocking::Client,
    store: &mut Store,
    base_url: &str,
    ecosystem: &str,
    high_water: &str,
    state: &mut SyncState,
    on_progress: &mut dyn FnMut(&api::Progress),
) -> Result<Outcome, String> {
    let url = format!("{base_url}/{ecosystem}/modified_id.csv");
    let mut request = client.get(&url);
    if let Some(etag) = &state.csv_etag {
        request = request.header(reqwest::header::IF_NONE_MATCH, etag);
    }
    let response = request.send().map_err(|e| http_error(&url, e))?;
    if response.status() == reqwest::StatusCode::NOT_MODIFIED {
        return Ok(Outcome::Unchanged);
    }
    if !response.status().is_success() {
        return Err(http_error(&url, response.status()));
    }
    let etag = response
        .headers()
        .get(reqwest::header::ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    // Newest first: read only down to the high-water mark, never the whole file.
    let mut changed_ids = Vec::new();
    let mut newest: Option<String> = None;
    for line in BufReader::new(response).lines() {
        let line = line.map_err(|e| http_error(&url, format!("cut off: {e}")))?;
        let Some((modified, id)) = line.trim().split_once(',') else {
            continue;
        };
        if !is_newer(modified, high_water) {
            break;
        }
        newest.get_or_insert_with(|| modified.to_string());
        if id.contains(['/', '\\']) || id.contains("..") || id.is_empty() {
            return Err(http_error(
                &url,
                format!("refusing a malformed record id {id:?}"),
            ));
        }
        changed_ids.push(id.to_string());
        if changed_ids.len() > MAX_INCREMENTAL {
            state.high_water = None;
            return Err(format!("{url}: more than {MAX_INCREMENTAL} changed records; the next sync downloads all.zip"));
        }
    }
    let Some(newest) = newest else {
        state.csv_etag = etag;
        return Ok(Outcome::Unchanged);
    };
    let total = changed_ids.len() as u32;
    let mut records = Vec::with_capacity(changed_ids.len());
    for (index, id) in changed_ids.iter().enumerate() {
        let record_url = format!("{base_url}/{ecosystem}/{id}.json");
        let response = client
            .get(&record_url)
            .send()
            .map_err(|e| http_error(&record_url, e))?;
        if !response.status().is_success() {
            return Err(http_error(&record_url, response.status()));
        }
        let mut raw = String::new();
        response
            .take(SourceLimits::default().max_record_bytes)
            .read_to_string(&mut raw)
            .map_err(|e| http_error(&record_url, format!("cut off: {e}")))?;
        let record: OsvRecord = serde_json::from_str(&raw)
            .map_err(|e| http_error(&record_url, format!("not an OSV record: {e}")))?;
        records.push((record, raw));
        on_progress(&api::Progress {
            path: url.clone(),
            ecosystem: Some(ecosystem.to_string()),
            unit: api::ProgressUnit::Records,
            done: index as u64 + 1,
            total: Some(total.into()),
        });
    }
    let now = rfc3339(chrono::Utc::now());
    let changed = store
        .transaction(|tx| {
            let mut writer = AdvisoryWriter::new(tx, now.clone());
            let mut changed = 0;
            for (record, raw) in &records {
                if writer.upsert(record, raw)? != vigil_store::UpsertOutcome::Unchanged {
                    changed += 1;
                }
            }
            writer.finish(&url)?;
            Ok(changed)
        })
        .map_err(|e| e.to_string())?;
    state.csv_etag = etag;
    Ok(Outcome::Incremental {
        fetched: total,
        changed,
        newest,
    })
}

fn is_newer(candidate: &str, than: &str) -> bool {
    match (
        chrono::DateTime::parse_from_rfc3339(candidate),
        chrono::DateTime::parse_from_rfc3339(than),
    ) {
        (Ok(a), Ok(b)) => a > b,
        _ => candidate > than,
    }
}

/// The HTTP client for OSV buckets and feed URLs: the system proxy (`HTTPS_PROXY`) honoured.
pub(crate) fn http_client() -> Result<reqwest::blocking::Client, EngineError> {
    reqwest::blocking::Client::builder()
        .connect_timeout(Duration::from_secs(20))
        .timeout(Duration::from_secs(30 * 60))
        .user_agent(concat!("vigil/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| EngineError::Unreadable(format!("cannot start an HTTP client: {e}")))
}

/// Downloads `url` to `dest` (a file the caller removes), reporting bytes. A response that
/// ends before its declared length is an error: a cut-off file is never imported.
pub(crate) fn download_to(
    client: &reqwest::blocking::Client,
    url: &str,
    dest: &std::path::Path,
    ecosystem: Option<&str>,
    on_progress: &mut dyn FnMut(&api::Progress),
) -> Result<u64, String> {
    let mut response = client.get(url).send().map_err(|e| http_error(url, e))?;
    if !response.status().is_success() {
        return Err(http_error(url, response.status()));
    }
    let total = response.content_length();
    let written = (|| -> std::io::Result<u64> {
        let mut file = std::fs::File::create(dest)?;
        let mut buffer = vec![0u8; 1 << 16];
        let mut written = 0u64;
        loop {
            let n = response.read(&mut buffer)?;
            if n == 0 {
                break;
            }
            file.write_all(&buffer[..n])?;
            written += n as u64;
            on_progress(&api::Progress {
                path: url.to_string(),
                ecosystem: ecosystem.map(str::to_string),
                unit: api::ProgressUnit::Bytes,
                done: written,
                total,
            });
        }
        file.sync_all()?;
        Ok(written)
    })();
    match written {
        Err(e) => Err(http_error(url, format!("download cut off: {e}"))),
        Ok(n) if total.is_some_and(|t| t != n) => Err(http_error(
            url,
            format!("download cut off after {n} of {} bytes", total.unwrap_or(0)),
        )),
        Ok(n) => Ok(n),
    }
}
