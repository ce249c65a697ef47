use std::path::PathBuf;

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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inventory {
    pub components: Vec<Component>,
    pub unidentified: Vec<UnidentifiedComponent>,
    pub warnings: Vec<ScanWarning>,
}

impl Inventory {
    /// Adds a component, merging it into an existing one with the same purl: a component found
    /// twice is one component with two evidences. The most specific scope wins.
    pub fn add(&mut self, component: Component) {
        let purl = component.purl();
        // Equal purls have equal ecosystems, versions and name keys: comparing those first spares
        // building a purl per existing component (an SBOM of thousands of components took minutes).
        let key = component.package.key();
        let same = |c: &Component| {
            c.package.ecosystem == component.package.ecosystem
                && c.package.version == component.package.version
                && c.package.key() == key
                && c.purl() == purl
        };
        match self.components.iter_mut().find(|c| same(c)) {
            Some(existing) => {
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
            None => self.components.push(component),
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
}
