//! The intake folder: SBOMs and lockfiles dropped into a folder (a share CI writes to) become
//! scans of the application, stage and version their name or sidecar gives, then move to
//! `done/` or to `failed/` with a `.reason.txt`. No file is ever deleted or overwritten.

use std::{
    collections::{HashMap, HashSet},
    path::{Path, PathBuf},
    time::SystemTime,
};

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::{api, rfc3339, Engine, EngineError, ScanTarget, Stage};

pub const DONE: &str = "done";
pub const FAILED: &str = "failed";
const SIDECAR: &str = ".vigil.json";
const REASON: &str = ".reason.txt";

/// How long a file's size and time must stay the same before it counts as written.
const SETTLE: chrono::Duration = chrono::Duration::seconds(1);

/// Lockfile names an artifact keeps after `APP@STAGE@VERSION.`: the version ends where they
/// begin (`shop@release@2.1.package-lock.json` is version 2.1).
const ARTIFACT_NAMES: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "composer.lock",
    "gemfile.lock",
    "pubspec.lock",
    "mix.lock",
    "cargo.lock",
    "go.mod",
    "go.sum",
    "poetry.lock",
    "pdm.lock",
    "uv.lock",
    "pipfile.lock",
    "requirements.txt",
    "gradle.lockfile",
    "packages.lock.json",
    "conan.lock",
    "pom.xml",
    "deps.json",
];
/// Double extensions of SBOMs, which likewise end a version.
const SBOM_EXTENSIONS: &[&str] = &[
    ".cdx.json",
    ".cdx.xml",
    ".bom.json",
    ".bom.xml",
    ".spdx.json",
    ".spdx.xml",
    ".spdx.yaml",
    ".spdx.yml",
];

/// Where a file goes: the application, stage and version its scan is stored as.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntakeTarget {
    pub application: String,
    pub stage: String,
    #[serde(default)]
    pub version: Option<String>,
}

/// `APP@STAGE[@VERSION].EXT`; `None` when the name has no `@`.
pub fn target_from_name(name: &str) -> Option<Result<IntakeTarget, String>> {
    let parts: Vec<&str> = name.split('@').collect();
    let bad = |why: &str| {
        Some(Err(format!(
            "{name:?} does not follow APP@STAGE[@VERSION].EXT: {why}"
        )))
    };
    match parts.as_slice() {
        [_] => None,
        [app, rest] => {
            let Some((stage, _ext)) = rest.split_once('.') else {
                return bad("no extension after the stage");
            };
            Some(Ok(IntakeTarget {
                application: app.to_string(),
                stage: stage.to_string(),
                version: None,
            }))
        }
        [app, stage, rest] => {
            let Some(version) = version_before_extension(rest) else {
                return bad("no extension after the version");
            };
            Some(Ok(IntakeTarget {
                application: app.to_string(),
                stage: stage.to_string(),
                version: Some(version.to_string()),
            }))
        }
        _ => bad("more than two @"),
    }
}

/// `NAME.cdx.json` → (`NAME`, `.cdx.json`); `2.1.package-lock.json` → (`2.1`,
/// `.package-lock.json`); `NAME.json` → (`NAME`, `.json`). `None` without an extension.
fn split_extension(name: &str) -> Option<(&str, &str)> {
    let lower = name.to_ascii_lowercase();
    let known = ARTIFACT_NAMES
        .iter()
        .map(|n| format!(".{n}"))
        .chain(SBOM_EXTENSIONS.iter().map(|e| e.to_string()))
        .find(|suffix| lower.ends_with(suffix.as_str()) && lower.len() > suffix.len());
    let at = match known {
        Some(suffix) => name.len() - suffix.len(),
        None => name.rfind('.')?,
    };
    (at > 0).then(|| name.split_at(at))
}

fn version_before_extension(rest: &str) -> Option<&str> {
    split_extension(rest).map(|(version, _)| version)
}

/// Reads what the sidecar says; every problem names the file.
fn read_sidecar(path: &Path) -> Result<IntakeTarget, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the sidecar {}: {e}", file_name(path)))?;
    serde_json::from_str(&text).map_err(|e| {
        format!(
            "the sidecar {} is not {{\"application\": .., \"stage\": .., \"version\": ..}}: {e}",
            file_name(path)
        )
    })
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Whether a name in the folder is something to take in (not a temporary or a sidecar).
fn is_candidate(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    !(name.starts_with('.')
        || lower.ends_with(".part")
        || lower.ends_with(".tmp")
        || lower.ends_with(".crdownload")
        || lower.ends_with(SIDECAR)
        || lower.ends_with(REASON))
}

/// The sidecars a file may have: `NAME.vigil.json`, or with its last extension replaced.
fn sidecar_candidates(path: &Path) -> Vec<PathBuf> {
    let name = file_name(path);
    let mut candidates = vec![path.with_file_name(format!("{name}{SIDECAR}"))];
    if let Some((stem, _)) = name.rsplit_once('.') {
        candidates.push(path.with_file_name(format!("{stem}{SIDECAR}")));
    }
    candidates
}

/// A file's size and time, with its sidecar's: a sidecar still being written holds it back too.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Signature {
    size: u64,
    modified: Option<SystemTime>,
    sidecar: Option<(PathBuf, u64, Option<SystemTime>)>,
}

#[derive(Debug, Clone)]
struct Look {
    signature: Signature,
    since: DateTime<Utc>,
}

/// What the intake remembers between looks at the folder.
#[derive(Debug, Default)]
pub struct Intake {
    looks: HashMap<PathBuf, Look>,
    /// Files that could not be moved: not scanned again and again.
    stuck: HashSet<PathBuf>,
}

impl Intake {
    /// Takes in every file of `folder` that stayed unchanged since a look at least a second
    /// before `now`.
    pub fn poll(
        &mut self,
        engine: &Engine,
        folder: &Path,
        now: DateTime<Utc>,
    ) -> Result<Vec<api::IntakeEvent>, EngineError> {
        let entries = std::fs::read_dir(folder).map_err(|source| EngineError::Io {
            context: format!("cannot read the intake folder {}", folder.display()),
            source,
        })?;
        let mut present = HashSet::new();
        let mut ready = Vec::new();
        for entry in entries.flatten() {
            let path = entry.path();
            let name = file_name(&path);
            if !is_candidate(&name) || self.stuck.contains(&path) {
                continue;
            }
            let Ok(meta) = entry.metadata() else { continue };
            if !meta.is_file() {
                continue;
            }
            present.insert(path.clone());
            let sidecar = sidecar_candidates(&path).into_iter().find_map(|p| {
                let m = std::fs::metadata(&p).ok()?;
                Some((p, m.len(), m.modified().ok()))
            });
            let signature = Signature {
                size: meta.len(),
                modified: meta.modified().ok(),
                sidecar,
            };
            match self.looks.get(&path) {
                Some(look) if look.signature == signature => {
                    if now - look.since >= SETTLE {
                        ready.push((path, signature));
                    }
                }
                _ => {
                    self.looks.insert(
                        path,
                        Look {
                            signature,
                            since: now,
                        },
                    );
                }
            }
        }
        self.looks.retain(|path, _| present.contains(path));
        ready.sort_by(|a, b| a.0.cmp(&b.0));
        let mut events = Vec::new();
        for (path, signature) in ready {
            self.looks.remove(&path);
            let sidecar = signature.sidecar.map(|(p, _, _)| p);
            match take_in(engine, folder, &path, sidecar.as_deref(), now) {
                Ok(event) => events.push(event),
                Err(error) => {
                    self.stuck.insert(path.clone());
                    events.push(api::IntakeEvent {
                        file: file_name(&path),
                        at: rfc3339(now),
                        outcome: FAILED.into(),
                        application: None,
                        message: format!("left in place: {error}"),
                    });
                }
            }
        }
        Ok(events)
    }
}

/// Scans one file, then moves it (and its sidecar). `Err` only when it could not be moved.
fn take_in(
    engine: &Engine,
    folder: &Path,
    path: &Path,
    sidecar: Option<&Path>,
    now: DateTime<Utc>,
) -> Result<api::IntakeEvent, String> {
    let name = file_name(path);
    let outcome = scan_into(engine, path, sidecar);
    let (subfolder, application, message) = match &outcome {
        Ok((application, message)) => (DONE, Some(application.clone()), message.clone()),
        Err(reason) => (FAILED, None, reason.clone()),
    };
    let moved = move_into(&folder.join(subfolder), path)?;
    if let Some(sidecar) = sidecar {
        let to = moved.with_file_name(format!("{}{SIDECAR}", file_name(&moved)));
        move_to(sidecar, &to)?;
    }
    if outcome.is_err() {
        let reason = moved.with_file_name(format!("{}{REASON}", file_name(&moved)));
        std::fs::write(&reason, format!("{message}\n"))
            .map_err(|e| format!("cannot write {}: {e}", reason.display()))?;
    }
    Ok(api::IntakeEvent {
        file: name,
        at: rfc3339(now),
        outcome: subfolder.into(),
        application,
        message,
    })
}

/// The application's name and "shop release 2.1 (812 components)", or why not.
fn scan_into(
    engine: &Engine,
    path: &Path,
    sidecar: Option<&Path>,
) -> Result<(String, String), String> {
    let name = file_name(path);
    let target = match sidecar {
        Some(sidecar) => read_sidecar(sidecar)?,
        None => target_from_name(&name).unwrap_or_else(|| {
            Err(format!(
                "{name:?} has no sidecar {name}{SIDECAR} and does not follow APP@STAGE[@VERSION].EXT"
            ))
        })?,
    };
    let stage: Stage = target
        .stage
        .parse()
        .map_err(|e: crate::StageError| e.to_string())?;
    let version = target.version.filter(|v| !v.trim().is_empty());
    let result = engine
        .scan(
            &[path.to_path_buf()],
            Some(ScanTarget {
                application: target.application.clone(),
                stage,
                version_label: version.clone(),
                organization: None,
            }),
        )
        .map_err(|e| e.to_string())?;
    let Some(stored) = result.stored else {
        let warnings: Vec<String> = result.warnings.iter().map(|w| w.message.clone()).collect();
        return Err(if warnings.is_empty() {
            "nothing readable in it".to_string()
        } else {
            format!("nothing readable in it: {}", warnings.join("; "))
        });
    };
    let mut message = format!("{} {}", stored.application, stored.stage);
    if let Some(version) = &version {
        message.push(' ');
        message.push_str(version);
    }
    message.push_str(&format!(" ({} components)", result.components.len()));
    Ok((stored.application, message))
}

/// Moves `path` into `dir` under its name, or `NAME (2).EXT`... when that is taken.
fn move_into(dir: &Path, path: &Path) -> Result<PathBuf, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let name = file_name(path);
    let (stem, ext) = split_extension(&name).unwrap_or((name.as_str(), ""));
    let mut to = dir.join(&name);
    let mut n = 2;
    while to.exists()
        || to
            .with_file_name(format!("{}{SIDECAR}", file_name(&to)))
            .exists()
    {
        to = dir.join(format!("{stem} ({n}){ext}"));
        n += 1;
    }
    move_to(path, &to)?;
    Ok(to)
}

fn move_to(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::rename(from, to)
        .map_err(|e| format!("cannot move {} to {}: {e}", from.display(), to.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(app: &str, stage: &str, version: Option<&str>) -> IntakeTarget {
        IntakeTarget {
            application: app.into(),
            stage: stage.into(),
            version: version.map(str::to_string),
        }
    }

    #[test]
    fn names_give_application_stage_and_version() {
        let cases = [
            (
                "shop@release@2.1.cdx.json",
                target("shop", "release", Some("2.1")),
            ),
            (
                "shop@release@2.1.json",
                target("shop", "release", Some("2.1")),
            ),
            (
                "shop@build@1.0.0-rc.1.package-lock.json",
                target("shop", "build", Some("1.0.0-rc.1")),
            ),
            ("shop@operate.cdx.json", target("shop", "operate", None)),
            (
                "web shop@stage-release@build 7.spdx.json",
                target("web shop", "stage-release", Some("build 7")),
            ),
        ];
        for (name, expected) in cases {
            assert_eq!(target_from_name(name), Some(Ok(expected)), "{name}");
        }
        assert_eq!(target_from_name("bom.cdx.json"), None);
        for bad in ["shop@release", "shop@release@2", "a@b@c@d.json"] {
            let error = target_from_name(bad).unwrap().unwrap_err();
            assert!(error.contains(bad), "{error}");
        }
    }

    #[test]
    fn temporaries_sidecars_and_reasons_are_not_taken_in() {
        for skipped in [
            ".bom.json",
            "bom.json.part",
            "bom.json.tmp",
            "bom.vigil.json",
            "x.json.reason.txt",
        ] {
            assert!(!is_candidate(skipped), "{skipped}");
        }
        assert!(is_candidate("shop@release@2.1.cdx.json"));
    }

    fn cyclonedx() -> &'static str {
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
            "components": [{"type": "library", "name": "requests", "version": "2.19.0",
                            "purl": "pkg:pypi/requests@2.19.0"}]}"#
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_file_is_taken_in_once_it_stayed_the_same_for_a_second() {
        let data = tempfile::tempdir().unwrap();
        let folder = tempfile::tempdir().unwrap();
        let engine = Engine::open(data.path()).unwrap();
        let mut intake = Intake::default();
        let file = folder.path().join("shop@release@2.1.cdx.json");
        std::fs::write(&file, &cyclonedx()[..40]).unwrap();
        let t0 = utc("2026-01-01T00:00:00Z");
        assert!(intake.poll(&engine, folder.path(), t0).unwrap().is_empty());
        // Still being written: it grew since the last look.
        std::fs::write(&file, cyclonedx()).unwrap();
        let t1 = t0 + chrono::Duration::seconds(5);
        assert!(intake.poll(&engine, folder.path(), t1).unwrap().is_empty());
        // Unchanged, but less than a second since the look that saw it so.
        let early = t1 + chrono::Duration::milliseconds(500);
        assert!(intake
            .poll(&engine, folder.path(), early)
            .unwrap()
            .is_empty());
        let events = intake
            .poll(&engine, folder.path(), t1 + chrono::Duration::seconds(1))
            .unwrap();
        assert_eq!(events.len(), 1, "{events:?}");
        assert_eq!(events[0].outcome, "done", "{events:?}");
        assert_eq!(events[0].message, "shop release 2.1 (1 components)");
        assert!(folder
            .path()
            .join("done/shop@release@2.1.cdx.json")
            .is_file());
        assert!(!file.exists());
    }

    #[test]
    fn refusals_land_in_failed_with_a_reason_and_clashes_get_a_suffix() {
        let data = tempfile::tempdir().unwrap();
        let folder = tempfile::tempdir().unwrap();
        let engine = Engine::open(data.path()).unwrap();
        let mut intake = Intake::default();
        let write =
            |name: &str, text: &str| std::fs::write(folder.path().join(name), text).unwrap();
        write("shop@prod@1.cdx.json", cyclonedx());
        write("bom.cdx.json", cyclonedx());
        write("other.cdx.json", cyclonedx());
        write(
            "other.cdx.json.vigil.json",
            r#"{"application": "other", "stage": "build"}"#,
        );
        std::fs::create_dir_all(folder.path().join("done")).unwrap();
        std::fs::write(folder.path().join("done/other.cdx.json"), "an older one").unwrap();
        let t0 = utc("2026-01-01T00:00:00Z");
        intake.poll(&engine, folder.path(), t0).unwrap();
        let events = intake
            .poll(&engine, folder.path(), t0 + chrono::Duration::seconds(2))
            .unwrap();
        let outcome = |file: &str| {
            events
                .iter()
                .find(|e| e.file == file)
                .map(|e| (e.outcome.clone(), e.message.clone()))
                .unwrap()
        };
        let (kind, message) = outcome("shop@prod@1.cdx.json");
        assert_eq!(kind, "failed");
        assert!(message.contains("unknown stage \"prod\""), "{message}");
        let reason =
            std::fs::read_to_string(folder.path().join("failed/shop@prod@1.cdx.json.reason.txt"))
                .unwrap();
        assert!(reason.contains("unknown stage"), "{reason}");
        let (kind, message) = outcome("bom.cdx.json");
        assert_eq!(kind, "failed");
        assert!(message.contains("no sidecar"), "{message}");
        assert_eq!(outcome("other.cdx.json").0, "done");
        // The older file in done/ is kept; the new one and its sidecar sit beside it.
        assert_eq!(
            std::fs::read_to_string(folder.path().join("done/other.cdx.json")).unwrap(),
            "an older one"
        );
        assert!(folder.path().join("done/other (2).cdx.json").is_file());
        assert!(folder
            .path()
            .join("done/other (2).cdx.json.vigil.json")
            .is_file());
        let remaining: Vec<_> = std::fs::read_dir(folder.path())
            .unwrap()
            .flatten()
            .filter(|e| e.path().is_file())
            .collect();
        assert!(remaining.is_empty(), "{remaining:?}");
    }
}
