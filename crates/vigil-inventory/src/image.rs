//! Container images: `docker save` tarballs (`manifest.json` listing `<id>/layer.tar` or
//! `blobs/sha256/<hex>` layers) and OCI image layouts, as a tarball or a folder (`oci-layout`,
//! `index.json` → manifest blob → layer blobs; https://github.com/opencontainers/image-spec,
//! `image-layout.md`, `manifest.md`, `layer.md`).
//!
//! An image's file system is its layers applied in order: a later layer's file replaces an
//! earlier one at the same path, `.wh.<name>` deletes `<name>` from the layers below, and
//! `.wh..wh..opq` empties its folder of what the layers below put there (whiteouts never hide
//! files of their own layer). Nothing is extracted: layers are read as streams, **once each,
//! from the top layer down**. A file is final when no layer above it replaced it, deleted it
//! or its folder, or put a non-folder where one of its folders is — which the layers above,
//! read first, already told. So each final file can be handed over the moment it is met, and
//! what is remembered of the layers above is a 64-bit hash per path (of every entry, every
//! whiteout, every opaque folder), not the paths or the files: memory stays bounded by the
//! entry count limit, and each layer is inflated exactly once.
//!
//! Hard links are not followed (their target was earlier in the same stream); they hide what
//! is below them like any entry. Layers are gzip- or zstd-compressed
//! (`application/vnd.oci.image.layer.v1.tar+gzip`, `…+zstd`) or not, told by their first
//! bytes, since a `docker save` tarball has no media types.

use std::{
    cell::{Cell, RefCell},
    collections::{hash_map::DefaultHasher, HashMap, HashSet},
    fs::File,
    hash::{Hash, Hasher},
    io::{BufRead, BufReader, Read, Seek, SeekFrom},
    ops::ControlFlow,
    path::{Path, PathBuf},
};

use serde_json::Value;
use vigil_model::{Component, Ecosystem, ScanWarning};

use crate::{
    extractors::{Apk, Dpkg, Extractor, FileInput},
    os_release::{self, Distro},
    ScanLimits,
};

#[derive(Debug, Clone)]
pub struct ImageLimits {
    /// Most layers read from one image.
    pub max_layers: usize,
    /// Most entries (files, folders, links, whiteouts) over all layers.
    pub max_entries: u64,
    /// Most bytes inflated over all layers.
    pub max_inflated_bytes: u64,
    /// Largest inflated/compressed ratio of a layer, checked once it passes 64 MiB inflated.
    pub max_ratio: u64,
    /// Largest manifest, index or config read.
    pub max_json_bytes: u64,
}

impl Default for ImageLimits {
    fn default() -> Self {
        ImageLimits {
            max_layers: 512,
            max_entries: 4_000_000,
            max_inflated_bytes: 64 << 30,
            max_ratio: 200,
            max_json_bytes: 4 << 20,
        }
    }
}

/// One final file of the image's file system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinalFile {
    /// Relative to the image's root, `/`-separated, no `.` or `..` (`usr/lib/os-release`).
    pub path: String,
    pub size: u64,
    /// Unix permission bits.
    pub mode: u32,
}

/// What reading an image found besides its files.
#[derive(Debug, Default)]
pub struct ImageSummary {
    /// Its distribution, from the final `etc/os-release` or `usr/lib/os-release`.
    pub distro: Option<Distro>,
    pub layers: usize,
    /// Problems that did not stop the reading (a layer that could not be read...).
    pub warnings: Vec<String>,
    /// Whether the visitor stopped the walk.
    pub stopped: bool,
}

/// Whether `path` is a container image this module reads: an OCI layout folder, or a tarball
/// with `manifest.json` or `oci-layout` at its top. Only tar headers are read.
pub fn is_image(path: &Path) -> bool {
    if path.is_dir() {
        return path.join("oci-layout").is_file() && path.join("index.json").is_file();
    }
    if is_gzip(path) {
        return looks_like_compressed_image(path);
    }
    let Ok(file) = File::open(path) else {
        return false;
    };
    let mut head = [0u8; 512];
    let is_tar = (&file).read_exact(&mut head).is_ok() && &head[257..262] == b"ustar";
    if !is_tar || (&file).seek(SeekFrom::Start(0)).is_err() {
        return false;
    }
    let mut archive = tar::Archive::new(file);
    let Ok(entries) = archive.entries_with_seek() else {
        return false;
    };
    // A docker save has a few entries per layer; a big tar of something else is not walked.
    for entry in entries.take(10_000) {
        let Ok(entry) = entry else { return false };
        let name = entry.path_bytes();
        let name = name.strip_prefix(b"./").unwrap_or(&name);
        if name == b"manifest.json" || name == b"oci-layout" {
            return true;
        }
    }
    false
}

/// Whether a gzip-compressed tarball is an image, judged by the names of its first entries
/// (its manifest may be at its end, behind every layer): `docker save` starts with a layer's
/// folder (`<64 hex digits>/`, then its `VERSION` and `json`), Docker 25 and OCI layouts with
/// `blobs/`, `oci-layout` or `index.json`.
fn looks_like_compressed_image(path: &Path) -> bool {
    let Ok(mut archive) = gzip_entries(path) else {
        return false;
    };
    let Ok(entries) = archive.entries() else {
        return false;
    };
    let mut seen = 0;
    for entry in entries.take(3) {
        let Ok(entry) = entry else { return false };
        let name = entry_name(&entry);
        let first = name.split('/').next().unwrap_or("");
        let layer_folder = first.len() == 64 && first.bytes().all(|b| b.is_ascii_hexdigit());
        let image_file = matches!(
            first,
            "blobs" | "oci-layout" | "index.json" | "manifest.json" | "repositories"
        );
        if !(layer_folder || image_file) {
            return false;
        }
        seen += 1;
    }
    seen > 0
}

/// Walks the final file system of the image at `image` (a tarball, gzip-compressed or not, or
/// an OCI layout folder), handing each final regular file to `visit` with a reader of its
/// contents; `visit` reads what it wants of it (or nothing) and may stop the walk. `Err` when
/// the image itself cannot be read (no manifest, a missing layer blob...).
pub fn for_each_final_file(
    image: &Path,
    limits: &ImageLimits,
    visit: &mut dyn FnMut(&FinalFile, &mut dyn Read) -> ControlFlow<()>,
) -> Result<ImageSummary, String> {
    let mut summary = ImageSummary::default();
    let mut os_release: HashMap<&str, String> = HashMap::new();
    // os-release is read whatever the visitor wants of it; the visitor gets it from memory.
    let mut visit = |file: &FinalFile, reader: &mut dyn Read| {
        if let Some(at) = os_release::PATHS.iter().find(|p| **p == file.path) {
            let mut text = String::new();
            let _ = reader.take(os_release::MAX_BYTES).read_to_string(&mut text);
            let flow = visit(file, &mut text.as_bytes());
            os_release.insert(*at, text);
            return flow;
        }
        visit(file, reader)
    };
    if !image.is_dir() && is_gzip(image) {
        streamed(image, limits, &mut summary, &mut visit)?;
    } else {
        let mut store = if image.is_dir() {
            Blobs::Folder(image.to_path_buf())
        } else {
            Blobs::tarball(image)?
        };
        top_down(&mut store, limits, &mut summary, &mut visit)?;
    }
    summary.distro = os_release::PATHS
        .iter()
        .find_map(|p| os_release.get(p).and_then(|text| Distro::parse(text)));
    Ok(summary)
}

fn check_layer_count(layers: &[String], limits: &ImageLimits) -> Result<(), String> {
    if layers.len() > limits.max_layers {
        return Err(format!(
            "{} layers, more than the {} limit; not read",
            layers.len(),
            limits.max_layers
        ));
    }
    Ok(())
}

/// Records what reading one layer gave; `false` when the walk must stop.
fn layer_done(
    label: &str,
    flow: Result<ControlFlow<()>, LayerError>,
    summary: &mut ImageSummary,
) -> bool {
    match flow {
        Ok(ControlFlow::Continue(())) => true,
        Ok(ControlFlow::Break(())) => {
            summary.stopped = true;
            false
        }
        Err(LayerError::Limit(e)) => {
            summary
                .warnings
                .push(format!("{label}: {e}; the rest of the image was not read"));
            false
        }
        Err(LayerError::Unreadable(e)) => {
            summary
                .warnings
                .push(format!("{label}: {e}; the rest of this layer was not read"));
            true
        }
    }
}

/// An image whose blobs can be read in any order: each layer once, from the top down.
fn top_down(
    store: &mut Blobs,
    limits: &ImageLimits,
    summary: &mut ImageSummary,
    visit: &mut dyn FnMut(&FinalFile, &mut dyn Read) -> ControlFlow<()>,
) -> Result<(), String> {
    let layers = layers(store, limits)?;
    check_layer_count(&layers, limits)?;
    summary.layers = layers.len();
    let mut above = Above::default();
    let budget = Budget::new(limits);
    for (index, layer) in layers.iter().enumerate().rev() {
        let label = format!("layer {} ({layer})", index + 1);
        let reader = match store.open(layer) {
            Ok(reader) => reader,
            Err(e) => {
                summary
                    .warnings
                    .push(format!("{label}: {e}; its files are missing"));
                continue;
            }
        };
        let mut this_layer = Above::default();
        let flow = read_layer(
            reader,
            &|path| above.hides(path),
            &mut this_layer,
            &budget,
            visit,
        );
        above.absorb(this_layer);
        if !layer_done(&label, flow, summary) {
            break;
        }
    }
    Ok(())
}

fn is_gzip(path: &Path) -> bool {
    let mut magic = [0u8; 2];
    File::open(path).is_ok_and(|mut f| f.read_exact(&mut magic).is_ok()) && magic == [0x1f, 0x8b]
}

/// The entries of a gzip-compressed image tarball, from the start.
fn gzip_entries(
    path: &Path,
) -> Result<tar::Archive<flate2::bufread::MultiGzDecoder<BufReader<File>>>, String> {
    let file = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    Ok(tar::Archive::new(flate2::bufread::MultiGzDecoder::new(
        BufReader::with_capacity(256 << 10, file),
    )))
}

/// A gzip-compressed image tarball (`docker save | gzip`): its blobs can only be read in the
/// order they are stored, so it is read three times: for its manifests, for what each layer
/// holds (the same path hashes as [`top_down`] keeps), and for the final files, each layer now
/// knowing what the layers above it hide.
fn streamed(
    path: &Path,
    limits: &ImageLimits,
    summary: &mut ImageSummary,
    visit: &mut dyn FnMut(&FinalFile, &mut dyn Read) -> ControlFlow<()>,
) -> Result<(), String> {
    // 1. The small JSON documents: manifest.json, index.json, manifests and configs.
    let mut documents: HashMap<String, Vec<u8>> = HashMap::new();
    let mut kept = 0u64;
    let mut archive = gzip_entries(path)?;
    for entry in archive
        .entries()
        .map_err(|e| format!("not a tarball: {e}"))?
    {
        let mut entry = entry.map_err(|e| format!("not a readable tarball: {e}"))?;
        let name = entry_name(&entry);
        if !entry.header().entry_type().is_file() || entry.size() > limits.max_json_bytes {
            continue;
        }
        let mut bytes = Vec::new();
        (&mut entry)
            .take(limits.max_json_bytes)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("{name}: {e}"))?;
        let json = matches!(
            bytes.iter().find(|b| !b.is_ascii_whitespace()),
            Some(b'{' | b'[')
        );
        if json && kept + bytes.len() as u64 <= 8 * limits.max_json_bytes {
            kept += bytes.len() as u64;
            documents.insert(name, bytes);
        }
    }
    let layers = layers(&mut Blobs::Memory(documents), limits)?;
    check_layer_count(&layers, limits)?;
    summary.layers = layers.len();
    // A blob listed twice is read where it is highest: below, it is hidden by itself.
    let mut position: HashMap<&str, usize> = HashMap::new();
    for (index, layer) in layers.iter().enumerate() {
        position.insert(layer.trim_start_matches("./"), index);
    }

    // 2. What each layer holds.
    let mut held: Vec<Option<Above>> = (0..layers.len()).map(|_| None).collect();
    let budget = Budget::new(limits);
    let mut archive = gzip_entries(path)?;
    for entry in archive
        .entries()
        .map_err(|e| format!("not a tarball: {e}"))?
    {
        let entry = entry.map_err(|e| format!("not a readable tarball: {e}"))?;
        let Some(&index) = position.get(entry_name(&entry).as_str()) else {
            continue;
        };
        let size = entry.size();
        let mut this_layer = Above::default();
        let flow = read_layer(
            (Box::new(entry), size),
            &|_| true,
            &mut this_layer,
            &budget,
            &mut |_, _| ControlFlow::Continue(()),
        );
        held[index] = Some(this_layer);
        let label = format!("layer {} ({})", index + 1, layers[index]);
        if !layer_done(&label, flow, summary) {
            return Ok(());
        }
    }
    for (index, layer) in held.iter().enumerate() {
        if layer.is_none() {
            summary.warnings.push(format!(
                "layer {} ({}): not in the image; its files are missing",
                index + 1,
                layers[index]
            ));
        }
    }

    // 3. The final files, in the order the layers are stored.
    let budget = Budget::new(limits);
    let mut archive = gzip_entries(path)?;
    for entry in archive
        .entries()
        .map_err(|e| format!("not a tarball: {e}"))?
    {
        let entry = entry.map_err(|e| format!("not a readable tarball: {e}"))?;
        let Some(&index) = position.get(entry_name(&entry).as_str()) else {
            continue;
        };
        let above: Vec<&Above> = held[index + 1..].iter().flatten().collect();
        let size = entry.size();
        let flow = read_layer(
            (Box::new(entry), size),
            &|path| above.iter().any(|a| a.hides(path)),
            &mut Above::default(),
            &budget,
            visit,
        );
        // Problems were said in the second reading.
        if let Ok(ControlFlow::Break(())) = flow {
            summary.stopped = true;
            break;
        }
        if let Err(LayerError::Limit(_)) = flow {
            break;
        }
    }
    Ok(())
}

fn entry_name<R: Read>(entry: &tar::Entry<'_, R>) -> String {
    let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
    name.trim_start_matches("./").to_string()
}

/// The distribution package databases of an image (`var/lib/dpkg/status`,
/// `lib/apk/db/installed`), held until the image's os-release is known: layers are read from
/// the top down, and os-release is usually in the bottom layer while the databases are
/// rewritten by every layer that installs a package.
#[derive(Default)]
pub struct OsPackages {
    /// (evidence path, contents) of each database found.
    files: Vec<(String, Vec<u8>)>,
}

impl OsPackages {
    /// Whether the file at this evidence path is a distribution package database.
    pub fn wants(path: &Path) -> bool {
        Dpkg.wants(path) || Apk.wants(path)
    }

    /// Reads a database and keeps it; `Err` (a warning for it) when it cannot be read or is
    /// larger than the file size limit.
    pub fn hold(
        &mut self,
        evidence: String,
        size: u64,
        reader: &mut dyn Read,
        limits: &ScanLimits,
    ) -> Result<(), String> {
        let limit = limits.max_file_bytes;
        if size > limit {
            return Err(format!("larger than the {limit} byte limit; not read"));
        }
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        reader
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read: {e}"))?;
        if bytes.len() as u64 > limit {
            return Err(format!("larger than the {limit} byte limit; not read"));
        }
        self.files.push((evidence, bytes));
        Ok(())
    }

    /// Extracts the databases held, labelled with the image's distribution and release.
    pub fn extract(
        self,
        image: &Path,
        distro: Option<&Distro>,
    ) -> (Vec<Component>, Vec<ScanWarning>) {
        let mut components = Vec::new();
        let mut warnings = Vec::new();
        for (evidence, bytes) in self.files {
            let path = Path::new(&evidence);
            let extractor: &dyn Extractor = if Dpkg.wants(path) { &Dpkg } else { &Apk };
            match extractor.extract(&FileInput {
                path,
                bytes: &bytes,
            }) {
                Ok(output) => {
                    components.extend(output.components);
                    warnings.extend(output.warnings.into_iter().map(|message| ScanWarning {
                        path: path.to_path_buf(),
                        message,
                    }));
                }
                Err(message) => warnings.push(ScanWarning {
                    path: path.to_path_buf(),
                    message: format!("{}: {message}", extractor.name()),
                }),
            }
        }
        if let Some(message) = apply_distro(distro, &mut components) {
            warnings.push(ScanWarning {
                path: image.to_path_buf(),
                message,
            });
        }
        (components, warnings)
    }
}

/// Distribution packages take the image's release from its os-release; Debian and Ubuntu
/// packages were labelled by a guess (the dpkg database does not say which it is), which the
/// os-release replaces. Returns a warning when the image does not say.
fn apply_distro(distro: Option<&Distro>, components: &mut [Component]) -> Option<String> {
    let is_deb = |c: &Component| matches!(c.ecosystem(), Ecosystem::Debian | Ecosystem::Ubuntu);
    let is_apk = |c: &Component| c.ecosystem() == Ecosystem::Alpine;
    let found = distro.and_then(|d| Some((d.ecosystem()?, d.release())));
    let mut unlabelled = None;
    for component in components.iter_mut() {
        match found {
            Some((ecosystem @ (Ecosystem::Debian | Ecosystem::Ubuntu), ref release))
                if is_deb(component) =>
            {
                component.package.ecosystem = ecosystem;
                component.package.release = release.clone();
            }
            Some((Ecosystem::Alpine, ref release)) if is_apk(component) => {
                component.package.release = release.clone();
            }
            _ if is_deb(component) || is_apk(component) => {
                unlabelled.get_or_insert(component.ecosystem());
            }
            _ => {}
        }
    }
    let ecosystem = unlabelled?;
    Some(match distro {
        Some(distro) => format!(
            "its os-release says {:?}, which does not fit its {ecosystem} packages: their release is unknown",
            distro.id
        ),
        None => format!("it has no os-release: the release of its {ecosystem} packages is unknown"),
    })
}

/// Where an image's blobs are: entries of a tarball (found by offset), or files of a folder.
enum Blobs {
    Tarball {
        file: File,
        /// Entry name (without a leading `./`) → (data offset, size).
        entries: HashMap<String, (u64, u64)>,
    },
    Folder(PathBuf),
    /// The small documents of a gzip-compressed tarball (layers are streamed apart).
    Memory(HashMap<String, Vec<u8>>),
}

impl Blobs {
    fn tarball(path: &Path) -> Result<Blobs, String> {
        let file = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
        let mut entries = HashMap::new();
        let mut archive = tar::Archive::new(&file);
        for entry in archive
            .entries_with_seek()
            .map_err(|e| format!("not a tarball: {e}"))?
        {
            let entry = entry.map_err(|e| format!("not a readable tarball: {e}"))?;
            if !entry.header().entry_type().is_file() {
                continue;
            }
            let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            let name = name.trim_start_matches("./").to_string();
            entries.insert(name, (entry.raw_file_position(), entry.size()));
            if entries.len() > 100_000 {
                return Err("more than 100000 entries: not an image tarball".into());
            }
        }
        Ok(Blobs::Tarball { file, entries })
    }

    fn has(&self, name: &str) -> bool {
        match self {
            Blobs::Tarball { entries, .. } => entries.contains_key(name),
            Blobs::Folder(root) => root.join(name).is_file(),
            Blobs::Memory(documents) => documents.contains_key(name),
        }
    }

    /// A blob's bytes as a stream, and its size.
    fn open(&mut self, name: &str) -> Result<(Box<dyn Read + '_>, u64), String> {
        if name.split('/').any(|part| part == "..") {
            return Err(format!("{name:?} points outside the image"));
        }
        match self {
            Blobs::Tarball { file, entries } => {
                let (offset, size) = *entries
                    .get(name)
                    .ok_or_else(|| format!("{name} is not in the image"))?;
                file.seek(SeekFrom::Start(offset))
                    .map_err(|e| e.to_string())?;
                Ok((Box::new(Read::take(&*file, size)), size))
            }
            Blobs::Folder(root) => {
                let path = root.join(name);
                let file = File::open(&path).map_err(|e| format!("{name}: {e}"))?;
                let size = file.metadata().map_err(|e| e.to_string())?.len();
                Ok((Box::new(file), size))
            }
            Blobs::Memory(documents) => {
                let bytes = documents
                    .get(name)
                    .ok_or_else(|| format!("{name} is not in the image"))?;
                Ok((Box::new(bytes.as_slice()), bytes.len() as u64))
            }
        }
    }

    fn json(&mut self, name: &str, limits: &ImageLimits) -> Result<Value, String> {
        let (mut reader, size) = self.open(name)?;
        if size > limits.max_json_bytes {
            return Err(format!(
                "{name} is larger than the {} byte limit",
                limits.max_json_bytes
            ));
        }
        let mut bytes = Vec::new();
        reader
            .read_to_end(&mut bytes)
            .map_err(|e| format!("{name}: {e}"))?;
        serde_json::from_slice(&bytes).map_err(|e| format!("{name} is not valid JSON: {e}"))
    }
}

/// The image's layer blobs, bottom first.
fn layers(store: &mut Blobs, limits: &ImageLimits) -> Result<Vec<String>, String> {
    if store.has("manifest.json") {
        // docker save: [{"Config": ..., "RepoTags": [...], "Layers": ["<id>/layer.tar", ...]}]
        let manifest = store.json("manifest.json", limits)?;
        let image = manifest
            .as_array()
            .and_then(|images| images.first())
            .ok_or("manifest.json lists no image")?;
        let layers = image
            .get("Layers")
            .and_then(Value::as_array)
            .ok_or("manifest.json has no Layers list")?;
        return layers
            .iter()
            .map(|l| {
                l.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| "manifest.json: a layer is not a path".to_string())
            })
            .collect();
    }
    if !store.has("index.json") {
        return Err("neither manifest.json (docker save) nor index.json (OCI layout)".into());
    }
    let mut document = store.json("index.json", limits)?;
    // An index may point at another index (a multi-platform image): the first manifest wins.
    for _ in 0..8 {
        if let Some(layers) = document.get("layers").and_then(Value::as_array) {
            return layers
                .iter()
                .map(|l| blob_path(l).ok_or_else(|| "a layer has no usable digest".to_string()))
                .collect();
        }
        let first = document
            .get("manifests")
            .and_then(Value::as_array)
            .and_then(|m| m.first())
            .ok_or("the OCI index lists no manifest")?;
        let path = blob_path(first).ok_or("a manifest has no usable digest")?;
        document = store.json(&path, limits)?;
    }
    Err("OCI indexes nested too deep".into())
}

/// `{"digest": "sha256:<hex>"}` → `blobs/sha256/<hex>`.
fn blob_path(descriptor: &Value) -> Option<String> {
    let digest = descriptor.get("digest")?.as_str()?;
    let (algorithm, hex) = digest.split_once(':')?;
    let plain = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric());
    (plain(algorithm) && plain(hex)).then(|| format!("blobs/{algorithm}/{hex}"))
}

/// What the layers read so far (those above the current one) say about paths below them.
#[derive(Default)]
struct Above {
    /// Every path an upper layer has an entry at.
    entries: HashSet<u64>,
    /// Paths an upper layer put a non-folder at: nothing below can be inside them.
    non_folders: HashSet<u64>,
    /// Paths an upper layer deleted (`.wh.<name>`), with everything inside them.
    deleted: HashSet<u64>,
    /// Folders an upper layer made opaque (`.wh..wh..opq`).
    opaque: HashSet<u64>,
}

impl Above {
    fn hides(&self, path: &str) -> bool {
        if self.entries.contains(&hash(path)) || self.deleted.contains(&hash(path)) {
            return true;
        }
        if self.opaque.contains(&hash("")) {
            return true;
        }
        let mut end = 0;
        while let Some(slash) = path[end..].find('/') {
            let folder = hash(&path[..end + slash]);
            if self.deleted.contains(&folder)
                || self.opaque.contains(&folder)
                || self.non_folders.contains(&folder)
            {
                return true;
            }
            end += slash + 1;
        }
        false
    }

    fn absorb(&mut self, layer: Above) {
        self.entries.extend(layer.entries);
        self.non_folders.extend(layer.non_folders);
        self.deleted.extend(layer.deleted);
        self.opaque.extend(layer.opaque);
    }
}

fn hash(path: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    path.hash(&mut hasher);
    hasher.finish()
}

/// What the limits allow, shared by the layer loop and the stream under it.
struct Budget<'a> {
    entries: Cell<u64>,
    inflated: Cell<u64>,
    /// Set when a limit was passed; the stream then fails every read.
    exceeded: RefCell<Option<String>>,
    limits: &'a ImageLimits,
}

impl<'a> Budget<'a> {
    fn new(limits: &'a ImageLimits) -> Budget<'a> {
        Budget {
            entries: Cell::new(0),
            inflated: Cell::new(0),
            exceeded: RefCell::new(None),
            limits,
        }
    }

    fn exceed(&self, message: String) -> std::io::Error {
        let error = std::io::Error::other(message.clone());
        self.exceeded.borrow_mut().get_or_insert(message);
        error
    }
}

enum LayerError {
    /// A limit was reached: the image is not read further.
    Limit(String),
    /// This layer is damaged: the next one is read.
    Unreadable(String),
}

/// Counts inflated bytes against the image's limits.
struct Counted<'a, 'b, R> {
    inner: R,
    budget: &'a Budget<'b>,
    layer_inflated: u64,
    compressed: u64,
}

impl<R: Read> Read for Counted<'_, '_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if let Some(message) = self.budget.exceeded.borrow().as_ref() {
            return Err(std::io::Error::other(message.clone()));
        }
        let n = self.inner.read(buf)?;
        self.layer_inflated += n as u64;
        let inflated = self.budget.inflated.get() + n as u64;
        self.budget.inflated.set(inflated);
        let limits = self.budget.limits;
        if inflated > limits.max_inflated_bytes {
            return Err(self.budget.exceed(format!(
                "more than {} bytes inflated",
                limits.max_inflated_bytes
            )));
        }
        if self.layer_inflated > 64 << 20
            && self.layer_inflated / self.compressed.max(1) > limits.max_ratio
        {
            return Err(self.budget.exceed(format!(
                "it inflates more than {} times its size",
                limits.max_ratio
            )));
        }
        Ok(n)
    }
}

fn read_layer(
    (reader, compressed): (Box<dyn Read + '_>, u64),
    hidden: &dyn Fn(&str) -> bool,
    this_layer: &mut Above,
    budget: &Budget<'_>,
    visit: &mut dyn FnMut(&FinalFile, &mut dyn Read) -> ControlFlow<()>,
) -> Result<ControlFlow<()>, LayerError> {
    let mut buffered = BufReader::with_capacity(256 << 10, reader);
    let head = buffered
        .fill_buf()
        .map_err(|e| LayerError::Unreadable(e.to_string()))?;
    let stream: Box<dyn Read + '_> = match head {
        [0x1f, 0x8b, ..] => Box::new(flate2::bufread::MultiGzDecoder::new(buffered)),
        [0x28, 0xb5, 0x2f, 0xfd, ..] => Box::new(
            crate::scanner::zstd_decoder(buffered)
                .map_err(|e| LayerError::Unreadable(format!("not a readable zstd stream: {e}")))?,
        ),
        _ => Box::new(buffered),
    };
    let counted = Counted {
        inner: stream,
        budget,
        layer_inflated: 0,
        compressed,
    };
    let mut archive = tar::Archive::new(counted);
    let entries = archive
        .entries()
        .map_err(|e| LayerError::Unreadable(format!("not a tar: {e}")))?;
    let exceeded = || budget.exceeded.borrow().clone().map(LayerError::Limit);
    let mut last_parent = String::new();
    for entry in entries {
        let mut entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                return Err(exceeded()
                    .unwrap_or_else(|| LayerError::Unreadable(format!("not a readable tar: {e}"))))
            }
        };
        budget.entries.set(budget.entries.get() + 1);
        if budget.entries.get() > budget.limits.max_entries {
            return Err(LayerError::Limit(format!(
                "more than {} entries",
                budget.limits.max_entries
            )));
        }
        let Some(path) = clean_path(&entry.path_bytes()) else {
            continue; // `..` or an absolute escape: nothing an image can hold.
        };
        let kind = entry.header().entry_type();
        let name = path.rsplit('/').next().unwrap_or("");
        let parent = path.rsplit_once('/').map_or("", |(parent, _)| parent);
        if name == ".wh..wh..opq" {
            this_layer.opaque.insert(hash(parent));
            continue;
        }
        if let Some(deleted) = name.strip_prefix(".wh.") {
            let target = if parent.is_empty() {
                deleted.to_string()
            } else {
                format!("{parent}/{deleted}")
            };
            this_layer.deleted.insert(hash(&target));
            continue;
        }
        this_layer.entries.insert(hash(&path));
        // An entry's folders exist in this layer even without entries of their own: a file
        // below at one of those paths is replaced by the folder.
        if parent != last_parent {
            let mut end = 0;
            while let Some(slash) = path[end..].find('/') {
                this_layer.entries.insert(hash(&path[..end + slash]));
                end += slash + 1;
            }
            last_parent = parent.to_string();
        }
        if !kind.is_dir() {
            this_layer.non_folders.insert(hash(&path));
        }
        if !(kind.is_file() || kind == tar::EntryType::Continuous) || hidden(&path) {
            continue;
        }
        let file = FinalFile {
            size: entry.size(),
            mode: entry.header().mode().unwrap_or(0),
            path,
        };
        let flow = visit(&file, &mut entry);
        if let Some(error) = exceeded() {
            return Err(error);
        }
        if flow.is_break() {
            return Ok(ControlFlow::Break(()));
        }
    }
    match exceeded() {
        Some(error) => Err(error),
        None => Ok(ControlFlow::Continue(())),
    }
}

/// `./usr//lib/./x` → `usr/lib/x`; `None` for a path with `..` or no name.
fn clean_path(raw: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(raw);
    let mut parts = Vec::new();
    for part in text.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            part => parts.push(part),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io::Write;

    use super::*;

    pub enum Node<'a> {
        File(&'a str, &'a [u8], u32),
        Dir(&'a str),
        Symlink(&'a str, &'a str),
        Hardlink(&'a str, &'a str),
    }
    use Node::*;

    /// A layer tarball of these entries, in this order; names are written raw, so that the
    /// tests can hold hostile ones.
    pub fn layer(nodes: &[Node<'_>]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for node in nodes {
            let mut header = tar::Header::new_gnu();
            let (path, data, kind, mode, link): (&str, &[u8], _, u32, Option<&str>) = match node {
                File(path, data, mode) => (path, data, tar::EntryType::Regular, *mode, None),
                Dir(path) => (path, b"", tar::EntryType::Directory, 0o755, None),
                Symlink(path, to) => (path, b"", tar::EntryType::Symlink, 0o777, Some(to)),
                Hardlink(path, to) => (path, b"", tar::EntryType::Link, 0o644, Some(to)),
            };
            header.as_old_mut().name[..path.len()].copy_from_slice(path.as_bytes());
            header.set_entry_type(kind);
            header.set_mode(mode);
            header.set_size(data.len() as u64);
            if let Some(link) = link {
                header.set_link_name(link).unwrap();
            }
            header.set_cksum();
            builder.append(&header, data).unwrap();
        }
        builder.into_inner().unwrap()
    }

    pub fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    fn outer(files: &[(String, Vec<u8>)]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for (name, data) in files {
            let mut header = tar::Header::new_ustar();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            builder
                .append_data(&mut header, name, data.as_slice())
                .unwrap();
        }
        builder.into_inner().unwrap()
    }

    /// `docker save`: `<n>/layer.tar` and `manifest.json` at the end, as older Docker writes.
    pub fn docker_save(layers: &[Vec<u8>]) -> Vec<u8> {
        let mut files: Vec<(String, Vec<u8>)> = layers
            .iter()
            .enumerate()
            .map(|(i, l)| (format!("{i:064x}/layer.tar"), l.clone()))
            .collect();
        let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
        files.push((
            "manifest.json".into(),
            serde_json::to_vec(&serde_json::json!([
                {"Config": "config.json", "RepoTags": ["app:1"], "Layers": names}
            ]))
            .unwrap(),
        ));
        outer(&files)
    }

    /// An OCI layout: `index.json` → an index → a manifest → the layer blobs.
    pub fn oci_layout(layers: &[Vec<u8>]) -> Vec<(String, Vec<u8>)> {
        let digest = |n: usize| format!("sha256:{n:064x}");
        let blob = |n: usize| format!("blobs/sha256/{n:064x}");
        let mut files = vec![(
            "oci-layout".to_string(),
            br#"{"imageLayoutVersion": "1.0.0"}"#.to_vec(),
        )];
        let descriptors: Vec<Value> = (0..layers.len())
            .map(|i| serde_json::json!({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": digest(100 + i)}))
            .collect();
        for (i, layer) in layers.iter().enumerate() {
            files.push((blob(100 + i), layer.clone()));
        }
        files.push((
            blob(2),
            serde_json::to_vec(&serde_json::json!({"schemaVersion": 2, "layers": descriptors}))
                .unwrap(),
        ));
        files.push((
            blob(1),
            serde_json::to_vec(&serde_json::json!({"manifests": [{"digest": digest(2), "platform": {"os": "linux"}}]}))
                .unwrap(),
        ));
        files.push((
            "index.json".into(),
            serde_json::to_vec(&serde_json::json!({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.index.v1+json", "digest": digest(1)}]}))
                .unwrap(),
        ));
        files
    }

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn final_files(image: &Path, limits: &ImageLimits) -> (Vec<(String, String)>, ImageSummary) {
        let mut files = Vec::new();
        let summary = for_each_final_file(image, limits, &mut |file, reader| {
            let mut text = String::new();
            reader.read_to_string(&mut text).unwrap();
            assert_eq!(text.len() as u64, file.size);
            files.push((file.path.clone(), text));
            ControlFlow::Continue(())
        })
        .unwrap();
        files.sort();
        (files, summary)
    }

    fn layers_with_whiteouts() -> Vec<Vec<u8>> {
        vec![
            layer(&[
                Dir("etc/"),
                Symlink("etc/os-release", "../usr/lib/os-release"),
                File(
                    "usr/lib/os-release",
                    b"ID=debian\nVERSION_ID=\"12\"\n",
                    0o644,
                ),
                File("a/keep.txt", b"keep", 0o644),
                File("./a/gone.txt", b"gone", 0o644),
                File("b/dir/old.txt", b"old", 0o644),
                File("b/dir/sub/deep.txt", b"deep", 0o644),
                File("b/sibling.txt", b"sibling", 0o644),
                File("c", b"c was a file", 0o644),
                File("d/x.txt", b"under a folder that becomes a link", 0o644),
                File("same/f.txt", b"v1", 0o644),
                File(
                    "/abs/path.txt",
                    b"absolute names are relative to the root",
                    0o644,
                ),
                File("../../escape.txt", b"never", 0o644),
            ]),
            layer(&[
                File("a/.wh.gone.txt", b"", 0o644),
                File("b/dir/.wh..wh..opq", b"", 0o644),
                File("b/dir/new.txt", b"new", 0o644),
                File("c/inner.txt", b"c is a folder now", 0o644),
                Symlink("d", "/elsewhere"),
                File("same/f.txt", b"v2", 0o644),
                File("e/.wh.never-existed", b"", 0o644),
                // A whiteout does not hide a file of its own layer.
                File("f/.wh.g.txt", b"", 0o644),
                File("f/g.txt", b"g", 0o644),
            ]),
            layer(&[
                File("a/gone.txt", b"back", 0o644),
                Hardlink("h.txt", "same/f.txt"),
            ]),
        ]
    }

    fn expected_files() -> Vec<(String, String)> {
        [
            ("a/gone.txt", "back"),
            ("a/keep.txt", "keep"),
            ("abs/path.txt", "absolute names are relative to the root"),
            ("b/dir/new.txt", "new"),
            ("b/sibling.txt", "sibling"),
            ("c/inner.txt", "c is a folder now"),
            ("f/g.txt", "g"),
            ("same/f.txt", "v2"),
            ("usr/lib/os-release", "ID=debian\nVERSION_ID=\"12\"\n"),
        ]
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .to_vec()
    }

    #[test]
    fn docker_save_layers_apply_in_order_with_whiteouts_and_opaque_folders() {
        let dir = tempfile::tempdir().unwrap();
        let image = write(
            dir.path(),
            "app.tar",
            &docker_save(&layers_with_whiteouts()),
        );
        assert!(is_image(&image));
        let (files, summary) = final_files(&image, &ImageLimits::default());
        assert_eq!(files, expected_files());
        assert_eq!(summary.layers, 3);
        assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);
        let distro = summary.distro.unwrap();
        assert_eq!(distro.release().as_deref(), Some("12"));
    }

    #[test]
    fn oci_layouts_with_gzip_layers_as_a_tarball_and_as_a_folder() {
        let layers: Vec<Vec<u8>> = layers_with_whiteouts().iter().map(|l| gzip(l)).collect();
        let files = oci_layout(&layers);
        let dir = tempfile::tempdir().unwrap();
        let tarball = write(dir.path(), "oci.tar", &outer(&files));
        let folder = dir.path().join("layout");
        for (name, bytes) in &files {
            let path = folder.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        for image in [tarball, folder] {
            assert!(is_image(&image), "{image:?}");
            let (found, summary) = final_files(&image, &ImageLimits::default());
            assert_eq!(found, expected_files(), "{image:?}");
            assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);
        }
    }

    #[test]
    fn oci_layers_compressed_with_zstd_are_read_like_gzip_ones() {
        // Images may mix the two: the first layer gzip, the others zstd, as their media
        // types say.
        let layers: Vec<Vec<u8>> = layers_with_whiteouts()
            .iter()
            .enumerate()
            .map(|(i, l)| {
                if i == 0 {
                    gzip(l)
                } else {
                    zstd::encode_all(&l[..], 3).unwrap()
                }
            })
            .collect();
        let mut files = oci_layout(&layers);
        let manifest = files
            .iter_mut()
            .find(|(name, _)| name.ends_with(&format!("{:064x}", 2)))
            .unwrap();
        let text = String::from_utf8(manifest.1.clone()).unwrap();
        let zstd_types = text.replacen("tar+gzip", "tar+zstd", usize::MAX);
        let first_back = zstd_types.replacen("tar+zstd", "tar+gzip", 1);
        manifest.1 = first_back.into_bytes();
        let dir = tempfile::tempdir().unwrap();
        let image = write(dir.path(), "oci-zstd.tar", &outer(&files));
        let (found, summary) = final_files(&image, &ImageLimits::default());
        assert_eq!(found, expected_files());
        assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);
    }

    #[test]
    fn gzip_compressed_image_tarballs_are_read_in_their_stored_order() {
        let dir = tempfile::tempdir().unwrap();
        // Layers stored in another order than the manifest applies them.
        let mut layers: Vec<(String, Vec<u8>)> = layers_with_whiteouts()
            .into_iter()
            .enumerate()
            .map(|(i, l)| (format!("{i:064x}/layer.tar"), l))
            .collect();
        let names: Vec<String> = layers.iter().map(|(n, _)| n.clone()).collect();
        layers.swap(0, 2);
        layers.insert(0, (format!("{:064x}/VERSION", 0), b"1.0".to_vec()));
        layers.push((
            "manifest.json".into(),
            serde_json::to_vec(&serde_json::json!([{"Layers": names}])).unwrap(),
        ));
        let docker = write(dir.path(), "app.tar.gz", &gzip(&outer(&layers)));
        let oci_files = oci_layout(
            &layers_with_whiteouts()
                .iter()
                .map(|l| gzip(l))
                .collect::<Vec<_>>(),
        );
        let oci = write(dir.path(), "oci.tar.gz", &gzip(&outer(&oci_files)));
        for image in [docker, oci] {
            assert!(is_image(&image), "{image:?}");
            let (files, summary) = final_files(&image, &ImageLimits::default());
            assert_eq!(files, expected_files(), "{image:?}");
            assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);
            assert_eq!(summary.distro.unwrap().id, "debian");
        }
        let source = write(
            dir.path(),
            "source.tar.gz",
            &gzip(&layer(&[File("project/README", b"hi", 0o644)])),
        );
        assert!(!is_image(&source));
        // A compressed image whose manifest names a layer it does not hold.
        let mut missing = layers_with_whiteouts();
        missing.truncate(1);
        let mut files: Vec<(String, Vec<u8>)> =
            vec![(format!("{:064x}/layer.tar", 0), missing.remove(0))];
        files.push((
            "manifest.json".into(),
            serde_json::to_vec(&serde_json::json!([{"Layers": [format!("{:064x}/layer.tar", 0), "gone/layer.tar"]}]))
                .unwrap(),
        ));
        let image = write(dir.path(), "missing.tar.gz", &gzip(&outer(&files)));
        let (found, summary) = final_files(&image, &ImageLimits::default());
        assert_eq!(found.len(), 10);
        assert_eq!(
            summary.warnings,
            ["layer 2 (gone/layer.tar): not in the image; its files are missing"]
        );
    }

    #[test]
    fn an_oci_folder_found_in_a_walk_is_scanned_as_an_image_with_its_node_modules() {
        let dir = tempfile::tempdir().unwrap();
        let layers = [
            gzip(&layer(&[
                File(
                    "srv/app/node_modules/left-pad/package.json",
                    br#"{"name": "left-pad", "version": "1.3.0"}"#,
                    0o644,
                ),
                File(
                    "srv/app/node_modules/gone/package.json",
                    br#"{"name": "gone", "version": "1.0.0"}"#,
                    0o644,
                ),
            ])),
            gzip(&layer(&[File("srv/app/node_modules/.wh.gone", b"", 0o644)])),
        ];
        let folder = dir.path().join("images/app-layout");
        for (name, bytes) in oci_layout(&layers) {
            let path = folder.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        let inventory = crate::scan_paths(&[dir.path().join("images")], &ScanLimits::default());
        let found: Vec<(String, String)> = inventory
            .components
            .iter()
            .map(|c| (c.purl(), c.evidence[0].0.clone()))
            .collect();
        assert_eq!(
            found,
            [(
                "pkg:npm/left-pad@1.3.0".to_string(),
                format!(
                    "{}!/srv/app/node_modules/left-pad/package.json",
                    folder.display()
                )
            )]
        );
        assert!(inventory.warnings.is_empty(), "{:?}", inventory.warnings);
    }

    #[test]
    fn a_plain_tarball_is_not_an_image() {
        let dir = tempfile::tempdir().unwrap();
        let plain = write(
            dir.path(),
            "plain.tar",
            &layer(&[File("a.txt", b"a", 0o644)]),
        );
        assert!(!is_image(&plain));
        let junk = write(dir.path(), "junk.tar", b"not a tar at all");
        assert!(!is_image(&junk));
        let err = for_each_final_file(&plain, &ImageLimits::default(), &mut |_, _| {
            ControlFlow::Continue(())
        })
        .unwrap_err();
        assert!(err.contains("neither manifest.json"), "{err}");
    }

    #[test]
    fn damaged_layers_are_warnings_and_the_other_layers_are_still_read() {
        let good = layer(&[File("ok.txt", b"ok", 0o644)]);
        let zstd = b"\x28\xb5\x2f\xfd rest of a zstd frame".to_vec();
        let truncated_gzip = {
            let g = gzip(&layer(&[File("cut.txt", &[b'x'; 4000], 0o644)]));
            g[..g.len() / 2].to_vec()
        };
        let garbage = vec![0x42u8; 2000];
        let dir = tempfile::tempdir().unwrap();
        let image = write(
            dir.path(),
            "damaged.tar",
            &docker_save(&[good, zstd, truncated_gzip, garbage]),
        );
        let (files, summary) = final_files(&image, &ImageLimits::default());
        assert_eq!(files, [("ok.txt".to_string(), "ok".to_string())]);
        assert_eq!(summary.warnings.len(), 3, "{:?}", summary.warnings);
        assert!(
            summary.warnings[0].starts_with("layer 4 ("),
            "{:?}",
            summary.warnings
        );
        assert!(summary.warnings[1].contains("the rest of this layer was not read"));
        // The damaged zstd layer is decoded until its damage, and says so.
        assert!(
            summary.warnings[2].starts_with("layer 2 (")
                && summary.warnings[2].contains("corruption"),
            "{:?}",
            summary.warnings
        );

        // A manifest naming a blob that is not there, and one that is not JSON.
        let mut files = oci_layout(&[gzip(&layer(&[File("x", b"x", 0o644)]))]);
        files.retain(|(name, _)| !name.ends_with(&format!("{:064x}", 100)));
        let image = write(dir.path(), "missing.tar", &outer(&files));
        let (found, summary) = final_files(&image, &ImageLimits::default());
        assert!(found.is_empty());
        assert!(
            summary.warnings[0].contains("is not in the image"),
            "{:?}",
            summary.warnings
        );
        let image = write(
            dir.path(),
            "bad-manifest.tar",
            &outer(&[("manifest.json".into(), b"[{\"Layers\": ".to_vec())]),
        );
        let err = for_each_final_file(&image, &ImageLimits::default(), &mut |_, _| {
            ControlFlow::Continue(())
        })
        .unwrap_err();
        assert!(err.contains("not valid JSON"), "{err}");
    }

    #[test]
    fn limits_stop_bombs_and_floods_of_entries() {
        // 100 MiB of zeros gzip to about 100 KiB: past 64 MiB the ratio limit stops it.
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let mut builder = tar::Builder::new(&mut encoder);
        let mut header = tar::Header::new_gnu();
        header.set_size(100 << 20);
        header.set_mode(0o755);
        header.set_cksum();
        builder
            .append_data(&mut header, "bomb.bin", std::io::repeat(0).take(100 << 20))
            .unwrap();
        builder.finish().unwrap();
        drop(builder);
        let bomb = encoder.finish().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let image = write(dir.path(), "bomb.tar", &docker_save(&[bomb]));
        let mut read = 0u64;
        let summary = for_each_final_file(&image, &ImageLimits::default(), &mut |_, reader| {
            read += std::io::copy(reader, &mut std::io::sink()).unwrap_or(0);
            ControlFlow::Continue(())
        })
        .unwrap();
        assert!(read < 100 << 20);
        assert_eq!(summary.warnings.len(), 1, "{:?}", summary.warnings);
        assert!(summary.warnings[0].contains("inflates more than 200 times"));

        let many: Vec<String> = (0..50).map(|i| format!("f{i}")).collect();
        let nodes: Vec<Node<'_>> = many.iter().map(|n| File(n, b"", 0o644)).collect();
        let image = write(dir.path(), "many.tar", &docker_save(&[layer(&nodes)]));
        let limits = ImageLimits {
            max_entries: 10,
            ..ImageLimits::default()
        };
        let (files, summary) = final_files(&image, &limits);
        assert_eq!(files.len(), 10);
        assert!(summary.warnings[0].contains("more than 10 entries"));
    }

    #[test]
    fn the_visitor_can_stop_the_walk() {
        let dir = tempfile::tempdir().unwrap();
        let image = write(
            dir.path(),
            "app.tar",
            &docker_save(&layers_with_whiteouts()),
        );
        let mut seen = 0;
        let summary = for_each_final_file(&image, &ImageLimits::default(), &mut |_, _| {
            seen += 1;
            ControlFlow::Break(())
        })
        .unwrap();
        assert_eq!(seen, 1);
        assert!(summary.stopped);
    }

    #[test]
    fn an_image_scan_reads_os_packages_lockfiles_and_programs_with_evidence_inside_the_image() {
        let go = {
            let mut blob = b"\xff Go buildinf:\x08\x02".to_vec();
            blob.resize(32, 0);
            let modinfo = [
                &b"0w\xaf\x0c\x92t\x08\x02A\xe1\xc1\x07\xe6\xd6\x18\xe6"[..],
                b"path\texample.com/tool\nmod\texample.com/tool\tv1.4.0\th1:x=\ndep\tgolang.org/x/text\tv0.3.7\th1:y=\n",
                b"\xf92C1\x86\x18 r\x00\x82B\x10A\x16\xd8\xf2",
            ]
            .concat();
            blob.push(8);
            blob.extend(b"go1.21.3");
            blob.push(modinfo.len() as u8);
            blob.extend(modinfo);
            crate::extractors::test_elf::executable(0x40_0000, &blob)
        };
        let status = "Package: libssl3\nStatus: install ok installed\nSource: openssl\nVersion: 3.0.2-0ubuntu1.15\nMaintainer: Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>\n\nPackage: zlib1g\nStatus: install ok installed\nSource: zlib (1:1.2.11.dfsg-2ubuntu9.2)\nVersion: 1:1.2.11.dfsg-2ubuntu9.2\n";
        let layers = [
            layer(&[
                File("etc/os-release", b"ID=debian\nVERSION_ID=12\n", 0o644),
                File("var/lib/dpkg/status", b"Package: gone\nVersion: 1\n", 0o644),
                File("srv/app/requirements.txt", b"django==2.2\n", 0o644),
            ]),
            layer(&[
                // An Ubuntu base under a Debian label: os-release decides, not the guess.
                File(
                    "etc/os-release",
                    b"ID=ubuntu\nVERSION_ID=\"22.04\"\n",
                    0o644,
                ),
                File("var/lib/dpkg/status", status.as_bytes(), 0o644),
                File("usr/local/bin/tool", &go, 0o755),
                File("usr/local/bin/tool.not-executable", &go, 0o644),
                File("srv/app/.wh.requirements.txt", b"", 0o644),
            ]),
        ];
        let dir = tempfile::tempdir().unwrap();
        let image = write(
            dir.path(),
            "app.tar",
            &docker_save(&layers.map(|l| gzip(&l))),
        );
        let inventory = crate::scan_paths(std::slice::from_ref(&image), &ScanLimits::default());
        let found: Vec<(String, Vec<String>)> = inventory
            .components
            .iter()
            .map(|c| {
                let evidence = c.evidence.iter().map(|e| {
                    e.0.strip_prefix(&format!("{}!/", image.display()))
                        .unwrap()
                        .to_string()
                });
                (c.purl(), evidence.collect())
            })
            .collect();
        // A program is recognised by its content, whatever its mode, as in any archive.
        let tool = vec![
            "usr/local/bin/tool".to_string(),
            "usr/local/bin/tool.not-executable".to_string(),
        ];
        let status = vec!["var/lib/dpkg/status".to_string()];
        assert_eq!(
            found,
            [
                (
                    "pkg:deb/ubuntu/openssl@3.0.2-0ubuntu1.15?distro=ubuntu-22.04".to_string(),
                    status.clone()
                ),
                (
                    "pkg:deb/ubuntu/zlib@1:1.2.11.dfsg-2ubuntu9.2?distro=ubuntu-22.04".to_string(),
                    status
                ),
                (
                    "pkg:golang/example.com/tool@v1.4.0".to_string(),
                    tool.clone()
                ),
                (
                    "pkg:golang/golang.org/x/text@v0.3.7".to_string(),
                    tool.clone()
                ),
                ("pkg:golang/stdlib@1.21.3".to_string(), tool),
            ]
        );
        assert!(inventory.warnings.is_empty(), "{:?}", inventory.warnings);
    }
}

#[cfg(test)]
mod distro_tests {
    use super::tests::{docker_save, layer, Node::File};
    use super::*;

    fn scan(layers: &[Vec<u8>]) -> (Vec<String>, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        let image = dir.path().join("alpine.tar");
        std::fs::write(&image, docker_save(layers)).unwrap();
        let inventory = crate::scan_paths(std::slice::from_ref(&image), &ScanLimits::default());
        (
            inventory.components.iter().map(|c| c.purl()).collect(),
            inventory
                .warnings
                .iter()
                .map(|w| w.message.clone())
                .collect(),
        )
    }

    const APK: &[u8] =
        b"P:musl\nV:1.2.4_git20230717-r4\no:musl\nL:MIT\n\nP:libcrypto3\nV:3.1.4-r5\no:openssl\n";

    #[test]
    fn alpine_packages_take_the_release_of_the_images_os_release() {
        let (purls, warnings) = scan(&[layer(&[
            File("etc/alpine-release", b"3.19.1\n", 0o644),
            File(
                "etc/os-release",
                b"NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\n",
                0o644,
            ),
            File("lib/apk/db/installed", APK, 0o644),
        ])]);
        assert_eq!(
            purls,
            [
                "pkg:apk/alpine/musl@1.2.4_git20230717-r4?distro=alpine-3.19",
                "pkg:apk/alpine/openssl@3.1.4-r5?distro=alpine-3.19",
            ]
        );
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn an_image_without_os_release_says_the_release_is_unknown() {
        let (purls, warnings) = scan(&[layer(&[File("lib/apk/db/installed", APK, 0o644)])]);
        assert_eq!(
            purls,
            [
                "pkg:apk/alpine/musl@1.2.4_git20230717-r4",
                "pkg:apk/alpine/openssl@3.1.4-r5",
            ]
        );
        assert_eq!(
            warnings,
            ["it has no os-release: the release of its Alpine packages is unknown"]
        );
    }
}
