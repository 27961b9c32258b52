/**
 * Assembles a mirror: store, sessions, scheduler, outbox, the fastify app and (in proxy mode) the
 * CONNECT/TLS front, and owns their start and orderly stop.
 */
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import type { Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { realTime } from '../clock';
import { MirraError } from '../errors';
import { resolveOptions, type MirraOptions, type ResolvedOptions } from '../config';
import { Dispatcher, type ResponseHandler } from '../callbacks/dispatcher';
import { loadSeed } from '../fixtures/seed';
import { loadOrCreateCa, type CertificateAuthority } from '../proxy/ca';
import { attachConnectProxy } from '../proxy/connect';
import type { Replay } from '../replay';
import type * as ReplayModule from '../replay';
import { Scheduler, type TaskHandler } from '../session/scheduler';
import { loadInstanceKey } from '../session/secrets';
import type { Session } from '../session/session';
import { SessionManager } from '../session/sessions';
import type * as LmdbStoreModule from '../store/lmdb-store';
import type * as MemoryStoreModule from '../store/memory-store';
import type { Store } from '../store/store';
import { buildApp } from './app';
import type { MirraContext, ResourceModule } from './context';
import { mirrorEnv, writeCombinedBundle, type MirrorEnv } from './env';
import { twilioModules } from './modules';

/** A running (or ready to run) mirror. */
export interface Mirror {
  app: FastifyInstance;
  ctx: MirraContext;
  options: ResolvedOptions;
  ca: CertificateAuthority | null;
  /** The cassette replay, when the mirror replays one. */
  replay: Replay | null;
  /** Starts listening; resolves with the base URL. */
  listen(): Promise<string>;
  /** The base URL once listening. */
  url(): string;
  /** The environment for a session (default session when omitted). */
  env(sessionId?: string): MirrorEnv;
  /** Stops serving, flushes state. */
  close(): Promise<void>;
}

// Modules a mirror may not need (replay, one of the two stores) are required where they are used:
// loading them is a good part of a start-up (`mirra up`) that must stay well under half a second.
const replayLib = () => require('../replay') as typeof ReplayModule;

function openStore(opts: ResolvedOptions): Store {
  if (opts.ephemeral) return new (require('../store/memory-store') as typeof MemoryStoreModule).MemoryStore();
  const { LmdbStore } = require('../store/lmdb-store') as typeof LmdbStoreModule;
  return new LmdbStore({ dir: opts.dataDir, durable: opts.durable, groupCommit: true });
}

/** Creates (and seeds) the default session, or brings the persisted one in line with the options. */
function ensureDefaultSession(ctx: MirraContext): Session {
  const { sessions, options } = ctx;
  const existing = sessions.get(options.defaultSessionId);
  if (existing && (!options.accountSid || existing.accountSid === options.accountSid)) {
    if (options.authToken && !sessions.authenticate(existing, existing.accountSid, options.authToken)) {
      sessions.remove(existing.id); // new credentials: start the default session afresh
    } else {
      return existing;
    }
  } else if (existing) {
    sessions.remove(existing.id);
  }
  return sessions.create({
    id: options.defaultSessionId,
    accountSid: options.accountSid,
    authToken: options.authToken,
    seed: loadSeed(options.seed),
  });
}

/** Builds a mirror from options; nothing listens until `listen()`. */
export async function createMirror(input: MirraOptions = {}, emulated: ResourceModule[] = twilioModules()): Promise<Mirror> {
  const options = resolveOptions(input);
  if (options.strict && options.cassette === undefined) throw new MirraError('MIRRA_ERR_BAD_REQUEST', '--strict needs --cassette');
  const time = input.time ?? realTime;
  // Read the cassette before opening anything, so a bad one fails fast and leaves nothing open.
  const cassette = options.cassette === undefined ? null : replayLib().loadCassette(options.cassette);
  const store = openStore(options);
  const replay = cassette ? replayLib().createReplay(cassette, { strict: options.strict, store }) : null;
  const modules = replay ? [...emulated, replay.module] : emulated;
  const taskHandlers = new Map<string, TaskHandler>();
  const responseHandlers = new Map<string, ResponseHandler>();
  const reportError = (err: unknown, where: string) => {
    // Never swallowed: logged with context, and the queue it came from carries on.
    process.emitWarning(`mirra: ${where}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  };
  const scheduler = new Scheduler(store, taskHandlers, (err, task) => reportError(err, `task ${task.kind}`));
  const dispatcher = new Dispatcher(store, scheduler, responseHandlers, {
    retryDelayMs: (s) => (s.seed.callbacks?.retryDelayMs as number | undefined) ?? 1000,
    onError: (err) => reportError(err, 'webhook delivery'),
  });
  // Proxy mode's CA is read (or, in a new data dir, made) while the rest is assembled, and awaited
  // before the CONNECT handler is attached. Its failure stays the one reported, as when it came first.
  const caPending = options.proxy ? loadOrCreateCa(options.dataDir) : null;
  caPending?.catch(() => undefined); // awaited below; meanwhile a rejection is not unhandled
  const trust: MirraContext['trust'] = { caPath: null, bundlePath: null };
  const ctx = { options, store, scheduler, dispatcher, reportError, trust } as MirraContext;
  let app: FastifyInstance | undefined;
  let ca: CertificateAuthority | null = null;
  let bundle: string | null = null;
  try {
    if (replay) ctx.interceptor = (request, reply) => replay.intercept(ctx, request, reply);
    ctx.sessions = new SessionManager(store, time, loadInstanceKey(options.ephemeral ? null : options.dataDir), {
      seeded: (session) => store.transaction(() => modules.forEach((m) => m.applySeed?.(ctx, session))),
      attached: (session) => {
        scheduler.attach(session);
        dispatcher.attach(session);
      },
      detached: (id) => {
        scheduler.detach(id);
        dispatcher.detach(id);
      },
    });
    taskHandlers.set(Dispatcher.retryTask, dispatcher.retryHandler);
    for (const mod of modules) {
      for (const [kind, handler] of Object.entries(mod.tasks ?? {})) taskHandlers.set(kind, (s, ref, at) => handler(ctx, s, ref, at));
      for (const [name, handler] of Object.entries(mod.responses ?? {})) responseHandlers.set(name, (s, d, r) => handler(ctx, s, d, r));
    }
    ctx.sessions.loadAll();
    ensureDefaultSession(ctx);

    app = await buildApp(ctx, modules);
    ca = await caPending;
    bundle = ca ? writeCombinedBundle(dirname(ca.certPath), ca.certPem) : null;
  } catch (err) {
    // Close what was opened. A CA that failed is the error to report, as when it was awaited first.
    const caFailure = await caPending?.then(
      () => null,
      (e: unknown) => ({ e }),
    );
    scheduler.close();
    await app?.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw caFailure ? caFailure.e : err;
  }
  trust.caPath = ca?.certPath ?? null;
  trust.bundlePath = bundle;
  if (ca) attachConnectProxy(app.server as Server, { ca, log: app.log, token: options.token ?? undefined });
  let baseUrl = '';

  const mirror: Mirror = {
    app,
    ctx,
    options,
    ca,
    replay,
    async listen() {
      await app.listen({ host: options.host, port: options.port });
      const addr = app.server.address() as AddressInfo;
      const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
      baseUrl = `http://${host}:${addr.port}`;
      return baseUrl;
    },
    url: () => baseUrl,
    env(sessionId = options.defaultSessionId) {
      const session = ctx.sessions.require(sessionId);
      return mirrorEnv(baseUrl, session.accountSid, session.authToken ?? '', ca?.certPath ?? null, bundle, options.token);
    },
    async close() {
      scheduler.close();
      for (const s of ctx.sessions.list()) ctx.sessions.save(s);
      await app.close();
      await store.close();
    },
  };
  return mirror;
}
