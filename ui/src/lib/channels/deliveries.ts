// The deliveries table: one row per outbox message, with what a person asks of it — did it go,
// when will it (again), what did the server say, can I push it now.
import type { ChannelDto } from "../ipc/bindings/ChannelDto";
import type { DeliveryDto } from "../ipc/bindings/DeliveryDto";
import { formatAge } from "../time/age";
import { formatIn, formatStamp } from "../time/when";

export type DeliveryRow = {
  id: string;
  channel: string;
  event: string;
  application: string;
  title: string;
  status: DeliveryDto["status"];
  statusLabel: string;
  attempts: number;
  /** "next attempt in 5 minutes", "sent 3 minutes ago", "gave up 1 hour ago". */
  when: string;
  /** The exact time behind `when`, for its tooltip. */
  whenStamp: string;
  answer: string;
  canRetry: boolean;
};

const EVENTS: Record<string, string> = {
  "violation.new": "new violations",
  "violation.changed": "changed violations",
  "violation.resolved": "resolved violations",
  digest: "digest",
  escalation: "escalation",
  "waiver.expiring": "expiring waivers",
  "evaluation.completed": "run finished",
  "advisories.updated": "advisories updated",
  test: "test",
  ping: "test",
};

/** An event name as a person reads it; an unknown one as it is. */
export function eventLabel(event: string): string {
  return EVENTS[event] ?? event;
}

export function deliveryRow(d: DeliveryDto, now: Date): DeliveryRow {
  let when = "—";
  let whenStamp = "";
  let statusLabel: string;
  switch (d.status) {
    case "pending": {
      statusLabel = d.attempts > 0 ? "retrying" : "pending";
      if (d.next_attempt_at) {
        const ms = Date.parse(d.next_attempt_at) - now.getTime();
        when = ms < 60_000 ? "due now" : `next attempt ${formatIn(ms)}`;
        whenStamp = formatStamp(d.next_attempt_at);
      }
      break;
    }
    case "sent":
      statusLabel = "sent";
      if (d.sent_at) {
        when = `sent ${formatAge(d.sent_at, now)}`;
        whenStamp = formatStamp(d.sent_at);
      }
      break;
    case "failed":
      statusLabel = "failed";
      if (d.last_attempt_at) {
        when = `gave up ${formatAge(d.last_attempt_at, now)}`;
        whenStamp = formatStamp(d.last_attempt_at);
      }
      break;
  }
  const answer = [d.last_answer ?? "", d.reference ? `(${d.reference})` : ""].filter((s) => s !== "").join(" ");
  return {
    id: d.id,
    channel: d.channel,
    event: eventLabel(d.event),
    application: d.application ?? "—",
    title: d.title,
    status: d.status,
    statusLabel,
    attempts: d.attempts,
    when,
    whenStamp,
    answer: answer === "" ? "—" : answer,
    canRetry: d.status !== "sent",
  };
}

/** The rows, failed first, then pending (the soonest first), then sent (the latest first). */
export function deliveryRows(list: readonly DeliveryDto[], now: Date): DeliveryRow[] {
  const order = { failed: 0, pending: 1, sent: 2 } as const;
  const key = (d: DeliveryDto) => d.status === "pending" ? (d.next_attempt_at ?? d.created_at) : (d.sent_at ?? d.last_attempt_at ?? d.created_at);
  return [...list]
    .sort((a, b) => {
      const byStatus = order[a.status] - order[b.status];
      if (byStatus !== 0) return byStatus;
      const ka = key(a);
      const kb = key(b);
      return a.status === "pending" ? ka.localeCompare(kb) : kb.localeCompare(ka);
    })
    .map((d) => deliveryRow(d, now));
}

/**
 * A channel's last word in the list: "ok 3 minutes ago" / "failed 1 hour ago", or "never used".
 * The engine's times have whole seconds: a success and a failure in the same second read as
 * failed, the answer that asks for a look.
 */
export function lastOutcome(c: ChannelDto, now: Date): { label: string; ok: boolean | null } {
  const success = c.last_success_at ? Date.parse(c.last_success_at) : NaN;
  const failure = c.last_failure_at ? Date.parse(c.last_failure_at) : NaN;
  if (Number.isNaN(success) && Number.isNaN(failure)) return { label: "never used", ok: null };
  if (Number.isNaN(failure) || success > failure) return { label: `ok ${formatAge(c.last_success_at, now)}`, ok: true };
  return { label: `failed ${formatAge(c.last_failure_at, now)}`, ok: false };
}
