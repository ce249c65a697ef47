//! Maven: `org.apache.maven.artifact.versioning.ComparableVersion` of Maven 3.9 (3.9.16), the
//! order the POM reference specifies (https://maven.apache.org/pom.html#version-order-specification).
//! Written by hand because no Rust crate implements it.
//!
//! The version is lowercased and split into items at `.`, `-` and every transition between
//! digits and letters; a `-` (and a letter-to-digit transition) opens a sub-list. Numbers
//! compare as numbers of any size; the qualifiers `alpha` < `beta` < `milestone` < `rc` (=`cr`)
//! < `snapshot` < `` (= `ga` = `final` = `release`) < `sp`, then any other qualifier in
//! lexical order; `a1`, `b1`, `m1` mean `alpha-1`, `beta-1`, `milestone-1`. Trailing "null"
//! items (`0`, ``, empty lists) are dropped, so `1` = `1.0` = `1.0.0` = `1-0` = `1.ga`.
//!
//! Maven accepts every string as a version; it rejects only what its model validator does:
//! an empty version, or one with a character of `\/:"<>|?*` (DefaultModelValidator's
//! ILLEGAL_VERSION_CHARS), or an unresolved `${…}` expression. Java's `Character.isDigit`
//! also reads non-ASCII decimal digits; Vigil does not implement that and rejects a version
//! holding a non-ASCII digit rather than misorder it.

use std::cmp::Ordering;

use super::digits::cmp_decimal;

#[derive(Debug, Clone)]
pub struct MavenVersion {
    items: Vec<Item>,
}

#[derive(Debug, Clone)]
enum Item {
    /// Digits without leading zeros (`0` for zero): IntItem, LongItem and BigIntegerItem.
    Number(String),
    /// A qualifier after aliasing (`ga` → ``, `cr` → `rc`, `a1` → `alpha`).
    Text(String),
    List(Vec<Item>),
}

const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
/// `RELEASE_VERSION_INDEX`: the comparable form of the empty qualifier.
const RELEASE_VERSION_INDEX: &str = "5";

impl MavenVersion {
    pub(super) fn parse(text: &str) -> Result<MavenVersion, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("empty".into());
        }
        if let Some(c) = text.chars().find(|c| "\\/:\"<>|?*".contains(*c)) {
            return Err(format!("Maven versions must not contain {c:?}"));
        }
        if text.contains("${") {
            return Err("an unresolved ${…} expression".into());
        }
        if text.chars().any(|c| !c.is_ascii() && c.is_numeric()) {
            return Err("non-ASCII digits are not supported".into());
        }
        Ok(MavenVersion {
            items: parse_items(&text.to_lowercase()),
        })
    }
}

/// `ComparableVersion.parseVersion`: a stack of lists, each new list nested in the current one.
fn parse_items(version: &str) -> Vec<Item> {
    // Lists are built as a path of indices: `stack[i]` is the list the next item goes into.
    let mut root = Vec::new();
    let mut path: Vec<usize> = Vec::new();
    let chars: Vec<char> = version.chars().collect();
    let mut is_digit = false;
    let mut start = 0;

    fn current<'a>(root: &'a mut Vec<Item>, path: &[usize]) -> &'a mut Vec<Item> {
        let mut list = root;
        for &index in path {
            list = match &mut list[index] {
                Item::List(inner) => inner,
                Item::Number(_) | Item::Text(_) => unreachable!("the path only names lists"),
            };
        }
        list
    }
    fn open_list(root: &mut Vec<Item>, path: &mut Vec<usize>) {
        let list = current(root, path);
        list.push(Item::List(Vec::new()));
        let index = list.len() - 1;
        path.push(index);
    }
    let substring = |from: usize, to: usize| chars[from..to].iter().collect::<String>();

    for (i, &c) in chars.iter().enumerate() {
        if c == '.' || c == '-' {
            let item = if i == start {
                Item::Number("0".into())
            } else {
                parse_item(is_digit, &substring(start, i))
            };
            current(&mut root, &path).push(item);
            start = i + 1;
            if c == '-' {
                open_list(&mut root, &mut path);
            }
        } else if c.is_ascii_digit() {
            if !is_digit && i > start {
                // 1.0.0.X1 < 1.0.0-X2: treat .X as -X for any string qualifier X.
                if !current(&mut root, &path).is_empty() {
                    open_list(&mut root, &mut path);
                }
                current(&mut root, &path).push(Item::Text(qualifier(&substring(start, i), true)));
                start = i;
                open_list(&mut root, &mut path);
            }
            is_digit = true;
        } else {
            if is_digit && i > start {
                current(&mut root, &path).push(parse_item(true, &substring(start, i)));
                start = i;
                open_list(&mut root, &mut path);
            }
            is_digit = false;
        }
    }
    if chars.len() > start {
        if !is_digit && !current(&mut root, &path).is_empty() {
            open_list(&mut root, &mut path);
        }
        current(&mut root, &path).push(parse_item(is_digit, &substring(start, chars.len())));
    }
    normalize(&mut root);
    root
}

fn parse_item(is_digit: bool, text: &str) -> Item {
    if is_digit {
        let stripped = text.trim_start_matches('0');
        Item::Number(if stripped.is_empty() {
            "0".into()
        } else {
            stripped.into()
        })
    } else {
        Item::Text(qualifier(text, false))
    }
}

/// `StringItem(value, followedByDigit)`: the one-letter aliases, then `ALIASES`.
fn qualifier(value: &str, followed_by_digit: bool) -> String {
    let value = match value {
        "a" if followed_by_digit => "alpha",
        "b" if followed_by_digit => "beta",
        "m" if followed_by_digit => "milestone",
        other => other,
    };
    match value {
        "ga" | "final" | "release" => String::new(),
        "cr" => "rc".into(),
        other => other.into(),
    }
}

/// `ListItem.normalize`, applied to every list innermost first (the stack is popped in
/// `parseVersion`): trailing null items are removed, looking past trailing sub-lists.
fn normalize(list: &mut Vec<Item>) {
    for item in list.iter_mut() {
        if let Item::List(inner) = item {
            normalize(inner);
        }
    }
    let mut i = list.len();
    while i > 0 {
        i -= 1;
        if is_null(&list[i]) {
            list.remove(i);
        } else if !matches!(list[i], Item::List(_)) {
            break;
        }
    }
}

fn is_null(item: &Item) -> bool {
    match item {
        Item::Number(n) => n == "0",
        Item::Text(t) => comparable_qualifier(t) == RELEASE_VERSION_INDEX,
        Item::List(items) => items.is_empty(),
    }
}

/// `comparableQualifier`: the index of a known qualifier, else `7-<qualifier>`, compared as
/// strings.
fn comparable_qualifier(qualifier: &str) -> String {
    match QUALIFIERS.iter().position(|q| *q == qualifier) {
        Some(index) => index.to_string(),
        None => format!("{}-{qualifier}", QUALIFIERS.len()),
    }
}

fn java_string_cmp(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// `Item.compareTo(null)`: how an item compares with a missing one.
fn cmp_with_missing(item: &Item) -> Ordering {
    match item {
        Item::Number(n) => {
            if n == "0" {
                Ordering::Equal
            } else {
                Ordering::Greater
            }
        }
        Item::Text(t) => java_string_cmp(&comparable_qualifier(t), RELEASE_VERSION_INDEX),
        // MNG-6964: the whole list is compared with null, not only its first item.
        Item::List(items) => items
            .iter()
            .map(cmp_with_missing)
            .find(|o| *o != Ordering::Equal)
            .unwrap_or(Ordering::Equal),
    }
}

fn cmp_items(a: &Item, b: &Item) -> Ordering {
    match (a, b) {
        (Item::Number(x), Item::Number(y)) => cmp_decimal(x, y),
        (Item::Number(_), Item::Text(_)) => Ordering::Greater, // 1.1 > 1-sp
        (Item::Number(_), Item::List(_)) => Ordering::Greater, // 1.1 > 1-1
        (Item::Text(_), Item::Number(_)) => Ordering::Less,
        (Item::Text(x), Item::Text(y)) => {
            java_string_cmp(&comparable_qualifier(x), &comparable_qualifier(y))
        }
        (Item::Text(_), Item::List(_)) => Ordering::Less, // 1.any < 1-1
        (Item::List(_), Item::Number(_)) => Ordering::Less, // 1-1 < 1.0.x
        (Item::List(_), Item::Text(_)) => Ordering::Greater, // 1-1 > 1-sp
        (Item::List(x), Item::List(y)) => cmp_lists(x, y),
    }
}

fn cmp_lists(a: &[Item], b: &[Item]) -> Ordering {
    for i in 0..a.len().max(b.len()) {
        let order = match (a.get(i), b.get(i)) {
            (Some(l), Some(r)) => cmp_items(l, r),
            (Some(l), None) => cmp_with_missing(l),
            (None, Some(r)) => cmp_with_missing(r).reverse(),
            (None, None) => Ordering::Equal,
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    Ordering::Equal
}

impl Ord for MavenVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_lists(&self.items, &other.items)
    }
}
super::order_from_cmp!(MavenVersion);

#[cfg(test)]
mod tests {
    use std::cmp::Ordering::{Equal, Greater, Less};

    use vigil_model::Ecosystem;

    use crate::version::tests::{assert_invalid, assert_order};

    /// From the POM reference's version order specification and Maven 3.9's
    /// ComparableVersionTest.
    #[test]
    fn maven_orders_like_comparable_version() {
        assert_order(
            Ecosystem::Maven,
            &[
                ("1", Equal, "1.0.0"),
                ("1-0", Equal, "1"),
                ("1.ga", Equal, "1"),
                ("1-final", Equal, "1"),
                ("1.0-RELEASE", Equal, "1"),
                ("1-cr1", Equal, "1-rc-1"),
                ("1a1", Equal, "1-alpha-1"),
                ("1-alpha", Less, "1-beta"),
                ("1-beta", Less, "1-milestone"),
                ("1-milestone", Less, "1-rc"),
                ("1-rc", Less, "1-snapshot"),
                ("1-snapshot", Less, "1"),
                ("1", Less, "1-sp"),
                ("1-sp", Less, "1-foo"),
                ("1-foo", Less, "1-1"),
                ("1-1", Less, "1.1"),
                ("1.0.RC2", Less, "1.0-RC3"),
                ("1.0-RC3", Less, "1.0.1"),
                ("1-foo2", Less, "1-foo10"),
                ("2.0.1", Less, "2.0.1-xyz"),
                ("2.0.1-xyz", Less, "2.0.1-123"),
                ("1.0.0-0.0.0", Equal, "1"),
                ("2.14.1", Less, "2.15.0"),
                ("2.15.0", Less, "2.16.0"),
                ("2.17.0", Greater, "2.17.0-rc1"),
                ("12345678901234567890", Less, "12345678901234567891"),
                ("1.0.0.RC1", Less, "1.0.0"),
                // MNG-7644: `.X1` is treated as `-X1`.
                ("1.0.0.RC1", Equal, "1.0.0-RC1"),
                ("2.9.0-1", Greater, "2.9.0.RC1"),
                // Maven 3.9 no longer drops a `ga` followed by more items: `1-ga-1` < `1-1`.
                ("1-ga-1", Less, "1-1"),
            ],
        );
    }

    #[test]
    fn versions_maven_rejects_are_errors() {
        assert_invalid(
            Ecosystem::Maven,
            &["", "   ", "1.0/2", "1:2", "${project.version}", "1.٣"],
        );
    }
}
