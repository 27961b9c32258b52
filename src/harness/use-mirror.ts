/**
 * `useMirror()`, whatever the test runner: one call at the top of a test file (or describe block)
 * gives its tests an in-process mirror. Before the file's first test it starts the mirror and
 * creates this worker's session (`<runner>-<worker id>`), whose credentials become
 * `TWILIO_ACCOUNT_SID` / `TWILIO_AUTH_TOKEN` for the file, so an unchanged app calling `twilio()`
 * reaches it; before every later test it resets the session to its seed; after the file it closes
 * the mirror, gives Node's HTTP client back when no nock interceptor is left (so the next file's
 * requests do not pass through this file's nock), and writes the file's report for the run's
 * summary. `mirra/jest` and `mirra/vitest` are the same code with their runner's hooks.
 */
import { loadCassette } from '../replay/load';
import type { Cassette } from '../cassette/types';
import { loadSeed } from '../seeds/seed';
import { MirraError } from '../errors';
import type { InterceptingMirror } from '../inprocess/handle';
import { releaseNockIfIdle } from '../inprocess/intercept';
import { startThreadedMirror } from '../inprocess/threaded';
import type { ClockAnswer, ControlAnswer, ReceivedMessage, SessionHandle } from '../inprocess/control';
import type { Delivery } from '../callbacks/dispatcher';
import type { RecordMode } from '../record/modes';
import { newSid, SID_PREFIX } from '../twilio/sid';
import { callbackFix, RUN_DIR_ENV, writeFileReport, type FileReport } from './report';

/** Options of {@link useMirror}. */
export interface UseMirrorOptions {
  /** Seed of the session: `twilio:NAME`, a seed file, or an object. */
  seed?: string | object;
  /**
   * Replay this cassette (a name under `cassettes/` or $MIRRA_CASSETTES_DIR, a path, or an object) —
   * or, with `record`, the name of the cassette to record into.
   */
  cassette?: string | Cassette;
  /**
   * Record into `cassette` as `mirra record --record MODE` does: requests the cassette does not
   * answer go to Twilio (or `upstream`) with the app's own credentials, and the cassette is written
   * when the file's tests end — the same text `mirra record` writes for the same requests.
   * `once`: record when the file is missing, else answer from it; `new`: also record what it
   * lacks; `none`: answer from it only; `all`: record everything again.
   */
  record?: RecordMode;
  /** With `record`: send requests to this base URL instead of Twilio's hosts (a local stand-in). */
  upstream?: string;
  /** With `record`: where cassettes are written. Default `cassettes`. */
  cassettesDir?: string;
  /** With a cassette: refuse requests no recording matches (mirra's 400) instead of emulating them. */
  strict?: boolean;
  /**
   * Credentials the session accepts. Default: the file's `TWILIO_ACCOUNT_SID`/`TWILIO_AUTH_TOKEN`
   * when both are set (an app with its own config keeps working), else generated ones.
   */
  accountSid?: string;
  authToken?: string;
  /** Put the session's credentials in `process.env` for the file (default true; false when recording, where the app keeps its own). */
  setEnv?: boolean;
}

/** The handle `useMirror()` returns: the session's calls, usable inside tests and hooks. */
export interface TestMirror extends SessionHandle {
  /** The in-process mirror itself (more sessions, the inspector); its app runs in a worker thread. */
  readonly mirror: InterceptingMirror;
  /** Starts listening and returns the inspector's URL, to look at a test while it is paused. */
  inspect(): Promise<string>;
}

/** What `useMirror` needs of a test runner: its hooks, and where it stands. */
export interface TestRunner {
  /** `jest` or `vitest`: the session id's prefix. */
  name: string;
  /** The worker running this file (one session per worker). */
  workerId: string;
  beforeAll(fn: () => Promise<void>, timeout?: number): void;
  beforeEach(fn: () => Promise<void>, timeout?: number): void;
  afterEach(fn: () => Promise<void>, timeout?: number): void;
  afterAll(fn: () => Promise<void>, timeout?: number): void;
  /** The running test file, and the running test's name. */
  testPath(): string | undefined;
  testName(): string | undefined;
}

/** Starting a mirror compiles every route: allow it more than a runner's 5 s default on a busy CI. */
const HOOK_TIMEOUT_MS = 30_000;

function validAccountSid(v: string | undefined): v is string {
  return typeof v === 'string' && /^AC[0-9a-f]{32}$/.test(v);
}

/** The credentials the worker's session accepts. */
function credentialsFor(opts: UseMirrorOptions): { accountSid?: string; authToken?: string } {
  if (opts.accountSid !== undefined || opts.authToken !== undefined) return { accountSid: opts.accountSid, authToken: opts.authToken };
  const sid = process.env.TWILIO_ACCOUNT_SID?.trim();
  const token = process.env.TWILIO_AUTH_TOKEN?.trim();
  return validAccountSid(sid) && token ? { accountSid: sid, authToken: token } : {};
}

/** Gives the calling test file an in-process mirror with one session for its worker. */
export function useMirrorWith(runner: TestRunner, opts: UseMirrorOptions = {}): TestMirror {
  // Fail at collection time, once, with the seed's own message, rather than in every hook.
  const seed = opts.seed === undefined ? undefined : loadSeed(opts.seed);
  const record = recordOptions(opts);
  // By name from $MIRRA_CASSETTES_DIR when set, as the CLI's --cassettes-dir defaults to it.
  const cassette = opts.cassette === undefined || record ? undefined : loadCassette(opts.cassette, process.env.MIRRA_CASSETTES_DIR?.trim() || undefined);
  const setEnv = opts.setEnv ?? !record;
  const worker = runner.workerId;
  const sessionId = `${runner.name}-${worker}`;
  let mirror: InterceptingMirror | null = null;
  let session: SessionHandle | null = null;
  let fresh = false;
  let savedEnv: { sid?: string; token?: string } | null = null;
  const warned = new Set<string>();
  const report: FileReport = { file: '', worker, session: sessionId, tests: 0, callbacksDelivered: 0, failedCallbacks: [], pendingCallbacks: [], unmatched: [] };
  if (record) report.recording = { cassette: record.cassette, mode: record.mode ?? 'once' };

  const current = (): SessionHandle => {
    if (!session) {
      throw new MirraError(
        'MIRRA_ERR_BAD_REQUEST',
        "useMirror()'s session is not ready (it starts in a beforeAll and ends in an afterAll)",
        'use the handle inside tests or beforeEach/afterEach hooks, and call useMirror() at the top of the file, not inside a test',
      );
    }
    return session;
  };
  const testName = () => runner.testName() ?? '(unknown test)';

  runner.beforeAll(async () => {
    report.file = runner.testPath() ?? '';
    // The default session gets an account of its own, so the worker's session may take the app's credentials.
    mirror = await startThreadedMirror({ seed, cassette, strict: opts.strict, record, accountSid: newSid(SID_PREFIX.account) });
    session = await mirror.createSession({ id: sessionId, seed: seed ?? undefined, ...credentialsFor(opts) });
    fresh = true;
    if (setEnv) {
      savedEnv = { sid: process.env.TWILIO_ACCOUNT_SID, token: process.env.TWILIO_AUTH_TOKEN };
      process.env.TWILIO_ACCOUNT_SID = session.accountSid;
      process.env.TWILIO_AUTH_TOKEN = session.authToken;
    }
  }, HOOK_TIMEOUT_MS);

  runner.beforeEach(async () => {
    const s = current();
    // A test's own nock.cleanAll() must not send the next test's requests to the real Twilio.
    mirror!.ensureIntercepting();
    if (fresh) fresh = false;
    else await s.reset();
  }, HOOK_TIMEOUT_MS);

  runner.afterEach(async () => {
    const s = current();
    report.tests += 1;
    const log: Delivery[] = await s.callbacks();
    for (const d of log) {
      if (d.state === 'delivered') report.callbacksDelivered += 1;
      if (d.state === 'delivered') continue;
      const last = d.attempts[d.attempts.length - 1];
      const error = last?.error ?? (last?.statusCode !== undefined ? String(last.statusCode) : 'no attempt');
      const callback = { test: testName(), kind: d.kind, method: d.method, url: d.url, error };
      // Still pending when the test ends: its retry is not due yet on the session clock, or it was never sent.
      if (d.state !== 'failed') {
        report.pendingCallbacks!.push({ ...callback, attempts: d.attempts.length });
        continue;
      }
      report.failedCallbacks.push(callback);
      // nock's refusal is a set-up problem the test author cannot see otherwise: say it now, once.
      if (/disallowed net connect/i.test(error) && !warned.has('net')) {
        warned.add('net');
        process.emitWarning(`mirra: a callback to ${d.url} was blocked: ${callbackFix(error)}`);
      }
    }
    if (cassette) {
      const replay = await s.control('GET', '/_mirra/replay');
      const unmatched = Number(replay.body?.unmatched ?? 0);
      if (replay.status === 200 && unmatched > 0) report.unmatched.push({ test: testName(), count: unmatched, cassette: cassette.name });
    }
  }, HOOK_TIMEOUT_MS);

  runner.afterAll(async () => {
    if (savedEnv) {
      restoreEnv('TWILIO_ACCOUNT_SID', savedEnv.sid);
      restoreEnv('TWILIO_AUTH_TOKEN', savedEnv.token);
    }
    const m = mirror;
    mirror = null;
    session = null;
    const recorded = m ? await m.close() : null;
    if (recorded && report.recording) report.recording.result = recorded;
    releaseNockIfIdle();
    writeFileReport(process.env[RUN_DIR_ENV], report);
  }, HOOK_TIMEOUT_MS);

  return {
    get id() {
      return current().id;
    },
    get accountSid() {
      return current().accountSid;
    },
    get authToken() {
      return current().authToken;
    },
    get env() {
      return current().env;
    },
    get mirror() {
      current();
      return mirror!;
    },
    control: (method: string, path: string, body?: unknown): Promise<ControlAnswer> => current().control(method, path, body),
    reset: () => current().reset(),
    advance: (ms: number): Promise<ClockAnswer> => current().advance(ms),
    simulate: (event: string, body?: Record<string, unknown>) => current().simulate(event, body),
    messages: (to?: string): Promise<ReceivedMessage[]> => current().messages(to),
    callbacks: (filter?: { sid?: string; kind?: string }) => current().callbacks(filter),
    inspect: async () => {
      const url = `${await mirror!.inspect()}#session=${encodeURIComponent(current().id)}`;
      process.stdout.write(`mirra: inspector for ${current().id} at ${url}\n`);
      return url;
    },
  };
}

/** The record options of a file that records, or undefined; refuses what cannot be recorded. */
function recordOptions(opts: UseMirrorOptions): { cassette: string; mode?: RecordMode; upstream?: string; cassettesDir?: string } | undefined {
  if (opts.record === undefined) return undefined;
  if (typeof opts.cassette !== 'string' || opts.cassette.endsWith('.json')) {
    throw new MirraError('MIRRA_ERR_BAD_REQUEST', 'useMirror({ record }) needs the name of the cassette to record into', "pass cassette: 'NAME' (written to cassettes/NAME.cassette.json)");
  }
  return { cassette: opts.cassette, mode: opts.record, upstream: opts.upstream, cassettesDir: opts.cassettesDir ?? (process.env.MIRRA_CASSETTES_DIR?.trim() || undefined) };
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
