//! What crosses to the window never carries a secret: every DTO the desktop's notification
//! commands return (serialized as Tauri serializes IPC payloads, with serde_json) is searched
//! for the secrets just stored, through the real OS keyring (`make test` runs the tests in a
//! D-Bus session with gnome-keyring).

use std::collections::BTreeMap;

use chrono::Utc;
use vigil_engine::{
    api::{
        ChannelConfig, ChannelInput, ChatConfig, DeliveryFilter, EmailConfig, EmailSecurity,
        JiraConfig, JiraGrouping, SecretKind, WebhookConfig,
    },
    Engine,
};

const SIGNING: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const AUTHORIZATION: &str = "Bearer ipc-test-authorization-51e0";
const PASSWORD: &str = "smtp-ipc-password-0b7d";
const TOKEN: &str = "jira-ipc-token-77aa";
const CHAT: &str = "https://hooks.slack.com/services/T0/B0/chatsecret9921";

fn input(name: &str, config: ChannelConfig, secrets: &[(SecretKind, &str)]) -> ChannelInput {
    ChannelInput {
        name: name.into(),
        config,
        secrets: secrets
            .iter()
            .map(|(k, v)| (*k, v.to_string()))
            .collect::<BTreeMap<_, _>>(),
        rate_per_minute: None,
        enabled: None,
    }
}

#[test]
fn no_ipc_payload_of_the_notification_commands_carries_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(dir.path()).unwrap();
    let now = Utc::now();
    let added = vec![
        engine
            .add_channel(
                &input(
                    "hook",
                    ChannelConfig::Webhook(WebhookConfig {
                        url: "http://127.0.0.1:9/hook".into(),
                        events: vec![],
                    }),
                    &[
                        (SecretKind::SigningSecret, SIGNING),
                        (SecretKind::Authorization, AUTHORIZATION),
                    ],
                ),
                now,
            )
            .unwrap(),
        engine
            .add_channel(
                &input(
                    "mail",
                    ChannelConfig::Email(EmailConfig {
                        host: "127.0.0.1".into(),
                        port: 9,
                        security: EmailSecurity::None,
                        from: "vigil@example.com".into(),
                        to: vec!["appsec@example.com".into()],
                        to_roles: vec![],
                        user: Some("vigil".into()),
                        ca_file: None,
                    }),
                    &[(SecretKind::Password, PASSWORD)],
                ),
                now,
            )
            .unwrap(),
        engine
            .add_channel(
                &input(
                    "room",
                    ChannelConfig::Slack(ChatConfig {
                        url_hint: String::new(),
                    }),
                    &[(SecretKind::Url, CHAT)],
                ),
                now,
            )
            .unwrap(),
        engine
            .add_channel(
                &input(
                    "tickets",
                    ChannelConfig::Jira(JiraConfig {
                        url: "http://127.0.0.1:9".into(),
                        project: "SEC".into(),
                        issue_type: "Bug".into(),
                        user: "bot".into(),
                        api_version: 2,
                        grouping: JiraGrouping::PerViolation,
                        resolve_transition: None,
                    }),
                    &[(SecretKind::Token, TOKEN)],
                ),
                now,
            )
            .unwrap(),
    ];
    assert_eq!(
        added[0].secrets,
        vec![SecretKind::SigningSecret, SecretKind::Authorization]
    );
    // Sends fail (nothing listens on port 9): their answers are payloads too.
    let tests: Vec<_> = ["hook", "mail", "room", "tickets"]
        .iter()
        .map(|name| engine.test_channel(name, now).unwrap())
        .collect();
    assert!(tests.iter().all(|t| !t.ok), "{tests:?}");
    // An edit that keeps the secrets (none given) and one that renames.
    let mut kept = input(
        "hook2",
        ChannelConfig::Webhook(WebhookConfig {
            url: "http://127.0.0.1:9/other".into(),
            events: vec![],
        }),
        &[],
    );
    kept.rate_per_minute = Some(10);
    let renamed = engine.update_channel("hook", &kept).unwrap();
    assert_eq!(
        renamed.secrets,
        vec![SecretKind::SigningSecret, SecretKind::Authorization],
        "kept"
    );

    let payloads = [
        serde_json::to_string(&added).unwrap(),
        serde_json::to_string(&renamed).unwrap(),
        serde_json::to_string(&tests).unwrap(),
        serde_json::to_string(&engine.channels().unwrap()).unwrap(),
        serde_json::to_string(&engine.deliveries(&DeliveryFilter::default()).unwrap()).unwrap(),
        serde_json::to_string(&engine.plan_view().unwrap()).unwrap(),
        engine.export_plan().unwrap(),
    ];
    for payload in &payloads {
        for secret in [
            SIGNING,
            "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            AUTHORIZATION,
            PASSWORD,
            TOKEN,
            "chatsecret9921",
        ] {
            assert!(
                !payload.contains(secret),
                "{secret} in an IPC payload: {payload}"
            );
        }
    }
    // The secrets are where they belong: a removal takes them out of the keyring too, so a
    // channel added again under the name starts without them.
    engine.remove_channel("room").unwrap();
    let again = engine.add_channel(
        &input(
            "room",
            ChannelConfig::Slack(ChatConfig {
                url_hint: String::new(),
            }),
            &[],
        ),
        now,
    );
    assert!(again.unwrap_err().to_string().contains("--url is required"));
}
