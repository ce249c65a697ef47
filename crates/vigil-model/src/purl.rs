use std::str::FromStr;

use packageurl::PackageUrl;

use crate::Ecosystem;

/// A package (and optionally one version of it) in an ecosystem Vigil understands.
///
/// `name` is the ecosystem's own spelling of the package (`@babel/core` for npm, `Django` for
/// PyPI, `org.apache.logging.log4j:log4j-core` for Maven, `github.com/x/y` for Go,
/// `vendor/name` for Packagist); `key()` is the normalised form used to look it up. `version`
/// is the version as the ecosystem writes it; for RPM purls the `epoch` qualifier is folded in
/// (`1:2.3-4`), as RPM compares epoch:version-release.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PackageRef {
    pub ecosystem: Ecosystem,
    pub name: String,
    pub version: Option<String>,
    /// For distribution packages, the release they were built for (`12`, `22.04`, `3.18`; see
    /// [`crate::release`]): only advisories for that release match. `None` matches every release.
    pub release: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PurlError {
    #[error("{purl:?} is not a valid package URL: {reason}")]
    Invalid { purl: String, reason: String },
    #[error("{purl:?}: purl type {ty:?} is not supported yet (supported: {SUPPORTED_TYPES})")]
    UnsupportedType { purl: String, ty: String },
    #[error("{purl:?}: {ty} packages of {distro:?} are not supported (supported: {supported})")]
    UnsupportedDistro {
        purl: String,
        ty: String,
        distro: String,
        supported: String,
    },
}

const SUPPORTED_TYPES: &str =
    "npm, pypi, maven, golang, cargo, nuget, gem, composer, pub, hex, conan, deb, apk, rpm";

impl PackageRef {
    pub fn new(ecosystem: Ecosystem, name: impl Into<String>, version: Option<String>) -> Self {
        PackageRef {
            ecosystem,
            name: name.into(),
            version,
            release: None,
        }
    }

    /// The same package, built for a distribution release.
    pub fn with_release(mut self, release: Option<String>) -> Self {
        self.release = release;
        self
    }

    /// The name as the ecosystem compares it (see [`Ecosystem::normalize_name`]).
    pub fn key(&self) -> String {
        self.ecosystem.normalize_name(&self.name)
    }

    /// Parses a purl such as `pkg:npm/%40babel/core@7.0.0`, `pkg:pypi/django@2.2`,
    /// `pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1`,
    /// `pkg:golang/github.com/gin-gonic/gin@v1.9.0` or `pkg:deb/debian/curl@7.88.1-10`.
    pub fn parse_purl(purl: &str) -> Result<PackageRef, PurlError> {
        let invalid = |reason: String| PurlError::Invalid {
            purl: purl.to_string(),
            reason,
        };
        let parsed = PackageUrl::from_str(purl.trim()).map_err(|err| invalid(err.to_string()))?;
        let case_kept =
            case_kept_path(purl.trim(), &parsed).map_err(|err| invalid(err.to_string()))?;
        let qualifier = |key: &str| parsed.qualifiers().get(key).map(|value| value.as_ref());
        let ecosystem =
            match Ecosystem::from_purl_type(parsed.ty(), parsed.namespace(), qualifier("distro")) {
                Some(ecosystem) => ecosystem,
                None => {
                    return Err(unsupported(
                        purl,
                        parsed.ty(),
                        parsed.namespace().or(qualifier("distro")),
                    ))
                }
            };
        let namespace = parsed.namespace();
        let name = match ecosystem {
            Ecosystem::Npm | Ecosystem::Go => case_kept.unwrap_or_default(),
            Ecosystem::Hex => match namespace {
                Some(namespace) => format!("{namespace}/{}", parsed.name()),
                None => parsed.name().to_string(),
            },
            Ecosystem::Maven => match namespace {
                Some(group) => format!("{group}:{}", parsed.name()),
                None => return Err(invalid("maven purls need a namespace (the groupId)".into())),
            },
            Ecosystem::Packagist => match namespace {
                Some(vendor) => format!("{vendor}/{}", parsed.name()),
                None => {
                    return Err(invalid(
                        "composer purls need a namespace (the vendor)".into(),
                    ))
                }
            },
            Ecosystem::PyPI
            | Ecosystem::CratesIo
            | Ecosystem::NuGet
            | Ecosystem::RubyGems
            | Ecosystem::Pub => match namespace {
                Some(ns) => {
                    return Err(invalid(format!(
                        "{} purls have no namespace, found {ns:?}",
                        parsed.ty()
                    )))
                }
                None => parsed.name().to_string(),
            },
            // A Conan purl's optional namespace is the vendor, which a Conan reference does not
            // carry: the package is its name (https://github.com/package-url/purl-spec, conan).
            Ecosystem::ConanCenter => parsed.name().to_string(),
            // The namespace names the distribution, and was used to pick the ecosystem.
            Ecosystem::Debian
            | Ecosystem::Ubuntu
            | Ecosystem::Alpine
            | Ecosystem::RedHat
            | Ecosystem::RockyLinux
            | Ecosystem::AlmaLinux => parsed.name().to_string(),
        };
        let version =
            parsed.version().map(
                |version| match (ecosystem.purl_type(), qualifier("epoch")) {
                    // The purl spec carries an RPM epoch as a qualifier; RPM orders epoch:version-release.
                    ("rpm", Some(epoch)) if !epoch.is_empty() && !version.contains(':') => {
                        format!("{epoch}:{version}")
                    }
                    _ => version.to_string(),
                },
            );
        let release = qualifier("distro").and_then(|d| crate::release::purl_release(ecosystem, d));
        Ok(PackageRef {
            ecosystem,
            name,
            version,
            release,
        })
    }

    /// The canonical purl of this package (names canonicalised as the purl spec asks).
    pub fn to_purl(&self) -> String {
        let name = self.name.as_str();
        let (namespace, name) = match self.ecosystem {
            Ecosystem::Npm => match name.rsplit_once('/') {
                Some((scope, name)) if self.name.starts_with('@') => (Some(scope), name),
                _ => (None, name),
            },
            Ecosystem::Go | Ecosystem::Hex => match name.rsplit_once('/') {
                Some((namespace, name)) => (Some(namespace), name),
                None => (None, name),
            },
            Ecosystem::Maven => match name.split_once(':') {
                Some((group, artifact)) => (Some(group), artifact),
                None => (None, name),
            },
            Ecosystem::Packagist => match name.split_once('/') {
                Some((vendor, name)) => (Some(vendor), name),
                None => (None, name),
            },
            Ecosystem::PyPI
            | Ecosystem::CratesIo
            | Ecosystem::NuGet
            | Ecosystem::RubyGems
            | Ecosystem::Pub
            | Ecosystem::ConanCenter => (None, name),
            Ecosystem::Debian
            | Ecosystem::Ubuntu
            | Ecosystem::Alpine
            | Ecosystem::RedHat
            | Ecosystem::RockyLinux
            | Ecosystem::AlmaLinux => (self.ecosystem.purl_distro_namespace(), name),
        };
        let name = match self.ecosystem {
            Ecosystem::PyPI => self.key(),
            Ecosystem::Npm
            | Ecosystem::Maven
            | Ecosystem::Go
            | Ecosystem::CratesIo
            | Ecosystem::NuGet
            | Ecosystem::RubyGems
            | Ecosystem::Packagist
            | Ecosystem::Pub
            | Ecosystem::Hex
            | Ecosystem::Debian
            | Ecosystem::Ubuntu
            | Ecosystem::Alpine
            | Ecosystem::RedHat
            | Ecosystem::RockyLinux
            | Ecosystem::AlmaLinux
            | Ecosystem::ConanCenter => name.to_string(),
        };
        let ty = self.ecosystem.purl_type();
        let keeps_case = CASE_KEPT_TYPES.contains(&ty);
        let built_as = if keeps_case { RULELESS_TYPE } else { ty };
        let mut purl = match PackageUrl::new(built_as, name.clone()) {
            Ok(purl) => purl,
            // Only an empty name fails here; spell it out rather than panic.
            Err(_) => return format!("pkg:{ty}/{name}"),
        };
        if let Some(namespace) = namespace {
            let _ = purl.with_namespace(namespace.to_string());
        }
        if let Some(version) = &self.version {
            match version.split_once(':') {
                Some((epoch, rest))
                    if ty == "rpm"
                        && !epoch.is_empty()
                        && epoch.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    let _ = purl.with_version(rest.to_string());
                    let _ = purl.add_qualifier("epoch", epoch.to_string());
                }
                _ => {
                    let _ = purl.with_version(version.clone());
                }
            }
        }
        if let Some(release) = &self.release {
            let _ = purl.add_qualifier(
                "distro",
                crate::release::purl_distro(self.ecosystem, release),
            );
        }
        let printed = purl.to_string();
        match printed.strip_prefix(&format!("pkg:{RULELESS_TYPE}/")) {
            Some(rest) if keeps_case => format!("pkg:{ty}/{rest}"),
            _ => printed,
        }
    }
}

/// The purl types whose namespace and name keep their case. The purl spec made npm and golang
/// case-sensitive (package-url/purl-spec#872, May 2026): legacy npm packages such as `JSONStream`
/// (distinct from the later `jsonstream`) and Go module paths such as
/// `github.com/BurntSushi/toml` are spelled as their registries spell them. `packageurl` 0.7.1,
/// the newest release, still applies the old rule and lowercases both when parsing and printing,
/// so these types go through it under [`RULELESS_TYPE`], a type it has no rules for: its
/// percent-decoding, encoding and validation still do the work, only the case is left alone.
const CASE_KEPT_TYPES: [&str; 2] = ["npm", "golang"];
const RULELESS_TYPE: &str = "vigil-case-kept";

/// `namespace/name` of a purl of a [`CASE_KEPT_TYPES`] type as written, `None` for other types.
fn case_kept_path(
    purl: &str,
    parsed: &PackageUrl<'_>,
) -> Result<Option<String>, packageurl::Error> {
    if !CASE_KEPT_TYPES.contains(&parsed.ty()) {
        return Ok(None);
    }
    // `parsed` succeeded, so there is a scheme and a type, maybe after slashes (`pkg:/npm/…`).
    let after_scheme = purl.split_once(':').map_or("", |(_, rest)| rest);
    let after_type = after_scheme
        .trim_start_matches('/')
        .split_once('/')
        .map_or("", |(_, rest)| rest);
    let kept = PackageUrl::from_str(&format!("pkg:{RULELESS_TYPE}/{after_type}"))?;
    Ok(Some(match kept.namespace() {
        Some(namespace) => format!("{namespace}/{}", kept.name()),
        None => kept.name().to_string(),
    }))
}

fn unsupported(purl: &str, ty: &str, distro: Option<&str>) -> PurlError {
    let ty = ty.to_ascii_lowercase();
    let namespaces: Vec<&str> = Ecosystem::ALL
        .into_iter()
        .filter(|eco| eco.purl_type() == ty)
        .filter_map(Ecosystem::purl_distro_namespace)
        .collect();
    if namespaces.is_empty() {
        return PurlError::UnsupportedType {
            purl: purl.to_string(),
            ty,
        };
    }
    PurlError::UnsupportedDistro {
        purl: purl.to_string(),
        ty,
        distro: distro.unwrap_or("").to_string(),
        supported: format!(
            "the namespace {} or a distro qualifier naming one",
            namespaces.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_distro_release_travels_in_the_distro_qualifier() {
        let package = PackageRef::parse_purl(
            "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=bookworm",
        )
        .unwrap();
        assert_eq!(package.release.as_deref(), Some("12"));
        assert_eq!(
            package.to_purl(),
            "pkg:deb/debian/openssl@3.0.11-1~deb12u2?distro=debian-12"
        );
        let apk = PackageRef::new(Ecosystem::Alpine, "busybox", Some("1.36.1-r5".into()))
            .with_release(Some("3.18".into()));
        assert_eq!(PackageRef::parse_purl(&apk.to_purl()).unwrap(), apk);
        let npm = PackageRef::parse_purl("pkg:npm/lodash@4.17.21?distro=debian-12").unwrap();
        assert_eq!(
            npm.release, None,
            "only distribution packages have releases"
        );
    }

    #[test]
    fn purls_parse_into_ecosystem_names() {
        let cases = [
            (
                "pkg:npm/lodash@4.17.20",
                Ecosystem::Npm,
                "lodash",
                Some("4.17.20"),
            ),
            (
                "pkg:npm/%40babel/core@7.0.0",
                Ecosystem::Npm,
                "@babel/core",
                Some("7.0.0"),
            ),
            (
                "pkg:pypi/django@2.2",
                Ecosystem::PyPI,
                "django",
                Some("2.2"),
            ),
            ("pkg:pypi/Django", Ecosystem::PyPI, "django", None),
            (
                "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar",
                Ecosystem::Maven,
                "org.apache.logging.log4j:log4j-core",
                Some("2.14.1"),
            ),
            (
                "pkg:golang/github.com/gin-gonic/gin@v1.9.0",
                Ecosystem::Go,
                "github.com/gin-gonic/gin",
                Some("v1.9.0"),
            ),
            (
                "pkg:golang/stdlib@1.20.1",
                Ecosystem::Go,
                "stdlib",
                Some("1.20.1"),
            ),
            (
                "pkg:cargo/serde_json@1.0.100",
                Ecosystem::CratesIo,
                "serde_json",
                Some("1.0.100"),
            ),
            (
                "pkg:nuget/Newtonsoft.Json@13.0.1",
                Ecosystem::NuGet,
                "Newtonsoft.Json",
                Some("13.0.1"),
            ),
            (
                "pkg:gem/rails@7.0.4",
                Ecosystem::RubyGems,
                "rails",
                Some("7.0.4"),
            ),
            (
                "pkg:composer/laravel/framework@v9.0.0",
                Ecosystem::Packagist,
                "laravel/framework",
                Some("v9.0.0"),
            ),
            (
                "pkg:pub/http@0.13.5",
                Ecosystem::Pub,
                "http",
                Some("0.13.5"),
            ),
            (
                "pkg:conan/zlib@1.2.13",
                Ecosystem::ConanCenter,
                "zlib",
                Some("1.2.13"),
            ),
            (
                "pkg:conan/openssl.org/openssl@3.0.3",
                Ecosystem::ConanCenter,
                "openssl",
                Some("3.0.3"),
            ),
            (
                "pkg:hex/plug@1.14.0",
                Ecosystem::Hex,
                "plug",
                Some("1.14.0"),
            ),
            (
                "pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=amd64",
                Ecosystem::Debian,
                "curl",
                Some("7.88.1-10+deb12u5"),
            ),
            (
                "pkg:deb/ubuntu/openssl@3.0.2-0ubuntu1.10",
                Ecosystem::Ubuntu,
                "openssl",
                Some("3.0.2-0ubuntu1.10"),
            ),
            (
                "pkg:deb/dpkg@1.19.0.4?distro=ubuntu-20.04",
                Ecosystem::Ubuntu,
                "dpkg",
                Some("1.19.0.4"),
            ),
            (
                "pkg:deb/debian/attr@1:2.4.47-2",
                Ecosystem::Debian,
                "attr",
                Some("1:2.4.47-2"),
            ),
            (
                "pkg:apk/alpine/busybox@1.36.1-r2?arch=x86_64",
                Ecosystem::Alpine,
                "busybox",
                Some("1.36.1-r2"),
            ),
            (
                "pkg:rpm/redhat/openssl@3.0.7-24.el9?epoch=1&arch=x86_64",
                Ecosystem::RedHat,
                "openssl",
                Some("1:3.0.7-24.el9"),
            ),
            (
                "pkg:rpm/rocky/bash@5.1.8-6.el9_1",
                Ecosystem::RockyLinux,
                "bash",
                Some("5.1.8-6.el9_1"),
            ),
            (
                "pkg:rpm/almalinux/NetworkManager@1.42.2-1.el9",
                Ecosystem::AlmaLinux,
                "NetworkManager",
                Some("1.42.2-1.el9"),
            ),
        ];
        for (purl, eco, name, version) in cases {
            let parsed = PackageRef::parse_purl(purl).unwrap_or_else(|e| panic!("{purl}: {e}"));
            assert_eq!(parsed.ecosystem, eco, "{purl}");
            assert_eq!(parsed.name, name, "{purl}");
            assert_eq!(parsed.version.as_deref(), version, "{purl}");
        }
    }

    #[test]
    fn npm_and_go_names_keep_their_case_in_and_out_of_purls() {
        let json_stream = PackageRef::parse_purl("pkg:npm/JSONStream@1.3.5").unwrap();
        assert_eq!(json_stream.name, "JSONStream");
        assert_eq!(json_stream.to_purl(), "pkg:npm/JSONStream@1.3.5");
        let lower = PackageRef::parse_purl("pkg:npm/jsonstream@1.3.5").unwrap();
        assert_ne!(
            lower.key(),
            json_stream.key(),
            "npm's JSONStream and jsonstream are two packages"
        );
        let scoped = PackageRef::new(Ecosystem::Npm, "@Scope/Pkg", Some("1.0.0".into()));
        assert_eq!(scoped.to_purl(), "pkg:npm/%40Scope/Pkg@1.0.0");
        assert_eq!(PackageRef::parse_purl(&scoped.to_purl()).unwrap(), scoped);

        let toml = PackageRef::new(
            Ecosystem::Go,
            "github.com/BurntSushi/toml",
            Some("v1.4.0".into()),
        );
        assert_eq!(
            toml.to_purl(),
            "pkg:golang/github.com/BurntSushi/toml@v1.4.0"
        );
        assert_eq!(PackageRef::parse_purl(&toml.to_purl()).unwrap(), toml);
        // A purl another tool lowercased under the old rule is still the same Go module.
        let lowered =
            PackageRef::parse_purl("pkg:golang/github.com/burntsushi/toml@v1.4.0").unwrap();
        assert_eq!(lowered.name, "github.com/burntsushi/toml");
        assert_eq!(lowered.key(), toml.key());
        // The type itself is still read in any case, and other types keep their rules.
        let upper_type = PackageRef::parse_purl("pkg:NPM/JSONStream@1.3.5").unwrap();
        assert_eq!(upper_type.name, "JSONStream");
        assert_eq!(
            PackageRef::parse_purl("pkg:pypi/Django@4.2")
                .unwrap()
                .to_purl(),
            "pkg:pypi/django@4.2"
        );
        assert_eq!(
            PackageRef::new(Ecosystem::Packagist, "Symfony/Console", None).to_purl(),
            "pkg:composer/symfony/console"
        );
    }

    #[test]
    fn bad_and_unsupported_purls_are_named_in_the_error() {
        let err = PackageRef::parse_purl("not a purl").unwrap_err();
        assert!(err.to_string().contains("not a purl"), "{err}");
        let err = PackageRef::parse_purl("pkg:cocoapods/AFNetworking@4.0").unwrap_err();
        assert!(matches!(err, PurlError::UnsupportedType { .. }), "{err}");
        let err = PackageRef::parse_purl("pkg:rpm/fedora/curl@7.50.3-1.fc25").unwrap_err();
        assert!(matches!(err, PurlError::UnsupportedDistro { .. }), "{err}");
        assert!(
            err.to_string().contains("redhat, rocky, almalinux"),
            "{err}"
        );
        let err = PackageRef::parse_purl("pkg:deb/curl@7.50.3-1").unwrap_err();
        assert!(err.to_string().contains("debian, ubuntu"), "{err}");
        let err = PackageRef::parse_purl("pkg:maven/log4j-core@2.14.1").unwrap_err();
        assert!(err.to_string().contains("groupId"), "{err}");
    }

    #[test]
    fn purls_round_trip() {
        for purl in [
            "pkg:npm/%40babel/core@7.0.0",
            "pkg:npm/lodash@4.17.21",
            "pkg:pypi/zope-interface@5.0",
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
            "pkg:golang/github.com/gin-gonic/gin@v1.9.0",
            "pkg:cargo/serde_json@1.0.100",
            "pkg:conan/zlib@1.2.13",
            "pkg:composer/laravel/framework@9.0.0",
            "pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5",
            "pkg:apk/alpine/busybox@1.36.1-r2",
            "pkg:rpm/redhat/openssl@3.0.7-24.el9?epoch=1",
            "pkg:rpm/rocky/bash@5.1.8-6.el9_1",
        ] {
            assert_eq!(PackageRef::parse_purl(purl).unwrap().to_purl(), purl);
        }
        let django = PackageRef::new(Ecosystem::PyPI, "Django", Some("3.2.1".into()));
        assert_eq!(django.to_purl(), "pkg:pypi/django@3.2.1");
        let log4j = PackageRef::new(
            Ecosystem::Maven,
            "org.apache.logging.log4j:log4j-core",
            Some("2.17.1".into()),
        );
        assert_eq!(
            log4j.to_purl(),
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1"
        );
    }
}
