//! `vigil channels …`, `vigil deliveries …` and `vigil plan …`: where alerts go, what the
//! outbox holds, and the notification plan. Secrets are read from standard input, never from
//! arguments, and never printed.

use std::{
    collections::BTreeMap,
    io::{Read, Write},
    path::PathBuf,
    process::ExitCode,
};

use anyhow::{bail, Context, Result};
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand, ValueEnum};
use vigil_engine::{
    api::{
        ChannelConfig, ChannelDto, ChannelInput, ChatConfig, DeliveryDto, DeliveryFilter,
        DeliveryReport, DeliveryStatus, EmailConfig, EmailSecurity, JiraConfig, JiraGrouping,
        PlanPreviewRequest, SecretKind, WebhookConfig, WebhookEvent,
    },
    Engine,
};

use crate::table::table;

/// The clock: `VIGIL_NOW` (RFC 3339) when set, so that scripted tests can move through
/// retries and digests without waiting; else the system clock.
pub fn now() -> DateTime<Utc> {
    std::env::var("VIGIL_NOW")
        .ok()
        .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(Utc::now)
}

#[derive(Subcommand)]
pub enum ChannelsCommand {
    /// Add a channel. Until a plan narrows it, a channel receives every alert.
    Add {
        #[command(subcommand)]
        kind: AddKind,
    },
    /// Every channel with its last success or failure.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Send a test message now and print the server's answer.
    Test {
        #[arg(value_name = "NAME")]
        name: String,
    },
    /// Remove a channel, its secrets in the keyring and its deliveries.
    Remove {
        #[arg(value_name = "NAME")]
        name: String,
    },
}

#[derive(Args)]
pub struct Common {
    /// Messages per minute at most (default: the kind's, e.g. 60 for Slack).
    #[arg(long, value_name = "N")]
    rate: Option<u32>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Security {
    None,
    Starttls,
    Tls,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum JiraPer {
    /// One issue per new violation.
    Violation,
    /// One issue per application and run.
    Run,
}

#[derive(Subcommand)]
pub enum AddKind {
    /// A JSON webhook signed as Standard Webhooks specifies.
    Webhook {
        #[arg(value_name = "NAME")]
        name: String,
        #[arg(long, value_name = "URL")]
        url: String,
        /// Read the signing secret (`whsec_<base64>`) from standard input (first line).
        #[arg(long)]
        secret_stdin: bool,
        /// Read a static `Authorization` header value from standard input (the line after the
        /// secret, when both are read).
        #[arg(long)]
        auth_header_stdin: bool,
        /// Only these event types (comma-separated, e.g. violation.new,violation.changed).
        #[arg(long, value_name = "TYPES", value_delimiter = ',')]
        events: Vec<String>,
        #[command(flatten)]
        common: Common,
    },
    /// SMTP email.
    Email {
        #[arg(value_name = "NAME")]
        name: String,
        #[arg(long, value_name = "HOST")]
        host: String,
        #[arg(long, value_name = "PORT")]
        port: u16,
        #[arg(long, value_enum)]
        security: Security,
        #[arg(long, value_name = "ADDR")]
        from: String,
        #[arg(long, value_name = "ADDR[,ADDR…]", value_delimiter = ',')]
        to: Vec<String>,
        /// Also write to each application's contacts with these roles (owner, developer,
        /// security, manager): owners hear only about their own applications.
        #[arg(long = "to-role", value_name = "ROLE[,ROLE…]", value_delimiter = ',')]
        to_role: Vec<String>,
        #[arg(long, value_name = "USER", requires = "password_stdin")]
        user: Option<String>,
        /// Read the SMTP password from standard input.
        #[arg(long, requires = "user")]
        password_stdin: bool,
        /// Also trust the CA certificates in this PEM file (an internal relay).
        #[arg(long, value_name = "PEM")]
        ca_file: Option<PathBuf>,
        #[command(flatten)]
        common: Common,
    },
    /// A Slack incoming webhook (Block Kit).
    Slack {
        #[arg(value_name = "NAME")]
        name: String,
        /// The webhook URL (it is the credential: kept in the keyring, shown shortened).
        #[arg(long, value_name = "URL")]
        url: String,
        #[command(flatten)]
        common: Common,
    },
    /// A Microsoft Teams Workflows webhook (Adaptive Card).
    Teams {
        #[arg(value_name = "NAME")]
        name: String,
        #[arg(long, value_name = "URL")]
        url: String,
        #[command(flatten)]
        common: Common,
    },
    /// A Mattermost incoming webhook.
    Mattermost {
        #[arg(value_name = "NAME")]
        name: String,
        #[arg(long, value_name = "URL")]
        url: String,
        #[command(flatten)]
        common: Common,
    },
    /// Jira issues: one per new violation (or per application and run), never two for one
    /// violation; comments on changes; a comment or a transition on resolution.
    Jira {
        #[arg(value_name = "NAME")]
        name: String,
        #[arg(long, value_name = "URL")]
        url: String,
        #[arg(long, value_name = "KEY")]
        project: String,
        #[arg(long = "issue-type", value_name = "TYPE")]
        issue_type: String,
        #[arg(long, value_name = "USER")]
        user: String,
        /// Read the API token from standard input.
        #[arg(long, required = true)]
        token_stdin: bool,
        /// REST API version: 2 (Data Center) or 3 (Cloud).
        #[arg(long = "api-version", default_value_t = 2)]
        api_version: u8,
        #[arg(long, value_enum, default_value_t = JiraPer::Violation)]
        per: JiraPer,
        /// Apply this transition (by name) when a violation is resolved, instead of a comment.
        #[arg(long = "resolve-transition", value_name = "NAME")]
        resolve_transition: Option<String>,
        #[command(flatten)]
        common: Common,
    },
}

/// Standard input's lines, read once, for the secrets asked for in order.
fn read_secrets(count: usize) -> Result<Vec<String>> {
    if count == 0 {
        return Ok(Vec::new());
    }
    let mut text = String::new();
    std::io::stdin()
        .lock()
        .take(64 * 1024)
        .read_to_string(&mut text)
        .context("cannot read the secret from standard input")?;
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    if lines.len() < count {
        bail!(
            "expected {count} secret line{} on standard input, got {}",
            if count == 1 { "" } else { "s" },
            lines.len()
        );
    }
    Ok(lines.into_iter().take(count).collect())
}

fn parse_events(events: &[String]) -> Result<Vec<WebhookEvent>> {
    events
        .iter()
        .map(|e| {
            WebhookEvent::ALL
                .into_iter()
                .find(|known| known.as_str() == e.trim())
                .with_context(|| {
                    let all: Vec<&str> = WebhookEvent::ALL.iter().map(|k| k.as_str()).collect();
                    format!("--events: unknown type {e:?} (known: {})", all.join(", "))
                })
        })
        .collect()
}

fn input_for(kind: AddKind) -> Result<ChannelInput> {
    let mut secrets = BTreeMap::new();
    let (name, config, common) = match kind {
        AddKind::Webhook {
            name,
            url,
            secret_stdin,
            auth_header_stdin,
            events,
            common,
        } => {
            let mut lines =
                read_secrets(usize::from(secret_stdin) + usize::from(auth_header_stdin))?
                    .into_iter();
            if secret_stdin {
                secrets.insert(SecretKind::SigningSecret, lines.next().unwrap_or_default());
            }
            if auth_header_stdin {
                secrets.insert(SecretKind::Authorization, lines.next().unwrap_or_default());
            }
            let events = parse_events(&events)?;
            (
                name,
                ChannelConfig::Webhook(WebhookConfig { url, events }),
                common,
            )
        }
        AddKind::Email {
            name,
            host,
            port,
            security,
            from,
            to,
            to_role,
            user,
            password_stdin,
            ca_file,
            common,
        } => {
            if password_stdin {
                secrets.insert(SecretKind::Password, read_secrets(1)?.remove(0));
            }
            let security = match security {
                Security::None => EmailSecurity::None,
                Security::Starttls => EmailSecurity::Starttls,
                Security::Tls => EmailSecurity::Tls,
            };
            let ca_file =
                ca_file.map(|p| std::path::absolute(&p).unwrap_or(p).display().to_string());
            let config = EmailConfig {
                host,
                port,
                security,
                from,
                to,
                to_roles: to_role,
                user,
                ca_file,
            };
            (name, ChannelConfig::Email(config), common)
        }
        // The URL is the credential: a secret; the engine derives the hint it shows.
        AddKind::Slack { name, url, common } => {
            secrets.insert(SecretKind::Url, url);
            (name, ChannelConfig::Slack(ChatConfig::default()), common)
        }
        AddKind::Teams { name, url, common } => {
            secrets.insert(SecretKind::Url, url);
            (name, ChannelConfig::Teams(ChatConfig::default()), common)
        }
        AddKind::Mattermost { name, url, common } => {
            secrets.insert(SecretKind::Url, url);
            (
                name,
                ChannelConfig::Mattermost(ChatConfig::default()),
                common,
            )
        }
        AddKind::Jira {
            name,
            url,
            project,
            issue_type,
            user,
            token_stdin,
            api_version,
            per,
            resolve_transition,
            common,
        } => {
            if token_stdin {
                secrets.insert(SecretKind::Token, read_secrets(1)?.remove(0));
            }
            let grouping = match per {
                JiraPer::Violation => JiraGrouping::PerViolation,
                JiraPer::Run => JiraGrouping::PerApplicationRun,
            };
            let config = JiraConfig {
                url,
                project,
                issue_type,
                user,
                api_version,
                grouping,
                resolve_transition,
            };
            (name, ChannelConfig::Jira(config), common)
        }
    };
    Ok(ChannelInput {
        name,
        config,
        secrets,
        rate_per_minute: common.rate,
        enabled: None,
    })
}

/// Where a channel sends, for the list.
fn target(channel: &ChannelDto) -> String {
    match &channel.config {
        ChannelConfig::Email(email) => {
            let mut to = email.to.join(",");
            if !email.to_roles.is_empty() {
                if !to.is_empty() {
                    to.push_str(" + ");
                }
                to.push_str(&format!("role {}", email.to_roles.join(",")));
            }
            format!(
                "{}:{} ({}) → {to}",
                email.host,
                email.port,
                format!("{:?}", email.security).to_lowercase()
            )
        }
        ChannelConfig::Webhook(webhook) => webhook.url.clone(),
        ChannelConfig::Slack(chat)
        | ChannelConfig::Teams(chat)
        | ChannelConfig::Mattermost(chat) => chat.url_hint.clone(),
        ChannelConfig::Jira(jira) => format!(
            "{} project {} ({})",
            jira.url, jira.project, jira.issue_type
        ),
        ChannelConfig::Desktop => "this workstation's notifications".to_string(),
    }
}

fn last(channel: &ChannelDto) -> String {
    match (&channel.last_success_at, &channel.last_failure_at) {
        (None, None) => "never used".to_string(),
        (Some(ok), Some(failed)) if failed > ok => format!("failed {failed}"),
        (Some(ok), _) => format!("ok {ok}"),
        (None, Some(failed)) => format!("failed {failed}"),
    }
}

pub fn channels(
    engine: &Engine,
    command: ChannelsCommand,
    out: &mut impl Write,
) -> Result<ExitCode> {
    match command {
        ChannelsCommand::Add { kind } => {
            let input = input_for(kind)?;
            let channel = engine.add_channel(&input, now())?;
            let secrets: Vec<&str> = channel.secrets.iter().map(|s| s.as_str()).collect();
            writeln!(
                out,
                "added {} channel {}: {}",
                channel.kind.as_str(),
                channel.name,
                target(&channel)
            )?;
            if !secrets.is_empty() {
                writeln!(out, "  {} stored in the OS keyring", secrets.join(", "))?;
            }
        }
        ChannelsCommand::List { json } => {
            let channels = engine.channels()?;
            if json {
                for channel in &channels {
                    writeln!(out, "{}", serde_json::to_string(channel)?)?;
                }
            } else if channels.is_empty() {
                writeln!(out, "no channels; add one with vigil channels add webhook|email|slack|teams|mattermost|jira NAME …")?;
            } else {
                let rows: Vec<Vec<String>> = channels
                    .iter()
                    .map(|c| {
                        vec![
                            c.name.clone(),
                            c.kind.as_str().to_string(),
                            target(c),
                            if c.enabled {
                                "on".into()
                            } else {
                                format!("off: {}", c.disabled_reason.clone().unwrap_or_default())
                            },
                            format!("{} pending, {} failed", c.pending, c.failed),
                            last(c),
                            c.last_answer
                                .clone()
                                .unwrap_or_default()
                                .chars()
                                .take(80)
                                .collect(),
                        ]
                    })
                    .collect();
                table(
                    out,
                    &[
                        "NAME",
                        "KIND",
                        "TARGET",
                        "ENABLED",
                        "OUTBOX",
                        "LAST",
                        "LAST ANSWER",
                    ],
                    &rows,
                )?;
            }
        }
        ChannelsCommand::Test { name } => {
            let result = engine.test_channel(&name, now())?;
            let status = result.status.map(|s| format!(" ({s})")).unwrap_or_default();
            if result.ok {
                writeln!(out, "{}: ok{status}: {}", result.channel, result.answer)?;
            } else {
                writeln!(out, "{}: failed{status}: {}", result.channel, result.answer)?;
                return Ok(ExitCode::from(1));
            }
        }
        ChannelsCommand::Remove { name } => {
            engine.remove_channel(&name)?;
            writeln!(out, "removed channel {name}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct DeliveriesArgs {
    #[command(subcommand)]
    command: Option<DeliveriesCommand>,
    /// Only failed deliveries.
    #[arg(long)]
    failed: bool,
    /// One JSON object per line.
    #[arg(long)]
    json: bool,
    #[arg(long, value_name = "NAME")]
    channel: Option<String>,
    #[arg(long, value_name = "N", default_value_t = 100)]
    limit: u32,
}

#[derive(Subcommand)]
pub enum DeliveriesCommand {
    /// Deliver everything due now, then exit.
    Send {
        #[arg(long)]
        json: bool,
    },
    /// Make a pending or failed delivery due now (same delivery id), and send what is due.
    Retry {
        #[arg(value_name = "ID")]
        id: String,
    },
}

fn status_word(status: DeliveryStatus) -> &'static str {
    match status {
        DeliveryStatus::Pending => "pending",
        DeliveryStatus::Sent => "sent",
        DeliveryStatus::Failed => "failed",
    }
}

pub fn report_line(report: &DeliveryReport) -> String {
    if let Some(reason) = &report.skipped {
        return format!("skipped: {reason}");
    }
    let mut line = format!(
        "{} sent, {} to retry, {} failed, {} pending",
        report.sent, report.retrying, report.failed, report.pending
    );
    if report.left_for_desktop > 0 {
        line.push_str(&format!(
            " ({} for the desktop app)",
            report.left_for_desktop
        ));
    }
    for channel in &report.disabled {
        line.push_str(&format!("; channel {channel} disabled (410 Gone)"));
    }
    line
}

fn delivery_row(d: &DeliveryDto) -> Vec<String> {
    let when = match d.status {
        DeliveryStatus::Sent => d.sent_at.clone().unwrap_or_default(),
        DeliveryStatus::Pending => {
            format!("next {}", d.next_attempt_at.clone().unwrap_or_default())
        }
        DeliveryStatus::Failed => d.last_attempt_at.clone().unwrap_or_default(),
    };
    vec![
        d.id.clone(),
        status_word(d.status).to_string(),
        d.channel.clone(),
        d.event.clone(),
        d.attempts.to_string(),
        when,
        d.title.clone(),
        d.last_answer
            .clone()
            .unwrap_or_default()
            .chars()
            .take(100)
            .collect(),
    ]
}

pub fn deliveries(engine: &Engine, args: DeliveriesArgs, out: &mut impl Write) -> Result<ExitCode> {
    match args.command {
        Some(DeliveriesCommand::Send { json }) => {
            let report = engine.send_due_deliveries(now(), None)?;
            if json {
                writeln!(out, "{}", serde_json::to_string(&report)?)?;
            } else {
                writeln!(out, "{}", report_line(&report))?;
            }
            return Ok(if report.failed > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            });
        }
        Some(DeliveriesCommand::Retry { id }) => {
            let delivery = engine.retry_delivery(&id, now())?;
            let report = engine.send_due_deliveries(now(), None)?;
            let after = engine
                .deliveries(&DeliveryFilter {
                    limit: Some(1000),
                    ..DeliveryFilter::default()
                })?
                .into_iter()
                .find(|d| d.id == delivery.id)
                .unwrap_or(delivery);
            writeln!(
                out,
                "{}: {} after {} attempts: {}",
                after.id,
                status_word(after.status),
                after.attempts,
                after.last_answer.clone().unwrap_or_default()
            )?;
            if report.skipped.is_some() {
                writeln!(out, "{}", report_line(&report))?;
            }
            return Ok(if after.status == DeliveryStatus::Sent {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            });
        }
        None => {}
    }
    let list = engine.deliveries(&DeliveryFilter {
        failed: args.failed,
        channel: args.channel,
        alert: None,
        limit: Some(args.limit),
    })?;
    if args.json {
        for delivery in &list {
            writeln!(out, "{}", serde_json::to_string(delivery)?)?;
        }
    } else if list.is_empty() {
        writeln!(
            out,
            "{}",
            if args.failed {
                "no failed deliveries"
            } else {
                "no deliveries yet"
            }
        )?;
    } else {
        let rows: Vec<Vec<String>> = list.iter().map(delivery_row).collect();
        table(
            out,
            &[
                "ID",
                "STATUS",
                "CHANNEL",
                "EVENT",
                "ATTEMPTS",
                "WHEN",
                "TITLE",
                "LAST ANSWER",
            ],
            &rows,
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Subcommand)]
pub enum PlanCommand {
    /// The plan as YAML on standard output.
    Export,
    /// Replace the plan with a YAML file (`-`: standard input); all or nothing.
    Import {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Who would be told what, where, if an alert happened now.
    Preview {
        #[arg(long, value_name = "NAME")]
        app: String,
        /// The imagined alert's threat level (default 10).
        #[arg(long = "threat", value_name = "N")]
        threat: Option<u8>,
        #[arg(long, value_name = "new|changed|resolved")]
        kind: Option<String>,
        /// Apply this policy's notification targets.
        #[arg(long, value_name = "NAME")]
        policy: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

pub fn plan(engine: &Engine, command: PlanCommand, out: &mut impl Write) -> Result<ExitCode> {
    match command {
        PlanCommand::Export => write!(out, "{}", engine.export_plan()?)?,
        PlanCommand::Import { file } => {
            let (text, source) = if file.as_os_str() == "-" {
                let mut text = String::new();
                std::io::stdin()
                    .lock()
                    .take(4 << 20)
                    .read_to_string(&mut text)?;
                (text, "<stdin>".to_string())
            } else {
                let text = std::fs::read_to_string(&file)
                    .with_context(|| format!("cannot read {}", file.display()))?;
                (text, file.display().to_string())
            };
            let view = engine.import_plan(&text, &source)?;
            writeln!(
                out,
                "imported the plan from {source}: {} tiers",
                view.plan.tiers.len()
            )?;
        }
        PlanCommand::Preview {
            app,
            threat,
            kind,
            policy,
            json,
        } => {
            let preview = engine.plan_preview(
                &PlanPreviewRequest {
                    application: app,
                    threat_level: threat,
                    kind,
                    policy,
                },
                now(),
            )?;
            if json {
                writeln!(out, "{}", serde_json::to_string(&preview)?)?;
                return Ok(ExitCode::SUCCESS);
            }
            writeln!(
                out,
                "{} (tier {}), a {} alert at threat level {}:",
                preview.application, preview.tier, preview.kind, preview.threat_level
            )?;
            if let Some(reason) = &preview.silent_because {
                writeln!(out, "  nobody would be told: {reason}")?;
            }
            for entry in &preview.entries {
                let to = if entry.recipients.is_empty() {
                    String::new()
                } else {
                    format!(" → {}", entry.recipients.join(", "))
                };
                writeln!(
                    out,
                    "  {} ({}){to}, {}",
                    entry.channel,
                    entry.channel_kind.as_str(),
                    entry.when
                )?;
                for why in &entry.why {
                    writeln!(out, "      {why}")?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
