//! A Python source distribution (`PyYAML-5.3.tar.gz`, older ones `.zip`, `.tar.bz2`): the
//! `PKG-INFO` in its single top folder (`PyYAML-5.3/PKG-INFO`) is its core metadata
//! (https://packaging.python.org/en/latest/specifications/source-distribution-format/), read
//! as [`super::PythonMetadata`] reads installed metadata. The walker puts the archive's SHA-256
//! (PyPI's digest) on the component.

use std::path::Path;

use super::{at_top_of_archive, ExtractOutput, Extractor, FileInput, PythonMetadata};

pub struct PythonSdist;

impl Extractor for PythonSdist {
    fn name(&self) -> &'static str {
        "python/sdist"
    }

    fn version(&self) -> u32 {
        1
    }

    fn records_licenses(&self) -> bool {
        true
    }

    fn wants(&self, path: &Path) -> bool {
        at_top_of_archive(path, true, |inner| {
            inner.split_once('/').is_some_and(|(folder, file)| {
                file == "PKG-INFO" && !folder.is_empty() && !folder.ends_with(".egg-info")
            })
        })
    }

    fn extract(&self, input: &FileInput<'_>) -> Result<ExtractOutput, String> {
        PythonMetadata.extract(input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_pkg_info_of_the_top_folder_is_wanted() {
        for (path, wanted) in [
            ("PyYAML-5.3.tar.gz!/PyYAML-5.3/PKG-INFO", true),
            ("dl/pytz-2011k.zip!/pytz-2011k/PKG-INFO", true),
            ("x-1.0.tar.bz2!/x-1.0/PKG-INFO", true),
            ("PyYAML-5.3.tar.gz!/PyYAML-5.3/lib/PKG-INFO", false),
            ("PyYAML-5.3.tar.gz!/PKG-INFO", false),
            ("x.tar.gz!/x.egg-info/PKG-INFO", false),
            ("x.whl!/x-1.0/PKG-INFO", false),
            ("x-1.0/PKG-INFO", false),
        ] {
            assert_eq!(PythonSdist.wants(Path::new(path)), wanted, "{path}");
        }
    }
}
