//! Package version → the advisories that affect it, over the advisory store.

use std::{collections::HashMap, sync::Arc};

// Look-ups hash short keys millions of times a run; Fx is several times faster than SipHash
// and the keys are package names from our own store, not attacker-chosen flood input.
use rustc_hash::{FxHashMap, FxHashSet};

use vigil_advisories::{MatchError, PackageIndex, PreparedAffected, QueryVersion};
use vigil_model::{Ecosystem, PackageRef};
use vigil_policy::{AdvisoryFact, ComponentFacts, LicenseFact};
use vigil_store::{AdvisoryRow, ComponentRow, Store};

use crate::{api, EngineError};

/// Looks packages up, remembering each package's advisories for the length of one operation
/// (an inventory often holds one package several times across evidence; queries repeat).
pub struct Matcher<'s> {
    store: &'s Store,
    cache: FxHashMap<(Ecosystem, String), PreparedPackage>,
    /// Every package some advisory names, loaded once this matcher has asked the store about
    /// enough packages for one query to cost more than the load. Most packages of an inventory
    /// have no advisory; with the index they cost a hash look-up instead of a query.
    known: Option<FxHashSet<(Ecosystem, String)>>,
    store_queries: usize,
    /// KEV flag and EPSS score per matched advisory id.
    exploitation: HashMap<String, (bool, Option<f64>)>,
}

/// Packages looked up in the store one by one before the whole index is loaded: a single
/// `vigil query` stays instant, a scan of thousands of components pays the load once.
const INDEX_AFTER_QUERIES: usize = 64;

/// Prepared packages kept at most. A portfolio run meets tens of thousands of distinct
/// vulnerable packages; keeping them all would make memory grow with the portfolio. Past the
/// cap the cache starts afresh: a package is prepared again in well under a millisecond.
const MAX_CACHED_PACKAGES: usize = 4096;

/// One package's advisories, made ready for many look-ups.
struct PreparedPackage {
    advisories: Vec<AdvisoryRow>,
    /// Per entry: the versions its ranges say fix it.
    fixed: Vec<Vec<String>>,
    index: PackageIndex,
    /// The facts of each set of affecting entries met so far.
    facts: FxHashMap<Vec<u32>, Arc<[AdvisoryFact]>>,
}

/// What matching found for one package version.
#[derive(Debug)]
pub struct Lookup {
    /// Shared: every version in the same interval of a package's ranges gets the same list.
    pub advisories: Arc<[AdvisoryFact]>,
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
        Matcher {
            store,
            cache: FxHashMap::default(),
            known: None,
            store_queries: 0,
            exploitation: HashMap::new(),
        }
    }

    /// Advisories (withdrawn ones excluded) affecting this package version, sorted by id.
    ///
    /// A version its ecosystem rejects can still match exactly through `versions` lists (PyPI
    /// lists legacy versions such as `0.9-eevee`); the ranges it could not be placed in are
    /// reported as the problem beside whatever did match.
    pub fn advisories_for(&mut self, package: &PackageRef) -> Result<Lookup, EngineError> {
        let Some(version) = package.version.as_deref().filter(|v| !v.is_empty()) else {
            return Ok(Lookup {
                advisories: Arc::from([]),
                problem: Some(Unmatched::NoVersion),
            });
        };
        let key = (package.ecosystem, package.key());
        if !self.cache.contains_key(&key) {
            if self
                .known
                .as_ref()
                .is_some_and(|known| !known.contains(&key))
            {
                return Ok(Lookup {
                    advisories: Arc::from([]),
                    problem: None,
                });
            }
            self.store_queries += 1;
            if self.store_queries == INDEX_AFTER_QUERIES {
                self.known = Some(self.load_index()?);
            }
            let rows = self.store.affected_by_package(key.0, &key.1)?;
            let mut advisories = Vec::with_capacity(rows.len());
            let mut entries = Vec::with_capacity(rows.len());
            let mut fixed = Vec::with_capacity(rows.len());
            for (row, entry) in rows {
                entries.push(PreparedAffected::new(&entry, key.0));
                fixed.push(fixed_versions(&entry));
                advisories.push(row);
            }
            let prepared = PreparedPackage {
                advisories,
                fixed,
                index: PackageIndex::new(entries),
                facts: FxHashMap::default(),
            };
            if self.cache.len() >= MAX_CACHED_PACKAGES {
                self.cache.clear();
                self.exploitation.clear();
            }
            self.cache.insert(key.clone(), prepared);
        }
        let query = QueryVersion::new(package.ecosystem, version);
        let prepared = self.cache.get_mut(&key).expect("inserted above");
        let (affecting, problem) = prepared.index.affecting(&query, package.release.as_deref());
        let problem =
            problem.map(|MatchError::InvalidVersion(e)| Unmatched::InvalidVersion(e.to_string()));
        // Versions between the same two bounds share one set of entries: the facts (with
        // their KEV/EPSS look-ups and alias grouping) are built once per set.
        if let Some(facts) = prepared.facts.get(&affecting) {
            return Ok(Lookup {
                advisories: facts.clone(),
                problem,
            });
        }
        let mut facts: Vec<AdvisoryFact> = Vec::new();
        for &entry in &affecting {
            let advisory = &prepared.advisories[entry as usize];
            if advisory.withdrawn {
                continue;
            }
            // Only fixes above this version help; every version between the same bounds
            // gets the same answer, so the facts stay shareable.
            let fixes = prepared.fixed[entry as usize].iter().filter(|fix| {
                vigil_advisories::version::compare(package.ecosystem, fix, version)
                    .map_or(true, |order| order.is_gt())
            });
            // Rows come sorted by id, so one record's several entries are adjacent.
            if let Some(last) = facts.last_mut().filter(|last| last.id == advisory.id) {
                last.fixed.extend(fixes.cloned());
                last.fixed.sort();
                last.fixed.dedup();
                continue;
            }
            let mut fixed: Vec<String> = fixes.cloned().collect();
            fixed.sort();
            fixed.dedup();
            let (kev, epss) = match self.exploitation.get(&advisory.id) {
                Some(known) => *known,
                None => {
                    let ids: Vec<&str> = std::iter::once(&advisory.id)
                        .chain(&advisory.aliases)
                        .map(String::as_str)
                        .collect();
                    let found = self.store.exploitation(&ids)?;
                    self.exploitation.insert(advisory.id.clone(), found);
                    found
                }
            };
            facts.push(AdvisoryFact {
                id: advisory.id.clone(),
                aliases: advisory.aliases.clone(),
                summary: headline(&advisory.summary),
                score: advisory.severity.as_ref().and_then(|s| s.score),
                rating: advisory
                    .severity
                    .as_ref()
                    .map(|s| s.rating.as_str().to_string()),
                vector: advisory
                    .severity
                    .as_ref()
                    .filter(|s| s.score.is_some())
                    .map(|s| s.source.clone()),
                kev,
                epss,
                fixed,
            });
        }
        let facts: Arc<[AdvisoryFact]> = group_aliases(facts).into();
        prepared.facts.insert(affecting, facts.clone());
        Ok(Lookup {
            advisories: facts,
            problem,
        })
    }

    fn load_index(&self) -> Result<FxHashSet<(Ecosystem, String)>, EngineError> {
        Ok(self
            .store
            .affected_keys()?
            .into_iter()
            .filter_map(|(ecosystem, name)| Some((Ecosystem::from_osv(&ecosystem)?, name)))
            .collect())
    }

    pub fn query(&mut self, purl: &str) -> Result<api::QueryResult, EngineError> {
        let failed = |error: String| api::QueryResult {
            purl: purl.to_string(),
            advisories: vec![],
            error: Some(error),
        };
        let package = match PackageRef::parse_purl(purl) {
            Ok(package) => package,
            Err(e) => return Ok(failed(e.to_string())),
        };
        let lookup = self.advisories_for(&package)?;
        Ok(api::QueryResult {
            purl: purl.to_string(),
            advisories: lookup
                .advisories
                .iter()
                .map(crate::convert::advisory)
                .collect(),
            error: lookup.problem.map(|problem| match problem {
                Unmatched::NoVersion => format!("{purl}: the purl has no version"),
                Unmatched::InvalidVersion(e) => e,
            }),
        })
    }

    /// Facts about stored components, for policy evaluation. Components that cannot be matched
    /// (no version, a version their ecosystem rejects) have no advisory facts.
    pub fn facts(
        &mut self,
        components: &[ComponentRow],
    ) -> Result<Vec<ComponentFacts>, EngineError> {
        let mut out = Vec::with_capacity(components.len());
        for component in components {
            let advisories = match PackageRef::parse_purl(&component.purl) {
                Ok(package) => self.advisories_for(&package)?.advisories.to_vec(),
                Err(_) => Vec::new(),
            };
            out.push(ComponentFacts {
                purl: component.purl.clone(),
                has_purl: true,
                version: component.version.clone().filter(|v| !v.is_empty()),
                license: component.license.as_ref().map(license_fact),
                license_unrecorded: !component
                    .evidence
                    .iter()
                    .any(|path| vigil_inventory::records_licenses(path)),
                advisories,
            });
        }
        Ok(out)
    }
}

fn license_fact(license: &vigil_model::License) -> LicenseFact {
    LicenseFact {
        expression: license.expression.clone(),
        raw: license.raw.clone(),
    }
}

/// The facts of an SBOM entry Vigil could not place: it matches no advisory, but license and
/// unknown-component policies still see it.
pub fn unidentified_facts(row: &vigil_store::UnidentifiedRow) -> ComponentFacts {
    let purl = row.purl.clone().unwrap_or_else(|| match &row.version {
        Some(version) => format!("{}@{version}", row.name),
        None => row.name.clone(),
    });
    ComponentFacts {
        purl,
        has_purl: false,
        version: row.version.clone().filter(|v| !v.is_empty()),
        license: row.license.as_ref().map(license_fact),
        // Only SBOMs have unidentified entries, and SBOMs record licenses.
        license_unrecorded: false,
        advisories: Vec::new(),
    }
}

/// The `fixed` events of an entry's version ranges (a `GIT` range's fix is a commit, which
/// no user can upgrade to by name).
fn fixed_versions(entry: &vigil_advisories::osv::Affected) -> Vec<String> {
    let mut fixed: Vec<String> = entry
        .ranges
        .iter()
        .filter(|range| range.kind != "GIT")
        .flat_map(|range| range.events.iter().filter_map(|e| e.fixed.clone()))
        .collect();
    fixed.sort();
    fixed.dedup();
    fixed
}

/// Merges the records of one vulnerability: OSV publishes it under several ids (a CVE as a
/// GHSA and a PYSEC record, say) that name each other in `aliases`. One vulnerability is one
/// entry, under the smallest id of its group, with every other id among its aliases and the
/// highest score of the group, so that it is counted, shown and alerted once.
pub fn group_aliases(facts: Vec<AdvisoryFact>) -> Vec<AdvisoryFact> {
    if facts.len() < 2 {
        return facts;
    }
    // Union-find over the facts, joined when one's id or alias is another's id or alias.
    let mut parent: Vec<usize> = (0..facts.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (index, fact) in facts.iter().enumerate() {
        for name in std::iter::once(&fact.id).chain(fact.aliases.iter()) {
            match owner.get(name.as_str()) {
                Some(&other) => {
                    let (a, b) = (root(&mut parent, index), root(&mut parent, other));
                    parent[a.max(b)] = a.min(b);
                }
                None => {
                    owner.insert(name, index);
                }
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<AdvisoryFact>> =
        std::collections::BTreeMap::new();
    let roots: Vec<usize> = (0..facts.len()).map(|i| root(&mut parent, i)).collect();
    for (fact, group) in facts.into_iter().zip(roots) {
        groups.entry(group).or_default().push(fact);
    }
    let mut merged: Vec<AdvisoryFact> = groups
        .into_values()
        .map(|mut group| {
            group.sort_by(|a, b| a.id.cmp(&b.id));
            let mut primary = group.remove(0);
            for other in group {
                primary.aliases.push(other.id);
                primary.aliases.extend(other.aliases);
                if primary.summary.is_empty() {
                    primary.summary = other.summary;
                }
                let higher = match (other.score, primary.score) {
                    (Some(theirs), Some(ours)) => theirs > ours,
                    (Some(_), None) => true,
                    (None, Some(_)) | (None, None) => {
                        primary.rating.is_none() && other.rating.is_some()
                    }
                };
                if higher {
                    primary.score = other.score;
                    primary.rating = other.rating;
                    primary.vector = other.vector;
                }
                primary.kev |= other.kev;
                primary.fixed.extend(other.fixed);
                primary.fixed.sort();
                primary.fixed.dedup();
                primary.epss = match (primary.epss, other.epss) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                };
            }
            let id = primary.id.clone();
            primary.aliases.sort();
            primary.aliases.dedup();
            primary.aliases.retain(|alias| *alias != id);
            primary
        })
        .collect();
    merged.sort_by(|a, b| a.id.cmp(&b.id));
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(id: &str, aliases: &[&str], score: Option<f64>) -> AdvisoryFact {
        AdvisoryFact {
            id: id.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            summary: format!("{id} summary"),
            score,
            rating: score.map(|_| "HIGH".into()),
            vector: score.map(|score| format!("vector of {id} ({score})")),
            kev: id == "PYSEC-2020-1",
            epss: None,
            fixed: vec![format!("{id}-fix")],
        }
    }

    #[test]
    fn records_of_one_vulnerability_become_one_entry() {
        let grouped = group_aliases(vec![
            fact(
                "PYSEC-2019-10",
                &["CVE-2019-12781", "GHSA-6c7v-2f49-8h26"],
                None,
            ),
            fact("GHSA-6c7v-2f49-8h26", &["CVE-2019-12781"], Some(5.3)),
            fact("PYSEC-2020-1", &["CVE-2020-1"], None),
            // Joined only through a shared alias.
            fact("GHSA-aaaa", &["CVE-2020-1"], Some(7.5)),
            fact("OSV-UNRELATED", &[], None),
        ]);
        let summary: Vec<(&str, Vec<&str>, Option<f64>)> = grouped
            .iter()
            .map(|f| {
                (
                    f.id.as_str(),
                    f.aliases.iter().map(String::as_str).collect(),
                    f.score,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "GHSA-6c7v-2f49-8h26",
                    vec!["CVE-2019-12781", "PYSEC-2019-10"],
                    Some(5.3)
                ),
                ("GHSA-aaaa", vec!["CVE-2020-1", "PYSEC-2020-1"], Some(7.5)),
                ("OSV-UNRELATED", vec![], None),
            ]
        );
        assert!(
            grouped[1].kev,
            "a KEV flag on any record of the group flags the vulnerability"
        );
        assert_eq!(
            grouped[1].fixed,
            ["GHSA-aaaa-fix", "PYSEC-2020-1-fix"],
            "the fixes of every record of the group"
        );
    }

    #[test]
    fn the_vector_shown_is_the_one_that_gave_the_score() {
        let grouped = group_aliases(vec![
            fact("CVE-2021-1", &["GHSA-bbbb"], Some(5.0)),
            fact("GHSA-bbbb", &[], Some(9.8)),
        ]);
        assert_eq!(grouped.len(), 1);
        assert_eq!(grouped[0].id, "CVE-2021-1");
        assert_eq!(grouped[0].score, Some(9.8));
        assert_eq!(
            grouped[0].vector.as_deref(),
            Some("vector of GHSA-bbbb (9.8)")
        );
    }
}

/// Longest advisory headline a violation carries. Records without a summary give their
/// details' first paragraph (PYSEC's run to a kilobyte), and a component with hundreds of
/// advisories (tensorflow) would make every stored violation hundreds of kilobytes; the whole
/// text stays in the advisory store.
const HEADLINE_CHARS: usize = 200;

/// The first sentence of an advisory's summary, or its first `HEADLINE_CHARS` characters cut
/// at a word, with an ellipsis.
pub(crate) fn headline(summary: &str) -> String {
    let summary = summary.trim();
    if summary.chars().count() <= HEADLINE_CHARS {
        return summary.to_string();
    }
    let cut: String = summary.chars().take(HEADLINE_CHARS).collect();
    if let Some(end) = cut.find(". ").filter(|&end| end >= 40) {
        return cut[..=end].to_string();
    }
    let at_word = cut.rfind(' ').filter(|&i| i >= HEADLINE_CHARS / 2).unwrap_or(cut.len());
    format!("{}…", cut[..at_word].trim_end())
}

#[cfg(test)]
mod headline_tests {
    use super::headline;

    #[test]
    fn long_summaries_become_a_sentence_or_are_cut_at_a_word() {
        assert_eq!(headline("  Short one.  "), "Short one.");
        let pysec = format!(
            "In Tensorflow before versions 1.15.4 the `tf.raw_ops.Switch` operation takes a tensor. {}",
            "More words follow here. ".repeat(20)
        );
        assert_eq!(
            headline(&pysec),
            "In Tensorflow before versions 1.15.4 the `tf.raw_ops.Switch` operation takes a tensor."
        );
        let run_on = "word ".repeat(100);
        let cut = headline(&run_on);
        assert!(cut.ends_with("word…") && cut.chars().count() <= 201, "{cut}");
    }
}
