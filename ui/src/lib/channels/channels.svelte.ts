// The channels and the outbox's deliveries, as the Channels and Plan screens show them. The
// shell says when deliveries changed (`deliveries-changed`); App.svelte calls `refresh` then.
import * as ipc from "../ipc/commands";
import type { ChannelDto } from "../ipc/bindings/ChannelDto";
import type { ChannelInput } from "../ipc/bindings/ChannelInput";
import type { ChannelTestResult } from "../ipc/bindings/ChannelTestResult";
import type { DeliveryDto } from "../ipc/bindings/DeliveryDto";
import { toErrorDto } from "../ipc/errors";
import type { Loadable } from "../load";

/** The most deliveries the table lists. */
const DELIVERIES_SHOWN = 200;

class Channels {
  list = $state<Loadable<ChannelDto[]>>({ state: "loading" });
  deliveries = $state<Loadable<DeliveryDto[]>>({ state: "loading" });
  failedOnly = $state(false);
  /** Delivery ids with a retry under way. */
  retrying = $state<string[]>([]);

  get names(): string[] {
    return this.list.state === "ready" ? this.list.value.map((c) => c.name) : [];
  }

  async refreshChannels() {
    try {
      this.list = { state: "ready", value: await ipc.channels() };
    } catch (error) {
      this.list = { state: "error", error: toErrorDto(error) };
    }
  }

  async refreshDeliveries() {
    try {
      const value = await ipc.deliveries({ failed: this.failedOnly, channel: null, alert: null, limit: DELIVERIES_SHOWN });
      this.deliveries = { state: "ready", value };
    } catch (error) {
      this.deliveries = { state: "error", error: toErrorDto(error) };
    }
  }

  async refresh() {
    await Promise.all([this.refreshChannels(), this.refreshDeliveries()]);
  }

  async setFailedOnly(failedOnly: boolean) {
    this.failedOnly = failedOnly;
    await this.refreshDeliveries();
  }

  /** Adds (`original` null) or changes a channel; rejects with the engine's checks. */
  async save(original: string | null, input: ChannelInput): Promise<ChannelDto> {
    try {
      return original === null ? await ipc.addChannel(input) : await ipc.updateChannel(original, input);
    } finally {
      await this.refresh();
    }
  }

  async remove(name: string) {
    try {
      await ipc.removeChannel(name);
    } finally {
      await this.refresh();
    }
  }

  async test(name: string): Promise<ChannelTestResult> {
    try {
      return await ipc.testChannel(name);
    } finally {
      await this.refresh();
    }
  }

  async retry(id: string): Promise<DeliveryDto> {
    this.retrying = [...this.retrying, id];
    try {
      return await ipc.retryDelivery(id);
    } finally {
      this.retrying = this.retrying.filter((r) => r !== id);
      await this.refresh();
    }
  }
}

export const channels = new Channels();
