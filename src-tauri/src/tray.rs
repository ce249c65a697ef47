//! The tray agent: an icon that shows the state at a glance (`tray_state.rs`), and a menu with
//! that state in words, when the last run was and what it found, Open, Run monitoring now,
//! Pause/Resume monitoring and Quit. Closing the window releases it (`window.rs`); Quit is the
//! way out.

use std::sync::{
    atomic::{AtomicU64, AtomicUsize, Ordering},
    Mutex,
};

use chrono::{DateTime, Utc};
use tauri::{
    image::Image,
    menu::{Menu, MenuItem, PredefinedMenuItem},
    tray::TrayIconBuilder,
    AppHandle, Emitter, Manager, Wry,
};
use vigil_engine::{api::DeliveryFilter, Engine, Trigger};

use crate::{
    monitoring,
    tray_state::{self, Facts, LastRun, TrayState},
    window, Shell,
};

const TRAY: &str = "vigil";
const OPEN: &str = "open";
const RUN: &str = "run-monitoring";
const PAUSE: &str = "pause-monitoring";
const QUIT: &str = "quit";

/// The tray menu's lines kept to update their text: the state in words, the last run.
struct StateItem(MenuItem<Wry>);
struct LastRunItem(MenuItem<Wry>);
/// Pause or Resume, whichever the schedule's state calls for.
struct PauseItem(MenuItem<Wry>);

/// What only this process knows: runs it has going, and whether its last run failed.
#[derive(Default)]
pub struct Session {
    running: AtomicUsize,
    run_error: Mutex<Option<String>>,
    /// The state last shown, so that an unchanged state does not rewrite the icon.
    shown: Mutex<Option<(TrayState, String)>>,
    /// Refreshes asked for so far: one that reads the store applies only if no later one was
    /// asked for meanwhile, so that a slow read never puts back a state already left.
    refreshes: AtomicU64,
}

impl Session {
    pub fn run_started(&self) {
        self.running.fetch_add(1, Ordering::SeqCst);
    }

    /// `error`: why it failed; `None` when it succeeded.
    pub fn run_ended(&self, error: Option<String>) {
        self.running.fetch_sub(1, Ordering::SeqCst);
        self.set_run_error(error);
    }

    pub fn is_running(&self) -> bool {
        self.running.load(Ordering::SeqCst) > 0
    }

    /// A run whose outcome is told otherwise (the agent's events) ended.
    pub fn run_finished(&self) {
        self.running.fetch_sub(1, Ordering::SeqCst);
    }

    pub fn set_run_error(&self, error: Option<String>) {
        *self.run_error.lock().unwrap_or_else(|e| e.into_inner()) = error;
    }
}

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
    let state = MenuItem::with_id(app, "state", "Vigil", false, None::<&str>)?;
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
            &state,
            &last_run,
            &PredefinedMenuItem::separator(app)?,
            &open,
            &run,
            &pause,
            &PredefinedMenuItem::separator(app)?,
            &quit,
        ],
    )?;

    TrayIconBuilder::with_id(TRAY)
        .icon(Image::from_bytes(TrayState::AllWell.icon())?)
        .tooltip("Vigil")
        .menu(&menu)
        .on_menu_event(|app, event| match event.id().as_ref() {
            OPEN => window::show(app),
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
            QUIT => {
                crate::release::quitting(app);
                app.exit(0)
            }
            _ => {}
        })
        .build(app)?;

    app.manage(StateItem(state));
    app.manage(LastRunItem(last_run));
    app.manage(PauseItem(pause));
    app.manage(Session::default());
    refresh(app);
    Ok(())
}

pub fn show_last_run(app: &AppHandle, label: &str) {
    if let Some(item) = app.try_state::<LastRunItem>() {
        let _ = item.0.set_text(label);
    }
}

/// Decides the tray's state afresh and shows it (icon, menu line, tooltip), off the caller's
/// thread (showing waits for the main thread; the store is read). Whether a run is going is
/// taken at the call: it outranks everything the store could say, so it needs no read and
/// shows even for a run of a moment.
pub fn refresh(app: &AppHandle) {
    let Some(session) = app.try_state::<Session>() else {
        return;
    };
    let ticket = session.refreshes.fetch_add(1, Ordering::SeqCst) + 1;
    let running = session.running.load(Ordering::SeqCst) > 0;
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let Some(session) = app.try_state::<Session>() else {
            return;
        };
        if running {
            let facts = Facts {
                running,
                ..Facts::default()
            };
            show(&app, &session, ticket, tray_state::decide(&facts));
            return;
        }
        let mut facts = app
            .state::<Shell>()
            .engine()
            .map(|engine| stored_facts(&engine, Utc::now()))
            .unwrap_or_else(|error| Facts {
                run_error: Some(error.message),
                ..Facts::default()
            });
        if facts.run_error.is_none() {
            facts.run_error = session
                .run_error
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone();
        }
        show(&app, &session, ticket, tray_state::decide(&facts));
    });
}

/// Shows `decided` unless a later refresh was asked for (it knows more, and shows itself).
fn show(app: &AppHandle, session: &Session, ticket: u64, decided: (TrayState, String)) {
    // Held while checking and showing, so that a later refresh cannot show first.
    let mut shown = session.shown.lock().unwrap_or_else(|e| e.into_inner());
    if session.refreshes.load(Ordering::SeqCst) != ticket || shown.as_ref() == Some(&decided) {
        return;
    }
    let (state, words) = &decided;
    if let Some(item) = app.try_state::<StateItem>() {
        let _ = item.0.set_text(words);
    }
    if let Some(tray) = app.tray_by_id(TRAY) {
        if let Ok(icon) = Image::from_bytes(state.icon()) {
            let _ = tray.set_icon(Some(icon));
        }
        let _ = tray.set_tooltip(Some(format!("Vigil — {words}")));
    }
    *shown = Some(decided);
}

/// What the store says: the agent's last sync error, deliveries failed since the window was
/// last open, and the last run's findings with whether they came after that.
fn stored_facts(engine: &Engine, now: DateTime<Utc>) -> Facts {
    let looked_at = engine.looked_at().ok().flatten();
    let after_look = |at: Option<&str>| {
        let at = at.and_then(|at| DateTime::parse_from_rfc3339(at).ok());
        match (at, looked_at) {
            (Some(at), Some(looked)) => at > looked,
            (Some(_), None) => true,
            (None, _) => false,
        }
    };
    let mut facts = Facts::default();
    match engine.agent_status(now) {
        Ok(status) => {
            facts.sync_error = status.last_sync_error;
            facts.last_run = status.schedule.last_run.map(|run| LastRun {
                new: run.new,
                changed: run.changed,
                unseen: after_look(Some(&run.finished_at)),
            });
        }
        Err(error) => facts.run_error = Some(error.to_string()),
    }
    let failed = DeliveryFilter {
        failed: true,
        channel: None,
        alert: None,
        limit: Some(100),
    };
    if let Ok(deliveries) = engine.deliveries(&failed) {
        facts.failed_deliveries = deliveries
            .iter()
            .filter(|d| after_look(d.last_attempt_at.as_deref()))
            .count();
    }
    facts
}
