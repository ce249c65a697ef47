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
        ]));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {error:#}");
    }
}
