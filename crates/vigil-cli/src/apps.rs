//! `vigil apps list|show|set|import|monitor-new` (`vigil app` is an alias).

use std::{io::Write, path::PathBuf, process::ExitCode};

use anyhow::Result;
use clap::{Args, Subcommand, ValueEnum};
use vigil_engine::{
    api::{ApplicationProfile, ApplicationSummary, ApplicationUpdate, ContactDto},
    Engine, EngineError,
};

use crate::table::table;

#[derive(Subcommand)]
pub enum AppsCommand {
    /// Every application: organization, tier, owner, monitoring, last scan, open violations
    /// by threat band (critical 8–10, severe 4–7, moderate 2–3, low 0–1).
    List {
        #[arg(long)]
        json: bool,
    },
    /// One application's profile.
    Show {
        #[arg(value_name = "NAME")]
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Change an application's profile; every value is checked first and nothing changes on
    /// an error. An unknown NAME is refused unless --create is given.
    Set(Box<SetArgs>),
    /// Create or update applications from a CSV file with a header row (name, public_id,
    /// organization, tier, exposure, hosting, users, status, monitor, stage, owner, developer,
    /// security, manager, categories, watch, watch_labels, alert_on_baseline; several values
    /// separated by `;`, a contact as `Name <email>` or an email). All rows or none.
    Import {
        #[arg(value_name = "FILE.csv")]
        file: PathBuf,
    },
    /// Whether an application created by its first scan is monitored (default on); prints the
    /// setting without a value.
    MonitorNew {
        #[arg(value_enum)]
        value: Option<OnOff>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

impl OnOff {
    fn on(self) -> bool {
        self == OnOff::On
    }
}

fn on_off(on: bool) -> &'static str {
    if on {
        "on"
    } else {
        "off"
    }
}

#[derive(Args)]
pub struct SetArgs {
    #[arg(value_name = "NAME")]
    name: String,
    /// Create the application when there is none of that name.
    #[arg(long)]
    create: bool,
    /// The application's own monitoring switch (an organization that turns monitoring on
    /// keeps it on).
    #[arg(long, value_enum, value_name = "on|off")]
    monitor: Option<OnOff>,
    /// The stage monitoring watches.
    #[arg(long, value_name = "STAGE")]
    stage: Option<String>,
    /// The application's organization (created under the root when new; empty or `Root`: the
    /// root). Policy and waiver scopes match it.
    #[arg(long, value_name = "ORG")]
    org: Option<String>,
    /// critical, high, medium or low.
    #[arg(long, value_name = "T")]
    tier: Option<String>,
    /// An owner (repeatable; `Name <email>` or an email); replaces the owners.
    #[arg(long = "owner", value_name = "EMAIL")]
    owners: Vec<String>,
    /// A developer (repeatable); replaces the developers.
    #[arg(long = "developer", value_name = "EMAIL")]
    developers: Vec<String>,
    /// A security contact (repeatable); replaces them.
    #[arg(long = "security", value_name = "EMAIL")]
    security: Vec<String>,
    /// A manager (repeatable); replaces the managers.
    #[arg(long = "manager", value_name = "EMAIL")]
    managers: Vec<String>,
    /// internal or external.
    #[arg(long, value_name = "internal|external")]
    exposure: Option<String>,
    /// hosted or distributed.
    #[arg(long, value_name = "hosted|distributed")]
    hosting: Option<String>,
    #[arg(long, value_name = "N")]
    users: Option<u32>,
    /// active or retired.
    #[arg(long, value_name = "active|retired")]
    status: Option<String>,
    #[arg(long, value_name = "ID")]
    public_id: Option<String>,
    /// A category (repeatable); replaces the application's categories.
    #[arg(long = "category", value_name = "CATEGORY")]
    categories: Vec<String>,
    /// Remove every category.
    #[arg(long, conflicts_with = "categories")]
    no_categories: bool,
    /// Which scans of the stage monitoring watches: the latest, the latest per major version
    /// label, or those with the --watch-label labels.
    #[arg(long, value_name = "latest|major|labels")]
    watch: Option<String>,
    /// A version label to watch (repeatable, with --watch labels); replaces the list.
    #[arg(long = "watch-label", value_name = "L")]
    watch_labels: Vec<String>,
    /// Alert on the first evaluation too, instead of recording it silently as a baseline.
    #[arg(long, value_enum, value_name = "on|off")]
    alert_on_baseline: Option<OnOff>,
    /// Print the resulting profile as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(engine: &Engine, command: AppsCommand, out: &mut impl Write) -> Result<ExitCode> {
    match command {
        AppsCommand::List { json } => {
            let apps = engine.applications()?;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&apps)?)?;
            } else {
                list(out, &apps)?;
            }
        }
        AppsCommand::Show { name, json } => {
            let profile = engine.application_profile(&name)?;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&profile)?)?;
            } else {
                show(out, &profile)?;
            }
        }
        AppsCommand::Set(args) => set(engine, *args, out)?,
        AppsCommand::Import { file } => {
            let report = engine.import_applications_csv(&file)?;
            writeln!(
                out,
                "{}: {} applications created, {} updated",
                file.display(),
                report.created,
                report.updated
            )?;
        }
        AppsCommand::MonitorNew { value } => {
            if let Some(value) = value {
                engine.set_monitor_new_applications(value.on())?;
            }
            writeln!(
                out,
                "monitor new applications: {}",
                on_off(engine.monitor_new_applications()?)
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn set(engine: &Engine, args: SetArgs, out: &mut impl Write) -> Result<()> {
    let current = match engine.application_profile(&args.name) {
        Ok(profile) => Some(profile),
        Err(EngineError::NotFound(_)) if args.create => None,
        Err(EngineError::NotFound(message)) => {
            anyhow::bail!("{message}; add --create to create it")
        }
        Err(error) => return Err(error.into()),
    };
    let roles = [
        ("owner", &args.owners),
        ("developer", &args.developers),
        ("security", &args.security),
        ("manager", &args.managers),
    ];
    let contacts = roles.iter().any(|(_, given)| !given.is_empty()).then(|| {
        let mut contacts: Vec<ContactDto> = current
            .as_ref()
            .map(|p| p.contacts.clone())
            .unwrap_or_default();
        for (role, given) in roles.iter().filter(|(_, given)| !given.is_empty()) {
            contacts.retain(|c| c.role != *role);
            contacts.extend(given.iter().map(|email| ContactDto {
                role: role.to_string(),
                name: String::new(),
                email: email.clone(),
            }));
        }
        contacts
    });
    let update = ApplicationUpdate {
        monitor: args.monitor.map(OnOff::on),
        stage: args.stage.clone(),
        organization: args.org.clone(),
        categories: (args.no_categories || !args.categories.is_empty())
            .then(|| args.categories.clone()),
        contacts,
        tier: args.tier.clone(),
        exposure: args.exposure.clone(),
        hosting: args.hosting.clone(),
        users: args.users,
        status: args.status.clone(),
        public_id: args.public_id.clone(),
        watch: args.watch.clone(),
        watch_labels: (!args.watch_labels.is_empty()).then(|| args.watch_labels.clone()),
        alert_on_baseline: args.alert_on_baseline.map(OnOff::on),
    };
    let profile = engine.update_application(&args.name, &update)?;
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&profile)?)?;
        return Ok(());
    }
    writeln!(out, "{}", changed_line(&args, &profile, current.is_none()))?;
    if let (Some(_), Some(because)) = (args.monitor, &profile.monitored_because) {
        writeln!(
            out,
            "note: monitoring is {} ({because})",
            on_off(profile.monitored)
        )?;
    }
    Ok(())
}

/// `shop: organization payments, categories internet-facing`: what the command set, as stored.
fn changed_line(args: &SetArgs, p: &ApplicationProfile, created: bool) -> String {
    let list = |items: &[String]| {
        if items.is_empty() {
            "(none)".to_string()
        } else {
            items.join(", ")
        }
    };
    let people = |role: &str| {
        let emails: Vec<String> = p
            .contacts
            .iter()
            .filter(|c| c.role == role)
            .map(|c| c.email.clone())
            .collect();
        list(&emails)
    };
    let mut parts = Vec::new();
    if args.monitor.is_some() {
        parts.push(format!("monitor {}", on_off(p.monitor)));
    }
    if args.stage.is_some() {
        parts.push(format!("stage {}", p.stage));
    }
    if args.org.is_some() {
        parts.push(format!("organization {}", p.organization));
    }
    if args.no_categories || !args.categories.is_empty() {
        parts.push(format!("categories {}", list(&p.categories)));
    }
    if args.tier.is_some() {
        parts.push(format!("tier {}", p.tier));
    }
    for (role, given) in [
        ("owner", &args.owners),
        ("developer", &args.developers),
        ("security", &args.security),
        ("manager", &args.managers),
    ] {
        if !given.is_empty() {
            parts.push(format!("{role} {}", people(role)));
        }
    }
    if args.exposure.is_some() {
        parts.push(format!("exposure {}", p.exposure));
    }
    if args.hosting.is_some() {
        parts.push(format!("hosting {}", p.hosting));
    }
    if let Some(users) = p.users.filter(|_| args.users.is_some()) {
        parts.push(format!("users {users}"));
    }
    if args.status.is_some() {
        parts.push(format!("status {}", p.status));
    }
    if args.public_id.is_some() {
        parts.push(format!("public id {}", p.public_id));
    }
    if args.watch.is_some() || !args.watch_labels.is_empty() {
        parts.push(format!("watch {}", watch(p)));
    }
    if args.alert_on_baseline.is_some() {
        parts.push(format!("alert on baseline {}", on_off(p.alert_on_baseline)));
    }
    let head = if created {
        format!("{}: created", p.name)
    } else {
        format!("{}:", p.name)
    };
    match (created, parts.is_empty()) {
        (_, false) if created => format!("{head}, {}", parts.join(", ")),
        (_, false) => format!("{head} {}", parts.join(", ")),
        (true, true) => head,
        (false, true) => format!("{head} nothing to change"),
    }
}

fn watch(p: &ApplicationProfile) -> String {
    if p.watch == "labels" {
        format!("labels {}", p.watch_labels.join(", "))
    } else {
        p.watch.clone()
    }
}

fn monitored(app: &ApplicationSummary) -> String {
    match (app.monitored, app.monitor) {
        (true, true) => "yes".into(),
        (false, false) => "no".into(),
        (true, false) => "yes (organization)".into(),
        (false, true) => "no (coverage rule)".into(),
    }
}

fn list(out: &mut impl Write, apps: &[ApplicationSummary]) -> std::io::Result<()> {
    if apps.is_empty() {
        return writeln!(out, "no applications yet");
    }
    let rows: Vec<Vec<String>> = apps
        .iter()
        .map(|a| {
            let t = &a.violations_by_threat;
            vec![
                a.name.clone(),
                a.organization.clone().unwrap_or_else(|| "Root".into()),
                a.tier.clone(),
                a.owner.clone().unwrap_or_else(|| "-".into()),
                monitored(a),
                a.monitored_stage.clone(),
                a.last_scan_at
                    .as_deref()
                    .map_or("never".to_string(), |at| at.chars().take(10).collect()),
                t.critical.to_string(),
                t.severe.to_string(),
                t.moderate.to_string(),
                t.low.to_string(),
            ]
        })
        .collect();
    table(
        out,
        &[
            "NAME",
            "ORGANIZATION",
            "TIER",
            "OWNER",
            "MONITORED",
            "STAGE",
            "LAST SCAN",
            "CRIT",
            "SEVERE",
            "MOD",
            "LOW",
        ],
        &rows,
    )
}

fn show(out: &mut impl Write, p: &ApplicationProfile) -> std::io::Result<()> {
    let or_none = |items: &[String]| {
        if items.is_empty() {
            "(none)".to_string()
        } else {
            items.join(", ")
        }
    };
    let mut monitoring = format!("{} (own switch {})", on_off(p.monitored), on_off(p.monitor));
    if let Some(because) = &p.monitored_because {
        monitoring.push_str(&format!(": {because}"));
    }
    let mut lines = vec![
        ("public id", p.public_id.clone()),
        ("organization", p.organization.clone()),
        ("tier", p.tier.clone()),
        ("exposure", p.exposure.clone()),
        ("hosting", p.hosting.clone()),
        (
            "users",
            p.users.map_or("(unknown)".to_string(), |u| u.to_string()),
        ),
        ("status", p.status.clone()),
        ("categories", or_none(&p.categories)),
        ("monitoring", monitoring),
        ("stage", p.stage.clone()),
        ("watch", watch(p)),
        ("alert on baseline", on_off(p.alert_on_baseline).to_string()),
        (
            "baseline",
            if p.baselined { "recorded" } else { "not yet" }.to_string(),
        ),
    ];
    for c in &p.contacts {
        let who = if c.name.is_empty() {
            c.email.clone()
        } else {
            format!("{} <{}>", c.name, c.email)
        };
        lines.push((c.role.as_str(), who));
    }
    writeln!(out, "{}", p.name)?;
    for (key, value) in lines {
        writeln!(out, "  {:<18} {value}", format!("{key}:"))?;
    }
    Ok(())
}
