//! `make bench`'s baseline for importing: inflate every record of OSV dumps and parse it into
//! the OSV model, nothing else. Usage: `inflate_parse DUMP.zip...`.

use std::path::Path;

use vigil_advisories::{read_source, SourceLimits};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (mut records, mut errors) = (0u64, 0u64);
    for path in std::env::args().skip(1) {
        read_source(
            Path::new(&path),
            &SourceLimits::default(),
            &mut |item| match item.result {
                Ok(record) => {
                    records += 1;
                    std::hint::black_box(record);
                }
                Err(_) => errors += 1,
            },
        )?;
    }
    println!("{records} records parsed, {errors} unreadable");
    Ok(())
}
