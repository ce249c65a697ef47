//! Checking an application change field by field. Every error names the field and the value,
//! so that the CLI, the desktop form and a CSV line can all say what is wrong.

use std::collections::HashMap;

use vigil_model::Stage;
use vigil_store::{applications::slug, ApplicationProfileFields, ApplicationRow, ContactRow};

use super::Planned;
use crate::{api, portfolio::Portfolio};

pub const TIERS: &[&str] = &["critical", "high", "medium", "low"];
pub const EXPOSURES: &[&str] = &["internal", "external"];
pub const HOSTINGS: &[&str] = &["hosted", "distributed"];
pub const STATUSES: &[&str] = &["active", "retired"];
pub const WATCHES: &[&str] = &["latest", "major", "labels"];
pub const ROLES: &[&str] = &["owner", "developer", "security", "manager"];

pub const MAX_NAME: usize = 200;
const MAX_LIST: usize = 100;

pub fn limit(field: &str, value: &str, max: usize) -> Result<(), String> {
    if value.chars().count() > max {
        Err(format!("{field} {value:?} is longer than {max} characters"))
    } else {
        Ok(())
    }
}

fn one_of(field: &str, value: &str, allowed: &[&str]) -> Result<String, String> {
    let v = value.trim().to_ascii_lowercase();
    if allowed.contains(&v.as_str()) {
        Ok(v)
    } else {
        Err(format!(
            "{field} {value:?} is not one of {}",
            allowed.join(", ")
        ))
    }
}

fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !email
            .chars()
            .any(|c| c.is_whitespace() || "<>,;\"()[]".contains(c))
}

/// A contact as people write it: `Ada Lovelace <ada@example.com>` or `ada@example.com` (the
/// name may also come separately).
pub fn contact(role: &str, name: &str, email: &str) -> Result<api::ContactDto, String> {
    let role = one_of("role", role, ROLES)?;
    let (mut name, mut email) = (name.trim().to_string(), email.trim().to_string());
    if let Some((before, after)) = email.split_once('<') {
        let inner = after.strip_suffix('>').ok_or_else(|| {
            format!("{role} {email:?} is not an email address (Name <email> needs the closing >)")
        })?;
        if name.is_empty() {
            name = before.trim().trim_matches('"').trim().to_string();
        }
        email = inner.trim().to_string();
    }
    if !valid_email(&email) {
        return Err(format!("{role} {email:?} is not an email address"));
    }
    limit(&role, &name, MAX_NAME)?;
    limit(&role, &email, MAX_NAME)?;
    Ok(api::ContactDto { role, name, email })
}

fn cleaned_list(field: &str, values: &[String], sort: bool) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for value in values {
        let value = value.trim();
        if value.is_empty() || out.iter().any(|o| o == value) {
            continue;
        }
        limit(field, value, MAX_NAME)?;
        out.push(value.to_string());
    }
    if out.len() > MAX_LIST {
        return Err(format!("{field}: more than {MAX_LIST} given"));
    }
    if sort {
        out.sort();
    }
    Ok(out)
}

fn public_id(value: &str) -> Result<String, String> {
    let v = value.trim();
    let ok = !v.is_empty()
        && v.len() <= 64
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(v.to_string())
    } else {
        Err(format!(
            "public id {value:?} must be 1–64 letters, digits, '-', '_' or '.'"
        ))
    }
}

/// A public id for a new application: its name's slug, numbered when taken.
fn fresh_public_id(name: &str, taken: &HashMap<String, String>) -> String {
    let base = slug(name);
    if !taken.contains_key(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| !taken.contains_key(candidate))
        .expect("an unbounded search ends")
}

/// Checks `update` against the application as it is (`None`: it is new) and the portfolio;
/// `taken` maps each public id in use to the lower-cased name of its application.
pub(crate) fn plan(
    name: &str,
    current: Option<(&ApplicationRow, &[ContactRow])>,
    update: &api::ApplicationUpdate,
    portfolio: &Portfolio,
    taken: &HashMap<String, String>,
    monitor_new: bool,
) -> Result<Planned, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("name is empty".into());
    }
    limit("name", name, MAX_NAME)?;
    let mut fields = match current {
        Some((app, contacts)) => ApplicationProfileFields {
            monitored: app.monitored,
            monitored_stage: app.monitored_stage.clone(),
            organization: app.organization.clone(),
            categories: app.categories.clone(),
            public_id: app.public_id.clone(),
            tier: app.tier.clone(),
            exposure: app.exposure.clone(),
            hosting: app.hosting.clone(),
            users: app.users,
            status: app.status.clone(),
            watch: app.watch.clone(),
            watch_labels: app.watch_labels.clone(),
            alert_on_baseline: app.alert_on_baseline,
            contacts: contacts.to_vec(),
        },
        None => ApplicationProfileFields {
            monitored: monitor_new,
            monitored_stage: Stage::Build.as_str().to_string(),
            organization: None,
            categories: Vec::new(),
            public_id: String::new(),
            tier: "medium".into(),
            exposure: "internal".into(),
            hosting: "hosted".into(),
            users: None,
            status: "active".into(),
            watch: "latest".into(),
            watch_labels: Vec::new(),
            alert_on_baseline: false,
            contacts: Vec::new(),
        },
    };
    let before = (
        fields.organization.clone(),
        fields.categories.clone(),
        fields.monitored_stage.clone(),
    );
    if let Some(stage) = &update.stage {
        let stage: Stage = stage
            .trim()
            .parse()
            .map_err(|e: vigil_model::StageError| format!("stage {stage:?}: {e}"))?;
        fields.monitored_stage = stage.as_str().to_string();
    }
    if let Some(org) = &update.organization {
        let org = org.trim();
        limit("organization", org, MAX_NAME)?;
        fields.organization =
            if org.is_empty() || org.eq_ignore_ascii_case(vigil_store::organizations::ROOT_NAME) {
                None
            } else {
                // The tree's spelling, so that scopes naming it match whichever case was typed.
                Some(
                    portfolio
                        .org(Some(org))
                        .map_or_else(|| org.to_string(), |o| o.name.clone()),
                )
            };
    }
    if let Some(categories) = &update.categories {
        fields.categories = cleaned_list("category", categories, true)?;
    }
    if let Some(tier) = &update.tier {
        fields.tier = one_of("tier", tier, TIERS)?;
    }
    if let Some(exposure) = &update.exposure {
        fields.exposure = one_of("exposure", exposure, EXPOSURES)?;
    }
    if let Some(hosting) = &update.hosting {
        fields.hosting = one_of("hosting", hosting, HOSTINGS)?;
    }
    if let Some(users) = update.users {
        fields.users = Some(users);
    }
    if let Some(status) = &update.status {
        fields.status = one_of("status", status, STATUSES)?;
    }
    if let Some(watch) = &update.watch {
        fields.watch = one_of("watch", watch, WATCHES)?;
    }
    if let Some(labels) = &update.watch_labels {
        fields.watch_labels = cleaned_list("watch label", labels, false)?;
    }
    if fields.watch == "labels" && fields.watch_labels.is_empty() {
        return Err("watch \"labels\" needs at least one watch label".into());
    }
    if let Some(on) = update.alert_on_baseline {
        fields.alert_on_baseline = on;
    }
    if let Some(contacts) = &update.contacts {
        let mut checked: Vec<ContactRow> = Vec::new();
        for c in contacts {
            let c = contact(&c.role, &c.name, &c.email)?;
            if !checked
                .iter()
                .any(|k| k.role == c.role && k.email.eq_ignore_ascii_case(&c.email))
            {
                checked.push(ContactRow {
                    role: c.role,
                    name: c.name,
                    email: c.email,
                });
            }
        }
        if checked.len() > MAX_LIST {
            return Err(format!("contacts: more than {MAX_LIST} given"));
        }
        fields.contacts = checked;
    }
    let key = name.to_lowercase();
    match &update.public_id {
        Some(id) => {
            let id = public_id(id)?;
            if let Some(holder) = taken.get(&id).filter(|holder| **holder != key) {
                return Err(format!(
                    "public id {id:?} is already the public id of {holder}"
                ));
            }
            fields.public_id = id;
        }
        None if fields.public_id.is_empty() => fields.public_id = fresh_public_id(name, taken),
        None => {}
    }
    if let Some(false) = update.monitor {
        if let Some(org) = portfolio.forcing_org(fields.organization.as_deref()) {
            return Err(format!(
                "monitor off: organization {org} turns monitoring on for every application \
                 below it; turn it off there (vigil orgs set {org:?} --monitor inherit) or move \
                 the application"
            ));
        }
    }
    if let Some(on) = update.monitor {
        fields.monitored = on;
    }
    let reevaluate = current.is_some()
        && (before.0 != fields.organization
            || before.1 != fields.categories
            || before.2 != fields.monitored_stage);
    Ok(Planned {
        id: current.map(|(app, _)| app.id),
        name: current.map_or_else(|| name.to_string(), |(app, _)| app.name.clone()),
        fields,
        reevaluate,
    })
}

/// `contacts` with every contact of `role` replaced by `given`.
pub(crate) fn replace_role(
    contacts: &[api::ContactDto],
    role: &str,
    given: Vec<api::ContactDto>,
) -> Vec<api::ContactDto> {
    contacts
        .iter()
        .filter(|c| c.role != role)
        .cloned()
        .chain(given)
        .collect()
}
