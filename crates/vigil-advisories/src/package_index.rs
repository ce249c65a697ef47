//! Every `affected[]` entry of one package, indexed for look-ups.
//!
//! Matching a version entry by entry costs a binary search of each entry's `versions` list
//! and a walk of each range: a package such as Django has hundreds of entries, so one
//! look-up cost ~150 µs. The index answers the same question with a hash probe (exact
//! `versions`), one binary search over every listed version, and one binary search over the
//! package's range bounds ("breakpoints"): between two consecutive bounds, and at each bound,
//! the set of affected entries is constant, so it is computed once per interval with the
//! OSV range walk itself ([`range_affects_by`]) and looked up afterwards.
//!
//! The answers are the same as [`PreparedAffected::affects`] entry by entry (a test checks
//! that over real records); a package whose interval table would grow past
//! [`MAX_TABLE_CELLS`] keeps the entry-by-entry walk, so memory stays bounded.

use std::{cmp::Ordering, collections::HashMap};

use crate::{
    matching::{range_affects, range_affects_by},
    MatchError, PreparedAffected, QueryVersion, Version,
};

/// Largest interval table (breakpoints × entries) built for one package.
pub const MAX_TABLE_CELLS: usize = 4_000_000;

pub struct PackageIndex {
    entries: Vec<PreparedAffected>,
    by_raw: HashMap<String, Vec<u32>>,
    /// Distinct listed versions (in the ecosystem's order) and the entries listing each.
    by_parsed: Vec<(Version, Vec<u32>)>,
    ecosystem_ranges: Option<Breakpoints>,
    semver_ranges: Option<Breakpoints>,
}

/// Affected entries at and between the sorted, distinct bounds of one scheme's ranges.
struct Breakpoints {
    points: Vec<Version>,
    below_all: Vec<u32>,
    at: Vec<Vec<u32>>,
    /// `above[i]`: versions strictly between `points[i]` and `points[i + 1]` (or above the last).
    above: Vec<Vec<u32>>,
    /// Entries with ranges of this scheme: a version the scheme rejects cannot be placed in them.
    ranged: Vec<u32>,
    /// Set when the table would be too large: the ranges are walked entry by entry instead.
    walk: bool,
    /// Whether this table is for `SEMVER` ranges (else `ECOSYSTEM` ones).
    semver: bool,
}

impl PackageIndex {
    pub fn new(entries: Vec<PreparedAffected>) -> PackageIndex {
        let mut by_raw: HashMap<String, Vec<u32>> = HashMap::new();
        let mut listed = Vec::new();
        for (index, entry) in entries.iter().enumerate() {
            let index = index as u32;
            for raw in entry.listed_raw() {
                by_raw.entry(raw.clone()).or_default().push(index);
            }
            listed.extend(entry.listed().iter().map(|v| (v.clone(), index)));
        }
        listed.sort_by(|(a, _), (b, _)| a.partial_cmp_same_scheme(b).unwrap_or(Ordering::Equal));
        let mut by_parsed: Vec<(Version, Vec<u32>)> = Vec::new();
        for (version, index) in listed {
            match by_parsed.last_mut() {
                Some((last, entries))
                    if last.partial_cmp_same_scheme(&version) == Some(Ordering::Equal) =>
                {
                    entries.push(index)
                }
                _ => by_parsed.push((version, vec![index])),
            }
        }
        let ecosystem_ranges = Breakpoints::build(&entries, false);
        let semver_ranges = Breakpoints::build(&entries, true);
        PackageIndex {
            entries,
            by_raw,
            by_parsed,
            ecosystem_ranges,
            semver_ranges,
        }
    }

    pub fn entries(&self) -> &[PreparedAffected] {
        &self.entries
    }

    /// The indices (ascending) of the entries that affect `version` for a package of this
    /// release. A version its ecosystem rejects still matches exact `versions` lists; the
    /// ranges it could not be placed in are the returned problem.
    pub fn affecting(
        &self,
        version: &QueryVersion<'_>,
        release: Option<&str>,
    ) -> (Vec<u32>, Option<MatchError>) {
        // Entry sets from the lists and the ranges overlap; a bitset merges them in order
        // without sorting.
        let mut found = EntrySet::new(self.entries.len());
        if let Some(entries) = self.by_raw.get(version.raw()) {
            found.extend(entries);
        }
        if let Ok(parsed) = version.ecosystem_version() {
            let at = self.by_parsed.binary_search_by(|(v, _)| {
                v.partial_cmp_same_scheme(parsed).unwrap_or(Ordering::Less)
            });
            if let Ok(at) = at {
                found.extend(&self.by_parsed[at].1);
            }
        }
        let mut problem = None;
        for (table, parsed) in [
            (&self.ecosystem_ranges, version.ecosystem_version()),
            (&self.semver_ranges, version.semver_version()),
        ] {
            let Some(table) = table else { continue };
            match parsed {
                Ok(parsed) => table.affecting(&self.entries, parsed, &mut found),
                Err(e) => {
                    // As entry by entry: an entry already matched by its list needs no order.
                    if table.ranged.iter().any(|&index| !found.contains(index)) {
                        problem = Some(MatchError::InvalidVersion(e.clone()));
                    }
                }
            }
        }
        let found = found
            .into_sorted()
            .filter(|&index| self.entries[index as usize].covers_release(release))
            .collect();
        (found, problem)
    }
}

/// A set of entry indices, iterated in ascending order.
struct EntrySet {
    words: Vec<u64>,
}

impl EntrySet {
    fn new(len: usize) -> EntrySet {
        EntrySet {
            words: vec![0; len.div_ceil(64)],
        }
    }

    fn extend<'a>(&mut self, indices: impl IntoIterator<Item = &'a u32>) {
        for &index in indices {
            self.words[index as usize / 64] |= 1 << (index % 64);
        }
    }

    fn contains(&self, index: u32) -> bool {
        self.words[index as usize / 64] & (1 << (index % 64)) != 0
    }

    fn into_sorted(self) -> impl Iterator<Item = u32> {
        self.words
            .into_iter()
            .enumerate()
            .flat_map(|(word_index, mut word)| {
                std::iter::from_fn(move || {
                    (word != 0).then(|| {
                        let bit = word.trailing_zeros();
                        word &= word - 1;
                        (word_index * 64) as u32 + bit
                    })
                })
            })
    }
}

impl Breakpoints {
    fn build(entries: &[PreparedAffected], semver: bool) -> Option<Breakpoints> {
        let ranged: Vec<u32> = (0..entries.len() as u32)
            .filter(|&i| {
                entries[i as usize]
                    .ranges()
                    .iter()
                    .any(|r| r.semver == semver)
            })
            .collect();
        if ranged.is_empty() {
            return None;
        }
        let mut points: Vec<Version> = ranged
            .iter()
            .flat_map(|&i| {
                entries[i as usize]
                    .ranges()
                    .iter()
                    .filter(|r| r.semver == semver)
            })
            .flat_map(|r| r.events.iter().filter_map(|(_, bound)| bound.clone()))
            .collect();
        points.sort_by(|a, b| a.partial_cmp_same_scheme(b).unwrap_or(Ordering::Equal));
        points.dedup_by(|a, b| a.partial_cmp_same_scheme(b) == Some(Ordering::Equal));
        let mut table = Breakpoints {
            below_all: Vec::new(),
            at: Vec::new(),
            above: Vec::new(),
            ranged,
            walk: points.len().saturating_mul(entries.len()) > MAX_TABLE_CELLS,
            semver,
            points,
        };
        if table.walk {
            return Some(table);
        }
        let affected_where = |position: &dyn Fn(&Version) -> Option<Ordering>| -> Vec<u32> {
            table
                .ranged
                .iter()
                .copied()
                .filter(|&i| {
                    entries[i as usize]
                        .ranges()
                        .iter()
                        .filter(|r| r.semver == semver)
                        .any(|r| range_affects_by(r, position))
                })
                .collect()
        };
        table.below_all = affected_where(&|_| Some(Ordering::Less));
        for point in &table.points {
            let at = affected_where(&|bound| point.partial_cmp_same_scheme(bound));
            // Just above `point`: above every bound up to it, below every later one.
            let above = affected_where(&|bound| {
                point.partial_cmp_same_scheme(bound).map(|o| {
                    if o == Ordering::Less {
                        o
                    } else {
                        Ordering::Greater
                    }
                })
            });
            table.at.push(at);
            table.above.push(above);
        }
        Some(table)
    }

    fn affecting(&self, entries: &[PreparedAffected], version: &Version, found: &mut EntrySet) {
        if self.walk {
            for &index in &self.ranged {
                let hit = entries[index as usize]
                    .ranges()
                    .iter()
                    .filter(|r| r.semver == self.semver)
                    .any(|r| range_affects(r, version));
                if hit {
                    found.extend([&index]);
                }
            }
            return;
        }
        let position = self
            .points
            .partition_point(|p| p.partial_cmp_same_scheme(version) == Some(Ordering::Less));
        let set = match self.points.get(position) {
            Some(p) if p.partial_cmp_same_scheme(version) == Some(Ordering::Equal) => {
                &self.at[position]
            }
            _ if position == 0 => &self.below_all,
            _ => &self.above[position - 1],
        };
        found.extend(set);
    }
}
