//! Channels: adding, editing, removing and testing them. Secrets go to the OS keyring here
//! and nowhere else; the store and every DTO only name which kinds are stored.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use vigil_notify::{
    ChannelConfig, ChannelKind, ChannelSecrets, ChatConfig, EmailSecurity, Notice, NoticeKind,
    Outgoing, SecretKind,
};
use vigil_store::{
    notifications::{self, ChannelRow, ChannelWrite, NewDelivery},
    Store,
};

use crate::{api, outbox, plan::model::ROLES, rfc3339, secrets::secret_key, Engine, EngineError};

/// The setting holding this workspace's random id, which keys its keyring entries.
const WORKSPACE_ID: &str = "workspace_id";

const DESKTOP: &str = "Desktop";

fn invalid(message: impl Into<String>) -> EngineError {
    EngineError::InvalidInput(message.into())
}

fn secret_kinds(row: &ChannelRow) -> Vec<SecretKind> {
    row.secrets
        .iter()
        .filter_map(|s| serde_json::from_value(serde_json::Value::String(s.clone())).ok())
        .collect()
}

fn to_dto(row: &ChannelRow) -> Result<api::ChannelDto, EngineError> {
    let config = outbox::parse_channel(row)?;
    Ok(api::ChannelDto {
        name: row.name.clone(),
        kind: config.kind(),
        config,
        secrets: secret_kinds(row),
        enabled: row.enabled,
        disabled_reason: row.disabled_reason.clone(),
        rate_per_minute: row.rate_per_minute,
        created_at: row.created_at.clone(),
        last_success_at: row.last_success_at.clone(),
        last_failure_at: row.last_failure_at.clone(),
        last_answer: row.last_answer.clone(),
        pending: row.pending,
        failed: row.failed,
    })
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn check_address(field: &str, address: &str) -> Result<(), EngineError> {
    let ok = address.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && !domain.is_empty() && !address.contains(char::is_whitespace)
    });
    if ok {
        Ok(())
    } else {
        Err(invalid(format!(
            "{field}: {address:?} is not an email address"
        )))
    }
}

fn check_url(field: &str, url: &str) -> Result<reqwest::Url, EngineError> {
    let parsed =
        reqwest::Url::parse(url).map_err(|e| invalid(format!("{field}: not a URL ({e})")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(invalid(format!("{field}: must be an http or https URL")));
    }
    Ok(parsed)
}

/// What may be shown of a URL whose path is its credential: scheme, host and the first
/// path segment (`https://hooks.slack.com/services/…`).
pub(crate) fn url_hint(url: &reqwest::Url) -> String {
    let first = url.path_segments().and_then(|mut s| s.next()).unwrap_or("");
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    format!(
        "{}://{}{port}/{first}/…",
        url.scheme(),
        url.host_str().unwrap_or("")
    )
}

fn check_name(name: &str) -> Result<(), EngineError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._- ".contains(c));
    if ok {
        Ok(())
    } else {
        Err(invalid(format!(
            "channel name {name:?}: use 1 to 64 letters, digits, '.', '_', '-' or spaces, starting with a letter or digit"
        )))
    }
}

/// Checks a channel's configuration against the secrets it will have, and fills what the
/// engine derives (a chat URL's hint).
fn validate(
    config: &mut ChannelConfig,
    secrets: &BTreeMap<SecretKind, Option<String>>,
) -> Result<(), EngineError> {
    let has = |kind: SecretKind| secrets.get(&kind).is_some_and(Option::is_some);
    match config {
        ChannelConfig::Email(email) => {
            if email.host.trim().is_empty() {
                return Err(invalid("email: --host is required"));
            }
            if email.port == 0 {
                return Err(invalid("email: --port must be 1 to 65535"));
            }
            if email.security == EmailSecurity::None && !is_loopback(&email.host) {
                return Err(invalid(format!(
                    "email: --security none sends passwords and alerts in clear text; it is allowed only towards loopback, not {}; use starttls or tls",
                    email.host
                )));
            }
            check_address("--from", &email.from)?;
            for to in &email.to {
                check_address("--to", to)?;
            }
            for role in &email.to_roles {
                if !ROLES.contains(&role.as_str()) {
                    return Err(invalid(format!(
                        "--to-role: unknown role {role:?} (expected one of {})",
                        ROLES.join(", ")
                    )));
                }
            }
            if email.to.is_empty() && email.to_roles.is_empty() {
                return Err(invalid("email: give --to ADDR[,ADDR…] or --to-role ROLE"));
            }
            if email.user.is_some() != has(SecretKind::Password) {
                return Err(invalid("email: --user and --password-stdin go together"));
            }
            if let Some(ca) = &email.ca_file {
                if !std::path::Path::new(ca).is_file() {
                    return Err(invalid(format!("email: --ca-file {ca}: no such file")));
                }
            }
        }
        ChannelConfig::Webhook(webhook) => {
            check_url("--url", &webhook.url)?;
            if let Some(Some(secret)) = secrets.get(&SecretKind::SigningSecret) {
                let key = secret.strip_prefix("whsec_").unwrap_or("");
                use base64::Engine as _;
                if base64::engine::general_purpose::STANDARD
                    .decode(key)
                    .map_or(true, |k| k.len() < 16)
                {
                    return Err(invalid(
                        "webhook: the signing secret must be whsec_ followed by base64 of at least 16 bytes",
                    ));
                }
            }
        }
        ChannelConfig::Slack(chat)
        | ChannelConfig::Teams(chat)
        | ChannelConfig::Mattermost(chat) => match secrets.get(&SecretKind::Url) {
            Some(Some(url)) => {
                let parsed = check_url("--url", url)?;
                *chat = ChatConfig {
                    url_hint: url_hint(&parsed),
                };
            }
            Some(None) | None => return Err(invalid("--url is required")),
        },
        ChannelConfig::Jira(jira) => {
            check_url("--url", &jira.url)?;
            if jira.project.trim().is_empty()
                || jira.issue_type.trim().is_empty()
                || jira.user.trim().is_empty()
            {
                return Err(invalid(
                    "jira: --project, --issue-type and --user are required",
                ));
            }
            if !matches!(jira.api_version, 2 | 3) {
                return Err(invalid("jira: the API version is 2 or 3"));
            }
            if !has(SecretKind::Token) {
                return Err(invalid("jira: the API token is required (--token-stdin)"));
            }
        }
        ChannelConfig::Desktop => {}
    }
    // Secrets a kind does not use are refused rather than silently stored.
    let allowed: &[SecretKind] = match config.kind() {
        ChannelKind::Email => &[SecretKind::Password],
        ChannelKind::Webhook => &[SecretKind::SigningSecret, SecretKind::Authorization],
        ChannelKind::Slack | ChannelKind::Teams | ChannelKind::Mattermost => &[SecretKind::Url],
        ChannelKind::Jira => &[SecretKind::Token],
        ChannelKind::Desktop => &[],
    };
    if let Some((kind, _)) = secrets
        .iter()
        .find(|(k, v)| v.is_some() && !allowed.contains(k))
    {
        return Err(invalid(format!(
            "a {} channel has no {} secret",
            config.kind().as_str(),
            kind.as_str()
        )));
    }
    Ok(())
}

impl Engine {
    /// This workspace's id for keyring entries, created on first use.
    pub(crate) fn workspace_id(&self) -> Result<String, EngineError> {
        let mut store = self.store()?;
        if let Some(id) = store.setting::<String>(WORKSPACE_ID)? {
            return Ok(id);
        }
        let id = uuid::Uuid::new_v4().to_string();
        store.set_setting(WORKSPACE_ID, &id)?;
        Ok(store.setting::<String>(WORKSPACE_ID)?.unwrap_or(id))
    }

    /// A channel's secrets, read from the keyring for one send.
    pub(crate) fn channel_secrets(&self, row: &ChannelRow) -> Result<ChannelSecrets, EngineError> {
        let workspace = self.workspace_id()?;
        let mut secrets = ChannelSecrets::default();
        for kind in secret_kinds(row) {
            let value = self.secrets.0.get(&secret_key(&workspace, &row.name, kind))?.ok_or_else(|| {
                invalid(format!(
                    "channel {}: its {} is missing from the OS keyring; set it again with vigil channels add (or edit it in the window)",
                    row.name,
                    kind.as_str()
                ))
            })?;
            let slot = match kind {
                SecretKind::Password => &mut secrets.password,
                SecretKind::SigningSecret => &mut secrets.signing_secret,
                SecretKind::Authorization => &mut secrets.authorization,
                SecretKind::Token => &mut secrets.token,
                SecretKind::Url => &mut secrets.url,
            };
            *slot = Some(value);
        }
        Ok(secrets)
    }

    pub fn channels(&self) -> Result<Vec<api::ChannelDto>, EngineError> {
        self.store()?.channels()?.iter().map(to_dto).collect()
    }

    fn channel_row(&self, store: &Store, name: &str) -> Result<ChannelRow, EngineError> {
        store.channel(name)?.ok_or_else(|| {
            EngineError::NotFound(format!(
                "no channel named {name:?} (vigil channels list shows them)"
            ))
        })
    }

    /// Adds a channel; its secrets go to the OS keyring. Refuses a name in use.
    pub fn add_channel(
        &self,
        input: &api::ChannelInput,
        now: DateTime<Utc>,
    ) -> Result<api::ChannelDto, EngineError> {
        check_name(&input.name)?;
        let mut store = self.store()?;
        if store.channel(&input.name)?.is_some() {
            return Err(invalid(format!(
                "a channel named {:?} exists; remove it first or edit it",
                input.name
            )));
        }
        if input.config.kind() == ChannelKind::Desktop
            && store.channels()?.iter().any(|c| c.kind == "desktop")
        {
            return Err(invalid("there is already a desktop channel"));
        }
        let given: BTreeMap<SecretKind, Option<String>> = input
            .secrets
            .iter()
            .map(|(k, v)| (*k, (!v.is_empty()).then(|| v.clone())))
            .collect();
        let mut config = input.config.clone();
        validate(&mut config, &given)?;
        let kinds: Vec<String> = given
            .iter()
            .filter(|(_, v)| v.is_some())
            .map(|(k, _)| k.as_str().to_string())
            .collect();
        // The keyring first: a channel never names a secret the keyring does not hold.
        let workspace = self.workspace_id()?;
        for (kind, value) in &given {
            if let Some(value) = value {
                self.secrets
                    .0
                    .set(&secret_key(&workspace, &input.name, *kind), value)?;
            }
        }
        let config_text = serde_json::to_string(&config).map_err(|e| invalid(e.to_string()))?;
        let kind = config.kind();
        store.transaction(|tx| {
            notifications::insert_channel(
                tx,
                &ChannelWrite {
                    name: &input.name,
                    kind: kind.as_str(),
                    config: &config_text,
                    secrets: &kinds,
                    enabled: input.enabled.unwrap_or(true),
                    rate_per_minute: input
                        .rate_per_minute
                        .unwrap_or(kind.default_rate_per_minute()),
                },
                &rfc3339(now),
            )
        })?;
        to_dto(&self.channel_row(&store, &input.name)?)
    }

    /// Changes channel `name` (which `input.name` may rename). A secret left out of
    /// `input.secrets` is kept; an empty one is removed.
    pub fn update_channel(
        &self,
        name: &str,
        input: &api::ChannelInput,
    ) -> Result<api::ChannelDto, EngineError> {
        check_name(&input.name)?;
        let mut store = self.store()?;
        let row = self.channel_row(&store, name)?;
        if !input.name.eq_ignore_ascii_case(&row.name) && store.channel(&input.name)?.is_some() {
            return Err(invalid(format!("a channel named {:?} exists", input.name)));
        }
        if input.config.kind().as_str() != row.kind {
            return Err(invalid(format!(
                "channel {name} is a {} channel; its kind cannot change",
                row.kind
            )));
        }
        let workspace = self.workspace_id()?;
        let mut secrets: BTreeMap<SecretKind, Option<String>> = BTreeMap::new();
        for kind in secret_kinds(&row) {
            secrets.insert(
                kind,
                self.secrets
                    .0
                    .get(&secret_key(&workspace, &row.name, kind))?,
            );
        }
        for (kind, value) in &input.secrets {
            secrets.insert(*kind, (!value.is_empty()).then(|| value.clone()));
        }
        let mut config = input.config.clone();
        validate(&mut config, &secrets)?;
        for (kind, value) in &secrets {
            match value {
                Some(value) => self
                    .secrets
                    .0
                    .set(&secret_key(&workspace, &input.name, *kind), value)?,
                None => self
                    .secrets
                    .0
                    .delete(&secret_key(&workspace, &input.name, *kind))?,
            }
            if input.name != row.name {
                self.secrets
                    .0
                    .delete(&secret_key(&workspace, &row.name, *kind))?;
            }
        }
        let kinds: Vec<String> = secrets
            .iter()
            .filter(|(_, v)| v.is_some())
            .map(|(k, _)| k.as_str().to_string())
            .collect();
        let config_text = serde_json::to_string(&config).map_err(|e| invalid(e.to_string()))?;
        let kind = config.kind();
        store.transaction(|tx| {
            notifications::update_channel(
                tx,
                row.id,
                &ChannelWrite {
                    name: &input.name,
                    kind: kind.as_str(),
                    config: &config_text,
                    secrets: &kinds,
                    enabled: input.enabled.unwrap_or(row.enabled),
                    rate_per_minute: input.rate_per_minute.unwrap_or(row.rate_per_minute),
                },
            )
        })?;
        to_dto(&self.channel_row(&store, &input.name)?)
    }

    /// Removes a channel, its secrets and its deliveries.
    pub fn remove_channel(&self, name: &str) -> Result<(), EngineError> {
        let mut store = self.store()?;
        let row = self.channel_row(&store, name)?;
        let workspace = self.workspace_id()?;
        store.transaction(|tx| notifications::delete_channel(tx, row.id))?;
        for kind in secret_kinds(&row) {
            self.secrets
                .0
                .delete(&secret_key(&workspace, &row.name, kind))?;
        }
        Ok(())
    }

    /// "Send test": a `ping` notice sent at once through the channel, with the server's answer.
    /// The attempt is recorded as a delivery (event `test`) and on the channel.
    pub fn test_channel(
        &self,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<api::ChannelTestResult, EngineError> {
        let mut store = self.store()?;
        let row = self.channel_row(&store, name)?;
        let config = outbox::parse_channel(&row)?;
        if config.kind() == ChannelKind::Desktop {
            return Err(invalid(
                "the desktop channel is tested from the window (it shows a notification there)",
            ));
        }
        let recipients = match &config {
            ChannelConfig::Email(email) if email.to.is_empty() => {
                return Err(invalid(format!(
                    "channel {name} writes only to application contacts (--to-role); give it a fixed --to address to test it"
                )))
            }
            ChannelConfig::Email(email) => email.to.clone(),
            ChannelConfig::Webhook(_)
            | ChannelConfig::Slack(_)
            | ChannelConfig::Teams(_)
            | ChannelConfig::Mattermost(_)
            | ChannelConfig::Jira(_)
            | ChannelConfig::Desktop => Vec::new(),
        };
        let secrets = self.channel_secrets(&row)?;
        let notice = Notice {
            kind: NoticeKind::Test,
            title: format!("Test from Vigil: channel {}", row.name),
            level: 0,
            occurred_at: now,
            run_id: None,
            applications: Vec::new(),
            waivers: Vec::new(),
            summary: Some(format!(
                "This is a test of the channel {} sent by Vigil at {}. Alerts will arrive like this.",
                row.name,
                rfc3339(now)
            )),
        };
        let id = uuid::Uuid::now_v7().to_string();
        let text = serde_json::to_string(&notice).map_err(|e| invalid(e.to_string()))?;
        let recipients_text =
            serde_json::to_string(&recipients).map_err(|e| invalid(e.to_string()))?;
        let at = rfc3339(now);
        store.transaction(|tx| {
            notifications::insert_delivery(
                tx,
                &NewDelivery {
                    id: &id,
                    channel_id: row.id,
                    event: "test",
                    title: &notice.title,
                    application_id: None,
                    run_id: None,
                    recipients: &recipients_text,
                    notice: &text,
                    collect_key: None,
                    due_at: &at,
                    created_at: &at,
                },
                &[],
            )
        })?;
        // Out of the worker's way while this call sends it (a worker in the agent or the window
        // would otherwise send it again); should this process die mid-send, it is retried then.
        store.begin_attempt(&id, &at, &rfc3339(now + chrono::Duration::days(1)))?;
        let sender = vigil_notify::Sender::new().map_err(invalid)?;
        let result = sender.send(&Outgoing {
            delivery_id: &id,
            channel: &row.name,
            attempt: 1,
            now,
            config: &config,
            secrets: &secrets,
            notice: &notice,
            recipients: &recipients,
        });
        let (ok, status, answer) = match result {
            Ok(answer) => {
                store.mark_sent(
                    &id,
                    &at,
                    answer.status,
                    &answer.text,
                    answer.reference.as_deref(),
                )?;
                (true, answer.status, answer.text)
            }
            Err(failure) => {
                // A failed test is not retried: the user is looking at its answer.
                store.mark_failed(&id, failure.status, &failure.answer)?;
                (false, failure.status, failure.answer)
            }
        };
        store.record_channel_answer(row.id, ok, &at, &answer)?;
        Ok(api::ChannelTestResult {
            channel: row.name,
            ok,
            status,
            answer,
            delivery_id: id,
        })
    }

    /// The desktop channel exists once the desktop app has run; the app calls this at start.
    pub fn ensure_desktop_channel(&self, now: DateTime<Utc>) -> Result<(), EngineError> {
        let store = self.store()?;
        if store.channels()?.iter().any(|c| c.kind == "desktop") {
            return Ok(());
        }
        drop(store);
        self.add_channel(
            &api::ChannelInput {
                name: DESKTOP.to_string(),
                config: ChannelConfig::Desktop,
                secrets: BTreeMap::new(),
                rate_per_minute: None,
                enabled: Some(true),
            },
            now,
        )
        .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_smtp_only_towards_loopback() {
        assert!(is_loopback("127.0.0.1"));
        assert!(is_loopback("localhost"));
        assert!(is_loopback("[::1]"));
        assert!(!is_loopback("smtp.example.com"));
        assert!(!is_loopback("10.0.0.1"));
    }

    #[test]
    fn a_chat_url_shows_only_its_host_and_first_segment() {
        let url =
            reqwest::Url::parse("https://hooks.slack.com/services/T000/B000/XXXXSECRET").unwrap();
        let hint = url_hint(&url);
        assert_eq!(hint, "https://hooks.slack.com/services/…");
        assert!(!hint.contains("XXXXSECRET"));
    }
}
