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

/// Where in an artifact a component was found: a path, with nested archives joined by `!/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Evidence(pub String);

/// One package found in an artifact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    pub package: PackageRef,
    pub scope: Scope,
    pub evidence: Vec<Evidence>,
}

impl Component {
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
    pub warnings: Vec<ScanWarning>,
}

impl Inventory {
    /// Adds a component, merging it into an existing one with the same purl: a component found
    /// twice is one component with two evidences. The most specific scope wins.
    pub fn add(&mut self, component: Component) {
        let purl = component.purl();
        match self.components.iter_mut().find(|c| c.purl() == purl) {
            Some(existing) => {
                for evidence in component.evidence {
                    if !existing.evidence.contains(&evidence) {
                        existing.evidence.push(evidence);
                    }
                }
                existing.scope = existing.scope.min(component.scope);
            }
            None => self.components.push(component),
        }
    }

    /// Merges another inventory into this one.
    pub fn extend(&mut self, other: Inventory) {
        for component in other.components {
            self.add(component);
        }
        self.warnings.extend(other.warnings);
    }

    /// Sorts everything so that output is deterministic.
    pub fn normalize(&mut self) {
        for component in &mut self.components {
            component.evidence.sort();
        }
        self.components.sort_by_key(|c| c.purl());
        self.warnings.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn component(name: &str, version: &str, scope: Scope, evidence: &str) -> Component {
        Component {
            package: PackageRef::new(Ecosystem::Npm, name, Some(version.into())),
            scope,
            evidence: vec![Evidence(evidence.into())],
        }
    }

    #[test]
    fn a_component_found_twice_is_one_component_with_two_evidences() {
        let mut inventory = Inventory::default();
        inventory.add(component("a", "1.0.0", Scope::Transitive, "x/package-lock.json"));
        inventory.add(component("a", "1.0.0", Scope::Direct, "y/package-lock.json"));
        inventory.add(component("a", "2.0.0", Scope::Dev, "x/package-lock.json"));
        assert_eq!(inventory.components.len(), 2);
        assert_eq!(inventory.components[0].evidence.len(), 2);
        assert_eq!(inventory.components[0].scope, Scope::Direct);
    }
}
