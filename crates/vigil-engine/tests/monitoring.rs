//! One monitoring run at a time across every process sharing a data directory, and one run
//! per scheduled time, on a real SQLite file.

use chrono::{Duration, TimeZone, Utc};
use vigil_engine::{Engine, RunOutcome, RunRequest, ScanTarget, Stage, Trigger};
use vigil_store::{settings::try_acquire_lease, Store};

fn workspace() -> (tempfile::TempDir, Engine) {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(dir.path()).unwrap();
    let lock = dir.path().join("requirements.txt");
    std::fs::write(&lock, "six==1.16.0\n").unwrap();
    engine
        .scan(
            &[lock],
            Some(ScanTarget {
                application: "shop".into(),
                stage: Stage::Build,
                version_label: None,
                organization: None,
            }),
        )
        .unwrap();
    (dir, engine)
}

fn request(holder: &str, now: chrono::DateTime<Utc>) -> RunRequest {
    RunRequest {
        holder: holder.into(),
        ..RunRequest::new(Trigger::Schedule, now)
    }
}

#[test]
fn a_run_is_skipped_while_another_process_holds_the_lease_and_performed_once_it_expired() {
    let (dir, engine) = workspace();
    let now = Utc.with_ymd_and_hms(2026, 12, 7, 6, 30, 0).unwrap();
    // Another process (an agent on a server) is in the middle of a run.
    let mut store = Store::open(&dir.path().join("vigil.db")).unwrap();
    store
        .transaction(|tx| {
            try_acquire_lease(
                tx,
                "monitoring",
                "agent server:77",
                "2026-12-07T06:29:00Z",
                "2026-12-07T06:44:00Z",
            )
        })
        .unwrap()
        .unwrap();
    match engine.run_monitoring_as(&request("desktop laptop:1", now)).unwrap() {
        RunOutcome::Skipped { reason } => {
            assert!(reason.contains("agent server:77"), "{reason}")
        }
        RunOutcome::Ran(_) => panic!("two runs at once"),
    }
    assert!(engine.runs(10).unwrap().is_empty());
    // Its lease lapsed (the process died): the next attempt runs.
    let later = now + Duration::minutes(20);
    assert!(matches!(
        engine.run_monitoring_as(&request("desktop laptop:1", later)).unwrap(),
        RunOutcome::Ran(_)
    ));
    // The lease is given back after the run: anyone may run next.
    assert!(matches!(
        engine.run_monitoring_as(&request("agent server:77", later)).unwrap(),
        RunOutcome::Ran(_)
    ));
}

#[test]
fn the_run_for_a_scheduled_time_is_performed_once_whoever_asks() {
    let (_dir, engine) = workspace();
    let due = Utc.with_ymd_and_hms(2026, 12, 7, 5, 30, 0).unwrap();
    let now = due + Duration::seconds(3);
    let scheduled = |holder: &str| RunRequest {
        due_at: Some(due),
        ..request(holder, now)
    };
    let first = engine.run_monitoring_as(&scheduled("agent a:1")).unwrap();
    assert!(matches!(first, RunOutcome::Ran(_)));
    match engine.run_monitoring_as(&scheduled("agent b:2")).unwrap() {
        RunOutcome::Skipped { reason } => assert!(
            reason.contains("already performed"),
            "{reason}"
        ),
        RunOutcome::Ran(_) => panic!("the 05:30 run twice"),
    }
    assert_eq!(engine.last_scheduled_due().unwrap(), Some(due));
    let runs = engine.runs(10).unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].due_at.as_deref(), Some("2026-12-07T05:30:00Z"));
    assert_eq!(runs[0].trigger, "schedule");
}
