//! Package version → the advisories that affect it, over the advisory store.

use std::collections::HashMap;

use vigil_advisories::{affects, Affected, MatchError};
use vigil_model::{Ecosystem, PackageRef};
use vigil_policy::{AdvisoryFact, ComponentFacts};
use vigil_store::{AdvisoryRow, ComponentRow, Store};

use crate::{api, EngineError};

/// Looks packages up, remembering each package's advisories for the length of one operation
/// (an inventory often holds one package several times across evidence; queries repeat).
pub struct Matcher<'s> {
    store: &'s Store,
    cache: HashMap<(Ecosystem, String), Vec<(AdvisoryRow, Affected)>>,
}

/// Why a package could not be matched; shown to the user, never silently dropped.
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
    pub fn advisories_for(&mut self, package: &PackageRef) -> Result<Result<Vec<AdvisoryFact>, Unmatched>, EngineError> {
        let Some(version) = package.version.as_deref().filter(|v| !v.is_empty()) else {
            return Ok(Err(Unmatched::NoVersion));
        };
        let key = (package.ecosystem, package.key());
        if !self.cache.contains_key(&key) {
            let rows = self.store.affected_by_package(key.0, &key.1)?;
            self.cache.insert(key.clone(), rows);
        }
        let mut facts: Vec<AdvisoryFact> = Vec::new();
        for (advisory, entry) in &self.cache[&key] {
            if advisory.withdrawn || facts.last().is_some_and(|last| last.id == advisory.id) {
                continue;
            }
            match affects(entry, package.ecosystem, version) {
                Ok(true) => facts.push(AdvisoryFact {
                    id: advisory.id.clone(),
                    aliases: advisory.aliases.clone(),
                    summary: advisory.summary.clone(),
                }),
                Ok(false) => {}
                Err(MatchError::InvalidVersion(e)) => return Ok(Err(Unmatched::InvalidVersion(e.to_string()))),
            }
        }
        // Rows come sorted by id, so duplicates (one record, two affected entries) are adjacent.
        Ok(Ok(facts))
    }

    pub fn query(&mut self, purl: &str) -> Result<api::QueryResult, EngineError> {
        let failed = |error: String| api::QueryResult { purl: purl.to_string(), advisories: vec![], error: Some(error) };
        let package = match PackageRef::parse_purl(purl) {
            Ok(package) => package,
            Err(e) => return Ok(failed(e.to_string())),
        };
        Ok(match self.advisories_for(&package)? {
            Ok(facts) => api::QueryResult {
                purl: purl.to_string(),
                advisories: facts.iter().map(crate::convert::advisory).collect(),
                error: None,
            },
            Err(Unmatched::NoVersion) => failed(format!("{purl}: the purl has no version")),
            Err(Unmatched::InvalidVersion(e)) => failed(e),
        })
    }

    /// Facts about stored components, for policy evaluation. Components that cannot be matched
    /// (no version, a version their ecosystem rejects) have no advisory facts.
    pub fn facts(&mut self, components: &[ComponentRow]) -> Result<Vec<ComponentFacts>, EngineError> {
        let mut out = Vec::with_capacity(components.len());
        for component in components {
            let advisories = match PackageRef::parse_purl(&component.purl) {
                Ok(package) => self.advisories_for(&package)?.unwrap_or_default(),
                Err(_) => Vec::new(),
            };
            out.push(ComponentFacts { purl: component.purl.clone(), advisories });
        }
        Ok(out)
    }
}
