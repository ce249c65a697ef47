//! Java archives (jar, war, ear, aar): the Maven coordinates `maven-archiver` writes into
//! `META-INF/maven/<groupId>/<artifactId>/pom.properties`
//! (https://maven.apache.org/shared/maven-archiver/), a Java properties file
//! (https://docs.oracle.com/javase/8/docs/api/java/util/Properties.html#load-java.io.Reader-).
//!
//! Every `pom.properties` is a component: a shaded or fat jar carries one per artifact it
//! swallowed. The walker holds back those found directly in a Java archive and, when the
//! archive has been read, calls [`finish_jar`]: the one whose `artifactId-version` the file
//! name carries (or the only one) is the archive itself and gets its SHA-1, the digest Maven
//! Central indexes artifacts by.
//!
//! A jar with no `pom.properties` (built by Ant or bnd, rebuilt by a distribution, renamed on
//! copy) falls back to `META-INF/MANIFEST.MF`
//! (https://docs.oracle.com/javase/8/docs/technotes/guides/jar/jar.html#JAR_Manifest), which
//! names no Maven coordinates; what is read from it is marked [`Identification::Manifest`]:
//! - first, a small curated table ([`known`]) of headers projects document
//!   (`Bundle-SymbolicName: org.apache.log4j` is `log4j:log4j`, `org.apache.tomcat-catalina`
//!   is `org.apache.tomcat:tomcat-catalina`), the version from `Implementation-Version` (its
//!   first word: JNA writes `5.13.0 (b0)`), else a `Bundle-Version` without an OSGi qualifier
//!   (`31.1.0.jre` is bnd's rewrite of `31.1-jre`, not a Maven version);
//! - else `Implementation-Vendor-Id`, which maven-archiver's `addDefaultImplementationEntries`
//!   sets to the project's groupId, with the artifactId from the file name less its version
//!   (`name-1.2.3.jar` → `name`), else `Implementation-Title` when it is a single token, else
//!   the last segment of `Bundle-SymbolicName`; the version from `Implementation-Version`,
//!   else `Bundle-Version`, else the file name.
//!
//! The groupId is never guessed from a file name or a package name (tools that do produce
//! purls that match nothing): a jar whose manifest gives none is an unidentified component (its
//! name, version and SHA-1 kept, so that a policy can flag it) and a warning says why.

use std::path::Path;

use vigil_model::{
    Component, Ecosystem, Evidence, Hash, HashAlgorithm, Identification, PackageRef, Scope,
    UnidentifiedComponent,
};

use super::{file_name, ExtractOutput, Extractor, FileInput};

mod known;

pub struct JavaArchive;

/// Manifests are small; a larger one is not a manifest worth reading.
pub(crate) const MAX_MANIFEST_BYTES: u64 = 1 << 20;

impl Extractor for JavaArchive {
    fn name(&self) -> &'static str {
        "maven/pom-properties"
    }

    fn version(&self) -> u32 {
        2
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "pom.properties"
            && path
                .to_string_lossy()
                .replace('\\', "/")
                .contains("META-INF/maven/")
    }

    fn extract(&self, input: &FileInput<'_>) -> Result<ExtractOutput, String> {
        let text = String::from_utf8_lossy(input.bytes);
        let properties = parse_properties(&text);
        let get = |key: &str| {
            properties
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.trim())
                .filter(|v| !v.is_empty())
        };
        let (Some(group), Some(artifact), Some(version)) =
            (get("groupId"), get("artifactId"), get("version"))
        else {
            return Err("pom.properties lacks groupId, artifactId or version".into());
        };
        let component = Component::new(
            PackageRef::new(
                Ecosystem::Maven,
                format!("{group}:{artifact}"),
                Some(version.to_string()),
            ),
            Scope::Unknown,
            Evidence(input.path.display().to_string()),
        );
        Ok(ExtractOutput {
            components: vec![component],
            ..ExtractOutput::default()
        })
    }
}

/// What the walk found directly in one Java archive.
#[derive(Debug, Default)]
pub(crate) struct JarContents {
    /// Components of its own `META-INF/maven/**/pom.properties`.
    pub(crate) poms: Vec<Component>,
    /// Its `META-INF/MANIFEST.MF`.
    pub(crate) manifest: Option<Vec<u8>>,
}

/// The archive names the walker reads as Java archives.
pub(crate) fn is_java_archive(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".jar", ".war", ".ear", ".aar", ".hpi", ".jpi"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// Decides, once a Java archive has been read, what it is: see the module documentation.
/// `jar` is the archive's evidence path; `sha1` hashes it (only called when needed).
pub(crate) fn finish_jar(
    jar: &str,
    contents: JarContents,
    sha1: &mut dyn FnMut() -> Option<String>,
) -> ExtractOutput {
    let name = jar.rsplit('/').next().unwrap_or(jar);
    let stem = name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name);
    let mut out = ExtractOutput::default();
    let mut poms = contents.poms;
    if !poms.is_empty() {
        let itself = poms
            .iter()
            .position(|c| {
                let artifact = c.package.name.rsplit(':').next().unwrap_or("");
                let version = c.package.version.as_deref().unwrap_or("");
                stem == format!("{artifact}-{version}")
                    || stem.starts_with(&format!("{artifact}-{version}-"))
            })
            .or((poms.len() == 1).then_some(0));
        if let Some(i) = itself {
            if let Some(value) = sha1() {
                poms[i].hashes.push(Hash {
                    algorithm: HashAlgorithm::Sha1,
                    value,
                });
            }
        }
        out.components = poms;
        return out;
    }
    let manifest = contents
        .manifest
        .map(|bytes| parse_manifest(&String::from_utf8_lossy(&bytes)))
        .unwrap_or_default();
    let get = |key: &str| {
        manifest
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    };
    let symbolic_name = get("Bundle-SymbolicName").map(|s| s.split(';').next().unwrap_or(s).trim());
    let header = |key: &str| match key {
        "Bundle-SymbolicName" => symbolic_name,
        _ => get(key),
    };
    let (file_artifact, file_version) = split_file_name(stem);
    let evidence = Evidence(format!("{jar}!/META-INF/MANIFEST.MF"));
    let hashes: Vec<Hash> = sha1()
        .map(|value| Hash {
            algorithm: HashAlgorithm::Sha1,
            value,
        })
        .into_iter()
        .collect();
    let by_manifest = |group: &str, artifact: &str, version: &str| {
        let mut component = Component::new(
            PackageRef::new(
                Ecosystem::Maven,
                format!("{group}:{artifact}"),
                Some(version.to_string()),
            ),
            Scope::Unknown,
            evidence.clone(),
        );
        component.hashes = hashes.clone();
        component.identified_by = Identification::Manifest;
        component
    };
    let maven_version = get("Implementation-Version")
        .and_then(|v| v.split_whitespace().next())
        .or(get("Bundle-Version").filter(|v| !has_osgi_qualifier(v)))
        .filter(|v| v.starts_with(|c: char| c.is_ascii_digit()));
    if let Some((group, artifact, matched, value)) = known::identify(header) {
        if let Some(version) = maven_version {
            out.components.push(by_manifest(&group, &artifact, version));
            out.warnings.push(format!(
                "no pom.properties; identified as {group}:{artifact}@{version} from the manifest \
                 ({matched}: {value})"
            ));
            return out;
        }
    }
    let version = get("Implementation-Version")
        .or(get("Bundle-Version"))
        .or(file_version);
    let title = get("Implementation-Title").filter(|t| !t.contains(char::is_whitespace));
    let artifact = file_artifact
        .or(title)
        .or(symbolic_name.and_then(|s| s.rsplit('.').next()));
    match (get("Implementation-Vendor-Id"), artifact, version) {
        (Some(group), Some(artifact), Some(version)) if !group.contains(char::is_whitespace) => {
            out.components.push(by_manifest(group, artifact, version));
            out.warnings.push(format!(
                "no pom.properties; identified as {group}:{artifact}@{version} from the manifest \
                 (Implementation-Vendor-Id) and the file name"
            ));
        }
        _ => {
            let display_name = get("Implementation-Title")
                .or(symbolic_name)
                .or(artifact)
                .unwrap_or(stem);
            out.unidentified.push(UnidentifiedComponent {
                name: display_name.to_string(),
                version: version.map(str::to_string),
                purl: None,
                license: None,
                hashes,
                evidence: vec![Evidence(jar.to_string())],
            });
            out.warnings.push(
                "a Java archive with no pom.properties whose manifest names no Maven groupId \
                 (Implementation-Vendor-Id) nor a library Vigil knows by its headers; kept as \
                 unidentified with its SHA-1"
                    .into(),
            );
        }
    }
    out
}

/// `1.0.0.v20200101`, `31.1.0.jre`: an OSGi version's fourth part, which bnd and
/// maven-bundle-plugin make up from a Maven version (`31.1-jre`) in a way that cannot be undone.
fn has_osgi_qualifier(version: &str) -> bool {
    version
        .splitn(4, '.')
        .nth(3)
        .is_some_and(|q| !q.chars().all(|c| c.is_ascii_digit()))
}

/// `commons-io-2.11.0` → (`commons-io`, `2.11.0`): the version starts at the first `-` followed
/// by a digit.
fn split_file_name(stem: &str) -> (Option<&str>, Option<&str>) {
    let bytes = stem.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'-' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) && i > 0 {
            return (Some(&stem[..i]), Some(&stem[i + 1..]));
        }
    }
    (None, None)
}

/// Java properties: `key=value`, `key: value` or `key value`; `#` and `!` comments; a trailing
/// backslash continues a line; `\uXXXX` and the usual escapes.
fn parse_properties(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut logical = String::new();
    for line in text.lines() {
        let line = line.trim_start();
        if logical.is_empty() && (line.starts_with('#') || line.starts_with('!')) {
            continue;
        }
        let trailing = line.chars().rev().take_while(|c| *c == '\\').count();
        if trailing % 2 == 1 {
            logical.push_str(&line[..line.len() - 1]);
            continue;
        }
        logical.push_str(line);
        let entry = std::mem::take(&mut logical);
        if entry.is_empty() {
            continue;
        }
        let mut key = String::new();
        let mut chars = entry.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    if let Some(next) = chars.next() {
                        key.push(next);
                    }
                }
                '=' | ':' => break,
                c if c.is_whitespace() => {
                    while chars.peek().is_some_and(|c| c.is_whitespace()) {
                        chars.next();
                    }
                    if matches!(chars.peek(), Some('=') | Some(':')) {
                        chars.next();
                    }
                    break;
                }
                c => key.push(c),
            }
        }
        let rest: String = chars.collect();
        out.push((key, unescape(rest.trim_start())));
    }
    out
}

fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('u') => {
                let code: String = chars.by_ref().take(4).collect();
                if let Some(c) = u32::from_str_radix(&code, 16).ok().and_then(char::from_u32) {
                    out.push(c);
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// The main section of a manifest: `Name: value` lines up to the first blank line, a line
/// starting with one space continuing the previous one.
fn parse_manifest(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            break;
        }
        if let Some(continued) = line.strip_prefix(' ') {
            if let Some((_, value)) = out.last_mut() {
                value.push_str(continued);
            }
            continue;
        }
        if let Some((key, value)) = line.split_once(':') {
            out.push((key.trim().to_string(), value.trim().to_string()));
        }
    }
    for (_, value) in &mut out {
        *value = value.trim().to_string();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::test_support;

    fn extract(path: &str, text: &str) -> Result<ExtractOutput, String> {
        test_support::extract(&JavaArchive, path, text)
    }

    #[test]
    fn pom_properties_name_a_maven_component() {
        let path = "app.war!/WEB-INF/lib/log4j-core-2.14.1.jar!/META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties";
        assert!(JavaArchive.wants(Path::new(path)));
        assert!(!JavaArchive.wants(Path::new("src/pom.properties")));
        let out = extract(
            path,
            "#Generated by Maven\n#Tue Mar 02 2021\nversion=2.14.1\ngroupId=org.apache.logging.log4j\nartifactId : log4j-core\n",
        )
        .unwrap();
        assert_eq!(out.components.len(), 1);
        let c = &out.components[0];
        assert_eq!(
            c.purl(),
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
        );
        assert_eq!(c.evidence, [Evidence(path.into())]);
        assert_eq!(c.scope, Scope::Unknown);
    }

    #[test]
    fn properties_escapes_and_continuations_are_read() {
        let props = parse_properties("a\\=b = x\\\n    y\n! c\nkey value\\u0041\n\n");
        assert_eq!(
            props,
            [
                ("a=b".to_string(), "xy".to_string()),
                ("key".to_string(), "valueA".to_string())
            ]
        );
    }

    #[test]
    fn pom_properties_without_coordinates_is_an_error() {
        let err = extract("a.jar!/META-INF/maven/g/a/pom.properties", "groupId=g\n").unwrap_err();
        assert!(err.contains("lacks"), "{err}");
    }

    fn pom(name: &str, version: &str) -> Component {
        Component::new(
            PackageRef::new(Ecosystem::Maven, name, Some(version.into())),
            Scope::Unknown,
            Evidence("x".into()),
        )
    }

    #[test]
    fn the_pom_matching_the_file_name_gets_the_jar_sha1_in_a_shaded_jar() {
        let contents = JarContents {
            poms: vec![
                pom("com.google.guava:guava", "31.1-jre"),
                pom("org.x:app", "1.0"),
            ],
            manifest: None,
        };
        let out = finish_jar("lib/app-1.0.jar", contents, &mut || Some("abc".into()));
        assert_eq!(out.components.len(), 2);
        assert!(out.components[0].hashes.is_empty());
        assert_eq!(out.components[1].hashes[0].value, "abc");
        assert!(out.warnings.is_empty());
    }

    #[test]
    fn a_manifest_with_vendor_id_identifies_a_jar_without_pom_properties() {
        let manifest = "Manifest-Version: 1.0\r\nImplementation-Title: commons-foo\r\nImplementation-Vendor-Id: org.apache.comm\r\n ons\r\nImplementation-Version: 1.4\r\n\r\nName: x\r\nImplementation-Vendor-Id: nope\r\n";
        let contents = JarContents {
            poms: vec![],
            manifest: Some(manifest.as_bytes().to_vec()),
        };
        let out = finish_jar("a.tar!/commons-foo-1.4.jar", contents, &mut || {
            Some("ff".into())
        });
        assert_eq!(out.components.len(), 1);
        let c = &out.components[0];
        assert_eq!(c.purl(), "pkg:maven/org.apache.commons/commons-foo@1.4");
        assert_eq!(
            c.evidence,
            [Evidence(
                "a.tar!/commons-foo-1.4.jar!/META-INF/MANIFEST.MF".into()
            )]
        );
        assert_eq!(c.hashes[0].value, "ff");
        assert_eq!(out.warnings.len(), 1);
    }

    #[test]
    fn a_vague_manifest_leaves_the_jar_unidentified_with_a_warning() {
        let manifest = "Manifest-Version: 1.0\nBundle-SymbolicName: org.example.widgets;singleton:=true\nBundle-Version: 3.12.0\n";
        let contents = JarContents {
            poms: vec![],
            manifest: Some(manifest.as_bytes().to_vec()),
        };
        let out = finish_jar("widgets.jar", contents, &mut || Some("ee".into()));
        assert!(out.components.is_empty());
        assert_eq!(out.unidentified.len(), 1);
        let u = &out.unidentified[0];
        assert_eq!(u.name, "org.example.widgets");
        assert_eq!(u.version.as_deref(), Some("3.12.0"));
        assert_eq!(u.hashes[0].value, "ee");
        assert!(out.warnings[0].contains("no Maven groupId"));
    }

    #[test]
    fn file_names_split_at_the_version() {
        assert_eq!(
            split_file_name("commons-io-2.11.0"),
            (Some("commons-io"), Some("2.11.0"))
        );
        assert_eq!(split_file_name("guava"), (None, None));
    }

    fn from_manifest(jar: &str, manifest: &str) -> ExtractOutput {
        let contents = JarContents {
            poms: vec![],
            manifest: Some(manifest.as_bytes().to_vec()),
        };
        finish_jar(jar, contents, &mut || Some("5a".into()))
    }

    #[test]
    fn well_known_manifest_headers_identify_a_renamed_jar_by_manifest() {
        // (file name, manifest, purl): the file names say nothing the purl relies on.
        let cases = [
            (
                "lib/log4j-1.2-1.2.17.jar",
                "Bundle-Name: Apache Log4j\nBundle-SymbolicName: org.apache.log4j\nBundle-Version: 1.2.17\n",
                "pkg:maven/log4j/log4j@1.2.17",
            ),
            (
                "tomcat9-catalina-9.0.70.jar",
                "Bundle-SymbolicName: org.apache.tomcat-catalina\nBundle-Version: 9.0.70\nImplementation-Title: Apache Tomcat\nImplementation-Version: 9.0.70\n",
                "pkg:maven/org.apache.tomcat/tomcat-catalina@9.0.70",
            ),
            (
                "core.jar",
                "Bundle-SymbolicName: org.apache.tomcat-embed-core\nBundle-Version: 10.1.8\n",
                "pkg:maven/org.apache.tomcat.embed/tomcat-embed-core@10.1.8",
            ),
            (
                "copy12-jna.jar",
                "Implementation-Title: com.sun.jna\nImplementation-Version: 5.13.0 (b0)\nBundle-SymbolicName: com.sun.jna\nBundle-Version: 5.13.0\n",
                "pkg:maven/net.java.dev.jna/jna@5.13.0",
            ),
            (
                "x.jar",
                "Bundle-SymbolicName: com.fasterxml.jackson.core.jackson-databind\nBundle-Version: 2.15.2\n",
                "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.15.2",
            ),
        ];
        for (jar, manifest, purl) in cases {
            let out = from_manifest(jar, manifest);
            assert_eq!(out.components.len(), 1, "{jar}: {:?}", out.unidentified);
            let c = &out.components[0];
            assert_eq!(c.purl(), purl);
            assert_eq!(c.identified_by, Identification::Manifest);
            assert_eq!(c.hashes[0].value, "5a");
            assert_eq!(
                c.evidence,
                [Evidence(format!("{jar}!/META-INF/MANIFEST.MF"))]
            );
            assert!(
                out.warnings[0].contains("Bundle-SymbolicName"),
                "{:?}",
                out.warnings
            );
        }
    }

    #[test]
    fn a_file_name_alone_never_names_a_maven_artifact() {
        // Named like log4j, but nothing inside says so.
        let out = from_manifest(
            "WEB-INF/lib/log4j-1.2.17.jar",
            "Manifest-Version: 1.0\nCreated-By: 11.0.2 (Oracle Corporation)\n",
        );
        assert!(out.components.is_empty());
        let u = &out.unidentified[0];
        assert_eq!(
            (u.name.as_str(), u.version.as_deref()),
            ("log4j", Some("1.2.17"))
        );
        assert_eq!(u.purl, None);
        assert_eq!(u.hashes[0].value, "5a");
        // A known symbolic name whose only version is bnd's rewrite is no Maven version.
        let out = from_manifest(
            "guava.jar",
            "Bundle-SymbolicName: com.google.guava\nBundle-Version: 31.1.0.jre\n",
        );
        assert!(out.components.is_empty(), "{:?}", out.components);
        // A prefix entry takes a plain artifactId only.
        let out = from_manifest(
            "t.jar",
            "Bundle-SymbolicName: org.apache.tomcat-\nBundle-Version: 9.0.70\n",
        );
        assert!(out.components.is_empty());
    }
}
