//! Package version → the advisories that affect it, over the advisory store.

use std::collections::HashMap;

use vigil_advisories::{MatchError, PreparedAffected, QueryVersion};
use vigil_model::{Ecosystem, PackageRef};
use vigil_policy::{AdvisoryFact, ComponentFacts};
use vigil_store::{AdvisoryRow, ComponentRow, Store};

use crate::{api, EngineError};

/// Looks packages up, remembering each package's advisories for the length of one operation
/// (an inventory often holds one package several times across evidence; queries repeat).
pub struct Matcher<'s> {
    store: &'s Store,
    cache: HashMap<(Ecosystem, String), Vec<(AdvisoryRow, PreparedAffected)>>,
}

/// What matching found for one package version.
#[derive(Debug)]
pub struct Lookup {
    pub advisories: Vec<AdvisoryFact>,
    /// Set when some or all of the matching could not be done.
    pub problem: Option<Unmatched>,
}

/// Why a package could not be (fully) matched; shown to the user, never silently dropped.
#[derive(Debug)]
pub enum Unmatched {
    NoVersion,
    InvalidVersion(String),
}

impl<'s> Matcher<'s> {
    pub fn new(store: &'s Store) -> Self {
        Matcher { store, cache: HashMap::new() }
    }

    /// Advisories (withdrawn ones excluded) affecting this package version, sorted by id.
    ///
    /// A version its ecosystem rejects can still match exactly through `versions` lists (PyPI
    /// lists legacy versions such as `0.9-eevee`); the ranges it could not be placed in are
    /// reported as the problem beside whatever did match.
    pub fn advisories_for(&mut self, package: &PackageRef) -> Result<Lookup, EngineError> {
        let Some(version) = package.version.as_deref().filter(|v| !v.is_empty()) else {
            return Ok(Lookup { advisories: Vec::new(), problem: Some(Unmatched::NoVersion) });
        };
        let key = (package.ecosystem, package.key());
        if !self.cache.contains_key(&key) {
            let rows = self.store.affected_by_package(key.0, &key.1)?;
            let prepared = rows.into_iter().map(|(row, entry)| (row, PreparedAffected::new(&entry, key.0))).collect();
            self.cache.insert(key.clone(), prepared);
        }
        let mut lookup = Lookup { advisories: Vec::new(), problem: None };
        let query = QueryVersion::new(package.ecosystem, version);
        for (advisory, entry) in &self.cache[&key] {
            // Rows come sorted by id, so one record's several entries are adjacent.
            if advisory.withdrawn || lookup.advisories.last().is_some_and(|last| last.id == advisory.id) {
                continue;
            }
            match entry.affects(&query) {
                Ok(true) => lookup.advisories.push(AdvisoryFact {
                    id: advisory.id.clone(),
                    aliases: advisory.aliases.clone(),
                    summary: advisory.summary.clone(),
                    score: advisory.severity.as_ref().and_then(|s| s.score),
                    rating: advisory.severity.as_ref().map(|s| s.rating.as_str().to_string()),
                }),
                Ok(false) => {}
                Err(MatchError::InvalidVersion(e)) => lookup.problem = Some(Unmatched::InvalidVersion(e.to_string())),
            }
        }
        Ok(lookup)
    }

    pub fn query(&mut self, purl: &str) -> Result<api::QueryResult, EngineError> {
        let failed = |error: String| api::QueryResult { purl: purl.to_string(), advisories: vec![], error: Some(error) };
        let package = match PackageRef::parse_purl(purl) {
            Ok(package) => package,
            Err(e) => return Ok(failed(e.to_string())),
        };
        let lookup = self.advisories_for(&package)?;
        Ok(api::QueryResult {
            purl: purl.to_string(),
            advisories: lookup.advisories.iter().map(crate::convert::advisory).collect(),
            error: lookup.problem.map(|problem| match problem {
                Unmatched::NoVersion => format!("{purl}: the purl has no version"),
                Unmatched::InvalidVersion(e) => e,
            }),
        })
    }

    /// Facts about stored components, for policy evaluation. Components that cannot be matched
    /// (no version, a version their ecosystem rejects) have no advisory facts.
    pub fn facts(&mut self, components: &[ComponentRow]) -> Result<Vec<ComponentFacts>, EngineError> {
        let mut out = Vec::with_capacity(components.len());
        for component in components {
            let advisories = match PackageRef::parse_purl(&component.purl) {
                Ok(package) => self.advisories_for(&package)?.advisories,
                Err(_) => Vec::new(),
            };
            out.push(ComponentFacts { purl: component.purl.clone(), advisories });
        }
        Ok(out)
    }
}
