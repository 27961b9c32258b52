/**
 * All-or-nothing transactions for stores whose writes land at once (the memory store, the LMDB
 * store's group-commit overlay): each write records how to undo itself while a transaction is open,
 * and a transaction that throws undoes them newest first.
 */
export class UndoJournal {
  private steps: (() => void)[] | null = null;
  private runs = 0;

  /** The running transaction's number, or null outside one. */
  get id(): number | null {
    return this.steps ? this.runs : null;
  }

  /** True inside a transaction. */
  get open(): boolean {
    return this.steps !== null;
  }

  /** Records how to undo a write, when a transaction is open. */
  record(undo: () => void): void {
    this.steps?.push(undo);
  }

  /** Runs `fn` atomically; nested calls join the outer transaction. */
  run<R>(fn: () => R): R {
    if (this.steps) return fn();
    const steps: (() => void)[] = [];
    this.steps = steps;
    this.runs++;
    try {
      return fn();
    } catch (err) {
      this.steps = null;
      for (const undo of steps.reverse()) undo();
      throw err;
    } finally {
      this.steps = null;
    }
  }
}
