/**
 * The replay stage of the request pipeline: normalise the request, serve the cassette's entry
 * (src/cassette/serve.ts) — materialised for the session, applied to its state by the resource
 * that owns the route, its callbacks scheduled — or, on a miss, let the emulator answer (or, with
 * `strict`, answer mirra's error naming the nearest entry).
 */
import { EventEmitter } from 'node:events';
import type { Miss } from '../cassette/explain';
import { CassetteServer } from '../cassette/serve';
import type { ApiSurface } from '../core/api-surface';
import type { Commit, Outbox, ReportError, Schedule } from '../core/ports';
import type { ApplyContext, ResourceModule, ServedAnswer } from '../core/resource-module';
import { MirraError } from '../errors';
import type { PipelineStage } from '../server/api-plugin';
import type { Session } from '../session/session';
import type { Store } from '../store/store';
import { fireCallback, REPLAY_CALLBACK_TASK, scheduleCallbacks, type CallbackDeps, type CallbackRef } from './callbacks';
import { incomingRequest } from './identity';
import { sendServed } from './respond';
import type { OpenedCassette } from './load';
import { ReplayStates } from './state';

/**
 * The answer to a request no recording matches when nothing else may answer it (`replay --strict`,
 * `record --record none`): mirra's 400 naming the nearest entries; `fix` when the caller knows a
 * better one than replay's.
 */
export class ReplayMissError extends MirraError {
  constructor(
    readonly miss: Miss,
    fix?: string,
  ) {
    super('MIRRA_ERR_NO_RECORDING', miss.text.replace(/\n/g, ' '), fix);
  }

  override toBody() {
    return { ...super.toBody(), cassette: this.miss.cassette, reason: this.miss.reason, nearest: this.miss.nearest, explain: this.miss.text };
  }
}

/** What `GET /_mirra/replay` shows of a session's replay. */
export interface ReplaySummary {
  cassette: string;
  /** Where the cassette is served from: parsed into memory, or its on-disk index (built by this start, or reused). */
  index: OpenedCassette['storage'];
  strict: boolean;
  interactions: number;
  served: number;
  /** The first unused entries (up to 50) and how many there are. */
  unused: { seq: number; method: string; path: string }[];
  unusedCount: number;
  unmatched: number;
  /** Recorded callbacks fired again (since this mirror started). */
  callbacks: number;
  recentMisses: { reason: string; request: string; explain: string }[];
}

/** A session's replay in numbers (cheap: for a live line). */
export interface ReplayCounts {
  served: number;
  misses: number;
  callbacks: number;
}

/** A running replay. */
export interface Replay {
  /** Emits `progress` with the {@link Session} whose counts changed (an entry served, a miss, a callback fired). */
  readonly events: EventEmitter;
  /** Its place in the request pipeline (with its task handler and `GET /_mirra/replay`). */
  readonly stage: PipelineStage;
  summary(session: Session): ReplaySummary;
  counts(session: Session): ReplayCounts;
  /** Releases the cassette (its on-disk index). */
  close(): Promise<void>;
}

/** What a replay works with, built whole before it is made. */
export interface ReplayDeps {
  strict: boolean;
  store: Store;
  commit: Commit;
  schedule: Schedule;
  outbox: Outbox;
  report: ReportError;
  surface: Pick<ApiSurface, 'sendJson' | 'sendEmpty' | 'clientOrigin'>;
  /** The resources, whose replay hooks apply served answers and callbacks to state. */
  modules: ResourceModule[];
  mint(prefix: string): string;
}

/** How many unused entries the summary lists. */
const UNUSED_SHOWN = 50;

/**
 * Applies a served answer to the state of the resource that owns its route: the first module
 * that claims it, among those serving the answer's domain (a module that names no domains is
 * asked for every answer). The generic engine, registered last, claims whatever the API's specs
 * describe, so an unrecorded fetch or list afterwards agrees with what was served.
 */
function applier(modules: ResourceModule[]) {
  const hooks = modules.flatMap((m) => (m.replay?.apply ? [{ apply: m.replay.apply, domains: m.domains }] : []));
  return (session: Session, served: ServedAnswer, ctx: ApplyContext) => {
    for (const { apply, domains } of hooks) {
      if (domains && served.product !== undefined && !domains.includes(served.product)) continue;
      if (apply(session, served, ctx)) return;
    }
  };
}

/** Creates the replay of `cassette`. */
export function createReplay(cassette: OpenedCassette, deps: ReplayDeps): Replay {
  const server = new CassetteServer(cassette, deps.mint);
  // Absent means the recording could not capture callbacks: the emulator synthesises them.
  const applyCtx: ApplyContext = { synthesiseCallbacks: cassette.callbacks !== 'recorded' };
  const states = new ReplayStates(deps.store, cassette.name, (seq) => server.interaction(seq)?.offsetMs);
  const events = new EventEmitter();
  const apply = applier(deps.modules);
  const resolvers = deps.modules.flatMap((m) => (m.replay?.resolveExisting ? [m.replay.resolveExisting] : []));
  const claimers = deps.modules.flatMap((m) => (m.replay?.callback ? [m.replay.callback] : []));
  const callbackDeps: CallbackDeps = {
    commit: deps.commit,
    outbox: deps.outbox,
    mint: deps.mint,
    claim: (session, params, at) => {
      for (const claim of claimers) {
        const claimed = claim(session, params, at);
        if (claimed) return claimed;
      }
      return undefined;
    },
  };

  const handle: PipelineStage['handle'] = async (request, reply) => {
    const session = request.session;
    const state = states.of(session);
    const { identity, raw } = incomingRequest(request);
    const now = session.clock.now();
    const resolve = (_alias: string, prefix: string, recorded: Record<string, unknown>) => {
      for (const r of resolvers) {
        const sid = r(session, prefix, recorded);
        if (sid) return sid;
      }
      return undefined;
    };
    const result = deps.commit.transaction(() =>
      server.serve({ identity, accountSid: session.accountSid, now, origin: deps.surface.clientOrigin(request), explain: deps.strict, resolve }, state),
    );
    if (result.miss) {
      state.noteMiss(result.miss);
      events.emit('progress', session);
      if (deps.strict) throw new ReplayMissError(result.miss);
      return false; // the emulator answers, from the state served answers left
    }
    const { served } = result;
    if (!served.repeat && served.recorded) {
      // The recorded answer is served even if the emulator cannot take it in; the failure is reported.
      try {
        deps.commit.transaction(() => apply(session, { method: raw.method, product: raw.product, path: raw.path, form: [...raw.form, ...raw.query], status: served.status, body: served.body, now }, applyCtx));
      } catch (err) {
        deps.report(err, `replay: applying #${served.interaction.seq} of ${cassette.name} to state`);
      }
    }
    if (!served.repeat && !applyCtx.synthesiseCallbacks) {
      const missing = scheduleCallbacks(deps.schedule, session, served.interaction, raw, now);
      if (missing.length > 0) request.log.warn({ seq: served.interaction.seq, missing }, 'replayed callbacks have no URL in this request');
    }
    sendServed(deps.surface, reply, served);
    if (!served.repeat) events.emit('progress', session);
    return true;
  };

  const replay: Replay = {
    events,
    stage: {
      name: 'replay',
      handle,
      tasks: {
        [REPLAY_CALLBACK_TASK]: (session: Session, ref: CallbackRef, at: number) => {
          const state = states.of(session);
          if (!fireCallback(callbackDeps, session, state, server.interaction(ref.seq), ref, at)) return;
          state.callbacks++;
          events.emit('progress', session);
        },
      },
      control(app) {
        app.get('/_mirra/replay', async (request) => replay.summary(request.session));
      },
    },

    summary(session) {
      const state = states.of(session);
      return {
        cassette: cassette.name,
        index: cassette.storage,
        strict: deps.strict,
        interactions: server.index.size,
        served: state.ledger.size,
        unused: server.unused(state, UNUSED_SHOWN).map((i) => ({ seq: i.seq, method: i.request.method, path: i.request.path })),
        unusedCount: server.unusedCount(state),
        unmatched: state.missCount,
        callbacks: state.callbacks,
        recentMisses: state.misses.map((m) => ({ reason: m.reason, request: `${m.identity.method} ${m.identity.path}`, explain: m.text })),
      };
    },

    counts(session) {
      const state = states.of(session);
      return { served: state.ledger.size, misses: state.missCount, callbacks: state.callbacks };
    },

    close: () => cassette.close(),
  };
  return replay;
}
