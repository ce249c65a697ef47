//! composer.lock, Gemfile.lock, pubspec.lock and mix.lock extractors on the real files in
//! `../shared/data/lockfiles` (osv-scalibr's and osv.dev's; MANIFEST.csv there says where each
//! came from). Test-data names (`two-packages.json`) reach their extractor by content. Each
//! test says SKIPPED when the data is absent.

mod common;

use std::path::Path;

use vigil_model::HashAlgorithm;

use common::{pairs, scan, scoped, shared_lockfile, warnings};

#[test]
fn composer_packages_dev_duplicates_and_licenses() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        (
            "composer-lock/two-packages.json",
            &[
                ("pkg:composer/sentry/sdk@2.0.4", "unknown"),
                ("pkg:composer/theseer/tokenizer@1.1.3", "dev"),
            ],
        ),
        (
            "composer-lock/one-package-dev.json",
            &[("pkg:composer/sentry/sdk@2.0.4", "dev")],
        ),
        (
            "composer-lock/duplicate-packages.json",
            &[
                ("pkg:composer/sentry/sdk@2.0.4", "unknown"),
                ("pkg:composer/sentry/sdk@2.0.5", "unknown"),
                ("pkg:composer/sentry/sdk@3.0.0-dev", "dev"),
            ],
        ),
        (
            "composer-lock/drupal-packages.json",
            &[
                ("pkg:composer/drupal/core@10.4.5", "unknown"),
                ("pkg:composer/drupal/field_time@1.0.0-beta5", "dev"),
                ("pkg:composer/drupal/tfa@2.0.0-alpha4", "unknown"),
                ("pkg:composer/theseer/tokenizer@1.1.3", "unknown"),
            ],
        ),
        (
            "composer-lock/osv-scanner-locks-many-with-insecure/composer.lock",
            &[
                ("pkg:composer/drupal/core@10.4.5", "unknown"),
                ("pkg:composer/drupal/simple_sitemap@4.2.1", "unknown"),
                ("pkg:composer/drupal/tfa@2.0.0-alpha4", "unknown"),
                ("pkg:composer/league/flysystem@1.0.8", "unknown"),
                ("pkg:composer/sentry/sdk@2.0.4", "unknown"),
                ("pkg:composer/theseer/tokenizer@1.1.3", "unknown"),
            ],
        ),
    ];
    for (file, expected) in cases {
        let Some(path) = shared_lockfile(file) else {
            return;
        };
        let inventory = scan(&path);
        let expected: Vec<(String, &str)> =
            expected.iter().map(|(p, s)| (p.to_string(), *s)).collect();
        let found: Vec<(String, &str)> = scoped(&inventory);
        assert_eq!(found, expected, "{file}");
        assert!(
            warnings(&inventory).is_empty(),
            "{file}: {:?}",
            inventory.warnings
        );
    }
    let Some(path) = shared_lockfile("composer-lock/drupal-packages.json") else {
        return;
    };
    let inventory = scan(&path);
    let summary: Vec<(String, Option<String>, Vec<String>)> = inventory
        .components
        .iter()
        .map(|c| {
            (
                c.purl(),
                c.license.as_ref().and_then(|l| l.expression.clone()),
                c.hashes
                    .iter()
                    .map(|h| format!("{}:{}", h.algorithm.as_str(), h.value))
                    .collect(),
            )
        })
        .collect();
    let gpl = Some("GPL-2.0-or-later".to_string());
    assert_eq!(
        summary,
        [
            (
                "pkg:composer/drupal/core@10.4.5".into(),
                gpl.clone(),
                vec![]
            ),
            (
                "pkg:composer/drupal/field_time@1.0.0-beta5".into(),
                gpl.clone(),
                vec!["SHA-1:7ceaa18c1b0d42d12aafe5fcc0b5fe22a2ab3096".into()]
            ),
            (
                "pkg:composer/drupal/tfa@2.0.0-alpha4".into(),
                gpl,
                vec!["SHA-1:70b03b6c7868ced71ed0b3ca596ad83e76c2adc0".into()]
            ),
            (
                "pkg:composer/theseer/tokenizer@1.1.3".into(),
                Some("BSD-3-Clause".into()),
                vec![]
            ),
        ]
    );
}

/// The gems of a Gemfile.lock's GEM sections, counted independently: four-space spec lines,
/// platform suffix removed, each name and version once.
fn gem_specs(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut section = "";
    let mut gems: Vec<String> = Vec::new();
    for line in text.lines() {
        if !line.starts_with(' ') {
            section = line;
        } else if section == "GEM" && line.starts_with("    ") && !line.starts_with("     ") {
            let (name, version) = line.trim().split_once(" (").unwrap();
            let version = version.trim_end_matches(')').split('-').next().unwrap();
            gems.push(format!("pkg:gem/{name}@{version}"));
        }
    }
    gems.sort();
    gems.dedup();
    gems
}

#[test]
fn gemfile_gems_platforms_and_direct_dependencies() {
    let cases: &[(&str, &[&str])] = &[
        ("gemfile-lock/rails.lock", &["pkg:gem/rails@7.0.2.2"]),
        ("gemfile-lock/rubocop.lock", &["pkg:gem/rubocop@1.25.1"]),
        (
            "gemfile-lock/source-section-at-end.lock",
            &["pkg:gem/ast@2.4.2"],
        ),
        (
            "gemfile-lock/osv.dev-docs/Gemfile.lock",
            &[
                "pkg:gem/base64@0.3.0",
                "pkg:gem/csv@3.3.6",
                "pkg:gem/http_parser.rb@0.8.1",
                "pkg:gem/jekyll-default-layout@0.2.0",
                "pkg:gem/jekyll-feed@0.17.0",
                "pkg:gem/jekyll-github-metadata@2.16.1",
                "pkg:gem/jekyll-optional-front-matter@0.3.3",
                "pkg:gem/jekyll-readme-index@0.4.0",
                "pkg:gem/jekyll-relative-links@0.8.0",
                "pkg:gem/jekyll-titles-from-headings@0.5.4",
                "pkg:gem/jekyll@4.4.1",
                "pkg:gem/just-the-docs@0.12.0",
                "pkg:gem/webrick@1.9.2",
            ],
        ),
    ];
    for (file, direct) in cases {
        let Some(path) = shared_lockfile(file) else {
            return;
        };
        let inventory = scan(&path);
        let found: Vec<String> = inventory.components.iter().map(|c| c.purl()).collect();
        assert_eq!(found, gem_specs(&path), "{file}");
        let found_direct: Vec<String> = inventory
            .components
            .iter()
            .filter(|c| c.scope.as_str() == "direct")
            .map(|c| c.purl())
            .collect();
        assert_eq!(found_direct, *direct, "{file}");
        assert!(inventory
            .components
            .iter()
            .all(|c| matches!(c.scope.as_str(), "direct" | "transitive")));
        assert!(
            warnings(&inventory).is_empty(),
            "{file}: {:?}",
            inventory.warnings
        );
    }
    let Some(path) = shared_lockfile("gemfile-lock/rails.lock") else {
        return;
    };
    let found: Vec<String> = scan(&path).components.iter().map(|c| c.purl()).collect();
    assert_eq!(found.len(), 46);
    assert!(
        found.contains(&"pkg:gem/nokogiri@1.13.3".to_string()),
        "{found:?}"
    );
    assert!(found.contains(&"pkg:gem/actioncable@7.0.2.2".to_string()));
}

#[test]
fn gemfile_git_and_path_gems_are_warnings() {
    let Some(path) = shared_lockfile("gemfile-lock/has-git-gem.lock") else {
        return;
    };
    let inventory = scan(&path);
    assert_eq!(
        scoped(&inventory),
        pairs(&[
            ("pkg:gem/concurrent-ruby@1.1.7", "transitive"),
            ("pkg:gem/rack@2.2.3", "transitive"),
            ("pkg:gem/transproc@1.1.1", "transitive"),
        ])
    );
    let git = warnings(&inventory);
    assert_eq!(git.len(), 2, "{git:?}");
    assert!(git
        .iter()
        .any(|w| w.contains("hanami-controller (2.0.0.alpha1)")
            && w.contains("git https://github.com/hanami/controller.git")));
    assert!(git
        .iter()
        .any(|w| w.contains("hanami-utils (2.0.0.alpha1)")));

    let Some(path) = shared_lockfile("gemfile-lock/has-local-gem.lock") else {
        return;
    };
    let inventory = scan(&path);
    let found: Vec<String> = inventory.components.iter().map(|c| c.purl()).collect();
    assert_eq!(found, gem_specs(&path));
    assert_eq!(found.len(), 29);
    assert!(!found.iter().any(|p| p.contains("backbone-on-rails")));
    assert_eq!(
        warnings(&inventory),
        ["line 4: backbone-on-rails (1.2.0.0) comes from path vendor/gem/backbone-on-rails, not a gem server; not recorded"]
    );
}

/// A file, the components it should give with their scopes, and how many warnings.
type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], usize);

#[test]
fn pubspec_hosted_packages_scopes_and_other_sources() {
    let cases: &[Case] = &[
        (
            "pubspec-lock/mixed-packages.lock",
            &[
                ("pkg:pub/back_button_interceptor@6.0.1", "direct"),
                ("pkg:pub/build_runner@2.2.1", "dev"),
                ("pkg:pub/shelf@1.3.2", "transitive"),
                ("pkg:pub/shelf_web_socket@1.0.2", "transitive"),
            ],
            0,
        ),
        (
            "pubspec-lock/one-package-dev.lock",
            &[("pkg:pub/build_runner@2.2.1", "dev")],
            0,
        ),
        (
            "pubspec-lock/source-git.lock",
            &[("pkg:pub/toggle_switch@1.4.0", "direct")],
            4,
        ),
        ("pubspec-lock/source-path.lock", &[], 1),
        // The Flutter SDK's own packages are skipped silently.
        ("pubspec-lock/source-sdk.lock", &[], 0),
    ];
    for (file, expected, warning_count) in cases {
        let Some(path) = shared_lockfile(file) else {
            return;
        };
        let inventory = scan(&path);
        let expected: Vec<(String, &str)> =
            expected.iter().map(|(p, s)| (p.to_string(), *s)).collect();
        assert_eq!(scoped(&inventory), expected, "{file}");
        assert_eq!(
            inventory.warnings.len(),
            *warning_count,
            "{file}: {:?}",
            inventory.warnings
        );
    }
    let Some(path) = shared_lockfile("pubspec-lock/source-git.lock") else {
        return;
    };
    let warnings = warnings(&scan(&path));
    for name in [
        "flutter_rust_bridge",
        "screen_retriever",
        "tray_manager",
        "window_manager",
    ] {
        assert!(
            warnings
                .iter()
                .any(|w| w.contains(name) && w.contains("comes from git https://github.com/")),
            "{name}: {warnings:?}"
        );
    }
}

#[test]
fn mix_hex_packages_with_outer_checksums_and_git_warnings() {
    let Some(path) = shared_lockfile("mix-lock/two-packages.lock") else {
        return;
    };
    let inventory = scan(&path);
    let summary: Vec<(String, Vec<(HashAlgorithm, String)>)> = inventory
        .components
        .iter()
        .map(|c| {
            (
                c.purl(),
                c.hashes
                    .iter()
                    .map(|h| (h.algorithm, h.value.clone()))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "pkg:hex/plug@1.11.1".to_string(),
                vec![(
                    HashAlgorithm::Sha256,
                    "23524e4fefbb587c11f0833b3910bfb414bf2e2534d61928e920f54e3a1b881f".to_string()
                )]
            ),
            (
                "pkg:hex/plug_crypto@1.2.2".to_string(),
                vec![(
                    HashAlgorithm::Sha256,
                    "87631c7ad914a5a445f0a3809f99b079113ae4ed4b867348dd9eec288cecb6db".to_string()
                )]
            ),
        ]
    );
    assert!(inventory
        .components
        .iter()
        .all(|c| c.scope.as_str() == "unknown"));

    let Some(path) = shared_lockfile("mix-lock/one-package.lock") else {
        return;
    };
    let found: Vec<String> = scan(&path).components.iter().map(|c| c.purl()).collect();
    assert_eq!(found, ["pkg:hex/plug@1.11.1"]);

    let Some(path) = shared_lockfile("mix-lock/many.lock") else {
        return;
    };
    let inventory = scan(&path);
    let found: Vec<String> = inventory.components.iter().map(|c| c.purl()).collect();
    assert_eq!(
        found,
        [
            "pkg:hex/backoff@1.1.6",
            "pkg:hex/decimal@2.0.0",
            "pkg:hex/dialyxir@1.1.0",
            "pkg:hex/earmark@1.4.3",
            "pkg:hex/earmark_parser@1.4.10",
            "pkg:hex/ecto@3.5.5",
            "pkg:hex/erlex@0.2.6",
            "pkg:hex/ex_doc@0.23.0",
            "pkg:hex/makeup@1.0.5",
            "pkg:hex/makeup_elixir@0.15.0",
            "pkg:hex/meck@0.9.2",
            "pkg:hex/mime@1.5.0",
            "pkg:hex/nimble_parsec@1.1.0",
            "pkg:hex/phoenix@1.4.17",
            "pkg:hex/phoenix_html@2.14.3",
            "pkg:hex/phoenix_pubsub@1.1.2",
            "pkg:hex/plug@1.11.1",
            "pkg:hex/plug_crypto@1.2.2",
            "pkg:hex/poolboy@1.5.2",
            "pkg:hex/pow@1.0.15",
            "pkg:hex/telemetry@0.4.2",
        ]
    );
    assert!(inventory.components.iter().all(|c| c.hashes.len() == 1));
    assert!(warnings(&inventory).is_empty());

    let Some(path) = shared_lockfile("mix-lock/git.lock") else {
        return;
    };
    let inventory = scan(&path);
    assert!(inventory.components.is_empty());
    let warnings = warnings(&inventory);
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    for repo in ["foe.git", "foo.git", "my-org/bar"] {
        assert!(
            warnings.iter().any(|w| w.contains(repo)),
            "{repo}: {warnings:?}"
        );
    }
}
