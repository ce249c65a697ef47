//! Names whose case is their identity, end to end: an npm lockfile's legacy `JSONStream` and a
//! Go module's `github.com/BurntSushi/toml` are scanned, matched against OSV records filed under
//! those spellings, and written back out in SBOMs with them.
//!
//! The OSV records are this test's own (ids `VIGIL-TEST-*`): the shared OSV dumps hold none for
//! these two packages.

use std::path::PathBuf;

use vigil_engine::{Engine, NoObserver, ScanTarget, Stage};

const JSON_STREAM: &str = r#"{"id":"VIGIL-TEST-JSONSTREAM","modified":"2024-01-01T00:00:00Z",
 "summary":"test record for the legacy npm package JSONStream",
 "affected":[{"package":{"ecosystem":"npm","name":"JSONStream"},
   "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.3.6"}]}]}]}"#;
const TOML: &str = r#"{"id":"VIGIL-TEST-TOML","modified":"2024-01-01T00:00:00Z",
 "summary":"test record for github.com/BurntSushi/toml",
 "affected":[{"package":{"ecosystem":"Go","name":"github.com/BurntSushi/toml"},
   "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.5.0"}]}]}]}"#;

/// `JSONStream` and the later, distinct `jsonstream`, both at 1.3.5.
const PACKAGE_LOCK: &str = r#"{"name":"web","lockfileVersion":3,"packages":{
  "":{"name":"web","dependencies":{"JSONStream":"^1.3.5","jsonstream":"^1.3.5"}},
  "node_modules/JSONStream":{"version":"1.3.5"},
  "node_modules/jsonstream":{"version":"1.3.5"}}}"#;
const YARN_LOCK: &str = "# yarn lockfile v1\n\n\nJSONStream@^1.3.5:\n  version \"1.3.5\"\n  resolved \"https://registry.yarnpkg.com/JSONStream/-/JSONStream-1.3.5.tgz\"\n";
const PNPM_LOCK: &str = "lockfileVersion: '9.0'\n\nimporters:\n  .:\n    dependencies:\n      JSONStream:\n        specifier: ^1.3.5\n        version: 1.3.5\n\npackages:\n  JSONStream@1.3.5:\n    resolution: {tarball: https://registry.npmjs.org/JSONStream/-/JSONStream-1.3.5.tgz}\n\nsnapshots:\n  JSONStream@1.3.5: {}\n";
const GO_MOD: &str = "module example.com/app\n\nrequire github.com/BurntSushi/toml v1.4.0\n";

fn engine_with_records() -> (tempfile::TempDir, Engine) {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(&dir.path().join("data")).unwrap();
    let osv = dir.path().join("osv");
    std::fs::create_dir_all(&osv).unwrap();
    std::fs::write(osv.join("jsonstream.json"), JSON_STREAM).unwrap();
    std::fs::write(osv.join("toml.json"), TOML).unwrap();
    engine.import_advisories(&[osv], &mut |_| {}).unwrap();
    (dir, engine)
}

fn file(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

fn advisory_ids(engine: &Engine, purl: &str) -> Vec<String> {
    let results = engine.query(&[purl.to_string()]).unwrap();
    assert_eq!(results[0].error, None, "{purl}");
    results[0].advisories.iter().map(|a| a.id.clone()).collect()
}

#[test]
fn a_package_lock_with_json_stream_matches_the_advisory_filed_under_json_stream() {
    let (dir, engine) = engine_with_records();
    let lock = file(&dir, "web/package-lock.json", PACKAGE_LOCK);
    let report = engine
        .evaluate(
            &[lock],
            ScanTarget {
                application: "web".into(),
                stage: Stage::Build,
                version_label: None,
                organization: None,
            },
            &mut NoObserver,
        )
        .unwrap();
    let vulnerable: Vec<(&str, Vec<&str>)> = report
        .violations
        .iter()
        .filter(|v| !v.advisories.is_empty())
        .map(|v| {
            (
                v.purl.as_str(),
                v.advisories.iter().map(|a| a.id.as_str()).collect(),
            )
        })
        .collect();
    assert!(!vulnerable.is_empty(), "{:#?}", report.violations);
    assert!(
        vulnerable
            .iter()
            .all(|(purl, ids)| *purl == "pkg:npm/JSONStream@1.3.5"
                && ids == &["VIGIL-TEST-JSONSTREAM"]),
        "{vulnerable:?}"
    );
    // The stored scan keeps both packages apart, each under its own spelling.
    let scan = engine.scan(&[dir.path().join("web")], None).unwrap();
    let mut purls: Vec<&str> = scan.components.iter().map(|c| c.purl.as_str()).collect();
    purls.sort();
    assert_eq!(
        purls,
        ["pkg:npm/JSONStream@1.3.5", "pkg:npm/jsonstream@1.3.5"]
    );

    assert_eq!(
        advisory_ids(&engine, "pkg:npm/JSONStream@1.3.5"),
        ["VIGIL-TEST-JSONSTREAM"]
    );
    assert_eq!(
        advisory_ids(&engine, "pkg:npm/JSONStream@1.3.6"),
        Vec::<String>::new()
    );
    assert!(
        advisory_ids(&engine, "pkg:npm/jsonstream@1.3.5").is_empty(),
        "npm names are case-sensitive: jsonstream is another package"
    );
}

#[test]
fn yarn_and_pnpm_lockfiles_keep_json_stream_as_it_is_spelled() {
    let (dir, engine) = engine_with_records();
    for (name, text) in [("yarn.lock", YARN_LOCK), ("pnpm-lock.yaml", PNPM_LOCK)] {
        let path = file(&dir, &format!("{name}.d/{name}"), text);
        let scan = engine.scan(&[path], None).unwrap();
        let purls: Vec<&str> = scan.components.iter().map(|c| c.purl.as_str()).collect();
        assert_eq!(
            purls,
            ["pkg:npm/JSONStream@1.3.5"],
            "{name}: {:?}",
            scan.warnings
        );
        assert_eq!(
            advisory_ids(&engine, purls[0]),
            ["VIGIL-TEST-JSONSTREAM"],
            "{name}"
        );
    }
}

#[test]
fn a_go_module_keeps_its_path_in_sboms_and_a_lowercased_purl_still_matches() {
    let (dir, engine) = engine_with_records();
    let go_mod = file(&dir, "app/go.mod", GO_MOD);
    let scan = engine.scan(&[go_mod], None).unwrap();
    let purls: Vec<&str> = scan.components.iter().map(|c| c.purl.as_str()).collect();
    assert_eq!(purls, ["pkg:golang/github.com/BurntSushi/toml@v1.4.0"]);

    let now = chrono::Utc::now();
    let cyclonedx = vigil_engine::sbom::cyclonedx(&scan.components, &scan.unidentified, now);
    assert_eq!(
        cyclonedx["components"][0]["purl"],
        "pkg:golang/github.com/BurntSushi/toml@v1.4.0"
    );
    assert_eq!(
        cyclonedx["components"][0]["name"],
        "github.com/BurntSushi/toml"
    );
    let spdx = vigil_engine::sbom::spdx("app", &scan.components, &scan.unidentified, now);
    assert_eq!(
        spdx["packages"][0]["externalRefs"][0]["referenceLocator"],
        "pkg:golang/github.com/BurntSushi/toml@v1.4.0"
    );

    for purl in [
        "pkg:golang/github.com/BurntSushi/toml@v1.4.0",
        // As tools that followed the purl spec's old rule wrote it.
        "pkg:golang/github.com/burntsushi/toml@v1.4.0",
    ] {
        assert_eq!(advisory_ids(&engine, purl), ["VIGIL-TEST-TOML"], "{purl}");
    }
    assert!(advisory_ids(&engine, "pkg:golang/github.com/BurntSushi/toml@v1.5.0").is_empty());

    // Vigil's own SBOM, read back, is the same component.
    let bom = file(&dir, "out/bom.cdx.json", &cyclonedx.to_string());
    let again = engine.scan(&[bom], None).unwrap();
    assert_eq!(again.components[0].purl, scan.components[0].purl);
}
