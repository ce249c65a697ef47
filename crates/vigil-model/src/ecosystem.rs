use std::fmt;

/// A package ecosystem as OSV names it.
///
/// Only the ecosystems whose version order Vigil implements are listed; an OSV record for any
/// other ecosystem is still stored, but never matched (see `vigil-advisories`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ecosystem {
    Npm,
    PyPI,
    Maven,
    Go,
    CratesIo,
    NuGet,
    RubyGems,
    Packagist,
    Pub,
    Hex,
    Debian,
    Ubuntu,
    Alpine,
    RedHat,
    RockyLinux,
    AlmaLinux,
    /// Conan packages from ConanCenter (OSV's name for Conan's public remote).
    ConanCenter,
}

impl Ecosystem {
    pub const ALL: [Ecosystem; 17] = [
        Ecosystem::Npm,
        Ecosystem::PyPI,
        Ecosystem::Maven,
        Ecosystem::Go,
        Ecosystem::CratesIo,
        Ecosystem::NuGet,
        Ecosystem::RubyGems,
        Ecosystem::Packagist,
        Ecosystem::Pub,
        Ecosystem::Hex,
        Ecosystem::Debian,
        Ecosystem::Ubuntu,
        Ecosystem::Alpine,
        Ecosystem::RedHat,
        Ecosystem::RockyLinux,
        Ecosystem::AlmaLinux,
        Ecosystem::ConanCenter,
    ];

    /// The exact ecosystem string used in OSV records (`affected[].package.ecosystem`).
    pub fn osv_name(self) -> &'static str {
        match self {
            Ecosystem::Npm => "npm",
            Ecosystem::PyPI => "PyPI",
            Ecosystem::Maven => "Maven",
            Ecosystem::Go => "Go",
            Ecosystem::CratesIo => "crates.io",
            Ecosystem::NuGet => "NuGet",
            Ecosystem::RubyGems => "RubyGems",
            Ecosystem::Packagist => "Packagist",
            Ecosystem::Pub => "Pub",
            Ecosystem::Hex => "Hex",
            Ecosystem::Debian => "Debian",
            Ecosystem::Ubuntu => "Ubuntu",
            Ecosystem::Alpine => "Alpine",
            Ecosystem::RedHat => "Red Hat",
            Ecosystem::RockyLinux => "Rocky Linux",
            Ecosystem::AlmaLinux => "AlmaLinux",
            Ecosystem::ConanCenter => "ConanCenter",
        }
    }

    /// Parses an OSV ecosystem string. OSV allows a `:suffix` (`Debian:12`, `Ubuntu:22.04:LTS`,
    /// `Alpine:v3.18`, `Red Hat:enterprise_linux:9::appstream`); the base name before the first
    /// `:` decides the version semantics.
    pub fn from_osv(name: &str) -> Option<Ecosystem> {
        let base = name.split(':').next().unwrap_or(name);
        Ecosystem::ALL
            .into_iter()
            .find(|eco| eco.osv_name() == base)
    }

    /// The purl type (https://github.com/package-url/purl-spec) of this ecosystem.
    pub fn purl_type(self) -> &'static str {
        match self {
            Ecosystem::Npm => "npm",
            Ecosystem::PyPI => "pypi",
            Ecosystem::Maven => "maven",
            Ecosystem::Go => "golang",
            Ecosystem::CratesIo => "cargo",
            Ecosystem::NuGet => "nuget",
            Ecosystem::RubyGems => "gem",
            Ecosystem::Packagist => "composer",
            Ecosystem::Pub => "pub",
            Ecosystem::Hex => "hex",
            Ecosystem::Debian | Ecosystem::Ubuntu => "deb",
            Ecosystem::Alpine => "apk",
            Ecosystem::RedHat | Ecosystem::RockyLinux | Ecosystem::AlmaLinux => "rpm",
            Ecosystem::ConanCenter => "conan",
        }
    }

    /// The purl namespace that names the distribution, for the purl types several
    /// distributions share (`pkg:deb/debian/…`, `pkg:rpm/redhat/…`); `None` elsewhere.
    pub fn purl_distro_namespace(self) -> Option<&'static str> {
        match self {
            Ecosystem::Debian => Some("debian"),
            Ecosystem::Ubuntu => Some("ubuntu"),
            Ecosystem::Alpine => Some("alpine"),
            Ecosystem::RedHat => Some("redhat"),
            Ecosystem::RockyLinux => Some("rocky"),
            Ecosystem::AlmaLinux => Some("almalinux"),
            Ecosystem::Npm
            | Ecosystem::PyPI
            | Ecosystem::Maven
            | Ecosystem::Go
            | Ecosystem::CratesIo
            | Ecosystem::NuGet
            | Ecosystem::RubyGems
            | Ecosystem::Packagist
            | Ecosystem::Pub
            | Ecosystem::Hex
            | Ecosystem::ConanCenter => None,
        }
    }

    /// The ecosystem of a purl type. `deb`, `apk` and `rpm` name several distributions: the
    /// namespace decides (`debian`, `ubuntu`; `alpine`; `redhat`, `rocky`, `almalinux`), and
    /// without one the `distro` qualifier's name does (`distro=debian-12`, `distro=ubuntu-22.04`).
    pub fn from_purl_type(
        ty: &str,
        namespace: Option<&str>,
        distro: Option<&str>,
    ) -> Option<Ecosystem> {
        let ty = ty.to_ascii_lowercase();
        let single = match ty.as_str() {
            "npm" => Some(Ecosystem::Npm),
            "pypi" => Some(Ecosystem::PyPI),
            "maven" => Some(Ecosystem::Maven),
            "golang" => Some(Ecosystem::Go),
            "cargo" => Some(Ecosystem::CratesIo),
            "nuget" => Some(Ecosystem::NuGet),
            "gem" => Some(Ecosystem::RubyGems),
            "composer" => Some(Ecosystem::Packagist),
            "pub" => Some(Ecosystem::Pub),
            "hex" => Some(Ecosystem::Hex),
            "conan" => Some(Ecosystem::ConanCenter),
            _ => None,
        };
        if single.is_some() {
            return single;
        }
        let vendor = namespace.map(str::to_ascii_lowercase).or_else(|| {
            distro.map(|d| d.split(['-', ':']).next().unwrap_or(d).to_ascii_lowercase())
        })?;
        Ecosystem::ALL.into_iter().find(|eco| {
            eco.purl_type() == ty && eco.purl_distro_namespace() == Some(vendor.as_str())
        })
    }

    /// The package name as this ecosystem compares it, so that one package has one key.
    ///
    /// - PyPI: PEP 503 (`Django`, `django` and `DJANGO`, `zope.interface` and `zope-interface`
    ///   are the same project).
    /// - npm names are case-sensitive and kept as they are (a scope included).
    /// - Maven: `groupId:artifactId`, case-sensitive as Maven coordinates are.
    /// - Go: module paths are case-sensitive to the Go proxy, and names and purls keep the path
    ///   as written (`pkg:golang/github.com/BurntSushi/toml`, as the purl spec now asks). The
    ///   key, what is matched, is still the lowercased path: tools that followed the purl spec's
    ///   old rule wrote `pkg:golang/github.com/burntsushi/toml`, which must still find advisories
    ///   filed under `github.com/BurntSushi/toml`, and OSV itself files one module under both
    ///   spellings (`github.com/0xJacky/Nginx-UI`, GO-2024-2462; `github.com/0xJacky/nginx-ui`,
    ///   GO-2026-4901). Distinct modules whose paths differ only in case do not occur in practice
    ///   (`Sirupsen/logrus` and `sirupsen/logrus` are one repository).
    /// - crates.io: crates.io compares names with its `canon_crate_name` SQL function,
    ///   `replace(lower(name), '-', '_')`, and refuses a new crate that equals an existing one
    ///   under it (rust-lang/crates.io); so `Serde`/`serde` and `foo-bar`/`foo_bar` are one crate,
    ///   and the key is that canonical form.
    /// - NuGet package ids and Packagist (Composer) names are case-insensitive: lowercased.
    /// - RubyGems names are case-sensitive; Pub and Hex names are lowercase by rule; distribution
    ///   package names are as the distribution writes them; Conan 2 requires lowercase names
    ///   and Conan 1's (case-sensitive) references keep theirs: all kept as they are.
    pub fn normalize_name(self, name: &str) -> String {
        let name = name.trim();
        match self {
            Ecosystem::PyPI => pep503_normalize(name),
            Ecosystem::Go => name.to_lowercase(),
            Ecosystem::CratesIo => name.to_ascii_lowercase().replace('-', "_"),
            Ecosystem::NuGet | Ecosystem::Packagist => name.to_lowercase(),
            Ecosystem::Npm
            | Ecosystem::Maven
            | Ecosystem::RubyGems
            | Ecosystem::Pub
            | Ecosystem::Hex
            | Ecosystem::Debian
            | Ecosystem::Ubuntu
            | Ecosystem::Alpine
            | Ecosystem::RedHat
            | Ecosystem::RockyLinux
            | Ecosystem::AlmaLinux
            | Ecosystem::ConanCenter => name.to_string(),
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
    fn names_normalise_as_each_ecosystem_compares_them() {
        let cases = [
            (
                Ecosystem::Maven,
                "org.apache.logging.log4j:log4j-core",
                "org.apache.logging.log4j:log4j-core",
            ),
            (Ecosystem::Maven, "Org.Example:Thing", "Org.Example:Thing"),
            (
                Ecosystem::Go,
                "github.com/BurntSushi/toml",
                "github.com/burntsushi/toml",
            ),
            (Ecosystem::CratesIo, "Serde_JSON", "serde_json"),
            (Ecosystem::CratesIo, "foo-bar", "foo_bar"),
            (Ecosystem::NuGet, "Newtonsoft.Json", "newtonsoft.json"),
            (
                Ecosystem::Packagist,
                "Symfony/HTTP-Kernel",
                "symfony/http-kernel",
            ),
            (Ecosystem::RubyGems, "RedCloth", "RedCloth"),
            (Ecosystem::Pub, "http", "http"),
            (Ecosystem::Hex, "plug", "plug"),
            (Ecosystem::Debian, "libssl3", "libssl3"),
            (Ecosystem::RedHat, "NetworkManager", "NetworkManager"),
            (Ecosystem::ConanCenter, "zlib", "zlib"),
        ];
        for (eco, input, expected) in cases {
            assert_eq!(eco.normalize_name(input), expected, "{eco} {input}");
        }
    }

    #[test]
    fn osv_names_round_trip_and_suffixes_are_ignored() {
        for eco in Ecosystem::ALL {
            assert_eq!(Ecosystem::from_osv(eco.osv_name()), Some(eco));
            let namespace = eco.purl_distro_namespace();
            assert_eq!(
                Ecosystem::from_purl_type(eco.purl_type(), namespace, None),
                Some(eco),
                "{eco}"
            );
        }
        assert_eq!(Ecosystem::from_osv("PyPI:extra"), Some(Ecosystem::PyPI));
        assert_eq!(Ecosystem::from_osv("Debian:12"), Some(Ecosystem::Debian));
        assert_eq!(
            Ecosystem::from_osv("Ubuntu:22.04:LTS"),
            Some(Ecosystem::Ubuntu)
        );
        assert_eq!(Ecosystem::from_osv("Alpine:v3.18"), Some(Ecosystem::Alpine));
        assert_eq!(
            Ecosystem::from_osv("Red Hat:enterprise_linux:9::appstream"),
            Some(Ecosystem::RedHat)
        );
        assert_eq!(
            Ecosystem::from_osv("Rocky Linux:9"),
            Some(Ecosystem::RockyLinux)
        );
        assert_eq!(
            Ecosystem::from_osv("pypi"),
            None,
            "OSV ecosystem names are case-sensitive"
        );
        assert_eq!(Ecosystem::from_osv("CRAN"), None);
        assert_eq!(Ecosystem::from_osv("Hackage"), None);
    }

    #[test]
    fn distro_purl_types_need_a_namespace_or_a_distro_qualifier() {
        assert_eq!(
            Ecosystem::from_purl_type("deb", None, Some("ubuntu-22.04")),
            Some(Ecosystem::Ubuntu)
        );
        assert_eq!(
            Ecosystem::from_purl_type("deb", None, Some("debian-12")),
            Some(Ecosystem::Debian)
        );
        assert_eq!(
            Ecosystem::from_purl_type("deb", Some("Debian"), None),
            Some(Ecosystem::Debian)
        );
        assert_eq!(Ecosystem::from_purl_type("deb", None, None), None);
        assert_eq!(Ecosystem::from_purl_type("deb", Some("fedora"), None), None);
        assert_eq!(
            Ecosystem::from_purl_type("rpm", Some("almalinux"), None),
            Some(Ecosystem::AlmaLinux)
        );
        assert_eq!(Ecosystem::from_purl_type("rpm", Some("fedora"), None), None);
        assert_eq!(
            Ecosystem::from_purl_type("apk", Some("alpine"), None),
            Some(Ecosystem::Alpine)
        );
        assert_eq!(Ecosystem::from_purl_type("apk", Some("wolfi"), None), None);
        assert_eq!(Ecosystem::from_purl_type("cocoapods", None, None), None);
    }
}
