//! Gradle's dependency lock state, `gradle.lockfile` (and `buildscript-gradle.lockfile`, and
//! the per-configuration `gradle/dependency-locks/*.lockfile` of Gradle before 6.0)
//! (https://docs.gradle.org/current/userguide/dependency_locking.html#lock_state_location_and_format).
//!
//! One line per resolved module, `group:artifact:version=configuration,configuration`, the
//! whole graph of every locked configuration; `#` comments; and `empty=…`, the configurations
//! that resolved to nothing. Every module is a Maven component (`group:artifact`).
//!
//! Scope: a module that only test configurations (`test…`, `…Test…`, as `testRuntimeClasspath`,
//! `androidTestCompileClasspath`, `integrationTestRuntimeClasspath`) or Spring Boot's
//! `developmentOnly` resolve is not in what ships: dev. Anything else may ship; the file does not
//! say what is direct: unknown.

use std::path::Path;

use vigil_model::{Component, Ecosystem, Evidence, PackageRef, Scope};

use super::{file_name, ExtractOutput, Extractor, FileInput};

pub struct GradleLockfile;

impl Extractor for GradleLockfile {
    fn name(&self) -> &'static str {
        "maven/gradle-lockfile"
    }

    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &Path) -> bool {
        let name = file_name(path);
        name == "gradle.lockfile"
            || name == "buildscript-gradle.lockfile"
            || (name.ends_with(".lockfile")
                && path
                    .parent()
                    .is_some_and(|p| file_name(p) == "dependency-locks"))
    }

    /// Gradle's header, or a line shaped `group:artifact:version=configurations`.
    fn sniff(&self, head: &[u8]) -> bool {
        let head = String::from_utf8_lossy(head);
        head.starts_with("# This is a Gradle generated file for dependency locking.")
            || head.lines().any(|line| {
                parse_line(line.trim()).is_some_and(|(_, configurations)| {
                    configurations
                        .iter()
                        .all(|c| c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_'))
                })
            })
    }

    fn extract(&self, input: &FileInput<'_>) -> Result<ExtractOutput, String> {
        let text = std::str::from_utf8(input.bytes).map_err(|e| format!("not UTF-8 text: {e}"))?;
        let evidence = Evidence(input.path.display().to_string());
        let mut out = ExtractOutput::default();
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if line.split_once('=').is_some_and(|(key, _)| key == "empty") {
                continue;
            }
            let Some(([group, artifact, version], configurations)) = parse_line(line) else {
                out.warnings.push(format!(
                    "line {}: not group:artifact:version=configurations: {:?}",
                    index + 1,
                    truncate(line)
                ));
                continue;
            };
            let scope = if !configurations.is_empty() && configurations.iter().all(|c| is_dev(c)) {
                Scope::Dev
            } else {
                Scope::Unknown
            };
            out.components.push(Component::new(
                PackageRef::new(
                    Ecosystem::Maven,
                    format!("{group}:{artifact}"),
                    Some(version.to_string()),
                ),
                scope,
                evidence.clone(),
            ));
        }
        Ok(out)
    }
}

/// `group:artifact:version=a,b` → the three coordinates and the configurations.
fn parse_line(line: &str) -> Option<([&str; 3], Vec<&str>)> {
    let (coordinates, configurations) = line.split_once('=')?;
    let mut parts = coordinates.split(':');
    let coordinates = [parts.next()?, parts.next()?, parts.next()?];
    let valid = parts.next().is_none()
        && coordinates
            .iter()
            .all(|p| !p.is_empty() && !p.contains(char::is_whitespace));
    let configurations = configurations
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    valid.then_some((coordinates, configurations))
}

fn is_dev(configuration: &str) -> bool {
    configuration.starts_with("test")
        || configuration.contains("Test")
        || configuration == "developmentOnly"
}

fn truncate(line: &str) -> String {
    line.chars().take(120).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::test_support::{self, sorted_scopes};

    fn extract(text: &str) -> ExtractOutput {
        test_support::extract(&GradleLockfile, "gradle.lockfile", text).unwrap()
    }

    #[test]
    fn modules_with_test_only_configurations_are_dev_and_bad_lines_are_warnings() {
        let out = extract(
            "# This is a Gradle generated file for dependency locking.\n\
             # Manual edits can break the build and are not advised.\n\
             # This file is expected to be part of source control.\n\
             com.google.guava:guava:32.1.2-jre=compileClasspath,runtimeClasspath,testRuntimeClasspath\n\
             junit:junit:4.13.2=testCompileClasspath,testRuntimeClasspath\n\
             org.robolectric:robolectric:4.10=androidTestImplementation,debugUnitTestRuntimeClasspath\n\
             org.springframework.boot:spring-boot-devtools:2.7.6=developmentOnly\n\
             org.example:no-configurations:1.0=\n\
             not a coordinate\n\
             a:b=c\n\
             empty=annotationProcessor,testAnnotationProcessor\n",
        );
        assert_eq!(
            sorted_scopes(&out),
            vec![
                (
                    "pkg:maven/com.google.guava/guava@32.1.2-jre".to_string(),
                    "unknown"
                ),
                ("pkg:maven/junit/junit@4.13.2".to_string(), "dev"),
                (
                    "pkg:maven/org.example/no-configurations@1.0".to_string(),
                    "unknown"
                ),
                (
                    "pkg:maven/org.robolectric/robolectric@4.10".to_string(),
                    "dev"
                ),
                (
                    "pkg:maven/org.springframework.boot/spring-boot-devtools@2.7.6".to_string(),
                    "dev"
                ),
            ]
        );
        assert_eq!(out.warnings.len(), 2, "{:?}", out.warnings);
        assert!(out.warnings[0].starts_with("line 9:"), "{:?}", out.warnings);
        assert!(
            out.warnings[1].starts_with("line 10:"),
            "{:?}",
            out.warnings
        );
    }

    #[test]
    fn wants_and_sniffs_gradle_lockfiles() {
        for (path, wanted) in [
            ("app/gradle.lockfile", true),
            ("buildscript-gradle.lockfile", true),
            ("gradle/dependency-locks/compileClasspath.lockfile", true),
            ("other.lockfile", false),
        ] {
            assert_eq!(GradleLockfile.wants(Path::new(path)), wanted, "{path}");
        }
        assert!(GradleLockfile.sniff(b"# comment\n\na.b:c:1.0=compileClasspath\nempty=\n"));
        assert!(!GradleLockfile.sniff(b"requests==2.0\n"));
        assert!(!GradleLockfile.sniff(b"# only\n# comments\n"));
    }

    #[test]
    fn non_utf8_is_an_error() {
        assert!(
            test_support::extract_bytes(&GradleLockfile, "gradle.lockfile", b"\xff")
                .unwrap_err()
                .contains("UTF-8")
        );
    }
}
