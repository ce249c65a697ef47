// Short messages that end long work ("Imported 1,204 advisories"); they go away by themselves.
export interface Toast {
  id: number;
  kind: "info" | "error";
  text: string;
}

class Toasts {
  items = $state<Toast[]>([]);
  #next = 1;

  show(text: string, kind: Toast["kind"] = "info", ms = 6000) {
    const id = this.#next++;
    this.items.push({ id, kind, text });
    setTimeout(() => this.dismiss(id), ms);
  }

  dismiss(id: number) {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

export const toasts = new Toasts();
