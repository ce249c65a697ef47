//! The extractor interface and the registry of every extractor Vigil runs.

use std::path::Path;

use vigil_model::{Component, UnidentifiedComponent};

mod apk;
mod binary;
mod cargo_auditable;
mod cargo_lock;
mod composer_lock;
mod conan_lock;
mod cyclonedx;
mod deb_package;
mod deps_json;
mod dpkg;
mod gemfile_lock;
mod go_buildinfo;
mod go_mod;
mod gradle_lockfile;
pub(crate) mod java_archive;
mod lenient_json;
mod mix_lock;
mod node_modules;
mod npm_tarball;
mod nuget_lock;
mod package_lock;
mod pdm_lock;
mod pinned_hash;
mod pipfile_lock;
mod pnpm_lock;
mod poetry_lock;
pub(crate) mod pom_xml;
mod pubspec_lock;
mod python_metadata;
mod python_sdist;
mod requirements;
pub(crate) mod rpm_package;
mod spdx;
mod spdx3;
mod toml_lock;
mod uv_lock;
mod xml;
mod yaml;
mod yarn_lock;

#[cfg(test)]
pub(crate) mod test_elf;
#[cfg(test)]
pub(crate) mod test_support;

pub use apk::Apk;
pub use binary::Binaries;
pub use cargo_lock::CargoLock;
pub use composer_lock::ComposerLock;
pub use conan_lock::ConanLock;
pub use cyclonedx::CycloneDx;
pub use deb_package::DebPackage;
pub use deps_json::DepsJson;
pub use dpkg::Dpkg;
pub use gemfile_lock::GemfileLock;
pub use go_mod::GoMod;
pub use gradle_lockfile::GradleLockfile;
pub use java_archive::JavaArchive;
pub use mix_lock::MixLock;
pub use node_modules::NodeModules;
pub use npm_tarball::NpmTarball;
pub use nuget_lock::NuGetLock;
pub use package_lock::PackageLock;
pub use pdm_lock::PdmLock;
pub use pipfile_lock::PipfileLock;
pub use pnpm_lock::PnpmLock;
pub use poetry_lock::PoetryLock;
pub use pom_xml::PomXml;
pub use pubspec_lock::PubspecLock;
pub use python_metadata::PythonMetadata;
pub use python_sdist::PythonSdist;
pub use requirements::Requirements;
pub use rpm_package::RpmPackage;
pub use spdx::Spdx;
pub use uv_lock::UvLock;
pub use yarn_lock::YarnLock;

/// One file handed to an extractor.
pub struct FileInput<'a> {
    /// Where the file is; also the evidence recorded on its components.
    pub path: &'a Path,
    pub bytes: &'a [u8],
}

#[derive(Debug, Default)]
pub struct ExtractOutput {
    pub components: Vec<Component>,
    /// Entries (of an SBOM) that name no package Vigil can identify.
    pub unidentified: Vec<UnidentifiedComponent>,
    /// Problems in the file that did not stop the extraction; each names its line or entry.
    pub warnings: Vec<String>,
}

pub trait Extractor: Sync {
    /// A stable name, recorded with the scan.
    fn name(&self) -> &'static str;
    /// Bumped whenever the extractor's output for the same input changes.
    fn version(&self) -> u32;
    /// Whether this extractor reads the file at this path. The path is where the walk found
    /// it: on disk, or inside an archive (`app.war!/WEB-INF/lib/a.jar!/META-INF/...`), so that
    /// extractors can ask for `node_modules/*/package.json` or `*.dist-info/METADATA`.
    /// Most look only at [`file_name`].
    fn wants(&self, path: &Path) -> bool;
    /// Whether a file with an unexpected name is nevertheless this format (only consulted for
    /// files the user named explicitly).
    fn sniff(&self, _head: &[u8]) -> bool {
        false
    }
    /// Whether a file that no extractor wants by its path is this format, judged by its first
    /// bytes (at most [`CONTENT_HEAD_BYTES`]): binaries (ELF, PE, Mach-O) live under any name.
    /// Consulted for every such file in folders and archives, so it must be cheap.
    fn wants_content(&self, _head: &[u8]) -> bool {
        false
    }
    /// Reads the file. `Err` means nothing usable could be read from it.
    fn extract(&self, input: &FileInput<'_>) -> Result<ExtractOutput, String>;
    /// Whether the format records each package's license. Most lockfiles do not, so their
    /// components having none says nothing about the packages (and must not raise a "no
    /// license" violation).
    fn records_licenses(&self) -> bool {
        false
    }
}

/// Whether the file a component was found in (its evidence path) records licenses, judged by
/// the extractor that reads files at that path. A path no extractor claims by name (an SBOM
/// the user named freely) is assumed to.
pub fn records_licenses(evidence: &str) -> bool {
    let path = Path::new(evidence);
    REGISTRY
        .iter()
        .find(|extractor| extractor.wants(path))
        .is_none_or(|extractor| extractor.records_licenses())
}

/// How many leading bytes [`Extractor::wants_content`] sees.
pub const CONTENT_HEAD_BYTES: usize = 64;

/// Every extractor, in the order they are tried.
pub static REGISTRY: &[&dyn Extractor] = &[
    // Installed software, chosen by path (`META-INF/maven/**/pom.properties`,
    // `node_modules/*/package.json`, `*.dist-info/METADATA`), and package files (the top of
    // an npm tarball or an sdist, a .deb's control, an rpm).
    &JavaArchive,
    &NodeModules,
    &NpmTarball,
    &PythonMetadata,
    &PythonSdist,
    &Dpkg,
    &DebPackage,
    &RpmPackage,
    &Apk,
    &Binaries,
    &PackageLock,
    // Before Requirements, whose content check accepts most text with version-like lines.
    &YarnLock,
    &PnpmLock,
    &ComposerLock,
    &GemfileLock,
    &PubspecLock,
    &MixLock,
    &CycloneDx,
    &Spdx,
    &PomXml,
    &CargoLock,
    &GoMod,
    &PoetryLock,
    &PdmLock,
    &UvLock,
    &PipfileLock,
    &GradleLockfile,
    &NuGetLock,
    &DepsJson,
    &ConanLock,
    &Requirements,
];

/// Whether `path` is `<archive>!/<inner>` with `inner` accepted and `<archive>` named as a
/// tarball (or, with `zip`, a zip too).
pub(crate) fn at_top_of_archive(path: &Path, zip: bool, inner: impl Fn(&str) -> bool) -> bool {
    let path = path.to_string_lossy();
    let Some((archive, file)) = path.rsplit_once("!/") else {
        return false;
    };
    let archive = archive.to_ascii_lowercase();
    (is_tarball_name(&archive) || (zip && archive.ends_with(".zip"))) && inner(file)
}

/// Whether a lower-case file name is a tar's, compressed or not (`.tar`, `.tgz`, `.tar.xz`...).
pub(crate) fn is_tarball_name(lower: &str) -> bool {
    [
        ".tar", ".tgz", ".tar.gz", ".txz", ".tar.xz", ".tbz", ".tbz2", ".tar.bz2", ".tzst",
        ".tar.zst",
    ]
    .iter()
    .any(|extension| lower.ends_with(extension))
}

/// The last component of a path, or "" when it has none.
pub fn file_name(path: &Path) -> &str {
    path.file_name().and_then(|n| n.to_str()).unwrap_or("")
}

#[cfg(test)]
mod license_source_tests {
    use super::records_licenses;

    #[test]
    fn only_formats_that_record_licenses_can_show_a_missing_one() {
        for lockfile in [
            "shop/requirements.txt",
            "web/package-lock.json",
            "Cargo.lock",
            "app.war!/WEB-INF/lib/a.jar!/META-INF/maven/g/a/pom.properties",
        ] {
            assert!(!records_licenses(lockfile), "{lockfile}");
        }
        for declaring in [
            "web/node_modules/lodash/package.json",
            "site-packages/six-1.16.0.dist-info/METADATA",
            "bom.cdx.json",
            "composer.lock",
            "a-name-no-extractor-claims.json",
        ] {
            assert!(records_licenses(declaring), "{declaring}");
        }
    }
}
