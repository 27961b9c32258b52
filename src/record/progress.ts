/**
 * What `mirra record` and `mirra replay` tell the user on stderr, worded alike: a live line while
 * they run — one line rewritten in place on a terminal, plain lines otherwise (CI logs), at most
 * one per interval so a busy run does not flood the log — and a summary at the end that lists the
 * interactions recorded new and the recorded ones that were not used.
 */
import { monotonicMs } from '../clock';
import type { Interaction } from '../cassette/types';
import type { ReplayCounts } from '../replay/replayer';
import type { RecorderCounts } from './recorder';
import type { RecordPlan } from './modes';
import type { Recorder } from './recorder';
import type { RecordResult } from './recording';

/** Where the line goes: stderr or a test's buffer. */
export interface ProgressOutput {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** Settings of a {@link ProgressLine}. */
export interface ProgressOptions {
  /** Least time between two lines written. Default 100 ms on a terminal, 1000 ms elsewhere; 0 writes every change. */
  intervalMs?: number;
}

function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}

/**
 * The live line of `mirra record`: what was recorded (`12 interactions`, or `2 new` when the run
 * also answers from the cassette), what the cassette answered, and the callbacks captured.
 */
export function describeCounts(cassette: string, counts: RecorderCounts, plan?: Pick<RecordPlan, 'serve' | 'forward'>): string {
  const parts: string[] = [];
  if (plan?.serve) {
    if (plan.forward) parts.push(`${counts.interactions} new`);
    parts.push(`${counts.served} served`);
    if (!plan.forward) parts.push(plural(counts.misses, 'miss', 'misses'));
  } else {
    parts.push(plural(counts.interactions, 'interaction'));
  }
  if (plan?.forward !== false) parts.push(plural(counts.callbacks, 'callback'));
  if (counts.faults > 0) parts.push(plural(counts.faults, 'upstream fault'));
  if (counts.rejected > 0) parts.push(`${plural(counts.rejected, 'rejected callback')} (bad signature)`);
  return `mirra record ${cassette}: ${parts.join(', ')}`;
}

/** The live line of `mirra replay`: `mirra replay signup: 12 served, 1 miss, 3 callbacks`. */
export function describeReplayCounts(cassette: string, counts: ReplayCounts): string {
  return `mirra replay ${cassette}: ${counts.served} served, ${plural(counts.misses, 'miss', 'misses')}, ${plural(counts.callbacks, 'callback')}`;
}

/** Shows a line as it changes; `done()` shows the last one and ends the live line. */
export class ProgressLine {
  private readonly intervalMs: number;
  /** A line is on the terminal and the cursor is at its end. */
  private live = false;
  private shown: string | undefined;
  private pending: string | undefined;
  private lastWrite = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly out: ProgressOutput,
    opts: ProgressOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? (out.isTTY ? 100 : 1000);
  }

  /** Shows `line` now, or when the interval since the last one has passed (only the latest line counts). */
  show(line: string): void {
    if (this.closed) return;
    this.pending = line;
    if (this.timer) return;
    const wait = this.lastWrite + this.intervalMs - monotonicMs();
    if (wait <= 0) {
      this.flush();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
    this.timer.unref();
  }

  /** Prints a message on its own line without losing the live line. */
  note(message: string): void {
    if (this.live) this.out.write('\r\x1b[2K');
    this.out.write(`${message}\n`);
    if (this.live && this.shown !== undefined) this.out.write(`\r\x1b[2K${this.shown}`);
  }

  /** Shows the latest line, if it was held back, and ends the live line. */
  done(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.flush();
    if (this.live) this.out.write('\n');
    this.live = false;
    this.closed = true;
  }

  private flush(): void {
    const line = this.pending;
    this.pending = undefined;
    if (line === undefined || line === this.shown) return;
    this.shown = line;
    this.lastWrite = monotonicMs();
    if (this.out.isTTY) {
      this.out.write(`\r\x1b[2K${line}`);
      this.live = true;
    } else {
      this.out.write(`${line}\n`);
    }
  }
}

/** An interaction as the summary names it. */
export interface EntryRef {
  seq: number;
  method: string;
  path: string;
}

/** How many entries of each list the summary shows. */
const LISTED = 10;

function listed(tag: string, entries: EntryRef[], total: number, more: string): string {
  let text = '';
  for (const e of entries.slice(0, LISTED)) text += `  ${tag} #${e.seq} ${e.method} ${e.path}\n`;
  if (total > LISTED) text += `  ... ${total - LISTED} more ${tag} (${more})\n`;
  return text;
}

/** The end of a `mirra record` run. */
export interface RecordRunSummary {
  cassette: string;
  plan: Pick<RecordPlan, 'serve' | 'forward'>;
  /** Interactions this run recorded, as written. */
  recorded: EntryRef[];
  served: number;
  unused: EntryRef[];
  misses: number;
  callbacks: number;
}

/**
 * `mirra record NAME: 2 new, 9 served from the cassette, 1 unused, 3 callbacks captured`, then
 * the new and the unused interactions, one a line.
 */
export function formatRecordSummary(s: RecordRunSummary): string {
  const parts: string[] = [];
  if (s.plan.forward) parts.push(`${s.recorded.length} new`);
  if (s.plan.serve) parts.push(`${s.served} served from the cassette`, `${s.unused.length} unused`);
  if (s.plan.serve && !s.plan.forward) parts.push(plural(s.misses, 'miss', 'misses') + (s.misses > 0 ? ' (answered with MIRRA_ERR_NO_RECORDING)' : ''));
  if (s.plan.forward) parts.push(`${plural(s.callbacks, 'callback')} captured`);
  const more = `mirra cassettes show ${s.cassette}`;
  return `mirra record ${s.cassette}: ${parts.join(', ')}\n` + listed('new', s.recorded, s.recorded.length, more) + listed('unused', s.unused, s.unused.length, more);
}

function refOf(i: Interaction): EntryRef {
  return { seq: i.seq, method: i.request.method, path: i.request.path };
}

/** The summary of a finished recording run (see {@link formatRecordSummary}). */
export function recordSummary(rec: { plan: RecordPlan; recorder: Recorder }, result: RecordResult): string {
  const counts = rec.recorder.counts;
  return formatRecordSummary({
    cassette: rec.recorder.meta.name,
    plan: rec.plan,
    recorded: result.recorded.map(refOf),
    served: counts.served,
    unused: result.unused.map(refOf),
    misses: counts.misses,
    callbacks: counts.callbacks,
  });
}

/** The end of a `mirra replay` run (what `GET /_mirra/replay` says of the default session). */
export interface ReplayRunSummary {
  cassette: string;
  strict: boolean;
  interactions: number;
  served: number;
  unused: EntryRef[];
  unusedCount: number;
  misses: number;
  callbacks: number;
}

/**
 * `mirra replay NAME: 11 served from the cassette (of 12), 1 unused, 1 miss (emulated instead),
 * 3 callbacks fired again`, then the unused interactions, one a line.
 */
export function formatReplaySummary(s: ReplayRunSummary): string {
  const how = s.strict ? 'answered with MIRRA_ERR_NO_RECORDING' : 'emulated instead';
  const parts = [
    `${s.served} served from the cassette (of ${s.interactions})`,
    `${s.unusedCount} unused`,
    plural(s.misses, 'miss', 'misses') + (s.misses > 0 ? ` (${how})` : ''),
    `${plural(s.callbacks, 'callback')} fired again`,
  ];
  return `mirra replay ${s.cassette}: ${parts.join(', ')}\n` + listed('unused', s.unused, s.unusedCount, 'GET /_mirra/replay lists them');
}
