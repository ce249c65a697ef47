//! Cargo.lock, go.mod, poetry.lock, Pipfile.lock, uv.lock, gradle.lockfile and NuGet
//! packages.lock.json extractors on the real files in `../shared/data/lockfiles` (most from
//! google/osv-scalibr's and google/osv-scanner's testdata; `MANIFEST.csv` says which). The
//! expected sets are those projects' expected outputs, except where Vigil records less on
//! purpose (git, path and local packages are warnings here, never components) and says so.
//! Each test says SKIPPED when the data is absent; `VIGIL_SHARED_DATA` points at
//! `shared/data` when the repository is not beside it (a worktree).

mod common;

use std::path::Path;

use vigil_inventory::{extractors, Extractor, FileInput};

use common::{pairs, scoped, shared_lockfile};

/// (purl, scope) of every component, and the warnings, of a scan of the file as the user
/// would name it (so files with unusual names go through `sniff`).
fn scan(path: &Path) -> (Vec<(String, &'static str)>, Vec<String>) {
    let inventory = common::scan(path);
    (scoped(&inventory), common::warnings(&inventory))
}

/// The same, sorted, straight from one extractor (for files no sniffing could place).
fn extract(extractor: &dyn Extractor, path: &Path) -> (Vec<(String, &'static str)>, Vec<String>) {
    let out = common::extract(extractor, path).unwrap();
    let mut found = scoped(&out);
    found.sort();
    (found, out.warnings)
}

/// A file, the (purl, scope) it holds, and how many warnings it gives.
type Case<'a> = (&'a str, &'a [(&'a str, &'static str)], usize);

#[test]
fn cargo_lock_fixtures() {
    let cases: &[Case] = &[
        (
            "cargo-lock/many-packages.lock",
            &[
                ("pkg:cargo/aho-corasick@0.7.18", "unknown"),
                ("pkg:cargo/libc@0.2.140", "unknown"),
                ("pkg:cargo/memchr@2.4.1", "unknown"),
                ("pkg:cargo/syn@1.0.109", "unknown"),
                ("pkg:cargo/syn@2.0.15", "unknown"),
                ("pkg:cargo/zstd@0.11.2", "unknown"),
            ],
            0,
        ),
        (
            "cargo-lock/package-with-build-string.lock",
            &[("pkg:cargo/wasi@0.10.2%2Bwasi-snapshot-preview1", "unknown")],
            0,
        ),
        // osv-scalibr also lists syn 1.0.73 here; its source is a git repository: a warning.
        (
            "cargo-lock/package-with-comments.lock",
            &[("pkg:cargo/addr2line@0.15.2", "unknown")],
            1,
        ),
        // osv-scalibr also lists local-rust-pkg 0.1.0, the project's own (source-less) crate.
        (
            "cargo-lock/two-packages-with-local.lock",
            &[("pkg:cargo/addr2line@0.15.2", "transitive")],
            0,
        ),
    ];
    for (file, expected, warnings) in cases {
        let Some(path) = shared_lockfile(file) else {
            return;
        };
        let (found, found_warnings) = scan(&path);
        assert_eq!(found, pairs(expected), "{file}");
        assert_eq!(
            found_warnings.len(),
            *warnings,
            "{file}: {found_warnings:?}"
        );
    }
    let Some(path) = shared_lockfile("cargo-lock/package-with-comments.lock") else {
        return;
    };
    let (_, warnings) = scan(&path);
    assert!(
        warnings[0].contains("syn 1.0.73 comes from git+https://github.com/rust-lang/cargo"),
        "{warnings:?}"
    );
}

#[test]
fn cargo_lock_of_a_real_workspace_with_checksums_and_direct_dependencies() {
    let Some(path) = shared_lockfile("cargo-lock/ripgrep/Cargo.lock") else {
        return;
    };
    let bytes = std::fs::read(&path).unwrap();
    let out = extractors::CargoLock
        .extract(&FileInput {
            path: &path,
            bytes: &bytes,
        })
        .unwrap();
    // 63 [[package]]: 11 source-less workspace members, 52 from crates.io.
    assert_eq!(out.components.len(), 52);
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    assert!(out.components.iter().all(|c| c.hashes.len() == 1));
    let scope_of = |purl: &str| {
        out.components
            .iter()
            .find(|c| c.purl() == purl)
            .map(|c| c.scope.as_str())
    };
    assert_eq!(scope_of("pkg:cargo/regex@1.13.1"), Some("direct"));
    assert_eq!(scope_of("pkg:cargo/serde_json@1.0.151"), Some("direct"));
    let direct = out
        .components
        .iter()
        .filter(|c| c.scope.as_str() == "direct")
        .count();
    assert_eq!(direct, 29, "what the 11 members depend on");
    let Some(path) = shared_lockfile("cargo-lock/cargo-deny/Cargo.lock") else {
        return;
    };
    let (found, warnings) = scan(&path);
    assert_eq!(found.len(), 210);
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn go_mod_fixtures() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        (
            "go-mod/indirect-1.23.mod",
            &[
                ("pkg:golang/github.com/sirupsen/logrus@v1.9.3", "direct"),
                (
                    "pkg:golang/golang.org/x/sys@v0.0.0-20220715151400-c0bba94af5f8",
                    "transitive",
                ),
                ("pkg:golang/stdlib@1.23", "direct"),
            ],
        ),
        (
            "go-mod/toolchain.mod",
            &[
                ("pkg:golang/github.com/BurntSushi/toml@v1.0.0", "direct"),
                ("pkg:golang/stdlib@1.23.6", "direct"),
            ],
        ),
        (
            "go-mod/replace-mixed.mod",
            &[
                ("pkg:golang/example.com/fork/net@v1.4.5", "direct"),
                ("pkg:golang/golang.org/x/net@v0.5.6", "direct"),
            ],
        ),
        // osv-scalibr records golang.org/x/net as "./fork/net" with no version; a folder is not
        // a module version: a warning.
        (
            "go-mod/replace-local.mod",
            &[("pkg:golang/github.com/BurntSushi/toml@v1.0.0", "direct")],
        ),
    ];
    for (file, expected) in cases {
        let Some(path) = shared_lockfile(file) else {
            return;
        };
        let (found, warnings) = scan(&path);
        assert_eq!(found, pairs(expected), "{file}");
        if file.ends_with("replace-local.mod") {
            assert_eq!(warnings.len(), 1, "{warnings:?}");
            assert!(warnings[0]
                .contains("golang.org/x/net v1.2.3 is replaced by the folder ./fork/net"));
        } else {
            assert!(warnings.is_empty(), "{file}: {warnings:?}");
        }
    }
}

#[test]
fn go_mod_of_a_real_module() {
    let Some(path) = shared_lockfile("go-mod/osv-scanner/go.mod") else {
        return;
    };
    let (found, warnings) = scan(&path);
    assert!(warnings.is_empty(), "{warnings:?}");
    // 206 requires (176 of them `// indirect`), no replace, and the go line.
    assert_eq!(found.len(), 207);
    let count = |scope: &str| found.iter().filter(|(_, s)| *s == scope).count();
    assert_eq!(count("transitive"), 176);
    assert_eq!(count("direct"), 31);
    assert!(found.contains(&("pkg:golang/stdlib@1.26.5".into(), "direct")));
    assert!(found.contains(&(
        "pkg:golang/deps.dev/api/v3@v3.0.0-20260727054525-2946ae4a6141".into(),
        "direct"
    )));
    assert!(
        !found.iter().any(|(p, _)| p.contains("google/osv-scanner")),
        "the module itself is not a dependency"
    );
}

#[test]
fn poetry_lock_fixtures() {
    let cases: &[Case] = &[
        (
            "poetry-lock/multiple-packages.v2.lock",
            &[
                ("pkg:pypi/async-timeout@5.0.1", "unknown"),
                ("pkg:pypi/factory-boy@3.3.1", "dev"),
                ("pkg:pypi/faker@33.3.0", "dev"),
                ("pkg:pypi/proto-plus@1.22.0", "unknown"),
                ("pkg:pypi/proto-plus@1.23.0", "unknown"),
                ("pkg:pypi/protobuf@4.25.5", "unknown"),
                ("pkg:pypi/python-dateutil@2.9.0.post0", "dev"),
                ("pkg:pypi/redis@5.2.1", "unknown"),
                ("pkg:pypi/six@1.17.0", "unknown"),
                ("pkg:pypi/typing-extensions@4.12.2", "dev"),
                ("pkg:pypi/urllib3@2.3.0", "dev"),
            ],
            0,
        ),
        (
            "poetry-lock/one-package-with-metadata.lock",
            &[("pkg:pypi/emoji@2.0.0", "unknown")],
            0,
        ),
        (
            "poetry-lock/optional-package.lock",
            &[("pkg:pypi/numpy@1.23.3", "unknown")],
            0,
        ),
        // osv-scalibr lists ike 0.2.0 (with its commit); it is a git checkout: a warning.
        ("poetry-lock/source-git.lock", &[], 1),
        (
            "poetry-lock/source-legacy.lock",
            &[("pkg:pypi/appdirs@1.4.4", "unknown")],
            0,
        ),
    ];
    for (file, expected, warnings) in cases {
        let Some(path) = shared_lockfile(file) else {
            return;
        };
        let (found, found_warnings) = scan(&path);
        assert_eq!(found, pairs(expected), "{file}");
        assert_eq!(
            found_warnings.len(),
            *warnings,
            "{file}: {found_warnings:?}"
        );
    }
    let Some(path) = shared_lockfile("poetry-lock/one-package-with-metadata.lock") else {
        return;
    };
    let inventory = common::scan(&path);
    assert_eq!(
        inventory.components[0].hashes[0].value,
        "297fac7ec9e86f7b602792c28eb6f04819ba67ab88a34c56afcde52243a9a105",
        "lock 1.x hashes live in [metadata.files]"
    );
}

#[test]
fn poetry_lock_of_a_real_project() {
    let Some(path) = shared_lockfile("poetry-lock/osv.dev-gcp-functions-pypi/poetry.lock") else {
        return;
    };
    let (found, warnings) = scan(&path);
    assert!(warnings.is_empty(), "{warnings:?}");
    // 48 [[package]], all in group main, none from a non-index source.
    assert_eq!(found.len(), 48);
    assert!(found.iter().all(|(_, scope)| *scope == "unknown"));
}

#[test]
fn pipfile_lock_fixtures() {
    let cases: &[Case] = &[
        (
            "pipfile-lock/multiple-packages.json",
            &[
                ("pkg:pypi/itsdangerous@2.1.2", "unknown"),
                ("pkg:pypi/markupsafe@2.1.1", "unknown"),
                ("pkg:pypi/pluggy@1.0.0", "dev"),
                ("pkg:pypi/pluggy@1.0.1", "unknown"),
            ],
            0,
        ),
        (
            "pipfile-lock/one-package-dev.json",
            &[("pkg:pypi/markupsafe@2.1.1", "dev")],
            0,
        ),
        (
            "pipfile-lock/two-packages-alt.json",
            &[
                ("pkg:pypi/itsdangerous@2.1.2", "unknown"),
                ("pkg:pypi/markupsafe@2.1.1", "unknown"),
            ],
            0,
        ),
        // Both entries are editable git checkouts without a version (osv-scalibr finds none).
        ("pipfile-lock/no-version.json", &[], 2),
    ];
    for (file, expected, warnings) in cases {
        let Some(path) = shared_lockfile(file) else {
            return;
        };
        let (found, found_warnings) = scan(&path);
        assert_eq!(found, pairs(expected), "{file}");
        assert_eq!(
            found_warnings.len(),
            *warnings,
            "{file}: {found_warnings:?}"
        );
    }
    let Some(path) = shared_lockfile("pipfile-lock/multiple-packages.json") else {
        return;
    };
    let inventory = common::scan(&path);
    let hashes = |purl: &str| {
        inventory
            .components
            .iter()
            .find(|c| c.purl() == purl)
            .unwrap()
            .hashes
            .len()
    };
    assert_eq!(hashes("pkg:pypi/markupsafe@2.1.1"), 40);
    assert_eq!(hashes("pkg:pypi/itsdangerous@2.1.2"), 2);
    assert_eq!(hashes("pkg:pypi/pluggy@1.0.1"), 0);
}

#[test]
fn uv_lock_fixtures() {
    let cases: &[Case] = &[
        (
            "uv-lock/two-packages.lock",
            &[
                ("pkg:pypi/emoji@2.14.0", "direct"),
                ("pkg:pypi/protobuf@4.25.5", "direct"),
            ],
            0,
        ),
        (
            "uv-lock/osv-scanner-locks-scalibr/uv.lock",
            &[
                ("pkg:pypi/emoji@2.14.0", "direct"),
                ("pkg:pypi/protobuf@4.25.5", "direct"),
            ],
            0,
        ),
        // Extras (`[package.optional-dependencies]`, here named cli, dev and test) are
        // runtime features of the project: direct, and what they need transitive.
        (
            "uv-lock/grouped-packages.lock",
            &[
                ("pkg:pypi/black@24.10.0", "direct"),
                ("pkg:pypi/click@8.1.7", "direct"),
                ("pkg:pypi/colorama@0.4.6", "transitive"),
                ("pkg:pypi/emoji@2.14.0", "direct"),
                ("pkg:pypi/flake8@7.1.1", "direct"),
                ("pkg:pypi/mccabe@0.7.0", "transitive"),
                ("pkg:pypi/mypy-extensions@1.0.0", "transitive"),
                ("pkg:pypi/packaging@24.2", "transitive"),
                ("pkg:pypi/pathspec@0.12.1", "transitive"),
                ("pkg:pypi/platformdirs@4.3.6", "transitive"),
                ("pkg:pypi/pycodestyle@2.12.1", "transitive"),
                ("pkg:pypi/pyflakes@3.2.0", "transitive"),
                ("pkg:pypi/tomli@2.2.1", "transitive"),
                ("pkg:pypi/typing-extensions@4.12.2", "transitive"),
            ],
            0,
        ),
        // osv-scalibr lists ruff 0.8.1; it is a git checkout: a warning.
        ("uv-lock/source-git.lock", &[], 1),
    ];
    for (file, expected, warnings) in cases {
        let Some(path) = shared_lockfile(file) else {
            return;
        };
        let (found, found_warnings) = scan(&path);
        assert_eq!(found, pairs(expected), "{file}");
        assert_eq!(
            found_warnings.len(),
            *warnings,
            "{file}: {found_warnings:?}"
        );
    }
    // Two packages without a `source`, which uv always writes: osv-scalibr lists first-pkg
    // 1.0.0 and second-pkg 2.0.0; Vigil cannot tell where they come from: warnings naming them.
    let Some(path) = shared_lockfile("uv-lock/names-outside-package-block.lock") else {
        return;
    };
    let (found, warnings) = extract(&extractors::UvLock, &path);
    assert_eq!(found, vec![]);
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].starts_with("first-pkg has no source"));
    assert!(warnings[1].starts_with("second-pkg has no source"));
}

#[test]
fn gradle_lockfile_fixtures() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        (
            "gradle-lockfile/5-pkg",
            &[
                (
                    "pkg:maven/org.springframework.boot/spring-boot-autoconfigure@2.7.4",
                    "unknown",
                ),
                (
                    "pkg:maven/org.springframework.boot/spring-boot-configuration-processor@2.7.5",
                    "unknown",
                ),
                (
                    "pkg:maven/org.springframework.boot/spring-boot-devtools@2.7.6",
                    "unknown",
                ),
                (
                    "pkg:maven/org.springframework.boot/spring-boot-starter-aop@2.7.7",
                    "unknown",
                ),
                (
                    "pkg:maven/org.springframework.boot/spring-boot-starter-data-jpa@2.7.8",
                    "unknown",
                ),
            ],
        ),
        (
            "gradle-lockfile/one-pkg",
            &[(
                "pkg:maven/org.springframework.security/spring-security-crypto@5.7.3",
                "unknown",
            )],
        ),
    ];
    for (file, expected) in cases {
        let Some(path) = shared_lockfile(file) else {
            return;
        };
        let (found, warnings) = scan(&path);
        assert_eq!(found, pairs(expected), "{file}");
        assert!(warnings.is_empty(), "{file}: {warnings:?}");
    }
    let Some(path) = shared_lockfile("gradle-lockfile/only-comments") else {
        return;
    };
    let (found, warnings) = extract(&extractors::GradleLockfile, &path);
    assert!(found.is_empty() && warnings.is_empty());
    let Some(path) = shared_lockfile("gradle-lockfile/with-bad-pkg") else {
        return;
    };
    let (found, warnings) = extract(&extractors::GradleLockfile, &path);
    assert_eq!(
        found,
        pairs(&[
            (
                "pkg:maven/org.springframework.boot/spring-boot-autoconfigure@2.7.4",
                "unknown"
            ),
            (
                "pkg:maven/org.springframework.boot/spring-boot-configuration-processor@2.7.5",
                "unknown"
            ),
        ])
    );
    // `>>>`, `////`, `a` and `b` (osv-scalibr skips them silently); `empty=======` is the
    // `empty=` line.
    assert_eq!(warnings.len(), 4, "{warnings:?}");
    assert!(warnings[0].starts_with("line 3:"), "{warnings:?}");
}

#[test]
fn nuget_packages_lock_fixtures() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        (
            "packages-lock-json/scalibr-valid/packages.lock.json",
            &[
                ("pkg:nuget/Another.Longer.Name.Dep@4.5.4", "transitive"),
                ("pkg:nuget/Core.Dep@1.24.0", "direct"),
                ("pkg:nuget/Some.Dep.Five@4.7.2", "transitive"),
                ("pkg:nuget/Some.Dep.Four@4.5.0", "transitive"),
                ("pkg:nuget/Some.Dep.One@1.1.1", "transitive"),
                ("pkg:nuget/Some.Dep.Three@1.0.2", "transitive"),
                ("pkg:nuget/Some.Dep.Two@4.6.0", "transitive"),
                ("pkg:nuget/Some.Longer.Name.Dep@4.7.2", "transitive"),
            ],
        ),
        (
            "packages-lock-json/osv-scanner-locks-scalibr/packages.lock.json",
            &[("pkg:nuget/Newtonsoft.Json@13.0.3", "direct")],
        ),
        (
            "packages-lock-json/one-framework-two-packages.v1.json",
            &[
                ("pkg:nuget/Test.Core@6.0.5", "direct"),
                ("pkg:nuget/Test.System@0.13.0-beta4", "direct"),
            ],
        ),
        (
            "packages-lock-json/two-frameworks-duplicate-packages.v1.json",
            &[("pkg:nuget/Test.Core@6.0.5", "direct")],
        ),
        (
            "packages-lock-json/two-frameworks-mixed-packages.v1.json",
            &[
                ("pkg:nuget/Test.Core@6.0.5", "direct"),
                ("pkg:nuget/Test.System@0.13.0-beta4", "direct"),
                ("pkg:nuget/Test.System@2.15.0", "direct"),
            ],
        ),
        (
            "packages-lock-json/development-dependency-packages/packages.lock.json",
            &[
                (
                    "pkg:nuget/Microsoft.TestPlatform.TestHost@17.12.0",
                    "direct",
                ),
                ("pkg:nuget/Test.Core@6.0.5", "direct"),
                ("pkg:nuget/Test.System@0.13.0-beta4", "direct"),
            ],
        ),
        ("packages-lock-json/empty.v0.json", &[]),
    ];
    for (file, expected) in cases {
        let Some(path) = shared_lockfile(file) else {
            return;
        };
        let (found, warnings) = scan(&path);
        assert_eq!(found, pairs(expected), "{file}");
        assert!(warnings.is_empty(), "{file}: {warnings:?}");
    }
    let Some(path) =
        shared_lockfile("packages-lock-json/osv-scanner-locks-scalibr/packages.lock.json")
    else {
        return;
    };
    let inventory = common::scan(&path);
    assert_eq!(
        inventory.components[0].hashes.len(),
        1,
        "contentHash, SHA-512"
    );
    assert!(inventory.components[0].hashes[0]
        .value
        .starts_with("1eb0b905"));
}

/// Every format is found by its usual name in a folder walk (no sniffing involved), including
/// those without real example files here (pdm.lock, *.deps.json, conan.lock).
#[test]
fn each_format_is_found_by_name_in_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let files: &[(&str, &str)] = &[
        (
            "Cargo.lock",
            "version = 4\n[[package]]\nname = \"itoa\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
        ),
        ("go.mod", "module m\nrequire example.com/x v1.0.0\n"),
        (
            "poetry.lock",
            "[[package]]\nname = \"six\"\nversion = \"1.16.0\"\n",
        ),
        (
            "pdm.lock",
            "[metadata]\nlock_version = \"4.4\"\n[[package]]\nname = \"certifi\"\nversion = \"2023.7.22\"\ngroups = [\"default\"]\n",
        ),
        (
            "uv.lock",
            "version = 1\n[[package]]\nname = \"emoji\"\nversion = \"2.14.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n",
        ),
        (
            "Pipfile.lock",
            "{\"_meta\": {}, \"default\": {\"idna\": {\"version\": \"==3.4\"}}}",
        ),
        ("gradle.lockfile", "junit:junit:4.13.2=testCompileClasspath\nempty=\n"),
        (
            "packages.lock.json",
            "{\"version\": 1, \"dependencies\": {\"net8.0\": {\"Serilog\": {\"type\": \"Direct\", \"resolved\": \"3.1.1\"}}}}",
        ),
        (
            "App.deps.json",
            "{\"libraries\": {\"App/1.0.0\": {\"type\": \"project\"}, \"Polly/8.0.0\": {\"type\": \"package\"}}}",
        ),
        (
            "conan.lock",
            "{\"version\": \"0.5\", \"requires\": [\"zlib/1.2.13#abc%1\"]}",
        ),
    ];
    for (name, text) in files {
        let sub = dir.path().join(name.replace('.', "_"));
        std::fs::create_dir(&sub).unwrap();
        std::fs::write(sub.join(name), text).unwrap();
    }
    let (found, warnings) = scan(dir.path());
    assert!(warnings.is_empty(), "{warnings:?}");
    let purls: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        purls,
        [
            "pkg:cargo/itoa@1.0.0",
            "pkg:conan/zlib@1.2.13",
            "pkg:golang/example.com/x@v1.0.0",
            "pkg:maven/junit/junit@4.13.2",
            "pkg:nuget/Polly@8.0.0",
            "pkg:nuget/Serilog@3.1.1",
            "pkg:pypi/certifi@2023.7.22",
            "pkg:pypi/emoji@2.14.0",
            "pkg:pypi/idna@3.4",
            "pkg:pypi/six@1.16.0",
        ]
    );
}

/// Hostile and broken input never panics: deep nesting, a huge line, binary noise, and every
/// real file of these formats cut short at many points. Each either fails with a reason or
/// reads what it can.
#[test]
fn hostile_and_truncated_input_is_an_error_or_a_warning_never_a_panic() {
    let ours: Vec<&dyn Extractor> = vec![
        &extractors::CargoLock,
        &extractors::GoMod,
        &extractors::PoetryLock,
        &extractors::PdmLock,
        &extractors::UvLock,
        &extractors::PipfileLock,
        &extractors::GradleLockfile,
        &extractors::NuGetLock,
        &extractors::DepsJson,
        &extractors::ConanLock,
    ];
    let deep_json = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
    let deep_object = format!("{}1{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
    let deep_toml = format!("x = {}{}", "[".repeat(200_000), "]".repeat(200_000));
    let deep_inline = format!("x = {}1{}", "{a=".repeat(100_000), "}".repeat(100_000));
    let huge_line = "a".repeat(8 << 20);
    let noise: Vec<u8> = (0..65_536u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let hostile: Vec<&[u8]> = vec![
        deep_json.as_bytes(),
        deep_object.as_bytes(),
        deep_toml.as_bytes(),
        deep_inline.as_bytes(),
        huge_line.as_bytes(),
        &noise,
        b"",
        b"\0\0\0\0",
    ];
    let path = Path::new("hostile");
    for extractor in &ours {
        for bytes in &hostile {
            if let Ok(out) = extractor.extract(&FileInput { path, bytes }) {
                assert!(
                    out.components.is_empty(),
                    "{}: nothing to find in noise",
                    extractor.name()
                );
            }
        }
    }
    let real = [
        (
            "cargo-lock/ripgrep/Cargo.lock",
            &extractors::CargoLock as &dyn Extractor,
        ),
        ("go-mod/osv-scanner/go.mod", &extractors::GoMod),
        (
            "poetry-lock/multiple-packages.v2.lock",
            &extractors::PoetryLock,
        ),
        ("uv-lock/grouped-packages.lock", &extractors::UvLock),
        (
            "pipfile-lock/multiple-packages.json",
            &extractors::PipfileLock,
        ),
        ("gradle-lockfile/5-pkg", &extractors::GradleLockfile),
        (
            "packages-lock-json/scalibr-valid/packages.lock.json",
            &extractors::NuGetLock,
        ),
    ];
    for (file, extractor) in real {
        let Some(file_path) = shared_lockfile(file) else {
            return;
        };
        let bytes = std::fs::read(&file_path).unwrap();
        let whole = extractor
            .extract(&FileInput {
                path,
                bytes: &bytes,
            })
            .unwrap()
            .components
            .len();
        for cut in (1..bytes.len()).step_by(bytes.len() / 97 + 1) {
            if let Ok(out) = extractor.extract(&FileInput {
                path,
                bytes: &bytes[..cut],
            }) {
                assert!(out.components.len() <= whole, "{file} cut at {cut}");
            }
        }
    }
}
