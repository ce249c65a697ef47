//! The one API both front ends call. The CLI (`vigil-cli`) and the desktop shell
//! (`src-tauri`) are thin callers of [`Engine`]; everything they show comes from here.
//!
//! The engine never reads the clock inside logic it can be handed a time for (monitoring takes
//! `now`), and never knows about IPC: its results are the plain data types of [`api`].

mod agent;
pub mod api;
mod apps;
mod convert;
mod channels;
mod coverage;
mod dashboard;
mod deliveries;
mod error;
mod evaluate;
pub mod freshness;
mod gate;
mod history;
mod import;
mod intake;
mod matcher;
mod monitor;
mod outbox;
pub mod plan;
mod policies;
mod portfolio;
pub mod sbom;
mod scan;
pub mod schedule;
pub mod secrets;
pub mod settings;
pub mod sync;
pub mod triage;
mod versions;
mod waivers;

use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

pub use agent::{
    holder_name, Agent, AgentEvent, AgentOptions, OwnedDesktopSink, RunWatcher, SyncClock,
};
pub use error::EngineError;
pub use matcher::{Lookup, Matcher, Unmatched};
pub use deliveries::{backoff, DesktopSink};
pub use monitor::{diff, Change, ChangeKind, RunOutcome, RunRequest};
pub use scan::artifact_size;
pub use vigil_inventory::{NoObserver, ScanObserver};
pub use vigil_model::{Stage, StageError};
pub use waivers::{current_user, DEFAULT_WAIVER_DAYS};

use vigil_store::Store;

/// Where a scan is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanTarget {
    pub application: String,
    pub stage: Stage,
    /// The application's own version or build label (`2.3.1`, `build 4711`), when given.
    pub version_label: Option<String>,
    /// Sets the application's organization (for policy and waiver scopes), when given.
    pub organization: Option<String>,
}

/// What started a monitoring run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    Cli,
    Tray,
    Window,
    Schedule,
    /// Advisory data changed (`db import`): the touched applications at once.
    Import,
    /// Advisory data changed by a sync.
    Sync,
}

impl Trigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::Cli => "cli",
            Trigger::Tray => "tray",
            Trigger::Window => "window",
            Trigger::Schedule => "schedule",
            Trigger::Import => "import",
            Trigger::Sync => "sync",
        }
    }
}

/// A handle on one workspace. Cheap to clone and safe to share between threads: each call
/// opens its own SQLite connection, so no lock is held across calls.
#[derive(Debug, Clone)]
pub struct Engine {
    data_dir: Arc<PathBuf>,
    database: Arc<PathBuf>,
    secrets: Secrets,
}

/// The engine's secret store (the OS keyring unless a test of logic gave another).
#[derive(Clone)]
pub(crate) struct Secrets(pub(crate) Arc<dyn secrets::SecretStore>);

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secrets")
    }
}

/// The file name of the workspace database inside the data directory.
pub const DATABASE_FILE: &str = "vigil.db";

impl Engine {
    /// The data directory: `explicit` (`--data-dir`), else `$VIGIL_DATA_DIR`, else the
    /// platform's app-data directory (`~/.local/share/vigil` on Linux).
    pub fn resolve_data_dir(explicit: Option<PathBuf>) -> PathBuf {
        if let Some(dir) = explicit {
            return dir;
        }
        if let Some(dir) = std::env::var_os("VIGIL_DATA_DIR").filter(|d| !d.is_empty()) {
            return PathBuf::from(dir);
        }
        directories::ProjectDirs::from("dev", "vigil", "vigil")
            .map(|dirs| dirs.data_dir().to_path_buf())
            .unwrap_or_else(|| PathBuf::from(".vigil"))
    }

    /// Opens the workspace in `data_dir`, creating it and migrating its database as needed.
    pub fn open(data_dir: &Path) -> Result<Engine, EngineError> {
        std::fs::create_dir_all(data_dir).map_err(|source| EngineError::Io {
            context: format!("cannot create the data directory {}", data_dir.display()),
            source,
        })?;
        let database = data_dir.join(DATABASE_FILE);
        let mut store = Store::open(&database)?;
        if !store.policies_seeded()? {
            store.transaction(|tx| {
                vigil_store::policies::seed(
                    tx,
                    &vigil_policy::reference_policies(),
                    &vigil_policy::default_license_groups(),
                )
            })?;
        }
        Ok(Engine {
            data_dir: Arc::new(data_dir.to_path_buf()),
            database: Arc::new(database),
            secrets: Secrets(secrets::default_store()),
        })
    }

    /// The same workspace with another secret store (unit tests of logic; everything a user
    /// runs uses the OS keyring).
    pub fn with_secret_store(mut self, store: Arc<dyn secrets::SecretStore>) -> Engine {
        self.secrets = Secrets(store);
        self
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub(crate) fn store(&self) -> Result<Store, EngineError> {
        Ok(Store::open(&self.database)?)
    }

    /// Runs `work` with one matcher over the advisory store, for batch tools and benchmarks
    /// that look up many packages themselves.
    pub fn with_matcher<T>(
        &self,
        work: impl FnOnce(&mut Matcher<'_>) -> T,
    ) -> Result<T, EngineError> {
        let store = self.store()?;
        let mut matcher = Matcher::new(&store);
        Ok(work(&mut matcher))
    }

    /// Schema version, advisory counts per ecosystem and when each was imported.
    pub fn status(&self) -> Result<api::DbStatus, EngineError> {
        let store = self.store()?;
        let ecosystems = freshness::ecosystem_statuses(&store, chrono::Utc::now())?;
        Ok(api::DbStatus {
            data_dir: self.data_dir.display().to_string(),
            database: self.database.display().to_string(),
            schema_version: store.schema_version()?,
            advisories: store.advisory_total()?,
            ecosystems,
            feeds: store
                .feeds()?
                .into_iter()
                .map(|f| api::FeedStatus {
                    name: f.name,
                    version: f.version,
                    entries: f.entries,
                    imported_at: f.imported_at,
                })
                .collect(),
        })
    }

    /// The advisories affecting each purl's version, in input order.
    pub fn query(&self, purls: &[String]) -> Result<Vec<api::QueryResult>, EngineError> {
        let mut results = Vec::with_capacity(purls.len());
        self.query_each(&mut purls.iter().cloned(), &mut |result| {
            results.push(result)
        })?;
        Ok(results)
    }

    /// Like [`Engine::query`], handing each result over as soon as it is known, so that memory
    /// does not grow with the number of purls (`vigil query --stdin`).
    pub fn query_each(
        &self,
        purls: &mut dyn Iterator<Item = String>,
        on_result: &mut dyn FnMut(api::QueryResult),
    ) -> Result<(), EngineError> {
        let store = self.store()?;
        let mut matcher = matcher::Matcher::new(&store);
        for purl in purls {
            on_result(matcher.query(&purl)?);
        }
        Ok(())
    }

    /// Every application with its latest scan's size and open violations.
    pub fn applications(&self) -> Result<Vec<api::ApplicationSummary>, EngineError> {
        let store = self.store()?;
        let facts = portfolio::SummaryFacts::load(&store)?;
        Ok(store
            .applications()?
            .into_iter()
            .map(|app| facts.summary(app))
            .collect())
    }

    /// One application with the components and violations of its latest scan.
    pub fn application(&self, name: &str) -> Result<api::ApplicationDetail, EngineError> {
        let store = self.store()?;
        let app = store
            .application(name)?
            .ok_or_else(|| EngineError::NotFound(format!("no application named {name:?}")))?;
        let facts = portfolio::SummaryFacts::load(&store)?;
        let Some(scan_id) = app.last_scan_id else {
            return Ok(api::ApplicationDetail {
                summary: facts.summary(app),
                components: Vec::new(),
                unidentified: Vec::new(),
                violations: Vec::new(),
                evaluation: None,
            });
        };
        let components: Vec<api::ComponentDto> = store
            .scan_components(scan_id)?
            .into_iter()
            .map(convert::component_row)
            .collect();
        let unidentified = store
            .scan_unidentified(scan_id)?
            .into_iter()
            .map(convert::unidentified_row)
            .collect();
        let (evaluation, violations) = match store.latest_evaluation(scan_id)? {
            Some((evaluation, violations)) => {
                let policies = store.policies()?;
                let stage: Option<Stage> = evaluation.stage.as_deref().and_then(|s| s.parse().ok());
                let violations = convert::violations(&violations, &policies, stage, &components);
                let info = api::EvaluationInfo {
                    evaluated_at: evaluation.evaluated_at,
                    stage: evaluation.stage,
                    advisory_generation: evaluation.advisory_generation,
                };
                (Some(info), violations)
            }
            None => (None, Vec::new()),
        };
        Ok(api::ApplicationDetail {
            summary: facts.summary(app),
            components,
            unidentified,
            violations,
            evaluation,
        })
    }
}

pub(crate) fn rfc3339(now: chrono::DateTime<chrono::Utc>) -> String {
    now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
