//! The walk: which files go to which extractor, with the limits that keep memory bounded.
//!
//! Folders are walked without following symlinks. Archives (zip and its kin — jar, war, ear,
//! aar, wheel, nupkg — tar, and gzip, recognised by name and by their first bytes) are read in
//! place, never extracted, nested at any depth up to [`ScanLimits::max_archive_depth`]: every
//! entry is offered to the extractors exactly as a file on disk would be, under a path that
//! joins the archives with `!/` (`app.war!/WEB-INF/lib/a.jar!/META-INF/maven/g/a/pom.properties`).
//! Tar and gzip are streamed; a zip needs its central directory, so the outermost zip is read
//! from disk where it lies and a nested one is held in memory (up to
//! [`ScanLimits::max_nested_zip_bytes`]).
//!
//! Some archives are themselves a component: a jar is the Maven artifact its
//! `pom.properties` names (or, lacking one, its manifest hints at), a wheel is the Python
//! distribution its `.dist-info/METADATA` names. While such an archive is read, what those
//! extractors find directly in it is held back in its [`Frame`]; when the archive ends, the
//! frame decides which component is the archive and records the archive's hash on it.
//! An npm package tarball (`package/package.json` at its top) and a Python source
//! distribution (`<name>-<version>/PKG-INFO` at its top) are components the same way.
//!
//! Tar may be compressed with gzip, xz, bzip2 or zstd ([`compression`]). A Debian package is
//! an `ar` archive walked like any other (its `control.tar.*!/control` names the package, see
//! `extractors/deb_package.rs`; its `data.tar.*` holds the files it installs and is walked
//! too, so that a .deb yields what an image with it installed yields: the jar in
//! `liblog4j1.2-java` is found in both). An rpm is read up to the end of its header
//! (`extractors/rpm_package.rs`); its payload, the files it installs, is not read. 7z and RAR
//! archives are not read, and each one found says so in a warning.

use std::{
    cell::Cell,
    fs::File,
    io::{self, BufReader, Cursor, Read},
    path::{Path, PathBuf},
    rc::Rc,
};

use vigil_model::{Component, Inventory, ScanWarning};

use crate::extractors::{
    java_archive, pom_xml, Extractor, FileInput, JavaArchive, NodeModules, NpmTarball, PomXml,
    PythonMetadata, PythonSdist, CONTENT_HEAD_BYTES, REGISTRY,
};
use crate::image;

mod ar;
mod archive;
mod compression;
mod limits;

pub(crate) use compression::zstd_decoder;
use compression::Codec;
use limits::Counting;
pub use limits::ScanLimits;

/// Watches a scan: progress per artifact (each path the user gave) and a way to stop it.
/// The desktop app streams these to its progress rows; the CLI ignores them.
pub trait ScanObserver {
    /// Called as an artifact is read: bytes read so far (of the artifact as it lies on disk,
    /// so compressed bytes for an archive) and components found so far in it.
    fn progress(&mut self, _artifact: &Path, _bytes_read: u64, _components: usize) {}
    /// Asked between files and between archive entries; `true` stops the scan, which then
    /// returns what it has with a warning that says it was cancelled.
    fn cancelled(&self) -> bool {
        false
    }
}

/// An observer that watches nothing.
pub struct NoObserver;
impl ScanObserver for NoObserver {}

/// Scans files and folders into one inventory: sorted, one component per purl.
pub fn scan_paths(paths: &[PathBuf], limits: &ScanLimits) -> Inventory {
    scan_paths_observed(paths, limits, &mut NoObserver)
}

/// [`scan_paths`], reporting progress to `observer` and stopping when it says so.
pub fn scan_paths_observed(
    paths: &[PathBuf],
    limits: &ScanLimits,
    observer: &mut dyn ScanObserver,
) -> Inventory {
    let mut scan = Scan {
        limits,
        observer,
        inventory: Inventory::default(),
        artifact: PathBuf::new(),
        artifact_len: 0,
        bytes_read: Rc::new(Cell::new(0)),
        reported: 0,
        reported_found: 0,
        found_before: 0,
        inflated: Rc::new(Cell::new(0)),
        frames: Vec::new(),
        poms: pom_xml::PomTree::default(),
        cancelled: false,
    };
    for path in paths {
        if scan.is_cancelled() {
            scan.warn(path, "the scan was cancelled before this was read".into());
            continue;
        }
        scan.artifact = path.clone();
        scan.found_before = scan.found();
        scan.bytes_read = Rc::new(Cell::new(0));
        scan.inflated = Rc::new(Cell::new(0));
        scan.reported = 0;
        match std::fs::symlink_metadata(path) {
            Err(e) => scan.warn(path, format!("cannot read: {e}")),
            Ok(meta) if meta.is_dir() && image::is_image(path) => {
                scan.artifact_len = 0;
                scan.visit_image(path);
            }
            Ok(meta) if meta.is_dir() => {
                scan.artifact_len = 0;
                let mut seen = 0;
                scan.walk(path, 0, &mut seen);
            }
            Ok(meta) => {
                scan.artifact_len = meta.len();
                scan.visit_file(path, meta.len(), true);
                if !scan.cancelled {
                    // Entries nobody wanted were skipped unread: the file is nonetheless done.
                    scan.bytes_read.set(meta.len());
                }
            }
        }
        scan.finish_poms();
        scan.report();
    }
    let mut inventory = scan.inventory;
    inventory.normalize();
    inventory
}

/// What an archive being read is, for deciding at its end which component is the archive.
enum FrameKind {
    /// A jar, war, ear or aar: its own `pom.properties` and manifest.
    Java(java_archive::JarContents),
    /// A wheel: the components of its own `.dist-info/METADATA`.
    Wheel(Vec<Component>),
    /// A tarball or zip that may be an npm package or a Python sdist: the components of its
    /// own top-level `package/package.json` or `<folder>/PKG-INFO`.
    Package(Vec<Component>),
    /// Any other archive.
    Plain,
}

/// One archive being read, innermost last.
struct Frame {
    /// Its evidence path (`app.war!/WEB-INF/lib/a.jar`).
    path: String,
    kind: FrameKind,
}

/// Where an archive's bytes are, to hash it once it turns out to be a component.
enum Origin<'b> {
    Disk(&'b Path),
    Memory(&'b [u8]),
    /// A stream (a tarball nested in another archive), hashed as it was read: `None` when it
    /// could not be read to its end.
    Streamed(Option<&'b archive::StreamHashes>),
}

impl Origin<'_> {
    /// The archive's hash with `algorithm`, one of SHA-1, SHA-256 and SHA-512.
    fn hash(&self, algorithm: vigil_model::HashAlgorithm) -> Option<String> {
        use vigil_model::HashAlgorithm;
        match (self, algorithm) {
            (Origin::Streamed(hashes), HashAlgorithm::Sha1) => hashes.map(|h| h.sha1.clone()),
            (Origin::Streamed(hashes), HashAlgorithm::Sha256) => hashes.map(|h| h.sha256.clone()),
            (Origin::Streamed(hashes), HashAlgorithm::Sha512) => hashes.map(|h| h.sha512.clone()),
            (_, HashAlgorithm::Sha1) => self.digest::<sha1::Sha1>(),
            (_, HashAlgorithm::Sha256) => self.digest::<sha2::Sha256>(),
            (_, HashAlgorithm::Sha512) => self.digest::<sha2::Sha512>(),
            (_, HashAlgorithm::Md5 | HashAlgorithm::Sha384) => None,
        }
    }

    fn digest<D: sha2::Digest>(&self) -> Option<String> {
        let mut hasher = D::new();
        match self {
            // Zips (jars, wheels) are never streamed; a stream's hashes come from `hash`.
            Origin::Streamed(_) => return None,
            Origin::Memory(bytes) => hasher.update(bytes),
            Origin::Disk(path) => {
                let mut file = File::open(path).ok()?;
                let mut buf = vec![0; 64 << 10];
                loop {
                    match file.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => hasher.update(&buf[..n]),
                        Err(_) => return None,
                    }
                }
            }
        }
        Some(hex(&hasher.finalize()))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One scan in progress: where it is and what it found so far.
pub(crate) struct Scan<'a> {
    limits: &'a ScanLimits,
    observer: &'a mut dyn ScanObserver,
    inventory: Inventory,
    /// The path the user gave that is being read now, and its size on disk (0 for a folder).
    artifact: PathBuf,
    artifact_len: u64,
    /// Bytes of the artifact read from disk so far.
    bytes_read: Rc<Cell<u64>>,
    reported: u64,
    reported_found: usize,
    /// Components found before this artifact, so that progress counts what is new in it.
    found_before: usize,
    /// Bytes inflated from the artifact's archives so far, against `max_inflated_bytes`.
    inflated: Rc<Cell<u64>>,
    /// The archives being read, outermost first.
    frames: Vec<Frame>,
    /// The artifact's `pom.xml` files, read together at its end (a module needs its parent).
    poms: pom_xml::PomTree,
    cancelled: bool,
}

/// Extensions of files that are never archives nor programs: not opened to look at their
/// first bytes unless an extractor wants them by path.
const NEVER_ARCHIVE_OR_PROGRAM: &[&str] = &[
    "class",
    "js",
    "mjs",
    "cjs",
    "jsx",
    "ts",
    "mts",
    "cts",
    "tsx",
    "json",
    "map",
    "md",
    "markdown",
    "txt",
    "rst",
    "css",
    "scss",
    "less",
    "html",
    "htm",
    "xml",
    "xsd",
    "dtd",
    "properties",
    "py",
    "pyi",
    "pyc",
    "rb",
    "java",
    "kt",
    "scala",
    "groovy",
    "go",
    "rs",
    "c",
    "h",
    "cc",
    "cpp",
    "hpp",
    "yml",
    "yaml",
    "toml",
    "ini",
    "cfg",
    "conf",
    "csv",
    "tsv",
    "sql",
    "svg",
    "png",
    "jpg",
    "jpeg",
    "gif",
    "ico",
    "webp",
    "woff",
    "woff2",
    "ttf",
    "eot",
    "otf",
    "sh",
    "bat",
    "cmd",
    "ps1",
    "mf",
    "sf",
    "rsa",
    "dsa",
    "ec",
    "pem",
    "crt",
    "pom",
    "gradle",
    "php",
    "pl",
    "pm",
    "coffee",
    "vue",
    "svelte",
    "flow",
    "snap",
    "patch",
    "diff",
    "hbs",
    "ejs",
    "pug",
    "lock",
    "tmpl",
    "tpl",
    "po",
    "mo",
    "license",
    "html5",
    "gql",
    "graphql",
    "proto",
];

/// The archive formats the walker reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ArchiveKind {
    Zip,
    Tar,
    /// One compressed stream; `tar` when the name says a tar is inside (`.tgz`, `.tar.xz`).
    Compressed {
        codec: Codec,
        tar: bool,
    },
    /// A Debian package (an `ar` archive).
    Deb,
    /// An rpm package: only its header is read.
    Rpm,
    /// A format Vigil does not read (`7z`, `RAR`), named for the warning.
    Unread(&'static str),
}

impl ArchiveKind {
    fn by_name(name: &str) -> Option<ArchiveKind> {
        let lower = name.to_ascii_lowercase();
        let extension = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        match extension {
            "zip" | "jar" | "war" | "ear" | "aar" | "whl" | "egg" | "nupkg" | "hpi" | "jpi" => {
                Some(ArchiveKind::Zip)
            }
            "tar" => Some(ArchiveKind::Tar),
            "deb" | "udeb" => Some(ArchiveKind::Deb),
            "rpm" => Some(ArchiveKind::Rpm),
            "7z" => Some(ArchiveKind::Unread("7z")),
            "rar" => Some(ArchiveKind::Unread("RAR")),
            _ => Codec::by_name(&lower).map(|(codec, tar)| ArchiveKind::Compressed { codec, tar }),
        }
    }

    fn by_magic(head: &[u8]) -> Option<ArchiveKind> {
        if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
            Some(ArchiveKind::Zip)
        } else if let Some(codec) = Codec::by_magic(head) {
            Some(ArchiveKind::Compressed { codec, tar: false })
        } else if head.len() >= 262 && &head[257..262] == b"ustar" {
            Some(ArchiveKind::Tar)
        } else if head.starts_with(b"!<arch>\ndebian-binary") {
            // Only a Debian package: other ar archives are static libraries.
            Some(ArchiveKind::Deb)
        } else if head.starts_with(&[0xed, 0xab, 0xee, 0xdb]) {
            Some(ArchiveKind::Rpm)
        } else if head.starts_with(b"7z\xbc\xaf\x27\x1c") {
            Some(ArchiveKind::Unread("7z"))
        } else if head.starts_with(b"Rar!\x1a\x07") {
            Some(ArchiveKind::Unread("RAR"))
        } else {
            None
        }
    }
}

/// How many leading bytes are read to recognise an archive (tar's magic is at 257).
const HEAD_BYTES: usize = 512;

fn never_archive_or_program(name: &str) -> bool {
    match name.rsplit_once('.') {
        Some((_, extension)) => NEVER_ARCHIVE_OR_PROGRAM
            .iter()
            .any(|e| e.eq_ignore_ascii_case(extension)),
        None => false,
    }
}

/// Reads up to `limit` bytes, fewer only at the end of the stream.
fn read_head(reader: &mut dyn Read, limit: usize) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(limit);
    reader.take(limit as u64).read_to_end(&mut head)?;
    Ok(head)
}

impl Scan<'_> {
    fn walk(&mut self, dir: &Path, depth: usize, seen: &mut usize) {
        if depth > self.limits.max_dir_depth {
            let message = format!(
                "deeper than {} folders; not read",
                self.limits.max_dir_depth
            );
            return self.warn(dir, message);
        }
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => return self.warn(dir, format!("cannot list: {e}")),
        };
        entries.sort();
        for entry in entries {
            if self.is_cancelled() {
                return self.warn(
                    dir,
                    "the scan was cancelled; the rest of this folder was not read".into(),
                );
            }
            *seen += 1;
            if *seen > self.limits.max_files {
                let message = format!(
                    "more than {} files; the rest was not read",
                    self.limits.max_files
                );
                return self.warn(dir, message);
            }
            let Ok(meta) = std::fs::symlink_metadata(&entry) else {
                continue;
            };
            if entry.file_name().is_some_and(|n| n.to_str().is_none()) {
                self.warn(
                    &entry,
                    "the name is not valid UTF-8; read under the name shown".into(),
                );
            }
            if meta.file_type().is_symlink() {
                // Never followed: they may point out of the root or form loops. A loop is
                // said, since it usually means a broken tree; other symlinks (node_modules/.bin)
                // are ordinary.
                if let Some(message) = symlink_loop(&entry) {
                    self.warn(&entry, message);
                }
                continue;
            }
            if meta.is_dir() {
                if image::is_image(&entry) {
                    self.visit_image(&entry);
                } else if file_name(&entry) != ".git" {
                    self.walk(&entry, depth + 1, seen);
                }
            } else if meta.is_file() {
                self.visit_file(&entry, meta.len(), false);
            }
        }
    }

    /// A file on disk: a user-named one (`explicit`), or one found walking a folder.
    fn visit_file(&mut self, path: &Path, len: u64, explicit: bool) {
        let evidence = path.to_string_lossy().into_owned();
        let name = file_name(path);
        let wanted = by_path(path).is_some();
        let mut kind = ArchiveKind::by_name(&name);
        let mut head = Vec::new();
        if kind.is_none() && !wanted && (explicit || !never_archive_or_program(&name)) && len > 0 {
            let read = File::open(path).and_then(|mut f| read_head(&mut f, HEAD_BYTES));
            match read {
                Ok(bytes) => head = bytes,
                Err(e) => return self.warn(path, format!("cannot read: {e}")),
            }
            kind = ArchiveKind::by_magic(&head);
        }
        if kind.is_none() && !wanted {
            let content = &head[..head.len().min(CONTENT_HEAD_BYTES)];
            let by_content = REGISTRY.iter().any(|e| e.wants_content(content));
            if explicit && !by_content {
                match REGISTRY.iter().copied().find(|e| e.sniff(&head)) {
                    Some(extractor) => return self.run_file(extractor, path, &evidence),
                    None => {
                        return self.warn(path, "no extractor recognises this file".into());
                    }
                }
            }
            if !by_content {
                return;
            }
        }
        // A container image is its final file system, not the pile of its layers.
        if matches!(
            kind,
            Some(
                ArchiveKind::Tar
                    | ArchiveKind::Compressed {
                        codec: Codec::Gzip,
                        ..
                    }
            )
        ) && image::is_image(path)
        {
            self.visit_image(path);
            return self.report();
        }
        let file = match File::open(path) {
            Ok(file) => file,
            Err(e) => return self.warn(path, format!("cannot read: {e}")),
        };
        let counted = Counting {
            inner: file,
            count: Rc::clone(&self.bytes_read),
        };
        let mut reader = BufReader::with_capacity(64 << 10, counted);
        // Zips are read from disk where they lie; a tar or compressed stream found to be a
        // package is hashed from disk too, rather than while streamed.
        let streamed = match kind {
            Some(ArchiveKind::Tar) => Some(None),
            Some(ArchiveKind::Compressed { codec, tar }) => Some(Some((codec, tar))),
            _ => None,
        };
        if (kind == Some(ArchiveKind::Zip) || streamed.is_some())
            && self.frames.len() >= self.limits.max_archive_depth
        {
            return self.too_deep(&evidence);
        }
        if kind == Some(ArchiveKind::Zip) {
            self.walk_zip(&evidence, reader, Origin::Disk(path));
        } else if let Some(compressed) = streamed {
            self.walk_stream(&evidence, compressed, &mut reader, Some(path));
        } else {
            self.visit_entry(&evidence, len, &mut reader);
        }
        self.report();
    }

    /// A container image (a `docker save` or OCI tarball, or an OCI layout folder): its final
    /// files, layers applied with their whiteouts, are offered to [`Self::visit_entry`] as an
    /// archive's entries are, under `image.tar!/usr/lib/...`, so that jars, wheels and
    /// node_modules inside it are read as anywhere else. Its dpkg and apk databases wait for
    /// its os-release, read last (see [`image::OsPackages`]).
    fn visit_image(&mut self, path: &Path) {
        let evidence = path.to_string_lossy().into_owned();
        if self.frames.len() >= self.limits.max_archive_depth {
            return self.too_deep(&evidence);
        }
        let limits = image::ImageLimits {
            max_entries: self.limits.max_archive_entries as u64,
            max_inflated_bytes: self.limits.max_inflated_bytes,
            max_ratio: self.limits.max_compression_ratio,
            ..image::ImageLimits::default()
        };
        let mut os_packages = image::OsPackages::default();
        // The image counts as one archive level for the nesting limit.
        self.frames.push(Frame {
            path: evidence.clone(),
            kind: FrameKind::Plain,
        });
        let result = image::for_each_final_file(path, &limits, &mut |file, reader| {
            let entry = format!("{evidence}!/{}", file.path);
            if image::OsPackages::wants(Path::new(&entry)) {
                if let Err(message) =
                    os_packages.hold(entry.clone(), file.size, reader, self.limits)
                {
                    self.warn_at(&entry, message);
                }
            } else {
                self.visit_entry(&entry, file.size, reader);
            }
            self.report_now_and_then();
            if self.is_cancelled() {
                std::ops::ControlFlow::Break(())
            } else {
                std::ops::ControlFlow::Continue(())
            }
        });
        self.frames.pop();
        match result {
            Ok(summary) => {
                for message in summary.warnings {
                    self.warn(path, message);
                }
                if summary.stopped {
                    self.warn(
                        path,
                        "the scan was cancelled; the rest of this image was not read".into(),
                    );
                }
                let (components, warnings) = os_packages.extract(path, summary.distro.as_ref());
                for component in components {
                    self.add(component);
                }
                self.inventory.warnings.extend(warnings);
            }
            Err(message) => self.warn(path, format!("not a readable container image: {message}")),
        }
    }

    /// A file (user-named with an unexpected name) read by the extractor that sniffed it.
    fn run_file(&mut self, extractor: &dyn Extractor, path: &Path, evidence: &str) {
        let file = match File::open(path) {
            Ok(file) => file,
            Err(e) => return self.warn(path, format!("cannot read: {e}")),
        };
        let mut reader = Counting {
            inner: file,
            count: Rc::clone(&self.bytes_read),
        };
        if let Some(bytes) = self.read_whole(evidence, &mut reader, self.limits.max_file_bytes) {
            self.deliver(extractor, evidence, &bytes);
        }
    }

    /// Offers one file — on disk, inside an archive, or in an image layer — to the walk: an
    /// archive (by name or by its first bytes) is read entry by entry, nested archives at any
    /// depth; a file an extractor wants by its path, or a program one wants by its first
    /// bytes, is read (up to [`ScanLimits::max_file_bytes`]) and extracted; anything else is
    /// skipped without reading it whole.
    ///
    /// `evidence_path` is where the file is, nested archives joined with `!/`; it becomes the
    /// components' evidence and is what extractors' `wants` see. `size` is what the container
    /// declares (a hint; reads are bounded by the limits whatever it says). `reader` yields the
    /// file's content; it need not be read to its end.
    pub(crate) fn visit_entry(&mut self, evidence_path: &str, size: u64, reader: &mut dyn Read) {
        let name = evidence_path.rsplit('/').next().unwrap_or(evidence_path);
        if let Some(kind) = ArchiveKind::by_name(name) {
            return self.visit_archive(evidence_path, size, kind, reader);
        }
        let path = Path::new(evidence_path);
        if let Some(extractor) = by_path(path) {
            let limit = self.limits.max_file_bytes;
            if size > limit {
                let message = format!(
                    "{size} bytes, over the {limit} byte limit for a file read whole; not read"
                );
                return self.warn_at(evidence_path, message);
            }
            if let Some(bytes) = self.read_whole_sized(evidence_path, reader, limit, size) {
                self.deliver(extractor, evidence_path, &bytes);
            }
            return;
        }
        if self.is_own_manifest(evidence_path) {
            if let Some(bytes) =
                self.read_whole(evidence_path, reader, java_archive::MAX_MANIFEST_BYTES)
            {
                if let Some(Frame {
                    kind: FrameKind::Java(contents),
                    ..
                }) = self.frames.last_mut()
                {
                    contents.manifest = Some(bytes);
                }
            }
            return;
        }
        if never_archive_or_program(name) {
            return;
        }
        let head = match read_head(reader, HEAD_BYTES) {
            Ok(head) => head,
            Err(e) => return self.warn_at(evidence_path, format!("cannot read: {e}")),
        };
        if let Some(kind) = ArchiveKind::by_magic(&head) {
            let mut whole = Cursor::new(head).chain(reader);
            return self.visit_archive(evidence_path, size, kind, &mut whole);
        }
        let content = &head[..head.len().min(CONTENT_HEAD_BYTES)];
        if let Some(extractor) = REGISTRY.iter().copied().find(|e| e.wants_content(content)) {
            let mut whole = Cursor::new(head).chain(reader);
            if let Some(bytes) =
                self.read_whole(evidence_path, &mut whole, self.limits.max_file_bytes)
            {
                self.deliver(extractor, evidence_path, &bytes);
            }
        }
    }

    /// Whether this entry is `META-INF/MANIFEST.MF` of the Java archive being read.
    fn is_own_manifest(&self, evidence_path: &str) -> bool {
        match self.frames.last() {
            Some(Frame {
                path,
                kind: FrameKind::Java(_),
            }) => evidence_path
                .strip_prefix(path.as_str())
                .and_then(|rest| rest.strip_prefix("!/"))
                .is_some_and(|inner| inner.eq_ignore_ascii_case("META-INF/MANIFEST.MF")),
            _ => false,
        }
    }

    fn visit_archive(&mut self, path: &str, size: u64, kind: ArchiveKind, reader: &mut dyn Read) {
        if self.frames.len() >= self.limits.max_archive_depth {
            return self.too_deep(path);
        }
        match kind {
            ArchiveKind::Zip => {
                let limit = self.limits.max_nested_zip_bytes;
                if size > limit {
                    return self.warn_at(
                        path,
                        format!(
                            "a nested zip of {size} bytes, over the {limit} byte limit for \
                             zips held in memory; not read"
                        ),
                    );
                }
                if let Some(bytes) = self.read_whole_sized(path, reader, limit, size) {
                    self.walk_zip(path, Cursor::new(&bytes[..]), Origin::Memory(&bytes));
                }
            }
            ArchiveKind::Tar => self.walk_stream(path, None, reader, None),
            ArchiveKind::Compressed { codec, tar } => {
                self.walk_stream(path, Some((codec, tar)), reader, None)
            }
            ArchiveKind::Deb => self.walk_deb(path, reader),
            ArchiveKind::Rpm => self.read_rpm(path, reader),
            ArchiveKind::Unread(format) => self.warn_at(
                path,
                format!(
                    "{format} archives are not read; what it holds is not in the inventory \
                     (repack it as zip or tar to scan it)"
                ),
            ),
        }
    }

    fn too_deep(&mut self, path: &str) {
        let message = format!(
            "archives nested more than {} deep; this one was not read",
            self.limits.max_archive_depth
        );
        self.warn_at(path, message);
    }

    /// Reads a whole file into memory, or warns (naming it) and gives `None` when it cannot be
    /// read or is larger than `limit`.
    fn read_whole(&mut self, path: &str, reader: &mut dyn Read, limit: u64) -> Option<Vec<u8>> {
        self.read_whole_sized(path, reader, limit, 0)
    }

    /// [`Self::read_whole`] into a buffer sized for what the container declares (capped by the
    /// limit), so that a big entry is not copied while the buffer doubles.
    fn read_whole_sized(
        &mut self,
        path: &str,
        reader: &mut dyn Read,
        limit: u64,
        declared: u64,
    ) -> Option<Vec<u8>> {
        let mut bytes = Vec::with_capacity(declared.min(limit) as usize + 1);
        if let Err(e) = reader.take(limit + 1).read_to_end(&mut bytes) {
            self.warn_at(path, format!("cannot read: {e}"));
            return None;
        }
        if bytes.len() as u64 > limit {
            self.warn_at(
                path,
                format!("larger than the {limit} byte limit; not read"),
            );
            return None;
        }
        Some(bytes)
    }

    /// Runs an extractor over a file and keeps what it found; what an extractor finds in the
    /// archive that is itself a component waits in the archive's frame (see [`FrameKind`]).
    fn deliver(&mut self, extractor: &dyn Extractor, path: &str, bytes: &[u8]) {
        if extractor.name() == PomXml.name() {
            match self.poms.hold(path, bytes) {
                None => return,
                Some(why) => self.warn_at(path, why),
            }
        }
        match extractor.extract(&FileInput {
            path: Path::new(path),
            bytes,
        }) {
            Ok(output) => {
                let mut components = output.components;
                match self.frames.last_mut() {
                    Some(Frame {
                        kind: FrameKind::Java(contents),
                        ..
                    }) if extractor.name() == JavaArchive.name() => {
                        contents.poms.append(&mut components);
                    }
                    Some(Frame {
                        path: wheel,
                        kind: FrameKind::Wheel(own),
                    }) if extractor.name() == PythonMetadata.name()
                        && is_top_level_dist_info(wheel, path) =>
                    {
                        own.append(&mut components);
                    }
                    Some(Frame {
                        path: archive,
                        kind: FrameKind::Package(own),
                    }) if [NpmTarball.name(), PythonSdist.name()].contains(&extractor.name())
                        && path
                            .strip_prefix(archive.as_str())
                            .is_some_and(|rest| rest.starts_with("!/")) =>
                    {
                        own.append(&mut components);
                    }
                    _ => {}
                }
                for component in components {
                    self.add(component);
                }
                self.inventory.unidentified.extend(output.unidentified);
                for message in output.warnings {
                    self.warn_at(path, message);
                }
            }
            Err(message) => self.warn_at(path, format!("{}: {message}", extractor.name())),
        }
        self.report_now_and_then();
    }

    /// Reads the artifact's poms, each with its parents among them.
    fn finish_poms(&mut self) {
        for (path, result) in self.poms.resolve() {
            match result {
                Ok(output) => {
                    for component in output.components {
                        self.add(component);
                    }
                    for message in output.warnings {
                        self.warn_at(&path, message);
                    }
                }
                Err(message) => self.warn_at(&path, format!("{}: {message}", PomXml.name())),
            }
        }
    }

    /// Called when an archive has been read: decides which component is the archive itself.
    fn finish_frame(&mut self, frame: Frame, origin: &Origin<'_>) {
        match frame.kind {
            FrameKind::Java(contents) => {
                let output = java_archive::finish_jar(&frame.path, contents, &mut || {
                    origin.digest::<sha1::Sha1>()
                });
                for component in output.components {
                    self.add(component);
                }
                self.inventory.unidentified.extend(output.unidentified);
                for message in output.warnings {
                    self.warn_at(&frame.path, message);
                }
            }
            FrameKind::Wheel(components) => {
                let sha256 = if components.is_empty() {
                    None
                } else {
                    origin.digest::<sha2::Sha256>()
                };
                for mut component in components {
                    if let Some(value) = &sha256 {
                        component.hashes.push(vigil_model::Hash {
                            algorithm: vigil_model::HashAlgorithm::Sha256,
                            value: value.clone(),
                        });
                    }
                    self.add(component);
                }
            }
            FrameKind::Package(components) => {
                use vigil_model::{Ecosystem, Hash, HashAlgorithm};
                for mut component in components {
                    // What each registry publishes: npm's `shasum` and `integrity`, PyPI's
                    // SHA-256 digest.
                    let algorithms: &[HashAlgorithm] =
                        if component.package.ecosystem == Ecosystem::Npm {
                            &[HashAlgorithm::Sha1, HashAlgorithm::Sha512]
                        } else {
                            &[HashAlgorithm::Sha256]
                        };
                    for &algorithm in algorithms {
                        if let Some(value) = origin.hash(algorithm) {
                            component.hashes.push(Hash { algorithm, value });
                        }
                    }
                    self.add(component);
                }
            }
            FrameKind::Plain => {}
        }
    }

    fn add(&mut self, component: Component) {
        self.inventory.add(component);
    }

    fn is_cancelled(&mut self) -> bool {
        if !self.cancelled && self.observer.cancelled() {
            self.cancelled = true;
        }
        self.cancelled
    }

    /// Reports progress when components were found or another MiB was read, so that a tree
    /// of small files does not flood the observer.
    fn found(&self) -> usize {
        self.inventory.components.len() + self.inventory.unidentified.len()
    }

    fn report_now_and_then(&mut self) {
        let found = self.found();
        if found != self.reported_found || self.bytes_read.get() >= self.reported + (1 << 20) {
            self.report();
        }
    }

    fn report(&mut self) {
        let mut bytes = self.bytes_read.get();
        if self.artifact_len > 0 {
            // Buffered reads after a seek may read a few bytes twice.
            bytes = bytes.min(self.artifact_len);
        }
        self.reported = self.bytes_read.get();
        let found = self.found();
        self.reported_found = found;
        self.observer
            .progress(&self.artifact, bytes, found - self.found_before);
    }

    fn warn(&mut self, path: &Path, message: String) {
        self.inventory.warnings.push(ScanWarning {
            path: path.to_path_buf(),
            message,
        });
    }

    /// A warning about a file named by its evidence path (`a.tar.gz!/b.jar`).
    pub(crate) fn warn_at(&mut self, evidence_path: &str, message: String) {
        self.inventory.warnings.push(ScanWarning {
            path: PathBuf::from(evidence_path),
            message,
        });
    }
}

/// Extractors that read what is installed, and so apply inside an installed npm package too.
fn reads_installed_software(extractor: &dyn Extractor) -> bool {
    [
        JavaArchive.name(),
        NodeModules.name(),
        PythonMetadata.name(),
    ]
    .contains(&extractor.name())
}

/// The extractor that wants this file by its path. Inside an installed npm package
/// (`node_modules/<name>/…`), only extractors of installed software apply: the lockfiles,
/// manifests and SBOMs a package ships describe its author's development tree, not what is
/// installed (a real 1,600-package tree ships lockfiles naming ~300 packages it does not
/// hold). Archives and programs in it are still read.
/// About how many bytes a scan of `path` reads, to size a progress bar before scanning: a
/// file's size, or for a folder the sizes of the files its walk reads whole (those an
/// extractor wants by path, and archives by name), walked the same way (no symlinks, no
/// `.git`, the same depth and file limits). Metadata only: nothing is opened. Files the walk
/// only peeks at (and the rare archive or program known only by its first bytes) are not
/// counted, so the bar may finish early, never overflow a folder's true size.
pub fn planned_bytes(path: &Path, limits: &ScanLimits) -> u64 {
    fn walk(dir: &Path, depth: usize, seen: &mut usize, limits: &ScanLimits) -> u64 {
        if depth > limits.max_dir_depth {
            return 0;
        }
        let Ok(entries) = std::fs::read_dir(dir) else {
            return 0;
        };
        let mut total = 0u64;
        for entry in entries.filter_map(Result::ok) {
            *seen += 1;
            if *seen > limits.max_files {
                break;
            }
            let path = entry.path();
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            if meta.is_dir() {
                if file_name(&path) != ".git" {
                    total += walk(&path, depth + 1, seen, limits);
                }
            } else if meta.is_file()
                && (by_path(&path).is_some() || ArchiveKind::by_name(&file_name(&path)).is_some())
            {
                total += meta.len();
            }
        }
        total
    }
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => walk(path, 0, &mut 0, limits),
        Ok(meta) => meta.len(),
        Err(_) => 0,
    }
}

fn by_path(path: &Path) -> Option<&'static dyn Extractor> {
    let in_package = inside_installed_npm_package(&path.to_string_lossy());
    REGISTRY
        .iter()
        .copied()
        .find(|e| e.wants(path) && (!in_package || reads_installed_software(*e)))
}

fn inside_installed_npm_package(path: &str) -> bool {
    // Only the innermost archive's own path counts: a jar in node_modules is its own world.
    let inner = path.rsplit("!/").next().unwrap_or(path);
    let parts: Vec<&str> = inner.split('/').collect();
    parts
        .iter()
        .enumerate()
        .any(|(i, part)| *part == "node_modules" && parts.len() > i + 2)
}

/// Whether `path` is `<wheel>!/<name>.dist-info/METADATA`, the wheel's own metadata.
fn is_top_level_dist_info(wheel: &str, path: &str) -> bool {
    path.strip_prefix(wheel)
        .and_then(|rest| rest.strip_prefix("!/"))
        .and_then(|inner| inner.split_once('/'))
        .is_some_and(|(folder, file)| folder.ends_with(".dist-info") && file == "METADATA")
}

/// The errno of "too many levels of symbolic links".
#[cfg(any(target_os = "macos", target_os = "ios", target_os = "freebsd"))]
const ELOOP: i32 = 62;
#[cfg(not(any(target_os = "macos", target_os = "ios", target_os = "freebsd")))]
const ELOOP: i32 = 40;

/// A symlink that points at a folder it is in (or cannot be resolved because it loops).
fn symlink_loop(link: &Path) -> Option<String> {
    match std::fs::canonicalize(link) {
        Err(e) if e.raw_os_error() == Some(ELOOP) => {
            Some("a symlink loop (it resolves to itself); not followed".into())
        }
        Err(_) => None,
        Ok(target) => {
            let parent = link.parent().and_then(|p| std::fs::canonicalize(p).ok())?;
            (target.is_dir() && parent.starts_with(&target)).then(|| {
                format!(
                    "a symlink loop (it points at {}, a folder it is in); not followed",
                    target.display()
                )
            })
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
