//! Distribution releases: the same Debian package name is a different build on Debian 11 and
//! Debian 12, and OSV keys each distro advisory to one release (`Debian:12`, `Ubuntu:22.04:LTS`,
//! `Alpine:v3.18`, `Red Hat:enterprise_linux:9::appstream`, `Rocky Linux:9`, `AlmaLinux:8`).
//! A package found in an image carries its release, and only that release's entries match it.
//!
//! A release is kept at the granularity OSV uses for its ecosystem: Debian, Red Hat, Rocky and
//! Alma by major version (`12`, `9`), Ubuntu and Alpine by major.minor (`22.04`, `3.18`).

use crate::Ecosystem;

/// The release an OSV ecosystem string names, normalised; `None` when it names none
/// (`Debian`, `Alpine`) or is not a distribution.
pub fn osv_release(ecosystem: Ecosystem, osv: &str) -> Option<String> {
    ecosystem.purl_distro_namespace()?;
    let mut parts = osv.split(':').skip(1).filter(|p| !p.is_empty());
    // `Ubuntu:22.04:LTS`, `Ubuntu:Pro:FIPS:20.04:LTS`, `Red Hat:enterprise_linux:9::appstream`:
    // the release is the first numeric part; the others put it first (`Debian:12`, `Alpine:v3.18`).
    let raw = if matches!(ecosystem, Ecosystem::Ubuntu | Ecosystem::RedHat) {
        parts.find(|p| p.starts_with(|c: char| c.is_ascii_digit()))?
    } else {
        parts.next()?
    };
    normalize(ecosystem, raw)
}

/// The release a purl's `distro` qualifier names (`debian-12`, `bookworm`, `ubuntu-22.04`,
/// `alpine-3.18.4`, `rhel-9.2`, `12`), normalised as [`osv_release`] does.
pub fn purl_release(ecosystem: Ecosystem, distro: &str) -> Option<String> {
    let lower = distro.trim().to_ascii_lowercase();
    let value = match lower.rsplit_once('-') {
        Some((_, version)) if version.starts_with(|c: char| c.is_ascii_digit()) => version,
        _ => lower.as_str(),
    };
    let value = codename(ecosystem, value).unwrap_or(value);
    normalize(ecosystem, value)
}

/// What an image's `/etc/os-release` `VERSION_ID` says, normalised.
pub fn os_release(ecosystem: Ecosystem, version_id: &str) -> Option<String> {
    normalize(ecosystem, version_id.trim().trim_matches('"'))
}

/// The purl `distro` qualifier for a release: `debian-12`, `ubuntu-22.04`, `alpine-3.18`.
pub fn purl_distro(ecosystem: Ecosystem, release: &str) -> String {
    let id = if ecosystem == Ecosystem::RedHat {
        "rhel"
    } else {
        ecosystem.purl_distro_namespace().unwrap_or("distro")
    };
    format!("{id}-{release}")
}

fn number(part: Option<&str>) -> Option<&str> {
    part.filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

fn normalize(ecosystem: Ecosystem, raw: &str) -> Option<String> {
    let mut numbers = raw.trim_start_matches('v').split('.');
    let major = number(numbers.next())?;
    ecosystem.purl_distro_namespace()?;
    if matches!(ecosystem, Ecosystem::Ubuntu | Ecosystem::Alpine) {
        let minor = number(numbers.next())?;
        Some(format!("{major}.{minor}"))
    } else {
        Some(major.to_string())
    }
}

/// Release codenames that purls and `/etc/os-release` use in place of numbers.
fn codename(ecosystem: Ecosystem, name: &str) -> Option<&'static str> {
    const DEBIAN: &[(&str, &str)] = &[
        ("jessie", "8"),
        ("stretch", "9"),
        ("buster", "10"),
        ("bullseye", "11"),
        ("bookworm", "12"),
        ("trixie", "13"),
        ("forky", "14"),
    ];
    const UBUNTU: &[(&str, &str)] = &[
        ("xenial", "16.04"),
        ("bionic", "18.04"),
        ("focal", "20.04"),
        ("jammy", "22.04"),
        ("noble", "24.04"),
        ("oracular", "24.10"),
        ("plucky", "25.04"),
    ];
    let table = if ecosystem == Ecosystem::Debian {
        DEBIAN
    } else if ecosystem == Ecosystem::Ubuntu {
        UBUNTU
    } else {
        &[]
    };
    table
        .iter()
        .find(|(code, _)| *code == name)
        .map(|(_, number)| *number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osv_suffixes_name_releases_at_their_ecosystems_granularity() {
        let cases = [
            (Ecosystem::Debian, "Debian:12", Some("12")),
            (Ecosystem::Debian, "Debian", None),
            (Ecosystem::Ubuntu, "Ubuntu:22.04:LTS", Some("22.04")),
            (
                Ecosystem::Ubuntu,
                "Ubuntu:Pro:FIPS:20.04:LTS",
                Some("20.04"),
            ),
            (Ecosystem::Alpine, "Alpine:v3.18", Some("3.18")),
            (
                Ecosystem::RedHat,
                "Red Hat:enterprise_linux:9::appstream",
                Some("9"),
            ),
            (Ecosystem::RedHat, "Red Hat:rhel_eus:8.6::baseos", Some("8")),
            (Ecosystem::RockyLinux, "Rocky Linux:9", Some("9")),
            (Ecosystem::AlmaLinux, "AlmaLinux:8", Some("8")),
            (Ecosystem::Npm, "npm", None),
        ];
        for (ecosystem, osv, expected) in cases {
            assert_eq!(osv_release(ecosystem, osv).as_deref(), expected, "{osv}");
        }
    }

    #[test]
    fn purl_distro_qualifiers_and_codenames_normalise_the_same_way() {
        assert_eq!(
            purl_release(Ecosystem::Debian, "debian-12").as_deref(),
            Some("12")
        );
        assert_eq!(
            purl_release(Ecosystem::Debian, "bookworm").as_deref(),
            Some("12")
        );
        assert_eq!(
            purl_release(Ecosystem::Debian, "debian-11.9").as_deref(),
            Some("11")
        );
        assert_eq!(
            purl_release(Ecosystem::Ubuntu, "jammy").as_deref(),
            Some("22.04")
        );
        assert_eq!(
            purl_release(Ecosystem::Ubuntu, "ubuntu-22.04").as_deref(),
            Some("22.04")
        );
        assert_eq!(
            purl_release(Ecosystem::Alpine, "alpine-3.18.4").as_deref(),
            Some("3.18")
        );
        assert_eq!(
            purl_release(Ecosystem::RedHat, "rhel-9.2").as_deref(),
            Some("9")
        );
        assert_eq!(
            purl_release(Ecosystem::Debian, "sid"),
            None,
            "unstable has no release number"
        );
        assert_eq!(
            os_release(Ecosystem::Alpine, "3.19.1").as_deref(),
            Some("3.19")
        );
        assert_eq!(purl_distro(Ecosystem::Debian, "12"), "debian-12");
        assert_eq!(purl_distro(Ecosystem::RedHat, "9"), "rhel-9");
    }
}
