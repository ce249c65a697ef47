//! What the real-data tests share: finding `../shared/data`, fetching into the test cache, and
//! the few views of a scan's or an extractor's output the tests compare.

use std::path::{Path, PathBuf};

use vigil_inventory::{
    extractors::REGISTRY, scan_paths, ExtractOutput, Extractor, FileInput, ScanLimits,
};
use vigil_model::{Component, HashAlgorithm, Inventory};

/// A file or folder under the shared data (`lockfiles/...`, `sbom/...`): beside the repository
/// as on CI, else under `$VIGIL_SHARED_DATA`. `None`, after saying SKIPPED, when it is not there.
pub fn shared_data(relative: &str) -> Option<PathBuf> {
    let candidates = [
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")),
        std::env::var_os("VIGIL_SHARED_DATA").map(PathBuf::from),
    ];
    let found = candidates
        .into_iter()
        .flatten()
        .map(|base| base.join(relative))
        .find(|p| p.exists());
    if found.is_none() {
        eprintln!("SKIPPED: {relative} is missing (../shared/data is not here and VIGIL_SHARED_DATA is not set)");
    }
    found
}

/// A folder for files fetched at test time (`$CARGO_TARGET_DIR/test-cache/<name>`, else
/// `target/test-cache/<name>`), kept between runs and never committed.
#[allow(dead_code)] // not every test binary fetches
pub fn test_cache(name: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("test-cache").join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs a fetching command; its stdout when it succeeded, else `None` after printing why.
#[allow(dead_code)] // not every test binary fetches
pub fn fetch_output(command: &mut std::process::Command) -> Option<Vec<u8>> {
    match command.output() {
        Ok(output) if output.status.success() => Some(output.stdout),
        Ok(output) => {
            eprintln!("{}", String::from_utf8_lossy(&output.stderr));
            None
        }
        Err(e) => {
            eprintln!("{e}");
            None
        }
    }
}

/// Lower-case hex, as Vigil writes hashes.
#[allow(dead_code)] // not every test binary fetches
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Debian packages fetched with `apt-get download` and unpacked with `dpkg-deb -x` into the
/// test cache once: the folder they were unpacked in, or `None`, after saying SKIPPED, when
/// apt or the mirror cannot be reached.
#[allow(dead_code)] // Not every test binary fetches files.
pub fn debian_packages(name: &str, packages: &[&str]) -> Option<PathBuf> {
    use std::process::Command;
    let dir = test_cache(name);
    let root = dir.join("root");
    let done = dir.join(".unpacked");
    if done.exists() {
        return Some(root);
    }
    let downloaded = Command::new("apt-get")
        .arg("download")
        .args(packages)
        .current_dir(&dir)
        .output();
    match downloaded {
        Ok(output) if output.status.success() => {}
        Ok(output) => {
            eprintln!(
                "SKIPPED: apt-get download {packages:?} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            return None;
        }
        Err(e) => {
            eprintln!("SKIPPED: apt-get cannot run: {e}");
            return None;
        }
    }
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "deb") {
            let unpacked = Command::new("dpkg-deb")
                .arg("-x")
                .arg(&path)
                .arg(&root)
                .status();
            if !unpacked.is_ok_and(|s| s.success()) {
                eprintln!("SKIPPED: dpkg-deb -x {} failed", path.display());
                return None;
            }
        }
    }
    std::fs::write(&done, "").unwrap();
    Some(root)
}

/// `pip download --no-deps` of one exact release into the cache, once: `file` is the name pip
/// saves it under; a source distribution when `sdist`, else a wheel. `None`, after saying
/// SKIPPED, when pip or the index cannot be reached.
#[allow(dead_code)]
pub fn pip_download(requirement: &str, file: &str, sdist: bool) -> Option<PathBuf> {
    let dir = test_cache("pip");
    let path = dir.join(file);
    if !path.exists() {
        let only = if sdist {
            "--no-binary=:all:"
        } else {
            "--only-binary=:all:"
        };
        let output = std::process::Command::new("pip")
            .args(["download", "--no-deps", only, requirement, "-d"])
            .arg(&dir)
            .output();
        let ok = matches!(&output, Ok(o) if o.status.success());
        if !ok || !path.exists() {
            if let Ok(o) = &output {
                eprintln!("{}", String::from_utf8_lossy(&o.stderr));
            }
            eprintln!("SKIPPED: pip download {requirement} failed (no network?)");
            return None;
        }
    }
    Some(path)
}

/// `lockfiles/<relative>` under the shared data, as [`shared_data`] finds it.
#[allow(dead_code)] // not every test binary reads lockfiles
pub fn shared_lockfile(relative: &str) -> Option<PathBuf> {
    shared_data(&format!("lockfiles/{relative}"))
}

/// A scan of one path with the default limits, as the user naming it would get (so a file
/// with an unusual name goes through `sniff`).
#[allow(dead_code)] // not every test binary scans
pub fn scan(path: &Path) -> Inventory {
    scan_paths(&[path.to_path_buf()], &ScanLimits::default())
}

/// One extractor on a file on disk, past the scanner's choice by name and content.
#[allow(dead_code)] // not every test binary runs one extractor
pub fn extract(extractor: &dyn Extractor, path: &Path) -> Result<ExtractOutput, String> {
    let bytes = std::fs::read(path).unwrap();
    extractor.extract(&FileInput {
        path,
        bytes: &bytes,
    })
}

/// The extractor the scanner picks for an explicitly named file: the first whose content check
/// accepts its first 4096 bytes.
#[allow(dead_code)] // not every test binary sniffs
pub fn sniffed_by(bytes: &[u8]) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(4096)];
    REGISTRY.iter().find(|e| e.sniff(head)).map(|e| e.name())
}

/// What both a scan and a single extractor give: components.
pub trait Found {
    fn components(&self) -> &[Component];
}

impl Found for Inventory {
    fn components(&self) -> &[Component] {
        &self.components
    }
}

impl Found for ExtractOutput {
    fn components(&self) -> &[Component] {
        &self.components
    }
}

/// The purls, in the order found.
#[allow(dead_code)] // not every test binary compares purls
pub fn purls(found: &impl Found) -> Vec<String> {
    found.components().iter().map(|c| c.purl()).collect()
}

/// (purl, scope name), in the order found.
#[allow(dead_code)] // not every test binary compares scopes
pub fn scoped(found: &impl Found) -> Vec<(String, &'static str)> {
    found
        .components()
        .iter()
        .map(|c| (c.purl(), c.scope.as_str()))
        .collect()
}

/// Owned copies of expected (purl, scope name) pairs, to compare with [`scoped`].
#[allow(dead_code)] // not every test binary compares scopes
pub fn pairs(list: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
    list.iter().map(|(p, s)| (p.to_string(), *s)).collect()
}

/// The messages of a scan's warnings.
#[allow(dead_code)] // not every test binary reads warnings
pub fn warnings(inventory: &Inventory) -> Vec<String> {
    inventory
        .warnings
        .iter()
        .map(|w| w.message.clone())
        .collect()
}

/// The hashes recorded on the component with this purl (none when it is absent).
#[allow(dead_code)] // not every test binary reads hashes
pub fn hash_of(found: &impl Found, purl: &str) -> Vec<(HashAlgorithm, String)> {
    found
        .components()
        .iter()
        .find(|c| c.purl() == purl)
        .map(|c| {
            c.hashes
                .iter()
                .map(|h| (h.algorithm, h.value.clone()))
                .collect()
        })
        .unwrap_or_default()
}
