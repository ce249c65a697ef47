//! The window's theme: the stored choice handed to the native window, so that its title bar and
//! the webview's `prefers-color-scheme` follow it (System gives the choice back to the desktop).

use tauri::{Manager, Runtime, WebviewWindow};
use vigil_engine::{api::Theme, Engine};

pub fn apply<R: Runtime>(window: &WebviewWindow<R>, theme: Theme) {
    let native = match theme {
        Theme::System => None,
        Theme::Light => Some(tauri::Theme::Light),
        Theme::Dark => Some(tauri::Theme::Dark),
    };
    if let Err(error) = window.set_theme(native) {
        eprintln!("vigil-desktop: the window's theme could not be set: {error}");
    }
}

/// At start: the theme chosen last time, before the window is first shown.
pub fn restore<R: Runtime>(app: &tauri::AppHandle<R>, engine: &Engine) {
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    match engine.theme() {
        Ok(theme) => apply(&window, theme),
        Err(error) => eprintln!("vigil-desktop: the stored theme could not be read: {error}"),
    }
}
