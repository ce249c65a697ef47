//! pip requirements files (https://pip.pypa.io/en/stable/reference/requirements-file-format/).
//!
//! Only pinned requirements (`name==version`, `name===version`) name one version; anything
//! else (`>=`, no specifier, URLs, local paths, editable installs) becomes a warning that
//! names the line, never a guessed component. `-r`/`-c` includes are followed relative to
//! the including file, with cycles and depth bounded.

use std::{
    collections::BTreeSet,
    io::Read,
    path::{Path, PathBuf},
    str::FromStr,
};

use vigil_model::{Component, Ecosystem, Evidence, Hash, PackageRef, Scope};

use super::{file_name, pinned_hash, ExtractOutput, Extractor, FileInput};

pub struct Requirements;

const MAX_INCLUDE_DEPTH: usize = 8;
const MAX_INCLUDE_BYTES: u64 = 16 << 20;

impl Extractor for Requirements {
    fn name(&self) -> &'static str {
        "pypi/requirements"
    }

    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &Path) -> bool {
        let name = file_name(path);
        name.ends_with(".txt") && name.starts_with("requirements")
    }

    /// A text file named otherwise (`prod.txt`, `constraints.txt`) whose lines look like pip's:
    /// comments, options, and at least one version specifier.
    fn sniff(&self, head: &[u8]) -> bool {
        let Ok(text) = std::str::from_utf8(&head[..head.len().min(4096)]) else {
            return false;
        };
        let lines = logical_lines(text);
        let lines: Vec<&str> = lines.iter().map(|(_, line)| line.as_str()).collect();
        let looks_like_pip = |l: &&str| {
            l.starts_with('-')
                || l.chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '.')
        };
        let has_specifier = lines.iter().any(|l| {
            ["==", ">=", "<=", "~=", "!=", " @ "]
                .iter()
                .any(|op| l.contains(op))
                || l.starts_with("-r")
        });
        !lines.is_empty() && lines.iter().all(looks_like_pip) && has_specifier
    }

    fn extract(&self, input: &FileInput<'_>) -> Result<ExtractOutput, String> {
        let text = std::str::from_utf8(input.bytes).map_err(|e| format!("not UTF-8 text: {e}"))?;
        let mut out = ExtractOutput::default();
        let mut visited = BTreeSet::new();
        visited.insert(
            input
                .path
                .canonicalize()
                .unwrap_or_else(|_| input.path.to_path_buf()),
        );
        read_file(input.path, text, 0, &mut visited, &mut out);
        Ok(out)
    }
}

fn read_file(
    path: &Path,
    text: &str,
    depth: usize,
    visited: &mut BTreeSet<PathBuf>,
    out: &mut ExtractOutput,
) {
    let evidence = Evidence(path.display().to_string());
    for (line_number, line) in logical_lines(text) {
        // The scanner names the file given; lines of included files name their own file.
        let at = || {
            if depth == 0 {
                format!("line {line_number}")
            } else {
                format!("{}:{line_number}", path.display())
            }
        };
        let tokens: Vec<&str> = line.split_whitespace().collect();
        let Some(first) = tokens.first() else {
            continue;
        };
        if let Some(include) = include_target(&tokens) {
            follow_include(path, include, depth, visited, out, &at());
            continue;
        }
        if first.starts_with('-') {
            if matches!(*first, "-e" | "--editable") {
                out.warnings.push(format!(
                    "{}: editable install {line:?} names no version; not recorded",
                    at()
                ));
            }
            continue; // Global options: --index-url, --hash lines, -f, ...
        }
        // Per-requirement options (`--hash`, `-C`, ...) start at the first token beginning with '-'.
        let requirement: Vec<&str> = tokens
            .iter()
            .take_while(|t| !t.starts_with('-'))
            .copied()
            .collect();
        let requirement = requirement.join(" ");
        let requirement = requirement.split(';').next().unwrap_or("").trim();
        match parse_pinned(requirement) {
            Ok((name, version, trailing)) => {
                if !trailing.is_empty() {
                    out.warnings
                        .push(format!("{}: ignored unexpected text {trailing:?}", at()));
                }
                let mut component = Component::new(
                    PackageRef::new(Ecosystem::PyPI, name, Some(version)),
                    Scope::Unknown,
                    evidence.clone(),
                );
                component.hashes = hashes(&tokens);
                out.components.push(component);
            }
            Err(reason) => out
                .warnings
                .push(format!("{}: {reason}; not recorded", at())),
        }
    }
}

/// pip's hash-checking mode pins each requirement's files: `--hash=sha256:<hex>` (or
/// `--hash sha256:<hex>`), once per acceptable file.
fn hashes(tokens: &[&str]) -> Vec<Hash> {
    let values =
        tokens
            .iter()
            .enumerate()
            .filter_map(|(i, token)| match token.strip_prefix("--hash") {
                Some(rest) if rest.starts_with('=') => Some(&rest[1..]),
                Some("") => tokens.get(i + 1).copied(),
                _ => None,
            });
    values.filter_map(pinned_hash::prefixed_hex).collect()
}

/// Joins `\`-continued lines and drops comments, keeping the first physical line's number.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut lines = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (index, raw) in text.lines().enumerate() {
        let without_comment = match raw.find(" #").or_else(|| raw.starts_with('#').then_some(0)) {
            Some(at) => &raw[..at],
            None => raw,
        };
        let (content, continued) = match without_comment.trim_end().strip_suffix('\\') {
            Some(content) => (content, true),
            None => (without_comment, false),
        };
        let entry = current.get_or_insert_with(|| (index + 1, String::new()));
        entry.1.push(' ');
        entry.1.push_str(content);
        if !continued {
            lines.extend(current.take());
        }
    }
    lines.extend(current);
    lines
        .into_iter()
        .map(|(n, l)| (n, l.trim().to_string()))
        .filter(|(_, l)| !l.is_empty())
        .collect()
}

fn include_target<'a>(tokens: &[&'a str]) -> Option<&'a str> {
    let first = tokens[0];
    for flag in ["--requirement", "--constraint"] {
        if let Some(value) = first
            .strip_prefix(flag)
            .and_then(|rest| rest.strip_prefix('='))
        {
            return Some(value);
        }
        if first == flag {
            return tokens.get(1).copied();
        }
    }
    for flag in ["-r", "-c"] {
        if first == flag {
            return tokens.get(1).copied();
        }
        if let Some(value) = first.strip_prefix(flag).filter(|v| !v.is_empty()) {
            return Some(value);
        }
    }
    None
}

fn follow_include(
    from: &Path,
    target: &str,
    depth: usize,
    visited: &mut BTreeSet<PathBuf>,
    out: &mut ExtractOutput,
    at: &str,
) {
    if target.contains("://") {
        out.warnings
            .push(format!("{at}: remote include {target:?} is not fetched"));
        return;
    }
    if depth >= MAX_INCLUDE_DEPTH {
        out.warnings.push(format!(
            "{at}: includes nested deeper than {MAX_INCLUDE_DEPTH}; {target:?} not read"
        ));
        return;
    }
    let path = from.parent().unwrap_or(Path::new(".")).join(target);
    let key = path.canonicalize().unwrap_or_else(|_| path.clone());
    if !visited.insert(key) {
        return; // Already read: includes may form cycles.
    }
    let mut bytes = Vec::new();
    let read = std::fs::File::open(&path)
        .and_then(|f| f.take(MAX_INCLUDE_BYTES + 1).read_to_end(&mut bytes));
    match read {
        Err(e) => out.warnings.push(format!(
            "{at}: cannot read included {}: {e}",
            path.display()
        )),
        Ok(_) if bytes.len() as u64 > MAX_INCLUDE_BYTES => out.warnings.push(format!(
            "{}: larger than {MAX_INCLUDE_BYTES} bytes; not read",
            path.display()
        )),
        Ok(_) => match std::str::from_utf8(&bytes) {
            Ok(text) => read_file(&path, text, depth + 1, visited, out),
            Err(e) => out
                .warnings
                .push(format!("{}: not UTF-8 text: {e}", path.display())),
        },
    }
}

/// `name[extras] == version` → (name, version, anything left over).
fn parse_pinned(requirement: &str) -> Result<(String, String, String), String> {
    let name_end = requirement
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .unwrap_or(requirement.len());
    let name = &requirement[..name_end];
    if name.is_empty() {
        return Err(format!(
            "{requirement:?} is not a package requirement (a path or URL?)"
        ));
    }
    let mut rest = requirement[name_end..].trim_start();
    if rest.starts_with('[') {
        let close = rest
            .find(']')
            .ok_or_else(|| format!("{requirement:?}: unclosed extras"))?;
        rest = rest[close + 1..].trim_start();
    }
    if rest.starts_with('@') {
        return Err(format!(
            "{name} is installed from a URL, which names no version"
        ));
    }
    let version_text = rest
        .strip_prefix("===")
        .or_else(|| rest.strip_prefix("=="))
        .ok_or_else(|| {
            format!(
                "{name} is not pinned to one version ({:?})",
                if rest.is_empty() { "any" } else { rest }
            )
        })?
        .trim_start();
    let (version, trailing) = version_text
        .split_once(char::is_whitespace)
        .unwrap_or((version_text, ""));
    if version.is_empty() {
        return Err(format!("{name} has an empty version"));
    }
    if version.contains(',') || version.contains('*') || version.contains('$') {
        return Err(format!("{name} is not pinned to one version ({version:?})"));
    }
    pep440_rs::Version::from_str(version)
        .map_err(|e| format!("{name}=={version}: not a valid PEP 440 version: {e}"))?;
    Ok((
        name.to_string(),
        version.to_string(),
        trailing.trim().to_string(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::test_support::{self, purls};

    fn extract_at(path: &Path) -> ExtractOutput {
        let bytes = std::fs::read(path).unwrap();
        test_support::extract_bytes(&Requirements, path, &bytes).unwrap()
    }

    #[test]
    fn pinned_lines_with_extras_markers_hashes_and_continuations() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("requirements.txt");
        std::fs::write(
            &path,
            "# comment\nDjango==2.2 # trailing\nrequests[security]==2.8.1 ; python_version < \"3\"\n\
             foo==1.0 --hash=sha256:1111111111111111111111111111111111111111111111111111111111111111 \\\n    --hash=sha256:2222222222222222222222222222222222222222222222222222222222222222\nbar===2.0\nunpinned>=1.0\nplain\n\
             baz @ https://example.com/baz.zip\n--index-url https://example.com\nempty== --hash=sha256:1\n\
             weird==${VERSION}\n",
        )
        .unwrap();
        let out = extract_at(&path);
        let purls = purls(&out);
        assert_eq!(
            purls,
            [
                "pkg:pypi/django@2.2",
                "pkg:pypi/requests@2.8.1",
                "pkg:pypi/foo@1.0",
                "pkg:pypi/bar@2.0"
            ]
        );
        let foo_hashes: Vec<&str> = out.components[2]
            .hashes
            .iter()
            .map(|h| h.value.as_str())
            .collect();
        assert_eq!(
            foo_hashes,
            [
                "1111111111111111111111111111111111111111111111111111111111111111",
                "2222222222222222222222222222222222222222222222222222222222222222"
            ],
            "both files pip would accept"
        );
        assert!(out.components[2]
            .hashes
            .iter()
            .all(|h| h.algorithm == vigil_model::HashAlgorithm::Sha256));
        assert!(out.components[0].hashes.is_empty());
        assert_eq!(out.warnings.len(), 5, "{:#?}", out.warnings);
        assert!(
            out.warnings[0].starts_with("line 7:"),
            "{}",
            out.warnings[0]
        );
        assert!(out.warnings[0].contains("unpinned"), "{}", out.warnings[0]);
    }

    #[test]
    fn includes_are_followed_once_even_in_a_cycle() {
        let dir = tempfile::tempdir().unwrap();
        let main = dir.path().join("requirements.txt");
        std::fs::write(&main, "-r base.txt\n--constraint=missing.txt\na==1.0\n").unwrap();
        std::fs::write(dir.path().join("base.txt"), "-r requirements.txt\nb==2.0\n").unwrap();
        let out = extract_at(&main);
        let purls = purls(&out);
        assert_eq!(purls, ["pkg:pypi/b@2.0", "pkg:pypi/a@1.0"]);
        assert_eq!(
            out.components[0].evidence[0].0,
            dir.path().join("base.txt").display().to_string()
        );
        assert_eq!(out.warnings.len(), 1);
        assert!(
            out.warnings[0].contains("missing.txt"),
            "{}",
            out.warnings[0]
        );
    }
}
