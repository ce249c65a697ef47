//! Small programs built by the tests: what the binary extractors read, without a toolchain.

use object::write::Object;
use object::{Architecture, BinaryFormat, Endianness, SectionKind};

/// A relocatable ELF with these named data sections (how `.dep-v0` and `.go.buildinfo` look
/// to a reader that goes by section name).
pub fn elf_with_sections(sections: &[(&str, &[u8])]) -> Vec<u8> {
    let mut object = Object::new(BinaryFormat::Elf, Architecture::X86_64, Endianness::Little);
    for (name, data) in sections {
        let id = object.add_section(Vec::new(), name.as_bytes().to_vec(), SectionKind::Data);
        object.set_section_data(id, data.to_vec(), 1);
    }
    object.write().unwrap()
}

/// An ELF executable with no section headers and one writable segment holding `data` at
/// virtual address `address`: what a stripped program offers a reader that needs addresses.
pub fn executable(address: u64, data: &[u8]) -> Vec<u8> {
    const DATA_OFFSET: u64 = 128;
    let mut elf = b"\x7fELF\x02\x01\x01\x00".to_vec();
    elf.resize(16, 0);
    elf.extend(2u16.to_le_bytes()); // ET_EXEC
    elf.extend(62u16.to_le_bytes()); // x86-64
    elf.extend(1u32.to_le_bytes());
    elf.extend(address.to_le_bytes()); // entry
    elf.extend(64u64.to_le_bytes()); // program headers right after this header
    elf.extend(0u64.to_le_bytes()); // no section headers
    elf.extend(0u32.to_le_bytes());
    for half in [64u16, 56, 1, 64, 0, 0] {
        elf.extend(half.to_le_bytes());
    }
    elf.extend(1u32.to_le_bytes()); // PT_LOAD
    elf.extend(6u32.to_le_bytes()); // PF_R | PF_W
    for word in [
        DATA_OFFSET,
        address,
        address,
        data.len() as u64,
        data.len() as u64,
        16,
    ] {
        elf.extend(word.to_le_bytes());
    }
    elf.resize(DATA_OFFSET as usize, 0);
    elf.extend(data);
    elf
}

/// A universal (fat) Mach-O holding one x86-64 slice with these `__DATA` sections.
pub fn universal_macho(sections: &[(&str, &[u8])]) -> Vec<u8> {
    let mut object = Object::new(
        BinaryFormat::MachO,
        Architecture::X86_64,
        Endianness::Little,
    );
    for (name, data) in sections {
        let id = object.add_section(
            b"__DATA".to_vec(),
            name.as_bytes().to_vec(),
            SectionKind::Data,
        );
        object.set_section_data(id, data.to_vec(), 1);
    }
    let slice = object.write().unwrap();
    const OFFSET: u32 = 4096;
    let mut fat = Vec::new();
    for word in [
        0xcafe_babe_u32,
        1,
        0x0100_0007,
        3,
        OFFSET,
        slice.len() as u32,
        12,
    ] {
        fat.extend(word.to_be_bytes());
    }
    fat.resize(OFFSET as usize, 0);
    fat.extend(slice);
    fat
}
