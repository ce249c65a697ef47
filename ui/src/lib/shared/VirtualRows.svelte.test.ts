// @vitest-environment jsdom
// VirtualRows in a DOM (jsdom has no layout: the scroll pane's height and offset are given).
import { createRawSnippet, flushSync, mount, tick, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import VirtualRows from "./VirtualRows.svelte";

interface Item {
  id: number;
  name: string;
}

const ROWS = 10_000;
const items: Item[] = Array.from({ length: ROWS }, (_, i) => ({ id: i, name: `component-${i}` }));

const head = createRawSnippet(() => ({ render: () => "<thead><tr><th>Name</th></tr></thead>" }));
const row = createRawSnippet((item: () => Item) => ({ render: () => `<td>${item().name}</td>` }));

let pane: HTMLDivElement;
let offset = 0;
let component: ReturnType<typeof mount> | null = null;

class NoResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}

// Every row is one 21 px line (jsdom measures everything as 0 px high).
Object.defineProperty(HTMLTableRowElement.prototype, "offsetHeight", { configurable: true, get: () => 21 });

beforeEach(() => {
  (globalThis as { ResizeObserver?: unknown }).ResizeObserver = NoResizeObserver;
  pane = document.createElement("div");
  pane.style.overflowY = "auto";
  offset = 0;
  // 20 rows of 21 px fit; the pane scrolls like a browser's, through scrollTop or scrollTo.
  Object.defineProperty(pane, "clientHeight", { value: 420 });
  Object.defineProperty(pane, "scrollHeight", { value: ROWS * 21 });
  Object.defineProperty(pane, "scrollTop", {
    get: () => offset,
    set: (value: number) => {
      offset = value;
    },
  });
  // The table's body moves up as the pane scrolls, as in a browser (VirtualRows places the
  // rows from where the body starts in the scrolled content).
  HTMLTableSectionElement.prototype.getBoundingClientRect = () => new DOMRect(0, -offset, 800, 0);
  pane.scrollTo = ((options: ScrollToOptions) => {
    offset = options.top ?? offset;
    pane.dispatchEvent(new Event("scroll"));
  }) as typeof pane.scrollTo;
  document.body.append(pane);
});

afterEach(() => {
  if (component) unmount(component);
  component = null;
  pane.remove();
});

function render(props: Record<string, unknown> = {}) {
  component = mount(VirtualRows<Item>, {
    target: pane,
    props: { items, key: (i: Item) => i.id, head, row, attrs: () => ({ "data-testid": "row" }), ...props },
  });
  flushSync();
}

function shown(): string[] {
  return [...pane.querySelectorAll('tr[data-testid="row"]')].map((tr) => tr.textContent ?? "");
}

async function scrollTo(top: number) {
  offset = top;
  pane.dispatchEvent(new Event("scroll"));
  await tick();
  flushSync();
}

describe("VirtualRows at 10,000 rows", () => {
  it("keeps a bounded number of rows in the DOM, the first ones at the top", () => {
    render();
    const rows = shown();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(100);
    expect(rows[0]).toBe("component-0");
    expect(pane.querySelector("table")?.getAttribute("data-rows")).toBe(String(ROWS));
  });

  it("moves the window of rows with the scroll and keeps the full height in spacers", async () => {
    render();
    await scrollTo(21 * 5000);
    const rows = shown();
    expect(rows.length).toBeLessThan(100);
    expect(rows).toContain("component-5000");
    expect(rows).not.toContain("component-0");
    const spacers = [...pane.querySelectorAll<HTMLElement>("tr.spacer")].map((s) => parseFloat(s.style.height));
    const rendered = rows.length * 21;
    expect(spacers.reduce((a, b) => a + b, 0) + rendered).toBe(ROWS * 21);

    await scrollTo(21 * ROWS - 420);
    expect(shown().at(-1)).toBe(`component-${ROWS - 1}`);
  });

  it("End focuses the last row, Home the first, ↓ the next; Enter opens the focused one", async () => {
    const opened: string[] = [];
    render({ onopen: (item: Item) => opened.push(item.name) });
    const first = pane.querySelector<HTMLElement>('tr[data-index="0"]')!;
    first.focus();
    first.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
    await new Promise((r) => setTimeout(r, 50));
    expect(document.activeElement?.textContent).toBe("component-1");

    (document.activeElement as HTMLElement).dispatchEvent(new KeyboardEvent("keydown", { key: "End", bubbles: true }));
    await new Promise((r) => setTimeout(r, 100));
    expect(document.activeElement?.getAttribute("data-index")).toBe(String(ROWS - 1));
    expect(document.activeElement?.textContent).toBe(`component-${ROWS - 1}`);
    expect(shown().length).toBeLessThan(100);

    (document.activeElement as HTMLElement).dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    expect(opened).toEqual([`component-${ROWS - 1}`]);

    (document.activeElement as HTMLElement).dispatchEvent(new KeyboardEvent("keydown", { key: "Home", bubbles: true }));
    await new Promise((r) => setTimeout(r, 100));
    expect(document.activeElement?.textContent).toBe("component-0");
  });

  it("follows a new list (a filter, a re-sort): the rows shown and the count change with it", async () => {
    const props = $state({ items: items as Item[], key: (i: Item) => i.id, head, row, attrs: () => ({ "data-testid": "row" }) });
    component = mount(VirtualRows<Item>, { target: pane, props });
    flushSync();
    expect(shown()[0]).toBe("component-0");

    props.items = items.filter((i) => i.id % 1000 === 7).reverse();
    await tick();
    flushSync();
    expect(shown()).toEqual(["component-9007", "component-8007", "component-7007", "component-6007", "component-5007", "component-4007", "component-3007", "component-2007", "component-1007", "component-7"]);
    expect(pane.querySelector("table")?.getAttribute("data-rows")).toBe("10");
    // Ten rows fit the pane: no room is kept for the 9,990 rows that are gone.
    expect(pane.querySelectorAll("tr.spacer").length).toBe(0);
  });

  it("skips the rows canFocus refuses", async () => {
    render({ canFocus: (item: Item) => item.id % 2 === 0 });
    const first = pane.querySelector<HTMLElement>('tr[data-index="0"]')!;
    first.focus();
    first.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
    await new Promise((r) => setTimeout(r, 50));
    expect(document.activeElement?.textContent).toBe("component-2");
    expect(pane.querySelector('tr[data-index="1"]')?.getAttribute("tabindex")).toBe("-1");
  });
});
