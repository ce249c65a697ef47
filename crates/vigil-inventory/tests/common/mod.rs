//! What the real-data tests share: finding `../shared/data`.

use std::path::{Path, PathBuf};

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
