//! The walk: which files go to which extractor, with the limits that keep memory bounded.

use std::{
    io::Read,
    path::{Path, PathBuf},
};

use vigil_model::{Inventory, ScanWarning};

use crate::extractors::{Extractor, FileInput, REGISTRY};

#[derive(Debug, Clone)]
pub struct ScanLimits {
    /// Largest file handed to an extractor.
    pub max_file_bytes: u64,
    /// Deepest directory walked below a given folder.
    pub max_dir_depth: usize,
    /// Most files looked at in one walk.
    pub max_files: usize,
}

impl Default for ScanLimits {
    fn default() -> Self {
        ScanLimits {
            max_file_bytes: 256 << 20,
            max_dir_depth: 32,
            max_files: 1_000_000,
        }
    }
}

/// Scans files and folders into one inventory: sorted, one component per purl.
pub fn scan_paths(paths: &[PathBuf], limits: &ScanLimits) -> Inventory {
    let mut inventory = Inventory::default();
    for path in paths {
        match std::fs::symlink_metadata(path) {
            Err(e) => warn(&mut inventory, path, format!("cannot read: {e}")),
            Ok(meta) if meta.is_dir() => {
                let mut seen = 0;
                walk(path, 0, limits, &mut seen, &mut inventory);
            }
            Ok(_) => match REGISTRY.iter().find(|e| e.wants(path)) {
                Some(extractor) => run(*extractor, path, limits, &mut inventory),
                None => match sniff(path) {
                    Some(extractor) => run(extractor, path, limits, &mut inventory),
                    None => warn(
                        &mut inventory,
                        path,
                        "no extractor recognises this file".into(),
                    ),
                },
            },
        }
    }
    inventory.normalize();
    inventory
}

fn walk(
    dir: &Path,
    depth: usize,
    limits: &ScanLimits,
    seen: &mut usize,
    inventory: &mut Inventory,
) {
    if depth > limits.max_dir_depth {
        warn(
            inventory,
            dir,
            format!("deeper than {} folders; not read", limits.max_dir_depth),
        );
        return;
    }
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => return warn(inventory, dir, format!("cannot list: {e}")),
    };
    entries.sort();
    for entry in entries {
        *seen += 1;
        if *seen > limits.max_files {
            return warn(
                inventory,
                dir,
                format!(
                    "more than {} files; the rest was not read",
                    limits.max_files
                ),
            );
        }
        // Symlinks are never followed: they may point out of the root or form loops.
        let Ok(meta) = std::fs::symlink_metadata(&entry) else {
            continue;
        };
        if meta.file_type().is_symlink() {
            continue;
        }
        let name = file_name(&entry);
        if meta.is_dir() {
            if name != ".git" {
                walk(&entry, depth + 1, limits, seen, inventory);
            }
        } else if let Some(extractor) = REGISTRY.iter().find(|e| e.wants(&entry)) {
            run(*extractor, &entry, limits, inventory);
        }
    }
}

fn run(extractor: &dyn Extractor, path: &Path, limits: &ScanLimits, inventory: &mut Inventory) {
    let mut bytes = Vec::new();
    let read = std::fs::File::open(path)
        .and_then(|f| f.take(limits.max_file_bytes + 1).read_to_end(&mut bytes));
    if let Err(e) = read {
        return warn(inventory, path, format!("cannot read: {e}"));
    }
    if bytes.len() as u64 > limits.max_file_bytes {
        return warn(
            inventory,
            path,
            format!(
                "larger than the {} byte limit; not read",
                limits.max_file_bytes
            ),
        );
    }
    match extractor.extract(&FileInput {
        path,
        bytes: &bytes,
    }) {
        Ok(output) => {
            for component in output.components {
                inventory.add(component);
            }
            inventory.unidentified.extend(output.unidentified);
            for message in output.warnings {
                warn(inventory, path, message);
            }
        }
        Err(message) => warn(inventory, path, format!("{}: {message}", extractor.name())),
    }
}

fn sniff(path: &Path) -> Option<&'static dyn Extractor> {
    let mut head = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(4096).read_to_end(&mut head))
        .ok()?;
    REGISTRY.iter().copied().find(|e| e.sniff(&head))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn warn(inventory: &mut Inventory, path: &Path, message: String) {
    inventory.warnings.push(ScanWarning {
        path: path.to_path_buf(),
        message,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_walked_without_following_symlinks_and_bad_files_become_warnings() {
        let dir = tempfile::tempdir().unwrap();
        let app = dir.path().join("app");
        std::fs::create_dir_all(app.join("web")).unwrap();
        std::fs::write(app.join("requirements.txt"), "django==2.2\n").unwrap();
        std::fs::write(
            app.join("web/package-lock.json"),
            r#"{"lockfileVersion":3,"packages":{"node_modules/lodash":{"version":"4.17.20"}}}"#,
        )
        .unwrap();
        std::fs::write(dir.path().join("outside-requirements.txt"), "evil==1.0\n").unwrap();
        std::os::unix::fs::symlink(dir.path(), app.join("loop")).unwrap();
        std::os::unix::fs::symlink(
            dir.path().join("outside-requirements.txt"),
            app.join("requirements-2.txt"),
        )
        .unwrap();
        let broken = dir.path().join("package-lock.json");
        std::fs::write(&broken, "{\"lockfileVersion\": 3, ").unwrap();

        let inventory = scan_paths(
            &[app, broken.clone(), dir.path().join("missing.txt")],
            &ScanLimits::default(),
        );
        let purls: Vec<String> = inventory.components.iter().map(|c| c.purl()).collect();
        assert_eq!(purls, ["pkg:npm/lodash@4.17.20", "pkg:pypi/django@2.2"]);
        assert_eq!(inventory.warnings.len(), 2, "{:#?}", inventory.warnings);
        assert!(inventory
            .warnings
            .iter()
            .any(|w| w.path == broken && w.message.contains("not valid JSON")));
    }

    #[test]
    fn explicitly_named_files_are_sniffed_and_unknown_ones_reported() {
        let dir = tempfile::tempdir().unwrap();
        let lock = dir.path().join("shop.lock.json");
        std::fs::write(
            &lock,
            r#"{"lockfileVersion":2,"packages":{"node_modules/a":{"version":"1.0.0"}}}"#,
        )
        .unwrap();
        let other = dir.path().join("notes.md");
        std::fs::write(&other, "# notes").unwrap();
        let inventory = scan_paths(&[lock, other.clone()], &ScanLimits::default());
        assert_eq!(inventory.components.len(), 1);
        assert_eq!(inventory.warnings[0].path, other);
        assert!(inventory.warnings[0].message.contains("no extractor"));
    }
}
