//! Maven's `pom.xml`: the dependencies a project declares
//! (https://maven.apache.org/pom.html, https://maven.apache.org/guides/introduction/introduction-to-dependency-mechanism.html).
//!
//! Only what the scanned files say is read; there is no network, so what Maven would take from
//! elsewhere becomes a warning that names the dependency, never a guess:
//!
//! - The parent pom is read when it is in the same scanned tree (a multi-module checkout, also
//!   inside an archive): at `<relativePath>` (default `../pom.xml`; an empty one means none)
//!   when that pom has the parent's groupId, artifactId and version, else any scanned pom that
//!   has them, as Maven's reactor finds it. The scanner holds a tree's poms in a [`PomTree`]
//!   and reads them together once the tree is walked. A child inherits its ancestors'
//!   `<properties>` and `<dependencyManagement>` (the nearest wins; the child's own win over
//!   all), interpolated in the child, as Maven does; chains are cut at
//!   [`MAX_PARENT_DEPTH`] and cycles are reported. A parent's `<dependencies>` are its own
//!   file's components and not repeated for each module.
//! - `${property}` is interpolated from the `<properties>` (nested, with cycles detected) and
//!   `project.version`, `project.groupId`, `project.artifactId`, `project.parent.*` (also
//!   spelled `pom.*`); anything else (`env.*`, a property of a parent outside the tree) leaves
//!   the dependency unresolved.
//! - A dependency without a version takes it from `<dependencyManagement>`, as Maven does; a
//!   version that only a parent pom outside the tree or an imported BOM could give is a
//!   warning.
//!   A version written on the dependency wins over the managed one, as in Maven.
//! - Entries of `<dependencyManagement>` are constraints, not dependencies, and `import`-scope
//!   BOMs there are not dependencies either.
//! - `test` and `provided` scopes are [`Scope::Dev`] (not shipped with the application); the
//!   others are [`Scope::Direct`].
//! - Version ranges (`[1.0,2.0)`) and `LATEST`/`RELEASE` name no single version, and a `system`
//!   scope dependency is a jar from the local disk, not a repository package: warnings.
//! - Profiles: only those `<activeByDefault>true</activeByDefault>` are read (their properties,
//!   dependencies and dependency management), as a plain `mvn` build would use; the others depend
//!   on the build's environment and are reported in a warning when they declare dependencies.
//!
//! A `pom.xml` inside a jar (`META-INF/maven/<group>/<artifact>/pom.xml`) describes that jar,
//! which the archive reader already records; its dependencies are not the scanned application's
//! and are not read.

use std::{collections::BTreeMap, path::Path};

use vigil_model::{Component, Ecosystem, Evidence, PackageRef, Scope};

use super::{
    cyclonedx::inside_installed_package, file_name, xml, ExtractOutput, Extractor, FileInput,
};

pub struct PomXml;

/// Properties referring to properties: real poms chain two or three.
const MAX_INTERPOLATION_DEPTH: usize = 32;

/// Parents of parents: real projects chain three or four (module, aggregator, company parent).
pub(crate) const MAX_PARENT_DEPTH: usize = 16;

/// The poms one tree may hold for reading together; beyond, each is read alone. Poms are tens
/// of kilobytes: this is thousands of modules.
const MAX_HELD_BYTES: usize = 64 << 20;

impl Extractor for PomXml {
    fn name(&self) -> &'static str {
        "maven/pom-xml"
    }

    fn version(&self) -> u32 {
        2
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "pom.xml"
            && !path.to_string_lossy().contains("META-INF/maven/")
            && !inside_installed_package(path)
    }

    fn sniff(&self, head: &[u8]) -> bool {
        let head = String::from_utf8_lossy(&head[..head.len().min(4096)]);
        head.contains("<project")
            && (head.contains("http://maven.apache.org/POM/")
                || head.contains("<modelVersion>")
                || head.contains("<dependencies>")
                || head.contains("<artifactId>"))
    }

    fn extract(&self, input: &FileInput<'_>) -> Result<ExtractOutput, String> {
        let project = self.extract_project(input.bytes)?;
        let mut warnings = Vec::new();
        let pom = Pom::new(&project, &mut warnings);
        Ok(pom.read(&input.path.display().to_string(), warnings))
    }
}

/// The poms of one scanned tree, held until the tree has been walked, so that each is read
/// with its parents (see the module documentation).
#[derive(Debug, Default)]
pub(crate) struct PomTree {
    poms: Vec<(String, Vec<u8>)>,
    held: usize,
}

impl PomTree {
    /// Holds a pom for [`PomTree::resolve`]; `Some(why)` when the tree holds too much already
    /// and the pom is to be read alone now.
    pub(crate) fn hold(&mut self, path: &str, bytes: &[u8]) -> Option<String> {
        if self.held + bytes.len() > MAX_HELD_BYTES {
            return Some(format!(
                "more than {} MiB of pom.xml in this tree: read without its parents",
                MAX_HELD_BYTES >> 20
            ));
        }
        self.held += bytes.len();
        self.poms.push((path.to_string(), bytes.to_vec()));
        None
    }

    /// Reads every held pom with its parents among them, and empties the tree.
    pub(crate) fn resolve(&mut self) -> Vec<(String, Result<ExtractOutput, String>)> {
        let held = std::mem::take(&mut self.poms);
        self.held = 0;
        // Paths as the walk wrote them, for evidence; `/`-separated ones to find parents by.
        let written: Vec<String> = held.iter().map(|(path, _)| path.clone()).collect();
        let parsed: Vec<(String, Result<xml::Element, String>)> = held
            .into_iter()
            .map(|(path, bytes)| {
                let project = PomXml.extract_project(&bytes);
                (path.replace('\\', "/"), project)
            })
            .collect();
        let mut own_warnings: Vec<Vec<String>> = Vec::new();
        let poms: Vec<Option<Pom<'_>>> = parsed
            .iter()
            .map(|(_, project)| {
                let mut warnings = Vec::new();
                let pom = project.as_ref().ok().map(|p| Pom::new(p, &mut warnings));
                own_warnings.push(warnings);
                pom
            })
            .collect();
        let mut out = Vec::new();
        for (i, (path, project)) in parsed.iter().enumerate() {
            let (project, pom) = match (project, &poms[i]) {
                (Ok(project), Some(pom)) => (project, pom),
                (Err(why), _) => {
                    out.push((written[i].clone(), Err(why.clone())));
                    continue;
                }
                (Ok(_), None) => unreachable!("a pom is built from every parsed project"),
            };
            let mut pom = pom.clone();
            let mut warnings = std::mem::take(&mut own_warnings[i]);
            let mut seen = vec![i];
            let mut child = project;
            let mut child_path = path.as_str();
            while let Some(parent) = child.child("parent") {
                let coordinates = coordinates_of(parent);
                let Some(found) = find_parent(&parsed, child_path, parent, &coordinates) else {
                    pom.unread_parent = Some(coordinates);
                    break;
                };
                if seen.contains(&found) {
                    warnings.push(format!(
                        "the parent poms form a cycle at {coordinates} ({}); its inheritance was not read",
                        parsed[found].0
                    ));
                    pom.unread_parent = Some(coordinates);
                    break;
                }
                if seen.len() > MAX_PARENT_DEPTH {
                    warnings.push(format!(
                        "more than {MAX_PARENT_DEPTH} parent poms; {coordinates} and above were not read"
                    ));
                    pom.unread_parent = Some(coordinates);
                    break;
                }
                seen.push(found);
                let Some(ancestor) = &poms[found] else { break };
                pom.inherit(ancestor, &coordinates);
                pom.unread_parent = None;
                child = parsed[found].1.as_ref().expect("a pom was built from it");
                child_path = &parsed[found].0;
            }
            out.push((written[i].clone(), Ok(pom.read(&written[i], warnings))));
        }
        out
    }
}

/// `groupId:artifactId:version` as written.
fn coordinates_of(element: &xml::Element) -> String {
    ["groupId", "artifactId", "version"]
        .map(|f| element.child_text(f).unwrap_or_default())
        .join(":")
}

/// The pom's own coordinates, the groupId and version inherited from its `<parent>` element.
fn own_coordinates(project: &xml::Element) -> String {
    let parent = project.child("parent");
    let field = |f: &str| {
        project
            .child_text(f)
            .or_else(|| parent.and_then(|p| p.child_text(f)))
            .unwrap_or_default()
    };
    format!(
        "{}:{}:{}",
        field("groupId"),
        project.child_text("artifactId").unwrap_or_default(),
        field("version")
    )
}

/// The held pom that is `parent` of the pom at `child_path`: at its relative path when that
/// pom has its coordinates, else the first held pom that has them.
fn find_parent(
    parsed: &[(String, Result<xml::Element, String>)],
    child_path: &str,
    parent: &xml::Element,
    coordinates: &str,
) -> Option<usize> {
    let is_it = |i: &usize| {
        parsed[*i]
            .1
            .as_ref()
            .is_ok_and(|p| own_coordinates(p) == coordinates)
    };
    let relative = match parent.child("relativePath") {
        Some(r) => r.text.trim(),
        None => "../pom.xml",
    };
    let at_path = (!relative.is_empty())
        .then(|| beside(child_path, relative))
        .flatten()
        .and_then(|path| parsed.iter().position(|(p, _)| *p == path))
        .filter(is_it);
    at_path.or_else(|| (0..parsed.len()).find(is_it))
}

/// `relative` (a pom or its folder) resolved against the folder of `path`, never leaving the
/// archive `path` is in (`a.tar!/x/pom.xml`).
fn beside(path: &str, relative: &str) -> Option<String> {
    let mut segments: Vec<&str> = path.split('/').collect();
    segments.pop();
    let relative = relative.replace('\\', "/");
    for segment in relative.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                let last = segments.pop()?;
                if last.ends_with('!') || last.is_empty() {
                    return None;
                }
            }
            other => segments.push(other),
        }
    }
    if !relative.ends_with(".xml") {
        segments.push("pom.xml");
    }
    Some(segments.join("/"))
}

impl PomXml {
    fn extract_project(&self, bytes: &[u8]) -> Result<xml::Element, String> {
        let project = xml::parse(bytes)?;
        if project.name != "project" {
            return Err(format!(
                "not a Maven pom: the root element is <{}>, not <project>",
                project.name
            ));
        }
        Ok(project)
    }
}

#[derive(Clone)]
struct Pom<'a> {
    properties: BTreeMap<String, String>,
    /// `(where, <dependency>)`: the project's and its active profiles'.
    dependencies: Vec<(String, &'a xml::Element)>,
    /// The project's, its active profiles' and then its ancestors', nearest first.
    management: Vec<(String, &'a xml::Element)>,
    /// The first ancestor not read (outside the tree, or past a cycle or the depth limit).
    unread_parent: Option<String>,
    /// Whether ancestors were read.
    inherited: bool,
}

/// A managed version and scope, by `groupId:artifactId:type:classifier`.
type Managed = BTreeMap<String, (Option<String>, Option<String>)>;

impl<'a> Pom<'a> {
    fn new(project: &'a xml::Element, warnings: &mut Vec<String>) -> Pom<'a> {
        let mut properties = BTreeMap::new();
        let parent = project.child("parent");
        let parent_field = |f: &str| parent.and_then(|p| p.child_text(f)).map(String::from);
        let own = |f: &str| project.child_text(f).map(String::from);
        let builtins = [
            (
                "groupId",
                own("groupId").or_else(|| parent_field("groupId")),
            ),
            ("artifactId", own("artifactId")),
            (
                "version",
                own("version").or_else(|| parent_field("version")),
            ),
            ("parent.groupId", parent_field("groupId")),
            ("parent.artifactId", parent_field("artifactId")),
            ("parent.version", parent_field("version")),
        ];
        for (key, value) in builtins {
            if let Some(value) = value {
                properties.insert(format!("project.{key}"), value.clone());
                properties.insert(format!("pom.{key}"), value);
            }
        }
        let mut dependencies = Vec::new();
        let mut management = Vec::new();
        let mut read_section =
            |section: &'a xml::Element, origin: &str, properties: &mut BTreeMap<String, String>| {
                if let Some(own) = section.child("properties") {
                    for property in &own.children {
                        properties.insert(property.name.clone(), property.text.trim().to_string());
                    }
                }
                for dependency in section
                    .child("dependencies")
                    .into_iter()
                    .flat_map(|d| d.children_named("dependency"))
                {
                    dependencies.push((origin.to_string(), dependency));
                }
                for dependency in section
                    .child("dependencyManagement")
                    .and_then(|m| m.child("dependencies"))
                    .into_iter()
                    .flat_map(|d| d.children_named("dependency"))
                {
                    management.push((origin.to_string(), dependency));
                }
            };
        read_section(project, "", &mut properties);
        for profile in project
            .child("profiles")
            .into_iter()
            .flat_map(|p| p.children_named("profile"))
        {
            let id = profile.child_text("id").unwrap_or("(no id)");
            let active = profile
                .child("activation")
                .and_then(|a| a.child_text("activeByDefault"))
                == Some("true");
            if active {
                read_section(profile, &format!("profile {id}: "), &mut properties);
            } else {
                let declared = profile
                    .child("dependencies")
                    .map_or(0, |d| d.children_named("dependency").count());
                if declared > 0 {
                    warnings.push(format!(
                        "profile {id} is not active by default; its {declared} dependencies were not read"
                    ));
                }
            }
        }
        let parent = parent.map(|_| {
            [
                parent_field("groupId"),
                parent_field("artifactId"),
                parent_field("version"),
            ]
            .map(Option::unwrap_or_default)
            .join(":")
        });
        Pom {
            properties,
            dependencies,
            management,
            unread_parent: parent,
            inherited: false,
        }
    }

    /// Takes what `ancestor` (the next pom up the chain) gives: its properties where this pom
    /// has none of that name (its `project.*` are its own, not this pom's) and its managed
    /// dependencies after this pom's own.
    fn inherit(&mut self, ancestor: &Pom<'a>, coordinates: &str) {
        for (key, value) in &ancestor.properties {
            if !key.starts_with("project.") && !key.starts_with("pom.") {
                self.properties
                    .entry(key.clone())
                    .or_insert_with(|| value.clone());
            }
        }
        for (origin, dependency) in &ancestor.management {
            self.management
                .push((format!("parent {coordinates}: {origin}"), *dependency));
        }
        self.inherited = true;
    }

    /// The components of the pom's dependencies; `warnings` so far are kept.
    fn read(&self, evidence: &str, mut warnings: Vec<String>) -> ExtractOutput {
        let evidence = Evidence(evidence.to_string());
        let managed = self.managed(&mut warnings);
        let mut components = Vec::new();
        for (origin, dependency) in &self.dependencies {
            if let Some(component) =
                self.dependency(origin, dependency, &managed, &evidence, &mut warnings)
            {
                components.push(component);
            }
        }
        ExtractOutput {
            components,
            warnings,
            ..ExtractOutput::default()
        }
    }

    /// Where the properties came from, for warnings.
    fn defined_in(&self) -> &'static str {
        if self.inherited {
            "this pom or its parents in the tree"
        } else {
            "this file"
        }
    }

    /// `${name}` replaced throughout, or why it could not be.
    fn interpolate(&self, text: &str) -> Result<String, String> {
        self.interpolate_in(text, &mut Vec::new())
    }

    fn interpolate_in(&self, text: &str, stack: &mut Vec<String>) -> Result<String, String> {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let Some(end) = rest[start..].find('}') else {
                return Err(format!("{text:?} has an unclosed \"${{\""));
            };
            let name = &rest[start + 2..start + end];
            if stack.iter().any(|s| s == name) {
                stack.push(name.to_string());
                return Err(format!(
                    "properties refer to each other in a cycle: {}",
                    stack.join(" → ")
                ));
            }
            if stack.len() >= MAX_INTERPOLATION_DEPTH {
                return Err(format!(
                    "properties nested deeper than {MAX_INTERPOLATION_DEPTH} levels"
                ));
            }
            let Some(value) = self.properties.get(name) else {
                return Err(format!(
                    "property {name:?} is not defined in {}",
                    self.defined_in()
                ));
            };
            stack.push(name.to_string());
            out.push_str(&self.interpolate_in(value, stack)?);
            stack.pop();
            rest = &rest[start + end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    fn managed(&self, warnings: &mut Vec<String>) -> Managed {
        let mut managed = Managed::new();
        for (origin, dependency) in &self.management {
            let scope = dependency.child_text("scope");
            if scope == Some("import") {
                continue; // A BOM whose own management is not read here.
            }
            let Ok(key) = self.key(dependency) else {
                continue;
            };
            let version = match dependency
                .child_text("version")
                .map(|v| self.interpolate(v))
            {
                Some(Ok(version)) => Some(version),
                Some(Err(why)) => {
                    warnings.push(format!(
                        "{origin}dependencyManagement {key}: version cannot be resolved: {why}"
                    ));
                    None
                }
                None => None,
            };
            managed
                .entry(key)
                .or_insert((version, scope.map(String::from)));
        }
        managed
    }

    /// `groupId:artifactId:type:classifier`, interpolated.
    fn key(&self, dependency: &xml::Element) -> Result<String, String> {
        let field =
            |f: &str, default: &str| self.interpolate(dependency.child_text(f).unwrap_or(default));
        Ok(format!(
            "{}:{}:{}:{}",
            field("groupId", "")?,
            field("artifactId", "")?,
            field("type", "jar")?,
            field("classifier", "")?
        ))
    }

    fn dependency(
        &self,
        origin: &str,
        dependency: &xml::Element,
        managed: &Managed,
        evidence: &Evidence,
        warnings: &mut Vec<String>,
    ) -> Option<Component> {
        let raw_name = format!(
            "{}:{}",
            dependency.child_text("groupId").unwrap_or(""),
            dependency.child_text("artifactId").unwrap_or("")
        );
        let key = match self.key(dependency) {
            Ok(key) => key,
            Err(why) => {
                warnings.push(format!(
                    "{origin}dependency {raw_name}: {why}; not recorded"
                ));
                return None;
            }
        };
        let name = key.split(':').take(2).collect::<Vec<_>>().join(":");
        let (group, artifact) = name.split_once(':').unwrap_or_default();
        if group.is_empty() || artifact.is_empty() {
            warnings.push(format!(
                "{origin}dependency {name:?} has no groupId or artifactId; not recorded"
            ));
            return None;
        }
        let (managed_version, managed_scope) = managed
            .get(&key)
            .map(|(v, s)| (v.clone(), s.clone()))
            .unwrap_or_default();
        let version = match dependency.child_text("version") {
            Some(version) => match self.interpolate(version) {
                Ok(version) => version,
                Err(why) => {
                    warnings.push(format!(
                        "{origin}dependency {name}: version {version} cannot be resolved: {why}; not recorded"
                    ));
                    return None;
                }
            },
            None => match managed_version {
                Some(version) => version,
                None => {
                    let from = match &self.unread_parent {
                        Some(parent) => format!("the parent pom {parent} or an imported BOM"),
                        None => "an imported BOM".to_string(),
                    };
                    warnings.push(format!(
                        "{origin}dependency {name} has no version in {} (it comes from {from}, which is not read); not recorded",
                        self.defined_in()
                    ));
                    return None;
                }
            },
        };
        if version.starts_with(['[', '(']) || version.contains(',') {
            warnings.push(format!(
                "{origin}dependency {name}: version {version} is a range, not one version; not recorded"
            ));
            return None;
        }
        if matches!(version.as_str(), "LATEST" | "RELEASE") {
            warnings.push(format!(
                "{origin}dependency {name}: version {version} is whatever the repository has now, not one version; not recorded"
            ));
            return None;
        }
        let scope = dependency
            .child_text("scope")
            .map(String::from)
            .or(managed_scope)
            .map(|s| self.interpolate(&s).unwrap_or(s));
        let scope = match scope.as_deref() {
            Some("test" | "provided") => Scope::Dev,
            // A jar from the local disk (`<systemPath>`): its coordinates are whatever the
            // pom's author chose, not a package from a repository.
            Some("system") => {
                warnings.push(format!(
                    "{origin}dependency {name}:{version} has system scope (a jar from the local disk); not recorded"
                ));
                return None;
            }
            _ => Scope::Direct,
        };
        Some(Component::new(
            PackageRef::new(Ecosystem::Maven, name.clone(), Some(version)),
            scope,
            evidence.clone(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::test_support::{self, scoped};

    fn read(text: &str) -> Result<ExtractOutput, String> {
        test_support::extract(&PomXml, "pom.xml", text)
    }

    fn pom(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  {body}
</project>"#
        )
    }

    #[test]
    fn properties_interpolate_nested_and_from_the_project() {
        let out = read(&pom(r#"
  <parent><groupId>org.acme</groupId><artifactId>parent</artifactId><version>7</version></parent>
  <artifactId>app</artifactId>
  <version>1.2.3</version>
  <properties>
    <jackson.version>2.${jackson.minor}</jackson.version>
    <jackson.minor>15.2</jackson.minor>
    <a>${b}</a><b>${c}</b><c>${a}</c>
  </properties>
  <dependencies>
    <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId>
      <version>${jackson.version}</version></dependency>
    <dependency><groupId>${project.groupId}</groupId><artifactId>sibling</artifactId>
      <version>${project.version}</version></dependency>
    <dependency><groupId>org.acme</groupId><artifactId>from-parent</artifactId>
      <version>${project.parent.version}</version></dependency>
    <dependency><groupId>org.acme</groupId><artifactId>old-style</artifactId>
      <version>${pom.version}</version></dependency>
    <dependency><groupId>org.acme</groupId><artifactId>cyclic</artifactId>
      <version>${a}</version></dependency>
    <dependency><groupId>org.acme</groupId><artifactId>undefined</artifactId>
      <version>${parent.only.version}</version></dependency>
    <dependency><groupId>org.acme</groupId><artifactId>env</artifactId>
      <version>${env.VERSION}</version></dependency>
  </dependencies>"#))
        .unwrap();
        assert_eq!(
            scoped(&out),
            [
                (
                    "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.15.2".to_string(),
                    Scope::Direct
                ),
                (
                    "pkg:maven/org.acme/sibling@1.2.3".to_string(),
                    Scope::Direct
                ),
                (
                    "pkg:maven/org.acme/from-parent@7".to_string(),
                    Scope::Direct
                ),
                (
                    "pkg:maven/org.acme/old-style@1.2.3".to_string(),
                    Scope::Direct
                ),
            ]
        );
        assert_eq!(out.warnings.len(), 3, "{:#?}", out.warnings);
        assert!(
            out.warnings[0].contains("org.acme:cyclic")
                && out.warnings[0].contains("cycle: a → b → c → a")
        );
        assert!(
            out.warnings[1].contains("org.acme:undefined")
                && out.warnings[1].contains("\"parent.only.version\" is not defined in this file")
        );
        assert!(out.warnings[2].contains("\"env.VERSION\""));
    }

    #[test]
    fn dependency_management_gives_missing_versions_and_scopes_only() {
        let out = read(&pom(r#"
  <parent><groupId>org.acme</groupId><artifactId>parent</artifactId><version>7</version></parent>
  <properties><netty.version>4.1.42.Final</netty.version></properties>
  <dependencyManagement><dependencies>
    <dependency><groupId>io.netty</groupId><artifactId>netty-all</artifactId><version>${netty.version}</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>1.7.36</version></dependency>
    <dependency><groupId>junit</groupId><artifactId>junit</artifactId><version>4.13.2</version><scope>test</scope></dependency>
    <dependency><groupId>com.google.code.findbugs</groupId><artifactId>jsr305</artifactId><version>3.0.2</version></dependency>
    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-dependencies</artifactId>
      <version>3.2.0</version><type>pom</type><scope>import</scope></dependency>
  </dependencies></dependencyManagement>
  <dependencies>
    <dependency><groupId>io.netty</groupId><artifactId>netty-all</artifactId></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>2.0.9</version></dependency>
    <dependency><groupId>junit</groupId><artifactId>junit</artifactId></dependency>
    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>
    <dependency><groupId>javax.servlet</groupId><artifactId>servlet-api</artifactId><version>2.5</version><scope>provided</scope></dependency>
    <dependency><groupId>org.eclipse.jetty</groupId><artifactId>jetty-server</artifactId><version>[9.4,9.5)</version></dependency>
    <dependency><groupId>org.acme</groupId><artifactId>newest</artifactId><version>LATEST</version></dependency>
    <dependency><groupId>com.sun</groupId><artifactId>tools</artifactId><version>1.8</version>
      <scope>system</scope><systemPath>${java.home}/../lib/tools.jar</systemPath></dependency>
  </dependencies>"#))
        .unwrap();
        assert_eq!(
            scoped(&out),
            [
                ("pkg:maven/io.netty/netty-all@4.1.42.Final".to_string(), Scope::Direct),
                ("pkg:maven/org.slf4j/slf4j-api@2.0.9".to_string(), Scope::Direct),
                ("pkg:maven/junit/junit@4.13.2".to_string(), Scope::Dev),
                ("pkg:maven/javax.servlet/servlet-api@2.5".to_string(), Scope::Dev),
            ],
            "a written version wins over the managed one; managed-only entries and BOMs are no dependencies"
        );
        assert_eq!(
            out.warnings,
            [
                "dependency org.springframework.boot:spring-boot-starter-web has no version in this file (it comes from the parent pom org.acme:parent:7 or an imported BOM, which is not read); not recorded",
                "dependency org.eclipse.jetty:jetty-server: version [9.4,9.5) is a range, not one version; not recorded",
                "dependency org.acme:newest: version LATEST is whatever the repository has now, not one version; not recorded",
                "dependency com.sun:tools:1.8 has system scope (a jar from the local disk); not recorded",
            ]
        );
    }

    #[test]
    fn only_profiles_active_by_default_are_read() {
        let out = read(&pom(r#"
  <profiles>
    <profile><id>default</id><activation><activeByDefault>true</activeByDefault></activation>
      <properties><guava.version>32.1.3-jre</guava.version></properties>
      <dependencies><dependency><groupId>com.google.guava</groupId><artifactId>guava</artifactId>
        <version>${guava.version}</version></dependency></dependencies>
    </profile>
    <profile><id>ci</id><activation><property><name>env.CI</name></property></activation>
      <dependencies><dependency><groupId>org.acme</groupId><artifactId>ci-only</artifactId>
        <version>1</version></dependency></dependencies>
    </profile>
  </profiles>"#))
        .unwrap();
        assert_eq!(
            scoped(&out),
            [(
                "pkg:maven/com.google.guava/guava@32.1.3-jre".to_string(),
                Scope::Direct
            )]
        );
        assert_eq!(
            out.warnings,
            ["profile ci is not active by default; its 1 dependencies were not read"]
        );
    }

    #[test]
    fn plugin_dependencies_are_not_the_applications() {
        let out = read(&pom(r#"
  <build><plugins><plugin><artifactId>maven-surefire-plugin</artifactId>
    <dependencies><dependency><groupId>org.junit</groupId><artifactId>x</artifactId><version>1</version></dependency></dependencies>
  </plugin></plugins></build>"#))
        .unwrap();
        assert!(out.components.is_empty() && out.warnings.is_empty());
    }

    #[test]
    fn hostile_and_foreign_xml_is_refused() {
        let xxe = r#"<?xml version="1.0"?>
<!DOCTYPE project [<!ENTITY v SYSTEM "file:///etc/passwd">]>
<project><dependencies><dependency><groupId>a</groupId><artifactId>b</artifactId>
<version>&v;</version></dependency></dependencies></project>"#;
        assert!(read(xxe).unwrap_err().contains("declares entities"));
        let mut laughs =
            String::from("<?xml version=\"1.0\"?><!DOCTYPE project [<!ENTITY l \"lol\">");
        for i in 1..10 {
            laughs.push_str(&format!("<!ENTITY l{i} \"{}\">", "&l;".repeat(10)));
        }
        laughs.push_str("]><project><properties><v>&l9;</v></properties></project>");
        assert!(read(&laughs).unwrap_err().contains("declares entities"));
        let deep = format!(
            "<project>{}{}</project>",
            "<a>".repeat(10_000),
            "</a>".repeat(10_000)
        );
        assert!(read(&deep).unwrap_err().contains("deeper than"));
        assert!(read("<settings/>").unwrap_err().contains("not a Maven pom"));
        assert!(read("<project><dependencies>")
            .unwrap_err()
            .contains("truncated"));
    }

    #[test]
    fn poms_inside_jars_are_left_to_the_archive_reader() {
        assert!(PomXml.wants(Path::new("app/pom.xml")));
        assert!(!PomXml.wants(Path::new("app.jar!/META-INF/maven/org.acme/app/pom.xml")));
        assert!(!PomXml.wants(Path::new("app/pom.properties")));
        assert!(!PomXml.wants(Path::new("app/node_modules/java-bridge/pom.xml")));
        assert!(PomXml.sniff(pom("").as_bytes()));
        assert!(!PomXml.sniff(b"<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"/>"));
    }

    fn tree(poms: &[(&str, String)]) -> Vec<(String, Result<ExtractOutput, String>)> {
        let mut tree = PomTree::default();
        for (path, text) in poms {
            assert_eq!(tree.hold(path, text.as_bytes()), None);
        }
        tree.resolve()
    }

    fn tree_found(out: &(String, Result<ExtractOutput, String>)) -> Vec<String> {
        out.1
            .as_ref()
            .unwrap()
            .components
            .iter()
            .map(|c| c.purl())
            .collect()
    }

    const PARENT: &str = r#"
  <groupId>org.acme</groupId><artifactId>parent</artifactId><version>2.0</version>
  <packaging>pom</packaging>
  <modules><module>core</module><module>web</module></modules>
  <properties><jackson.version>2.15.2</jackson.version><netty.version>4.1.100.Final</netty.version></properties>
  <dependencyManagement><dependencies>
    <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId><version>${jackson.version}</version></dependency>
    <dependency><groupId>org.acme</groupId><artifactId>core</artifactId><version>${project.version}</version></dependency>
    <dependency><groupId>junit</groupId><artifactId>junit</artifactId><version>4.13.2</version><scope>test</scope></dependency>
  </dependencies></dependencyManagement>"#;

    fn module(name: &str, extra: &str, dependencies: &str) -> String {
        pom(&format!(
            r#"<parent><groupId>org.acme</groupId><artifactId>parent</artifactId><version>2.0</version>{extra}</parent>
  <artifactId>{name}</artifactId>
  <dependencies>{dependencies}</dependencies>"#
        ))
    }

    #[test]
    fn modules_inherit_their_parents_properties_and_managed_versions() {
        let web_dependencies = r#"
    <dependency><groupId>org.acme</groupId><artifactId>core</artifactId></dependency>
    <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId></dependency>
    <dependency><groupId>io.netty</groupId><artifactId>netty-all</artifactId><version>${netty.version}</version></dependency>
    <dependency><groupId>junit</groupId><artifactId>junit</artifactId></dependency>"#;
        let out = tree(&[
            (
                "src.tar.gz!/shop/web/pom.xml",
                module("web", "", web_dependencies),
            ),
            ("src.tar.gz!/shop/pom.xml", pom(PARENT)),
            (
                "src.tar.gz!/shop/core/pom.xml",
                module(
                    "core",
                    "<relativePath>..</relativePath>",
                    r#"
    <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId><version>2.16.0</version></dependency>"#,
                ),
            ),
        ]);
        assert_eq!(out[0].0, "src.tar.gz!/shop/web/pom.xml");
        assert_eq!(
            tree_found(&out[0]),
            [
                "pkg:maven/org.acme/core@2.0",
                "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.15.2",
                "pkg:maven/io.netty/netty-all@4.1.100.Final",
                "pkg:maven/junit/junit@4.13.2",
            ]
        );
        let web = out[0].1.as_ref().unwrap();
        assert_eq!(
            web.components[3].scope,
            Scope::Dev,
            "the managed scope is inherited"
        );
        assert!(web.warnings.is_empty(), "{:?}", web.warnings);
        assert!(
            tree_found(&out[1]).is_empty(),
            "the parent declares no dependencies"
        );
        assert_eq!(
            tree_found(&out[2]),
            ["pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.16.0"],
            "a version written in the module wins"
        );
    }

    #[test]
    fn a_parent_is_found_by_its_coordinates_and_never_by_path_alone() {
        let uses_jackson = r#"<dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId></dependency>"#;
        let other_parent = pom(
            r#"<groupId>org.other</groupId><artifactId>parent</artifactId><version>1</version>
  <properties><jackson.version>1.0</jackson.version></properties>"#,
        );
        let out = tree(&[
            // ../pom.xml is another project: the parent is the one elsewhere in the tree.
            ("repo/apps/web/pom.xml", module("web", "", uses_jackson)),
            ("repo/apps/pom.xml", other_parent),
            ("repo/build/parent/pom.xml", pom(PARENT)),
        ]);
        assert_eq!(
            tree_found(&out[0]),
            ["pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.15.2"]
        );
        // Without the parent in the tree, as before: a warning naming it.
        let out = tree(&[("web/pom.xml", module("web", "", uses_jackson))]);
        let alone = out[0].1.as_ref().unwrap();
        assert!(alone.components.is_empty());
        assert_eq!(
            alone.warnings,
            ["dependency com.fasterxml.jackson.core:jackson-databind has no version in this file (it comes from the parent pom org.acme:parent:2.0 or an imported BOM, which is not read); not recorded"]
        );
    }

    #[test]
    fn parent_cycles_and_bad_poms_in_a_tree_are_warnings() {
        let a = pom(
            r#"<parent><groupId>g</groupId><artifactId>b</artifactId><version>1</version></parent>
  <artifactId>a</artifactId><properties><v>1.0</v></properties>
  <dependencies><dependency><groupId>x</groupId><artifactId>y</artifactId><version>${w}</version></dependency></dependencies>"#,
        );
        let b = pom(
            r#"<parent><groupId>g</groupId><artifactId>a</artifactId><version>1</version></parent>
  <artifactId>b</artifactId><properties><w>${v}</w></properties>"#,
        );
        let out = tree(&[
            ("a/pom.xml", a),
            ("b/pom.xml", b),
            ("c/pom.xml", "<project><dependencies>".into()),
        ]);
        let a = out[0].1.as_ref().unwrap();
        assert_eq!(tree_found(&out[0]), ["pkg:maven/x/y@1.0"], "b is read once");
        assert!(
            a.warnings[0].contains("the parent poms form a cycle at g:a:1 (a/pom.xml)"),
            "{:?}",
            a.warnings
        );
        assert_eq!(out[2].0, "c/pom.xml");
        assert!(out[2].1.as_ref().unwrap_err().contains("truncated"));
    }

    #[test]
    fn relative_paths_stay_inside_their_archive() {
        assert_eq!(
            beside("a/b/pom.xml", "../pom.xml").as_deref(),
            Some("a/pom.xml")
        );
        assert_eq!(
            beside("a/b/pom.xml", "../parent").as_deref(),
            Some("a/parent/pom.xml")
        );
        assert_eq!(beside("x.tar!/pom.xml", "../pom.xml"), None);
        assert_eq!(beside("x.tar!/a/pom.xml", "../../pom.xml"), None);
    }

    #[test]
    fn long_parent_chains_are_cut_and_a_full_tree_reads_poms_alone() {
        // m0 → m1 → … → m20, each in the folder above; m20 defines the version.
        let mut poms = Vec::new();
        for i in 0..=20 {
            let parent = if i < 20 {
                format!("<parent><groupId>g</groupId><artifactId>m{}</artifactId><version>1</version></parent>", i + 1)
            } else {
                "<groupId>g</groupId><version>1</version><properties><v>9</v></properties>".into()
            };
            let path = format!("{}pom.xml", "a/".repeat(20 - i));
            poms.push((path, pom(&format!(r#"{parent}<artifactId>m{i}</artifactId>
  <dependencies><dependency><groupId>x</groupId><artifactId>y</artifactId><version>${{v}}</version></dependency></dependencies>"#))));
        }
        let held: Vec<(&str, String)> = poms.iter().map(|(p, t)| (p.as_str(), t.clone())).collect();
        let out = tree(&held);
        let m0 = out[0].1.as_ref().unwrap();
        assert!(m0.components.is_empty());
        assert!(
            m0.warnings[0].contains(&format!(
                "more than {MAX_PARENT_DEPTH} parent poms; g:m17:1"
            )),
            "{:?}",
            m0.warnings
        );
        assert_eq!(
            tree_found(&out[4]),
            ["pkg:maven/x/y@9"],
            "m4 is 16 below m20"
        );

        let mut full = PomTree {
            poms: Vec::new(),
            held: MAX_HELD_BYTES,
        };
        let why = full.hold("b/pom.xml", b"<project/>").unwrap();
        assert!(why.contains("read without its parents"), "{why}");
        assert!(full.resolve().is_empty());
    }
}
