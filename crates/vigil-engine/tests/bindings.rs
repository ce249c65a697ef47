//! The UI's TypeScript types are generated from `vigil_engine::api` and committed in
//! `ui/src/lib/ipc/bindings/`. This test fails when they are stale; regenerate them with
//! `make bindings` (which runs it with `VIGIL_UPDATE_BINDINGS=1`).

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
};

use ts_rs::{Config, TS};
use vigil_engine::api::*;

fn export_all(dir: &Path) {
    // Ids and counts fit in a JavaScript number; `bigint` would not survive JSON.parse.
    let cfg = Config::new().with_large_int("number").with_out_dir(dir);
    ErrorDto::export_all(&cfg).unwrap();
    DbStatus::export_all(&cfg).unwrap();
    ImportReport::export_all(&cfg).unwrap();
    Progress::export_all(&cfg).unwrap();
    ScanProgress::export_all(&cfg).unwrap();
    ScanResult::export_all(&cfg).unwrap();
    QueryResult::export_all(&cfg).unwrap();
    ApplicationSummary::export_all(&cfg).unwrap();
    ApplicationDetail::export_all(&cfg).unwrap();
    MonitorReport::export_all(&cfg).unwrap();
    SyncReport::export_all(&cfg).unwrap();
    PoliciesView::export_all(&cfg).unwrap();
    PolicyImportReport::export_all(&cfg).unwrap();
    WaiverDto::export_all(&cfg).unwrap();
    NewWaiver::export_all(&cfg).unwrap();
    VexImportReport::export_all(&cfg).unwrap();
    EvaluationReport::export_all(&cfg).unwrap();
    ApplicationProfile::export_all(&cfg).unwrap();
    ApplicationUpdate::export_all(&cfg).unwrap();
    OrganizationDto::export_all(&cfg).unwrap();
    AppsImportReport::export_all(&cfg).unwrap();
    CoverageReport::export_all(&cfg).unwrap();
    CoverageRuleView::export_all(&cfg).unwrap();
    AlertRecord::export_all(&cfg).unwrap();
    AlertFilter::export_all(&cfg).unwrap();
    RunSummary::export_all(&cfg).unwrap();
    RunApplicationDiff::export_all(&cfg).unwrap();
    AffectedReport::export_all(&cfg).unwrap();
    ScheduleStatus::export_all(&cfg).unwrap();
    AgentStatus::export_all(&cfg).unwrap();
    Theme::export_all(&cfg).unwrap();
    ScanSummary::export_all(&cfg).unwrap();
    ChannelDto::export_all(&cfg).unwrap();
    ChannelInput::export_all(&cfg).unwrap();
    ChannelTestResult::export_all(&cfg).unwrap();
    DeliveryDto::export_all(&cfg).unwrap();
    DeliveryFilter::export_all(&cfg).unwrap();
    DeliveryReport::export_all(&cfg).unwrap();
    PlanView::export_all(&cfg).unwrap();
    PlanPreviewRequest::export_all(&cfg).unwrap();
    PlanPreview::export_all(&cfg).unwrap();
    DashboardDto::export_all(&cfg).unwrap();
    PortfolioFilter::export_all(&cfg).unwrap();
    PortfolioViolations::export_all(&cfg).unwrap();
    BulkWaiver::export_all(&cfg).unwrap();
    BulkReport::export_all(&cfg).unwrap();
    ViolationHistory::export_all(&cfg).unwrap();
}

fn read_dir(dir: &Path) -> BTreeMap<String, String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ts"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn committed_typescript_bindings_match_the_rust_types() {
    let committed_dir: PathBuf =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/ipc/bindings");
    let fresh_dir = tempfile::tempdir().unwrap();
    export_all(fresh_dir.path());
    let fresh = read_dir(fresh_dir.path());
    assert!(
        fresh.len() >= 15,
        "expected every API type to be exported, got {:?}",
        fresh.keys()
    );

    if std::env::var_os("VIGIL_UPDATE_BINDINGS").is_some() {
        std::fs::create_dir_all(&committed_dir).unwrap();
        for stale in read_dir(&committed_dir)
            .keys()
            .filter(|name| !fresh.contains_key(*name))
        {
            std::fs::remove_file(committed_dir.join(stale)).unwrap();
        }
        for (name, text) in &fresh {
            std::fs::write(committed_dir.join(name), text).unwrap();
        }
        return;
    }
    let committed = read_dir(&committed_dir);
    let differing: std::collections::BTreeSet<&String> = fresh
        .keys()
        .chain(committed.keys())
        .filter(|name| fresh.get(*name) != committed.get(*name))
        .collect();
    assert!(
        differing.is_empty(),
        "ui/src/lib/ipc/bindings is stale for {differing:?}; run `make bindings` and commit the result"
    );
}
