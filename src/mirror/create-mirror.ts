/**
 * Assembles a mirror — the one place that knows both the generic machinery and the Twilio
 * resources: store, sessions, scheduler, outbox, the inspector's feed, the resource modules with
 * the ports they take, the pipeline's stages (record, replay), the fastify app and (in proxy
 * mode) the CONNECT/TLS front; and owns their start and orderly stop.
 */
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import type { Server } from 'node:http';
import { realTime } from '../clock';
import { resolveOptions, type MirraOptions, type ResolvedOptions } from '../config';
import { Dispatcher, type ResponseHandler } from '../callbacks/dispatcher';
import type { ResourcePorts } from '../core/ports';
import type { ControlAnswer, TransportRequest, TransportResponse } from '../core/transport';
import { MirraError } from '../errors';
import { createInspector, EventFeed } from '../inspector';
import { loadOrCreateCaIn } from '../proxy/ca';
import { attachConnectProxy } from '../proxy/connect';
import type { Recording, RecordResult } from '../record/recording';
import type * as RecordingModule from '../record/recording';
import type { Replay, ReplayCounts, ReplaySummary } from '../replay';
import type * as ReplayModule from '../replay';
import { buildApp } from '../server/app';
import { mirrorEnv, writeCombinedBundle, type MirrorEnv, type TrustPaths } from '../server/env';
import type { RecordCodec } from '../session/collection';
import { Scheduler, type DerivedTaskKind, type TaskHandler } from '../session/scheduler';
import { loadInstanceKey } from '../session/secrets';
import type { Session } from '../session/session';
import { SessionManager } from '../session/sessions';
import type { Store } from '../store/store';
import { twilioResources } from '../twilio/resources';
import { newId, newSid } from '../twilio/sid';
import { twilioSurface } from '../twilio/surface';
import { ensureDefaultSession, openStore, type DefaultSessionStart } from './parts';
import { controlRequest, injectRequest } from './inject';

export type { DefaultSessionStart } from './parts';

/** A session as a client knows it. */
export interface SessionInfo {
  id: string;
  accountSid: string;
  authToken: string;
  /** The name of the seed it was made from. */
  seed: string;
}

/** A mirror's cassette replay, as its user sees it (counts by session id). */
export interface ReplayView {
  /** The cassette's name. */
  readonly cassette: string;
  summary(sessionId?: string): ReplaySummary;
  counts(sessionId?: string): ReplayCounts;
  /** Calls `listener` with a session's id and counts whenever they change (an entry served, a miss, a callback fired). */
  onProgress(listener: (sessionId: string, counts: ReplayCounts) => void): void;
}

/** A running (or ready to run) mirror. Its parts stay inside: it is used through its API and these calls. */
export interface Mirror {
  readonly options: ResolvedOptions;
  /** The cassette replay's view, when the mirror replays one. */
  readonly replay: ReplayView | null;
  /** The recording, when the mirror records. */
  readonly recording: Recording | null;
  /** The path of mirra's CA certificate (proxy mode), once made. */
  readonly caPath: string | null;
  /** What became of the default session at start-up (made, resumed, or started afresh and why). */
  readonly defaultSessionStart: DefaultSessionStart;
  /** Starts listening; resolves with the base URL. */
  listen(): Promise<string>;
  /** The base URL once listening ('' before). */
  url(): string;
  /** A session (the default one when omitted), or mirra's 404. */
  session(id?: string): SessionInfo;
  /** The environment for a session (default session when omitted). */
  env(sessionId?: string): MirrorEnv;
  /** Serves a request through the mirror's pipeline with no socket (in-process mode). */
  inject(request: TransportRequest): Promise<TransportResponse>;
  /** A control-plane request (JSON in, JSON out) with no socket, carrying the mirror's token. */
  control(method: string, path: string, body?: unknown): Promise<ControlAnswer>;
  /** Stops serving, writes the recording (record mode), flushes state. */
  close(): Promise<RecordResult | undefined>;
}

/** What tests may hand a mirror instead of what it would make itself. */
export interface MirrorInternals {
  /** The store (e.g. a memory store a test reads after the mirror closed). */
  store?: Store;
}

// Modules a mirror may not need (replay, record) are required where they are used: loading them
// is a good part of a start-up (`mirra up`) that must stay well under half a second.
const replayLib = () => require('../replay') as typeof ReplayModule;
const recordLib = () => require('../record/recording') as typeof RecordingModule;

/** Reports an internal failure: logged with context, and the queue it came from carries on. */
function reportError(err: unknown, where: string): void {
  process.emitWarning(`mirra: ${where}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
}

/** Builds a mirror from options; nothing listens until `listen()`. */
export async function createMirror(input: MirraOptions = {}, internals: MirrorInternals = {}): Promise<Mirror> {
  const options = resolveOptions(input);
  if (options.strict && options.cassette === undefined) throw new MirraError('MIRRA_ERR_BAD_REQUEST', '--strict needs --cassette');
  const time = input.time ?? realTime;
  // Read the cassette before opening anything, so a bad one fails fast and leaves nothing open.
  // A large one is indexed on disk under the data dir, once (src/replay/load.ts).
  const cassette = options.cassette === undefined ? null : await replayLib().openCassette(options.cassette, { dataDir: options.dataDir, dir: options.cassettesDir });
  const store = internals.store ?? openStore(options);
  const taskHandlers = new Map<string, TaskHandler>();
  const derivedTasks = new Map<string, DerivedTaskKind>();
  const responseHandlers = new Map<string, ResponseHandler>();
  const scheduler = new Scheduler(store, taskHandlers, (err, task) => reportError(err, `task ${task.kind}`), { derived: derivedTasks });
  const dispatcher = new Dispatcher(store, scheduler, responseHandlers, {
    retryDelayMs: (s) => (s.seed.callbacks?.retryDelayMs as number | undefined) ?? 1000,
    onError: (err) => reportError(err, 'webhook delivery'),
  });
  const feed = new EventFeed();
  // The session manager is also the API keys port; its hooks reach the modules only once sessions
  // load (below), after the modules are made.
  let sessions: SessionManager;
  const codecs = new Map<string, RecordCodec<any>>(); // the modules', filled before any session loads
  let defaultSessionStart: DefaultSessionStart;
  try {
    sessions = new SessionManager(store, time, loadInstanceKey(options.ephemeral ? null : options.dataDir), {
      seeded: (session) => store.transaction(() => modules.forEach((m) => m.seed?.(session))),
      attached: (session) => {
        scheduler.attach(session);
        dispatcher.attach(session);
      },
      detached: (id) => {
        scheduler.detach(id);
        dispatcher.detach(id);
      },
    }, codecs);
  } catch (err) {
    scheduler.close();
    if (!internals.store) await store.close().catch(() => undefined);
    throw err;
  }
  const ports: ResourcePorts = { commit: store, schedule: scheduler, outbox: dispatcher, observe: feed, report: reportError, apiKeys: sessions };
  const modules = twilioResources(ports);
  for (const mod of modules) for (const [name, codec] of Object.entries(mod.codecs ?? {})) codecs.set(name, codec);
  // Proxy mode's CA (one per user, see resolveCaDir) is read — or, the first time, made — while the
  // rest is assembled, and awaited before the CONNECT handler is attached. Its failure stays the
  // one reported, as when it came first.
  const caPending = options.proxy ? loadOrCreateCaIn(options.caDir) : null;
  caPending?.catch(() => undefined); // awaited below; meanwhile a rejection is not unhandled
  const trust: TrustPaths = { caPath: null, bundlePath: null };
  let replay: Replay | null = null;
  let recording: Recording | null = null;
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  try {
    replay = cassette
      ? replayLib().createReplay(cassette, { strict: options.strict, store, commit: store, schedule: scheduler, outbox: dispatcher, report: reportError, surface: twilioSurface, modules, mint: newSid })
      : null;
    recording = options.record ? recordLib().createRecording(options.record, { store, time, surface: twilioSurface, newId: () => newId(6), mint: newSid, dataDir: options.dataDir }) : null;
    const stages = [recording?.stage, replay?.stage].filter((s) => s !== undefined);
    taskHandlers.set(Dispatcher.retryTask, dispatcher.retryHandler);
    for (const part of [...modules, ...stages]) for (const [kind, handler] of Object.entries(part.tasks ?? {})) taskHandlers.set(kind, handler);
    for (const mod of modules) for (const [kind, derived] of Object.entries(mod.derivedTasks ?? {})) derivedTasks.set(kind, derived);
    for (const mod of modules) for (const [name, handler] of Object.entries(mod.responses ?? {})) responseHandlers.set(name, handler);
    sessions.loadAll();
    defaultSessionStart = ensureDefaultSession(sessions, options).start;
    const envFor = (url: string, session: Session): MirrorEnv =>
      // A recording mirror leaves the app its own (real) credentials.
      mirrorEnv(url, recording ? null : { accountSid: session.accountSid, authToken: session.authToken ?? '' }, trust, options.token);
    const inspector = createInspector({ feed, modules, deliveries: (s) => dispatcher.log(s), token: options.token, sessions, defaultSessionId: options.defaultSessionId, report: reportError });
    app = await buildApp({
      logLevel: options.logLevel,
      surface: twilioSurface,
      api: { surface: twilioSurface, sessions, defaultSessionId: options.defaultSessionId, modules, stages, report: reportError },
      control: { sessions, scheduler, outbox: dispatcher, env: (url, s) => ({ ...envFor(url, s) }), isApiHost: twilioSurface.isApiHost, defaultSessionId: options.defaultSessionId, token: options.token, modules, stages },
      inspector,
      store,
    });
    const ca = await caPending;
    trust.caPath = ca?.certPath ?? null;
    trust.bundlePath = ca ? writeCombinedBundle(dirname(ca.certPath), ca.certPem) : null;
    if (ca) attachConnectProxy(app.server as Server, { ca, log: app.log, token: options.token ?? undefined });
  } catch (err) {
    // Close what was opened. A CA that failed is the error to report, as when it was awaited first.
    const caFailure = await caPending?.then(
      () => null,
      (e: unknown) => ({ e }),
    );
    scheduler.close();
    await app?.close().catch(() => undefined);
    if (!internals.store) await store.close().catch(() => undefined);
    await cassette?.close().catch(() => undefined);
    throw caFailure ? caFailure.e : err;
  }
  const fastify = app;
  let baseUrl = '';
  let closed: Promise<RecordResult | undefined> | undefined;
  const info = (id = options.defaultSessionId): SessionInfo => {
    const s = sessions.require(id);
    return { id: s.id, accountSid: s.accountSid, authToken: s.authToken ?? '', seed: s.seed.name };
  };

  const replayView = (r: Replay, name: string): ReplayView => ({
    cassette: name,
    summary: (id = options.defaultSessionId) => r.summary(sessions.require(id)),
    counts: (id = options.defaultSessionId) => r.counts(sessions.require(id)),
    onProgress: (listener) => r.events.on('progress', (s: Session) => listener(s.id, r.counts(s))),
  });

  return {
    options,
    replay: replay && cassette ? replayView(replay, cassette.name) : null,
    recording,
    get caPath() {
      return trust.caPath;
    },
    defaultSessionStart,
    async listen() {
      await fastify.listen({ host: options.host, port: options.port });
      const addr = fastify.server.address() as AddressInfo;
      const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
      baseUrl = `http://${host}:${addr.port}`;
      recording?.open(baseUrl);
      return baseUrl;
    },
    url: () => baseUrl,
    session: info,
    env(sessionId = options.defaultSessionId) {
      const s = sessions.require(sessionId);
      return mirrorEnv(baseUrl, recording ? null : { accountSid: s.accountSid, authToken: s.authToken ?? '' }, trust, options.token);
    },
    inject(request) {
      recording?.open(null);
      return injectRequest(fastify, request);
    },
    control: (method, path, body) => controlRequest(fastify, method, path, body, options.token),
    close() {
      closed ??= (async () => {
        scheduler.close();
        for (const s of sessions.list()) sessions.save(s);
        await fastify.close();
        // The recording is written from the store before it closes.
        const result = recording ? await recording.stop() : undefined;
        if (!internals.store) await store.close();
        await replay?.close();
        return result;
      })();
      return closed;
    },
  };
}
