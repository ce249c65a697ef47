//! The delivery worker: sends what the outbox holds when it is due, with backoff, per-channel
//! rate limits and a delivery id stable across retries. Shared by `vigil deliveries send`,
//! `vigil agent` and the desktop app.
//!
//! Nothing is lost: before each send the attempt is counted and the delivery is set to come
//! back after its backoff, in its own commit; only an answer moves it on. A process killed
//! mid-send leaves the delivery pending, so it is sent again later under the same id, which
//! receivers deduplicate on (`webhook-id`, `Message-ID`, Jira's label). At least once, never
//! lost, never under two ids.

use std::{
    collections::HashMap,
    time::{Duration, Instant},
};

use chrono::{DateTime, Utc};
use vigil_notify::{ChannelConfig, ChannelSecrets, FailureClass, Notice, Outgoing};
use vigil_store::{
    notifications::{self, DeliveryQuery, DeliveryRow},
    settings::{release_lease, take_over_lease, try_acquire_lease},
    Store,
};

use crate::{api, monitor::holder_is_gone, outbox, rfc3339, Engine, EngineError};

/// Shows desktop deliveries; only the desktop app has one. Returns an error text when the
/// notification could not be shown.
pub type DesktopSink<'a> = &'a dyn Fn(&Notice) -> Result<(), String>;

/// The setting: for how many days a failing delivery is retried (daily after the first hours).
pub const RETRY_DAYS_SETTING: &str = "delivery_retry_days";
pub const DEFAULT_RETRY_DAYS: u32 = 3;

const LEASE: &str = "deliveries";
const LEASE_MINUTES: i64 = 10;
/// How many due deliveries one query takes.
const BATCH: u32 = 500;

const ALL_KINDS: [&str; 7] = ["email", "webhook", "slack", "teams", "mattermost", "jira", "desktop"];

/// The channel kinds a worker sends: the desktop's only with a desktop to show them.
fn worker_kinds(desktop: bool) -> Vec<&'static str> {
    let mut kinds = ALL_KINDS.to_vec();
    if !desktop {
        kinds.retain(|k| *k != "desktop");
    }
    kinds
}

/// The wait after the n-th failed attempt: about 30 s, 2 min, 10 min, 1 h, 6 h, then daily.
pub fn backoff(attempt: u32) -> chrono::Duration {
    match attempt {
        0 | 1 => chrono::Duration::seconds(30),
        2 => chrono::Duration::minutes(2),
        3 => chrono::Duration::minutes(10),
        4 => chrono::Duration::hours(1),
        5 => chrono::Duration::hours(6),
        _ => chrono::Duration::days(1),
    }
}

fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn status_of(row: &DeliveryRow) -> api::DeliveryStatus {
    match row.status.as_str() {
        "sent" => api::DeliveryStatus::Sent,
        "failed" => api::DeliveryStatus::Failed,
        _ => api::DeliveryStatus::Pending,
    }
}

pub(crate) fn to_dto(row: DeliveryRow, alerts: Vec<i64>) -> api::DeliveryDto {
    let status = status_of(&row);
    api::DeliveryDto {
        channel_kind: vigil_notify::ChannelKind::parse(&row.channel_kind)
            .unwrap_or(vigil_notify::ChannelKind::Webhook),
        recipients: serde_json::from_str(&row.recipients).unwrap_or_default(),
        next_attempt_at: if status == api::DeliveryStatus::Pending {
            row.due_at
        } else {
            None
        },
        id: row.id,
        channel: row.channel,
        event: row.event,
        title: row.title,
        application: row.application,
        status,
        attempts: row.attempts,
        created_at: row.created_at,
        sent_at: row.sent_at,
        last_attempt_at: row.last_attempt_at,
        last_answer: row.last_answer,
        reference: row.reference,
        alerts,
    }
}

/// Spaces a channel's sends to its rate: each send takes the channel's next slot.
#[derive(Default)]
struct RateLimits {
    next: HashMap<i64, Instant>,
}

impl RateLimits {
    /// How long to wait at `now` before the next send through `channel`.
    fn reserve(&mut self, channel: i64, per_minute: u32, now: Instant) -> Duration {
        if per_minute == 0 {
            return Duration::ZERO;
        }
        let gap = Duration::from_secs_f64(60.0 / f64::from(per_minute));
        let slot = self
            .next
            .get(&channel)
            .copied()
            .filter(|&at| at > now)
            .unwrap_or(now);
        self.next.insert(channel, slot + gap);
        slot - now
    }

    fn wait(&mut self, channel: i64, per_minute: u32) {
        let wait = self.reserve(channel, per_minute, Instant::now());
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
    }
}

impl Engine {
    pub fn deliveries(
        &self,
        filter: &api::DeliveryFilter,
    ) -> Result<Vec<api::DeliveryDto>, EngineError> {
        let store = self.store()?;
        let rows = store.deliveries(&DeliveryQuery {
            status: filter.failed.then_some("failed"),
            channel: filter.channel.as_deref(),
            alert: filter.alert,
            limit: Some(filter.limit.unwrap_or(200)),
        })?;
        rows.into_iter()
            .map(|row| {
                let alerts = store.delivery_alerts(&row.id)?;
                Ok(to_dto(row, alerts))
            })
            .collect()
    }

    /// Sends every delivery due at `now` (desktop ones through `desktop`, else left pending),
    /// unless another process is delivering.
    pub fn send_due_deliveries(
        &self,
        now: DateTime<Utc>,
        desktop: Option<DesktopSink<'_>>,
    ) -> Result<api::DeliveryReport, EngineError> {
        let mut store = self.store()?;
        // Each call its own holder: two threads of one process (the agent's tick and a run
        // from the window) must not both hold the lease and send the same delivery twice.
        static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let kind = if desktop.is_some() { "desktop" } else { "worker" };
        let holder = crate::monitor::holder_name(&format!("{kind}#{call}"));
        let at = rfc3339(now);
        // The desktop asks every second: a read says whether there is anything to do before
        // two write transactions take and give back the lease.
        if store.due_deliveries(&at, &worker_kinds(desktop.is_some()), 1)?.is_empty() {
            return Ok(api::DeliveryReport {
                pending: store.pending_deliveries(&ALL_KINDS)?,
                left_for_desktop: if desktop.is_none() {
                    store.pending_deliveries(&["desktop"])?
                } else {
                    0
                },
                ..api::DeliveryReport::default()
            });
        }
        let until = rfc3339(now + chrono::Duration::minutes(LEASE_MINUTES));
        let taken =
            store.transaction(
                |tx| match try_acquire_lease(tx, LEASE, &holder, &at, &until)? {
                    Ok(()) => Ok(None),
                    Err(lease)
                        if holder_is_gone(&lease.holder)
                            && take_over_lease(tx, LEASE, &lease.holder, &holder, &at, &until)? =>
                    {
                        Ok(None)
                    }
                    Err(lease) => Ok(Some(format!(
                        "deliveries are being sent by {} (since {})",
                        lease.holder, lease.acquired_at
                    ))),
                },
            )?;
        if let Some(reason) = taken {
            return Ok(api::DeliveryReport {
                skipped: Some(reason),
                ..api::DeliveryReport::default()
            });
        }
        let result = self.deliver(&mut store, now, desktop);
        store.transaction(|tx| release_lease(tx, LEASE, &holder))?;
        result
    }

    fn deliver(
        &self,
        store: &mut Store,
        now: DateTime<Utc>,
        desktop: Option<DesktopSink<'_>>,
    ) -> Result<api::DeliveryReport, EngineError> {
        let retry_days = store
            .setting::<u32>(RETRY_DAYS_SETTING)?
            .unwrap_or(DEFAULT_RETRY_DAYS);
        let kinds = worker_kinds(desktop.is_some());
        let sender = vigil_notify::Sender::new().map_err(EngineError::InvalidInput)?;
        let at = rfc3339(now);
        let mut report = api::DeliveryReport::default();
        let mut limits = RateLimits::default();
        let mut configs: HashMap<i64, (ChannelConfig, u32, Result<ChannelSecrets, String>)> =
            HashMap::new();
        let mut disabled: Vec<i64> = Vec::new();
        // Read once per pass; a channel's secrets are read from the keyring when first needed.
        let mut channels: HashMap<i64, vigil_store::notifications::ChannelRow> =
            store.channels()?.into_iter().map(|c| (c.id, c)).collect();
        loop {
            let due = store.due_deliveries(&at, &kinds, BATCH)?;
            if due.is_empty() {
                break;
            }
            let mut progressed = false;
            for row in due {
                if disabled.contains(&row.channel_id) {
                    continue;
                }
                if let std::collections::hash_map::Entry::Vacant(slot) =
                    configs.entry(row.channel_id)
                {
                    // Added after this pass began: the next pass sends it.
                    let Some(channel) = channels.remove(&row.channel_id) else {
                        continue;
                    };
                    let config = outbox::parse_channel(&channel)?;
                    let secrets = self.channel_secrets(&channel).map_err(|e| e.to_string());
                    slot.insert((config, channel.rate_per_minute, secrets));
                }
                let (config, rate, secrets) = &configs[&row.channel_id];
                if matches!(config, ChannelConfig::Desktop) && desktop.is_none() {
                    continue;
                }
                progressed = true;
                limits.wait(row.channel_id, *rate);
                let attempt =
                    store.begin_attempt(&row.id, &at, &rfc3339(now + backoff(row.attempts + 1)))?;
                let notice: Notice = serde_json::from_str(&row.notice).map_err(|e| {
                    EngineError::Store(vigil_store::StoreError::Corrupt(format!(
                        "delivery {}: {e}",
                        row.id
                    )))
                })?;
                let recipients: Vec<String> =
                    serde_json::from_str(&row.recipients).unwrap_or_default();
                let outcome = match (config, secrets) {
                    (ChannelConfig::Desktop, _) => match desktop {
                        Some(show) => show(&notice)
                            .map(|()| vigil_notify::Answer {
                                status: None,
                                text: "shown on the desktop".to_string(),
                                reference: None,
                            })
                            .map_err(vigil_notify::Failure::retry),
                        None => unreachable!("desktop deliveries wait for a desktop sink"),
                    },
                    // The keyring may be locked for now: worth retrying.
                    (_, Err(error)) => Err(vigil_notify::Failure::retry(error.clone())),
                    (config, Ok(secrets)) => sender.send(&Outgoing {
                        delivery_id: &row.id,
                        channel: &row.channel,
                        attempt,
                        now,
                        config,
                        secrets,
                        notice: &notice,
                        recipients: &recipients,
                    }),
                };
                match outcome {
                    Ok(answer) => {
                        store.mark_sent(
                            &row.id,
                            &at,
                            answer.status,
                            &answer.text,
                            answer.reference.as_deref(),
                        )?;
                        store.record_channel_answer(row.channel_id, true, &at, &answer.text)?;
                        report.sent += 1;
                    }
                    Err(failure) => {
                        store.record_channel_answer(row.channel_id, false, &at, &failure.answer)?;
                        match failure.class {
                            FailureClass::Retry => {
                                // Retries give up counting from the first attempt, not from
                                // when it was queued: a workstation asleep for a week still tries.
                                let first = if row.attempts == 0 {
                                    now
                                } else {
                                    parse_time(&row.first_due_at).unwrap_or(now)
                                };
                                let mut next = now + backoff(attempt);
                                if let Some(after) = failure.retry_after {
                                    let after = chrono::Duration::from_std(after)
                                        .unwrap_or(chrono::Duration::days(1));
                                    next = next.max(now + after.min(chrono::Duration::days(1)));
                                }
                                if next > first + chrono::Duration::days(i64::from(retry_days)) {
                                    let answer = format!(
                                        "gave up after {attempt} attempts over {retry_days} days; last answer: {}",
                                        failure.answer
                                    );
                                    store.mark_failed(&row.id, failure.status, &answer)?;
                                    report.failed += 1;
                                } else {
                                    store.mark_retry(
                                        &row.id,
                                        &rfc3339(next),
                                        failure.status,
                                        &failure.answer,
                                    )?;
                                    report.retrying += 1;
                                }
                            }
                            FailureClass::Permanent => {
                                store.mark_failed(&row.id, failure.status, &failure.answer)?;
                                report.failed += 1;
                            }
                            FailureClass::Gone => {
                                store.mark_failed(&row.id, failure.status, &failure.answer)?;
                                report.failed += 1;
                                let reason =
                                    format!("the receiver answered 410 Gone at {at}: disabled");
                                let also = store.transaction(|tx| {
                                    notifications::disable_channel(tx, row.channel_id, &reason, &at)
                                })?;
                                report.failed += also;
                                disabled.push(row.channel_id);
                                report.disabled.push(row.channel.clone());
                            }
                        }
                    }
                }
            }
            if !progressed {
                break;
            }
        }
        report.pending = store.pending_deliveries(&ALL_KINDS)?;
        if desktop.is_none() {
            report.left_for_desktop = store.pending_deliveries(&["desktop"])?;
        }
        Ok(report)
    }

    /// "Retry now": a pending or failed delivery becomes due at `now` (same id).
    pub fn retry_delivery(
        &self,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<api::DeliveryDto, EngineError> {
        let mut store = self.store()?;
        let changed = store.transaction(|tx| notifications::retry_now(tx, id, &rfc3339(now)))?;
        let row = store.delivery(id)?.ok_or_else(|| {
            EngineError::NotFound(format!("no delivery {id} (vigil deliveries lists them)"))
        })?;
        if !changed {
            return Err(EngineError::InvalidInput(format!(
                "delivery {id} was already sent at {}",
                row.sent_at.unwrap_or_default()
            )));
        }
        let alerts = store.delivery_alerts(id)?;
        Ok(to_dto(row, alerts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_channel_is_spaced_to_its_own_rate() {
        let mut limits = RateLimits::default();
        let t0 = Instant::now();
        let waits: Vec<u64> = (0..3)
            .map(|_| limits.reserve(1, 60, t0).as_millis() as u64)
            .collect();
        assert_eq!(waits, vec![0, 1000, 2000], "Slack's one per second");
        assert_eq!(
            limits.reserve(2, 60, t0),
            Duration::ZERO,
            "another channel has its own slots"
        );
        // Time passing frees the slots; no burst is owed for the idle time.
        let later = t0 + Duration::from_secs(10);
        assert_eq!(limits.reserve(1, 60, later), Duration::ZERO);
        assert_eq!(limits.reserve(1, 60, later), Duration::from_secs(1));
        assert_eq!(limits.reserve(3, 0, t0), Duration::ZERO, "0 means no limit");
    }

    #[test]
    fn two_workers_of_one_process_do_not_both_hold_the_lease() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::open(dir.path()).unwrap();
        let mut store = engine.store().unwrap();
        let now = Utc::now();
        // Something is due (else no lease is asked for).
        engine.ensure_desktop_channel(now).unwrap();
        let desktop = store.channels().unwrap().remove(0);
        store
            .transaction(|tx| {
                notifications::insert_delivery(
                    tx,
                    &notifications::NewDelivery {
                        id: "0190d6a8-0000-7000-8000-000000000001",
                        channel_id: desktop.id,
                        event: "violation.new",
                        title: "1 new violation in shop",
                        application_id: None,
                        run_id: None,
                        recipients: "[]",
                        notice: "{}",
                        collect_key: None,
                        due_at: &rfc3339(now),
                        created_at: &rfc3339(now),
                    },
                    &[],
                )
            })
            .unwrap();
        // Another call of this very process (same host and pid) is delivering, e.g. the
        // agent's tick while the window's run asks for a delivery pass.
        let holder = crate::monitor::holder_name("desktop");
        let (at, until) = (rfc3339(now), rfc3339(now + chrono::Duration::minutes(5)));
        store
            .transaction(|tx| try_acquire_lease(tx, LEASE, &holder, &at, &until))
            .unwrap()
            .unwrap();
        let sink = |_: &Notice| Ok(());
        let report = engine.send_due_deliveries(now, Some(&sink)).unwrap();
        assert!(report.skipped.is_some_and(|r| r.contains("desktop")), "the second call skips");
    }

    #[test]
    fn backoff_grows_to_daily() {
        let waits: Vec<i64> = (1..=8).map(|n| backoff(n).num_seconds()).collect();
        assert_eq!(waits, vec![30, 120, 600, 3600, 21600, 86400, 86400, 86400]);
    }
}
