use std::fmt;

/// A package ecosystem as OSV names it.
///
/// Only the ecosystems whose version order Vigil implements are listed; an OSV record for any
/// other ecosystem is still stored, but never matched (see `vigil-advisories`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ecosystem {
    Npm,
    PyPI,
}

impl Ecosystem {
    pub const ALL: [Ecosystem; 2] = [Ecosystem::Npm, Ecosystem::PyPI];

    /// The exact ecosystem string used in OSV records (`affected[].package.ecosystem`).
    pub fn osv_name(self) -> &'static str {
        match self {
            Ecosystem::Npm => "npm",
            Ecosystem::PyPI => "PyPI",
        }
    }

    /// Parses an OSV ecosystem string. OSV allows a `:suffix` (e.g. `Debian:12`); the base
    /// name decides the version semantics.
    pub fn from_osv(name: &str) -> Option<Ecosystem> {
        let base = name.split(':').next().unwrap_or(name);
        match base {
            "npm" => Some(Ecosystem::Npm),
            "PyPI" => Some(Ecosystem::PyPI),
            _ => None,
        }
    }

    /// The purl type (https://github.com/package-url/purl-spec) of this ecosystem.
    pub fn purl_type(self) -> &'static str {
        match self {
            Ecosystem::Npm => "npm",
            Ecosystem::PyPI => "pypi",
        }
    }

    pub fn from_purl_type(ty: &str) -> Option<Ecosystem> {
        match ty.to_ascii_lowercase().as_str() {
            "npm" => Some(Ecosystem::Npm),
            "pypi" => Some(Ecosystem::PyPI),
            _ => None,
        }
    }

    /// The package name as this ecosystem compares it, so that one package has one key.
    ///
    /// PyPI: PEP 503 (`Django`, `django` and `DJANGO`, `zope.interface` and `zope-interface`
    /// are the same project). npm names are case-sensitive and kept as they are.
    pub fn normalize_name(self, name: &str) -> String {
        match self {
            Ecosystem::Npm => name.trim().to_string(),
            Ecosystem::PyPI => pep503_normalize(name),
        }
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.osv_name())
    }
}

/// PEP 503: lowercase, and every run of `-`, `_` and `.` becomes a single `-`.
fn pep503_normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_separator_run = false;
    for ch in name.trim().chars() {
        if matches!(ch, '-' | '_' | '.') {
            if !in_separator_run {
                out.push('-');
            }
            in_separator_run = true;
        } else {
            out.extend(ch.to_lowercase());
            in_separator_run = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pypi_names_normalise_per_pep503() {
        let cases = [
            ("Django", "django"),
            ("DJANGO", "django"),
            ("zope.interface", "zope-interface"),
            ("Foo__Bar--baz..qux", "foo-bar-baz-qux"),
            ("  requests ", "requests"),
        ];
        for (input, expected) in cases {
            assert_eq!(Ecosystem::PyPI.normalize_name(input), expected, "{input}");
        }
    }

    #[test]
    fn npm_names_keep_case() {
        assert_eq!(Ecosystem::Npm.normalize_name("@Babel/Core"), "@Babel/Core");
    }

    #[test]
    fn osv_names_round_trip_and_suffixes_are_ignored() {
        for eco in Ecosystem::ALL {
            assert_eq!(Ecosystem::from_osv(eco.osv_name()), Some(eco));
            assert_eq!(Ecosystem::from_purl_type(eco.purl_type()), Some(eco));
        }
        assert_eq!(Ecosystem::from_osv("PyPI:extra"), Some(Ecosystem::PyPI));
        assert_eq!(Ecosystem::from_osv("pypi"), None, "OSV ecosystem names are case-sensitive");
        assert_eq!(Ecosystem::from_osv("Maven"), None);
    }
}
