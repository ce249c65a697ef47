fn main() {
    // tauri.conf.json lives at the repository root (see the notes on Tauri on Linux); the
    // commands listed here get permissions of their own (`allow-<command>`), so capabilities
    // name exactly what the webview may call.
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(&[
            "status",
            "import_advisories",
            "sync_advisories",
            "scan",
            "cancel_scan",
            "applications",
            "application",
            "run_monitoring",
            "policies",
            "save_policy",
            "set_policy_enabled",
            "delete_policy",
            "export_policies",
            "import_policies",
            "waivers",
            "add_waiver",
            "remove_waiver",
            "import_vex",
            "export_vex",
            "application_profile",
            "update_application",
            "update_applications",
            "import_applications_csv",
            "application_scans",
            "organizations",
            "save_organization",
            "coverage",
            "runs",
            "alerts",
            "application_history",
            "affected",
            "where_used",
            "schedule_status",
            "set_schedule",
            "pause_schedule",
            "agent_status",
            "agent_settings",
            "set_agent_settings",
            "theme",
            "set_theme",
            "channels",
            "add_channel",
            "update_channel",
            "remove_channel",
            "test_channel",
            "deliveries",
            "retry_delivery",
            "plan",
            "set_plan",
            "export_plan",
            "import_plan",
            "plan_preview",
        ]));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {error:#}");
    }
}
