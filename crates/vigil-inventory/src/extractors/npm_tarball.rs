//! An npm package tarball (what `npm pack` writes and the registry serves, `name-1.0.0.tgz`):
//! its top-level `package/package.json` names the package
//! (https://docs.npmjs.com/cli/commands/npm-pack). Only that one: a `package.json` deeper in
//! the tarball belongs to a file of the package, and bundled dependencies
//! (`package/node_modules/*/package.json`) are read by [`super::NodeModules`]. The walker puts
//! the tarball's SHA-1 and SHA-512 (the registry's `shasum` and `integrity`) on the component.

use std::path::Path;

use super::{at_top_of_archive, ExtractOutput, Extractor, FileInput, NodeModules};

pub struct NpmTarball;

impl Extractor for NpmTarball {
    fn name(&self) -> &'static str {
        "npm/package-tarball"
    }

    fn version(&self) -> u32 {
        1
    }

    fn records_licenses(&self) -> bool {
        true
    }

    fn wants(&self, path: &Path) -> bool {
        at_top_of_archive(path, false, |inner| inner == "package/package.json")
    }

    fn extract(&self, input: &FileInput<'_>) -> Result<ExtractOutput, String> {
        // The same manifest as an installed package's.
        NodeModules.extract(input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_top_level_manifest_of_a_tarball_is_wanted() {
        for (path, wanted) in [
            ("lodash-4.17.15.tgz!/package/package.json", true),
            ("dl/babel-core-7.26.0.tar.gz!/package/package.json", true),
            ("a.zip!/b.tgz!/package/package.json", true),
            ("lodash-4.17.15.tgz!/package/lib/package.json", false),
            (
                "lodash-4.17.15.tgz!/package/node_modules/a/package.json",
                false,
            ),
            ("lodash-4.17.15.tgz!/package.json", false),
            ("app.jar!/package/package.json", false),
            ("package/package.json", false),
        ] {
            assert_eq!(NpmTarball.wants(Path::new(path)), wanted, "{path}");
        }
    }
}
