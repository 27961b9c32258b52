/**
 * Matching (src/cassette/match.ts, explain.ts): pure lookups on cassettes built in code — recorded
 * order for repeats, tunable rules, SID aliases binding, and misses that name the nearest entry.
 */
import * as compare from '../../src/cassette/compare';

// compareRequests is counted (it still compares): the lookup-cost test checks the fast path skips it.
jest.mock('../../src/cassette/compare', () => {
  const actual = jest.requireActual('../../src/cassette/compare');
  return { ...actual, compareRequests: jest.fn(actual.compareRequests) };
});
import { buildIndex, findEntry, Ledger, type RequestIdentity } from '../../src/cassette/match';
import { MemoryAliasMap } from '../../src/cassette/materialize';
import { cassetteOf, pairs } from '../helpers/replay-cassette';

const MSGS = '/2010-04-01/Accounts/{AccountSid}/Messages.json';
const ONE = (sid: string) => `/2010-04-01/Accounts/{AccountSid}/Messages/${sid}.json`;

function req(method: string, path: string, form: Record<string, string | string[]> = {}, query: Record<string, string> = {}): RequestIdentity {
  return { method, product: 'api', path, form: pairs(form), query: pairs(query) };
}

const SEND = { To: '+15551230000', From: '+15555550123', Body: 'hello' };

describe('findEntry', () => {
  const index = buildIndex(
    cassetteOf('basic', [
      { method: 'POST', path: MSGS, form: SEND, status: 201 },
      { method: 'POST', path: MSGS, form: SEND, status: 201 },
      { method: 'GET', path: ONE('{SM#1}') },
      { method: 'GET', path: ONE('{SM#1}') },
      { method: 'POST', path: MSGS, form: { ...SEND, Body: 'other', MediaUrl: ['https://a/1.png', 'https://a/2.png'] }, status: 201 },
    ]),
  );

  it('serves repeats in recorded order, then misses with reason "exhausted" for writes', () => {
    const ledger = new Ledger();
    const aliases = new MemoryAliasMap();
    const first = findEntry(index, req('POST', MSGS, SEND), ledger, aliases);
    expect(first.hit?.entry.seq).toBe(1);
    ledger.markUsed(1);
    expect(findEntry(index, req('POST', MSGS, SEND), ledger, aliases).hit?.entry.seq).toBe(2);
    ledger.markUsed(2);
    const third = findEntry(index, req('POST', MSGS, SEND), ledger, aliases);
    expect(third.miss?.reason).toBe('exhausted');
    expect(third.miss?.nearest[0]).toMatchObject({ seq: 2, used: true });
    expect(third.miss?.nearest[0].differences[0].field).toBe('repeat');
    expect(third.miss?.text).toContain('every recorded answer (last #2) was already served');
  });

  it('re-serves the last recorded answer of a read made more often than recorded', () => {
    const ledger = new Ledger([3, 4]);
    const aliases = new MemoryAliasMap([['{SM#1}', 'SM' + 'a'.repeat(32)]]);
    const hit = findEntry(index, req('GET', ONE('{SM#1}')), ledger, aliases).hit;
    expect(hit).toMatchObject({ entry: { seq: 4 }, repeat: true });
  });

  it('compares repeated params as lists (MediaUrl), independent of the order they were sent in', () => {
    const form = { ...SEND, Body: 'other', MediaUrl: ['https://a/2.png', 'https://a/1.png'] };
    expect(findEntry(index, req('POST', MSGS, form), new Ledger(), new MemoryAliasMap()).hit?.entry.seq).toBe(5);
  });

  it('binds an unknown SID to an unbound recorded alias, and refuses one already bound elsewhere', () => {
    const sid = 'SM' + 'b'.repeat(32);
    const free = findEntry(index, req('GET', ONE(sid)), new Ledger(), new MemoryAliasMap());
    expect(free.hit?.entry.seq).toBe(3);
    expect(free.hit?.bindings).toEqual([{ alias: '{SM#1}', sid }]);
    const taken = findEntry(index, req('GET', ONE(sid)), new Ledger(), new MemoryAliasMap([['{SM#1}', 'SM' + 'c'.repeat(32)]]));
    expect(taken.miss?.reason).toBe('no-match');
    expect(taken.miss?.nearest[0]).toMatchObject({ seq: 3, differences: [{ field: 'path', recorded: ONE('{SM#1}'), actual: ONE(sid) }] });
  });

  it('names the nearest recorded request and every differing field on a miss', () => {
    const miss = findEntry(index, req('POST', MSGS, { ...SEND, Body: 'helo', ProvideFeedback: 'true' }), new Ledger(), new MemoryAliasMap()).miss!;
    expect(miss.reason).toBe('no-match');
    expect(miss.nearest[0]).toMatchObject({ seq: 1, method: 'POST', path: MSGS, used: false });
    expect(miss.nearest[0].differences).toEqual([
      { field: 'form.Body', recorded: 'hello', actual: 'helo' },
      { field: 'form.ProvideFeedback', recorded: null, actual: 'true' },
    ]);
    expect(miss.text).toContain(`No recorded interaction in cassette "basic" matches POST ${MSGS} (api)`);
    expect(miss.text).toContain(`Nearest: #1 POST ${MSGS} (api): form.Body: recorded "hello", got "helo"; form.ProvideFeedback: recorded (absent), got "true"`);
  });

  it('explains a request on a path the cassette never saw by the closest entries anywhere', () => {
    const miss = findEntry(index, req('DELETE', ONE('{SM#9}')), new Ledger(), new MemoryAliasMap()).miss!;
    expect(miss.nearest.length).toBeGreaterThan(0);
    expect(miss.nearest[0]).toMatchObject({ seq: 3, differences: [{ field: 'method', recorded: 'GET', actual: 'DELETE' }, expect.objectContaining({ field: 'path' })] });
  });

  it('skips the explanation when asked (fall-through does not pay for it)', () => {
    const miss = findEntry(index, req('POST', MSGS, { Body: 'x' }), new Ledger(), new MemoryAliasMap(), { explain: false }).miss!;
    expect(miss.nearest).toEqual([]);
  });

  it('matches on method, product and path exactly', () => {
    const verify: RequestIdentity = { ...req('POST', MSGS, SEND), product: 'verify' };
    expect(findEntry(index, verify, new Ledger(), new MemoryAliasMap()).miss?.nearest[0].differences).toEqual([{ field: 'product', recorded: 'api', actual: 'verify' }]);
  });
});

describe('match rules', () => {
  const index = buildIndex(
    cassetteOf(
      'rules',
      [
        { method: 'POST', path: MSGS, form: { ...SEND, Body: 'Your code is 123456', StatusCallback: 'https://ci-41.example.com/cb' } },
        { method: 'GET', path: MSGS, query: { 'DateSent>': '{date:iso:+1000}' } },
      ],
      { match: { ignoreParams: ['StatusCallback'], patterns: { Body: 'Your code is \\d{6}' } } },
    ),
  );

  it('ignores the params the cassette says to ignore, and matches others by pattern', () => {
    const form = { ...SEND, Body: 'Your code is 987654', StatusCallback: 'http://127.0.0.1:3999/cb' };
    expect(findEntry(index, req('POST', MSGS, form), new Ledger(), new MemoryAliasMap()).hit?.entry.seq).toBe(1);
    const noCallback = { ...SEND, Body: 'Your code is 987654' };
    expect(findEntry(index, req('POST', MSGS, noCallback), new Ledger(), new MemoryAliasMap()).hit?.entry.seq).toBe(1);
  });

  it('reports a value that fails its pattern, showing the pattern', () => {
    const miss = findEntry(index, req('POST', MSGS, { ...SEND, Body: 'Your code is 12' }), new Ledger(), new MemoryAliasMap()).miss!;
    expect(miss.nearest[0].differences).toEqual([{ field: 'form.Body', recorded: '/Your code is \\d{6}/', actual: 'Your code is 12' }]);
  });

  it('lets a recorded date token stand for any date', () => {
    const hit = findEntry(index, req('GET', MSGS, {}, { 'DateSent>': '2031-01-01T00:00:00Z' }), new Ledger(), new MemoryAliasMap()).hit;
    expect(hit?.entry.seq).toBe(2);
  });
});

describe('lookup cost', () => {
  // How fast it is, in microseconds, is measured by `npm run bench` (bench/replay-lookup.js); here
  // the shape that keeps it flat: an exact request is found in its group by key, and no recorded
  // request is compared field by field.
  it('stays flat: a lookup in 100,000 interactions, repeats included, compares no entry field by field', () => {
    const specs = [];
    for (let i = 0; i < 100_000; i++) {
      specs.push(i % 2 === 0 ? { method: 'POST', path: MSGS, form: { ...SEND, Body: `m${(i >> 1) % 1000}` } } : { method: 'GET', path: ONE(`{SM#${i}}`) });
    }
    const index = buildIndex(cassetteOf('big', specs));
    const ledger = new Ledger();
    const aliases = new MemoryAliasMap();
    const compared = compare.compareRequests as jest.Mock;
    compared.mockClear();
    const n = 5000;
    const served: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = findEntry(index, req('POST', MSGS, { ...SEND, Body: `m${i % 1000}` }), ledger, aliases);
      ledger.markUsed(r.hit!.entry.seq);
      served.push(r.hit!.entry.seq);
    }
    expect(compared).not.toHaveBeenCalled();
    // Repeats of one request are served in recorded order: the 1st, 1001st, 2001st… sends of `m0`.
    expect(served.filter((_, i) => i % 1000 === 0)).toEqual([1, 2001, 4001, 6001, 8001]);
  });
});
