//! yarn.lock and pnpm-lock.yaml extractors on the real files in `../shared/data/lockfiles`
//! (osv-scalibr's test data, and tauri-apps/plugins-workspace's lockfile; MANIFEST.csv there
//! says where each came from). The files keep their test-data names (`commits.v1.lock`), so
//! they reach their extractor by content, as a file the user names explicitly does. Each test
//! says SKIPPED when the data is absent.

mod common;

use vigil_model::HashAlgorithm;

use common::{hash_of, pairs, scan, scoped, shared_lockfile, warnings};

#[test]
fn yarn_classic_versions_scopes_aliases_and_integrity() {
    let cases: &[(&str, &[&str])] = &[
        (
            "yarn-lock/multiple-versions.v1.lock",
            &[
                "pkg:npm/define-properties@1.1.3",
                "pkg:npm/define-property@0.2.5",
                "pkg:npm/define-property@1.0.0",
                "pkg:npm/define-property@2.0.2",
            ],
        ),
        (
            "yarn-lock/scoped-packages.v1.lock",
            &[
                "pkg:npm/%40babel/code-frame@7.12.11",
                "pkg:npm/%40babel/compat-data@7.14.0",
            ],
        ),
        (
            "yarn-lock/with-aliases.v1.lock",
            &[
                "pkg:npm/%40babel/helper-validator-identifier@7.22.20",
                "pkg:npm/ansi-regex@5.0.1",
                "pkg:npm/ansi-regex@6.0.1",
            ],
        ),
    ];
    for (file, expected) in cases {
        let Some(path) = shared_lockfile(file) else {
            return;
        };
        let inventory = scan(&path);
        let found: Vec<String> = inventory.components.iter().map(|c| c.purl()).collect();
        assert_eq!(found, *expected, "{file}");
        assert!(
            warnings(&inventory).is_empty(),
            "{file}: {:?}",
            inventory.warnings
        );
        assert!(
            inventory.components.iter().all(|c| c.hashes.len() == 1),
            "{file}: every entry has an integrity"
        );
    }
    let Some(path) = shared_lockfile("yarn-lock/multiple-versions.v1.lock") else {
        return;
    };
    // The sha1 integrity is the same digest the resolved URL carries after `#`.
    assert_eq!(
        hash_of(&scan(&path), "pkg:npm/define-property@0.2.5"),
        [(
            HashAlgorithm::Sha1,
            "c35b1ef918ec3c990f9a5bc57be04aacec5c8116".to_string()
        )]
    );
    let Some(path) = shared_lockfile("yarn-lock/with-aliases.v1.lock") else {
        return;
    };
    assert_eq!(
        hash_of(&scan(&path), "pkg:npm/ansi-regex@6.0.1"),
        [(
            HashAlgorithm::Sha512,
            "9f933ce797ca6f64ac7cc222145a15ac0047242f10b47c15c7e98758fdd0704a\
             811d889e9e3e5d1d28236f1b42d161195d8b78c1c0faceb4049433e116e6607c"
                .to_string()
        )]
    );
}

#[test]
fn yarn_berry_resolutions_aliases_prereleases_and_workspaces() {
    let cases: &[(&str, &[&str])] = &[
        (
            "yarn-lock/scoped-packages.v2.lock",
            &[
                "pkg:npm/%40babel/cli@7.16.8",
                "pkg:npm/%40babel/code-frame@7.16.7",
                "pkg:npm/%40babel/compat-data@7.16.8",
            ],
        ),
        (
            "yarn-lock/with-aliases.v2.lock",
            &[
                "pkg:npm/%40babel/helper-validator-identifier@7.22.20",
                "pkg:npm/ansi-regex@5.0.1",
                "pkg:npm/ansi-regex@6.0.1",
            ],
        ),
        (
            "yarn-lock/with-prerelease.v2.lock",
            &[
                "pkg:npm/%40nicolo-ribaudo/chokidar-2@2.1.8-no-fsevents.3",
                "pkg:npm/gensync@1.0.0-beta.2",
            ],
        ),
        ("yarn-lock/metadata-only.v2.lock", &[]),
    ];
    for (file, expected) in cases {
        let Some(path) = shared_lockfile(file) else {
            return;
        };
        let inventory = scan(&path);
        let found: Vec<String> = inventory.components.iter().map(|c| c.purl()).collect();
        assert_eq!(found, *expected, "{file}");
        // The workspace entries (`mine@workspace:.`) are skipped silently.
        assert!(
            warnings(&inventory).is_empty(),
            "{file}: {:?}",
            inventory.warnings
        );
        assert!(inventory.components.iter().all(|c| c.hashes.is_empty()));
    }
}

#[test]
fn yarn_git_and_url_installs_are_warnings_in_both_formats() {
    for (file, entries) in [
        ("yarn-lock/commits.v1.lock", 18),
        ("yarn-lock/commits.v2.lock", 7),
    ] {
        let Some(path) = shared_lockfile(file) else {
            return;
        };
        let inventory = scan(&path);
        assert!(
            inventory.components.is_empty(),
            "{file}: {:?}",
            scoped(&inventory)
        );
        let warnings = warnings(&inventory);
        assert_eq!(warnings.len(), entries, "{file}: {warnings:?}");
        assert!(warnings.iter().all(|w| w.contains("not a registry")));
    }
    // `minimist@0.0.8` looks like a registry range, but the entry resolved to a git URL.
    let Some(path) = shared_lockfile("yarn-lock/commits.v1.lock") else {
        return;
    };
    assert!(warnings(&scan(&path))
        .iter()
        .any(|w| w.contains("minimist") && w.contains("ssh://github.com/substack/minimist.git")));
}

#[test]
fn pnpm_v5_groups_exotic_keys_and_tarballs() {
    for file in [
        "pnpm-lock-yaml/mixed-groups.v53.yaml",
        "pnpm-lock-yaml/mixed-groups.v54.yaml",
    ] {
        let Some(path) = shared_lockfile(file) else {
            return;
        };
        let inventory = scan(&path);
        assert_eq!(
            scoped(&inventory),
            pairs(&[
                ("pkg:npm/ansi-regex@5.0.1", "direct"),
                ("pkg:npm/is-number@7.0.0", "dev"),
                ("pkg:npm/uuid@8.3.2", "direct"),
            ]),
            "{file}"
        );
        assert_eq!(
            hash_of(&inventory, "pkg:npm/ansi-regex@5.0.1"),
            [(
                HashAlgorithm::Sha512,
                "aae2505e54d25062f62c7f52517a3c570b18e2ca1a9e1828e8b3529bce04d4b0\
                 5c13cb373b4c29762473c91f73fd9649325316bf7eea38e6fda5d26531410a15"
                    .to_string()
            )]
        );
    }
    let Some(path) = shared_lockfile("pnpm-lock-yaml/exotic.yaml") else {
        return;
    };
    let inventory = scan(&path);
    let found: Vec<String> = inventory.components.iter().map(|c| c.purl()).collect();
    assert_eq!(
        found,
        [
            "pkg:npm/%40foo/bar@1.0.0",
            "pkg:npm/%40foo/bar@1.1.0",
            "pkg:npm/foo@1.0.0",
            "pkg:npm/foo@1.1.0",
            "pkg:npm/foo@1.2.0",
            "pkg:npm/foo@1.3.0",
            "pkg:npm/foo@1.4.0",
        ]
    );
    let warnings = warnings(&inventory);
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings
        .iter()
        .any(|w| w.contains("github.com/kevva/is-positive")));
    assert!(warnings.iter().any(|w| w.contains("\"/foo/bar\"")));

    // A tarball in npm's registry layout on a private (GitLab) registry is that package.
    let Some(path) = shared_lockfile("pnpm-lock-yaml/tarball.yaml") else {
        return;
    };
    let inventory = scan(&path);
    assert_eq!(
        scoped(&inventory),
        pairs(&[("pkg:npm/%40my-org/my-package@3.2.3", "dev")])
    );
}

#[test]
fn pnpm_v6_and_v9_peer_suffixes_and_scopes() {
    let Some(path) = shared_lockfile("pnpm-lock-yaml/peer-dependencies-advanced-v6.yaml") else {
        return;
    };
    let inventory = scan(&path);
    assert_eq!(
        scoped(&inventory),
        pairs(&[
            ("pkg:npm/js-tokens@4.0.0", "transitive"),
            ("pkg:npm/loose-envify@1.4.0", "transitive"),
            (
                "pkg:npm/react-dom@18.3.0-canary-ab31a9ed2-20230824",
                "direct"
            ),
            (
                "pkg:npm/react@18.3.0-canary-ab31a9ed2-20230824",
                "transitive"
            ),
            (
                "pkg:npm/scheduler@0.24.0-canary-ab31a9ed2-20230824",
                "transitive"
            ),
        ])
    );
    assert!(warnings(&inventory).is_empty());

    let Some(path) = shared_lockfile("pnpm-lock-yaml/peer-dependencies-advanced.v9.yaml") else {
        return;
    };
    let inventory = scan(&path);
    // The test file's snapshots are trimmed: nothing in it depends on supports-color@7.2.0
    // (debug's optional peer) or its has-flag, so their scope cannot be told.
    assert_eq!(
        scoped(&inventory),
        pairs(&[
            (
                "pkg:npm/%40eslint-community/eslint-utils@4.4.0",
                "transitive"
            ),
            ("pkg:npm/%40eslint/eslintrc@2.1.4", "transitive"),
            (
                "pkg:npm/%40typescript-eslint/eslint-plugin@5.62.0",
                "direct"
            ),
            ("pkg:npm/%40typescript-eslint/parser@5.62.0", "direct"),
            (
                "pkg:npm/%40typescript-eslint/type-utils@5.62.0",
                "transitive"
            ),
            (
                "pkg:npm/%40typescript-eslint/typescript-estree@5.62.0",
                "transitive"
            ),
            ("pkg:npm/%40typescript-eslint/utils@5.62.0", "transitive"),
            ("pkg:npm/debug@4.3.4", "transitive"),
            ("pkg:npm/eslint@8.57.0", "direct"),
            ("pkg:npm/has-flag@4.0.0", "unknown"),
            ("pkg:npm/supports-color@7.2.0", "unknown"),
            ("pkg:npm/tsutils@3.21.0", "transitive"),
            ("pkg:npm/typescript@4.9.5", "direct"),
        ])
    );
    assert!(inventory.components.iter().all(|c| c.hashes.len() == 1));
}

#[test]
fn pnpm_v9_codeload_tarballs_are_warnings() {
    let Some(path) = shared_lockfile("pnpm-lock-yaml/commits.v9.yaml") else {
        return;
    };
    let inventory = scan(&path);
    assert!(inventory.components.is_empty(), "{:?}", scoped(&inventory));
    let warnings = warnings(&inventory);
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings.iter().all(|w| w.contains("codeload.github.com")));
}

#[test]
fn pnpm_a_real_workspace_lockfile_reads_every_package() {
    let Some(path) = shared_lockfile("pnpm-lock-yaml/tauri-plugins-workspace/pnpm-lock.yaml")
    else {
        return;
    };
    let inventory = scan(&path);
    // Count independently: the keys of `packages`, two-space indented, up to `snapshots`.
    let text = std::fs::read_to_string(&path).unwrap();
    let mut in_packages = false;
    let mut expected: Vec<String> = Vec::new();
    for line in text.lines() {
        if !line.starts_with(' ') && !line.is_empty() {
            in_packages = line == "packages:";
            continue;
        }
        if in_packages && line.starts_with("  ") && !line.starts_with("   ") {
            let key = line.trim().trim_end_matches(':').trim_matches('\'');
            let at = key[1..].find('@').unwrap() + 1;
            let name = key[..at].replace('@', "%40");
            expected.push(format!("pkg:npm/{name}@{}", &key[at + 1..]));
        }
    }
    expected.sort();
    let found: Vec<String> = inventory.components.iter().map(|c| c.purl()).collect();
    assert_eq!(found.len(), 457);
    assert_eq!(found, expected);
    assert!(warnings(&inventory).is_empty(), "{:?}", inventory.warnings);
    // The workspace's only production dependencies; everything else builds or tests it.
    let direct: Vec<String> = inventory
        .components
        .iter()
        .filter(|c| c.scope.as_str() == "direct")
        .map(|c| c.purl())
        .collect();
    assert_eq!(
        direct,
        [
            "pkg:npm/%40tauri-apps/api@2.0.2",
            "pkg:npm/%40zerodevx/svelte-json-view@1.0.11"
        ]
    );
    let dev = inventory
        .components
        .iter()
        .filter(|c| c.scope.as_str() == "dev")
        .count();
    assert_eq!(dev, 435);
    assert!(inventory.components.iter().all(|c| c.hashes.len() == 1));
}
