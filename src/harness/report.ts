/**
 * What `useMirror` tells the run: each test file writes a small report (its session, tests,
 * callbacks that never reached the app or were still pending when a test ended, requests no
 * cassette entry matched) to the run's folder,
 * and the global teardown prints one summary naming the fix for each problem. Pure apart from the
 * file reads and writes at the edges.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { RecordingSummary } from '../inprocess/recording-summary';

/** The environment variable naming the run's report folder (set by the global setup). */
export const RUN_DIR_ENV = 'MIRRA_JEST_RUN_DIR';

/** A delivery that did not reach the app. */
export interface FailedCallback {
  test: string;
  kind: string;
  method: string;
  url: string;
  /** The last attempt's error or HTTP status. */
  error: string;
}

/** A delivery still pending when its test ended: a retry not yet due, or not attempted at all. */
export interface PendingCallback extends FailedCallback {
  /** Attempts made so far (each failed). */
  attempts: number;
}

/** One test file's report. */
export interface FileReport {
  file: string;
  worker: string;
  session: string;
  tests: number;
  callbacksDelivered: number;
  failedCallbacks: FailedCallback[];
  /** Absent in reports of an older mirra. */
  pendingCallbacks?: PendingCallback[];
  /** Requests a replayed cassette had no entry for (served by the emulator, or refused in strict mode). */
  unmatched: { test: string; count: number; cassette: string }[];
  /** What a recording file recorded (`useMirror({ record })`). */
  recording?: { cassette: string; mode: string; result?: RecordingSummary };
}

/** What to do about a callback that failed with `error` (an errno, nock's refusal, or a status). */
export function callbackFix(error: string): string {
  if (/disallowed net connect|netconnectnotallowed/i.test(error)) {
    return "nock refused the connection (nock.disableNetConnect() is in effect): allow the app's receiver with nock.enableNetConnect('127.0.0.1')";
  }
  if (/ECONNREFUSED/.test(error)) return "nothing listens at that URL: start the app's webhook receiver before the message is sent, or leave StatusCallback out";
  if (/ENOTFOUND|EAI_AGAIN/.test(error)) return 'the host does not resolve here: point callbacks at a local receiver (http://127.0.0.1:PORT/...) in tests';
  if (/timeout/i.test(error)) return 'the app did not answer in time (Twilio waits 15 s at most): answer the webhook before doing slow work';
  if (/^4\d\d$/.test(error)) return `the app answered ${error}: if it validates X-Twilio-Signature, validate with the session's token (process.env.TWILIO_AUTH_TOKEN under useMirror) and the exact URL given as StatusCallback`;
  if (/^5\d\d$/.test(error)) return `the app answered ${error}: its webhook handler threw; see the app's log for this request`;
  return "see the delivery log (mirra.callbacks()) or the inspector for each attempt";
}

/** Writes `report` into the run folder (no-op without one). */
export function writeFileReport(dir: string | undefined, report: FileReport): void {
  if (!dir || !existsSync(dir)) return;
  const name = createHash('sha1').update(`${report.worker}\0${report.file}\0${process.pid}`).digest('hex').slice(0, 16);
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(report));
}

/** Every report in the run folder. */
export function readFileReports(dir: string): FileReport[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as FileReport);
}

/** Removes the run folder. */
export function removeRunDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Groups equal items (same place and cause) so one line speaks for all of them. */
function grouped<T>(items: readonly T[], key: (item: T) => string): { item: T; count: number }[] {
  const groups = new Map<string, { item: T; count: number }>();
  for (const item of items) {
    const k = key(item);
    const g = groups.get(k);
    if (g) g.count += 1;
    else groups.set(k, { item, count: 1 });
  }
  return [...groups.values()];
}

/** What a pending delivery means and what to do about it. */
function pendingLine(p: PendingCallback & { file: string }, count: number): string {
  const where = `in ${relative(process.cwd(), p.file) || p.file} › ${p.test}`;
  const head = `mirra: ${count > 1 ? `${count} × ` : ''}${p.kind} ${p.method} ${p.url} still pending`;
  if (p.attempts === 0) {
    return `${head}, not attempted yet, ${where}: the test ended before it was sent; await mirra.advance(ms) (it waits for the callbacks it causes) before the test ends.`;
  }
  return `${head} after ${plural(p.attempts, 'failed attempt')} (${p.error}) ${where}: ${callbackFix(p.error)}; its retry is due later on the session clock (mirra.advance(ms) past it settles it).`;
}

/** The run's summary: one line of totals, then one line per problem with its fix. Empty without reports. */
export function summarize(reports: readonly FileReport[]): string[] {
  if (reports.length === 0) return [];
  const sessions = [...new Set(reports.map((r) => r.session))].sort();
  const tests = reports.reduce((n, r) => n + r.tests, 0);
  const delivered = reports.reduce((n, r) => n + r.callbacksDelivered, 0);
  const failed = reports.flatMap((r) => r.failedCallbacks.map((f) => ({ ...f, file: r.file })));
  const pending = reports.flatMap((r) => (r.pendingCallbacks ?? []).map((p) => ({ ...p, file: r.file })));
  const unmatched = reports.flatMap((r) => r.unmatched.map((u) => ({ ...u, file: r.file })));
  const lines = [
    `mirra: ${plural(reports.length, 'test file')}, ${plural(tests, 'test')}, ${plural(sessions.length, 'session')} (${sessions.join(', ')}); ${plural(delivered, 'callback')} delivered${failed.length ? `, ${failed.length} failed` : ''}${pending.length ? `, ${pending.length} still pending` : ''}.`,
  ];
  // One line per place and cause: a message's three status callbacks to a dead URL are one problem.
  const problems = [
    ...grouped(failed, (f) => [f.file, f.test, f.kind, f.method, f.url, f.error].join('\0')).map(
      ({ item: f, count }) => `mirra: ${count > 1 ? `${count} × ` : ''}${f.kind} ${f.method} ${f.url} failed (${f.error}) in ${relative(process.cwd(), f.file) || f.file} › ${f.test}: ${callbackFix(f.error)}.`,
    ),
    ...grouped(pending, (p) => [p.file, p.test, p.kind, p.method, p.url, p.error, p.attempts].join('\0')).map(({ item, count }) => pendingLine(item, count)),
  ];
  lines.push(...problems.slice(0, 20));
  if (problems.length > 20) lines.push(`mirra: … and ${problems.length - 20} more kinds of failed or pending callback (open the inspector to see them all).`);
  for (const r of reports) {
    const result = r.recording?.result;
    if (!r.recording || !result) continue;
    const what = result.written ? `wrote ${relative(process.cwd(), result.file) || result.file} (${plural(result.recorded, 'interaction')} recorded, ${result.interactions} in all)` : `left ${relative(process.cwd(), result.file) || result.file} as it was (--record ${r.recording.mode})`;
    lines.push(`mirra record ${r.recording.cassette}: ${what}${result.unused ? `; ${plural(result.unused, 'interaction')} of it not used` : ''}.`);
  }
  for (const u of unmatched.slice(0, 20)) {
    lines.push(`mirra: ${plural(u.count, 'request')} matched no entry of cassette ${u.cassette} in ${relative(process.cwd(), u.file) || u.file} › ${u.test}: re-record it (mirra record) or see GET /_mirra/replay for the nearest entries.`);
  }
  return lines;
}
