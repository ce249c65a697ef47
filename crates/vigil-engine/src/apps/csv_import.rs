//! Applications from a CSV file with a header row. Every row is checked before anything is
//! written; a bad row names its line and field, and then nothing changes. An empty cell leaves
//! that field as it is (or at its default, for a new application).

use std::{collections::HashMap, path::Path};

use super::{commit, public_ids, validate, Planned};
use crate::{api, portfolio::Portfolio, Engine, EngineError};

/// A portfolio file, not a data dump: beyond these it is refused before being read.
const MAX_BYTES: u64 = 16 * 1024 * 1024;
const MAX_ROWS: usize = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Name,
    PublicId,
    Organization,
    Tier,
    Exposure,
    Hosting,
    Users,
    Status,
    Monitor,
    Stage,
    Role(&'static str),
    Categories,
    Watch,
    WatchLabels,
    AlertOnBaseline,
}

const KNOWN: &str = "name, public_id, organization, tier, exposure, hosting, users, status, \
                     monitor, stage, owner, developer, security, manager, categories, watch, \
                     watch_labels, alert_on_baseline";

fn column(header: &str) -> Option<Column> {
    let key: String = header
        .trim()
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect();
    Some(match key.as_str() {
        "name" | "application" => Column::Name,
        "public_id" => Column::PublicId,
        "organization" | "org" => Column::Organization,
        "tier" => Column::Tier,
        "exposure" => Column::Exposure,
        "hosting" => Column::Hosting,
        "users" => Column::Users,
        "status" => Column::Status,
        "monitor" | "monitored" => Column::Monitor,
        "stage" => Column::Stage,
        "owner" | "owners" => Column::Role("owner"),
        "developer" | "developers" => Column::Role("developer"),
        "security" => Column::Role("security"),
        "manager" | "managers" => Column::Role("manager"),
        "categories" | "category" => Column::Categories,
        "watch" => Column::Watch,
        "watch_labels" | "watch_label" => Column::WatchLabels,
        "alert_on_baseline" => Column::AlertOnBaseline,
        _ => return None,
    })
}

fn switch(field: &str, value: &str) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "on" | "yes" | "true" | "1" => Ok(true),
        "off" | "no" | "false" | "0" => Ok(false),
        _ => Err(format!("{field} {value:?} is not on or off")),
    }
}

fn list(value: &str) -> Vec<String> {
    value
        .split(';')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

/// One data row: the application's name, the change it asks for, and the contacts of each
/// role it gives (which replace that role's).
type Row = (
    String,
    api::ApplicationUpdate,
    Vec<(&'static str, Vec<api::ContactDto>)>,
);

fn read_row(columns: &[Column], record: &csv::StringRecord) -> Result<Row, String> {
    let mut name = String::new();
    let mut update = api::ApplicationUpdate::default();
    let mut roles = Vec::new();
    for (column, cell) in columns.iter().zip(record.iter()) {
        let cell = cell.trim();
        if cell.is_empty() {
            continue;
        }
        let text = Some(cell.to_string());
        match column {
            Column::Name => name = cell.to_string(),
            Column::PublicId => update.public_id = text,
            Column::Organization => update.organization = text,
            Column::Tier => update.tier = text,
            Column::Exposure => update.exposure = text,
            Column::Hosting => update.hosting = text,
            Column::Status => update.status = text,
            Column::Stage => update.stage = text,
            Column::Watch => update.watch = text,
            Column::Users => {
                update.users = Some(
                    cell.replace(['_', ','], "")
                        .parse()
                        .map_err(|_| format!("users {cell:?} is not a number"))?,
                )
            }
            Column::Monitor => update.monitor = Some(switch("monitor", cell)?),
            Column::AlertOnBaseline => {
                update.alert_on_baseline = Some(switch("alert_on_baseline", cell)?)
            }
            Column::Categories => update.categories = Some(list(cell)),
            Column::WatchLabels => update.watch_labels = Some(list(cell)),
            Column::Role(role) => {
                let contacts = list(cell)
                    .iter()
                    .map(|c| validate::contact(role, "", c))
                    .collect::<Result<Vec<_>, _>>()?;
                roles.push((*role, contacts));
            }
        }
    }
    if name.is_empty() {
        return Err("name is empty".into());
    }
    Ok((name, update, roles))
}

pub(super) fn import(engine: &Engine, path: &Path) -> Result<api::AppsImportReport, EngineError> {
    let file = path.display().to_string();
    let unreadable = |e: &dyn std::fmt::Display| EngineError::Unreadable(format!("{file}: {e}"));
    let size = std::fs::metadata(path).map_err(|e| unreadable(&e))?.len();
    if size > MAX_BYTES {
        return Err(EngineError::Unreadable(format!(
            "{file}: {size} bytes; an applications file may have at most {MAX_BYTES}"
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| unreadable(&e))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes.as_slice());
    let headers = reader.headers().map_err(|e| unreadable(&e))?.clone();
    let mut columns = Vec::new();
    for header in headers.iter() {
        let column = column(header).ok_or_else(|| {
            EngineError::InvalidInput(format!(
                "{file} line 1: unknown column {header:?} (known: {KNOWN})"
            ))
        })?;
        if columns.contains(&column) {
            return Err(EngineError::InvalidInput(format!(
                "{file} line 1: column {header:?} appears twice"
            )));
        }
        columns.push(column);
    }
    if !columns.contains(&Column::Name) {
        return Err(EngineError::InvalidInput(format!(
            "{file} line 1: no name column"
        )));
    }

    let mut store = engine.store()?;
    let portfolio = Portfolio::load(&store)?;
    let monitor_new = super::monitor_new_applications(&store)?;
    let apps: HashMap<String, vigil_store::ApplicationRow> = store
        .applications()?
        .into_iter()
        .map(|a| (a.name.to_lowercase(), a))
        .collect();
    let mut taken = public_ids(&apps.values().cloned().collect::<Vec<_>>());
    let mut lines: HashMap<String, u64> = HashMap::new();
    let mut planned: Vec<Planned> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| unreadable(&e))?;
        let line = record.position().map_or(0, |p| p.line());
        if planned.len() >= MAX_ROWS {
            return Err(EngineError::InvalidInput(format!(
                "{file}: more than {MAX_ROWS} rows"
            )));
        }
        let at =
            |message: String| EngineError::InvalidInput(format!("{file} line {line}: {message}"));
        let (name, mut update, roles) = read_row(&columns, &record).map_err(at)?;
        let key = name.trim().to_lowercase();
        if let Some(first) = lines.insert(key.clone(), line) {
            return Err(at(format!("application {name:?} is also on line {first}")));
        }
        let current = apps.get(&key);
        let contacts = match current {
            Some(app) => store.contacts(app.id)?,
            None => Vec::new(),
        };
        if !roles.is_empty() {
            let mut merged: Vec<api::ContactDto> = contacts
                .iter()
                .map(|c| api::ContactDto {
                    role: c.role.clone(),
                    name: c.name.clone(),
                    email: c.email.clone(),
                })
                .collect();
            for (role, given) in roles {
                merged = validate::replace_role(&merged, role, given);
            }
            update.contacts = Some(merged);
        }
        let plan = validate::plan(
            &name,
            current.map(|app| (app, contacts.as_slice())),
            &update,
            &portfolio,
            &taken,
            monitor_new,
        )
        .map_err(at)?;
        if let Some(app) = current {
            taken.remove(&app.public_id);
        }
        taken.insert(plan.fields.public_id.clone(), key);
        planned.push(plan);
    }
    let (created, updated) = commit(&mut store, &planned)?;
    Ok(api::AppsImportReport { created, updated })
}
