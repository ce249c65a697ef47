import { describe, expect, it } from "vitest";
import type { ChannelDto } from "../ipc/bindings/ChannelDto";
import type { DeliveryDto } from "../ipc/bindings/DeliveryDto";
import { deliveryRow, deliveryRows, eventLabel, lastOutcome } from "./deliveries";

const now = new Date("2026-03-10T12:00:00Z");

function delivery(over: Partial<DeliveryDto>): DeliveryDto {
  return {
    id: "0195-a",
    channel: "hooks",
    channel_kind: "webhook",
    event: "violation.new",
    title: "1 new violation in shop-api",
    application: "shop-api",
    recipients: [],
    status: "pending",
    attempts: 0,
    created_at: "2026-03-10T11:59:00Z",
    next_attempt_at: "2026-03-10T12:00:00Z",
    sent_at: null,
    last_attempt_at: null,
    last_answer: null,
    reference: null,
    alerts: [1],
    ...over,
  };
}

describe("delivery rows", () => {
  it("a pending first attempt is due now and can be pushed", () => {
    expect(deliveryRow(delivery({}), now)).toMatchObject({ statusLabel: "pending", when: "due now", canRetry: true, event: "new violations", answer: "—" });
  });

  it("a retry says when it comes and what the server said", () => {
    const row = deliveryRow(delivery({ attempts: 2, next_attempt_at: "2026-03-10T12:05:00Z", last_answer: "503 Service Unavailable" }), now);
    expect(row).toMatchObject({ statusLabel: "retrying", when: "next attempt in 5 minutes", answer: "503 Service Unavailable", canRetry: true });
  });

  it("a sent one says when, with what it created, and has no retry", () => {
    const row = deliveryRow(delivery({ status: "sent", attempts: 1, next_attempt_at: null, sent_at: "2026-03-10T11:57:00Z", last_answer: "201 Created", reference: "SEC-12", application: null }), now);
    expect(row).toMatchObject({ statusLabel: "sent", when: "sent 3 minutes ago", answer: "201 Created (SEC-12)", canRetry: false, application: "—" });
  });

  it("a failed one gave up and can be retried", () => {
    const row = deliveryRow(delivery({ status: "failed", attempts: 8, next_attempt_at: null, last_attempt_at: "2026-03-10T10:00:00Z", last_answer: "410 Gone" }), now);
    expect(row).toMatchObject({ statusLabel: "failed", when: "gave up 2 hours ago", canRetry: true });
  });

  it("orders failed, then pending soonest first, then sent latest first", () => {
    const rows = deliveryRows(
      [
        delivery({ id: "sent-old", status: "sent", sent_at: "2026-03-10T09:00:00Z", next_attempt_at: null }),
        delivery({ id: "pending-late", next_attempt_at: "2026-03-10T13:00:00Z" }),
        delivery({ id: "failed", status: "failed", last_attempt_at: "2026-03-10T08:00:00Z", next_attempt_at: null }),
        delivery({ id: "sent-new", status: "sent", sent_at: "2026-03-10T11:00:00Z", next_attempt_at: null }),
        delivery({ id: "pending-soon", next_attempt_at: "2026-03-10T12:01:00Z" }),
      ],
      now,
    );
    expect(rows.map((r) => r.id)).toEqual(["failed", "pending-soon", "pending-late", "sent-new", "sent-old"]);
  });

  it("names events as people say them, unknown ones as they are", () => {
    expect(eventLabel("waiver.expiring")).toBe("expiring waivers");
    expect(eventLabel("test")).toBe("test");
    expect(eventLabel("something.else")).toBe("something.else");
  });
});

describe("a channel's last outcome", () => {
  const channel = (success: string | null, failure: string | null) => ({ last_success_at: success, last_failure_at: failure }) as ChannelDto;
  it.each([
    [null, null, "never used", null],
    ["2026-03-10T11:00:00Z", null, "ok 1 hour ago", true],
    ["2026-03-10T11:00:00Z", "2026-03-10T11:30:00Z", "failed 30 minutes ago", false],
    ["2026-03-10T11:50:00Z", "2026-03-10T11:30:00Z", "ok 10 minutes ago", true],
    ["2026-03-10T11:50:00Z", "2026-03-10T11:50:00Z", "failed 10 minutes ago", false],
  ])("success %s, failure %s → %s", (success, failure, label, ok) => {
    expect(lastOutcome(channel(success, failure), now)).toEqual({ label, ok });
  });
});
