//! pnpm's `pnpm-lock.yaml`, lockfile versions 5.x (pnpm 5–7), 6.0 (pnpm 8) and 9.0 (pnpm 9 and
//! 10) (https://github.com/pnpm/spec/tree/master/lockfile and pnpm's `lockfile-types`).
//!
//! Every installed package is a key of `packages`, spelled per version:
//! - 5.x: `/name/1.0.0`, `/@scope/name/1.0.0`, peers appended as `_react@18.0.0`; a package from
//!   another registry starts with that registry's host (`registry.example.com/foo/1.0.0`);
//! - 6.0: `/name@1.0.0`, peers appended as `(react@18.0.0)`;
//! - 9.0: `name@1.0.0` in `packages`, and the same with peers in `snapshots`, which holds the
//!   dependency graph.
//!
//! Entries whose `resolution` is a git repository or a local folder, or a tarball URL that does
//! not have npm's `/<name>/-/<file>.tgz` registry layout (a codeload.github.com archive), are not
//! registry packages: they are warnings, never named after their key. Links (`link:`) are the
//! project's own folders and are skipped.
//!
//! Scope: 5.x and 6.0 mark every package `dev: true` or `dev: false`; the importers (the root
//! project, or each workspace folder under `importers`) list the direct dependencies. 9.0 drops
//! the `dev` flag, so the graph in `snapshots` is walked from the importers' production
//! dependencies: what is reachable only from `devDependencies` is dev.

use std::{
    collections::{BTreeMap, BTreeSet},
    fmt,
    path::Path,
};

use serde::{
    de::{self, MapAccess, Visitor},
    Deserialize, Deserializer,
};
use vigil_model::{Component, Ecosystem, Evidence, PackageRef, Scope};

use super::{
    file_name, yaml,
    yarn_lock::{looks_like_version, sri_hashes, valid_npm_name},
    ExtractOutput, Extractor, FileInput,
};

pub struct PnpmLock;

impl Extractor for PnpmLock {
    fn name(&self) -> &'static str {
        "npm/pnpm-lock"
    }

    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "pnpm-lock.yaml"
    }

    fn sniff(&self, head: &[u8]) -> bool {
        String::from_utf8_lossy(head)
            .lines()
            .find(|l| !l.trim().is_empty() && !l.starts_with('#') && l.trim() != "---")
            .is_some_and(|l| l.starts_with("lockfileVersion:"))
    }

    fn extract(&self, input: &FileInput<'_>) -> Result<ExtractOutput, String> {
        let documents: Vec<Lock> = yaml::parse_all(input.bytes)?;
        if documents.is_empty() {
            return Err("empty: not a pnpm-lock.yaml".into());
        }
        let evidence = Evidence(input.path.display().to_string());
        let mut out = ExtractOutput::default();
        for lock in &documents {
            let one = read(lock, major_version(lock)?, &evidence);
            out.components.extend(one.components);
            out.warnings.extend(one.warnings);
        }
        Ok(out)
    }
}

fn major_version(lock: &Lock) -> Result<u32, String> {
    let version = lock
        .lockfile_version
        .as_deref()
        .ok_or("no lockfileVersion: not a pnpm-lock.yaml")?;
    let major: u32 = version
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .ok_or_else(|| format!("lockfileVersion {version:?} is not a number"))?;
    if (5..=9).contains(&major) {
        Ok(major)
    } else {
        Err(format!(
            "lockfileVersion {version} is not one Vigil reads (5.x to 9.0)"
        ))
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Lock {
    lockfile_version: Option<String>,
    /// An importer with no dependencies may be written as an empty value.
    #[serde(default)]
    importers: BTreeMap<String, Option<Importer>>,
    /// 5.x and 6.0 without workspaces: the root project's dependencies at the top level.
    #[serde(default)]
    dependencies: BTreeMap<String, DepRef>,
    #[serde(default)]
    optional_dependencies: BTreeMap<String, DepRef>,
    #[serde(default)]
    dev_dependencies: BTreeMap<String, DepRef>,
    #[serde(default)]
    packages: BTreeMap<String, Option<Package>>,
    #[serde(default)]
    snapshots: BTreeMap<String, Option<Snapshot>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Importer {
    #[serde(default)]
    dependencies: BTreeMap<String, DepRef>,
    #[serde(default)]
    optional_dependencies: BTreeMap<String, DepRef>,
    #[serde(default)]
    dev_dependencies: BTreeMap<String, DepRef>,
}

#[derive(Deserialize, Default)]
struct Package {
    resolution: Option<Resolution>,
    name: Option<String>,
    version: Option<String>,
    dev: Option<bool>,
}

#[derive(Deserialize, Default)]
struct Resolution {
    integrity: Option<String>,
    tarball: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    repo: Option<String>,
    commit: Option<String>,
    directory: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Snapshot {
    #[serde(default)]
    dependencies: BTreeMap<String, String>,
    #[serde(default)]
    optional_dependencies: BTreeMap<String, String>,
}

/// An importer's dependency: `name: 1.0.0` in 5.x, `name: {specifier, version}` from 6.0.
struct DepRef(String);

impl<'de> Deserialize<'de> for DepRef {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DepVisitor;
        impl<'de> Visitor<'de> for DepVisitor {
            type Value = DepRef;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a version or a {specifier, version} mapping")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DepRef, E> {
                Ok(DepRef(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DepRef, E> {
                Ok(DepRef(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DepRef, E> {
                Ok(DepRef(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<DepRef, E> {
                Ok(DepRef(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DepRef, A::Error> {
                let mut version = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key == "version" {
                        version = Some(map.next_value::<String>()?);
                    } else {
                        map.next_value::<de::IgnoredAny>()?;
                    }
                }
                version
                    .map(DepRef)
                    .ok_or_else(|| de::Error::missing_field("version"))
            }
        }
        deserializer.deserialize_any(DepVisitor)
    }
}

fn read(lock: &Lock, major: u32, evidence: &Evidence) -> ExtractOutput {
    let mut out = ExtractOutput::default();
    let root = [(
        &lock.dependencies,
        &lock.optional_dependencies,
        &lock.dev_dependencies,
    )];
    let importers = root
        .into_iter()
        .chain(lock.importers.values().flatten().map(|i| {
            (
                &i.dependencies,
                &i.optional_dependencies,
                &i.dev_dependencies,
            )
        }));
    // Direct dependencies as (name, version) and as graph keys (`name@version(peers)`).
    let mut prod_direct = BTreeSet::new();
    let mut dev_direct = BTreeSet::new();
    let mut prod_roots = Vec::new();
    let mut dev_roots = Vec::new();
    for (dependencies, optional_dependencies, dev_dependencies) in importers {
        let prod = dependencies.iter().chain(optional_dependencies);
        for (name, DepRef(version)) in prod {
            if let Some(id) = dep_id(name, version, major) {
                prod_direct.insert(id);
                prod_roots.push(snapshot_key(name, version));
            }
        }
        for (name, DepRef(version)) in dev_dependencies {
            if let Some(id) = dep_id(name, version, major) {
                dev_direct.insert(id);
                dev_roots.push(snapshot_key(name, version));
            }
        }
    }
    let graph = (major >= 9).then(|| {
        (
            reachable(&lock.snapshots, prod_roots),
            reachable(&lock.snapshots, dev_roots),
        )
    });

    let mut found: BTreeMap<(String, String), Component> = BTreeMap::new();
    for (key, package) in &lock.packages {
        let package = package.as_ref();
        let Some((name, version)) = identify(key, package, major, &mut out.warnings) else {
            continue;
        };
        let id = (name.clone(), version.clone());
        let scope = if prod_direct.contains(&id) {
            Scope::Direct
        } else if let Some(dev) = package.and_then(|p| p.dev) {
            match (dev, dev_direct.contains(&id)) {
                (true, _) => Scope::Dev,
                (false, true) => Scope::Direct,
                (false, false) => Scope::Transitive,
            }
        } else if let Some((prod_reach, dev_reach)) = &graph {
            if prod_reach.contains(&id) {
                Scope::Transitive
            } else if dev_direct.contains(&id) || dev_reach.contains(&id) {
                Scope::Dev
            } else {
                Scope::Unknown
            }
        } else {
            Scope::Unknown
        };
        let mut component = Component::new(
            PackageRef::new(Ecosystem::Npm, &name, Some(version.clone())),
            scope,
            evidence.clone(),
        );
        if let Some(integrity) = package
            .and_then(|p| p.resolution.as_ref())
            .and_then(|r| r.integrity.as_deref())
        {
            component.hashes = sri_hashes(integrity);
        }
        // 5.x and 6.0 list a package once per set of peers: one component, the widest scope.
        match found.get_mut(&id) {
            Some(existing) => existing.scope = existing.scope.min(component.scope),
            None => {
                found.insert(id, component);
            }
        }
    }
    out.components = found.into_values().collect();
    out
}

/// The registry package a `packages` entry is, or a warning saying why it is none.
fn identify(
    key: &str,
    package: Option<&Package>,
    major: u32,
    warnings: &mut Vec<String>,
) -> Option<(String, String)> {
    let resolution = package.and_then(|p| p.resolution.as_ref());
    if let Some(r) = resolution {
        let elsewhere =
            if r.kind.as_deref() == Some("git") || r.repo.is_some() || r.commit.is_some() {
                Some(format!(
                    "the git repository {}",
                    r.repo.as_deref().unwrap_or("")
                ))
            } else if r.kind.as_deref() == Some("directory") || r.directory.is_some() {
                Some(format!(
                    "the folder {}",
                    r.directory.as_deref().unwrap_or("")
                ))
            } else {
                r.tarball
                    .as_deref()
                    .filter(|t| !registry_tarball(t))
                    .map(|t| format!("the tarball {t}"))
            };
        if let Some(elsewhere) = elsewhere {
            warnings.push(format!(
                "packages[{key:?}] is installed from {elsewhere}, not a registry; not recorded"
            ));
            return None;
        }
    }
    let from_key = parse_key(key, major);
    let name = package
        .and_then(|p| p.name.clone())
        .or_else(|| from_key.as_ref().map(|(n, _)| n.clone()));
    let version = package
        .and_then(|p| p.version.clone())
        .or_else(|| from_key.map(|(_, v)| v));
    match (name, version) {
        (Some(name), Some(version)) if valid_npm_name(&name) && looks_like_version(&version) => {
            Some((name, version))
        }
        _ => {
            warnings.push(format!(
                "packages[{key:?}] names no registry package and version; not recorded"
            ));
            None
        }
    }
}

/// A `packages` (or `snapshots`) key as name and version, peers removed.
fn parse_key(key: &str, major: u32) -> Option<(String, String)> {
    if major < 6 {
        // `/name/1.0.0_peer@1`, `/@s/name/1.0.0`, `registry.example.com/name/1.0.0`.
        let path = match key.strip_prefix('/') {
            Some(path) => path,
            None => key.split_once('/')?.1,
        };
        let mut segments = path.split('/');
        let first = segments.next()?;
        let name = if first.starts_with('@') {
            format!("{first}/{}", segments.next()?)
        } else {
            first.to_string()
        };
        let version = segments.next()?;
        let version = version.split('_').next().unwrap_or(version);
        Some((name, version.to_string()))
    } else {
        // `/name@1.0.0(peer@1)` (6.0), `@s/name@1.0.0(peer@1)` (9.0).
        let key = key.strip_prefix('/').unwrap_or(key);
        let key = key.split('(').next().unwrap_or(key);
        let from = usize::from(key.starts_with('@'));
        let at = key[from..].find('@')? + from;
        Some((key[..at].to_string(), key[at + 1..].to_string()))
    }
}

/// An importer's or snapshot's dependency as (name, version): the version may carry peers,
/// name another package (an alias: `/real/1.0.0` in 5.x and 6.0, `real@1.0.0` in 9.0), or be a
/// link to a folder.
fn dep_id(name: &str, version: &str, major: u32) -> Option<(String, String)> {
    if version.starts_with("link:") || version.starts_with("file:") {
        return None;
    }
    if version.starts_with('/') {
        return parse_key(version, major);
    }
    let bare = version.split('(').next().unwrap_or(version);
    let bare = if major < 6 {
        bare.split('_').next().unwrap_or(bare)
    } else {
        bare
    };
    if bare.contains('@') {
        return parse_key(bare, 9);
    }
    Some((name.to_string(), bare.to_string()))
}

/// The `snapshots` key a dependency points at (9.0).
fn snapshot_key(name: &str, version: &str) -> String {
    let aliased = version.contains('@') && !version.starts_with('(') && {
        let before_peers = version.split('(').next().unwrap_or(version);
        before_peers.contains('@')
    };
    if aliased {
        version.to_string()
    } else {
        format!("{name}@{version}")
    }
}

/// Every package (name, version) reachable in the 9.0 graph from these snapshot keys.
fn reachable(
    snapshots: &BTreeMap<String, Option<Snapshot>>,
    roots: Vec<String>,
) -> BTreeSet<(String, String)> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut stack = roots;
    while let Some(key) = stack.pop() {
        if !seen.insert(key.clone()) {
            continue;
        }
        if let Some(Some(snapshot)) = snapshots.get(&key) {
            for (name, version) in snapshot
                .dependencies
                .iter()
                .chain(&snapshot.optional_dependencies)
            {
                if !version.starts_with("link:") {
                    stack.push(snapshot_key(name, version));
                }
            }
        }
    }
    seen.iter().filter_map(|key| parse_key(key, 9)).collect()
}

/// npm's tarball layout, `<registry>/<name>/-/<file>.tgz`; a codeload.github.com or other
/// archive URL is not a registry package.
fn registry_tarball(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://")) && url.contains("/-/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::test_support::{self, pairs, sorted_scopes};

    fn extract(text: &str) -> ExtractOutput {
        test_support::extract(&PnpmLock, "pnpm-lock.yaml", text).unwrap()
    }

    #[test]
    fn v5_keys_peers_registries_and_dev_flags() {
        let out = extract(
            r#"lockfileVersion: 5.4

specifiers:
  a: ^1.0.0
  al: npm:real@^2.0.0
  d: ^3.0.0
  w: link:../w

dependencies:
  a: 1.0.0_react@18.0.0
  al: /real/2.0.0
  w: link:../w

devDependencies:
  d: 3.0.0

packages:

  /a/1.0.0_react@18.0.0:
    resolution: {integrity: sha512-quJQXlTSUGL2LH9SUXo8VwsY4soanhgo6LNSm84E1LBcE8s3O0wpdiRzyR9z/ZZJMlMWv37qOOb9pdJlMUEKFQ==}
    dev: false

  /a/1.0.0_react@17.0.0:
    resolution: {integrity: sha512-quJQXlTSUGL2LH9SUXo8VwsY4soanhgo6LNSm84E1LBcE8s3O0wpdiRzyR9z/ZZJMlMWv37qOOb9pdJlMUEKFQ==}
    dev: false

  /real/2.0.0:
    dev: false

  /@s/t/1.2.3_@types+node@18.0.0:
    dev: false

  registry.example.com/other/4.0.0:
    dev: false

  /d/3.0.0:
    dev: true

  github.com/kevva/is-positive/97edff6f525f192a3f83cea1944765f769ae2678:
    resolution: {tarball: https://codeload.github.com/kevva/is-positive/tar.gz/97edff6f525f192a3f83cea1944765f769ae2678}
    name: is-positive
    version: 3.1.0
    dev: false
"#,
        );
        assert_eq!(
            sorted_scopes(&out),
            pairs(&[
                ("pkg:npm/%40s/t@1.2.3", "transitive"),
                ("pkg:npm/a@1.0.0", "direct"),
                ("pkg:npm/d@3.0.0", "dev"),
                ("pkg:npm/other@4.0.0", "transitive"),
                ("pkg:npm/real@2.0.0", "direct"),
            ])
        );
        let a = out
            .components
            .iter()
            .find(|c| c.purl() == "pkg:npm/a@1.0.0")
            .unwrap();
        assert_eq!(a.hashes.len(), 1);
        assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
        assert!(out.warnings[0].contains("codeload"), "{:?}", out.warnings);
    }

    #[test]
    fn v6_keys_with_parenthesised_peers_and_workspace_importers() {
        let out = extract(
            r#"lockfileVersion: '6.0'

importers:
  .:
    dependencies:
      react-dom:
        specifier: ^18.0.0
        version: 18.2.0(react@18.2.0)
  packages/ui:
    devDependencies:
      typescript:
        specifier: ^5.0.0
        version: 5.1.6
      shared:
        specifier: workspace:*
        version: link:../shared

packages:
  /react-dom@18.2.0(react@18.2.0):
    resolution: {integrity: sha512-6IMTriUmvsjHUjNtEDudZfuDQUoWXVxKHhlEGSk81n4YFS+r/Kl99wXiwlVXtPBtJenozv2P+hxDsw9eA7Xo6g==}
    peerDependencies:
      react: ^18.2.0
    dependencies:
      react: 18.2.0
    dev: false
  /react@18.2.0:
    dev: false
  /typescript@5.1.6:
    dev: true
  /@scope/pkg@1.0.0:
    dev: true
"#,
        );
        assert_eq!(
            sorted_scopes(&out),
            pairs(&[
                ("pkg:npm/%40scope/pkg@1.0.0", "dev"),
                ("pkg:npm/react-dom@18.2.0", "direct"),
                ("pkg:npm/react@18.2.0", "transitive"),
                ("pkg:npm/typescript@5.1.6", "dev"),
            ])
        );
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    }

    #[test]
    fn v9_scopes_come_from_walking_the_snapshots() {
        let out = extract(
            r#"lockfileVersion: '9.0'

importers:
  .:
    dependencies:
      a:
        specifier: ^1.0.0
        version: 1.0.0(p@1.0.0)
      cjs:
        specifier: npm:strip-ansi@^6.0.0
        version: strip-ansi@6.0.1
    devDependencies:
      d:
        specifier: ^1.0.0
        version: 1.0.0
      local:
        specifier: file:../local
        version: file:../local

packages:
  a@1.0.0:
    resolution: {integrity: sha512-quJQXlTSUGL2LH9SUXo8VwsY4soanhgo6LNSm84E1LBcE8s3O0wpdiRzyR9z/ZZJMlMWv37qOOb9pdJlMUEKFQ==}
  p@1.0.0:
    resolution: {integrity: sha512-quJQXlTSUGL2LH9SUXo8VwsY4soanhgo6LNSm84E1LBcE8s3O0wpdiRzyR9z/ZZJMlMWv37qOOb9pdJlMUEKFQ==}
  strip-ansi@6.0.1:
    resolution: {integrity: sha512-quJQXlTSUGL2LH9SUXo8VwsY4soanhgo6LNSm84E1LBcE8s3O0wpdiRzyR9z/ZZJMlMWv37qOOb9pdJlMUEKFQ==}
  shared@2.0.0:
    resolution: {integrity: sha512-quJQXlTSUGL2LH9SUXo8VwsY4soanhgo6LNSm84E1LBcE8s3O0wpdiRzyR9z/ZZJMlMWv37qOOb9pdJlMUEKFQ==}
  d@1.0.0:
    resolution: {integrity: sha512-quJQXlTSUGL2LH9SUXo8VwsY4soanhgo6LNSm84E1LBcE8s3O0wpdiRzyR9z/ZZJMlMWv37qOOb9pdJlMUEKFQ==}
  dd@1.0.0:
    resolution: {integrity: sha512-quJQXlTSUGL2LH9SUXo8VwsY4soanhgo6LNSm84E1LBcE8s3O0wpdiRzyR9z/ZZJMlMWv37qOOb9pdJlMUEKFQ==}
  local@file:../local:
    resolution: {directory: ../local, type: directory}
    version: 0.1.0
  fork@git+https://github.com/o/fork.git#abc:
    resolution: {commit: abc, repo: https://github.com/o/fork.git, type: git}
    version: 1.0.0

snapshots:
  a@1.0.0(p@1.0.0):
    dependencies:
      p: 1.0.0
      shared: 2.0.0
  p@1.0.0: {}
  strip-ansi@6.0.1: {}
  shared@2.0.0: {}
  d@1.0.0:
    dependencies:
      dd: 1.0.0
      shared: 2.0.0
  dd@1.0.0: {}
  local@file:../local: {}
  fork@git+https://github.com/o/fork.git#abc: {}
"#,
        );
        assert_eq!(
            sorted_scopes(&out),
            pairs(&[
                ("pkg:npm/a@1.0.0", "direct"),
                ("pkg:npm/d@1.0.0", "dev"),
                ("pkg:npm/dd@1.0.0", "dev"),
                ("pkg:npm/p@1.0.0", "transitive"),
                ("pkg:npm/shared@2.0.0", "transitive"),
                ("pkg:npm/strip-ansi@6.0.1", "direct"),
            ])
        );
        assert_eq!(out.warnings.len(), 2, "{:?}", out.warnings);
        assert!(out.warnings.iter().any(|w| w.contains("folder ../local")));
        assert!(out
            .warnings
            .iter()
            .any(|w| w.contains("git repository https://github.com/o/fork.git")));
    }

    #[test]
    fn pnpm_10_env_document_and_project_document_are_both_read() {
        let out = extract(
            r#"---
lockfileVersion: '9.0'

importers:

  .:
    packageManagerDependencies:
      pnpm:
        specifier: 10.12.1
        version: 10.12.1

packages:

  pnpm@10.12.1:
    resolution: {integrity: sha512-quJQXlTSUGL2LH9SUXo8VwsY4soanhgo6LNSm84E1LBcE8s3O0wpdiRzyR9z/ZZJMlMWv37qOOb9pdJlMUEKFQ==}

snapshots:

  pnpm@10.12.1: {}

---
lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      a:
        specifier: ^1.0.0
        version: 1.0.0

packages:

  a@1.0.0:
    resolution: {integrity: sha512-quJQXlTSUGL2LH9SUXo8VwsY4soanhgo6LNSm84E1LBcE8s3O0wpdiRzyR9z/ZZJMlMWv37qOOb9pdJlMUEKFQ==}

snapshots:

  a@1.0.0: {}
"#,
        );
        assert_eq!(
            sorted_scopes(&out),
            pairs(&[
                ("pkg:npm/a@1.0.0", "direct"),
                ("pkg:npm/pnpm@10.12.1", "unknown")
            ])
        );
    }

    #[test]
    fn hostile_files_are_refused_with_a_reason() {
        // Aliases (a billion laughs) and deep nesting never reach the extractor's own code.
        let mut bomb = String::from("lockfileVersion: '9.0'\npackages:\n  a@1.0.0: &a0 {x: 1}\n");
        for i in 1..12 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            bomb.push_str(&format!("  b{i}@1.0.0: &a{i} [{refs}]\n"));
        }
        let deep = format!(
            "lockfileVersion: '9.0'\npackages:\n  a@1.0.0: {}{}\n",
            "[".repeat(50_000),
            "]".repeat(50_000)
        );
        for text in [bomb, deep] {
            let err = test_support::extract(&PnpmLock, "pnpm-lock.yaml", &text).unwrap_err();
            assert!(err.starts_with("not valid YAML"), "{err}");
        }
    }

    #[test]
    fn a_large_lockfile_is_read_whole() {
        // 20,000 packages, about 3 MB: well past the default budgets of the YAML reader.
        let mut text = String::from("lockfileVersion: '6.0'\n\npackages:\n");
        for i in 0..20_000 {
            text.push_str(&format!(
                "\n  /pkg-{i}@1.0.{i}:\n    resolution: {{integrity: sha512-quJQXlTSUGL2LH9SUXo8VwsY4soanhgo6LNSm84E1LBcE8s3O0wpdiRzyR9z/ZZJMlMWv37qOOb9pdJlMUEKFQ==}}\n    engines: {{node: '>=8'}}\n    dependencies:\n      a: 1.0.0\n      b: 2.0.0\n    dev: false\n"
            ));
        }
        let out = extract(&text);
        assert_eq!(out.components.len(), 20_000);
        assert!(out.warnings.is_empty());
    }

    #[test]
    fn keys_parse_in_every_version() {
        assert_eq!(
            parse_key("/@s/n/1.0.0_a@1", 5),
            Some(("@s/n".into(), "1.0.0".into()))
        );
        assert_eq!(
            parse_key("registry.npmjs.org/foo/1.1.0", 5),
            Some(("foo".into(), "1.1.0".into()))
        );
        assert_eq!(
            parse_key("/@s/n@1.0.0(a@1)(b@2)", 6),
            Some(("@s/n".into(), "1.0.0".into()))
        );
        assert_eq!(
            parse_key("n@1.0.0(a@1(b@2))", 9),
            Some(("n".into(), "1.0.0".into()))
        );
        assert_eq!(parse_key("/foo", 5), None);
    }

    #[test]
    fn malformed_files_are_errors_that_say_why() {
        for (text, expected) in [
            ("packages: {}\n", "no lockfileVersion"),
            ("lockfileVersion: 3\n", "not one Vigil reads"),
            ("lockfileVersion: x\n", "not a number"),
            ("lockfileVersion: '9.0'\npackages: [\n", "not valid YAML"),
            (
                "lockfileVersion: '9.0'\npackages:\n  a@1.0.0: 7\n",
                "not valid YAML",
            ),
        ] {
            let err = test_support::extract(&PnpmLock, "pnpm-lock.yaml", text).unwrap_err();
            assert!(err.contains(expected), "{text}: {err}");
        }
        assert!(PnpmLock.sniff(b"lockfileVersion: '9.0'\n"));
        assert!(!PnpmLock.sniff(b"{\"lockfileVersion\": 3}"));
    }
}
