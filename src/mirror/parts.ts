/**
 * Small parts of a mirror's assembly: its store, and its default session brought in line with the
 * options.
 */
import type { ResolvedOptions } from '../config';
import { loadSeed } from '../seeds/seed';
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

/** Creates (and seeds) the default session, or brings the persisted one in line with the options. */
export function ensureDefaultSession(sessions: SessionManager, options: ResolvedOptions): Session {
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
