/**
 * Builds every storage key. Keys are ordered strings: parts joined by U+001F, numbers zero-padded
 * so that lexical order is numeric order. No other module writes a key by hand.
 */

const SEP = '\u001f';

/** Left-pads a non-negative integer so that string order equals numeric order. */
export function pad(n: number): string {
  return Math.max(0, Math.floor(n)).toString().padStart(15, '0');
}

function join(...parts: (string | number)[]): string {
  let key = '';
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    key += (i === 0 ? '' : SEP) + (typeof p === 'number' ? pad(p) : p);
  }
  return key;
}

/** The prefix form of a key: every key "under" it starts with this string. */
export function under(key: string): string {
  return key + SEP;
}

export const keys = {
  /** A session's record. */
  session: (id: string) => join('session', id),
  /** All session records. */
  sessions: () => under('session'),
  /** Everything a session owns. */
  sessionData: (id: string) => under(join('s', id)),
  /** A resource record of a session's collection. */
  item: (id: string, collection: string, sid: string) => join('s', id, 'c', collection, 'i', sid),
  /** Insertion-order index of a collection. */
  order: (id: string, collection: string, seq: number) => join('s', id, 'c', collection, 'o', seq),
  orders: (id: string, collection: string) => under(join('s', id, 'c', collection, 'o')),
  /** A secondary index entry of a collection (e.g. messages by recipient). */
  index: (id: string, collection: string, name: string, value: string, seq: number) =>
    join('s', id, 'c', collection, 'x', name, value, seq),
  indexScan: (id: string, collection: string, name: string, value: string) =>
    under(join('s', id, 'c', collection, 'x', name, value)),
  /** Everything of a session's collection (records, SID index, secondary indexes). */
  collectionAll: (id: string, collection: string) => under(join('s', id, 'c', collection)),
  /** A slot of a session's bounded log (a ring: slot = sequence number modulo its size). */
  ringSlot: (id: string, ring: string, slot: number) => join('s', id, 'r', ring, slot),
  ringSlots: (id: string, ring: string) => under(join('s', id, 'r', ring)),
  /** Per-session counters (sequence numbers). */
  counter: (id: string, name: string) => join('s', id, 'n', name),
  /** Scheduled work of a session, ordered by due time. */
  task: (id: string, at: number, seq: number) => join('s', id, 't', at, seq),
  tasks: (id: string) => under(join('s', id, 't')),
  /** A derived task kind's mark: no record below this sequence number needs a visit (session/scheduler.ts). */
  taskMark: (id: string, kind: string) => join('s', id, 'tm', kind),
  /** Pending webhook deliveries of a session, in enqueue order. */
  outbox: (id: string, seq: number) => join('s', id, 'ob', seq),
  outboxAll: (id: string) => under(join('s', id, 'ob')),
  /** The delivery log of a session. */
  log: (id: string, seq: number) => join('s', id, 'log', seq),
  logAll: (id: string) => under(join('s', id, 'log')),
  /** Request history (for limits such as the rate-limited seed). */
  meta: (id: string, name: string) => join('s', id, 'm', name),
  /** Replay: the SID a cassette alias (`{SM#1}`) stands for in a session. */
  replayAlias: (id: string, cassette: string, alias: string) => join('s', id, 'rp', cassette, 'a', alias),
  replayAliases: (id: string, cassette: string) => under(join('s', id, 'rp', cassette, 'a')),
  /** Replay: a cassette entry a session has been served (the ledger; never a flag on the cassette). */
  replayUsed: (id: string, cassette: string, seq: number) => join('s', id, 'rp', cassette, 'u', seq),
  replayUsedAll: (id: string, cassette: string) => under(join('s', id, 'rp', cassette, 'u')),
  /** Record: a recording's meta (`RecordingMeta`), one per cassette name. */
  recording: (name: string) => join('recs', name),
  /** Record: every recording's meta. */
  recordings: () => under('recs'),
  /** Record: everything a recording stored (interactions and callbacks). */
  recordingData: (name: string) => under(join('rec', name)),
  /** Record: one recorded interaction, by sequence number. */
  recInteraction: (name: string, seq: number) => join('rec', name, 'i', seq),
  recInteractions: (name: string) => under(join('rec', name, 'i')),
  /** Record: one captured callback, by arrival order. */
  recCallback: (name: string, n: number) => join('rec', name, 'cb', n),
  recCallbacks: (name: string) => under(join('rec', name, 'cb')),
  /** Cassette index (an LMDB env of its own per version of a cassette file): name, rules, size. */
  cassetteIndexMeta: () => join('ci', 'meta'),
  /** Cassette index: interaction `seq`, whole. */
  cassetteEntry: (seq: number) => join('ci', 'e', seq),
  cassetteEntries: () => under(join('ci', 'e')),
  /** Cassette index: a group of requests identical for matching, by the digest of their exact key. */
  cassetteGroup: (digest: string) => join('ci', 'g', digest),
  /** Cassette index: a route (method, product, path shape), by its digest. */
  cassetteRoute: (digest: string) => join('ci', 'rt', digest),
  /** Cassette index: a group of a route, by the seq of its first entry (`kind`: g every group, a aliased, d dated). */
  cassetteRouteGroup: (route: string, kind: string, firstSeq: number) => join('ci', 'r', route, kind, firstSeq),
  cassetteRouteGroups: (route: string, kind: string) => under(join('ci', 'r', route, kind)),
  /** Cassette index: a route of a path shape, by the seq of its first entry. */
  cassetteShapeRoute: (shape: string, firstSeq: number) => join('ci', 's', shape, firstSeq),
  cassetteShapeRoutes: (shape: string) => under(join('ci', 's', shape)),
};
