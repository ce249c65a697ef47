//! The opening every TOML lockfile shares (`Cargo.lock`, `poetry.lock`, `pdm.lock`,
//! `uv.lock`): UTF-8 text, a TOML document, and its `[[package]]` array of tables, with the
//! same errors and per-entry warnings for each.

use toml::{Table, Value};

/// Parses a lockfile's text into its TOML table.
pub(super) fn parse(bytes: &[u8]) -> Result<Table, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8 text: {e}"))?;
    text.parse().map_err(|e| format!("not valid TOML: {e}"))
}

/// The `[[package]]` entries. A lockfile with none is empty rather than wrong when it has one
/// of the keys its tool always writes (`empty_when`: a project without dependencies);
/// otherwise it is not a `format` file at all.
pub(super) fn packages<'a>(
    lock: &'a Table,
    format: &str,
    empty_when: &[&str],
) -> Result<&'a [Value], String> {
    match lock.get("package") {
        Some(Value::Array(packages)) => Ok(packages.as_slice()),
        Some(_) => Err("\"package\" is not an array of tables".into()),
        None if empty_when.iter().any(|key| lock.contains_key(*key)) => Ok(&[]),
        None => Err(format!("not a {format}: it has no [[package]]")),
    }
}

/// The entry's table, name and version; `None` (with a warning naming the entry) when it is
/// not a table or lacks either.
pub(super) fn name_and_version<'a>(
    index: usize,
    package: &'a Value,
    warnings: &mut Vec<String>,
) -> Option<(&'a Table, &'a str, &'a str)> {
    let Some(table) = package.as_table() else {
        warnings.push(format!("[[package]] #{} is not a table", index + 1));
        return None;
    };
    let field = |key: &str| table.get(key).and_then(Value::as_str);
    match (field("name"), field("version")) {
        (Some(name), Some(version)) => Some((table, name, version)),
        _ => {
            warnings.push(format!(
                "[[package]] #{} has no name or no version",
                index + 1
            ));
            None
        }
    }
}
