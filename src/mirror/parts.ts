/**
 * Small parts of a mirror's assembly: its store, and its default session brought in line with the
 * options.
 */
import type { ResolvedOptions } from '../config';
import { loadSeed, type Seed } from '../seeds/seed';
import type { Session } from '../session/session';
import type { SessionManager } from '../session/sessions';
import type * as LmdbStoreModule from '../store/lmdb-store';
import type * as MemoryStoreModule from '../store/memory-store';
import type { Store } from '../store/store';

/** The store of a mirror: LMDB in its data dir, or memory when ephemeral (the other one is not even loaded). */
export function openStore(opts: ResolvedOptions): Store {
  if (opts.ephemeral) return new (require('../store/memory-store') as typeof MemoryStoreModule).MemoryStore();
  const { LmdbStore } = require('../store/lmdb-store') as typeof LmdbStoreModule;
  return new LmdbStore({ dir: opts.dataDir, durable: opts.durable, groupCommit: true });
}

/**
 * What became of the default session at start-up: made anew, resumed from the data dir, started
 * afresh because an explicit `--seed` differs from the one it was made from (issue #15: a seed the
 * user names is never silently ignored), or because new credentials were given.
 */
export type DefaultSessionStart = { kind: 'created' } | { kind: 'resumed' } | { kind: 'reseeded'; previousSeed: string } | { kind: 'new-credentials' };

/** JSON with keys in a stable order, so two equal seeds compare equal however they were stored. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** True when two seeds have the same contents (a seed file edited since counts as different). */
export function isSameSeed(a: Seed, b: Seed): boolean {
  return canonical(a) === canonical(b);
}

/**
 * Creates (and seeds) the default session, or brings the persisted one in line with the options:
 * other credentials or another explicit seed start it afresh; otherwise it resumes as stored.
 */
export function ensureDefaultSession(sessions: SessionManager, options: ResolvedOptions): { session: Session; start: DefaultSessionStart } {
  const seed = loadSeed(options.seed);
  const existing = sessions.get(options.defaultSessionId);
  if (!existing) return { session: create(sessions, options, seed), start: { kind: 'created' } };
  if ((options.accountSid && existing.accountSid !== options.accountSid) || (options.authToken && !sessions.authenticate(existing, existing.accountSid, options.authToken))) {
    sessions.remove(existing.id);
    return { session: create(sessions, options, seed), start: { kind: 'new-credentials' } };
  }
  if (options.seed !== undefined && !isSameSeed(seed, existing.seed)) {
    // The account stays the same, so an environment exported from the earlier run still reaches it.
    const previousSeed = existing.seed.name;
    const accountSid = existing.accountSid;
    sessions.remove(existing.id);
    return { session: create(sessions, { ...options, accountSid: options.accountSid ?? accountSid }, seed), start: { kind: 'reseeded', previousSeed } };
  }
  return { session: existing, start: { kind: 'resumed' } };
}

function create(sessions: SessionManager, options: ResolvedOptions, seed: Seed): Session {
  return sessions.create({ id: options.defaultSessionId, accountSid: options.accountSid, authToken: options.authToken, seed });
}
