//! Reading OSV records from where users keep them: an OSV dump zip (`<Ecosystem>/all.zip`,
//! one `<ID>.json` member per record), a directory of record files, or one JSON file (a
//! record, an array of records, or an OSV API answer `{"vulns": [...]}`).
//!
//! Records are handed over one at a time, so memory does not grow with the dump. A record that
//! cannot be read is reported with its member name and reading goes on; only a source that
//! cannot be opened at all is an error.

use std::{
    fs::File,
    io::{BufReader, Read},
    path::{Path, PathBuf},
};

use crate::OsvRecord;

/// Bounds that keep a hostile or broken source from exhausting memory.
#[derive(Debug, Clone)]
pub struct SourceLimits {
    /// Largest inflated size of one record (the largest real OSV records are a few MB).
    pub max_record_bytes: u64,
    /// Largest inflated/compressed ratio of one zip member.
    pub max_compression_ratio: u64,
    /// Deepest directory walked below the given one.
    pub max_dir_depth: usize,
}

impl Default for SourceLimits {
    fn default() -> Self {
        SourceLimits {
            max_record_bytes: 32 << 20,
            max_compression_ratio: 1000,
            max_dir_depth: 16,
        }
    }
}

#[derive(Debug, Clone)]
pub struct SourceRecord {
    /// The zip member or file the record came from.
    pub member: String,
    pub record: OsvRecord,
    /// The record exactly as read, so that fields Vigil does not model yet are kept.
    pub raw: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{member}: {message}")]
pub struct RecordError {
    pub member: String,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not a readable zip archive: {reason}")]
    BadZip { path: PathBuf, reason: String },
}

/// One step of reading a source.
pub struct SourceItem {
    /// Members looked at so far.
    pub done: u32,
    /// Members in the source when that is known up front (zip archives).
    pub total: Option<u32>,
    pub result: Result<SourceRecord, RecordError>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceStats {
    pub records: u32,
    pub errors: u32,
}

/// Reads every record of one source, calling `on_item` for each record or per-record error.
pub fn read_source(
    path: &Path,
    limits: &SourceLimits,
    on_item: &mut dyn FnMut(SourceItem),
) -> Result<SourceStats, SourceError> {
    let io_err = |source| SourceError::Io {
        path: path.to_path_buf(),
        source,
    };
    let metadata = std::fs::metadata(path).map_err(io_err)?;
    let mut stats = SourceStats::default();
    let mut count = |item: SourceItem, stats: &mut SourceStats| {
        match &item.result {
            Ok(_) => stats.records += 1,
            Err(_) => stats.errors += 1,
        }
        on_item(item);
    };
    if metadata.is_dir() {
        let mut done = 0;
        walk_dir(path, 0, limits, &mut |item_path, result| {
            done += 1;
            let results = match result {
                Ok(()) => read_json_file(item_path, limits),
                Err(message) => vec![Err(RecordError {
                    member: display(item_path),
                    message,
                })],
            };
            for result in results {
                count(
                    SourceItem {
                        done,
                        total: None,
                        result,
                    },
                    &mut stats,
                );
            }
        });
        return Ok(stats);
    }
    let mut magic = [0u8; 4];
    let is_zip = File::open(path)
        .and_then(|mut f| {
            f.read(&mut magic)
                .map(|n| n == 4 && &magic == b"PK\x03\x04")
        })
        .map_err(io_err)?;
    if is_zip {
        read_zip(path, limits, &mut |item| count(item, &mut stats))?;
    } else {
        for result in read_json_file(path, limits) {
            count(
                SourceItem {
                    done: 1,
                    total: Some(1),
                    result,
                },
                &mut stats,
            );
        }
    }
    Ok(stats)
}

fn read_zip(
    path: &Path,
    limits: &SourceLimits,
    on_item: &mut dyn FnMut(SourceItem),
) -> Result<(), SourceError> {
    let file = File::open(path).map_err(|source| SourceError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut archive =
        zip::ZipArchive::new(BufReader::new(file)).map_err(|e| SourceError::BadZip {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
    let total = u32::try_from(archive.len()).unwrap_or(u32::MAX);
    let mut buffer = Vec::new();
    for index in 0..archive.len() {
        let done = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let mut entry = match archive.by_index(index) {
            Ok(entry) => entry,
            Err(e) => {
                let member = format!("{}!/#{index}", path.display());
                on_item(SourceItem {
                    done,
                    total: Some(total),
                    result: Err(RecordError {
                        member,
                        message: e.to_string(),
                    }),
                });
                continue;
            }
        };
        // Names are only labels here: nothing is ever written to disk, so a hostile name
        // (`../../etc/passwd`) cannot escape anywhere.
        let member = format!(
            "{}!/{}",
            path.display(),
            String::from_utf8_lossy(entry.name_raw())
        );
        if entry.is_dir() || !entry.name_raw().ends_with(b".json") {
            continue;
        }
        let fail = |message: String| SourceItem {
            done,
            total: Some(total),
            result: Err(RecordError {
                member: member.clone(),
                message,
            }),
        };
        let declared = entry.size();
        let compressed = entry.compressed_size().max(1);
        if declared > limits.max_record_bytes {
            on_item(fail(format!(
                "record of {declared} bytes exceeds the {} byte limit",
                limits.max_record_bytes
            )));
            continue;
        }
        if declared / compressed > limits.max_compression_ratio {
            on_item(fail(format!(
                "compression ratio {}:1 exceeds the limit of {}:1 (zip bomb?)",
                declared / compressed,
                limits.max_compression_ratio
            )));
            continue;
        }
        buffer.clear();
        // The declared size can lie; the `take` is what actually bounds memory.
        let read = (&mut entry)
            .take(limits.max_record_bytes + 1)
            .read_to_end(&mut buffer);
        let result = match read {
            Err(e) => Err(format!("cannot inflate: {e}")),
            Ok(_) if buffer.len() as u64 > limits.max_record_bytes => Err(format!(
                "record exceeds the {} byte limit",
                limits.max_record_bytes
            )),
            Ok(_) => parse_record(&buffer),
        };
        let item = match result {
            Ok((record, raw)) => SourceItem {
                done,
                total: Some(total),
                result: Ok(SourceRecord {
                    member,
                    record,
                    raw,
                }),
            },
            Err(message) => fail(message),
        };
        on_item(item);
    }
    Ok(())
}

fn parse_record(bytes: &[u8]) -> Result<(OsvRecord, String), String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8: {e}"))?;
    let record: OsvRecord =
        serde_json::from_str(text).map_err(|e| format!("not an OSV record: {e}"))?;
    if record.id.trim().is_empty() {
        return Err("record has an empty id".into());
    }
    Ok((record, text.to_string()))
}

// The match is over a JSON value, not a domain enum: anything else is one record (or a clear error).
#[allow(clippy::wildcard_enum_match_arm)]
fn read_json_file(path: &Path, limits: &SourceLimits) -> Vec<Result<SourceRecord, RecordError>> {
    let member = display(path);
    let fail = |message: String| {
        vec![Err(RecordError {
            member: member.clone(),
            message,
        })]
    };
    let mut bytes = Vec::new();
    let read =
        File::open(path).and_then(|f| f.take(limits.max_record_bytes + 1).read_to_end(&mut bytes));
    if let Err(e) = read {
        return fail(e.to_string());
    }
    if bytes.len() as u64 > limits.max_record_bytes {
        return fail(format!(
            "file exceeds the {} byte limit",
            limits.max_record_bytes
        ));
    }
    let value: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(value) => value,
        Err(e) => return fail(format!("not JSON: {e}")),
    };
    let values = match value {
        serde_json::Value::Array(items) => items,
        serde_json::Value::Object(mut map)
            if map.contains_key("vulns") && !map.contains_key("id") =>
        {
            match map.remove("vulns") {
                Some(serde_json::Value::Array(items)) => items,
                _ => return fail("\"vulns\" is not an array".into()),
            }
        }
        other => vec![other],
    };
    values
        .into_iter()
        .enumerate()
        .map(|(index, value)| {
            let member = if index == 0 {
                member.clone()
            } else {
                format!("{member}#{index}")
            };
            let raw = value.to_string();
            serde_json::from_value::<OsvRecord>(value)
                .map_err(|e| format!("not an OSV record: {e}"))
                .and_then(|record| {
                    if record.id.trim().is_empty() {
                        Err("record has an empty id".into())
                    } else {
                        Ok(record)
                    }
                })
                .map(|record| SourceRecord {
                    member: member.clone(),
                    record,
                    raw,
                })
                .map_err(|message| RecordError { member, message })
        })
        .collect()
}

/// Walks a directory for `*.json` files without following symlinks.
fn walk_dir(
    dir: &Path,
    depth: usize,
    limits: &SourceLimits,
    on_file: &mut dyn FnMut(&Path, Result<(), String>),
) {
    if depth > limits.max_dir_depth {
        on_file(
            dir,
            Err(format!(
                "deeper than {} directories; not read",
                limits.max_dir_depth
            )),
        );
        return;
    }
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            on_file(dir, Err(e.to_string()));
            return;
        }
    };
    entries.sort();
    for entry in entries {
        let Ok(meta) = std::fs::symlink_metadata(&entry) else {
            continue;
        };
        if meta.file_type().is_symlink() {
            continue;
        }
        if meta.is_dir() {
            walk_dir(&entry, depth + 1, limits, on_file);
        } else if entry.extension().is_some_and(|ext| ext == "json") {
            on_file(&entry, Ok(()));
        }
    }
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    const RECORD: &str = r#"{"id":"PYSEC-1","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"PyPI","name":"x"},"versions":["1.0"]}]}"#;

    fn collect(path: &Path, limits: &SourceLimits) -> (Vec<String>, Vec<RecordError>) {
        let mut ids = Vec::new();
        let mut errors = Vec::new();
        read_source(path, limits, &mut |item| match item.result {
            Ok(record) => ids.push(record.record.id),
            Err(e) => errors.push(e),
        })
        .unwrap();
        (ids, errors)
    }

    fn write_zip(path: &Path, members: &[(&str, &[u8])]) {
        let mut zip = zip::ZipWriter::new(File::create(path).unwrap());
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, body) in members {
            zip.start_file(*name, options).unwrap();
            zip.write_all(body).unwrap();
        }
        zip.finish().unwrap();
    }

    #[test]
    fn a_bad_member_is_reported_by_name_and_the_rest_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("all.zip");
        write_zip(
            &path,
            &[
                ("A.json", RECORD.as_bytes()),
                ("B.json", b"{ not json"),
                ("../../evil.json", RECORD.as_bytes()),
            ],
        );
        let (ids, errors) = collect(&path, &SourceLimits::default());
        assert_eq!(ids, vec!["PYSEC-1", "PYSEC-1"]);
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].member.ends_with("all.zip!/B.json"),
            "{}",
            errors[0].member
        );
    }

    #[test]
    fn zip_bombs_and_oversized_records_are_refused_with_bounded_memory() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bomb.zip");
        let zeros = vec![b' '; 8 << 20];
        write_zip(
            &path,
            &[("bomb.json", &zeros), ("ok.json", RECORD.as_bytes())],
        );
        let (ids, errors) = collect(&path, &SourceLimits::default());
        assert_eq!(ids, vec!["PYSEC-1"]);
        assert!(
            errors[0].message.contains("compression ratio"),
            "{}",
            errors[0].message
        );

        let small = SourceLimits {
            max_record_bytes: 10,
            ..SourceLimits::default()
        };
        let (ids, errors) = collect(&path, &small);
        assert!(ids.is_empty());
        assert_eq!(errors.len(), 2);
    }

    #[test]
    fn deeply_nested_json_is_an_error_not_a_crash() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deep.json");
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        std::fs::write(&path, deep).unwrap();
        let (ids, errors) = collect(&path, &SourceLimits::default());
        assert!(ids.is_empty());
        assert!(
            errors[0].message.contains("recursion limit"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn directories_are_walked_and_api_answers_are_unwrapped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/a.json"), RECORD).unwrap();
        std::fs::write(
            dir.path().join("b.json"),
            format!(r#"{{"vulns":[{RECORD},{RECORD}]}}"#),
        )
        .unwrap();
        std::fs::write(dir.path().join("notes.txt"), "ignored").unwrap();
        let (ids, errors) = collect(dir.path(), &SourceLimits::default());
        assert_eq!(ids.len(), 3);
        assert!(errors.is_empty());
    }

    #[test]
    fn a_missing_source_is_an_error_naming_it() {
        let err = read_source(
            Path::new("/nonexistent/osv.zip"),
            &SourceLimits::default(),
            &mut |_| {},
        )
        .unwrap_err();
        assert!(err.to_string().contains("/nonexistent/osv.zip"), "{err}");
    }
}
