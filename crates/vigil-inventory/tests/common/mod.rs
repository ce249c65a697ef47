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
