//! The tray agent: Open, Run monitoring now, Quit, and a line saying when the last run was.
//! Closing the window only hides it (see `lib.rs`); Quit is the way out.

use tauri::{
    image::Image,
    menu::{Menu, MenuItem, PredefinedMenuItem},
    tray::TrayIconBuilder,
    AppHandle, Manager, Wry,
};
use vigil_engine::Trigger;

use crate::monitoring;

const OPEN: &str = "open";
const RUN: &str = "run-monitoring";
const QUIT: &str = "quit";

/// The tray menu's status line, kept to update its text after each run.
struct LastRunItem(MenuItem<Wry>);

pub fn install(app: &AppHandle) -> tauri::Result<()> {
    let last_run = MenuItem::with_id(
        app,
        "last-run",
        "No monitoring run yet",
        false,
        None::<&str>,
    )?;
    let open = MenuItem::with_id(app, OPEN, "Open Vigil", true, None::<&str>)?;
    let run = MenuItem::with_id(app, RUN, "Run monitoring now", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, QUIT, "Quit Vigil", true, None::<&str>)?;
    let menu = Menu::with_items(
        app,
        &[
            &last_run,
            &PredefinedMenuItem::separator(app)?,
            &open,
            &run,
            &PredefinedMenuItem::separator(app)?,
            &quit,
        ],
    )?;

    TrayIconBuilder::with_id("vigil")
        .icon(Image::from_bytes(include_bytes!("../../icons/tray.png"))?)
        .tooltip("Vigil")
        .menu(&menu)
        .on_menu_event(|app, event| match event.id().as_ref() {
            OPEN => show_main_window(app),
            RUN => {
                let app = app.clone();
                tauri::async_runtime::spawn(async move {
                    if let Err(error) = monitoring::run(&app, Trigger::Tray).await {
                        eprintln!("vigil-desktop: monitoring failed: {}", error.message);
                        show_last_run(&app, &format!("Last run failed: {}", error.message));
                    }
                });
            }
            QUIT => app.exit(0),
            _ => {}
        })
        .build(app)?;

    app.manage(LastRunItem(last_run));
    Ok(())
}

pub fn show_last_run(app: &AppHandle, label: &str) {
    if let Some(item) = app.try_state::<LastRunItem>() {
        let _ = item.0.set_text(label);
    }
    if let Some(tray) = app.tray_by_id("vigil") {
        let _ = tray.set_tooltip(Some(format!("Vigil — {label}")));
    }
}

pub fn show_main_window(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}
