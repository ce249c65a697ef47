//! The main window, made only while someone looks: closing it destroys it, so that its WebKit
//! web process goes away and the tray agent runs alone; Open (tray), a notification click and a
//! second launch make it again from `tauri.conf.json`'s window. While it is open, what the runs
//! found counts as looked at (the tray's "new" clears).

use tauri::{AppHandle, Manager, WebviewWindow, WebviewWindowBuilder};

use crate::{tray, Shell};

pub const MAIN: &str = "main";

/// Shows the window, making it first if it was closed, and brings it to the front.
pub fn show(app: &AppHandle) {
    let window = match app.get_webview_window(MAIN) {
        Some(window) => window,
        None => match create(app) {
            Ok(window) => window,
            Err(error) => {
                eprintln!("vigil-desktop: the window could not be opened: {error}");
                return;
            }
        },
    };
    let _ = window.show();
    let _ = window.unminimize();
    let _ = window.set_focus();
    looked_at(app);
}

/// The window as `tauri.conf.json` describes it (which does not make it at start: see `lib.rs`).
pub fn create(app: &AppHandle) -> tauri::Result<WebviewWindow> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN)
        .cloned()
        .ok_or_else(|| tauri::Error::WindowNotFound)?;
    crate::release::window_opened(app);
    let window = WebviewWindowBuilder::from_config(app, &config)?.build()?;
    looked_at(app);
    Ok(window)
}

/// Records that the window is (or was, when it closes) in front of someone now.
pub fn looked_at(app: &AppHandle) {
    if let Ok(engine) = app.state::<Shell>().engine() {
        if let Err(error) = engine.mark_looked_at(chrono::Utc::now()) {
            eprintln!("vigil-desktop: could not note that the window was open: {error}");
        }
    }
    tray::refresh(app);
}

pub fn looked_at_if_open(app: &AppHandle) {
    if app.get_webview_window(MAIN).is_some() {
        looked_at(app);
    }
}
