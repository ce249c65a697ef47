//! Bundler's `Gemfile.lock` (and `gems.locked`), as Bundler's `LockfileParser` reads it
//! (https://github.com/rubygems/rubygems/blob/master/bundler/lib/bundler/lockfile_parser.rb).
//!
//! Sections start at column 0. Source sections (`GEM`, `GIT`, `PATH`, `PLUGIN SOURCE`) list
//! their gems under `specs:` at four spaces, `    name (version)`, with each gem's own
//! requirements at six spaces. A gem built for one platform carries it after the first `-`
//! (`nokogiri (1.13.3-x86_64-linux)`): the version is what precedes it. Only `GEM` sections are
//! gems from a gem server; a `GIT` or `PATH` gem is a checkout or a folder that merely has the
//! same name, so it is a warning, never a component. `DEPENDENCIES` lists what the Gemfile
//! asks for (`name!` when pinned to a git or path source): those gems are direct. Bundler 2.5's
//! `CHECKSUMS` section gives each gem file's SHA-256, recorded as its hash. Groups (dev, test)
//! are not in the lockfile, so nothing here is marked dev.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::Path,
};

use vigil_model::{Component, Ecosystem, Evidence, Hash, HashAlgorithm, PackageRef, Scope};

use super::{file_name, ExtractOutput, Extractor, FileInput};

pub struct GemfileLock;

const SOURCES: [&str; 4] = ["GEM", "GIT", "PATH", "PLUGIN SOURCE"];
const OTHER_SECTIONS: [&str; 5] = [
    "PLATFORMS",
    "DEPENDENCIES",
    "RUBY VERSION",
    "BUNDLED WITH",
    "CHECKSUMS",
];

impl Extractor for GemfileLock {
    fn name(&self) -> &'static str {
        "rubygems/gemfile-lock"
    }

    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &Path) -> bool {
        matches!(file_name(path), "Gemfile.lock" | "gems.locked")
    }

    fn sniff(&self, head: &[u8]) -> bool {
        let head = String::from_utf8_lossy(head);
        let first = head.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        let first = first.trim_end();
        (SOURCES.contains(&first) || OTHER_SECTIONS.contains(&first))
            && (head.contains("\n  specs:") || head.contains("\nDEPENDENCIES"))
    }

    fn extract(&self, input: &FileInput<'_>) -> Result<ExtractOutput, String> {
        let text = std::str::from_utf8(input.bytes).map_err(|e| format!("not UTF-8 text: {e}"))?;
        let mut section = "";
        let mut remote = String::new();
        let mut known_sections = 0;
        let mut gems: Vec<(usize, String, String)> = Vec::new(); // line, name, version
        let mut elsewhere: Vec<(usize, String, String)> = Vec::new(); // line, spec, source
        let mut direct = BTreeSet::new();
        let mut checksums: BTreeMap<(String, String), Vec<Hash>> = BTreeMap::new();
        let mut out = ExtractOutput::default();
        for (index, raw) in text.lines().enumerate() {
            let line = raw.trim_end();
            if line.trim().is_empty() {
                continue;
            }
            let indent = line.len() - line.trim_start_matches(' ').len();
            let content = line.trim_start();
            if indent == 0 {
                section = line;
                if SOURCES.contains(&section) || OTHER_SECTIONS.contains(&section) {
                    known_sections += 1;
                }
                remote.clear();
                continue;
            }
            match section {
                "GEM" | "GIT" | "PATH" | "PLUGIN SOURCE" => {
                    if indent == 2 {
                        if let Some(r) = content.strip_prefix("remote: ") {
                            if remote.is_empty() {
                                remote = r.to_string();
                            }
                        }
                    } else if indent == 4 {
                        if section == "GEM" {
                            match name_version(content) {
                                Some((name, version)) => gems.push((
                                    index + 1,
                                    name.to_string(),
                                    plain_version(version).to_string(),
                                )),
                                None => out.warnings.push(format!(
                                    "line {}: {content:?} is not `name (version)`; not read",
                                    index + 1
                                )),
                            }
                        } else {
                            let source = format!("{} {}", section.to_lowercase(), remote);
                            elsewhere.push((index + 1, content.to_string(), source));
                        }
                    }
                }
                "DEPENDENCIES" if indent == 2 => {
                    let name = content.split([' ', '!']).next().unwrap_or(content);
                    direct.insert(name.to_string());
                }
                "CHECKSUMS" if indent == 2 => {
                    // `  name (version[-platform]) sha256=<hex>[,sha512=...]`
                    let Some((spec, sums)) = content.rsplit_once(") ") else {
                        continue;
                    };
                    let spec = format!("{spec})");
                    let Some((name, version)) = name_version(&spec) else {
                        continue;
                    };
                    let key = (name.to_string(), plain_version(version).to_string());
                    for sum in sums.split(',') {
                        if let Some(hex) = sum.trim().strip_prefix("sha256=") {
                            if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                                checksums.entry(key.clone()).or_default().push(Hash {
                                    algorithm: HashAlgorithm::Sha256,
                                    value: hex.to_ascii_lowercase(),
                                });
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        if known_sections == 0 {
            return Err("no GEM, GIT, PATH or DEPENDENCIES section: not a Gemfile.lock".into());
        }
        let evidence = Evidence(input.path.display().to_string());
        let mut found: BTreeMap<(String, String), Component> = BTreeMap::new();
        for (_, name, version) in gems {
            let scope = if direct.contains(&name) {
                Scope::Direct
            } else {
                Scope::Transitive
            };
            let key = (name, version);
            // A gem locked for several platforms is one gem version.
            let component = found.entry(key.clone()).or_insert_with(|| {
                Component::new(
                    PackageRef::new(Ecosystem::RubyGems, &key.0, Some(key.1.clone())),
                    scope,
                    evidence.clone(),
                )
            });
            for hash in checksums.remove(&key).unwrap_or_default() {
                if !component.hashes.contains(&hash) {
                    component.hashes.push(hash);
                }
            }
        }
        out.components = found.into_values().collect();
        for (line, spec, source) in elsewhere {
            out.warnings.push(format!(
                "line {line}: {spec} comes from {}, not a gem server; not recorded",
                source.trim_end()
            ));
        }
        Ok(out)
    }
}

/// `name (version)` → (name, version); a spec line without a version gives `None`.
fn name_version(spec: &str) -> Option<(&str, &str)> {
    let (name, rest) = spec.split_once(" (")?;
    let version = rest.strip_suffix(')')?;
    (!name.is_empty() && !version.is_empty() && !name.contains(' ')).then_some((name, version))
}

/// `1.13.3-x86_64-linux` → `1.13.3`: Bundler puts the platform after the first `-`, and gem
/// versions spell pre-releases with dots (`1.0.0.rc1`), never dashes.
fn plain_version(version: &str) -> &str {
    version.split('-').next().unwrap_or(version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::test_support;

    fn extract(text: &str) -> Result<ExtractOutput, String> {
        test_support::extract(&GemfileLock, "Gemfile.lock", text)
    }

    #[test]
    fn gems_platforms_direct_git_path_and_checksums() {
        let out = extract(
            "GIT\r\n  remote: https://github.com/hanami/controller.git\r\n  revision: 027dbe2\r\n  specs:\r\n    hanami-controller (2.0.0.alpha1)\r\n      rack (~> 2.0)\r\n\r\n\
PATH\n  remote: vendor/gem/local\n  specs:\n    local (1.0.0)\n\n\
GEM\n  remote: https://rubygems.org/\n  specs:\n    nokogiri (1.13.3-x86_64-linux)\n      racc (~> 1.4)\n    nokogiri (1.13.3-arm64-darwin)\n      racc (~> 1.4)\n    racc (1.6.0)\n    rails (7.0.2.2)\n    broken\n\n\
PLATFORMS\n  arm64-darwin\n  x86_64-linux\n\n\
DEPENDENCIES\n  hanami-controller!\n  local!\n  nokogiri (~> 1.13)\n  rails\n\n\
CHECKSUMS\n  nokogiri (1.13.3-x86_64-linux) sha256=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n  nokogiri (1.13.3-arm64-darwin) sha256=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n  racc (1.6.0)\n\n\
BUNDLED WITH\n   2.5.3\n",
        )
        .unwrap();
        let summary: Vec<(String, &str, usize)> = out
            .components
            .iter()
            .map(|c| (c.purl(), c.scope.as_str(), c.hashes.len()))
            .collect();
        assert_eq!(
            summary,
            [
                ("pkg:gem/nokogiri@1.13.3".to_string(), "direct", 2),
                ("pkg:gem/racc@1.6.0".to_string(), "transitive", 0),
                ("pkg:gem/rails@7.0.2.2".to_string(), "direct", 0),
            ]
        );
        assert_eq!(out.components[0].hashes[0].value, "a".repeat(64));
        assert_eq!(out.warnings.len(), 3, "{:?}", out.warnings);
        assert!(out.warnings[0].contains("broken"));
        assert!(out.warnings[1].contains("hanami-controller (2.0.0.alpha1) comes from git https://github.com/hanami/controller.git"));
        assert!(out.warnings[2].contains("local (1.0.0) comes from path vendor/gem/local"));
    }

    #[test]
    fn not_a_gemfile_lock() {
        assert!(extract("hello\nworld\n")
            .unwrap_err()
            .contains("not a Gemfile.lock"));
        assert!(extract("").unwrap_err().contains("not a Gemfile.lock"));
        let err = test_support::extract_bytes(
            &GemfileLock,
            "Gemfile.lock",
            b"GEM\n  specs:\n    a (\xff)\n",
        )
        .unwrap_err();
        assert!(err.contains("not UTF-8"), "{err}");
        assert!(GemfileLock.sniff(b"GEM\n  remote: https://rubygems.org/\n  specs:\n"));
        assert!(GemfileLock.sniff(b"PLATFORMS\n  ruby\n\nDEPENDENCIES\n  ast\n"));
        assert!(!GemfileLock.sniff(b"GEMS\nfoo\n"));
    }
}
