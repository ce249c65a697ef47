//! `vigil`: the command line over vigil-engine. Parsing, printing and exit codes only.
//!
//! Exit codes: 0 success; 1 the command ran but its input gave nothing usable (a scan that
//! could read nothing, an import that read no record, a query none of whose purls could be
//! queried, a `version compare` of a version its ecosystem rejects); 2 usage or system errors.

mod agent;
mod apps;
mod coverage;
mod gate;
mod monitoring;
mod notify;
mod orgs;
mod output;
mod policies;
mod progress;
mod sarif;
mod schedule;
mod settings;
mod table;
mod waivers;

use std::{
    io::{BufRead, Write},
    path::PathBuf,
    process::ExitCode,
};

use anyhow::{Context, Result};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use clap::{Args, Parser, Subcommand, ValueEnum};
use vigil_engine::{Engine, ScanTarget, Stage};

#[derive(Parser)]
#[command(
    name = "vigil",
    version,
    about = "Keeps watch over the open-source components of your deployed applications"
)]
struct Cli {
    /// The workspace folder (default: $VIGIL_DATA_DIR, else the platform's app-data folder).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The advisory database.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// Read artifacts (lockfiles) into an inventory of components.
    Scan {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Store the inventory as this application's latest scan (created if new).
        #[arg(long, value_name = "NAME")]
        app: Option<String>,
        /// The stage the scan comes from.
        #[arg(long, default_value = "build", value_parser = parse_stage)]
        stage: Stage,
        /// The application's version or build label stored with the scan (with --app).
        #[arg(long = "version", value_name = "LABEL", requires = "app")]
        version_label: Option<String>,
        /// Set the application's organization (with --app; policy and waiver scopes use it).
        #[arg(long, value_name = "NAME", requires = "app")]
        org: Option<String>,
        #[arg(long, value_enum, default_value_t = ScanFormat::Table)]
        format: ScanFormat,
        /// Write the output to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Scan artifacts as an application's new scan, evaluate it at a stage and fail by
    /// policy: exit 0 pass, 1 a violation with a fail action (or warn, with --fail-on-warn),
    /// 2 usage or system errors.
    Evaluate(gate::EvaluateArgs),
    /// Applications: list, show, set, import from CSV.
    #[command(alias = "app")]
    Apps {
        #[command(subcommand)]
        command: apps::AppsCommand,
    },
    /// Organizations: a tree that passes monitoring down.
    Orgs {
        #[command(subcommand)]
        command: orgs::OrgsCommand,
    },
    /// Which applications should be monitored and are not, were never scanned at their
    /// watched stage, or were last scanned too long ago; and the coverage rules.
    Coverage(coverage::CoverageArgs),
    /// Policies as code.
    Policy {
        #[command(subcommand)]
        command: policies::PolicyCommand,
    },
    /// Accepted violations.
    Waivers {
        #[command(subcommand)]
        command: waivers::WaiversCommand,
    },
    /// Print the advisories that affect package versions given as purls.
    Query {
        /// One JSON object per line: {"purl": ..., "advisories": [{"id", "aliases", "summary"}]}.
        #[arg(long)]
        json: bool,
        /// Read one purl per line from standard input (after any given as arguments).
        #[arg(long)]
        stdin: bool,
        #[arg(value_name = "PURL")]
        purls: Vec<String>,
    },
    /// Continuous monitoring.
    Monitor {
        #[command(subcommand)]
        command: monitoring::MonitorCommand,
    },
    /// Every alert monitoring recorded (new, changed, resolved), whatever created it.
    Alerts(monitoring::AlertsArgs),
    /// The history of monitoring runs, newest first.
    Runs(monitoring::RunsArgs),
    /// Which applications, stages and versions contain what an advisory affects.
    Affected(monitoring::AffectedArgs),
    /// Where alerts go: email, webhook, Slack, Teams, Mattermost, Jira.
    Channels {
        #[command(subcommand)]
        command: notify::ChannelsCommand,
    },
    /// The outbox: every message to a channel, pending, sent or failed; `send` delivers
    /// what is due, `retry ID` again now.
    Deliveries(notify::DeliveriesArgs),
    /// The notification plan: export, import, preview.
    Plan {
        #[command(subcommand)]
        command: notify::PlanCommand,
    },
    /// Run headless in the foreground: the daily run, advisory syncs, the intake folder; one
    /// log line per action; stops on SIGTERM/SIGINT.
    Agent(agent::AgentArgs),
    /// The agent's settings: sync frequency, intake folder, ...
    Settings {
        #[command(subcommand)]
        command: settings::SettingsCommand,
    },
    /// The daily monitoring run: show, set, pause, resume.
    Schedule(schedule::ScheduleArgs),
    /// Versions in an ecosystem's own order.
    Version {
        #[command(subcommand)]
        command: VersionCommand,
    },
}

#[derive(Subcommand)]
enum VersionCommand {
    /// Print `<`, `=` or `>`: how version A orders against version B in the ecosystem.
    Compare(CompareArgs),
}

#[derive(Args)]
struct CompareArgs {
    /// The OSV ecosystem name: npm, PyPI, Maven, Go, crates.io, NuGet, RubyGems, Packagist, Pub,
    /// Hex, Debian, Ubuntu, Alpine, Red Hat, Rocky Linux, AlmaLinux, ConanCenter (a `:suffix` is
    /// allowed).
    #[arg(long, value_name = "ECO")]
    ecosystem: String,
    /// Read lines `A<TAB>B` from standard input and print one line for each: `<`, `=`, `>`, or
    /// `!` when either version is invalid in the ecosystem (or the line has no tab).
    #[arg(long, conflicts_with_all = ["a", "b"])]
    stdin: bool,
    #[arg(
        value_name = "A",
        required_unless_present = "stdin",
        allow_hyphen_values = true
    )]
    a: Option<String>,
    #[arg(
        value_name = "B",
        required_unless_present = "stdin",
        allow_hyphen_values = true
    )]
    b: Option<String>,
}

#[derive(Subcommand)]
enum DbCommand {
    /// Import OSV advisories: dump zips (<Ecosystem>/all.zip), folders of OSV JSON, JSON files.
    Import {
        /// OSV dumps (zip), folders or records; the CISA KEV catalog (JSON) or the FIRST EPSS
        /// scores (CSV, gzipped or not). A `https://` URL is downloaded first.
        #[arg(required = true, value_name = "PATH|URL")]
        paths: Vec<PathBuf>,
    },
    /// Schema version, advisory counts per ecosystem and when they were imported.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Download advisories over HTTP from an OSV bucket: all.zip the first time, then only
    /// what modified_id.csv says changed. HTTPS_PROXY is honoured.
    Sync {
        /// OSV ecosystem to sync (repeatable); default: every ecosystem synced before.
        #[arg(long = "ecosystem", value_name = "ECO")]
        ecosystems: Vec<String>,
        #[arg(long, value_name = "URL", default_value = vigil_engine::sync::DEFAULT_BASE_URL)]
        base_url: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
#[derive(Clone, Copy, ValueEnum)]
enum ScanFormat {
    Table,
    Json,
    Cyclonedx,
    Spdx,
}

pub(crate) fn parse_stage(s: &str) -> Result<Stage, String> {
    s.parse()
        .map_err(|e: vigil_engine::StageError| e.to_string())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("vigil: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    // Comparing versions needs no workspace: answer without opening (or creating) one.
    if let Command::Version {
        command: VersionCommand::Compare(args),
    } = cli.command
    {
        return version_compare(args);
    }
    let engine = Engine::open(&Engine::resolve_data_dir(cli.data_dir))?;
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Version {
            command: VersionCommand::Compare(args),
        } => version_compare(args),
        Command::Db {
            command: DbCommand::Import { paths },
        } => {
            let mut bar = progress::Bar::default();
            let report = engine.import_advisories(&paths, &mut |p| bar.show(p))?;
            bar.finish();
            output::import_report(&mut out, &report)?;
            for warning in &report.warnings {
                eprintln!("warning: {}: {}", warning.path, warning.message);
            }
            Ok(if report.read == 0 && !report.warnings.is_empty() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Db {
            command:
                DbCommand::Sync {
                    ecosystems,
                    base_url,
                    json,
                },
        } => {
            let mut bar = progress::Bar::default();
            let report = engine.sync(&ecosystems, &base_url, &mut |p| bar.show(p))?;
            bar.finish();
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
            }
            let mut failed = 0;
            for eco in &report.ecosystems {
                match &eco.error {
                    Some(error) => {
                        failed += 1;
                        eprintln!(
                            "error: {}: {error} (the previous data is kept)",
                            eco.ecosystem
                        );
                    }
                    None if !json => writeln!(
                        out,
                        "{}: {} ({} records read, {} new or updated)",
                        eco.ecosystem, eco.mode, eco.read, eco.changed
                    )?,
                    None => {}
                }
                for warning in &eco.warnings {
                    eprintln!("warning: {}: {}", warning.path, warning.message);
                }
            }
            if let (Some(run), false) = (&report.monitoring, json) {
                output::monitor_report(&mut out, run)?;
            }
            Ok(if failed > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Db {
            command: DbCommand::Status { json },
        } => {
            let status = engine.status()?;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&status)?)?;
            } else {
                output::status(&mut out, &status)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Scan {
            paths,
            app,
            stage,
            version_label,
            org,
            format,
            output,
        } => {
            let target = app.map(|application| ScanTarget {
                application,
                stage,
                version_label,
                organization: org,
            });
            let mut bar = progress::ScanBar::default();
            let result = engine.scan_observed(&paths, target, &mut bar)?;
            bar.finish();
            let mut rendered = Vec::new();
            match format {
                ScanFormat::Table => output::scan_table(&mut rendered, &result)?,
                ScanFormat::Json => {
                    writeln!(rendered, "{}", serde_json::to_string_pretty(&result)?)?
                }
                ScanFormat::Cyclonedx => {
                    let bom = vigil_engine::sbom::cyclonedx(
                        &result.components,
                        &result.unidentified,
                        chrono::Utc::now(),
                    );
                    writeln!(rendered, "{}", serde_json::to_string_pretty(&bom)?)?
                }
                ScanFormat::Spdx => {
                    let name = scan_document_name(
                        &paths,
                        result.stored.as_ref().map(|s| s.application.as_str()),
                    );
                    let doc = vigil_engine::sbom::spdx(
                        &name,
                        &result.components,
                        &result.unidentified,
                        chrono::Utc::now(),
                    );
                    writeln!(rendered, "{}", serde_json::to_string_pretty(&doc)?)?
                }
            }
            match &output {
                Some(file) => write_file(file, &rendered)?,
                None => out.write_all(&rendered)?,
            }
            for warning in &result.warnings {
                eprintln!("warning: {}: {}", warning.path, warning.message);
            }
            for line in result.advisory_data.iter().flat_map(output::data_lines) {
                eprintln!("{line}");
            }
            if let Some(stored) = &result.stored {
                eprintln!(
                    "stored as scan {} of {} ({}): {} components, {} violations",
                    stored.scan_id,
                    stored.application,
                    stored.stage,
                    result.components.len(),
                    stored.violations
                );
            }
            let nothing_read = result.components.is_empty()
                && result.unidentified.is_empty()
                && !result.warnings.is_empty();
            Ok(if nothing_read {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Query { json, stdin, purls } => {
            if purls.is_empty() && !stdin {
                anyhow::bail!("no purl given: pass purls as arguments or use --stdin");
            }
            // Purls from stdin are read lazily and answered one by one: memory stays flat
            // however long the input is.
            let mut read_error = None;
            let from_stdin = stdin
                .then(|| std::io::stdin().lock().lines())
                .into_iter()
                .flatten()
                .map_while(|line| line.map_err(|e| read_error = Some(e)).ok());
            let mut input = purls.into_iter().chain(
                from_stdin
                    .map(|line| line.trim().to_string())
                    .filter(|l| !l.is_empty() && !l.starts_with('#')),
            );
            let (mut answered, mut total) = (0usize, 0usize);
            let mut write_error = None;
            engine.query_each(&mut input, &mut |result| {
                total += 1;
                if let Some(error) = &result.error {
                    eprintln!("warning: {error}");
                }
                if result.error.is_none() || !result.advisories.is_empty() {
                    answered += 1;
                }
                let written = if json {
                    writeln!(out, "{}", output::query_json_line(&result))
                } else {
                    output::query_table(&mut out, &result)
                };
                if let (Err(e), None) = (written, &write_error) {
                    write_error = Some(e);
                }
            })?;
            if let Some(e) = read_error {
                return Err(e).context("reading purls from standard input");
            }
            if let Some(e) = write_error {
                return Err(e).context("writing results");
            }
            // Like scan: findings are data; fail only when no purl at all could be queried.
            Ok(if answered == 0 && total > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Evaluate(args) => gate::run(&engine, args, &mut out),
        Command::Apps { command } => apps::run(&engine, command, &mut out),
        Command::Orgs { command } => orgs::run(&engine, command, &mut out),
        Command::Coverage(args) => coverage::run(&engine, args, &mut out),
        Command::Policy { command } => policies::run(&engine, command, &mut out),
        Command::Schedule(args) => schedule::run(&engine, args, &mut out),
        Command::Agent(args) => agent::run(&engine, args, &mut out),
        Command::Channels { command } => notify::channels(&engine, command, &mut out),
        Command::Deliveries(args) => notify::deliveries(&engine, args, &mut out),
        Command::Plan { command } => notify::plan(&engine, command, &mut out),
        Command::Settings { command } => settings::run(&engine, command, &mut out),
        Command::Waivers { command } => waivers::run(&engine, command, &mut out),
        Command::Monitor { command } => monitoring::monitor(&engine, command, &mut out),
        Command::Alerts(args) => monitoring::alerts(&engine, args, &mut out),
        Command::Runs(args) => monitoring::runs(&engine, args, &mut out),
        Command::Affected(args) => monitoring::affected(&engine, args, &mut out),
    }
}

/// `vigil version compare`: exit 0 with the answer; 1 when a version is invalid; 2 (through
/// `main`) for an unknown ecosystem. With `--stdin`, invalid lines are answered `!`.
fn version_compare(args: CompareArgs) -> Result<ExitCode> {
    let symbol = |order: std::cmp::Ordering| match order {
        std::cmp::Ordering::Less => "<",
        std::cmp::Ordering::Equal => "=",
        std::cmp::Ordering::Greater => ">",
    };
    Engine::version_ecosystem(&args.ecosystem)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if !args.stdin {
        let (a, b) = (args.a.unwrap_or_default(), args.b.unwrap_or_default());
        return match Engine::compare_versions(&args.ecosystem, &a, &b) {
            Ok(order) => {
                writeln!(out, "{}", symbol(order))?;
                Ok(ExitCode::SUCCESS)
            }
            Err(error) => {
                eprintln!("vigil: {error}");
                Ok(ExitCode::from(1))
            }
        };
    }
    // One answer per input line, however long the input: read and answer line by line.
    let mut input = std::io::stdin().lock();
    let mut line = Vec::new();
    loop {
        line.clear();
        if input
            .read_until(b'\n', &mut line)
            .context("reading standard input")?
            == 0
        {
            break;
        }
        let text = std::str::from_utf8(&line)
            .ok()
            .map(|l| l.strip_suffix('\n').unwrap_or(l));
        let text = text.map(|l| l.strip_suffix('\r').unwrap_or(l));
        let answer = match text.and_then(|l| l.split_once('\t')) {
            Some((a, b)) => Engine::compare_versions(&args.ecosystem, a, b).map_or("!", symbol),
            None => "!",
        };
        writeln!(out, "{answer}").context("writing results")?;
    }
    out.flush().context("writing results")?;
    Ok(ExitCode::SUCCESS)
}

/// The name an SPDX document gets: the application's, else the first artifact's file name.
fn scan_document_name(paths: &[PathBuf], application: Option<&str>) -> String {
    application.map(str::to_string).unwrap_or_else(|| {
        paths
            .first()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "scan".to_string())
    })
}

/// Writes through a temporary file in the same folder, so that a reader (a CI step) never sees
/// half a report, and a failed write leaves any previous file as it was.
pub(crate) fn write_file(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    use anyhow::Context;
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(folder).with_context(|| {
        format!(
            "cannot write {}: cannot create a file in {}",
            path.display(),
            folder.display()
        )
    })?;
    file.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
