//! License threat groups, as Sonatype Lifecycle sorts licenses: every license belongs to one
//! group, and the license policies name groups rather than licenses, so that an organisation
//! moves a license between groups instead of editing policies.
//!
//! - **Banned**: licenses a commercial product must not ship: network copyleft that reaches
//!   a service's own code (AGPL, SSPL, Parity), non-commercial terms (CC-BY-NC-*,
//!   PolyForm-Noncommercial and -Small-Business) and source-available licenses that forbid
//!   competing use (BUSL, Elastic-2.0, the Functional Source License).
//! - **Copyleft**: strong copyleft — distributing a work that includes the code puts the whole
//!   work under the same license (GPL, EUPL, OSL, RPL, CeCILL 2, CC-BY-SA, GFDL, Sleepycat…).
//! - **Weak copyleft**: copyleft limited to the library or file itself (LGPL, MPL, EPL, CDDL,
//!   CPL, MS-RL, MS-PL, APSL, OFL, CeCILL-C…).
//! - **Liberal**: permissive, attribution at most — OSI-approved or FSF-libre licenses that are
//!   not copyleft (MIT, BSD, Apache, ISC, Zlib, 0BSD, Unlicense, CC0…) and the common
//!   permissive families the SPDX list carries many variants of (MIT-*, BSD-*, HPND-*, X11-*,
//!   attribution-only CC-BY-*).
//! - **Unknown**: everything else (unreviewed, custom `LicenseRef-…`, field-of-use
//!   restrictions, ids the list does not know): a human has to look.
//!
//! The SPDX list itself is not copied into Vigil: the default groups are computed from the list
//! embedded in the `spdx` crate (its OSI, FSF and copyleft flags) plus the short hand tables
//! below; [`license_groups_from_spdx_list`] re-seeds from a newer `licenses.json`.

use serde::Deserialize;

use crate::{LicenseGroups, ThreatGroup};

/// The license threat groups Vigil starts with: every id of the SPDX list embedded in the
/// `spdx` crate (deprecated ones too, since old expressions still use them).
pub fn default_license_groups() -> LicenseGroups {
    let licenses = spdx::identifiers::LICENSES
        .iter()
        .map(|license| {
            let id = spdx::license_id(license.name).filter(|id| id.name == license.name);
            let (osi, fsf, copyleft) = match id {
                Some(id) => (
                    id.is_osi_approved(),
                    id.is_fsf_free_libre(),
                    id.is_copyleft(),
                ),
                None => (false, false, false),
            };
            (
                license.name.to_string(),
                classify(license.name, osi, fsf, copyleft),
            )
        })
        .collect();
    LicenseGroups { licenses }
}

/// The group of a license id: as listed in `groups`, else by its name (`AGPL-…` banned,
/// `GPL-…` copyleft, `LGPL-…` weak copyleft and the other families of the hand tables), else
/// `Unknown`. Ids compare exactly first, then ignoring ASCII case (SPDX ids are
/// case-insensitive).
pub fn group_of(id: &str, groups: &LicenseGroups) -> ThreatGroup {
    if let Some(group) = groups.licenses.get(id) {
        return *group;
    }
    if let Some((_, group)) = FAMILY_REFS
        .iter()
        .find(|(family, _)| family.eq_ignore_ascii_case(id))
    {
        return *group;
    }
    if let Some((_, group)) = groups
        .licenses
        .iter()
        .find(|(listed, _)| listed.eq_ignore_ascii_case(id))
    {
        return *group;
    }
    by_name(id).unwrap_or(ThreatGroup::Unknown)
}

/// One license of SPDX's `licenses.json`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SpdxLicense {
    license_id: String,
    #[serde(default)]
    is_osi_approved: bool,
    #[serde(default)]
    is_fsf_libre: bool,
}

#[derive(Deserialize)]
struct SpdxList {
    licenses: Vec<SpdxLicense>,
}

/// Groups for every license of an SPDX `licenses.json` (from
/// <https://github.com/spdx/license-list-data>), by the same rules as the defaults. The list
/// carries no copyleft flag: for ids the `spdx` crate knows its flag is used, for new ids the
/// name tables decide.
pub fn license_groups_from_spdx_list(json: &str) -> Result<LicenseGroups, String> {
    let list: SpdxList =
        serde_json::from_str(json).map_err(|e| format!("not an SPDX licenses.json: {e}"))?;
    if list.licenses.is_empty() {
        return Err("the SPDX license list holds no licenses".into());
    }
    let mut groups = LicenseGroups::default();
    for license in list.licenses {
        let id = license.license_id.trim();
        if id.is_empty() {
            return Err("an SPDX license has an empty licenseId".into());
        }
        let known = spdx::license_id(id).filter(|known| known.name == id);
        let copyleft = known.is_some_and(|known| known.is_copyleft());
        let fsf = license.is_fsf_libre || known.is_some_and(|known| known.is_fsf_free_libre());
        let group = classify(id, license.is_osi_approved, fsf, copyleft);
        groups.licenses.insert(id.to_string(), group);
    }
    Ok(groups)
}

/// The rules, in order: the hand tables by name, then the copyleft flag, then OSI/FSF
/// approval, then the permissive families; the rest is `Unknown`.
fn classify(id: &str, osi: bool, fsf: bool, copyleft: bool) -> ThreatGroup {
    if let Some(group) = by_name(id) {
        return group;
    }
    if copyleft {
        return ThreatGroup::Copyleft;
    }
    if osi || fsf {
        return ThreatGroup::Liberal;
    }
    if permissive_family(id) {
        return ThreatGroup::Liberal;
    }
    ThreatGroup::Unknown
}

/// The `LicenseRef-`s Vigil writes for a license family named without a version (`LGPL`,
/// `GNU General Public License`; vigil-inventory's `license/names.rs`): every version of the
/// family is in the same group, so the family is too. Matched exactly: any other
/// `LicenseRef-` is someone's own license and stays unknown.
const FAMILY_REFS: &[(&str, ThreatGroup)] = &[
    ("LicenseRef-AGPL", ThreatGroup::Banned),
    ("LicenseRef-GPL", ThreatGroup::Copyleft),
    ("LicenseRef-LGPL", ThreatGroup::WeakCopyleft),
    ("LicenseRef-MPL", ThreatGroup::WeakCopyleft),
    ("LicenseRef-EPL", ThreatGroup::WeakCopyleft),
    ("LicenseRef-CDDL", ThreatGroup::WeakCopyleft),
    ("LicenseRef-BSD", ThreatGroup::Liberal),
    ("LicenseRef-Apache", ThreatGroup::Liberal),
];

/// Exceptions that let other code link to the licensed code without taking its license (the
/// SPDX exceptions list's linking and runtime exceptions).
pub(crate) fn is_linking_exception(exception: &str) -> bool {
    const LINKING: &[&str] = &[
        "Classpath-exception-2.0",
        "GCC-exception-2.0",
        "GCC-exception-3.1",
        "GNAT-exception",
        "Libtool-exception",
        "Autoconf-exception-",
        "Bison-exception-",
        "Font-exception-2.0",
        "OpenJDK-assembly-exception-1.0",
        "Universal-FOSS-exception-1.0",
        "LGPL-3.0-linking-exception",
        "eCos-exception-2.0",
        "WxWindows-exception-3.1",
        "FLTK-exception",
        "mif-exception",
    ];
    LINKING.iter().any(|known| {
        exception.len() >= known.len() && exception[..known.len()].eq_ignore_ascii_case(known)
    })
}

/// Prefixes (or exact ids) and their group, checked in order: the first that matches wins.
const BY_NAME: &[(&str, ThreatGroup)] = &[
    // Banned: network copyleft over the service, non-commercial, source-available.
    ("AGPL-", ThreatGroup::Banned),
    ("SSPL-", ThreatGroup::Banned),
    ("Parity-", ThreatGroup::Banned),
    ("CC-BY-NC-", ThreatGroup::Banned),
    ("PolyForm-Noncommercial-", ThreatGroup::Banned),
    ("PolyForm-Small-Business-", ThreatGroup::Banned),
    ("BUSL-", ThreatGroup::Banned),
    ("Elastic-", ThreatGroup::Banned),
    ("FSL-", ThreatGroup::Banned),
    ("Commons-Clause", ThreatGroup::Banned),
    // Weak copyleft: the library or file stays open, the rest of the work does not.
    ("LGPL", ThreatGroup::WeakCopyleft),
    ("MPL-", ThreatGroup::WeakCopyleft),
    ("EPL-", ThreatGroup::WeakCopyleft),
    ("CDDL-", ThreatGroup::WeakCopyleft),
    ("CPL-", ThreatGroup::WeakCopyleft),
    ("IPL-", ThreatGroup::WeakCopyleft),
    ("MS-RL", ThreatGroup::WeakCopyleft),
    ("MS-PL", ThreatGroup::WeakCopyleft),
    ("APSL-", ThreatGroup::WeakCopyleft),
    ("SPL-", ThreatGroup::WeakCopyleft),
    ("NPL-", ThreatGroup::WeakCopyleft),
    ("ErlPL-", ThreatGroup::WeakCopyleft),
    ("Interbase-", ThreatGroup::WeakCopyleft),
    ("Motosoto", ThreatGroup::WeakCopyleft),
    ("RPSL-", ThreatGroup::WeakCopyleft),
    ("SISSL", ThreatGroup::WeakCopyleft),
    ("OFL-", ThreatGroup::WeakCopyleft),
    ("CECILL-C", ThreatGroup::WeakCopyleft),
    ("CERN-OHL-W-", ThreatGroup::WeakCopyleft),
    ("ESA-PL-weak-copyleft-", ThreatGroup::WeakCopyleft),
    ("eCos-", ThreatGroup::WeakCopyleft),
    ("wxWindows", ThreatGroup::WeakCopyleft),
    (
        "GPL-2.0-with-classpath-exception",
        ThreatGroup::WeakCopyleft,
    ),
    ("GPL-2.0-with-GCC-exception", ThreatGroup::WeakCopyleft),
    ("GPL-3.0-with-GCC-exception", ThreatGroup::WeakCopyleft),
    // Copyleft: the whole work that includes the code.
    ("GPL-", ThreatGroup::Copyleft),
    ("EUPL-", ThreatGroup::Copyleft),
    ("OSL-", ThreatGroup::Copyleft),
    ("NPOSL-", ThreatGroup::Copyleft),
    ("RPL-", ThreatGroup::Copyleft),
    ("CC-BY-SA-", ThreatGroup::Copyleft),
    ("CC-SA-", ThreatGroup::Copyleft),
    ("GFDL-", ThreatGroup::Copyleft),
    ("CECILL-B", ThreatGroup::Liberal),
    ("CECILL-", ThreatGroup::Copyleft),
    ("Sleepycat", ThreatGroup::Copyleft),
    ("QPL-", ThreatGroup::Copyleft),
    ("CAL-", ThreatGroup::Copyleft),
    ("copyleft-next-", ThreatGroup::Copyleft),
    ("SimPL-", ThreatGroup::Copyleft),
    ("ODbL-", ThreatGroup::Copyleft),
    ("CDLA-Sharing-", ThreatGroup::Copyleft),
    ("CERN-OHL-S-", ThreatGroup::Copyleft),
    ("ESA-PL-strong-copyleft-", ThreatGroup::Copyleft),
    ("TGPPL-", ThreatGroup::Copyleft),
    ("SMAIL-GPL", ThreatGroup::Copyleft),
    // Not licenses, or permissions to pick an OSI one.
    ("NOASSERTION", ThreatGroup::Unknown),
    ("NONE", ThreatGroup::Unknown),
    ("any-OSI", ThreatGroup::Liberal),
];

fn by_name(id: &str) -> Option<ThreatGroup> {
    BY_NAME
        .iter()
        .find(|(prefix, _)| {
            id.len() >= prefix.len() && id[..prefix.len()].eq_ignore_ascii_case(prefix)
        })
        .map(|(_, group)| *group)
}

/// Variants of the permissive families (the SPDX list has dozens of MIT-, BSD- and HPND-
/// variants that neither OSI nor FSF reviewed), minus those that restrict the field of use.
fn permissive_family(id: &str) -> bool {
    const FAMILIES: &[&str] = &[
        "MIT-", "BSD-", "HPND", "X11-", "ISC-", "libpng", "Libpng", "zlib-", "CC-PDDC", "CC-PDM-",
        "PDDL-", "NIST-PD", "SAX-PD", "blessing",
    ];
    const RESTRICTED: &[&str] = &["No-Military", "No-Nuclear", "BSD-Protection"];
    if RESTRICTED.iter().any(|r| id.contains(r)) {
        return false;
    }
    if FAMILIES.iter().any(|f| id.starts_with(f)) {
        return true;
    }
    // Attribution-only Creative Commons (the NC, ND and SA ones are handled above or stay
    // unknown).
    id.strip_prefix("CC-BY-")
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn shared_licenses() -> Option<String> {
        let relative = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/data/spdx/licenses.json");
        let path = if relative.exists() {
            relative
        } else {
            match std::env::var_os("VIGIL_SHARED_DATA") {
                Some(root) => PathBuf::from(root).join("spdx/licenses.json"),
                None => relative,
            }
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Some(text),
            Err(_) => {
                println!("SKIPPED: {} is missing", path.display());
                None
            }
        }
    }

    #[test]
    fn the_common_licenses_land_where_lifecycle_puts_them() {
        let groups = default_license_groups();
        let g = |id: &str| group_of(id, &groups);
        for id in [
            "AGPL-3.0-only",
            "AGPL-1.0-or-later",
            "SSPL-1.0",
            "CC-BY-NC-4.0",
            "BUSL-1.1",
        ] {
            assert_eq!(g(id), ThreatGroup::Banned, "{id}");
        }
        for id in [
            "GPL-2.0-only",
            "GPL-3.0-or-later",
            "EUPL-1.2",
            "OSL-3.0",
            "CC-BY-SA-4.0",
        ] {
            assert_eq!(g(id), ThreatGroup::Copyleft, "{id}");
        }
        for id in [
            "LGPL-2.1-only",
            "MPL-2.0",
            "EPL-2.0",
            "CDDL-1.0",
            "CPL-1.0",
            "MS-RL",
        ] {
            assert_eq!(g(id), ThreatGroup::WeakCopyleft, "{id}");
        }
        for id in [
            "MIT",
            "BSD-3-Clause",
            "Apache-2.0",
            "ISC",
            "Zlib",
            "0BSD",
            "Unlicense",
            "CC0-1.0",
            "BSD-2-Clause-Views",
            "MIT-CMU",
            "CC-BY-4.0",
        ] {
            assert_eq!(g(id), ThreatGroup::Liberal, "{id}");
        }
        for id in [
            "LicenseRef-Acme",
            "NOASSERTION",
            "JSON",
            "BSD-3-Clause-No-Military-License",
        ] {
            assert_eq!(g(id), ThreatGroup::Unknown, "{id}");
        }
        // The deprecated ids old expressions carry.
        assert_eq!(g("GPL-2.0"), ThreatGroup::Copyleft);
        assert_eq!(g("AGPL-3.0"), ThreatGroup::Banned);
        assert_eq!(g("LGPL-2.1+"), ThreatGroup::WeakCopyleft);
        // Case-insensitive, as SPDX ids are.
        assert_eq!(g("mit"), ThreatGroup::Liberal);
    }

    #[test]
    fn ids_missing_from_the_groups_fall_back_by_name() {
        let empty = LicenseGroups::default();
        assert_eq!(group_of("AGPL-4.0-only", &empty), ThreatGroup::Banned);
        assert_eq!(group_of("GPL-4.0-only", &empty), ThreatGroup::Copyleft);
        assert_eq!(group_of("LGPL-4.0-only", &empty), ThreatGroup::WeakCopyleft);
        assert_eq!(group_of("Brand-New-1.0", &empty), ThreatGroup::Unknown);
        // A family named without its version is in the group every version of it is in;
        // anyone else's LicenseRef stays for a human to look at.
        assert_eq!(
            group_of("LicenseRef-LGPL", &empty),
            ThreatGroup::WeakCopyleft
        );
        assert_eq!(group_of("LicenseRef-GPL", &empty), ThreatGroup::Copyleft);
        assert_eq!(group_of("LicenseRef-AGPL", &empty), ThreatGroup::Banned);
        assert_eq!(group_of("LicenseRef-BSD", &empty), ThreatGroup::Liberal);
        assert_eq!(
            group_of("LicenseRef-GPL-mine", &empty),
            ThreatGroup::Unknown
        );
        assert_eq!(group_of("LicenseRef-Acme", &empty), ThreatGroup::Unknown);
        // What the groups say wins over the name.
        let mut edited = default_license_groups();
        edited
            .licenses
            .insert("GPL-2.0-only".into(), ThreatGroup::Banned);
        assert_eq!(group_of("GPL-2.0-only", &edited), ThreatGroup::Banned);
    }

    #[test]
    fn every_group_is_used_and_every_crate_id_is_listed() {
        let groups = default_license_groups();
        assert_eq!(groups.licenses.len(), spdx::identifiers::LICENSES.len());
        for group in ThreatGroup::ALL {
            let n = groups.licenses.values().filter(|g| **g == group).count();
            assert!(n > 0, "{group:?}");
        }
    }

    #[test]
    fn every_license_of_the_shared_spdx_list_gets_a_group() {
        let Some(json) = shared_licenses() else {
            return;
        };
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Entry {
            license_id: String,
            is_deprecated_license_id: bool,
        }
        #[derive(Deserialize)]
        struct List {
            licenses: Vec<Entry>,
        }
        let list: List = serde_json::from_str(&json).unwrap();
        assert_eq!(list.licenses.len(), 727);
        let defaults = default_license_groups();
        let current: Vec<&Entry> = list
            .licenses
            .iter()
            .filter(|e| !e.is_deprecated_license_id)
            .collect();
        let missing: Vec<&str> = current
            .iter()
            .map(|e| e.license_id.as_str())
            .filter(|id| !defaults.licenses.contains_key(*id))
            .collect();
        println!(
            "{} of {} current SPDX 3.28.0 ids are not in the spdx crate's list: {missing:?}",
            missing.len(),
            current.len()
        );
        // The crate's list (3.29.0) is newer: every current id has an explicit group, none
        // falls to `Unknown` for lack of an entry.
        assert!(missing.is_empty(), "{missing:?}");
        // Re-seeded from the file, every id (deprecated ones too) is listed explicitly, and
        // agrees with the defaults wherever both know it.
        let seeded = license_groups_from_spdx_list(&json).unwrap();
        assert_eq!(seeded.licenses.len(), 727);
        let mut disagree = Vec::new();
        for (id, group) in &seeded.licenses {
            if let Some(default) = defaults.licenses.get(id) {
                if default != group {
                    disagree.push((id.clone(), *default, *group));
                }
            }
        }
        // The lists differ only in OSI/FSF flags (3.28.0 vs the crate's newer list), which
        // can only move a license between Unknown and Liberal.
        println!("defaults and the 3.28.0 file disagree on {disagree:?}");
        let flags_only = [ThreatGroup::Unknown, ThreatGroup::Liberal];
        for (id, default, seeded) in &disagree {
            assert!(
                flags_only.contains(default) && flags_only.contains(seeded),
                "{id}: {default:?} vs {seeded:?}"
            );
        }
        assert!(disagree.len() < 10, "{disagree:?}");
        assert_eq!(seeded.licenses["MIT"], ThreatGroup::Liberal);
        assert_eq!(seeded.licenses["AGPL-3.0-only"], ThreatGroup::Banned);
        assert_eq!(seeded.licenses["GPL-3.0-only"], ThreatGroup::Copyleft);
        assert_eq!(seeded.licenses["MPL-2.0"], ThreatGroup::WeakCopyleft);
    }

    #[test]
    fn a_bad_license_list_is_an_error() {
        assert!(license_groups_from_spdx_list("").is_err());
        assert!(license_groups_from_spdx_list("{\"licenses\": []}").is_err());
        assert!(license_groups_from_spdx_list("{\"licenses\": [{\"licenseId\": \" \"}]}").is_err());
        assert!(license_groups_from_spdx_list("[1, 2]").is_err());
        let one = license_groups_from_spdx_list(
            "{\"licenses\": [{\"licenseId\": \"New-Permissive\", \"isOsiApproved\": true}]}",
        )
        .unwrap();
        assert_eq!(one.licenses["New-Permissive"], ThreatGroup::Liberal);
    }
}
