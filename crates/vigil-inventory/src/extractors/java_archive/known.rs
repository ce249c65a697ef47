//! Manifest headers → Maven coordinates, for the jars that carry no `pom.properties` (built by
//! Ant or bnd, rebuilt by a distribution, renamed on copy).
//!
//! A manifest names no Maven coordinates, and a symbolic name cannot say where the groupId
//! ends (`com.google.guava` is Guava's groupId, `org.apache.commons.lang3` is commons-lang3's
//! symbolic name but not its groupId). So nothing is derived by rule: each entry below is a
//! mapping a project documents (the build file that writes the header, and the coordinates it
//! publishes under), kept small and only for widely deployed libraries whose advisories matter.
//! A jar whose headers match none stays unidentified.

/// One mapping. `value` ending in `*` matches a prefix; the rest (a plain artifactId token,
/// no dots) replaces the `*` of `artifact`.
pub(super) struct Known {
    pub header: &'static str,
    pub value: &'static str,
    pub group: &'static str,
    pub artifact: &'static str,
}

const fn known(
    header: &'static str,
    value: &'static str,
    group: &'static str,
    artifact: &'static str,
) -> Known {
    Known {
        header,
        value,
        group,
        artifact,
    }
}

const BSN: &str = "Bundle-SymbolicName";
const AMN: &str = "Automatic-Module-Name";

/// First match wins: specific entries before the prefixes they would also match.
pub(super) const KNOWN: &[Known] = &[
    // Log4j 1.x: the bnd build Debian's liblog4j1.2-java uses (and Log4j 1.2's own
    // maven-bundle-plugin) names the bundle after its package; published as log4j:log4j
    // (https://logging.apache.org/log4j/1.2/dependencies.html).
    known(BSN, "org.apache.log4j", "log4j", "log4j"),
    // JNA's build.xml writes `Bundle-SymbolicName: com.sun.jna` (and `com.sun.jna.platform`);
    // published as net.java.dev.jna (https://github.com/java-native-access/jna#download).
    known(BSN, "com.sun.jna", "net.java.dev.jna", "jna"),
    known(AMN, "com.sun.jna", "net.java.dev.jna", "jna"),
    known(
        BSN,
        "com.sun.jna.platform",
        "net.java.dev.jna",
        "jna-platform",
    ),
    known(
        AMN,
        "com.sun.jna.platform",
        "net.java.dev.jna",
        "jna-platform",
    ),
    // Tomcat's bnd files (res/bnd/*.jar.tmp.bnd) name each jar `org.apache.tomcat-<module>`,
    // published as org.apache.tomcat:tomcat-<module> (res/maven/*.pom), except the embedded
    // jars, published under org.apache.tomcat.embed
    // (https://tomcat.apache.org/maven-stuff.html). `Implementation-Title: Apache Tomcat` is
    // on every Tomcat jar and says nothing of which one.
    known(
        BSN,
        "org.apache.tomcat-embed-*",
        "org.apache.tomcat.embed",
        "tomcat-embed-*",
    ),
    known(BSN, "org.apache.tomcat-*", "org.apache.tomcat", "tomcat-*"),
    // Apache Commons: commons-parent sets `commons.osgi.symbolicName` to
    // `org.apache.commons.<componentid>`; the groupId is each component's own (older ones
    // kept `commons-<name>`), https://commons.apache.org/components.html.
    known(
        BSN,
        "org.apache.commons.lang3",
        "org.apache.commons",
        "commons-lang3",
    ),
    known(
        BSN,
        "org.apache.commons.lang",
        "commons-lang",
        "commons-lang",
    ),
    known(
        BSN,
        "org.apache.commons.text",
        "org.apache.commons",
        "commons-text",
    ),
    known(BSN, "org.apache.commons.io", "commons-io", "commons-io"),
    known(
        BSN,
        "org.apache.commons.codec",
        "commons-codec",
        "commons-codec",
    ),
    known(BSN, "org.apache.commons.cli", "commons-cli", "commons-cli"),
    known(
        BSN,
        "org.apache.commons.logging",
        "commons-logging",
        "commons-logging",
    ),
    known(
        BSN,
        "org.apache.commons.collections",
        "commons-collections",
        "commons-collections",
    ),
    known(
        BSN,
        "org.apache.commons.collections4",
        "org.apache.commons",
        "commons-collections4",
    ),
    known(
        BSN,
        "org.apache.commons.compress",
        "org.apache.commons",
        "commons-compress",
    ),
    known(
        BSN,
        "org.apache.commons.beanutils",
        "commons-beanutils",
        "commons-beanutils",
    ),
    known(
        BSN,
        "org.apache.commons.fileupload",
        "commons-fileupload",
        "commons-fileupload",
    ),
    // Guava's pom gives the bundle its groupId as symbolic name
    // (https://github.com/google/guava/blob/master/guava/pom.xml, maven-bundle-plugin).
    known(BSN, "com.google.guava", "com.google.guava", "guava"),
    // SLF4J's poms name the bundles `slf4j.api`, `jcl.over.slf4j`... (https://www.slf4j.org/).
    known(BSN, "slf4j.api", "org.slf4j", "slf4j-api"),
    known(BSN, "slf4j.simple", "org.slf4j", "slf4j-simple"),
    known(BSN, "jcl.over.slf4j", "org.slf4j", "jcl-over-slf4j"),
    known(BSN, "log4j.over.slf4j", "org.slf4j", "log4j-over-slf4j"),
    known(BSN, "jul.to.slf4j", "org.slf4j", "jul-to-slf4j"),
    // Jackson's parent pom sets the symbolic name to `${groupId}.${artifactId}`
    // (https://github.com/FasterXML/jackson-parent, `osgi.symbolicName`).
    known(
        BSN,
        "com.fasterxml.jackson.core.*",
        "com.fasterxml.jackson.core",
        "*",
    ),
    known(
        BSN,
        "com.fasterxml.jackson.dataformat.*",
        "com.fasterxml.jackson.dataformat",
        "*",
    ),
    known(
        BSN,
        "com.fasterxml.jackson.datatype.*",
        "com.fasterxml.jackson.datatype",
        "*",
    ),
    known(
        BSN,
        "com.fasterxml.jackson.module.*",
        "com.fasterxml.jackson.module",
        "*",
    ),
];

/// The coordinates the first matching entry gives, and the header and value it matched.
pub(super) fn identify<'m>(
    get: impl Fn(&str) -> Option<&'m str>,
) -> Option<(String, String, &'static str, &'m str)> {
    KNOWN.iter().find_map(|k| {
        let value = get(k.header)?;
        let artifact = match k.value.strip_suffix('*') {
            None => (value == k.value).then(|| k.artifact.to_string())?,
            Some(prefix) => {
                let rest = value.strip_prefix(prefix)?;
                let plain = !rest.is_empty()
                    && rest
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                plain.then(|| k.artifact.replace('*', rest))?
            }
        };
        Some((k.group.to_string(), artifact, k.header, value))
    })
}
