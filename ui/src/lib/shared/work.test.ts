import { describe, expect, it } from "vitest";
import { work } from "./work.svelte";

describe("work.track", () => {
  it("lists a task while it runs and drops it when it ends, whatever the outcome", async () => {
    let finish!: (value: number) => void;
    let fail!: (error: Error) => void;
    const done = work.track("Importing policies", new Promise<number>((resolve) => (finish = resolve)));
    const failed = work.track("Running monitoring", new Promise<number>((_, reject) => (fail = reject)));
    expect(work.tasks.map((t) => t.label)).toEqual(["Importing policies", "Running monitoring"]);

    finish(7);
    await expect(done).resolves.toBe(7);
    expect(work.tasks.map((t) => t.label)).toEqual(["Running monitoring"]);

    fail(new Error("locked"));
    await expect(failed).rejects.toThrow("locked");
    expect(work.tasks).toEqual([]);
  });
});
