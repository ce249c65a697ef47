//! The monitoring benchmark's helper (`bench/monitor.sh`):
//!   portfolio load DATA_DIR SBOM_DIR   store every SBOM as application `app-NNNN` (stage release)
//!   portfolio read DATA_DIR            read every application's latest inventory back, only
//!   portfolio dashboard DATA_DIR       the dashboard, as the desktop's start screen asks for it
//!   portfolio violations DATA_DIR [MIN_THREAT [TEXT]]
//!                                      the Violations screen's list, as the window asks for it
//! The second is the floor a monitoring run is measured against: what merely reading the
//! portfolio costs.

use std::path::PathBuf;

use vigil_engine::{Engine, ScanTarget, Stage};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: portfolio load DATA_DIR SBOM_DIR | portfolio read DATA_DIR | portfolio dashboard DATA_DIR | portfolio violations DATA_DIR [MIN_THREAT [TEXT]]";
    let engine = Engine::open(&PathBuf::from(args.get(2).expect(usage))).expect("open");
    match args.get(1).map(String::as_str) {
        Some("load") => {
            let dir = PathBuf::from(args.get(3).expect(usage));
            let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
                .expect("read the SBOM folder")
                .map(|e| e.expect("entry").path())
                .collect();
            files.sort();
            for file in &files {
                let name = file
                    .file_name()
                    .and_then(|n| n.to_str())
                    .and_then(|n| n.split('.').next())
                    .expect("file name")
                    .to_string();
                let target = ScanTarget {
                    application: name,
                    stage: Stage::Release,
                    version_label: Some("1.0".into()),
                    organization: None,
                };
                engine.scan(std::slice::from_ref(file), Some(target)).expect("scan");
            }
            println!("{} applications stored", files.len());
        }
        Some("read") => {
            let components = engine.read_all_inventories().expect("read");
            println!("{components} components read");
        }
        Some("dashboard") => {
            let d = engine.dashboard(chrono::Utc::now()).expect("dashboard");
            let open = d.runs.last().and_then(|r| r.open).map_or(0, |o| o.critical + o.severe + o.moderate + o.low);
            println!(
                "dashboard: {} runs charted, {open} open after the last, {} top items, {} risk rows, {} of {} monitored",
                d.runs.len(),
                d.top_items.len(),
                d.risk.len(),
                d.coverage.monitored,
                d.coverage.applications
            );
        }
        Some("violations") => {
            let filter = vigil_engine::api::PortfolioFilter {
                min_threat: args.get(3).map(|t| t.parse().expect("MIN_THREAT: 0–10")),
                text: args.get(4).cloned(),
                ..Default::default()
            };
            let listed = engine.portfolio_violations(&filter).expect("violations");
            let applications: std::collections::HashSet<&str> = listed
                .violations
                .iter()
                .map(|v| v.application.as_str())
                .collect();
            println!(
                "violations: {} listed of {} open, in {} applications",
                listed.violations.len(),
                listed.total,
                applications.len()
            );
        }
        _ => panic!("{usage}"),
    }
}
