//! The notification plan (`model.rs`), as code (`yaml.rs`), and routing: which channels and
//! recipients an alert goes to and when (`route.rs`, pure), and the preview (`preview.rs`).

pub mod model;
pub mod route;
pub mod yaml;

pub use model::{DeliveryMode, Plan, QuietHours, Sla, TierRule, WaiverAlerts};

use chrono::{DateTime, Utc};

use crate::{api, Engine, EngineError};

impl Engine {
    fn channel_names(&self) -> Result<Vec<String>, EngineError> {
        Ok(self.store()?.channels()?.into_iter().map(|c| c.name).collect())
    }

    pub fn plan_view(&self) -> Result<api::PlanView, EngineError> {
        let store = self.store()?;
        let (plan, configured) = crate::outbox::load_plan(&store)?;
        Ok(api::PlanView {
            plan,
            configured,
            channels: store.channels()?.into_iter().map(|c| c.name).collect(),
        })
    }

    /// Replaces the plan (validated first; nothing is stored when it is refused).
    pub fn set_plan(&self, plan: &Plan) -> Result<(), EngineError> {
        yaml::validate_plan(plan, &self.channel_names()?).map_err(EngineError::InvalidInput)?;
        self.store()?.set_setting(crate::outbox::PLAN_SETTING, plan)?;
        Ok(())
    }

    pub fn export_plan(&self) -> Result<String, EngineError> {
        Ok(yaml::export_plan(&self.plan_view()?.plan))
    }

    /// Imports a plan from YAML; `source` names the file in errors. All or nothing.
    pub fn import_plan(&self, text: &str, source: &str) -> Result<api::PlanView, EngineError> {
        let plan = yaml::parse_plan(text, source, &self.channel_names()?).map_err(EngineError::InvalidInput)?;
        self.store()?.set_setting(crate::outbox::PLAN_SETTING, &plan)?;
        self.plan_view()
    }

    /// "Who would be told what, where, if an alert happened now?"
    pub fn plan_preview(&self, request: &api::PlanPreviewRequest, now: DateTime<Utc>) -> Result<api::PlanPreview, EngineError> {
        use vigil_notify::notice::AlertKind;
        let store = self.store()?;
        let app = store.application(&request.application)?.ok_or_else(|| {
            EngineError::NotFound(format!("no application named {:?}", request.application))
        })?;
        let contacts: Vec<api::ContactDto> = store
            .contacts(app.id)?
            .into_iter()
            .map(crate::apps::contact_dto)
            .collect();
        let (plan, _) = crate::outbox::load_plan(&store)?;
        let mut channels = Vec::new();
        let mut kinds = std::collections::HashMap::new();
        for row in store.channels()? {
            let config = crate::outbox::parse_channel(&row)?;
            kinds.insert(row.name.clone(), config.kind());
            channels.push(crate::outbox::channel_facts(&row, &config));
        }
        let kind = match request.kind.as_deref().unwrap_or("new") {
            "new" => AlertKind::New,
            "changed" => AlertKind::Changed,
            "resolved" => AlertKind::Resolved,
            other => return Err(EngineError::InvalidInput(format!("--kind {other}: expected new, changed or resolved"))),
        };
        let threat_level = request.threat_level.unwrap_or(10);
        if threat_level > 10 {
            return Err(EngineError::InvalidInput("--threat: a threat level is 0 to 10".into()));
        }
        let policies = store.policies()?;
        let targets = match &request.policy {
            Some(name) => Some(
                policies
                    .iter()
                    .find(|p| p.name.eq_ignore_ascii_case(name))
                    .ok_or_else(|| EngineError::NotFound(format!("no policy named {name:?}")))?
                    .targets
                    .clone(),
            ),
            None => None,
        };
        let app_facts = route::AppFacts { name: &app.name, tier: &app.tier, contacts: &contacts };
        let alert = route::AlertFacts { threat_level, kind, targets: targets.as_ref(), policy: request.policy.as_deref() };
        let routes = route::route(&plan, &channels, &app_facts, &alert, now);
        let silent_because = if routes.is_empty() {
            route::silent_because(&plan, &channels, &app_facts, &alert)
                .or_else(|| Some("no channel would be told".to_string()))
        } else {
            None
        };
        let entries = routes
            .into_iter()
            .map(|r| api::PlanPreviewEntry {
                channel_kind: kinds.get(&r.channel).copied().unwrap_or(vigil_notify::ChannelKind::Webhook),
                when: describe_when(&r, now),
                send_at: crate::rfc3339(r.send_at),
                channel: r.channel,
                recipients: r.recipients,
                mode: r.mode,
                why: r.why,
            })
            .collect();
        Ok(api::PlanPreview {
            application: app.name,
            tier: app.tier,
            threat_level,
            kind: request.kind.clone().unwrap_or_else(|| "new".into()),
            entries,
            silent_because,
        })
    }
}

/// `immediately`, `in the digest at 2026-12-07T07:00:00Z`, `held until …`.
fn describe_when(route: &route::Route, now: DateTime<Utc>) -> String {
    match route.mode {
        DeliveryMode::Digest => format!("in the digest at {}", crate::rfc3339(route.send_at)),
        DeliveryMode::Immediate if route.send_at <= now => "immediately".to_string(),
        DeliveryMode::Immediate => format!("held until {}", crate::rfc3339(route.send_at)),
    }
}
