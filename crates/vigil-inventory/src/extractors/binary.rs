//! Programs (ELF, PE, Mach-O, universal Mach-O) that say what they were built from: the Go
//! build info every Go module build embeds ([`go_buildinfo`](super::go_buildinfo)), and the
//! dependency list `cargo auditable` embeds in Rust programs
//! ([`cargo_auditable`](super::cargo_auditable)).
//!
//! One extractor reads both because the scanner hands a file to the first extractor whose
//! [`Extractor::wants_content`] says yes, and both formats live in the same kinds of files.
//! A program with neither is not an error: folders hold many programs that say nothing
//! (`/usr/bin/ls`), and a warning for each would drown the real ones.

use std::path::Path;

use object::{
    read::macho::{FatArch, MachOFatFile32, MachOFatFile64},
    FileKind, Object, ObjectSection, ObjectSegment,
};

use super::{cargo_auditable, go_buildinfo, ExtractOutput, Extractor, FileInput};

pub struct Binaries;

impl Extractor for Binaries {
    fn name(&self) -> &'static str {
        "binary"
    }

    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, _path: &Path) -> bool {
        false
    }

    fn wants_content(&self, head: &[u8]) -> bool {
        is_program(head)
    }

    fn extract(&self, input: &FileInput<'_>) -> Result<ExtractOutput, String> {
        let evidence = vigil_model::Evidence(input.path.display().to_string());
        let mut out = ExtractOutput::default();
        let images = match images(input.bytes) {
            Ok(images) => images,
            Err(e) => {
                // Not a program object can parse (truncated, or only the magic matched). Go
                // build info in its 1.18+ form needs no addresses: look for it all the same.
                go_buildinfo::read(&Image::unparsed(input.bytes), &evidence, &mut out);
                if out.components.is_empty() && out.warnings.is_empty() {
                    return Err(format!("not a readable program: {e}"));
                }
                return Ok(out);
            }
        };
        for image in &images {
            go_buildinfo::read(image, &evidence, &mut out);
            cargo_auditable::read(image, &evidence, &mut out);
        }
        // The slices of a universal binary usually list the same modules.
        out.components.sort_by_key(|c| c.purl());
        out.components.dedup_by(|a, b| a.purl() == b.purl());
        out.warnings.dedup();
        Ok(out)
    }
}

/// ELF, PE (`MZ`), Mach-O 32/64 in either byte order, and universal (fat) Mach-O. `0xcafebabe`
/// is also a Java class file's magic; a universal binary has a small architecture count where
/// a class file has its version (45 and up), so counts under 20 are taken as fat.
pub fn is_program(head: &[u8]) -> bool {
    match head {
        [0x7f, b'E', b'L', b'F', ..] | [b'M', b'Z', ..] => true,
        [0xfe, 0xed, 0xfa, 0xce | 0xcf, ..] | [0xce | 0xcf, 0xfa, 0xed, 0xfe, ..] => true,
        [0xca, 0xfe, 0xba, 0xbe | 0xbf, a, b, c, d, ..] => {
            u32::from_be_bytes([*a, *b, *c, *d]) < 20
        }
        _ => false,
    }
}

/// One program image: a whole ELF/PE/Mach-O file, or one slice of a universal binary.
pub struct Image<'a> {
    /// The bytes of this image (the slice, for a universal binary).
    pub bytes: &'a [u8],
    pub file: Option<object::File<'a>>,
}

impl<'a> Image<'a> {
    fn unparsed(bytes: &'a [u8]) -> Image<'a> {
        Image { bytes, file: None }
    }

    /// The contents of the first section with this name, as far as the file holds them.
    pub fn section(&self, names: &[&str]) -> Option<(u64, &'a [u8])> {
        let file = self.file.as_ref()?;
        file.sections()
            .find(|s| s.name().is_ok_and(|n| names.contains(&n)))
            .and_then(|s| Some((s.address(), s.data().ok()?)))
    }

    /// The file's bytes at a virtual address, up to `len` of them (fewer where the segment
    /// ends in the file).
    pub fn read_at(&self, address: u64, len: u64) -> Option<&'a [u8]> {
        let file = self.file.as_ref()?;
        for segment in file.segments() {
            let (offset, size) = segment.file_range();
            let start = segment.address();
            if address >= start && address - start < size {
                let from = offset.checked_add(address - start)?;
                let to = from.saturating_add(len.min(size - (address - start)));
                return self
                    .bytes
                    .get(usize::try_from(from).ok()?..usize::try_from(to).ok()?);
            }
        }
        None
    }

    /// Where Go's `debug/buildinfo` starts looking (its `DataStart`): the build-info section
    /// where the linker made one, else the first writable data segment.
    pub fn data_start(&self) -> Option<u64> {
        if let Some((address, _)) = self.section(&[".go.buildinfo", "__go_buildinfo"]) {
            return Some(address);
        }
        let file = self.file.as_ref()?;
        match file.kind() {
            object::ObjectKind::Executable | object::ObjectKind::Dynamic => {}
            // Objects and core dumps are not programs; the enum is non-exhaustive.
            object::ObjectKind::Unknown
            | object::ObjectKind::Relocatable
            | object::ObjectKind::Core
            | _ => return None,
        }
        for segment in file.segments() {
            let writable_data = match segment.flags() {
                object::SegmentFlags::Elf { p_type, p_flags } => {
                    const PT_LOAD: u32 = 1;
                    const PF_X: u32 = 1;
                    const PF_W: u32 = 2;
                    p_type.0 == PT_LOAD && p_flags.0 & (PF_X | PF_W) == PF_W
                }
                object::SegmentFlags::MachO {
                    maxprot, initprot, ..
                } => segment.address() != 0 && maxprot.0 == 3 && initprot.0 == 3,
                object::SegmentFlags::Coff { characteristics } => {
                    // IMAGE_SCN_CNT_INITIALIZED_DATA | MEM_READ | MEM_WRITE, any alignment.
                    characteristics.0 & !0x00f0_0000 == 0xc000_0040
                }
                object::SegmentFlags::None | _ => false,
            };
            if writable_data && segment.file_range().1 > 0 {
                return Some(segment.address());
            }
        }
        None
    }
}

pub(crate) fn images(bytes: &[u8]) -> Result<Vec<Image<'_>>, String> {
    let kind = FileKind::parse(bytes).map_err(|e| e.to_string())?;
    let slices: Vec<&[u8]> = match kind {
        FileKind::MachOFat32 => MachOFatFile32::parse(bytes)
            .map_err(|e| e.to_string())?
            .arches()
            .iter()
            .filter_map(|arch| arch.data(bytes).ok())
            .collect(),
        FileKind::MachOFat64 => MachOFatFile64::parse(bytes)
            .map_err(|e| e.to_string())?
            .arches()
            .iter()
            .filter_map(|arch| arch.data(bytes).ok())
            .collect(),
        // Every other kind is one image, or not one `object::File` reads (an error below).
        FileKind::Coff
        | FileKind::CoffBig
        | FileKind::CoffImport
        | FileKind::DyldCache
        | FileKind::Elf32
        | FileKind::Elf64
        | FileKind::MachO32
        | FileKind::MachO64
        | FileKind::Pe32
        | FileKind::Pe64
        | _ => vec![bytes],
    };
    let mut images = Vec::new();
    let mut last_error = String::from("a universal binary with no readable slice");
    for slice in slices {
        match object::File::parse(slice) {
            Ok(file) => images.push(Image {
                bytes: slice,
                file: Some(file),
            }),
            Err(e) => last_error = e.to_string(),
        }
    }
    if images.is_empty() {
        return Err(last_error);
    }
    Ok(images)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::test_support;

    #[test]
    fn program_magics_are_recognised_and_class_files_are_not() {
        for head in [
            &b"\x7fELF\x02\x01"[..],
            b"MZ\x90\x00",
            b"\xcf\xfa\xed\xfe\x07",
            b"\xfe\xed\xfa\xce",
            b"\xca\xfe\xba\xbe\x00\x00\x00\x02",
            b"\xca\xfe\xba\xbf\x00\x00\x00\x02",
        ] {
            assert!(is_program(head), "{head:?}");
        }
        // A Java 8 class file: 0xcafebabe, minor 0, major 52.
        for head in [
            &b"\xca\xfe\xba\xbe\x00\x00\x00\x34"[..],
            b"\x7fEL",
            b"PK\x03\x04",
            b"",
        ] {
            assert!(!is_program(head), "{head:?}");
        }
    }

    #[test]
    fn a_program_that_says_nothing_gives_nothing_and_garbage_with_a_magic_is_an_error() {
        let elf = crate::extractors::test_elf::elf_with_sections(&[]);
        let out = test_support::extract_bytes(&Binaries, "ls", &elf).unwrap();
        assert!(out.components.is_empty() && out.warnings.is_empty());
        let err =
            test_support::extract_bytes(&Binaries, "x.exe", b"MZ this is no program").unwrap_err();
        assert!(err.contains("not a readable program"), "{err}");
    }
}
