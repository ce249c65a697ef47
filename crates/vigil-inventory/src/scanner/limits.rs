//! The limits every scan runs under, and the reader that enforces the ones about inflation.
//!
//! Nothing a user scans is trusted: an archive may claim one size and inflate to another, nest
//! itself (zip and gzip quines exist), or hold a million entries. Each limit turns such a file
//! into a warning naming it, never into unbounded memory or time.

use std::{
    cell::Cell,
    io::{self, Read},
    rc::Rc,
};

/// Inflated sizes below this are never judged by their compression ratio: small files of
/// zeros or repeated text compress a thousandfold and are harmless.
pub(crate) const RATIO_FLOOR_BYTES: u64 = 1 << 20;

#[derive(Debug, Clone)]
pub struct ScanLimits {
    /// Largest file (on disk or inside an archive) handed to an extractor; extractors get the
    /// whole file in memory.
    pub max_file_bytes: u64,
    /// Deepest directory walked below a given folder.
    pub max_dir_depth: usize,
    /// Most files looked at in one folder walk.
    pub max_files: usize,
    /// Deepest nesting of archives (a jar in a war in a tar.gz is 3).
    pub max_archive_depth: usize,
    /// Most bytes inflated from one artifact (each path the user gave), over all its archives.
    pub max_inflated_bytes: u64,
    /// Highest inflated:compressed ratio of one archive entry or gzip stream once it is past
    /// 1 MiB; checked against the size the entry declares and against what it really inflates to.
    pub max_compression_ratio: u64,
    /// Most entries read from one archive.
    pub max_archive_entries: usize,
    /// Largest zip nested in another archive. A zip is read from its end (the central
    /// directory), so a nested one is held in memory; the outermost zip is read from disk.
    pub max_nested_zip_bytes: u64,
}

impl Default for ScanLimits {
    fn default() -> Self {
        ScanLimits {
            max_file_bytes: 256 << 20,
            max_dir_depth: 32,
            max_files: 1_000_000,
            max_archive_depth: 8,
            max_inflated_bytes: 16 << 30,
            max_compression_ratio: 200,
            max_archive_entries: 1_000_000,
            max_nested_zip_bytes: 128 << 20,
        }
    }
}

/// Counts the bytes read through it into a shared cell: the compressed bytes read from disk
/// (progress) or from under a decompressor (its ratio).
pub(crate) struct Counting<R> {
    pub(crate) inner: R,
    pub(crate) count: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

impl<R: io::Seek> io::Seek for Counting<R> {
    fn seek(&mut self, pos: io::SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// How many compressed bytes an inflating stream came from: known up front (a zip entry) or
/// counted as the decompressor reads them (a gzip stream).
pub(crate) enum Compressed {
    Known(u64),
    Counted(Rc<Cell<u64>>),
}

/// Wraps an inflating reader and fails it, with a message that says why, once it inflates
/// past the artifact's budget or past the compression ratio.
pub(crate) struct Inflation<'l, R> {
    pub(crate) inner: R,
    pub(crate) compressed: Compressed,
    pub(crate) inflated: u64,
    /// Bytes inflated so far from the whole artifact.
    pub(crate) total: Rc<Cell<u64>>,
    pub(crate) limits: &'l ScanLimits,
}

impl<R: Read> Read for Inflation<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.inflated += n as u64;
        self.total.set(self.total.get() + n as u64);
        if self.total.get() > self.limits.max_inflated_bytes {
            return Err(io::Error::other(format!(
                "more than {} bytes inflated from this artifact (the limit); the rest was not read",
                self.limits.max_inflated_bytes
            )));
        }
        let compressed = match &self.compressed {
            Compressed::Known(n) => *n,
            Compressed::Counted(cell) => cell.get(),
        };
        if self.inflated > RATIO_FLOOR_BYTES
            && self.inflated
                > compressed
                    .max(1)
                    .saturating_mul(self.limits.max_compression_ratio)
        {
            return Err(io::Error::other(format!(
                "inflates past a compression ratio of {}:1 ({} bytes from {compressed}); a \
                 compression bomb? not read further",
                self.limits.max_compression_ratio, self.inflated
            )));
        }
        Ok(n)
    }
}
