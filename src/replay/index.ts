/**
 * Replay from cassettes: a stage of the request pipeline that serves matched entries, materialised
 * for a session and applied to its state, and fires their recorded callbacks again.
 */
export { createReplay, ReplayMissError, type Replay, type ReplayDeps, type ReplaySummary, type ReplayCounts } from './replayer';
export { loadCassette, openCassette, CASSETTE_DIR, DISK_INDEX_BYTES, type OpenedCassette } from './load';
