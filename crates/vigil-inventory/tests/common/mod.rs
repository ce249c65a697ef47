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
