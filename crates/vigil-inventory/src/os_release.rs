//! `os-release` (https://www.freedesktop.org/software/systemd/man/latest/os-release.html):
//! which distribution, and which release of it, a root file system is. The package databases
//! (`var/lib/dpkg/status`, `lib/apk/db/installed`) do not say; advisories are per release.

use std::path::Path;

use vigil_model::Ecosystem;

/// Where os-release lives, relative to a root; the first one present wins.
pub const PATHS: [&str; 2] = ["etc/os-release", "usr/lib/os-release"];

/// The most of an os-release file read; real ones are under 1 KiB.
pub const MAX_BYTES: u64 = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Distro {
    /// `ID`: `debian`, `ubuntu`, `alpine`...
    pub id: String,
    /// `VERSION_ID`: `12`, `22.04`, `3.19.1`; absent on rolling releases (Debian sid).
    pub version_id: Option<String>,
}

impl Distro {
    /// Reads `KEY=value` lines; values may be quoted with `"` or `'`.
    pub fn parse(text: &str) -> Option<Distro> {
        let mut id = None;
        let mut version_id = None;
        for line in text.lines() {
            let Some((key, value)) = line.trim().split_once('=') else {
                continue;
            };
            let value = value.trim();
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                .unwrap_or(value);
            match key.trim() {
                "ID" => id = Some(value.to_ascii_lowercase()),
                "VERSION_ID" => version_id = Some(value.to_string()),
                _ => {}
            }
        }
        Some(Distro {
            id: id.filter(|id| !id.is_empty())?,
            version_id: version_id.filter(|v| !v.is_empty()),
        })
    }

    /// The os-release of the root file system at `root`, on disk.
    pub fn of_root(root: &Path) -> Option<Distro> {
        use std::io::Read;
        PATHS.iter().find_map(|relative| {
            let mut text = String::new();
            std::fs::File::open(root.join(relative))
                .and_then(|f| f.take(MAX_BYTES).read_to_string(&mut text))
                .ok()?;
            Distro::parse(&text)
        })
    }

    /// The ecosystem whose advisories apply to this distribution's packages, for the
    /// distributions Vigil matches.
    pub fn ecosystem(&self) -> Option<Ecosystem> {
        match self.id.as_str() {
            "debian" => Some(Ecosystem::Debian),
            "ubuntu" => Some(Ecosystem::Ubuntu),
            "alpine" => Some(Ecosystem::Alpine),
            "rhel" => Some(Ecosystem::RedHat),
            "rocky" => Some(Ecosystem::RockyLinux),
            "almalinux" => Some(Ecosystem::AlmaLinux),
            _ => None,
        }
    }

    /// The release as Vigil's packages carry it (`12`, `22.04`, `3.19`: see
    /// [`vigil_model::release`]); `None` without a usable `VERSION_ID` or for a distribution
    /// Vigil does not match.
    pub fn release(&self) -> Option<String> {
        vigil_model::release::os_release(self.ecosystem()?, self.version_id.as_ref()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_release_files_of_debian_ubuntu_and_alpine_are_read() {
        let cases = [
            (
                "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nVERSION_ID=\"12\"\nID=debian\n",
                Some((Ecosystem::Debian, Some("12"))),
            ),
            (
                "NAME=\"Ubuntu\"\nVERSION_ID='22.04'\nID=ubuntu\nID_LIKE=debian\n",
                Some((Ecosystem::Ubuntu, Some("22.04"))),
            ),
            (
                "ID=alpine\nVERSION_ID=3.19.1\n",
                Some((Ecosystem::Alpine, Some("3.19"))),
            ),
            (
                "ID=debian\nPRETTY_NAME=\"Debian GNU/Linux trixie/sid\"\n",
                Some((Ecosystem::Debian, None)),
            ),
            ("# nothing\nNAME=x\n", None),
        ];
        for (text, expected) in cases {
            let distro = Distro::parse(text);
            let found = distro
                .as_ref()
                .and_then(|d| Some((d.ecosystem()?, d.release())));
            let found = found.as_ref().map(|(e, r)| (*e, r.as_deref()));
            assert_eq!(found, expected, "{text}");
        }
    }
}
