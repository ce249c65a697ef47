//! Declared license text → SPDX expression, keeping the text as written.
//!
//! Artifacts spell licenses every way: `MIT`, `Apache-2.0 OR MIT`, `MIT/Apache-2.0`,
//! `Apache License, Version 2.0`, `GPLv2+`, `ALv2`, a URL, deprecated ids. In order:
//! - a valid expression, its deprecated ids in their current form (`GPL-2.0-with-classpath-exception`
//!   → `GPL-2.0-only WITH Classpath-exception-2.0`, [`DEPRECATED`]);
//! - the long names and URLs Maven poms and Python metadata carry (a short table here), then
//!   [`names`]: the SPDX License List's own names, a curated alias list and version-less
//!   families (`lgpl` → `LicenseRef-LGPL`), with `with <exception>` and texts joining several
//!   names with `or` / `and`;
//! - the `spdx` crate's fix-ups of imprecise ids, only when they state no version the text does
//!   not ([`states_its_versions`]: the crate turns `lgpl` into `LGPL-2.0-only`).
//!
//! Text that still does not resolve keeps `expression: None`, so that a policy can say "not a
//! valid SPDX expression" rather than guess.

use vigil_model::License;

mod names;

/// The declared license of a component, or `None` when the artifact says nothing
/// (empty, `UNKNOWN`, `NOASSERTION`).
pub fn declared(raw: &str) -> Option<License> {
    let raw = raw.trim();
    if raw.is_empty()
        || ["UNKNOWN", "NOASSERTION", "NONE"]
            .iter()
            .any(|n| raw.eq_ignore_ascii_case(n))
    {
        return None;
    }
    Some(License {
        expression: to_spdx(raw),
        raw: raw.to_string(),
    })
}

/// Several declared licenses of one component (Maven's `<licenses>`, PyPI classifiers): the
/// component may be used under any of them, so they join with `OR`.
pub fn declared_any<'a>(raws: impl IntoIterator<Item = &'a str>) -> Option<License> {
    let licenses: Vec<License> = raws.into_iter().filter_map(declared).collect();
    match licenses.len() {
        0 => None,
        1 => licenses.into_iter().next(),
        _ => {
            let raw = licenses
                .iter()
                .map(|l| l.raw.as_str())
                .collect::<Vec<_>>()
                .join(" OR ");
            let expression = licenses
                .iter()
                .map(|l| {
                    l.expression.as_ref().map(|e| {
                        if e.contains(' ') {
                            format!("({e})")
                        } else {
                            e.clone()
                        }
                    })
                })
                .collect::<Option<Vec<_>>>()
                .map(|parts| parts.join(" OR "));
            Some(License { expression, raw })
        }
    }
}

fn to_spdx(raw: &str) -> Option<String> {
    let current = current_ids(raw);
    if spdx::Expression::parse(&current).is_ok() {
        return Some(current);
    }
    if let Some(known) = well_known(raw).or_else(|| names::by_name(raw)) {
        return Some(known);
    }
    if let Some(joined) = names::joined(raw) {
        return Some(joined);
    }
    // The `spdx` crate's fix-ups know imprecise names (`apache2`, `gplv2`), but some give a
    // version the text never stated (`lgpl` → `LGPL-2.0-only`): those are refused.
    if let Ok(Some(canonical)) = spdx::Expression::canonicalize(raw) {
        if spdx::Expression::parse(&canonical).is_ok() && states_its_versions(raw, &canonical) {
            return Some(canonical);
        }
    }
    // A whole-text imprecise name ("simplified bsd license"), only when all of it was consumed.
    let (id, consumed) = spdx::imprecise_license_id(raw)?;
    (consumed == raw.len() && states_its_versions(raw, id.name)).then(|| id.name.to_string())
}

/// Deprecated SPDX identifiers in their current form (the SPDX License List marks them
/// deprecated and names the replacement on each one's page, e.g.
/// https://spdx.org/licenses/GPL-2.0-with-classpath-exception.html).
const DEPRECATED: &[(&str, &str)] = &[
    ("GPL-1.0", "GPL-1.0-only"),
    ("GPL-2.0", "GPL-2.0-only"),
    ("GPL-3.0", "GPL-3.0-only"),
    ("LGPL-2.0", "LGPL-2.0-only"),
    ("LGPL-2.1", "LGPL-2.1-only"),
    ("LGPL-3.0", "LGPL-3.0-only"),
    ("AGPL-1.0", "AGPL-1.0-only"),
    ("AGPL-3.0", "AGPL-3.0-only"),
    ("GFDL-1.1", "GFDL-1.1-only"),
    ("GFDL-1.2", "GFDL-1.2-only"),
    ("GFDL-1.3", "GFDL-1.3-only"),
    (
        "GPL-2.0-with-classpath-exception",
        "GPL-2.0-only WITH Classpath-exception-2.0",
    ),
    (
        "GPL-2.0-with-autoconf-exception",
        "GPL-2.0-only WITH Autoconf-exception-2.0",
    ),
    (
        "GPL-2.0-with-bison-exception",
        "GPL-2.0-only WITH Bison-exception-2.2",
    ),
    (
        "GPL-2.0-with-font-exception",
        "GPL-2.0-only WITH Font-exception-2.0",
    ),
    (
        "GPL-2.0-with-GCC-exception",
        "GPL-2.0-only WITH GCC-exception-2.0",
    ),
    (
        "GPL-3.0-with-autoconf-exception",
        "GPL-3.0-only WITH Autoconf-exception-3.0",
    ),
    (
        "GPL-3.0-with-GCC-exception",
        "GPL-3.0-only WITH GCC-exception-3.1",
    ),
    ("StandardML-NJ", "SMLNJ"),
    ("BSD-2-Clause-FreeBSD", "BSD-2-Clause"),
    ("BSD-2-Clause-NetBSD", "BSD-2-Clause"),
];

/// `raw` with each deprecated identifier (`GPL-2.0+` included) replaced by its current form;
/// anything else is left as it is.
fn current_ids(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let (id, or_later) = match word.strip_suffix('+') {
            Some(id) => (id, true),
            None => (word.as_str(), false),
        };
        match DEPRECATED.iter().find(|(old, _)| *old == id) {
            Some((_, new)) if or_later && new.ends_with("-only") => {
                out.push_str(&new.replace("-only", "-or-later"));
            }
            Some((_, new)) if !or_later => out.push_str(new),
            _ => out.push_str(word),
        }
        word.clear();
    };
    for c in raw.chars() {
        if c.is_whitespace() || c == '(' || c == ')' {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Whether each versioned license of `expression` (`LGPL-2.0-only`, `BSD-2-Clause`) has its
/// major version written in `raw`: `lgpl` names no version, and `LGPL-2.0-only` would invent one.
fn states_its_versions(raw: &str, expression: &str) -> bool {
    let numbers: Vec<&str> = raw
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .collect();
    let mut after_with = false;
    for token in expression.split(|c: char| c.is_whitespace() || c == '(' || c == ')') {
        match token {
            "" | "AND" | "OR" => continue,
            "WITH" => {
                after_with = true;
                continue;
            }
            _ if after_with => {
                after_with = false;
                continue;
            }
            _ => {}
        }
        let major = token
            .split('-')
            .skip(1)
            .find(|part| part.starts_with(|c: char| c.is_ascii_digit()))
            .and_then(|part| part.split('.').next());
        if let Some(major) = major {
            let major = major.trim_end_matches(|c: char| !c.is_ascii_digit());
            if !numbers.contains(&major) {
                return false;
            }
        }
    }
    true
}

/// Long names and URLs that Maven, PyPI and NuGet metadata use for the common licenses.
fn well_known(raw: &str) -> Option<String> {
    let key: String = raw
        .trim_end_matches(['/', '.'])
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_start_matches("www.")
        .to_ascii_lowercase();
    let key = key
        .trim_end_matches(".txt")
        .trim_end_matches(".html")
        .trim_end_matches(".php");
    const TABLE: &[(&str, &str)] = &[
        ("apache license, version 2.0", "Apache-2.0"),
        ("the apache license, version 2.0", "Apache-2.0"),
        ("apache software license, version 2.0", "Apache-2.0"),
        ("the apache software license, version 2.0", "Apache-2.0"),
        ("apache license 2.0", "Apache-2.0"),
        ("apache 2.0", "Apache-2.0"),
        ("apache 2", "Apache-2.0"),
        ("apache-2", "Apache-2.0"),
        ("asl 2.0", "Apache-2.0"),
        ("apache.org/licenses/license-2.0", "Apache-2.0"),
        ("opensource.org/licenses/apache-2.0", "Apache-2.0"),
        ("mit license", "MIT"),
        ("the mit license", "MIT"),
        ("the mit license (mit)", "MIT"),
        ("opensource.org/licenses/mit", "MIT"),
        ("opensource.org/licenses/mit-license", "MIT"),
        ("bsd 3-clause license", "BSD-3-Clause"),
        ("the bsd 3-clause license", "BSD-3-Clause"),
        ("new bsd license", "BSD-3-Clause"),
        ("revised bsd license", "BSD-3-Clause"),
        ("opensource.org/licenses/bsd-3-clause", "BSD-3-Clause"),
        ("bsd 2-clause license", "BSD-2-Clause"),
        ("simplified bsd license", "BSD-2-Clause"),
        ("opensource.org/licenses/bsd-2-clause", "BSD-2-Clause"),
        ("eclipse public license - v 1.0", "EPL-1.0"),
        ("eclipse public license 1.0", "EPL-1.0"),
        ("eclipse.org/legal/epl-v10", "EPL-1.0"),
        ("eclipse public license - v 2.0", "EPL-2.0"),
        ("eclipse public license 2.0", "EPL-2.0"),
        ("eclipse.org/legal/epl-2.0", "EPL-2.0"),
        ("gnu general public license v2", "GPL-2.0-only"),
        ("gnu general public license, version 2", "GPL-2.0-only"),
        ("gnu general public license v3", "GPL-3.0-only"),
        ("gnu general public license, version 3", "GPL-3.0-only"),
        (
            "gnu lesser general public license, version 2.1",
            "LGPL-2.1-only",
        ),
        ("gnu lesser general public license v3", "LGPL-3.0-only"),
        ("mozilla public license 2.0", "MPL-2.0"),
        ("mozilla public license, version 2.0", "MPL-2.0"),
        ("mozilla.org/mpl/2.0", "MPL-2.0"),
        ("isc license", "ISC"),
        ("the unlicense", "Unlicense"),
        ("public domain", "LicenseRef-public-domain"),
        ("python software foundation license", "PSF-2.0"),
        (
            "common development and distribution license 1.0",
            "CDDL-1.0",
        ),
        (
            "cddl + gplv2 with classpath exception",
            "CDDL-1.0 OR GPL-2.0-only WITH Classpath-exception-2.0",
        ),
    ];
    TABLE
        .iter()
        .find(|(name, _)| *name == key)
        .map(|(_, spdx)| spdx.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expression(raw: &str) -> Option<String> {
        declared(raw).and_then(|l| l.expression)
    }

    #[test]
    fn spdx_expressions_names_and_urls_normalise_and_the_raw_text_is_kept() {
        assert_eq!(
            expression("MIT OR Apache-2.0").as_deref(),
            Some("MIT OR Apache-2.0")
        );
        assert_eq!(
            expression("MIT/Apache-2.0").as_deref(),
            Some("MIT OR Apache-2.0")
        );
        assert_eq!(
            expression("The Apache Software License, Version 2.0").as_deref(),
            Some("Apache-2.0")
        );
        assert_eq!(
            expression("https://www.apache.org/licenses/LICENSE-2.0.txt").as_deref(),
            Some("Apache-2.0")
        );
        assert_eq!(
            expression("http://www.opensource.org/licenses/mit-license.php").as_deref(),
            Some("MIT")
        );
        assert_eq!(expression("GPLv2+").as_deref(), Some("GPL-2.0-or-later"));
        let odd = declared("Proprietary, see LICENSE.md").unwrap();
        assert_eq!(odd.expression, None, "never guessed");
        assert_eq!(odd.raw, "Proprietary, see LICENSE.md");
        assert_eq!(declared("  "), None);
        assert_eq!(declared("NOASSERTION"), None);
    }

    #[test]
    fn several_declared_licenses_join_with_or() {
        let license = declared_any(["MIT", "Apache License, Version 2.0"]).unwrap();
        assert_eq!(license.expression.as_deref(), Some("MIT OR Apache-2.0"));
        let license = declared_any(["MIT", "Home-made"]).unwrap();
        assert_eq!(
            license.expression, None,
            "one unknown part makes the whole unknown"
        );
        assert_eq!(license.raw, "MIT OR Home-made");
    }

    #[test]
    fn common_spellings_become_spdx_in_their_current_form() {
        let cases = [
            (
                "EPL-2.0 OR GPL-2.0-with-classpath-exception",
                "EPL-2.0 OR GPL-2.0-only WITH Classpath-exception-2.0",
            ),
            (
                "GPL-2.0-with-classpath-exception",
                "GPL-2.0-only WITH Classpath-exception-2.0",
            ),
            ("GPL-2.0+", "GPL-2.0-or-later"),
            ("Eclipse Distribution License - v 1.0", "BSD-3-Clause"),
            ("ALv2", "Apache-2.0"),
            ("lgpl_v2_1", "LGPL-2.1-only"),
            ("Eclipse Public License v2.0", "EPL-2.0"),
            ("MPL 2.0 or EPL 1.0", "MPL-2.0 OR EPL-1.0"),
            (
                "GNU General Public License, version 2 (GPL2), with the classpath exception",
                "GPL-2.0-only WITH Classpath-exception-2.0",
            ),
            (
                "Lesser General Public License, version 3 or greater",
                "LGPL-3.0-or-later",
            ),
            (
                "Apache License, Version 2.0 and Common Development And Distribution License (CDDL) Version 1.0",
                "Apache-2.0 AND CDDL-1.0",
            ),
            ("MIT AND BSD-2-Clause-FreeBSD AND ISC", "MIT AND BSD-2-Clause AND ISC"),
        ];
        for (raw, spdx) in cases {
            assert_eq!(expression(raw).as_deref(), Some(spdx), "{raw}");
        }
    }

    #[test]
    fn a_version_the_text_does_not_state_is_never_chosen() {
        // The `spdx` crate's imprecise names would give LGPL-2.0-only, GPL-2.0-only,
        // BSD-2-Clause, MPL-2.0 and, for "gnu gpl v2", GPL-3.0-only.
        for (raw, family) in [
            ("lgpl", "LicenseRef-LGPL"),
            ("GNU Lesser General Public License", "LicenseRef-LGPL"),
            ("gpl", "LicenseRef-GPL"),
            ("BSD License", "LicenseRef-BSD"),
            ("mpl", "LicenseRef-MPL"),
            (
                "Common Development and Distribution License",
                "LicenseRef-CDDL",
            ),
        ] {
            assert_eq!(expression(raw).as_deref(), Some(family), "{raw}");
        }
        assert_eq!(expression("gnu gpl v2").as_deref(), Some("GPL-2.0-only"));
        assert!(!states_its_versions("lgpl", "LGPL-2.0-only"));
        assert!(states_its_versions("GPLv2+", "GPL-2.0-or-later"));
        assert!(!states_its_versions("gnu gpl v2", "GPL-3.0-only"));
        assert_eq!(expression("BSD-like"), None);
        assert_eq!(
            expression("CDDL with the classpath exception"),
            None,
            "no exception on a family"
        );
    }
}
