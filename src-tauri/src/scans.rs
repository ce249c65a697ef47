//! Scans started from the window: each has an id the webview chose, a cancel flag that
//! `cancel_scan` sets, and an observer that turns the engine's progress into one stream of
//! per-artifact messages (at most ten a second, plus each artifact's first and last).

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use vigil_engine::{api::ScanProgress, ScanObserver};

/// The cancel flags of the scans running now, by id.
#[derive(Default)]
pub struct Scans {
    running: Mutex<HashMap<String, Arc<AtomicBool>>>,
}

/// A scan's registration; dropping it forgets the scan.
pub struct Running<'a> {
    scans: &'a Scans,
    id: String,
    pub cancel: Arc<AtomicBool>,
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.scans.lock().remove(&self.id);
    }
}

impl Scans {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<AtomicBool>>> {
        self.running
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Registers a scan; `None` when one with this id is already running.
    pub fn start(&self, id: &str) -> Option<Running<'_>> {
        let cancel = Arc::new(AtomicBool::new(false));
        let mut running = self.lock();
        if running.contains_key(id) {
            return None;
        }
        running.insert(id.to_string(), cancel.clone());
        Some(Running {
            scans: self,
            id: id.to_string(),
            cancel,
        })
    }

    /// Asks a running scan to stop; `false` when no scan of that id is running (it finished).
    pub fn cancel(&self, id: &str) -> bool {
        match self.lock().get(id) {
            Some(flag) => {
                flag.store(true, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }
}

/// Watches one scan for the window: sends each artifact's progress with its planned size.
pub struct RowObserver<F: FnMut(ScanProgress)> {
    cancel: Arc<AtomicBool>,
    totals: HashMap<PathBuf, u64>,
    current: Option<ScanProgress>,
    current_path: PathBuf,
    last_sent: Option<Instant>,
    send: F,
}

impl<F: FnMut(ScanProgress)> RowObserver<F> {
    /// Sizes every artifact (metadata only) and announces each with nothing read yet.
    pub fn new(paths: &[PathBuf], cancel: Arc<AtomicBool>, mut send: F) -> Self {
        let mut totals = HashMap::new();
        for path in paths {
            let total = vigil_engine::artifact_size(path);
            totals.insert(path.clone(), total);
            send(ScanProgress {
                artifact: path.display().to_string(),
                bytes_read: 0,
                total_bytes: total,
                components: 0,
                done: false,
            });
        }
        RowObserver {
            cancel,
            totals,
            current: None,
            current_path: PathBuf::new(),
            last_sent: None,
            send,
        }
    }

    /// Sends the last artifact's final message; call when the scan returned.
    pub fn finish(&mut self) {
        if let Some(mut last) = self.current.take() {
            last.done = true;
            (self.send)(last);
        }
    }
}

impl<F: FnMut(ScanProgress)> ScanObserver for RowObserver<F> {
    fn progress(&mut self, artifact: &Path, bytes_read: u64, components: usize) {
        let first = self.current.is_none() || self.current_path != artifact;
        if first {
            self.finish();
            self.current_path = artifact.to_path_buf();
        }
        let progress = ScanProgress {
            artifact: artifact.display().to_string(),
            bytes_read,
            total_bytes: self.totals.get(artifact).copied().unwrap_or(0),
            components: u32::try_from(components).unwrap_or(u32::MAX),
            done: false,
        };
        let due = self
            .last_sent
            .is_none_or(|t| t.elapsed() >= Duration::from_millis(100));
        if first || due {
            self.last_sent = Some(Instant::now());
            (self.send)(progress.clone());
        }
        self.current = Some(progress);
    }

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use vigil_engine::{Engine, ScanTarget, Stage};

    use super::*;

    #[test]
    fn an_id_runs_once_and_is_forgotten_when_its_scan_ends() {
        let scans = Scans::default();
        let running = scans.start("a").unwrap();
        assert!(scans.start("a").is_none());
        assert!(scans.cancel("a"));
        assert!(running.cancel.load(Ordering::Relaxed));
        drop(running);
        assert!(!scans.cancel("a"), "a finished scan cannot be cancelled");
        assert!(scans.start("a").is_some());
    }

    #[test]
    fn cancelling_through_the_registry_stops_the_scan_and_nothing_is_stored() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::open(&dir.path().join("data")).unwrap();
        let file = dir.path().join("requirements.txt");
        std::fs::write(&file, "django==2.2\n").unwrap();
        let folder = dir.path().join("web");
        std::fs::create_dir(&folder).unwrap();
        let lock =
            r#"{"lockfileVersion":3,"packages":{"node_modules/lodash":{"version":"4.17.20"}}}"#;
        std::fs::write(folder.join("package-lock.json"), lock).unwrap();
        let paths = vec![file.clone(), folder.clone()];
        let target = ScanTarget {
            application: "shop".into(),
            stage: Stage::Build,
            version_label: None,
            organization: None,
        };

        // The user presses Cancel while the first artifact is being read.
        let scans = Scans::default();
        let running = scans.start("scan-1").unwrap();
        let mut sent = Vec::new();
        let mut observer = RowObserver::new(&paths, running.cancel.clone(), |p| {
            if p.bytes_read > 0 {
                scans.cancel("scan-1");
            }
            sent.push(p);
        });
        let result = engine
            .scan_observed(&paths, Some(target.clone()), &mut observer)
            .unwrap();
        observer.finish();
        drop(observer);
        assert!(result.stored.is_none(), "a cancelled scan was stored");
        assert!(engine.applications().unwrap().is_empty());
        // Both rows announced with their sizes, then the first read and finished; the folder never.
        assert_eq!(sent[0].artifact, file.display().to_string());
        assert_eq!((sent[0].bytes_read, sent[0].total_bytes), (0, 12));
        assert_eq!(sent[1].artifact, folder.display().to_string());
        assert_eq!(sent[1].total_bytes, lock.len() as u64);
        let last = sent.last().unwrap();
        assert_eq!(last.artifact, file.display().to_string());
        assert!(last.done);
        assert_eq!((last.bytes_read, last.components), (12, 1));
        assert!(!sent
            .iter()
            .any(|p| p.done && p.artifact == folder.display().to_string()));
        drop(running);

        // The same scan not cancelled: one stored scan of both artifacts, each row finished.
        let running = scans.start("scan-2").unwrap();
        let mut sent = Vec::new();
        let mut observer = RowObserver::new(&paths, running.cancel.clone(), |p| sent.push(p));
        let result = engine
            .scan_observed(&paths, Some(target), &mut observer)
            .unwrap();
        observer.finish();
        drop(observer);
        assert!(result.stored.is_some());
        assert_eq!(engine.applications().unwrap().len(), 1);
        let done: Vec<(String, u32)> = sent
            .iter()
            .filter(|p| p.done)
            .map(|p| (p.artifact.clone(), p.components))
            .collect();
        assert_eq!(
            done,
            [
                (file.display().to_string(), 1),
                (folder.display().to_string(), 1)
            ]
        );
    }
}
