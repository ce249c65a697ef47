//! The dpkg extractor on this machine's own package database, checked against what
//! `dpkg-query` says is installed; SKIPPED where there is no dpkg.

use std::{collections::BTreeSet, path::Path, process::Command};

use vigil_inventory::{scan_paths, ScanLimits};
use vigil_model::Ecosystem;

#[test]
fn this_machines_dpkg_status_lists_what_dpkg_query_says_is_installed() {
    let status = Path::new("/var/lib/dpkg/status");
    let query = Command::new("dpkg-query")
        .args([
            "-W",
            "-f",
            "${db:Status-Status}\t${source:Package}\t${source:Version}\n",
        ])
        .output();
    let (true, Ok(query)) = (status.is_file(), query) else {
        eprintln!("SKIPPED: {} or dpkg-query is missing", status.display());
        return;
    };
    let text = String::from_utf8(query.stdout).unwrap();
    let expected: BTreeSet<(String, String)> = text
        .lines()
        .filter_map(|l| {
            let mut fields = l.split('\t');
            (fields.next()? == "installed")
                .then(|| Some((fields.next()?.to_string(), fields.next()?.to_string())))?
        })
        .collect();
    let installed = text
        .lines()
        .filter(|l| l.starts_with("installed\t"))
        .count();

    let inventory = scan_paths(&[status.to_path_buf()], &ScanLimits::default());
    let found: BTreeSet<(String, String)> = inventory
        .components
        .iter()
        .map(|c| (c.package.name.clone(), c.package.version.clone().unwrap()))
        .collect();
    eprintln!(
        "{installed} installed binary packages from {} source packages",
        expected.len()
    );
    assert_eq!(found, expected);
    assert_eq!(found.len(), inventory.components.len());
    // The distribution is this machine's, from /etc/os-release.
    let os_release = std::fs::read_to_string("/etc/os-release").unwrap_or_default();
    let ecosystem =
        match vigil_inventory::os_release::Distro::parse(&os_release).and_then(|d| d.ecosystem()) {
            Some(e @ (Ecosystem::Debian | Ecosystem::Ubuntu)) => e,
            _ => {
                eprintln!("SKIPPED: the distribution check (not Debian or Ubuntu)");
                return;
            }
        };
    let release = vigil_inventory::os_release::Distro::parse(&os_release).and_then(|d| d.release());
    assert!(release.is_some());
    assert!(inventory
        .components
        .iter()
        .all(|c| c.ecosystem() == ecosystem && c.package.release == release));
    assert!(inventory.warnings.is_empty(), "{:?}", inventory.warnings);
    // Several binary packages of one source are one component: libc6, libc-bin... → glibc.
    let glibc = inventory
        .components
        .iter()
        .find(|c| c.package.name == "glibc");
    if let Some(glibc) = glibc {
        assert_eq!(glibc.evidence.len(), 1);
    }
}
