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
    let mut parts = osv.split(':').skip(1).filter(|p| !p.is_empty());
    let raw = match ecosystem {
        // `Ubuntu:22.04:LTS`, `Ubuntu:Pro:18.04:LTS`, `Ubuntu:Pro:FIPS:20.04:LTS`.
        Ecosystem::Ubuntu => parts.find(|p| p.starts_with(|c: char| c.is_ascii_digit()))?,
        // `Red Hat:enterprise_linux:9::appstream`, `Red Hat:rhel_eus:8.6::baseos`.
        Ecosystem::RedHat => parts.find(|p| p.starts_with(|c: char| c.is_ascii_digit()))?,
        Ecosystem::Debian | Ecosystem::Alpine | Ecosystem::RockyLinux | Ecosystem::AlmaLinux => {
            parts.next()?
        }
        _ => return None,
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
    let id = match ecosystem {
        Ecosystem::RedHat => "rhel",
        other => other.purl_distro_namespace().unwrap_or("distro"),
    };
    format!("{id}-{release}")
}

fn normalize(ecosystem: Ecosystem, raw: &str) -> Option<String> {
    let raw = raw.trim_start_matches('v');
    let mut numbers = raw.split('.');
    let major = numbers
        .next()
        .filter(|m| !m.is_empty() && m.bytes().all(|b| b.is_ascii_digit()))?;
    match ecosystem {
        Ecosystem::Ubuntu | Ecosystem::Alpine => {
            let minor = numbers
                .next()
                .filter(|m| !m.is_empty() && m.bytes().all(|b| b.is_ascii_digit()))?;
            Some(format!("{major}.{minor}"))
        }
        Ecosystem::Debian | Ecosystem::RedHat | Ecosystem::RockyLinux | Ecosystem::AlmaLinux => {
            Some(major.to_string())
        }
        _ => None,
    }
}

/// Release codenames that purls and `/etc/os-release` use in place of numbers.
fn codename(ecosystem: Ecosystem, name: &str) -> Option<&'static str> {
    let table: &[(&str, &str)] = match ecosystem {
        Ecosystem::Debian => &[
            ("jessie", "8"),
            ("stretch", "9"),
            ("buster", "10"),
            ("bullseye", "11"),
            ("bookworm", "12"),
            ("trixie", "13"),
            ("forky", "14"),
        ],
        Ecosystem::Ubuntu => &[
            ("xenial", "16.04"),
            ("bionic", "18.04"),
            ("focal", "20.04"),
            ("jammy", "22.04"),
            ("noble", "24.04"),
            ("oracular", "24.10"),
            ("plucky", "25.04"),
        ],
        _ => &[],
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
