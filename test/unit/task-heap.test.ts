/**
 * The scheduler's heap of derived tasks hands tasks out in due order, ties in booking order,
 * through growth, removals and interleaved pushes — checked against a sorted list.
 */
import { TaskHeap } from '../../src/session/task-heap';

type T = [at: number, order: number, kind: number, ref: number];

/** A small deterministic generator (tests must not depend on luck). */
function lcg(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 48271) % 2147483647) / 2147483647;
}

function drain(heap: TaskHeap): T[] {
  const out: T[] = [];
  while (heap.size > 0) {
    out.push([heap.topAt(), heap.topOrder(), heap.topKind(), heap.topRef()]);
    heap.pop();
  }
  return out;
}

const byDue = (a: T, b: T) => a[0] - b[0] || a[1] - b[1];

describe('TaskHeap', () => {
  it('is empty at first: due at Infinity, popping nothing', () => {
    const heap = new TaskHeap();
    expect(heap.size).toBe(0);
    expect(heap.topAt()).toBe(Infinity);
    heap.pop();
    expect(heap.size).toBe(0);
    expect(heap.minRef(0)).toBe(Infinity);
  });

  it('hands out thousands of tasks in due order, ties in booking order, pushes and pops interleaved', () => {
    const rnd = lcg(7);
    const heap = new TaskHeap();
    const want: T[] = [];
    const got: T[] = [];
    let order = 0;
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 150; i++) {
        const t: T = [Math.floor(rnd() * 500), ++order, Math.floor(rnd() * 3), Math.floor(rnd() * 1e6)];
        heap.push(...t);
        want.push(t);
      }
      // Take the earliest 100: the reference takes them from a sorted copy.
      want.sort(byDue);
      for (let i = 0; i < 100; i++) {
        got.push([heap.topAt(), heap.topOrder(), heap.topKind(), heap.topRef()]);
        heap.pop();
      }
      expect(got.splice(0)).toEqual(want.splice(0, 100));
    }
    expect(heap.size).toBe(want.length);
    expect(drain(heap)).toEqual(want.sort(byDue));
  });

  it('removes the tasks a predicate picks and keeps the order of the rest; finds the lowest ref of a kind', () => {
    const rnd = lcg(11);
    const heap = new TaskHeap();
    const all: T[] = [];
    for (let i = 1; i <= 1000; i++) {
      const t: T = [Math.floor(rnd() * 100), i, i % 2, 5000 - i];
      heap.push(...t);
      all.push(t);
    }
    expect(heap.minRef(0)).toBe(4000);
    expect(heap.minRef(1)).toBe(4001);
    expect(heap.minRef(2)).toBe(Infinity);
    expect(heap.removeWhere((kind, ref) => kind === 0 && ref % 3 === 0)).toBe(all.filter((t) => t[2] === 0 && t[3] % 3 === 0).length);
    const left = all.filter((t) => !(t[2] === 0 && t[3] % 3 === 0));
    const seen: T[] = [];
    heap.forEach((...t) => seen.push(t));
    expect(seen.sort(byDue)).toEqual([...left].sort(byDue));
    expect(drain(heap)).toEqual(left.sort(byDue));
  });
});
