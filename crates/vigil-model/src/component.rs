use std::{collections::HashMap, path::PathBuf};

use crate::{Ecosystem, PackageRef};

/// How a component came into the application, where the format says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    Direct,
    Transitive,
    Dev,
    Unknown,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Direct => "direct",
            Scope::Transitive => "transitive",
            Scope::Dev => "dev",
            Scope::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Scope {
        match s {
            "direct" => Scope::Direct,
            "transitive" => Scope::Transitive,
            "dev" => Scope::Dev,
            _ => Scope::Unknown,
        }
    }
}

/// How a component's identity (its purl) was established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Identification {
    /// The artifact names the package outright: a lockfile entry, a `pom.properties`, an
    /// SBOM's purl, a package database.
    #[default]
    Exact,
    /// Read off a jar's `MANIFEST.MF` headers (`Bundle-SymbolicName`, `Implementation-*`),
    /// which name no Maven coordinates themselves: a strong hint, not a statement.
    Manifest,
}

impl Identification {
    pub fn as_str(self) -> &'static str {
        match self {
            Identification::Exact => "exact",
            Identification::Manifest => "manifest",
        }
    }

    pub fn parse(s: &str) -> Identification {
        match s {
            "manifest" => Identification::Manifest,
            _ => Identification::Exact,
        }
    }

    /// How sure the identification is, 0 to 1, as CycloneDX's `evidence.identity.confidence`
    /// puts it: a manifest's headers were mapped to coordinates through a curated table.
    pub fn confidence(self) -> f64 {
        match self {
            Identification::Exact => 1.0,
            Identification::Manifest => 0.7,
        }
    }
}

/// Where in an artifact a component was found: a path, with nested archives joined by `!/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Evidence(pub String);

/// A component's declared license: the text the artifact gives, and its SPDX form where it has one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct License {
    /// A valid SPDX expression (`MIT OR Apache-2.0`) when the raw text could be normalised to one.
    pub expression: Option<String>,
    /// Exactly what the artifact says (`Apache License, Version 2.0`, `MIT`, a URL...).
    pub raw: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HashAlgorithm {
    Md5,
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl HashAlgorithm {
    /// The CycloneDX spelling (`SHA-1`), also used in Vigil's own output.
    pub fn as_str(self) -> &'static str {
        match self {
            HashAlgorithm::Md5 => "MD5",
            HashAlgorithm::Sha1 => "SHA-1",
            HashAlgorithm::Sha256 => "SHA-256",
            HashAlgorithm::Sha384 => "SHA-384",
            HashAlgorithm::Sha512 => "SHA-512",
        }
    }

    /// Reads CycloneDX (`SHA-256`), SPDX (`SHA256`) and lockfile (`sha256`) spellings.
    pub fn parse(s: &str) -> Option<HashAlgorithm> {
        match s.to_ascii_uppercase().replace(['-', '_'], "").as_str() {
            "MD5" => Some(HashAlgorithm::Md5),
            "SHA1" => Some(HashAlgorithm::Sha1),
            "SHA256" => Some(HashAlgorithm::Sha256),
            "SHA384" => Some(HashAlgorithm::Sha384),
            "SHA512" => Some(HashAlgorithm::Sha512),
            _ => None,
        }
    }
}

/// A digest of the file a component was found in (a jar, a wheel) or that its lockfile pins.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Hash {
    pub algorithm: HashAlgorithm,
    /// Lower-case hex.
    pub value: String,
}

/// One package found in an artifact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    pub package: PackageRef,
    pub scope: Scope,
    pub evidence: Vec<Evidence>,
    pub license: Option<License>,
    pub hashes: Vec<Hash>,
    pub identified_by: Identification,
}

/// Something an SBOM lists that names no package Vigil can identify: no purl, or a purl type
/// of no supported ecosystem. Kept, so that policies can flag unknown components, never matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnidentifiedComponent {
    pub name: String,
    pub version: Option<String>,
    /// The purl as written, when it has one Vigil cannot place.
    pub purl: Option<String>,
    pub license: Option<License>,
    pub hashes: Vec<Hash>,
    pub evidence: Vec<Evidence>,
}

impl Component {
    /// A component with nothing known but its package and where it was found.
    pub fn new(package: PackageRef, scope: Scope, evidence: Evidence) -> Component {
        Component {
            package,
            scope,
            evidence: vec![evidence],
            license: None,
            hashes: Vec::new(),
            identified_by: Identification::Exact,
        }
    }

    pub fn purl(&self) -> String {
        self.package.to_purl()
    }

    pub fn ecosystem(&self) -> Ecosystem {
        self.package.ecosystem
    }
}

/// Something the scan could not read; the scan goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanWarning {
    pub path: PathBuf,
    pub message: String,
}

/// A snapshot of an artifact's components: sorted by purl, one entry per purl.
#[derive(Clone, Default)]
pub struct Inventory {
    pub components: Vec<Component>,
    pub unidentified: Vec<UnidentifiedComponent>,
    pub warnings: Vec<ScanWarning>,
    /// Where each purl sits in `components`, so that [`Inventory::add`] costs one hash look-up.
    index: PurlIndex,
}

/// purl → position in `components`, covering `components[..covered]`.
///
/// `components` stays a public `Vec` that extractors fill by pushing and that may be sorted, so
/// the index trusts nothing it did not check: entries pushed directly are indexed on the next
/// [`Inventory::add`], a position is used only after its component's purl is compared, and a
/// list that shrank or moved is indexed again from scratch (once, not per look-up). The one edit
/// it cannot see is overwriting an entry in place with another package, list length unchanged;
/// no caller does, and [`Inventory::normalize`] starts the index afresh.
#[derive(Clone, Default)]
struct PurlIndex {
    positions: HashMap<String, usize>,
    covered: usize,
}

impl PurlIndex {
    fn clear(&mut self) {
        self.positions.clear();
        self.covered = 0;
    }

    /// Indexes what was pushed since the last call; starts again when the list shrank.
    fn catch_up(&mut self, components: &[Component]) {
        if self.covered > components.len() {
            self.clear();
        }
        for (i, component) in components.iter().enumerate().skip(self.covered) {
            // The first of equal purls pushed directly is the one merged into, as a scan would.
            self.positions.entry(component.purl()).or_insert(i);
        }
        self.covered = components.len();
    }

    /// The position of the component with this purl, if there is one.
    fn find(&mut self, components: &[Component], purl: &str) -> Option<usize> {
        self.catch_up(components);
        let checked = |i: usize| components.get(i).is_some_and(|c| c.purl() == purl);
        match self.positions.get(purl).copied() {
            Some(i) if checked(i) => Some(i),
            // Moved (sorted, replaced): every position may be stale.
            Some(_) => {
                self.clear();
                self.catch_up(components);
                self.positions.get(purl).copied().filter(|&i| checked(i))
            }
            None => None,
        }
    }
}

impl PartialEq for Inventory {
    /// Two inventories are equal when they hold the same things; the index is bookkeeping.
    fn eq(&self, other: &Self) -> bool {
        self.components == other.components
            && self.unidentified == other.unidentified
            && self.warnings == other.warnings
    }
}

impl Eq for Inventory {}

impl std::fmt::Debug for Inventory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inventory")
            .field("components", &self.components)
            .field("unidentified", &self.unidentified)
            .field("warnings", &self.warnings)
            .finish_non_exhaustive()
    }
}

impl Inventory {
    /// Adds a component, merging it into an existing one with the same purl: a component found
    /// twice is one component with two evidences. The most specific scope wins. Adding N
    /// components costs O(N) purl look-ups, whoever the caller (see [`PurlIndex`]).
    pub fn add(&mut self, component: Component) {
        let purl = component.purl();
        match self.index.find(&self.components, &purl) {
            Some(i) => merge(&mut self.components[i], component),
            None => {
                self.index.positions.insert(purl, self.components.len());
                self.components.push(component);
                self.index.covered = self.components.len();
            }
        }
    }

    /// Merges another inventory into this one.
    pub fn extend(&mut self, other: Inventory) {
        for component in other.components {
            self.add(component);
        }
        self.unidentified.extend(other.unidentified);
        self.warnings.extend(other.warnings);
    }

    /// Sorts everything so that output is deterministic.
    pub fn normalize(&mut self) {
        for component in &mut self.components {
            component.evidence.sort();
            component.hashes.sort();
        }
        self.components.sort_by_key(|c| c.purl());
        self.index.clear();
        for component in &mut self.unidentified {
            component.evidence.sort();
            component.hashes.sort();
        }
        self.unidentified.sort_by(|a, b| {
            (&a.name, &a.version, &a.evidence).cmp(&(&b.name, &b.version, &b.evidence))
        });
        self.warnings
            .sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    }
}

/// One component found again: its evidences and hashes joined, the most specific scope, the
/// first declared license, the surest identification.
fn merge(existing: &mut Component, component: Component) {
    for evidence in component.evidence {
        if !existing.evidence.contains(&evidence) {
            existing.evidence.push(evidence);
        }
    }
    existing.scope = existing.scope.min(component.scope);
    for hash in component.hashes {
        if !existing.hashes.contains(&hash) {
            existing.hashes.push(hash);
        }
    }
    if existing.license.is_none() {
        existing.license = component.license;
    }
    // Found exactly anywhere is found exactly.
    existing.identified_by = existing.identified_by.min(component.identified_by);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn component(name: &str, version: &str, scope: Scope, evidence: &str) -> Component {
        Component::new(
            PackageRef::new(Ecosystem::Npm, name, Some(version.into())),
            scope,
            Evidence(evidence.into()),
        )
    }

    #[test]
    fn a_component_found_twice_is_one_component_with_two_evidences() {
        let mut inventory = Inventory::default();
        inventory.add(component(
            "a",
            "1.0.0",
            Scope::Transitive,
            "x/package-lock.json",
        ));
        inventory.add(component(
            "a",
            "1.0.0",
            Scope::Direct,
            "y/package-lock.json",
        ));
        inventory.add(component("a", "2.0.0", Scope::Dev, "x/package-lock.json"));
        assert_eq!(inventory.components.len(), 2);
        assert_eq!(inventory.components[0].evidence.len(), 2);
        assert_eq!(inventory.components[0].scope, Scope::Direct);
    }

    #[test]
    fn a_component_found_exactly_anywhere_is_identified_exactly() {
        let mut inventory = Inventory::default();
        let mut by_manifest =
            component("a", "1.0.0", Scope::Unknown, "a.jar!/META-INF/MANIFEST.MF");
        by_manifest.identified_by = Identification::Manifest;
        inventory.add(by_manifest.clone());
        assert_eq!(
            inventory.components[0].identified_by,
            Identification::Manifest
        );
        inventory.add(component("a", "1.0.0", Scope::Direct, "pom.xml"));
        inventory.add(by_manifest);
        assert_eq!(inventory.components[0].identified_by, Identification::Exact);
        assert_eq!(
            Identification::parse(Identification::Manifest.as_str()),
            Identification::Manifest
        );
    }

    fn hash(value: &str) -> Hash {
        Hash {
            algorithm: HashAlgorithm::Sha256,
            value: value.into(),
        }
    }

    /// Many adds, every third one a package seen before: each merge keeps evidences, hashes,
    /// the most specific scope and the first license, as a linear search would.
    #[test]
    fn many_adds_merge_duplicates_and_keep_the_rest() {
        let scopes = [Scope::Unknown, Scope::Dev, Scope::Transitive, Scope::Direct];
        let mut inventory = Inventory::default();
        let packages = 3_000;
        for round in 0..3 {
            for n in 0..packages {
                let mut c = component(
                    &format!("p{n}"),
                    "1.0.0",
                    scopes[(n + round) % 4],
                    &format!("r{round}/package-lock.json"),
                );
                c.hashes = vec![hash(&format!("{n}-{}", round % 2))];
                if round > 0 {
                    c.license = Some(License {
                        expression: Some(format!("L{round}")),
                        raw: format!("L{round}"),
                    });
                }
                inventory.add(c);
            }
        }
        assert_eq!(inventory.components.len(), packages);
        for (n, c) in inventory.components.iter().enumerate() {
            assert_eq!(c.package.name, format!("p{n}"));
            let evidence: Vec<&str> = c.evidence.iter().map(|e| e.0.as_str()).collect();
            assert_eq!(
                evidence,
                [
                    "r0/package-lock.json",
                    "r1/package-lock.json",
                    "r2/package-lock.json"
                ]
            );
            let expected_scope = (0..3).map(|round| scopes[(n + round) % 4]).min().unwrap();
            assert_eq!(c.scope, expected_scope, "p{n}");
            assert_eq!(c.hashes, [hash(&format!("{n}-0")), hash(&format!("{n}-1"))]);
            assert_eq!(
                c.license.as_ref().unwrap().raw,
                "L1",
                "the first license stays"
            );
        }
    }

    /// Extractors push onto `components` and callers sort it; `add` still finds what is there.
    #[test]
    fn adds_after_direct_pushes_and_sorting_still_merge() {
        let mut inventory = Inventory::default();
        inventory
            .components
            .push(component("b", "1.0.0", Scope::Dev, "pushed"));
        inventory
            .components
            .push(component("a", "1.0.0", Scope::Dev, "pushed"));
        inventory.add(component("b", "1.0.0", Scope::Direct, "added"));
        assert_eq!(inventory.components.len(), 2);
        assert_eq!(inventory.components[0].scope, Scope::Direct);
        inventory.normalize();
        inventory.add(component("b", "1.0.0", Scope::Direct, "again"));
        inventory.components.reverse();
        inventory.add(component("a", "1.0.0", Scope::Transitive, "added"));
        inventory.components.truncate(1);
        inventory.add(component("c", "1.0.0", Scope::Dev, "added"));
        inventory.add(component("a", "1.0.0", Scope::Dev, "re-added"));
        let found: Vec<(String, Vec<String>)> = inventory
            .components
            .iter()
            .map(|c| {
                (
                    c.purl(),
                    c.evidence.iter().map(|e| e.0.clone()).collect::<Vec<_>>(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    "pkg:npm/b@1.0.0".to_string(),
                    // `normalize` sorted the first two.
                    vec!["added".to_string(), "pushed".into(), "again".into()]
                ),
                ("pkg:npm/c@1.0.0".into(), vec!["added".into()]),
                ("pkg:npm/a@1.0.0".into(), vec!["re-added".into()]),
            ]
        );
    }

    #[test]
    fn equal_inventories_compare_equal_whatever_their_index_holds() {
        let mut added = Inventory::default();
        added.add(component("a", "1.0.0", Scope::Dev, "x"));
        let mut pushed = Inventory::default();
        pushed
            .components
            .push(component("a", "1.0.0", Scope::Dev, "x"));
        assert_eq!(added, pushed);
    }
}
