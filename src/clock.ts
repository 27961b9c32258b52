/**
 * Time for mirra. This is the only module that reads the wall clock: everything else asks a
 * {@link SessionClock}, so a test can freeze and step time and a CI run never waits on timers.
 */

/** Source of real time; injectable so tests of the clock itself are deterministic. */
export interface TimeSource {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The process's real time. */
export const realTime: TimeSource = { now: () => Date.now() };

/** What a session's clock persists: how far it is ahead of real time, and whether it is frozen. */
export interface ClockState {
  /** Milliseconds added to real time by `advance` (real mode). */
  offsetMs: number;
  /** When frozen, the virtual instant the clock stands at; null when time flows. */
  frozenAt: number | null;
}

/** Initial state: real time, no offset. */
export function initialClockState(): ClockState {
  return { offsetMs: 0, frozenAt: null };
}

/**
 * A session's virtual clock. In real mode it follows real time plus an offset; frozen, it stands
 * still until advanced. `advance` moves it forward in both modes.
 */
export class SessionClock {
  constructor(
    private readonly source: TimeSource,
    private state: ClockState,
  ) {}

  /** The virtual now, in epoch milliseconds. */
  now(): number {
    return this.state.frozenAt ?? this.source.now() + this.state.offsetMs;
  }

  /** True while the clock only moves when advanced. */
  isFrozen(): boolean {
    return this.state.frozenAt !== null;
  }

  /** Moves virtual time forward by `ms` (negative values are refused by the caller). */
  advance(ms: number): void {
    if (this.state.frozenAt !== null) this.state = { ...this.state, frozenAt: this.state.frozenAt + ms };
    else this.state = { ...this.state, offsetMs: this.state.offsetMs + ms };
  }

  /** Stops the flow of time at the current virtual instant. */
  freeze(): void {
    if (this.state.frozenAt === null) this.state = { ...this.state, frozenAt: this.now() };
  }

  /** Lets time flow again from the current virtual instant. */
  resume(): void {
    if (this.state.frozenAt === null) return;
    this.state = { offsetMs: this.state.frozenAt - this.source.now(), frozenAt: null };
  }

  /** A copy of the state, for persistence. */
  snapshot(): ClockState {
    return { ...this.state };
  }

  /** Milliseconds of real time until the virtual instant `at` (0 when due; Infinity when frozen). */
  realDelayUntil(at: number): number {
    if (this.state.frozenAt !== null) return at <= this.state.frozenAt ? 0 : Infinity;
    return Math.max(0, at - this.now());
  }
}

/** A monotonic reading in milliseconds, for measuring durations only (never for dates). */
export function monotonicMs(): number {
  return performance.now();
}
