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

/// A folder of `$CARGO_TARGET_DIR/test-cache/` (else `target/test-cache/`), never committed,
/// where files fetched from a registry at test time are kept between runs.
#[allow(dead_code)]
pub fn test_cache(name: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("test-cache").join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
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
