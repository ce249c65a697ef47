//! The walk: which files go to which extractor, with the limits that keep memory bounded.

use std::{
    io::Read,
    path::{Path, PathBuf},
};

use vigil_model::{Inventory, ScanWarning};

use crate::extractors::{Extractor, FileInput, CONTENT_HEAD_BYTES, REGISTRY};

/// Watches a scan: progress per artifact (each path the user gave) and a way to stop it.
/// The desktop app streams these to its progress rows; the CLI ignores them.
pub trait ScanObserver {
    /// Called as an artifact is read: bytes read so far and components found so far in it.
    fn progress(&mut self, _artifact: &Path, _bytes_read: u64, _components: usize) {}
    /// Asked between files; `true` stops the scan, which then returns what it has with a
    /// warning that says it was cancelled.
    fn cancelled(&self) -> bool {
        false
    }
}

/// An observer that watches nothing.
pub struct NoObserver;
impl ScanObserver for NoObserver {}

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
    scan_paths_observed(paths, limits, &mut NoObserver)
}

/// [`scan_paths`], reporting progress to `observer` and stopping when it says so.
pub fn scan_paths_observed(
    paths: &[PathBuf],
    limits: &ScanLimits,
    observer: &mut dyn ScanObserver,
) -> Inventory {
    let mut scan = Scan {
        limits,
        observer,
        inventory: Inventory::default(),
        artifact: PathBuf::new(),
        bytes_read: 0,
        found_before: 0,
    };
    for path in paths {
        if scan.observer.cancelled() {
            scan.warn(path, "the scan was cancelled before this was read".into());
            continue;
        }
        scan.artifact = path.clone();
        scan.bytes_read = 0;
        scan.found_before = scan.found();
        match std::fs::symlink_metadata(path) {
            Err(e) => scan.warn(path, format!("cannot read: {e}")),
            Ok(meta) if meta.is_dir() => {
                let mut seen = 0;
                scan.walk(path, 0, &mut seen);
            }
            Ok(meta) => match REGISTRY.iter().find(|e| e.wants(path)) {
                Some(extractor) => scan.run(*extractor, path),
                None => match sniff(path) {
                    Some(extractor) => scan.run(extractor, path),
                    None => match by_content(path, &meta) {
                        Some(extractor) => scan.run(extractor, path),
                        None => scan.warn(path, "no extractor recognises this file".into()),
                    },
                },
            },
        }
        scan.report();
    }
    let mut inventory = scan.inventory;
    inventory.normalize();
    inventory
}

/// One scan in progress: where it is and what it found so far.
struct Scan<'a> {
    limits: &'a ScanLimits,
    observer: &'a mut dyn ScanObserver,
    inventory: Inventory,
    /// The path the user gave that is being read now.
    artifact: PathBuf,
    bytes_read: u64,
    /// Components found before this artifact, so that progress counts what is new in it.
    found_before: usize,
}

impl Scan<'_> {
    fn walk(&mut self, dir: &Path, depth: usize, seen: &mut usize) {
        if depth > self.limits.max_dir_depth {
            let message = format!(
                "deeper than {} folders; not read",
                self.limits.max_dir_depth
            );
            return self.warn(dir, message);
        }
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => return self.warn(dir, format!("cannot list: {e}")),
        };
        entries.sort();
        for entry in entries {
            if self.observer.cancelled() {
                return self.warn(
                    dir,
                    "the scan was cancelled; the rest of this folder was not read".into(),
                );
            }
            *seen += 1;
            if *seen > self.limits.max_files {
                let message = format!(
                    "more than {} files; the rest was not read",
                    self.limits.max_files
                );
                return self.warn(dir, message);
            }
            // Symlinks are never followed: they may point out of the root or form loops.
            let Ok(meta) = std::fs::symlink_metadata(&entry) else {
                continue;
            };
            if meta.file_type().is_symlink() {
                continue;
            }
            if meta.is_dir() {
                if file_name(&entry) != ".git" {
                    self.walk(&entry, depth + 1, seen);
                }
            } else if let Some(extractor) = REGISTRY.iter().find(|e| e.wants(&entry)) {
                self.run(*extractor, &entry);
            } else if let Some(extractor) = by_content(&entry, &meta) {
                self.run(extractor, &entry);
            }
        }
    }

    fn run(&mut self, extractor: &dyn Extractor, path: &Path) {
        let mut bytes = Vec::new();
        let limit = self.limits.max_file_bytes;
        let read =
            std::fs::File::open(path).and_then(|f| f.take(limit + 1).read_to_end(&mut bytes));
        if let Err(e) = read {
            return self.warn(path, format!("cannot read: {e}"));
        }
        self.bytes_read += bytes.len() as u64;
        if bytes.len() as u64 > limit {
            return self.warn(
                path,
                format!("larger than the {limit} byte limit; not read"),
            );
        }
        match extractor.extract(&FileInput {
            path,
            bytes: &bytes,
        }) {
            Ok(output) => {
                for component in output.components {
                    self.inventory.add(component);
                }
                self.inventory.unidentified.extend(output.unidentified);
                for message in output.warnings {
                    self.warn(path, message);
                }
            }
            Err(message) => self.warn(path, format!("{}: {message}", extractor.name())),
        }
        self.report();
    }

    fn found(&self) -> usize {
        self.inventory.components.len() + self.inventory.unidentified.len()
    }

    fn report(&mut self) {
        let found = self.found() - self.found_before;
        self.observer
            .progress(&self.artifact, self.bytes_read, found);
    }

    fn warn(&mut self, path: &Path, message: String) {
        self.inventory.warnings.push(ScanWarning {
            path: path.to_path_buf(),
            message,
        });
    }
}

/// About how many bytes a scan of `path` reads: a file's size, or for a folder the sizes of the
/// files the walk would hand to an extractor (by name, or by permissions for programs), walked
/// the same way (no symlinks, no `.git`, the same depth and file limits). Metadata only: no
/// file is opened, so it is quick enough to size a progress bar before scanning.
pub fn planned_bytes(path: &Path, limits: &ScanLimits) -> u64 {
    fn walk(dir: &Path, depth: usize, seen: &mut usize, limits: &ScanLimits) -> u64 {
        if depth > limits.max_dir_depth {
            return 0;
        }
        let Ok(entries) = std::fs::read_dir(dir) else {
            return 0;
        };
        let mut total = 0u64;
        for entry in entries.filter_map(Result::ok) {
            *seen += 1;
            if *seen > limits.max_files {
                break;
            }
            let path = entry.path();
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            if meta.file_type().is_symlink() {
                continue;
            }
            if meta.is_dir() {
                if file_name(&path) != ".git" {
                    total += walk(&path, depth + 1, seen, limits);
                }
            } else if REGISTRY.iter().any(|e| e.wants(&path)) || could_be_program(&path, &meta) {
                total += meta.len().min(limits.max_file_bytes);
            }
        }
        total
    }
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => walk(path, 0, &mut 0, limits),
        Ok(meta) => meta.len().min(limits.max_file_bytes),
        Err(_) => 0,
    }
}

fn sniff(path: &Path) -> Option<&'static dyn Extractor> {
    let mut head = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(4096).read_to_end(&mut head))
        .ok()?;
    REGISTRY.iter().copied().find(|e| e.sniff(&head))
}

/// A program that no extractor wants by name, recognised by its first bytes.
fn by_content(path: &Path, meta: &std::fs::Metadata) -> Option<&'static dyn Extractor> {
    if !could_be_program(path, meta) {
        return None;
    }
    let mut head = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(CONTENT_HEAD_BYTES as u64).read_to_end(&mut head))
        .ok()?;
    REGISTRY.iter().copied().find(|e| e.wants_content(&head))
}

/// Binaries have any name; only files that could be programs are worth opening to look.
fn could_be_program(path: &Path, meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let executable = meta.permissions().mode() & 0o111 != 0;
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    (executable || matches!(extension, "" | "exe" | "dll" | "so" | "dylib" | "bin"))
        && meta.len() > 0
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
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

    struct CancelAfterFirst {
        reports: Vec<(PathBuf, u64, usize)>,
    }
    impl ScanObserver for CancelAfterFirst {
        fn progress(&mut self, artifact: &Path, bytes_read: u64, components: usize) {
            self.reports
                .push((artifact.to_path_buf(), bytes_read, components));
        }
        fn cancelled(&self) -> bool {
            !self.reports.is_empty()
        }
    }

    #[test]
    fn progress_is_reported_per_artifact_and_a_cancelled_scan_says_what_it_did_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let first = dir.path().join("requirements.txt");
        std::fs::write(&first, "django==2.2\nflask==1.0\n").unwrap();
        let second = dir.path().join("requirements-dev.txt");
        std::fs::write(&second, "pytest==7.0\n").unwrap();
        let mut observer = CancelAfterFirst {
            reports: Vec::new(),
        };
        let inventory = scan_paths_observed(
            &[first.clone(), second.clone()],
            &ScanLimits::default(),
            &mut observer,
        );
        assert_eq!(inventory.components.len(), 2);
        assert_eq!(observer.reports.last().unwrap(), &(first, 23, 2));
        assert_eq!(inventory.warnings.len(), 1);
        assert_eq!(inventory.warnings[0].path, second);
        assert!(inventory.warnings[0].message.contains("cancelled"));
    }

    struct Recorder(Vec<(PathBuf, u64, usize)>);
    impl ScanObserver for Recorder {
        fn progress(&mut self, artifact: &Path, bytes_read: u64, components: usize) {
            self.0
                .push((artifact.to_path_buf(), bytes_read, components));
        }
    }

    #[test]
    fn progress_counts_the_components_of_each_artifact_and_planned_bytes_sizes_the_bar() {
        let dir = tempfile::tempdir().unwrap();
        let app = dir.path().join("app");
        std::fs::create_dir_all(app.join("web")).unwrap();
        let lock =
            r#"{"lockfileVersion":3,"packages":{"node_modules/lodash":{"version":"4.17.20"}}}"#;
        std::fs::write(app.join("web/package-lock.json"), lock).unwrap();
        std::fs::write(app.join("README.md"), "not read").unwrap();
        std::fs::create_dir_all(app.join(".git")).unwrap();
        std::fs::write(app.join(".git/requirements.txt"), "x==1\n").unwrap();
        std::os::unix::fs::symlink(dir.path(), app.join("loop")).unwrap();
        let requirements = dir.path().join("requirements.txt");
        std::fs::write(&requirements, "django==2.2\nflask==1.0\n").unwrap();

        assert_eq!(
            planned_bytes(&app, &ScanLimits::default()),
            lock.len() as u64
        );
        assert_eq!(planned_bytes(&requirements, &ScanLimits::default()), 23);
        assert_eq!(
            planned_bytes(&dir.path().join("missing"), &ScanLimits::default()),
            0
        );

        let mut recorder = Recorder(Vec::new());
        let inventory = scan_paths_observed(
            &[app.clone(), requirements.clone()],
            &ScanLimits::default(),
            &mut recorder,
        );
        assert_eq!(inventory.components.len(), 3);
        let last_of = |artifact: &Path| {
            recorder
                .0
                .iter()
                .rev()
                .find(|(a, _, _)| a == artifact)
                .cloned()
                .unwrap()
        };
        assert_eq!(last_of(&app), (app.clone(), lock.len() as u64, 1));
        assert_eq!(last_of(&requirements), (requirements.clone(), 23, 2));
    }
}
