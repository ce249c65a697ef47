//! One Vigil per desktop session. `tauri-plugin-single-instance` keys on the app identifier (a
//! D-Bus name on Linux), whatever the data dir: a second launch hands its arguments to the
//! first, which shows its window, and exits. So that a second launch on *another* data dir is
//! not silently swallowed, the first notes its data dir in the session's runtime folder; the
//! second reads it to say on stderr which workspace is open, and the first tells the user too.

use std::path::{Path, PathBuf};

use tauri::AppHandle;

use crate::{args, desktop, window};

/// `$XDG_RUNTIME_DIR/vigil-desktop.instance`: "PID\nDATA_DIR".
fn note_path() -> Option<PathBuf> {
    std::env::var_os("XDG_RUNTIME_DIR")
        .filter(|dir| !dir.is_empty())
        .map(|dir| PathBuf::from(dir).join("vigil-desktop.instance"))
}

/// Notes that this process is the instance, on `data_dir`.
pub fn note(data_dir: &Path) {
    if let Some(path) = note_path() {
        let text = format!("{}\n{}", std::process::id(), data_dir.display());
        if let Err(error) = std::fs::write(&path, text) {
            eprintln!("vigil-desktop: could not write {}: {error}", path.display());
        }
    }
}

/// The running instance's pid and data dir, if another live process noted one.
pub fn running() -> Option<(u32, PathBuf)> {
    let text = std::fs::read_to_string(note_path()?).ok()?;
    let (pid, dir) = text.split_once('\n')?;
    let pid: u32 = pid.parse().ok()?;
    let alive = Path::new(&format!("/proc/{pid}")).exists();
    (alive && pid != std::process::id()).then(|| (pid, PathBuf::from(dir)))
}

/// Whether two data dirs are the same folder (either may not exist yet).
pub fn same_dir(a: &Path, b: &Path) -> bool {
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    canonical(a) == canonical(b)
}

/// What the second process says before the plugin hands over and exits.
pub fn second_launch_line(open: &Path, wanted: &Path) -> String {
    if same_dir(open, wanted) {
        format!("Vigil is already running on {}: showing its window", open.display())
    } else {
        format!(
            "Vigil is already open on {}; quit it (tray menu: Quit Vigil) to open {}",
            open.display(),
            wanted.display()
        )
    }
}

/// In the first instance, when another launch handed over its arguments: show the window, and
/// say so when that launch wanted another workspace.
pub fn second_launch(app: &AppHandle, open: &Path, argv: Vec<String>) {
    window::show(app);
    let wanted = args::parse(argv.into_iter().skip(1).map(Into::into))
        .ok()
        .and_then(|args| args.data_dir)
        .map(|dir| vigil_engine::Engine::resolve_data_dir(Some(dir)));
    if let Some(wanted) = wanted.filter(|w| !same_dir(open, w)) {
        let message = desktop::DesktopMessage {
            title: "Vigil is already open".into(),
            body: second_launch_line(open, &wanted),
            opens: desktop::Opens::Window,
        };
        eprintln!("vigil-desktop: a second launch: {}", message.body);
        if let Err(error) = desktop::show(app, &message) {
            eprintln!("vigil-desktop: {error}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_launch_on_another_folder_says_which_is_open() {
        let dir = tempfile::tempdir().unwrap();
        let open = dir.path().join("work");
        std::fs::create_dir(&open).unwrap();
        // The same folder spelled another way is the same workspace.
        let same = open.join("..").join("work");
        assert!(second_launch_line(&open, &same).contains("showing its window"));
        let other = dir.path().join("other");
        let line = second_launch_line(&open, &other);
        assert!(line.contains(&format!("already open on {}", open.display())), "{line}");
        assert!(line.contains(&format!("to open {}", other.display())), "{line}");
    }
}
