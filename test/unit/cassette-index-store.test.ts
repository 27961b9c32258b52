/**
 * The on-disk cassette index (src/cassette/index-store.ts): the same answers as the in-memory index
 * for every kind of request (hits in recorded order, repeats, alias bindings, dates, match rules,
 * explained misses), built once and reused while the file is unchanged, built again when it
 * changes; and the streamed reader (src/cassette/codec-stream.ts) that reads files too big to parse
 * whole, split at any chunk size.
 */
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatCassette } from '../../src/cassette/codec';
import { streamCassetteFile } from '../../src/cassette/codec-stream';
import { openStoredCassette, type StoredCassette } from '../../src/cassette/index-store';
import { buildIndex, findEntry, Ledger, type CassetteIndex, type RequestIdentity } from '../../src/cassette/match';
import { aliasIdentity, MemoryAliasMap } from '../../src/cassette/materialize';
import { CassetteServer } from '../../src/cassette/serve';
import type { Cassette } from '../../src/cassette/types';
import { cassetteOf, pairs } from '../helpers/replay-cassette';

const MSGS = '/2010-04-01/Accounts/{AccountSid}/Messages.json';
const ONE = (sid: string) => `/2010-04-01/Accounts/{AccountSid}/Messages/${sid}.json`;
const SEND = { To: '+15551230000', From: '+15555550123', Body: 'hello' };
const SID = (c: string) => 'SM' + c.repeat(32);

function req(method: string, path: string, form: Record<string, string | string[]> = {}, query: Record<string, string> = {}): RequestIdentity {
  return { method, product: 'api', path, form: pairs(form), query: pairs(query) };
}

/** Every kind of entry matching knows: repeats, aliases, dates, rules, other products. */
const RICH = cassetteOf(
  'rich',
  [
    { method: 'POST', path: MSGS, form: SEND, status: 201, body: { sid: '{SM#1}' } },
    { method: 'POST', path: MSGS, form: SEND, status: 201, body: { sid: '{SM#2}' } },
    { method: 'GET', path: ONE('{SM#1}'), body: { sid: '{SM#1}', status: 'sent' } },
    { method: 'GET', path: ONE('{SM#1}'), body: { sid: '{SM#1}', status: 'delivered' } },
    { method: 'GET', path: ONE('{SM#2}') },
    { method: 'POST', path: MSGS, form: { ...SEND, Body: 'Your code is 123456', StatusCallback: 'https://a.example/cb' }, status: 201 },
    { method: 'GET', path: MSGS, query: { 'DateSent>': '{date:iso:+1000}' } },
    { method: 'POST', path: MSGS, form: { ...SEND, Body: 'other', MediaUrl: ['https://a/1.png', 'https://a/2.png'] }, status: 201 },
    { method: 'POST', path: '/v2/Services/{VA#1}/Verifications', form: { To: '+15551230000', Channel: 'sms' }, status: 201 },
    { method: 'DELETE', path: ONE('{SM#2}'), status: 204 },
    { method: 'GET', path: MSGS, query: { To: '+15551230000' } },
    { method: 'GET', path: MSGS, query: { To: '+15551230000' } },
  ],
  { match: { ignoreParams: ['StatusCallback'], patterns: { Body: 'Your code is \\d{6}|hello|other' } } },
);

/** Requests of every kind, in the order a session would make them. */
const SCRIPT: RequestIdentity[] = [
  req('POST', MSGS, SEND),
  req('POST', MSGS, SEND),
  req('POST', MSGS, SEND), // exhausted write: a miss
  req('GET', ONE(SID('a'))), // unknown SID: binds an alias
  req('GET', ONE(SID('a'))),
  req('GET', ONE(SID('a'))), // read repeated beyond the recording
  req('GET', ONE(SID('b'))),
  req('POST', MSGS, { ...SEND, Body: 'Your code is 987654', StatusCallback: 'http://127.0.0.1:9/cb' }),
  req('POST', MSGS, { ...SEND, Body: 'Your code is 12' }), // fails its pattern
  req('GET', MSGS, {}, { 'DateSent>': '2031-01-01T00:00:00Z' }),
  req('POST', MSGS, { ...SEND, Body: 'other', MediaUrl: ['https://a/2.png', 'https://a/1.png'] }),
  { ...req('POST', '/v2/Services/VA' + 'c'.repeat(32) + '/Verifications', { To: '+15551230000', Channel: 'sms' }), product: 'verify' },
  req('DELETE', ONE(SID('b'))),
  req('GET', MSGS, {}, { To: '+15551230000' }),
  req('GET', MSGS, {}, { To: '+15551230000' }),
  req('GET', MSGS, {}, { To: '+15551230000' }),
  req('PUT', '/2010-04-01/Accounts/{AccountSid}/Calls.json'), // a path the cassette never saw
  req('POST', MSGS, { ...SEND, To: '+15559999999', ProvideFeedback: 'true' }),
];

/** Runs the script on `index`, aliasing known SIDs, marking hits used and keeping bindings, as serving does. */
function run(index: CassetteIndex) {
  const ledger = new Ledger();
  const aliases = new MemoryAliasMap();
  return SCRIPT.map((identity) => {
    const result = findEntry(index, aliasIdentity(identity, 'AC' + 'f'.repeat(32), aliases), ledger, aliases);
    if (result.hit) {
      for (const b of result.hit.bindings) aliases.bind(b.alias, b.sid);
      if (!result.hit.repeat) ledger.markUsed(result.hit.entry.seq);
    }
    return result;
  });
}

let dir: string;
const open: StoredCassette[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mirra-index-'));
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  rmSync(dir, { recursive: true, force: true });
});

/** Writes `cassette` as mirra does and opens its on-disk index. */
async function stored(cassette: Cassette, file = join(dir, 'c.cassette.json'), text = formatCassette(cassette)): Promise<StoredCassette> {
  writeFileSync(file, text);
  return openFile(file);
}

async function openFile(file: string): Promise<StoredCassette> {
  const c = await openStoredCassette(file, join(dir, 'index'));
  open.push(c);
  return c;
}

describe('the on-disk index', () => {
  it('answers every request exactly as the in-memory index does', async () => {
    const disk = await stored(RICH);
    const memory = run(buildIndex(RICH));
    expect(run(disk)).toEqual(memory);
    // The script does reach every path: hits, repeats, bindings, explained misses of both reasons.
    expect(memory.filter((r) => r.hit && !r.hit.repeat)).toHaveLength(12); // every entry
    expect(memory.some((r) => r.hit?.repeat)).toBe(true);
    expect(memory.some((r) => r.hit?.bindings.length)).toBe(true);
    expect(memory.map((r) => r.miss?.reason).filter(Boolean)).toEqual(['exhausted', 'no-match', 'no-match', 'no-match']);
    expect(memory.every((r) => r.hit || r.miss!.nearest.length > 0)).toBe(true);
  });

  it('serves the same interactions, and lists the same unused ones', async () => {
    const disk = new CassetteServer(await stored(RICH), (p) => p + '0'.repeat(32));
    const memory = new CassetteServer(RICH, (p) => p + '0'.repeat(32));
    expect(disk.index.size).toBe(12);
    expect(disk.interaction(4)).toEqual(memory.interaction(4));
    const state = { ledger: new Ledger([1, 3, 99]) };
    expect(disk.unused(state, 3).map((i) => i.seq)).toEqual([2, 4, 5]);
    expect(disk.unused(state)).toEqual(memory.unused(state));
    expect(disk.unusedCount(state)).toBe(10);
    expect(memory.unusedCount(state)).toBe(10);
  });

  it('keeps recorded order for a cassette whose file is not in seq order, and applies rules written after the interactions', async () => {
    const shuffled = { ...RICH, interactions: [...RICH.interactions].reverse() };
    const { match, ...rest } = shuffled;
    const text = JSON.stringify({ ...rest, match });
    const disk = await stored(RICH, join(dir, 'shuffled.json'), text);
    expect(run(disk)).toEqual(run(buildIndex(RICH)));
  });

  it('refuses a cassette whose seq appears twice, naming it', async () => {
    const twice = { ...RICH, interactions: [...RICH.interactions, { ...RICH.interactions[0] }] };
    await expect(stored(twice)).rejects.toMatchObject({ code: 'MIRRA_ERR_INVALID_CASSETTE', message: expect.stringContaining('seq 1 appears twice') });
    expect(readdirSync(join(dir, 'index'))).toEqual([]); // nothing half-built is left
  });

  it('refuses a bad interaction, naming the file and the field', async () => {
    const text = formatCassette(RICH).replace('"offsetMs": 100', '"offsetMs": "soon"');
    await expect(stored(RICH, join(dir, 'bad.json'), text)).rejects.toMatchObject({ code: 'MIRRA_ERR_INVALID_CASSETTE', message: expect.stringContaining('interactions[1].offsetMs must be a number') });
  });
});

describe('reuse', () => {
  it('is built once and reused while the file is unchanged', async () => {
    const file = join(dir, 'c.cassette.json');
    const first = await stored(RICH, file);
    expect(first.built).toBe(true);
    await first.close();
    open.length = 0;
    const second = await openFile(file);
    expect(second.built).toBe(false);
    expect(second.storage).toBe('disk (reused)');
    expect(run(second)).toEqual(run(buildIndex(RICH)));
  });

  it('is built again when the file changes, even with the same size and time, and the old index is removed', async () => {
    const file = join(dir, 'c.cassette.json');
    await stored(RICH, file);
    const changed = cassetteOf('rich', [{ method: 'GET', path: MSGS, query: { To: '+15551230001' } }]);
    const second = await stored(changed, file);
    expect(second.built).toBe(true);
    expect(second.size).toBe(1);
    await Promise.all(open.splice(0).map((c) => c.close()));
    // Same size and modification time, other content: the digest of its head and tail tells.
    const at = new Date(2030, 0, 1);
    utimesSync(file, at, at);
    expect((await openFile(file)).built).toBe(true); // a new time is a change
    expect((await openFile(file)).built).toBe(false);
    writeFileSync(file, formatCassette(changed).replace('+15551230001', '+15551230002'));
    utimesSync(file, at, at);
    const third = await openFile(file);
    expect(third.built).toBe(true);
    expect(third.interaction(1)?.request.query).toEqual([['To', '+15551230002']]);
    expect(readdirSync(join(dir, 'index'))).toHaveLength(1);
  });
});

describe('the streamed reader', () => {
  const tricky: Cassette = cassetteOf('x"y\\', [
    { method: 'GET', path: '/p/"]}{[\\', query: { a: 'é"\\\\1', b: '\\' }, body: { s: '\\"', t: ['[', ']', '{', '}'], u: 'naïve ✓' } },
    { method: 'POST', path: MSGS, form: SEND, body: 'plain text, "quoted"' },
  ]);

  it.each([1, 2, 3, 7, 64, 1 << 20])('splits the items and header of any cassette text alike, in chunks of %i bytes', (chunk) => {
    const texts = [formatCassette(tricky), JSON.stringify(tricky), JSON.stringify({ interactions: tricky.interactions, name: tricky.name, version: 1 })];
    for (const text of texts) {
      const file = join(dir, 't.json');
      writeFileSync(file, text);
      const items: unknown[] = [];
      const header = streamCassetteFile(file, (i) => items.push(i), chunk);
      expect(items).toEqual(tricky.interactions);
      expect(header).toEqual({ version: 1, name: tricky.name });
    }
  });

  it('fails on a truncated file, naming it', () => {
    const file = join(dir, 't.json');
    writeFileSync(file, formatCassette(tricky).slice(0, -40));
    expect(() => streamCassetteFile(file, () => undefined, 5)).toThrow(/MIRRA_ERR_INVALID_CASSETTE|not valid/);
  });
});
