/**
 * The replayer of one cassette: normalise the request, match it (pure), then serve the entry —
 * materialised for the session, applied to its state, its callbacks scheduled — or, on a miss,
 * fall through to the emulator (or, with `strict`, answer mirra's error naming the nearest entry).
 */
import { EventEmitter } from 'node:events';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Miss } from '../cassette/explain';
import { materialize, aliasIdentity, type MaterializeContext } from '../cassette/materialize';
import { buildIndex, findEntry, type CassetteIndex } from '../cassette/match';
import { faultAnswer } from '../cassette/faults';
import type { Cassette, Interaction, RecordedResponse } from '../cassette/types';
import { MirraError } from '../errors';
import { originOf, type MirraContext, type ResourceModule } from '../server/context';
import { sendJson } from '../server/reply';
import type { Session } from '../session/session';
import type { Store } from '../store/store';
import { newSid } from '../twilio/sid';
import { applyServed, servedResource } from './apply';
import { fireCallback, REPLAY_CALLBACK_TASK, scheduleCallbacks, type CallbackRef } from './callbacks';
import { incomingRequest } from './identity';
import { resolveExisting } from './resolve';
import { sendRecorded } from './respond';
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
  readonly index: CassetteIndex;
  /** Emits `progress` with the {@link Session} whose counts changed (an entry served, a miss, a callback fired). */
  readonly events: EventEmitter;
  /** Its task handler and control-plane route, added to the mirror's modules. */
  readonly module: ResourceModule;
  /** The {@link MirraContext.interceptor}. */
  intercept(ctx: MirraContext, request: FastifyRequest, reply: FastifyReply): Promise<boolean>;
  summary(session: Session): ReplaySummary;
  counts(session: Session): ReplayCounts;
}

/** Options of {@link createReplay}. */
export interface ReplayOptions {
  strict: boolean;
  store: Store;
}

/** How many unused entries the summary lists. */
const UNUSED_SHOWN = 50;

/** Creates the replayer of `cassette`. */
export function createReplay(cassette: Cassette, opts: ReplayOptions): Replay {
  const index = buildIndex(cassette);
  const bySeq = new Map<number, Interaction>();
  for (const i of cassette.interactions) {
    if (bySeq.has(i.seq)) throw new MirraError('MIRRA_ERR_INVALID_CASSETTE', `${cassette.name}: seq ${i.seq} appears twice`);
    bySeq.set(i.seq, i);
  }
  // Absent means the recording could not capture callbacks: the emulator synthesises them.
  const recordedCallbacks = cassette.callbacks === 'recorded';
  const states = new ReplayStates(opts.store, cassette.name, (seq) => bySeq.get(seq)?.offsetMs);
  const events = new EventEmitter();

  const contextFor = (session: Session, now: number, recordedAtMs: number, origin?: string): MaterializeContext => ({
    accountSid: session.accountSid,
    aliases: states.of(session),
    instant: (ms) => states.of(session).timeline.instant(ms, [recordedAtMs, now]),
    mint: newSid,
    resolve: (_alias, prefix, recorded) => resolveExisting(session, prefix, recorded),
    origin,
  });

  const replay: Replay = {
    index,
    events,
    module: {
      name: 'replay',
      tasks: {
        [REPLAY_CALLBACK_TASK]: (ctx, session, ref: CallbackRef, at) => {
          const state = states.of(session);
          if (!fireCallback(ctx, session, state, bySeq.get(ref.seq), ref, at)) return;
          state.callbacks++;
          events.emit('progress', session);
        },
      },
      control: async (app) => {
        app.get('/_mirra/replay', async (request) => replay.summary(request.session));
      },
    },

    async intercept(ctx, request, reply) {
      const session = request.session;
      const state = states.of(session);
      const { identity: normalized, raw } = incomingRequest(request);
      const identity = aliasIdentity(normalized, session.accountSid, state);
      const result = findEntry(index, identity, state.ledger, state, { explain: opts.strict });
      // Clients in base-URL mode follow absolute URLs: point Twilio's at this mirror.
      const origin = /(^|\.)twilio\.com$/i.test(request.hostname) ? undefined : originOf(request);
      if (result.miss) {
        state.noteMiss(result.miss);
        events.emit('progress', session);
        if (opts.strict) throw new ReplayMissError(result.miss);
        const kept = raw.method === 'GET' ? servedResource(session, raw.path) : undefined;
        if (kept) {
          sendJson(reply, 200, kept);
          return true;
        }
        return false;
      }
      const { entry, bindings, repeat } = result.hit;
      const interaction = bySeq.get(entry.seq)!;
      const now = session.clock.now();
      // A fault is answered as the recorder answered the app then (502/504, Twilio-shaped).
      const response: RecordedResponse = interaction.response ?? faultAnswer(interaction.fault ?? 'reset');
      const env = { synthesiseCallbacks: !recordedCallbacks, schedule: (at: number, kind: string, ref: unknown) => ctx.scheduler.schedule(session, at, kind, ref) };
      const body = ctx.store.transaction(() => {
        for (const b of bindings) state.bind(b.alias, b.sid);
        if (!repeat) state.markUsed(entry.seq, interaction.offsetMs, now);
        return materialize(response.body, contextFor(session, now, interaction.offsetMs, origin));
      });
      if (!repeat && interaction.response) {
        // The recorded answer is served even if the emulator cannot take it in; the failure is reported.
        try {
          ctx.store.transaction(() => applyServed(session, { method: raw.method, path: raw.path, form: [...raw.form, ...raw.query], status: response.status, body, now }, env));
        } catch (err) {
          ctx.reportError(err, `replay: applying #${entry.seq} of ${cassette.name} to state`);
        }
      }
      if (!repeat && recordedCallbacks) {
        const missing = scheduleCallbacks(ctx, session, interaction, raw, now);
        if (missing.length > 0) request.log.warn({ seq: entry.seq, missing }, 'replayed callbacks have no URL in this request');
      }
      sendRecorded(request, reply, response, body);
      if (!repeat) events.emit('progress', session);
      return true;
    },

    summary(session) {
      const state = states.of(session);
      const unused = cassette.interactions.filter((i) => !state.ledger.isUsed(i.seq));
      return {
        cassette: cassette.name,
        strict: opts.strict,
        interactions: index.size,
        served: state.ledger.size,
        unused: unused.slice(0, UNUSED_SHOWN).map((i) => ({ seq: i.seq, method: i.request.method, path: i.request.path })),
        unusedCount: unused.length,
        unmatched: state.missCount,
        callbacks: state.callbacks,
        recentMisses: state.misses.map((m) => ({ reason: m.reason, request: `${m.identity.method} ${m.identity.path}`, explain: m.text })),
      };
    },

    counts(session) {
      const state = states.of(session);
      return { served: state.ledger.size, misses: state.missCount, callbacks: state.callbacks };
    },
  };
  return replay;
}
