/**
 * A cap on V8's young generation in mirra's own processes (`mirra up`, `replay`, `record`; issue
 * #14, item 3). After a burst of requests V8 grows the young generation to its default maximum
 * (two 16 MB semi-spaces on 64-bit) and keeps it: 32 MB of RSS that holds nothing, a fifth of a
 * mirror's memory after 50,000 creates. Capped at two 4 MB semi-spaces, RSS after those creates
 * fell from 161–168 MB to 122–133 MB in memory runs (124 MB in the full bench, 193 MB uncapped in
 * the same run), CPU per create within noise (bench/PROFILING.md row 31).
 *
 * `--max-semi-space-size` would do it, but V8 reads it only when the process starts, and mirra
 * cannot add a flag to the `node` that runs it without a second process. What V8 does read as it
 * goes is the factor the young generation grows by. So at start this grows the young generation
 * to the cap (a few milliseconds of allocation that survives) and sets the factor to 1: no more
 * growth. Growth is decided inside a scavenge, where no JavaScript runs, so waiting for it to
 * reach the cap and then stopping it was measured to overshoot under load (2 × 8 MB). Should V8
 * shrink it when idle, each GC report brings it back to the cap in one step.
 *
 * A user who picks their own size (`--max-semi-space-size` and friends, on the command line or in
 * NODE_OPTIONS) keeps it: mirra then changes nothing.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** Each of the two semi-spaces of the young generation may grow to this many MiB. */
export const SEMI_SPACE_CAP_MB = 4;

/** V8's own growth factor (its default since the flag exists). */
const V8_GROWTH = 2;

/** Node flags with which a user sizes the young generation themselves. */
const USER_CHOICE = /--(max|min)[-_]semi[-_]space[-_]size|--semi[-_]space[-_]growth[-_]factor/;

/** At most this many MiB are allocated to grow the young generation at start. */
const GROW_BUDGET_MB = 64;

/** The young generation's size in bytes (both semi-spaces). */
export function youngGenerationBytes(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

/**
 * The growth factor that takes a young generation of `size` bytes to at most `cap` in one step:
 * 1 (no growth) at the cap or over it.
 */
export function growthFactorFor(size: number, cap: number): number {
  return size > 0 && size < cap ? Math.max(1, Math.floor(cap / size)) : 1;
}

/** Sets V8's growth factor for the young generation (read at its next growth). */
function setGrowthFactor(factor: number): void {
  setFlagsFromString(`--semi-space-growth-factor=${factor}`);
}

/** Allocates objects that survive scavenges until the young generation has grown to `cap`. */
function growTo(cap: number): void {
  const held: number[][] = [];
  let size = -1;
  // Each round holds 16 arrays of 128 numbers (~17 KB); survivors of the young generation's size
  // make V8 grow it at the next scavenge. The factor follows the size, so no step passes the cap.
  for (let bytes = 0; bytes < GROW_BUDGET_MB * 2 ** 20; bytes += 16 * 1064) {
    const now = youngGenerationBytes();
    if (now >= cap) return;
    if (now !== size) setGrowthFactor(growthFactorFor((size = now), cap));
    for (let i = 0; i < 16; i++) held.push(new Array<number>(128).fill(i));
  }
}

/**
 * Keeps the young generation at `semiSpaceMb` per semi-space from now on; returns what undoes it
 * (V8's growth back, the observer gone). Does nothing (and undoes nothing) when the user sized it:
 * `execArgv` and `nodeOptions` are where they would have.
 */
export function capYoungGeneration(
  semiSpaceMb = SEMI_SPACE_CAP_MB,
  execArgv: readonly string[] = process.execArgv,
  nodeOptions = process.env.NODE_OPTIONS ?? '',
): () => void {
  if (execArgv.some((a) => USER_CHOICE.test(a)) || USER_CHOICE.test(nodeOptions)) return () => {};
  const cap = 2 * semiSpaceMb * 2 ** 20;
  growTo(cap);
  let factor = 0;
  const check = () => {
    const next = growthFactorFor(youngGenerationBytes(), cap);
    if (next === factor) return;
    factor = next;
    setGrowthFactor(next);
  };
  check();
  const observer = new PerformanceObserver(check);
  observer.observe({ entryTypes: ['gc'] });
  return () => {
    observer.disconnect();
    setGrowthFactor(V8_GROWTH);
  };
}
