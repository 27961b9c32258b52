/**
 * Cassettes built in code — for the pure matcher's and materialiser's unit tests, and for replay
 * cases a recording cannot produce on demand (an upstream that reset or answered 503): requests in
 * the normalised shape, with sorted pairs, and responses/callbacks as the recorder writes them.
 * The round trip through a real recording is test/e2e/replay-roundtrip.test.ts.
 */
import type { Cassette, Interaction, MatchRules, Pair, RecordedCallback, RecordedResponse } from '../../src/cassette/types';

/** Sorted pairs from an object (arrays become repeated keys). */
export function pairs(obj: Record<string, string | string[]> = {}): Pair[] {
  const out: Pair[] = [];
  for (const [k, v] of Object.entries(obj)) for (const one of Array.isArray(v) ? v : [v]) out.push([k, one]);
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
}

/** What one interaction is built from. */
export interface InteractionSpec {
  method: string;
  path: string;
  product?: string;
  query?: Record<string, string | string[]>;
  form?: Record<string, string | string[]>;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  fault?: 'reset' | 'timeout';
  offsetMs?: number;
  callbacks?: RecordedCallback[];
}

/** Cassette-level settings. */
export interface CassetteSpec {
  match?: MatchRules;
  /** Whether the callbacks were captured (default: `recorded` when any spec has callbacks). */
  callbacks?: 'recorded' | 'synthesised';
}

/** A cassette of `specs`, numbered in order. */
export function cassetteOf(name: string, specs: InteractionSpec[], opts: CassetteSpec = {}): Cassette {
  const { match } = opts;
  const callbacks = opts.callbacks ?? (specs.some((s) => s.callbacks?.length) ? 'recorded' : undefined);
  const interactions: Interaction[] = specs.map((s, i) => {
    const response: RecordedResponse | undefined = s.fault
      ? undefined
      : { status: s.status ?? 200, headers: s.headers ?? { 'content-type': 'application/json' }, body: s.body ?? {} };
    return {
      seq: i + 1,
      offsetMs: s.offsetMs ?? i * 100,
      request: {
        method: s.method,
        product: s.product ?? (s.path.startsWith('/v2/') ? 'verify' : s.path.startsWith('/v1/') ? 'messaging' : 'api'),
        path: s.path,
        query: pairs(s.query),
        form: pairs(s.form),
      },
      ...(response ? { response } : {}),
      ...(s.fault ? { fault: s.fault } : {}),
      callbacks: s.callbacks ?? [],
    };
  });
  return { version: 1, name, ...(callbacks ? { callbacks } : {}), ...(match ? { match } : {}), interactions };
}

/** A recorded 2010 message body (aliases and date tokens as the recorder writes them). */
export function recordedMessage(alias: string, fields: Record<string, unknown> = {}, atMs = 0): Record<string, unknown> {
  const date = `{date:rfc2822:+${atMs}}`;
  const uri = `/2010-04-01/Accounts/{AccountSid}/Messages/${alias}`;
  return {
    body: 'hello',
    num_segments: '1',
    direction: 'outbound-api',
    from: '+15555550123',
    date_updated: date,
    price: null,
    error_message: null,
    uri: `${uri}.json`,
    account_sid: '{AccountSid}',
    num_media: '0',
    to: '+15551230000',
    date_created: date,
    status: 'queued',
    sid: alias,
    date_sent: null,
    messaging_service_sid: null,
    error_code: null,
    price_unit: 'USD',
    api_version: '2010-04-01',
    subresource_uris: { media: `${uri}/Media.json` },
    ...fields,
  };
}
