//! `make bench`: component look-ups per second against an imported advisory store.
//!
//! Usage: `match_bench DATA_DIR PURLS_FILE ROUNDS`. The purls are parsed first (not timed);
//! then every package is looked up ROUNDS times with one matcher, as a daily monitoring run
//! looks up the components of every application. The first round is reported apart: it pays
//! for loading each known package's advisories from SQLite once.

use std::{path::PathBuf, time::Instant};

use vigil_engine::Engine;
use vigil_model::PackageRef;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, data_dir, purls, rounds] = args.as_slice() else {
        return Err("usage: match_bench DATA_DIR PURLS_FILE ROUNDS".into());
    };
    let rounds: usize = rounds.parse()?;
    let packages: Vec<PackageRef> = std::fs::read_to_string(purls)?
        .lines()
        .filter_map(|line| PackageRef::parse_purl(line).ok())
        .collect();
    let engine = Engine::open(&PathBuf::from(data_dir))?;
    let (first, rest, affected) =
        engine.with_matcher(|matcher| -> Result<_, vigil_engine::EngineError> {
            let start = Instant::now();
            let mut affected = 0usize;
            for package in &packages {
                affected += usize::from(!matcher.advisories_for(package)?.advisories.is_empty());
            }
            let first = start.elapsed();
            let start = Instant::now();
            for _ in 1..rounds {
                for package in &packages {
                    std::hint::black_box(matcher.advisories_for(package)?);
                }
            }
            Ok((first, start.elapsed(), affected))
        })??;
    let per_second = |n: usize, d: std::time::Duration| n as f64 / d.as_secs_f64().max(1e-9);
    println!(
        "first round: {} look-ups in {:.3} s ({:.0}/s); {} more rounds: {:.0}/s; {} of {} packages affected",
        packages.len(),
        first.as_secs_f64(),
        per_second(packages.len(), first),
        rounds - 1,
        per_second(packages.len() * (rounds - 1), rest),
        affected,
        packages.len()
    );
    Ok(())
}
