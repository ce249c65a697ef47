//! The binary extractor on real programs found on this machine; each test says SKIPPED when
//! its program is absent (or is another build than the one the expectations describe).

use std::path::{Path, PathBuf};

use vigil_inventory::{scan_paths, Inventory, ScanLimits};

fn program(path: &str) -> Option<PathBuf> {
    let path = PathBuf::from(path);
    if path.is_file() {
        Some(path)
    } else {
        eprintln!("SKIPPED: {} is missing", path.display());
        None
    }
}

fn scan(path: &Path) -> Inventory {
    scan_paths(&[path.to_path_buf()], &ScanLimits::default())
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
