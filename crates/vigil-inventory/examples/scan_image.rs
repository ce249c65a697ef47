//! Scans one container image tarball with `vigil_inventory::scan_paths` and prints a
//! summary line: `cargo run --release -p vigil-inventory --example scan_image -- IMAGE`.
//! `VIGIL_IMAGE_SCANNER=example bench/image.sh` times it beside `tar`.

use std::path::PathBuf;

use vigil_inventory::{scan_paths, ScanLimits};

fn main() {
    let Some(image) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: scan_image IMAGE");
        std::process::exit(2);
    };
    let inventory = scan_paths(&[image], &ScanLimits::default());
    for warning in &inventory.warnings {
        eprintln!("warning: {}: {}", warning.path.display(), warning.message);
    }
    println!(
        "{} components, {} warnings",
        inventory.components.len(),
        inventory.warnings.len()
    );
    if inventory.components.is_empty() {
        std::process::exit(1);
    }
}
