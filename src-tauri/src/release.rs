//! Closing the window hands the process over to a tray agent that never made a webview.
//!
//! Destroying the window ends its WebKit web process, but WebKit keeps the rest for the life of
//! the process: its network process, and in this one the GL stack (Mesa, LLVM) and
//! JavaScriptCore it set up for the first webview, about 250 MB measured (`bench/desktop.sh`).
//! A process started as at login (`--tray`, with GDK's GL off: `start_tray_only`) holds a
//! third of that. So once the window is gone and nothing is in flight (no command's work on the
//! blocking pool, no run, the agent between ticks), the process replaces itself with that one:
//! an `exec`, same pid and arguments, plus `--tray`. The agent's state is in the store (the
//! schedule's last run, syncs, the outbox), so nothing is lost; the tray icon is made again.
//!
//! Not under WebDriver (`TAURI_WEBVIEW_AUTOMATION`, set by tauri-driver): an exec would cut the
//! automation session, so there the window is released in-process only.

use std::{
    ffi::OsString,
    sync::atomic::{AtomicBool, AtomicUsize, Ordering},
};

use tauri::{AppHandle, Manager};

use crate::{args, tray, window};

/// Work on the blocking pool that an exec would cut short (a scan, an import, a send).
static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);

/// Held while work that must not be cut runs.
pub struct Busy(());

impl Drop for Busy {
    fn drop(&mut self) {
        IN_FLIGHT.fetch_sub(1, Ordering::SeqCst);
    }
}

pub fn busy() -> Busy {
    IN_FLIGHT.fetch_add(1, Ordering::SeqCst);
    Busy(())
}

/// Whether the window's close asked for the hand-over, and whether the app is quitting (then
/// the window's close is Quit's doing, and the process must end, not start again).
#[derive(Default)]
pub struct Release {
    wanted: AtomicBool,
    quitting: AtomicBool,
}

fn under_automation() -> bool {
    std::env::var("TAURI_WEBVIEW_AUTOMATION").as_deref() == Ok("true")
}

/// The window was destroyed: hand over once nothing is in flight.
pub fn window_closed(app: &AppHandle) {
    // Elsewhere the window is released in-process only (no exec there).
    if under_automation() || !cfg!(target_os = "linux") {
        return;
    }
    if let Some(release) = app.try_state::<Release>() {
        if !release.quitting.load(Ordering::SeqCst) {
            release.wanted.store(true, Ordering::SeqCst);
        }
    }
}

/// The window is back before the hand-over happened: keep this process.
pub fn window_opened(app: &AppHandle) {
    if let Some(release) = app.try_state::<Release>() {
        release.wanted.store(false, Ordering::SeqCst);
    }
}

/// The app is ending (Quit): never hand over after this.
pub fn quitting(app: &AppHandle) {
    if let Some(release) = app.try_state::<Release>() {
        release.quitting.store(true, Ordering::SeqCst);
        release.wanted.store(false, Ordering::SeqCst);
    }
}

/// Called by the agent's thread between ticks (the agent has nothing in flight then): hands
/// over if asked to and nothing else is in flight either. Returns only if it did not.
pub fn hand_over_if_due(app: &AppHandle) {
    let Some(release) = app.try_state::<Release>() else {
        return;
    };
    let runs = app
        .try_state::<tray::Session>()
        .is_some_and(|session| session.is_running());
    let idle = IN_FLIGHT.load(Ordering::SeqCst) == 0 && !runs;
    let wanted = release.wanted.load(Ordering::SeqCst) && !release.quitting.load(Ordering::SeqCst);
    if !wanted || !idle || app.get_webview_window(window::MAIN).is_some() {
        return;
    }
    // Asked once: a failed exec leaves this process as it is (the window released in-process).
    release.wanted.store(false, Ordering::SeqCst);
    let error = exec_tray_only();
    eprintln!("vigil-desktop: could not restart as the tray agent alone: {error}");
}

/// Before GTK starts, in a process started with `--tray`: GDK's GL off, so that a tray agent
/// does not load the GL stack (Mesa's LLVM alone is ~45 MB resident) for a window it may never
/// show. WebKit sets up its own GL when a window is made, so the window looks the same. A value
/// the user set is kept.
pub fn start_tray_only() {
    if std::env::var_os("GDK_GL").is_none() {
        // Single-threaded still: nothing else reads the environment yet.
        std::env::set_var("GDK_GL", "disable");
    }
}

/// The arguments of the tray-only process: this one's, with `--tray` once.
pub fn tray_only_args(original: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    let mut kept: Vec<OsString> = original
        .into_iter()
        .filter(|arg| arg.to_str() != Some(args::TRAY))
        .collect();
    kept.push(args::TRAY.into());
    kept
}

/// Names the children the new process inherits (WebKit's network process, which ends when
/// its connection does): theirs to reap, as nothing else in it knows them.
const INHERITED: &str = "VIGIL_INHERITED_CHILDREN";

#[cfg(target_os = "linux")]
fn exec_tray_only() -> std::io::Error {
    use std::os::unix::process::CommandExt;
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(error) => return error,
    };
    let children: Vec<String> = std::fs::read_dir("/proc/self/task")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("children")).ok())
        .flat_map(|pids| {
            pids.split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    eprintln!("vigil-desktop: the window is closed and nothing is running: continuing as the tray agent alone");
    std::process::Command::new(exe)
        .args(tray_only_args(std::env::args_os().skip(1)))
        .env(INHERITED, children.join(","))
        .exec()
}

#[cfg(not(target_os = "linux"))]
fn exec_tray_only() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "replacing the process is done on Linux only",
    )
}

/// In the process that replaced one with a window: waits for the children it inherited, so
/// that they do not stay as zombies once they end.
pub fn reap_inherited() {
    let Some(pids) = std::env::var_os(INHERITED) else {
        return;
    };
    std::env::remove_var(INHERITED);
    #[cfg(target_os = "linux")]
    for pid in pids
        .to_string_lossy()
        .split(',')
        .filter_map(|p| p.parse::<i32>().ok())
    {
        let _ = std::thread::Builder::new()
            .name("vigil-reap".into())
            .spawn(move || {
                let _ = nix::sys::wait::waitpid(nix::unistd::Pid::from_raw(pid), None);
            });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = pids;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[OsString]) -> Vec<&str> {
        args.iter().map(|a| a.to_str().unwrap()).collect()
    }

    #[test]
    fn the_tray_agent_keeps_the_arguments_and_adds_tray_once() {
        let plain = tray_only_args(["--data-dir", "/w s"].map(OsString::from));
        assert_eq!(strings(&plain), ["--data-dir", "/w s", "--tray"]);
        let again = tray_only_args(["--tray", "--data-dir=/w", "--tray"].map(OsString::from));
        assert_eq!(strings(&again), ["--data-dir=/w", "--tray"]);
        assert_eq!(strings(&tray_only_args([])), ["--tray"]);
    }

    #[test]
    fn work_in_flight_is_counted_until_it_ends() {
        let before = IN_FLIGHT.load(Ordering::SeqCst);
        let one = busy();
        let two = busy();
        assert_eq!(IN_FLIGHT.load(Ordering::SeqCst), before + 2);
        drop(one);
        drop(two);
        assert_eq!(IN_FLIGHT.load(Ordering::SeqCst), before);
    }
}
