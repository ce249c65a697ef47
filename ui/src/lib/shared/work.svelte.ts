// Long work started from the window that reports no progress of its own (a monitoring run, a
// CSV, VEX, policies or plan import): shown in the status bar while it runs, indeterminate.
// Scans (ScanPanel) and advisory imports and syncs (advisoryData) report their own progress.
// Each caller ends its work with its own toast: it knows what the result means.

export interface Task {
  id: number;
  label: string;
}

class Work {
  tasks = $state<Task[]>([]);
  private next = 1;

  /** Shows `label` in the status bar until `work` settles; passes its result or error on. */
  async track<T>(label: string, work: Promise<T>): Promise<T> {
    const id = this.next++;
    this.tasks = [...this.tasks, { id, label }];
    try {
      return await work;
    } finally {
      this.tasks = this.tasks.filter((t) => t.id !== id);
    }
  }
}

export const work = new Work();
