//! The dependency list `cargo auditable` embeds in Rust programs
//! (https://github.com/rust-secure-code/cargo-auditable, `PARSING.md` and the `auditable-serde`
//! schema): a section named `.dep-v0` (ELF, PE; `__DATA,.dep-v0` in Mach-O) holding
//! zlib-compressed JSON `{"packages": [{"name", "version", "source", "kind", "dependencies",
//! "root"}]}`.
//!
//! `source` is `crates.io`, `git`, `local` or `registry` (another registry): only crates.io
//! packages are crates.io components; the others are warnings, since a git or local crate of the
//! same name is not the published one. The `root` package is the program itself and is not
//! recorded. `kind: build` marks crates used only to build (build scripts, proc macros), which
//! are not in the shipped code: they are dev scope. The root's `dependencies` (indices into
//! `packages`) are the direct ones.

use std::io::Read;

use serde::Deserialize;
use vigil_model::{Component, Ecosystem, Evidence, PackageRef, Scope};

use super::binary::Image;
use super::ExtractOutput;

/// The most decompressed JSON read (the reference reader's default limit is also 8 MiB).
const MAX_JSON_BYTES: u64 = 8 << 20;

#[derive(Deserialize)]
struct VersionInfo {
    packages: Vec<Package>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    version: String,
    source: String,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    dependencies: Vec<usize>,
    #[serde(default)]
    root: bool,
}

/// Reads the embedded dependency list of one program image into `out`; says nothing when
/// there is none.
pub fn read(image: &Image<'_>, evidence: &Evidence, out: &mut ExtractOutput) {
    let Some((_, compressed)) = image.section(&[".dep-v0"]) else {
        return;
    };
    match decode(compressed) {
        Ok(info) => components(&info, evidence, out),
        Err(message) => out
            .warnings
            .push(format!("cargo-auditable data (.dep-v0): {message}")),
    }
}

fn decode(compressed: &[u8]) -> Result<VersionInfo, String> {
    let mut json = Vec::new();
    flate2::read::ZlibDecoder::new(compressed)
        .take(MAX_JSON_BYTES + 1)
        .read_to_end(&mut json)
        .map_err(|e| format!("not zlib data: {e}"))?;
    if json.len() as u64 > MAX_JSON_BYTES {
        return Err(format!(
            "inflates to more than {MAX_JSON_BYTES} bytes; not read"
        ));
    }
    serde_json::from_slice(&json).map_err(|e| format!("not the expected JSON: {e}"))
}

fn components(info: &VersionInfo, evidence: &Evidence, out: &mut ExtractOutput) {
    let direct: Vec<usize> = info
        .packages
        .iter()
        .filter(|p| p.root)
        .flat_map(|p| p.dependencies.iter().copied())
        .collect();
    for (index, package) in info.packages.iter().enumerate() {
        if package.root {
            continue;
        }
        if package.source != "crates.io" {
            out.warnings.push(format!(
                "crate {} {} comes from {}, not crates.io; not recorded",
                package.name, package.version, package.source
            ));
            continue;
        }
        let scope = if package.kind.as_deref() == Some("build") {
            Scope::Dev
        } else if direct.contains(&index) {
            Scope::Direct
        } else {
            Scope::Transitive
        };
        out.components.push(Component::new(
            PackageRef::new(
                Ecosystem::CratesIo,
                &package.name,
                Some(package.version.clone()),
            ),
            scope,
            evidence.clone(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::extractors::{binary::Binaries, test_elf, test_support};

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut encoder =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    fn run(section: &[u8]) -> (Vec<(String, Scope)>, Vec<String>) {
        let elf = test_elf::elf_with_sections(&[(".dep-v0", section)]);
        let out = test_support::extract_bytes(&Binaries, "target/release/app", &elf).unwrap();
        let mut found: Vec<(String, Scope)> =
            out.components.iter().map(|c| (c.purl(), c.scope)).collect();
        found.sort();
        (found, out.warnings)
    }

    #[test]
    fn crates_io_packages_are_recorded_with_their_scope_and_the_rest_are_warnings() {
        let json = r#"{"format":1,"packages":[
            {"name":"app","version":"0.1.0","source":"local","dependencies":[1,2,3],"root":true},
            {"name":"serde","version":"1.0.200","source":"crates.io","dependencies":[4]},
            {"name":"cc","version":"1.0.90","source":"crates.io","kind":"build"},
            {"name":"my-fork","version":"0.3.0","source":"git"},
            {"name":"serde_derive","version":"1.0.200","source":"crates.io","kind":"runtime"}
        ]}"#;
        let (found, warnings) = run(&zlib(json.as_bytes()));
        assert_eq!(
            found,
            [
                ("pkg:cargo/cc@1.0.90".to_string(), Scope::Dev),
                ("pkg:cargo/serde@1.0.200".to_string(), Scope::Direct),
                (
                    "pkg:cargo/serde_derive@1.0.200".to_string(),
                    Scope::Transitive
                ),
            ]
        );
        assert_eq!(
            warnings,
            ["crate my-fork 0.3.0 comes from git, not crates.io; not recorded"]
        );
    }

    #[test]
    fn bad_compressed_data_bombs_and_wrong_json_are_warnings() {
        let (found, warnings) = run(b"not zlib");
        assert!(found.is_empty());
        assert!(warnings[0].contains("not zlib data"), "{warnings:?}");

        // 64 MiB of spaces compress to about 64 KiB: a bomb for the 8 MiB limit.
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        let spaces = vec![b' '; 1 << 20];
        for _ in 0..64 {
            encoder.write_all(&spaces).unwrap();
        }
        let bomb = encoder.finish().unwrap();
        let (found, warnings) = run(&bomb);
        assert!(found.is_empty());
        assert!(
            warnings[0].contains("more than 8388608 bytes"),
            "{warnings:?}"
        );

        let (_, warnings) = run(&zlib(br#"{"packages": [{"name": 1}]}"#));
        assert!(
            warnings[0].contains("not the expected JSON"),
            "{warnings:?}"
        );
        let compressed = zlib(br#"{"packages": []}"#);
        let (_, warnings) = run(&compressed[..compressed.len() - 5]);
        assert!(warnings[0].contains("not zlib data"), "{warnings:?}");
    }
}
