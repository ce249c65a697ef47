//! Monitoring's history: runs, alerts, each application's diff per run, and "who is affected
//! by this advisory?".

use std::collections::{BTreeSet, HashMap};

use vigil_model::{Ecosystem, PackageRef};
use vigil_store::{AlertQuery, AlertRecordRow, PortfolioComponent, RunRow};

use crate::{api, matcher::Matcher, monitor, Engine, EngineError};

pub(crate) fn run_summary(row: RunRow) -> api::RunSummary {
    api::RunSummary {
        id: row.id,
        trigger: row.trigger,
        started_at: row.started_at,
        finished_at: row.finished_at,
        due_at: row.due_at,
        applications: row.applications,
        evaluated: row.evaluated,
        new: row.counts.new,
        changed: row.counts.changed,
        resolved: row.counts.resolved,
        baseline: row.counts.baseline,
        advisory_snapshot: row.advisory_snapshot,
    }
}

fn alert_record(row: AlertRecordRow) -> api::AlertRecord {
    // A damaged list of changes reads as none rather than hiding the alert.
    let changes: Vec<api::ChangeNote> = serde_json::from_str(&row.changes).unwrap_or_default();
    api::AlertRecord {
        id: row.id,
        kind: row.kind.to_uppercase(),
        application: row.application,
        policy: row.policy,
        threat_level: row.threat_level,
        component: row.purl,
        advisories: row
            .details
            .advisories
            .iter()
            .map(|a| a.id.clone())
            .collect(),
        changed: changes.iter().map(monitor::describe).collect(),
        changes,
        summary: row.details.summary,
        run: row.run_id,
        trigger: row.trigger,
        created_at: row.created_at,
    }
}

/// Accepts RFC 3339 (`2026-12-01T00:00:00Z`, any offset) or a date (`2026-12-01`, midnight UTC)
/// and returns it as stored (UTC, seconds).
fn normalise_since(since: &str) -> Result<String, EngineError> {
    let since = since.trim();
    if let Ok(time) = chrono::DateTime::parse_from_rfc3339(since) {
        return Ok(crate::rfc3339(time.with_timezone(&chrono::Utc)));
    }
    if let Ok(date) = chrono::NaiveDate::parse_from_str(since, "%Y-%m-%d") {
        return Ok(crate::rfc3339(
            date.and_time(chrono::NaiveTime::MIN).and_utc(),
        ));
    }
    Err(EngineError::InvalidInput(format!(
        "--since {since:?} is not an RFC 3339 time (2026-12-01T06:30:00Z) or a date (2026-12-01)"
    )))
}

impl Engine {
    /// Reads every application's latest inventory (components and unidentified entries) and
    /// returns how many components that was: the floor a monitoring run is measured against.
    pub fn read_all_inventories(&self) -> Result<usize, EngineError> {
        let store = self.store()?;
        let mut total = 0;
        for app in store.applications()? {
            if let Some(scan_id) = app.last_scan_id {
                total += store.scan_components(scan_id)?.len();
                total += store.scan_unidentified(scan_id)?.len();
            }
        }
        Ok(total)
    }

    /// The runs, newest first (at most `limit`).
    pub fn runs(&self, limit: u32) -> Result<Vec<api::RunSummary>, EngineError> {
        Ok(self
            .store()?
            .runs(limit)?
            .into_iter()
            .map(run_summary)
            .collect())
    }

    /// Recorded alerts, oldest first.
    pub fn alerts(&self, filter: &api::AlertFilter) -> Result<Vec<api::AlertRecord>, EngineError> {
        let store = self.store()?;
        if let Some(name) = &filter.application {
            if store.application(name)?.is_none() {
                return Err(EngineError::NotFound(format!(
                    "no application named {name:?}"
                )));
            }
        }
        let since = filter.since.as_deref().map(normalise_since).transpose()?;
        let query = AlertQuery {
            application: filter.application.as_deref(),
            since: since.as_deref(),
            run: filter.run,
            limit: filter.limit,
        };
        Ok(store
            .alerts(&query)?
            .into_iter()
            .map(alert_record)
            .collect())
    }

    /// One application's part of each run, newest first.
    pub fn application_history(
        &self,
        name: &str,
    ) -> Result<Vec<api::RunApplicationDiff>, EngineError> {
        let store = self.store()?;
        let app = store
            .application(name)?
            .ok_or_else(|| EngineError::NotFound(format!("no application named {name:?}")))?;
        let mut out = Vec::new();
        for run in store.application_runs(app.id, 200)? {
            let alerts = store
                .alerts(&AlertQuery {
                    application: Some(&app.name),
                    run: Some(run.run_id),
                    ..AlertQuery::default()
                })?
                .into_iter()
                .map(alert_record)
                .collect();
            out.push(api::RunApplicationDiff {
                run: run.run_id,
                application: app.name.clone(),
                started_at: run.started_at,
                trigger: run.trigger,
                new: run.counts.new,
                changed: run.counts.changed,
                resolved: run.counts.resolved,
                baseline: run.counts.baseline,
                alerts,
            });
        }
        Ok(out)
    }

    /// Which applications, stages and versions contain what an advisory (id or alias) affects:
    /// the packages it names, found through the reverse index, each version judged by the same
    /// matching as evaluation (withdrawn records never match).
    pub fn affected(&self, advisory: &str) -> Result<api::AffectedReport, EngineError> {
        let store = self.store()?;
        let advisories = store.advisories_named(advisory)?;
        if advisories.is_empty() {
            return Err(EngineError::NotFound(format!(
                "no advisory has the id or alias {:?}",
                advisory.trim()
            )));
        }
        let wanted: BTreeSet<&str> = advisories.iter().map(String::as_str).collect();
        let mut packages = BTreeSet::new();
        for id in &advisories {
            packages.extend(store.advisory_packages(id)?);
        }
        let mut hits = Hits::new(&store);
        for (ecosystem, name) in packages {
            if Ecosystem::from_osv(&ecosystem).is_none() {
                continue;
            }
            for component in store.package_components(&ecosystem, &name)? {
                hits.add(component, |fact| {
                    std::iter::once(&fact.id)
                        .chain(&fact.aliases)
                        .any(|id| wanted.contains(id.as_str()))
                })?;
            }
        }
        Ok(api::AffectedReport {
            query: advisory.trim().to_string(),
            advisories,
            hits: hits.sorted(),
        })
    }

    /// Where a package is used across the portfolio: every stored component that is this purl
    /// (any version when the purl names none), in any scan of any application, each with the
    /// advisories that affect its version. The search box's answer to a purl.
    pub fn where_used(&self, purl: &str) -> Result<api::AffectedReport, EngineError> {
        let package =
            PackageRef::parse_purl(purl).map_err(|e| EngineError::InvalidInput(e.to_string()))?;
        let store = self.store()?;
        let mut hits = Hits::new(&store);
        for component in store.package_components(package.ecosystem.osv_name(), &package.key())? {
            let Ok(found) = PackageRef::parse_purl(&component.purl) else {
                continue;
            };
            if package.version.is_some() && found.version != package.version {
                continue;
            }
            hits.add_any(component)?;
        }
        let mut advisories: Vec<String> = hits
            .found
            .iter()
            .flat_map(|hit| hit.advisories.iter().cloned())
            .collect();
        advisories.sort();
        advisories.dedup();
        Ok(api::AffectedReport {
            query: purl.trim().to_string(),
            advisories,
            hits: hits.sorted(),
        })
    }
}

/// Components found across the portfolio, with the advisories that affect each one's version
/// and whether monitoring watches its scan.
struct Hits<'s> {
    store: &'s vigil_store::Store,
    matcher: Matcher<'s>,
    watched: HashMap<i64, Vec<i64>>,
    found: Vec<api::AffectedHit>,
}

impl<'s> Hits<'s> {
    fn new(store: &'s vigil_store::Store) -> Self {
        Hits {
            store,
            matcher: Matcher::new(store),
            watched: HashMap::new(),
            found: Vec::new(),
        }
    }

    /// Adds the component with every advisory of its version, even none.
    fn add_any(&mut self, component: PortfolioComponent) -> Result<(), EngineError> {
        self.push(component, |_| true, true)
    }

    /// Adds the component when an advisory that `wanted` accepts affects its version.
    fn add(
        &mut self,
        component: PortfolioComponent,
        wanted: impl Fn(&vigil_policy::AdvisoryFact) -> bool,
    ) -> Result<(), EngineError> {
        self.push(component, wanted, false)
    }

    fn push(
        &mut self,
        component: PortfolioComponent,
        wanted: impl Fn(&vigil_policy::AdvisoryFact) -> bool,
        even_unaffected: bool,
    ) -> Result<(), EngineError> {
        let Ok(package) = PackageRef::parse_purl(&component.purl) else {
            return Ok(());
        };
        let lookup = self.matcher.advisories_for(&package)?;
        let matched: Vec<&vigil_policy::AdvisoryFact> = lookup
            .advisories
            .iter()
            .filter(|fact| wanted(fact))
            .collect();
        if matched.is_empty() && !even_unaffected {
            return Ok(());
        }
        if let std::collections::hash_map::Entry::Vacant(entry) =
            self.watched.entry(component.application_id)
        {
            entry.insert(match self.store.application(&component.application)? {
                Some(app) => monitor::watched_scans(self.store, &app)?,
                None => Vec::new(),
            });
        }
        let mut fixed: Vec<String> = matched
            .iter()
            .flat_map(|f| f.fixed.iter().cloned())
            .collect();
        fixed.sort();
        fixed.dedup();
        let watched = self.watched[&component.application_id].contains(&component.scan_id);
        self.found.push(api::AffectedHit {
            application: component.application,
            stage: component.stage,
            version_label: component.version_label,
            scan_id: component.scan_id,
            watched,
            component: component.purl,
            evidence: component.evidence,
            advisories: matched.iter().map(|f| f.id.clone()).collect(),
            fixed,
        });
        Ok(())
    }

    /// By application, newest scan first, then by component.
    fn sorted(mut self) -> Vec<api::AffectedHit> {
        self.found.sort_by(|a, b| {
            (a.application.to_lowercase(), b.scan_id, &a.component).cmp(&(
                b.application.to_lowercase(),
                a.scan_id,
                &b.component,
            ))
        });
        self.found
    }
}
