//! What the extractors' unit tests share: one extractor run on a file's contents, and the few
//! views of its output the tests compare with their expectations.

use std::path::Path;

use vigil_model::Scope;

use super::{ExtractOutput, Extractor, FileInput};

/// `extractor` run on `text` as the file at `path` (which is also the evidence recorded).
pub(crate) fn extract(
    extractor: &dyn Extractor,
    path: impl AsRef<Path>,
    text: &str,
) -> Result<ExtractOutput, String> {
    extract_bytes(extractor, path, text.as_bytes())
}

/// The same for contents that need not be text (binaries, bad UTF-8).
pub(crate) fn extract_bytes(
    extractor: &dyn Extractor,
    path: impl AsRef<Path>,
    bytes: &[u8],
) -> Result<ExtractOutput, String> {
    extractor.extract(&FileInput {
        path: path.as_ref(),
        bytes,
    })
}

/// The purls, in the order the extractor gave them.
pub(crate) fn purls(out: &ExtractOutput) -> Vec<String> {
    out.components.iter().map(|c| c.purl()).collect()
}

/// The purls, sorted: for formats whose order says nothing.
pub(crate) fn sorted_purls(out: &ExtractOutput) -> Vec<String> {
    let mut list = purls(out);
    list.sort();
    list
}

/// (purl, scope), in the order the extractor gave them.
pub(crate) fn scoped(out: &ExtractOutput) -> Vec<(String, Scope)> {
    out.components.iter().map(|c| (c.purl(), c.scope)).collect()
}

/// (purl, scope name), sorted.
pub(crate) fn sorted_scopes(out: &ExtractOutput) -> Vec<(String, &'static str)> {
    let mut list: Vec<_> = out
        .components
        .iter()
        .map(|c| (c.purl(), c.scope.as_str()))
        .collect();
    list.sort();
    list
}

/// (purl, scope name, how many hashes), sorted: what a lockfile with checksums records.
pub(crate) fn sorted_scopes_and_hash_counts(
    out: &ExtractOutput,
) -> Vec<(String, &'static str, usize)> {
    let mut list: Vec<_> = out
        .components
        .iter()
        .map(|c| (c.purl(), c.scope.as_str(), c.hashes.len()))
        .collect();
    list.sort();
    list
}

/// (purl, SPDX expression of its declared license), in the order the extractor gave them.
pub(crate) fn licensed(out: &ExtractOutput) -> Vec<(String, Option<String>)> {
    out.components
        .iter()
        .map(|c| {
            (
                c.purl(),
                c.license.as_ref().and_then(|l| l.expression.clone()),
            )
        })
        .collect()
}

/// Owned copies of expected (purl, scope name) pairs, to compare with [`sorted_scopes`].
pub(crate) fn pairs(list: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
    list.iter().map(|(p, s)| (p.to_string(), *s)).collect()
}
