/**
 * Replay from cassettes: serve matched entries, materialise them for a session, apply them to its
 * state, and fire their recorded callbacks again.
 */
export { createReplay, ReplayMissError, type Replay, type ReplayOptions, type ReplaySummary, type ReplayCounts } from './replayer';
export { loadCassette, CASSETTE_DIR } from './load';
