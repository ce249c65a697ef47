//! A real Rust program built with `cargo auditable` at test time (in the test's target tmp
//! folder, built once and kept), read back by the binary extractor. SKIPPED when
//! `cargo-auditable` is not installed or the build fails (no network for crates.io).

use std::{path::PathBuf, process::Command};

use vigil_inventory::{scan_paths, ScanLimits};
use vigil_model::Scope;

const MANIFEST: &str = r#"[package]
name = "auditable-probe"
version = "0.1.0"
edition = "2021"

[dependencies]
itoa = "=1.0.11"
smallvec = "=1.13.2"

[build-dependencies]
autocfg = "=1.3.0"

[workspace]
"#;

fn build() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("auditable-probe");
    let binary = dir.join("target/release/auditable-probe");
    if binary.is_file() {
        return Some(binary);
    }
    std::fs::create_dir_all(dir.join("src")).ok()?;
    std::fs::write(dir.join("Cargo.toml"), MANIFEST).ok()?;
    std::fs::write(
        dir.join("build.rs"),
        "fn main() { let _ = autocfg::new(); }\n",
    )
    .ok()?;
    std::fs::write(
        dir.join("src/main.rs"),
        "fn main() { let v: smallvec::SmallVec<[u8; 4]> = smallvec::smallvec![1]; \
         println!(\"{}\", itoa::Buffer::new().format(v[0])); }\n",
    )
    .ok()?;
    let status = Command::new("cargo")
        .args(["auditable", "build", "--release", "-j1"])
        .current_dir(&dir)
        .env_remove("CARGO_TARGET_DIR")
        .status()
        .ok()?;
    (status.success() && binary.is_file()).then_some(binary)
}

#[test]
fn a_program_built_with_cargo_auditable_lists_its_crates() {
    let has_auditable = Command::new("cargo")
        .args(["auditable", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_auditable {
        eprintln!("SKIPPED: cargo-auditable is not installed (cargo install cargo-auditable)");
        return;
    }
    let Some(binary) = build() else {
        eprintln!("SKIPPED: cargo auditable build failed (is crates.io reachable?)");
        return;
    };
    let inventory = scan_paths(&[binary], &ScanLimits::default());
    let found: Vec<(String, Scope)> = inventory
        .components
        .iter()
        .map(|c| (c.purl(), c.scope))
        .collect();
    assert_eq!(
        found,
        [
            ("pkg:cargo/autocfg@1.3.0".to_string(), Scope::Dev),
            ("pkg:cargo/itoa@1.0.11".to_string(), Scope::Direct),
            ("pkg:cargo/smallvec@1.13.2".to_string(), Scope::Direct),
        ]
    );
    assert!(inventory.warnings.is_empty(), "{:?}", inventory.warnings);
}
