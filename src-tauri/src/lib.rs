//! Vigil's desktop shell: a window over `vigil-engine` and a tray agent that keeps monitoring
//! while the window is closed. Everything that knows about security data is in the engine;
//! this crate wires it to Tauri (commands, events, tray, notifications) and nothing more.

mod agent;
mod args;
mod commands;
mod deliveries;
mod desktop;
mod error;
mod monitoring;
mod scans;
mod theme;
mod tray;

use std::{path::Path, sync::Arc};

use tauri::{Manager, WindowEvent};
use vigil_engine::{api::ErrorDto, Engine};

/// What the commands share: the engine, or why it could not be opened (shown by every command,
/// so the window can say what is wrong instead of not starting).
pub struct Shell {
    engine: Result<Engine, ErrorDto>,
    /// The scans running now, so that the window can cancel them.
    scans: Arc<scans::Scans>,
}

impl Shell {
    pub fn open(data_dir: &Path) -> Shell {
        Shell {
            engine: Engine::open(data_dir).map_err(|e| error::from_engine(&e)),
            scans: Arc::default(),
        }
    }

    pub fn engine(&self) -> Result<Engine, ErrorDto> {
        self.engine.clone()
    }
}

pub fn run() {
    let args = match args::parse(std::env::args_os().skip(1)) {
        Ok(args) => args,
        Err(error) => {
            eprintln!("vigil-desktop: {error}\nusage: vigil-desktop [--data-dir DIR]");
            std::process::exit(2);
        }
    };
    for ignored in &args.ignored {
        eprintln!("vigil-desktop: ignoring argument {ignored:?}");
    }
    let data_dir = Engine::resolve_data_dir(args.data_dir);
    let shell = Shell::open(&data_dir);
    if let Err(error) = &shell.engine {
        eprintln!(
            "vigil-desktop: cannot open {}: {}",
            data_dir.display(),
            error.message
        );
    }

    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .manage(shell)
        .invoke_handler(tauri::generate_handler![
            commands::status,
            commands::import_advisories,
            commands::sync_advisories,
            commands::scan,
            commands::cancel_scan,
            commands::applications,
            commands::application,
            commands::run_monitoring,
            commands::policies,
            commands::save_policy,
            commands::set_policy_enabled,
            commands::delete_policy,
            commands::export_policies,
            commands::import_policies,
            commands::waivers,
            commands::add_waiver,
            commands::remove_waiver,
            commands::import_vex,
            commands::export_vex,
            commands::application_profile,
            commands::update_application,
            commands::update_applications,
            commands::import_applications_csv,
            commands::application_scans,
            commands::organizations,
            commands::save_organization,
            commands::coverage,
            commands::dashboard,
            commands::runs,
            commands::alerts,
            commands::application_history,
            commands::affected,
            commands::where_used,
            commands::portfolio_violations,
            commands::acknowledge_violations,
            commands::unacknowledge_violations,
            commands::waive_violations,
            commands::violation_history,
            commands::schedule_status,
            commands::set_schedule,
            commands::pause_schedule,
            commands::agent_status,
            commands::agent_settings,
            commands::set_agent_settings,
            commands::theme,
            commands::set_theme,
            commands::channels,
            commands::add_channel,
            commands::update_channel,
            commands::remove_channel,
            commands::test_channel,
            commands::deliveries,
            commands::retry_delivery,
            commands::plan,
            commands::set_plan,
            commands::export_plan,
            commands::import_plan,
            commands::plan_preview,
        ])
        .setup(|app| {
            tray::install(app.handle())?;
            if let Ok(engine) = app.state::<Shell>().engine() {
                // The desktop channel exists once the desktop app has run (the plan may name
                // it); made before the window first lists the channels.
                if let Err(error) = engine.ensure_desktop_channel(chrono::Utc::now()) {
                    eprintln!("vigil-desktop: the desktop channel could not be set up: {error}");
                }
                theme::restore(app.handle(), &engine);
                agent::start(app.handle().clone(), engine);
            }
            Ok(())
        })
        .on_window_event(|window, event| {
            // The tray agent keeps running: closing the window hides it; Quit (tray) exits.
            if let WindowEvent::CloseRequested { api, .. } = event {
                if window.label() == "main" {
                    api.prevent_close();
                    let _ = window.hide();
                }
            }
        })
        .run(tauri::generate_context!("../tauri.conf.json"))
        .expect("Vigil's window could not start");
}
