use std::str::FromStr;

use packageurl::PackageUrl;

use crate::Ecosystem;

/// A package (and optionally one version of it) in an ecosystem Vigil understands.
///
/// `name` is the ecosystem's own spelling of the package (`@babel/core` for npm, `Django` for
/// PyPI); `key()` is the normalised form used to look it up.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PackageRef {
    pub ecosystem: Ecosystem,
    pub name: String,
    pub version: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PurlError {
    #[error("{purl:?} is not a valid package URL: {reason}")]
    Invalid { purl: String, reason: String },
    #[error("{purl:?}: purl type {ty:?} is not supported yet (supported: npm, pypi)")]
    UnsupportedType { purl: String, ty: String },
}

impl PackageRef {
    pub fn new(ecosystem: Ecosystem, name: impl Into<String>, version: Option<String>) -> Self {
        PackageRef { ecosystem, name: name.into(), version }
    }

    /// The name as the ecosystem compares it (see [`Ecosystem::normalize_name`]).
    pub fn key(&self) -> String {
        self.ecosystem.normalize_name(&self.name)
    }

    /// Parses a purl such as `pkg:npm/%40babel/core@7.0.0` or `pkg:pypi/django@2.2`.
    pub fn parse_purl(purl: &str) -> Result<PackageRef, PurlError> {
        let parsed = PackageUrl::from_str(purl.trim()).map_err(|err| PurlError::Invalid {
            purl: purl.to_string(),
            reason: err.to_string(),
        })?;
        let ecosystem = Ecosystem::from_purl_type(parsed.ty()).ok_or_else(|| {
            PurlError::UnsupportedType { purl: purl.to_string(), ty: parsed.ty().to_string() }
        })?;
        let name = match (ecosystem, parsed.namespace()) {
            (Ecosystem::Npm, Some(scope)) => format!("{scope}/{}", parsed.name()),
            (Ecosystem::Npm, None) | (Ecosystem::PyPI, None) => parsed.name().to_string(),
            (Ecosystem::PyPI, Some(ns)) => {
                return Err(PurlError::Invalid {
                    purl: purl.to_string(),
                    reason: format!("pypi purls have no namespace, found {ns:?}"),
                })
            }
        };
        Ok(PackageRef { ecosystem, name, version: parsed.version().map(str::to_string) })
    }

    /// The canonical purl of this package (names canonicalised as the purl spec asks).
    pub fn to_purl(&self) -> String {
        let (namespace, name) = match self.ecosystem {
            Ecosystem::Npm => match self.name.rsplit_once('/') {
                Some((scope, name)) if self.name.starts_with('@') => (Some(scope), name),
                _ => (None, self.name.as_str()),
            },
            Ecosystem::PyPI => (None, self.name.as_str()),
        };
        let name = match self.ecosystem {
            Ecosystem::PyPI => self.key(),
            Ecosystem::Npm => name.to_string(),
        };
        let mut purl = match PackageUrl::new(self.ecosystem.purl_type(), name.clone()) {
            Ok(purl) => purl,
            // Only an empty name fails here; spell it out rather than panic.
            Err(_) => return format!("pkg:{}/{}", self.ecosystem.purl_type(), name),
        };
        if let Some(namespace) = namespace {
            let _ = purl.with_namespace(namespace.to_string());
        }
        if let Some(version) = &self.version {
            let _ = purl.with_version(version.clone());
        }
        purl.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purls_parse_into_ecosystem_names() {
        let cases = [
            ("pkg:npm/lodash@4.17.20", Ecosystem::Npm, "lodash", Some("4.17.20")),
            ("pkg:npm/%40babel/core@7.0.0", Ecosystem::Npm, "@babel/core", Some("7.0.0")),
            ("pkg:pypi/django@2.2", Ecosystem::PyPI, "django", Some("2.2")),
            ("pkg:pypi/Django", Ecosystem::PyPI, "django", None),
        ];
        for (purl, eco, name, version) in cases {
            let parsed = PackageRef::parse_purl(purl).unwrap();
            assert_eq!(parsed.ecosystem, eco, "{purl}");
            assert_eq!(parsed.name, name, "{purl}");
            assert_eq!(parsed.version.as_deref(), version, "{purl}");
        }
    }

    #[test]
    fn bad_and_unsupported_purls_are_named_in_the_error() {
        let err = PackageRef::parse_purl("not a purl").unwrap_err();
        assert!(err.to_string().contains("not a purl"), "{err}");
        let err = PackageRef::parse_purl("pkg:cocoapods/AFNetworking@4.0").unwrap_err();
        assert!(matches!(err, PurlError::UnsupportedType { .. }), "{err}");
    }

    #[test]
    fn purls_round_trip() {
        for purl in ["pkg:npm/%40babel/core@7.0.0", "pkg:npm/lodash@4.17.21", "pkg:pypi/zope-interface@5.0"] {
            assert_eq!(PackageRef::parse_purl(purl).unwrap().to_purl(), purl);
        }
        let django = PackageRef::new(Ecosystem::PyPI, "Django", Some("3.2.1".into()));
        assert_eq!(django.to_purl(), "pkg:pypi/django@3.2.1");
    }
}
