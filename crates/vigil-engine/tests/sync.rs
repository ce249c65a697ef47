//! Sync against a real HTTP server on loopback that serves an OSV bucket's layout.

use std::{
    collections::HashMap,
    io::{BufRead, Write},
    path::Path,
    sync::{Arc, Mutex},
};

use vigil_engine::{api::ProgressUnit, Engine};

#[derive(Clone)]
struct Served {
    body: Vec<u8>,
    etag: Option<String>,
    /// Declare this many bytes but send only `body`: a download cut off half-way.
    declared: Option<usize>,
}

/// A tiny OSV bucket: path → what to serve. Counts requests per path.
#[derive(Clone, Default)]
struct Bucket {
    files: Arc<Mutex<HashMap<String, Served>>>,
    hits: Arc<Mutex<HashMap<String, usize>>>,
}

impl Bucket {
    fn put(&self, path: &str, body: impl Into<Vec<u8>>, etag: Option<&str>) {
        let served = Served {
            body: body.into(),
            etag: etag.map(str::to_string),
            declared: None,
        };
        self.files.lock().unwrap().insert(path.to_string(), served);
    }

    fn cut_off(&self, path: &str, body: impl Into<Vec<u8>>, declared: usize) {
        let served = Served {
            body: body.into(),
            etag: None,
            declared: Some(declared),
        };
        self.files.lock().unwrap().insert(path.to_string(), served);
    }

    fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }

    /// Serves on loopback, one connection per request (`Connection: close`), so that a
    /// cut-off body really ends with the connection.
    fn serve(&self) -> String {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let bucket = self.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = std::io::BufReader::new(stream.try_clone().unwrap());
                let mut request_line = String::new();
                if reader.read_line(&mut request_line).is_err() {
                    continue;
                }
                let path = request_line
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("/")
                    .to_string();
                let mut if_none_match = None;
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
                        break;
                    }
                    if let Some((name, value)) = header.split_once(':') {
                        if name.eq_ignore_ascii_case("if-none-match") {
                            if_none_match = Some(value.trim().to_string());
                        }
                    }
                }
                *bucket.hits.lock().unwrap().entry(path.clone()).or_default() += 1;
                let served = bucket.files.lock().unwrap().get(&path).cloned();
                let _ = match served {
                    None => stream.write_all(
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    ),
                    Some(served) if served.etag.is_some() && if_none_match == served.etag => {
                        stream.write_all(b"HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n")
                    }
                    Some(served) => {
                        let etag = served
                            .etag
                            .map(|e| format!("ETag: {e}\r\n"))
                            .unwrap_or_default();
                        let length = served.declared.unwrap_or(served.body.len());
                        let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {length}\r\n{etag}Connection: close\r\n\r\n");
                        stream
                            .write_all(head.as_bytes())
                            .and_then(|()| stream.write_all(&served.body))
                    }
                };
                let _ = stream.shutdown(std::net::Shutdown::Both);
            }
        });
        url
    }
}

fn record(id: &str, modified: &str, package: &str, fixed: &str, withdrawn: bool) -> String {
    let withdrawn = if withdrawn {
        format!(r#","withdrawn":"{modified}""#)
    } else {
        String::new()
    };
    format!(
        r#"{{"id":"{id}","modified":"{modified}"{withdrawn},"summary":"{id} in {package}","affected":[{{"package":{{"ecosystem":"npm","name":"{package}"}},"ranges":[{{"type":"SEMVER","events":[{{"introduced":"0"}},{{"fixed":"{fixed}"}}]}}]}}]}}"#
    )
}

fn zip_of(records: &[(&str, String)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (id, json) in records {
        zip.start_file(format!("{id}.json"), options).unwrap();
        zip.write_all(json.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn ids(engine: &Engine, purl: &str) -> Vec<String> {
    engine.query(&[purl.to_string()]).unwrap()[0]
        .advisories
        .iter()
        .map(|a| a.id.clone())
        .collect()
}

fn sync(engine: &Engine, url: &str) -> vigil_engine::api::EcosystemSync {
    engine
        .sync(&["npm".to_string()], url, &mut |_| {})
        .unwrap()
        .ecosystems
        .remove(0)
}

#[test]
fn first_sync_downloads_all_zip_then_reads_modified_id_csv_down_to_the_high_water_mark() {
    let bucket = Bucket::default();
    bucket.put(
        "/npm/all.zip",
        zip_of(&[
            (
                "GHSA-a",
                record("GHSA-a", "2024-01-01T00:00:00Z", "lodash", "4.17.21", false),
            ),
            (
                "GHSA-b",
                record("GHSA-b", "2024-02-01T00:00:00Z", "minimist", "1.2.6", false),
            ),
        ]),
        Some("\"zip-1\""),
    );
    let url = bucket.serve();
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(dir.path()).unwrap();

    let first = sync(&engine, &url);
    assert_eq!(
        (
            first.mode.as_str(),
            first.read,
            first.changed,
            first.error.as_deref()
        ),
        ("full", 2, 2, None)
    );
    assert_eq!(ids(&engine, "pkg:npm/lodash@4.17.20"), ["GHSA-a"]);
    assert!(std::fs::read_dir(dir.path()).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .ends_with(".part")));

    // A new record, a withdrawn one, and rows at or below the high-water mark that must not be fetched.
    bucket.put(
        "/npm/modified_id.csv",
        "2024-04-01T00:00:00Z,GHSA-c\n2024-03-01T00:00:00Z,GHSA-a\n2024-02-01T00:00:00Z,GHSA-b\n2024-01-01T00:00:00Z,GHSA-old\n",
        Some("\"csv-1\""),
    );
    bucket.put(
        "/npm/GHSA-c.json",
        record("GHSA-c", "2024-04-01T00:00:00Z", "express", "4.0.0", false),
        None,
    );
    bucket.put(
        "/npm/GHSA-a.json",
        record("GHSA-a", "2024-03-01T00:00:00Z", "lodash", "4.17.21", true),
        None,
    );
    let second = sync(&engine, &url);
    assert_eq!(
        (second.mode.as_str(), second.read, second.changed),
        ("incremental", 2, 2)
    );
    assert_eq!(
        bucket.hits("/npm/GHSA-b.json"),
        0,
        "records at the high-water mark are not fetched again"
    );
    assert_eq!(bucket.hits("/npm/all.zip"), 1);
    assert!(
        ids(&engine, "pkg:npm/lodash@4.17.20").is_empty(),
        "the withdrawn record no longer matches"
    );
    assert_eq!(ids(&engine, "pkg:npm/express@3.0.0"), ["GHSA-c"]);

    // Nothing changed upstream: one conditional request, 304, nothing else.
    let third = sync(&engine, &url);
    assert_eq!(third.mode, "unchanged");
    assert_eq!(bucket.hits("/npm/modified_id.csv"), 2);
    assert_eq!(bucket.hits("/npm/GHSA-c.json"), 1);
}

#[test]
fn a_download_cut_off_half_way_leaves_the_previous_data_intact() {
    let bucket = Bucket::default();
    let zip = zip_of(&[(
        "GHSA-a",
        record("GHSA-a", "2024-01-01T00:00:00Z", "lodash", "4.17.21", false),
    )]);
    bucket.cut_off("/npm/all.zip", zip[..zip.len() / 2].to_vec(), zip.len());
    let url = bucket.serve();
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(dir.path()).unwrap();

    let failed = sync(&engine, &url);
    assert_eq!(failed.mode, "failed");
    assert!(
        failed.error.as_deref().unwrap().contains("all.zip"),
        "{failed:?}"
    );
    assert!(ids(&engine, "pkg:npm/lodash@4.17.20").is_empty());
    let status = engine.status().unwrap();
    let npm = status
        .ecosystems
        .iter()
        .find(|e| e.ecosystem == "npm")
        .expect("a failed sync is listed");
    assert!(
        npm.last_error.as_deref().unwrap().contains("all.zip"),
        "{npm:?}"
    );
    assert_eq!(
        (npm.advisories, npm.age_seconds),
        (0, None),
        "no data, so no age"
    );

    bucket.put("/npm/all.zip", zip.clone(), None);
    let mut units = Vec::new();
    let report = engine
        .sync(&["npm".to_string()], &url, &mut |p| {
            units.push((p.unit, p.ecosystem.clone()))
        })
        .unwrap();
    assert_eq!(report.ecosystems[0].mode, "full");
    assert!(
        units.contains(&(ProgressUnit::Bytes, Some("npm".into()))),
        "the download reports bytes"
    );
    assert!(
        units.contains(&(ProgressUnit::Records, Some("npm".into()))),
        "the import reports records"
    );
    assert_eq!(ids(&engine, "pkg:npm/lodash@4.17.20"), ["GHSA-a"]);
    let status = engine.status().unwrap();
    let npm = status
        .ecosystems
        .iter()
        .find(|e| e.ecosystem == "npm")
        .unwrap();
    assert_eq!(npm.last_error, None, "a success clears the error");
    assert!(
        npm.last_sync.is_some() && npm.age_seconds.is_some_and(|s| s < 3600),
        "{npm:?}"
    );

    // Now an incremental round whose second record is cut off: nothing of it is applied.
    bucket.put(
        "/npm/modified_id.csv",
        "2024-03-01T00:00:00Z,GHSA-c\n2024-02-01T00:00:00Z,GHSA-a\n",
        None,
    );
    bucket.put(
        "/npm/GHSA-a.json",
        record("GHSA-a", "2024-02-01T00:00:00Z", "lodash", "4.17.21", true),
        None,
    );
    let c = record("GHSA-c", "2024-03-01T00:00:00Z", "express", "4.0.0", false);
    bucket.cut_off("/npm/GHSA-c.json", c.as_bytes()[..10].to_vec(), c.len());
    let failed = sync(&engine, &url);
    assert_eq!(failed.mode, "failed", "{failed:?}");
    assert_eq!(
        ids(&engine, "pkg:npm/lodash@4.17.20"),
        ["GHSA-a"],
        "the withdrawal was not half-applied"
    );

    // The next sync retries from the same high-water mark and succeeds.
    bucket.put("/npm/GHSA-c.json", c, None);
    let retried = sync(&engine, &url);
    assert_eq!((retried.mode.as_str(), retried.changed), ("incremental", 2));
    assert!(ids(&engine, "pkg:npm/lodash@4.17.20").is_empty());
}

#[test]
fn the_real_npm_dump_syncs_like_an_import() {
    let dump = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/osv/npm-all.zip");
    if !dump.exists() {
        eprintln!(
            "SKIPPED: {} is missing (../shared/data is not here)",
            dump.display()
        );
        return;
    }
    let bucket = Bucket::default();
    bucket.put("/npm/all.zip", std::fs::read(&dump).unwrap(), None);
    let url = bucket.serve();
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(dir.path()).unwrap();
    let synced = sync(&engine, &url);
    assert_eq!((synced.mode.as_str(), synced.read), ("full", 163));
    assert!(!ids(&engine, "pkg:npm/lodash@4.17.15").is_empty());
}
