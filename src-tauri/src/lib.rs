//! Vigil's desktop shell: a window over `vigil-engine` and a tray agent that keeps monitoring
//! while the window is closed. Everything that knows about security data is in the engine;
//! this crate wires it to Tauri (commands, events, tray, notifications) and nothing more.

mod agent;
mod args;
mod commands;
mod deliveries;
mod desktop;
mod error;
mod instance;
mod monitoring;
mod release;
mod scans;
mod startup;
mod theme;
mod tray;
mod tray_state;
mod window;

use std::{path::Path, sync::Arc};

use tauri::{Manager, RunEvent, WindowEvent};
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
    startup::begin();
    let args = match args::parse(std::env::args_os().skip(1)) {
        Ok(args) => args,
        Err(error) => {
            eprintln!("vigil-desktop: {error}\nusage: vigil-desktop [--tray] [--data-dir DIR]");
            std::process::exit(2);
        }
    };
    for ignored in &args.ignored {
        eprintln!("vigil-desktop: ignoring argument {ignored:?}");
    }
    if args.tray {
        release::start_tray_only();
    }
    release::reap_inherited();
    let autostart_args = args::autostart_args(args.data_dir.as_deref());
    let data_dir = Engine::resolve_data_dir(args.data_dir);
    if let Some((pid, open)) = instance::running() {
        // The single-instance plugin hands over to it and exits this process.
        eprintln!(
            "vigil-desktop: {} (pid {pid})",
            instance::second_launch_line(&open, &data_dir)
        );
    }

    // The window is made in `setup` (not at start with `--tray`), and again whenever it is
    // opened after being closed; tauri.conf.json describes it.
    let mut context = tauri::generate_context!("../tauri.conf.json");
    for window in &mut context.config_mut().app.windows {
        window.create = false;
    }
    let start_in_tray = args.tray;
    let open_dir = data_dir.clone();

    let app = tauri::Builder::default()
        // First: a second launch must hand over before anything else starts.
        .plugin(tauri_plugin_single_instance::init(move |app, argv, _cwd| {
            instance::second_launch(app, &open_dir, argv);
        }))
        .plugin(
            tauri_plugin_autostart::Builder::new()
                .args(autostart_args)
                .build(),
        )
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
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
            commands::autostart,
            commands::set_autostart,
            commands::frontend_ready,
        ])
        .setup(move |app| {
            // Opened here, after the single-instance plugin: a second launch never touches
            // its data dir.
            let shell = Shell::open(&data_dir);
            if let Err(error) = &shell.engine {
                eprintln!(
                    "vigil-desktop: cannot open {}: {}",
                    data_dir.display(),
                    error.message
                );
            }
            app.manage(shell);
            instance::note(&data_dir);
            app.manage(desktop::PendingOpen::default());
            app.manage(release::Release::default());
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
            if !start_in_tray {
                window::create(app.handle())?;
            }
            Ok(())
        })
        .on_window_event(|window, event| {
            // Closing the window destroys it (its web process goes with it); what it showed
            // until then counts as looked at, and the process hands over to a tray agent alone
            // (release.rs).
            if let WindowEvent::Destroyed = event {
                if window.label() == window::MAIN {
                    window::looked_at(window.app_handle());
                    release::window_closed(window.app_handle());
                }
            }
        })
        .build(context)
        .expect("Vigil's window could not start");
    app.run(|app, event| {
        // The last window closing is not the end: the tray agent keeps running until Quit
        // (which exits with a code).
        match event {
            RunEvent::ExitRequested { code: None, api, .. } => api.prevent_exit(),
            RunEvent::ExitRequested { code: Some(_), .. } | RunEvent::Exit => {
                release::quitting(app)
            }
            _ => {}
        }
    });
}
