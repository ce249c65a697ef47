//! The tray agent: Open, Run monitoring now, Pause/Resume monitoring, Quit, and a line saying
//! when the last run was.
//! Closing the window only hides it (see `lib.rs`); Quit is the way out.

use tauri::{
    image::Image,
    menu::{Menu, MenuItem, PredefinedMenuItem},
    tray::TrayIconBuilder,
    AppHandle, Emitter, Manager, Wry,
};
use vigil_engine::Trigger;

use crate::{monitoring, Shell};

const OPEN: &str = "open";
const RUN: &str = "run-monitoring";
const PAUSE: &str = "pause-monitoring";
const QUIT: &str = "quit";

/// The tray menu's status line, kept to update its text after each run.
struct LastRunItem(MenuItem<Wry>);
/// Pause or Resume, whichever the schedule's state calls for.
struct PauseItem(MenuItem<Wry>);

fn pause_label(paused: bool) -> &'static str {
    if paused {
        "Resume monitoring"
    } else {
        "Pause monitoring"
    }
}

/// The stored schedule's state and last run, so that the tray starts out right.
fn stored_state(app: &AppHandle) -> (bool, Option<String>) {
    let status = app
        .state::<Shell>()
        .engine()
        .ok()
        .and_then(|engine| engine.schedule_status(chrono::Utc::now()).ok());
    match status {
        Some(status) => (
            status.paused,
            status.last_run.map(|run| {
                let at = chrono::DateTime::parse_from_rfc3339(&run.started_at)
                    .map(|t| {
                        t.with_timezone(&chrono::Local)
                            .format("%Y-%m-%d %H:%M")
                            .to_string()
                    })
                    .unwrap_or(run.started_at);
                format!(
                    "Last run {at}: {} new, {} changed, {} resolved",
                    run.new, run.changed, run.resolved
                )
            }),
        ),
        None => (false, None),
    }
}

fn toggle_pause(app: &AppHandle) {
    let Ok(engine) = app.state::<Shell>().engine() else {
        return;
    };
    let now = chrono::Utc::now();
    let paused = engine.schedule(now).map(|s| s.paused).unwrap_or(false);
    match engine.pause_schedule(!paused, now) {
        Ok(status) => {
            if let Some(item) = app.try_state::<PauseItem>() {
                let _ = item.0.set_text(pause_label(status.paused));
            }
            let _ = app.emit(crate::agent::DATA_CHANGED_EVENT, ());
        }
        Err(error) => eprintln!("vigil-desktop: could not pause or resume: {error}"),
    }
}

pub fn install(app: &AppHandle) -> tauri::Result<()> {
    let (paused, last) = stored_state(app);
    let last_run = MenuItem::with_id(
        app,
        "last-run",
        last.as_deref().unwrap_or("No monitoring run yet"),
        false,
        None::<&str>,
    )?;
    let pause = MenuItem::with_id(app, PAUSE, pause_label(paused), true, None::<&str>)?;
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
            &pause,
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
            PAUSE => toggle_pause(app),
            QUIT => app.exit(0),
            _ => {}
        })
        .build(app)?;

    app.manage(LastRunItem(last_run));
    app.manage(PauseItem(pause));
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
