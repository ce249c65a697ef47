//! Progress bars on stderr for imports, syncs and scans, drawn by indicatif: it draws only
//! when stderr is a terminal (nothing at all lands in a pipe, a file or a CI log), redraws at
//! most 20 times a second and clears its line when the work ends, so the report that follows
//! starts on a clean line.

use std::{path::Path, time::Duration};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use vigil_engine::{
    api::{Progress, ProgressUnit},
    ScanObserver,
};

/// One bar at a time, for work that reports what it is reading (a file, a URL, an ecosystem):
/// a new label finishes the previous bar.
#[derive(Default)]
pub struct Bar {
    current: Option<(String, ProgressBar)>,
}

impl Bar {
    /// Shows an import's or a sync's progress.
    pub fn show(&mut self, progress: &Progress) {
        let label = progress
            .ecosystem
            .as_deref()
            .unwrap_or(progress.path.as_str());
        let unit = match progress.unit {
            ProgressUnit::Bytes => Unit::Bytes,
            ProgressUnit::Records => Unit::Records,
        };
        self.update(label, unit, progress.done, progress.total, None);
    }

    fn update(
        &mut self,
        label: &str,
        unit: Unit,
        done: u64,
        total: Option<u64>,
        message: Option<String>,
    ) {
        let total = total.filter(|t| *t > 0);
        if self.current.as_ref().is_none_or(|(l, _)| l != label) {
            self.finish();
            let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr())
                .with_style(style(unit, total.is_some()))
                .with_prefix(short(label));
            bar.enable_steady_tick(Duration::from_millis(120));
            self.current = Some((label.to_string(), bar));
        }
        let (_, bar) = self.current.as_ref().expect("set above");
        if bar.length() != total {
            bar.set_style(style(unit, total.is_some()));
            match total {
                Some(total) => bar.set_length(total),
                None => bar.unset_length(),
            }
        }
        bar.set_position(total.map_or(done, |t| done.min(t)));
        if let Some(message) = message {
            bar.set_message(message);
        }
    }

    /// Clears the bar's line; also done on drop.
    pub fn finish(&mut self) {
        if let Some((_, bar)) = self.current.take() {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.finish();
    }
}

/// The last part of a path or URL: a bar wider than the terminal would wrap and leave a
/// trail of half-drawn lines.
fn short(label: &str) -> String {
    label
        .trim_end_matches('/')
        .rsplit(['/', '\\'])
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or(label)
        .to_string()
}

#[derive(Clone, Copy)]
enum Unit {
    Bytes,
    Records,
}

fn style(unit: Unit, known_total: bool) -> ProgressStyle {
    let template = match (unit, known_total) {
        (Unit::Bytes, true) => "{prefix}  [{bar:30}]  {binary_bytes} / {binary_total_bytes}  {msg}",
        (Unit::Records, true) => "{prefix}  [{bar:30}]  {pos} / {len} records  {msg}",
        (Unit::Bytes, false) => "{spinner} {prefix}  {binary_bytes}  {msg}",
        (Unit::Records, false) => "{spinner} {prefix}  {pos} records  {msg}",
    };
    ProgressStyle::with_template(template)
        .expect("the templates above are valid")
        .progress_chars("=> ")
}

/// A scan's progress: one bar per artifact the user named, by bytes of it read, with the
/// components found so far.
#[derive(Default)]
pub struct ScanBar {
    bar: Bar,
    /// The artifact being read and its size, looked up once per artifact.
    sized: Option<(std::path::PathBuf, Option<u64>)>,
}

impl ScanObserver for ScanBar {
    fn progress(&mut self, artifact: &Path, bytes_read: u64, components: usize) {
        if self.sized.as_ref().is_none_or(|(path, _)| path != artifact) {
            // A folder's size is unknown up front: it spins.
            let size = std::fs::metadata(artifact)
                .ok()
                .filter(|m| m.is_file())
                .map(|m| m.len());
            self.sized = Some((artifact.to_path_buf(), size));
        }
        let total = self.sized.as_ref().and_then(|(_, size)| *size);
        let label = artifact.display().to_string();
        let found = format!("{components} components");
        self.bar
            .update(&label, Unit::Bytes, bytes_read, total, Some(found));
    }
}

impl ScanBar {
    pub fn finish(&mut self) {
        self.bar.finish();
    }
}
