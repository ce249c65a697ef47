//! `vigil policy export|import`: policies as code.

use std::{io::Write, path::PathBuf, process::ExitCode};

use anyhow::{Context, Result};
use clap::Subcommand;
use vigil_engine::Engine;

use crate::write_file;

#[derive(Subcommand)]
pub enum PolicyCommand {
    /// Print every policy and the license threat groups as YAML (the format `import` reads).
    Export {
        /// Write to FILE instead of standard output.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Replace the policies (and the license groups, when the file has them) with a YAML
    /// file's. Nothing changes unless the whole file is valid; errors name the line.
    Import {
        /// The policies file; `-` reads standard input.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Add the licenses of an SPDX license list (`licenses.json` from spdx/license-list-data)
    /// to the license threat groups; licenses already grouped keep their group.
    LicenseList {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

pub fn run(engine: &Engine, command: PolicyCommand, out: &mut impl Write) -> Result<ExitCode> {
    match command {
        PolicyCommand::LicenseList { file } => {
            let source = file.display().to_string();
            let text =
                std::fs::read_to_string(&file).with_context(|| format!("cannot read {source}"))?;
            let added = engine.import_license_list(&text, &source)?;
            writeln!(out, "{source}: {added} licenses added to the threat groups")?;
        }
        PolicyCommand::Export { output } => {
            let yaml = engine.export_policies()?;
            match output {
                Some(file) => write_file(&file, yaml.as_bytes())?,
                None => out.write_all(yaml.as_bytes())?,
            }
        }
        PolicyCommand::Import { file } => {
            let (text, source) = if file.as_os_str() == "-" {
                let mut text = String::new();
                std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                    .context("reading standard input")?;
                (text, "<stdin>".to_string())
            } else {
                let source = file.display().to_string();
                let bytes =
                    std::fs::read(&file).with_context(|| format!("cannot read {source}"))?;
                let text = String::from_utf8(bytes)
                    .map_err(|e| anyhow::anyhow!("{source}: not UTF-8 text: {e}"))?;
                (text, source)
            };
            let report = engine.import_policies(&text, &source)?;
            let list = |names: &[String]| {
                if names.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", names.join(", "))
                }
            };
            writeln!(
                out,
                "policies imported from {source}: {} added{}, {} changed{}, {} removed{}, {} unchanged{}",
                report.added.len(),
                list(&report.added),
                report.changed.len(),
                list(&report.changed),
                report.removed.len(),
                list(&report.removed),
                report.unchanged,
                if report.license_groups { "; license groups replaced" } else { "" }
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
