//! Channels and the outbox. Rows hold no secret: a channel's `secrets` names the kinds the OS
//! keyring holds for it. The engine routes alerts into deliveries inside the transaction that
//! records the alerts, and its worker moves each delivery from pending to sent or failed.

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    /// JSON, without secrets.
    pub config: String,
    /// The secret kinds stored in the keyring (`password`, `token`, …).
    pub secrets: Vec<String>,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub rate_per_minute: u32,
    pub created_at: String,
    pub last_success_at: Option<String>,
    pub last_failure_at: Option<String>,
    pub last_answer: Option<String>,
    pub pending: u32,
    pub failed: u32,
}

/// A channel to store (new or changed).
#[derive(Debug, Clone)]
pub struct ChannelWrite<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    pub config: &'a str,
    pub secrets: &'a [String],
    pub enabled: bool,
    pub rate_per_minute: u32,
}

const CHANNEL_SELECT: &str =
    "SELECT c.id, c.name, c.kind, c.config, c.secrets, c.enabled, c.disabled_reason,
    c.rate_per_minute, c.created_at, c.last_success_at, c.last_failure_at, c.last_answer,
    (SELECT COUNT(*) FROM deliveries d WHERE d.channel_id = c.id AND d.status = 'pending'),
    (SELECT COUNT(*) FROM deliveries d WHERE d.channel_id = c.id AND d.status = 'failed')
    FROM channels c";

fn channel_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ChannelRow> {
    let secrets: String = row.get(4)?;
    Ok(ChannelRow {
        id: row.get(0)?,
        name: row.get(1)?,
        kind: row.get(2)?,
        config: row.get(3)?,
        secrets: serde_json::from_str(&secrets).unwrap_or_default(),
        enabled: row.get(5)?,
        disabled_reason: row.get(6)?,
        rate_per_minute: row.get(7)?,
        created_at: row.get(8)?,
        last_success_at: row.get(9)?,
        last_failure_at: row.get(10)?,
        last_answer: row.get(11)?,
        pending: row.get(12)?,
        failed: row.get(13)?,
    })
}

/// Every channel, by name.
pub fn channels(conn: &Connection) -> Result<Vec<ChannelRow>> {
    let mut statement =
        conn.prepare_cached(&format!("{CHANNEL_SELECT} ORDER BY c.name COLLATE NOCASE"))?;
    let rows = statement.query_map([], channel_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn channel(conn: &Connection, name: &str) -> Result<Option<ChannelRow>> {
    Ok(conn
        .prepare_cached(&format!("{CHANNEL_SELECT} WHERE c.name = ?1"))?
        .query_row([name], channel_row)
        .optional()?)
}

impl Store {
    pub fn channels(&self) -> Result<Vec<ChannelRow>> {
        channels(self.conn())
    }

    pub fn channel(&self, name: &str) -> Result<Option<ChannelRow>> {
        channel(self.conn(), name)
    }
}

pub fn insert_channel(tx: &Transaction<'_>, channel: &ChannelWrite<'_>, now: &str) -> Result<i64> {
    let secrets =
        serde_json::to_string(channel.secrets).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    tx.execute(
        "INSERT INTO channels(name, kind, config, secrets, enabled, rate_per_minute, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            channel.name,
            channel.kind,
            channel.config,
            secrets,
            channel.enabled,
            channel.rate_per_minute,
            now
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Rewrites a channel; enabling it clears the reason it was disabled.
pub fn update_channel(tx: &Transaction<'_>, id: i64, channel: &ChannelWrite<'_>) -> Result<()> {
    let secrets =
        serde_json::to_string(channel.secrets).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    tx.execute(
        "UPDATE channels SET name = ?2, kind = ?3, config = ?4, secrets = ?5, enabled = ?6,
           rate_per_minute = ?7,
           disabled_reason = CASE WHEN ?6 THEN NULL ELSE disabled_reason END
         WHERE id = ?1",
        params![
            id,
            channel.name,
            channel.kind,
            channel.config,
            secrets,
            channel.enabled,
            channel.rate_per_minute
        ],
    )?;
    Ok(())
}

pub fn delete_channel(tx: &Transaction<'_>, id: i64) -> Result<()> {
    tx.execute("DELETE FROM channels WHERE id = ?1", [id])?;
    Ok(())
}

/// Records the outcome of a send on its channel (for the Channels screen).
fn record_channel_answer(
    conn: &Connection,
    id: i64,
    ok: bool,
    at: &str,
    answer: &str,
) -> Result<()> {
    let sql = if ok {
        "UPDATE channels SET last_success_at = ?2, last_answer = ?3 WHERE id = ?1"
    } else {
        "UPDATE channels SET last_failure_at = ?2, last_answer = ?3 WHERE id = ?1"
    };
    conn.prepare_cached(sql)?.execute(params![id, at, answer])?;
    Ok(())
}

/// Disables a channel (its receiver said 410 Gone); its pending deliveries fail with `reason`.
pub fn disable_channel(tx: &Transaction<'_>, id: i64, reason: &str, at: &str) -> Result<u32> {
    tx.execute(
        "UPDATE channels SET enabled = 0, disabled_reason = ?2, last_failure_at = ?3, last_answer = ?2 WHERE id = ?1",
        params![id, reason, at],
    )?;
    let failed = tx.execute(
        "UPDATE deliveries SET status = 'failed', due_at = NULL, last_answer = ?2
         WHERE channel_id = ?1 AND status = 'pending'",
        params![id, reason],
    )?;
    Ok(failed as u32)
}

/// A delivery to put in the outbox.
#[derive(Debug, Clone)]
pub struct NewDelivery<'a> {
    pub id: &'a str,
    pub channel_id: i64,
    pub event: &'a str,
    pub title: &'a str,
    pub application_id: Option<i64>,
    pub run_id: Option<i64>,
    /// JSON array.
    pub recipients: &'a str,
    /// JSON.
    pub notice: &'a str,
    pub collect_key: Option<&'a str>,
    pub due_at: &'a str,
    pub created_at: &'a str,
}

pub fn insert_delivery(
    tx: &Transaction<'_>,
    delivery: &NewDelivery<'_>,
    alerts: &[i64],
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO deliveries(id, channel_id, event, title, application_id, run_id, recipients, notice,
           collect_key, created_at, first_due_at, due_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
    )?
    .execute(params![
        delivery.id,
        delivery.channel_id,
        delivery.event,
        delivery.title,
        delivery.application_id,
        delivery.run_id,
        delivery.recipients,
        delivery.notice,
        delivery.collect_key,
        delivery.created_at,
        delivery.due_at
    ])?;
    link_alerts(tx, delivery.id, alerts)
}

fn link_alerts(tx: &Transaction<'_>, delivery: &str, alerts: &[i64]) -> Result<()> {
    let mut statement = tx.prepare_cached(
        "INSERT OR IGNORE INTO delivery_alerts(delivery_id, alert_id) VALUES (?1, ?2)",
    )?;
    for alert in alerts {
        statement.execute(params![delivery, alert])?;
    }
    Ok(())
}

/// A pending delivery that collects alerts under `key` and was not attempted yet: its id and
/// notice.
pub fn collecting(tx: &Transaction<'_>, key: &str) -> Result<Option<(String, String)>> {
    Ok(tx
        .prepare_cached(
            "SELECT id, notice FROM deliveries WHERE collect_key = ?1 AND status = 'pending' AND attempts = 0",
        )?
        .query_row([key], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?)
}

/// Grows a collecting delivery; it names an application only while it holds one.
pub fn extend_delivery(
    tx: &Transaction<'_>,
    id: &str,
    title: &str,
    notice: &str,
    alerts: &[i64],
    application_id: Option<i64>,
) -> Result<()> {
    tx.prepare_cached(
        "UPDATE deliveries SET title = ?2, notice = ?3,
           application_id = CASE WHEN application_id IS ?4 THEN application_id ELSE NULL END
         WHERE id = ?1",
    )?
    .execute(params![id, title, notice, application_id])?;
    link_alerts(tx, id, alerts)
}

/// Channel kinds as an SQL list (`'email','webhook'`); kinds are the engine's own constants.
fn kind_list(kinds: &[&str]) -> String {
    kinds
        .iter()
        .map(|k| format!("'{}'", k.replace('\'', "")))
        .collect::<Vec<_>>()
        .join(",")
}

/// A delivery as the worker and the lists read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRow {
    pub id: String,
    pub channel_id: i64,
    pub channel: String,
    pub channel_kind: String,
    pub event: String,
    pub title: String,
    pub application: Option<String>,
    pub recipients: String,
    pub notice: String,
    pub status: String,
    pub attempts: u32,
    pub created_at: String,
    pub first_due_at: String,
    pub due_at: Option<String>,
    pub last_attempt_at: Option<String>,
    pub sent_at: Option<String>,
    pub last_status: Option<u16>,
    pub last_answer: Option<String>,
    pub reference: Option<String>,
}

const DELIVERY_SELECT: &str = "SELECT d.id, d.channel_id, c.name, c.kind, d.event, d.title, a.name,
    d.recipients, d.notice, d.status, d.attempts, d.created_at, d.first_due_at, d.due_at,
    d.last_attempt_at, d.sent_at, d.last_status, d.last_answer, d.reference
    FROM deliveries d JOIN channels c ON c.id = d.channel_id
    LEFT JOIN applications a ON a.id = d.application_id";

fn delivery_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<DeliveryRow> {
    Ok(DeliveryRow {
        id: row.get(0)?,
        channel_id: row.get(1)?,
        channel: row.get(2)?,
        channel_kind: row.get(3)?,
        event: row.get(4)?,
        title: row.get(5)?,
        application: row.get(6)?,
        recipients: row.get(7)?,
        notice: row.get(8)?,
        status: row.get(9)?,
        attempts: row.get(10)?,
        created_at: row.get(11)?,
        first_due_at: row.get(12)?,
        due_at: row.get(13)?,
        last_attempt_at: row.get(14)?,
        sent_at: row.get(15)?,
        last_status: row.get(16)?,
        last_answer: row.get(17)?,
        reference: row.get(18)?,
    })
}

/// Which deliveries to list.
#[derive(Debug, Clone, Default)]
pub struct DeliveryQuery<'a> {
    pub status: Option<&'a str>,
    pub channel: Option<&'a str>,
    pub alert: Option<i64>,
    pub limit: Option<u32>,
}

impl Store {
    /// Deliveries, newest first.
    pub fn deliveries(&self, query: &DeliveryQuery<'_>) -> Result<Vec<DeliveryRow>> {
        let mut sql = format!("{DELIVERY_SELECT} WHERE 1 = 1");
        let mut values: Vec<rusqlite::types::Value> = Vec::new();
        if let Some(status) = query.status {
            values.push(status.to_string().into());
            sql.push_str(&format!(" AND d.status = ?{}", values.len()));
        }
        if let Some(channel) = query.channel {
            values.push(channel.to_string().into());
            sql.push_str(&format!(" AND c.name = ?{} COLLATE NOCASE", values.len()));
        }
        if let Some(alert) = query.alert {
            values.push(alert.into());
            sql.push_str(&format!(
                " AND d.id IN (SELECT delivery_id FROM delivery_alerts WHERE alert_id = ?{})",
                values.len()
            ));
        }
        sql.push_str(" ORDER BY d.created_at DESC, d.id DESC");
        if let Some(limit) = query.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        let mut statement = self.conn().prepare(&sql)?;
        let rows = statement.query_map(rusqlite::params_from_iter(values), delivery_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn delivery(&self, id: &str) -> Result<Option<DeliveryRow>> {
        Ok(self
            .conn()
            .prepare_cached(&format!("{DELIVERY_SELECT} WHERE d.id = ?1"))?
            .query_row([id], delivery_row)
            .optional()?)
    }

    /// The alerts a delivery carries.
    pub fn delivery_alerts(&self, id: &str) -> Result<Vec<i64>> {
        let mut statement = self.conn().prepare_cached(
            "SELECT alert_id FROM delivery_alerts WHERE delivery_id = ?1 ORDER BY alert_id",
        )?;
        let rows = statement.query_map([id], |row| row.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Pending deliveries due at `now`, oldest due first, at most `limit`, of enabled channels
    /// whose kind is in `kinds`.
    pub fn due_deliveries(
        &self,
        now: &str,
        kinds: &[&str],
        limit: u32,
    ) -> Result<Vec<DeliveryRow>> {
        let kinds = kind_list(kinds);
        let mut statement = self.conn().prepare_cached(&format!(
            "{DELIVERY_SELECT} WHERE d.status = 'pending' AND d.due_at <= ?1 AND c.enabled AND c.kind IN ({kinds})
             ORDER BY d.due_at, d.id LIMIT ?2"
        ))?;
        let rows = statement.query_map(params![now, limit], delivery_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many deliveries are pending (due or not) for channels of these kinds.
    pub fn pending_deliveries(&self, kinds: &[&str]) -> Result<u32> {
        let kinds = kind_list(kinds);
        Ok(self.conn().query_row(
            &format!(
                "SELECT COUNT(*) FROM deliveries d JOIN channels c ON c.id = d.channel_id
                 WHERE d.status = 'pending' AND c.kind IN ({kinds})"
            ),
            [],
            |row| row.get(0),
        )?)
    }
}

/// Before a send: the attempt is counted and the delivery is set to come back at `retry_at`
/// should this process die before it records the outcome, so nothing is lost.
fn begin_attempt(conn: &Connection, id: &str, now: &str, retry_at: &str) -> Result<u32> {
    Ok(conn
        .prepare_cached(
            "UPDATE deliveries SET attempts = attempts + 1, last_attempt_at = ?2, due_at = ?3,
               first_due_at = CASE WHEN attempts = 0 THEN ?2 ELSE first_due_at END
             WHERE id = ?1 AND status = 'pending' RETURNING attempts",
        )?
        .query_row(params![id, now, retry_at], |row| row.get(0))?)
}

fn mark_sent(
    conn: &Connection,
    id: &str,
    now: &str,
    status: Option<u16>,
    answer: &str,
    reference: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE deliveries SET status = 'sent', sent_at = ?2, due_at = NULL, last_status = ?3,
           last_answer = ?4, reference = COALESCE(?5, reference)
         WHERE id = ?1",
    )?
    .execute(params![id, now, status, answer, reference])?;
    Ok(())
}

fn mark_retry(
    conn: &Connection,
    id: &str,
    due_at: &str,
    status: Option<u16>,
    answer: &str,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE deliveries SET due_at = ?2, last_status = ?3, last_answer = ?4 WHERE id = ?1",
    )?
    .execute(params![id, due_at, status, answer])?;
    Ok(())
}

fn mark_failed(conn: &Connection, id: &str, status: Option<u16>, answer: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE deliveries SET status = 'failed', due_at = NULL, last_status = ?2, last_answer = ?3 WHERE id = ?1",
    )?
    .execute(params![id, status, answer])?;
    Ok(())
}

/// "Retry now": pending or failed → pending, due at `now`. Returns whether it existed and was
/// not already sent.
pub fn retry_now(tx: &Transaction<'_>, id: &str, now: &str) -> Result<bool> {
    Ok(tx.execute(
        "UPDATE deliveries SET status = 'pending', due_at = ?2, first_due_at = CASE WHEN status = 'failed' THEN ?2 ELSE first_due_at END
         WHERE id = ?1 AND status IN ('pending', 'failed')",
        params![id, now],
    )? == 1)
}

/// The worker's writes, each its own short transaction (autocommit): one delivery's progress
/// never waits for another's.
impl Store {
    pub fn begin_attempt(&self, id: &str, now: &str, retry_at: &str) -> Result<u32> {
        begin_attempt(self.conn(), id, now, retry_at)
    }

    pub fn mark_sent(
        &self,
        id: &str,
        now: &str,
        status: Option<u16>,
        answer: &str,
        reference: Option<&str>,
    ) -> Result<()> {
        mark_sent(self.conn(), id, now, status, answer, reference)
    }

    pub fn mark_retry(
        &self,
        id: &str,
        due_at: &str,
        status: Option<u16>,
        answer: &str,
    ) -> Result<()> {
        mark_retry(self.conn(), id, due_at, status, answer)
    }

    pub fn mark_failed(&self, id: &str, status: Option<u16>, answer: &str) -> Result<()> {
        mark_failed(self.conn(), id, status, answer)
    }

    pub fn record_channel_answer(&self, id: i64, ok: bool, at: &str, answer: &str) -> Result<()> {
        record_channel_answer(self.conn(), id, ok, at, answer)
    }
}

/// An open violation not yet escalated, with when monitoring first saw it.
#[derive(Debug, Clone)]
pub struct EscalationCandidate {
    pub violation_id: i64,
    pub application_id: i64,
    pub violation: vigil_policy::Violation,
    pub first_seen_at: String,
}

/// Open, unwaived, never escalated violations first seen at or before `cutoff` (RFC 3339).
pub fn escalation_candidates(
    tx: &Transaction<'_>,
    cutoff: &str,
) -> Result<Vec<EscalationCandidate>> {
    let mut statement = tx.prepare_cached(
        "SELECT v.id, v.application_id, v.policy, v.purl, v.condition_key, v.threat_level, v.details, r.started_at
         FROM violations v JOIN monitor_runs r ON r.id = v.first_seen_run
         WHERE v.status = 'open' AND v.escalated_at IS NULL AND r.started_at <= ?1
         ORDER BY v.application_id, v.id",
    )?;
    let rows = statement.query_map([cutoff], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, String>(3)?,
            row.get::<_, String>(4)?,
            row.get::<_, u8>(5)?,
            row.get::<_, String>(6)?,
            row.get::<_, String>(7)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (
            violation_id,
            application_id,
            policy,
            purl,
            condition_key,
            threat_level,
            details,
            first_seen_at,
        ) = row?;
        let details: vigil_policy::ViolationDetails = serde_json::from_str(&details)
            .map_err(|e| StoreError::Corrupt(format!("violation {violation_id}: {e}")))?;
        if details.waiver.is_some() {
            continue;
        }
        out.push(EscalationCandidate {
            violation_id,
            application_id,
            violation: vigil_policy::Violation {
                policy,
                threat_level,
                purl,
                condition_key,
                details,
            },
            first_seen_at,
        });
    }
    Ok(out)
}

pub fn mark_escalated(tx: &Transaction<'_>, violation_id: i64, now: &str) -> Result<()> {
    tx.prepare_cached("UPDATE violations SET escalated_at = ?2 WHERE id = ?1")?
        .execute(params![violation_id, now])?;
    Ok(())
}

/// A waiver expiring soon that was not announced: (id, scope, scope name, component, policy,
/// advisory, reason, expires).
pub type ExpiringWaiver = (
    i64,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
);

/// Waivers expiring from `today` through `until` (`YYYY-MM-DD`) not yet announced.
pub fn expiring_waivers(
    tx: &Transaction<'_>,
    today: &str,
    until: &str,
) -> Result<Vec<ExpiringWaiver>> {
    let mut statement = tx.prepare_cached(
        "SELECT id, scope, scope_name, component, policy, advisory, reason, expires FROM waivers
         WHERE expiry_announced_at IS NULL AND expires >= ?1 AND expires <= ?2 ORDER BY expires, id",
    )?;
    let rows = statement.query_map(params![today, until], |row| {
        Ok((
            row.get(0)?,
            row.get(1)?,
            row.get(2)?,
            row.get(3)?,
            row.get(4)?,
            row.get(5)?,
            row.get(6)?,
            row.get(7)?,
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn mark_waiver_announced(tx: &Transaction<'_>, id: i64, now: &str) -> Result<()> {
    tx.prepare_cached("UPDATE waivers SET expiry_announced_at = ?2 WHERE id = ?1")?
        .execute(params![id, now])?;
    Ok(())
}
