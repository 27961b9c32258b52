/**
 * The text form: deterministic bytes (key order, pairs inline, final newline), a checked parse
 * that names the bad field, and the compile step from the working store's raw recording.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cassettePath, formatCassette, isValidCassetteName, listCassetteNames, loadCassette, parseCassette, saveCassette } from '../../src/cassette/codec';
import { compileCassette } from '../../src/cassette/compile';
import type { RawCallback, RawInteraction, RecordingMeta } from '../../src/cassette/raw';
import type { Cassette } from '../../src/cassette/types';
import { tempDir } from '../helpers/mirror';

const cassette: Cassette = {
  interactions: [
    {
      callbacks: [{ params: [['MessageStatus', 'sent']], urlParam: 'StatusCallback', offsetMs: 0 }],
      response: { body: { sid: '{SM#1}', status: 'queued', nested: { z: 1, a: [] } }, headers: { 'retry-after': '1', 'content-type': 'application/json' }, status: 201 },
      request: { form: [['Body', 'hi "you"'], ['To', '+1']], query: [], path: '/2010-04-01/Accounts/{AccountSid}/Messages.json', product: 'api', method: 'POST' },
      offsetMs: 0,
      seq: 1,
    },
  ],
  match: { patterns: { Body: 'hi .*' }, ignoreParams: ['Body'] },
  callbacks: 'recorded',
  name: 'demo',
  version: 1,
};

const EXPECTED = `{
  "version": 1,
  "name": "demo",
  "callbacks": "recorded",
  "match": {
    "ignoreParams": [
      "Body"
    ],
    "patterns": {
      "Body": "hi .*"
    }
  },
  "interactions": [
    {
      "seq": 1,
      "offsetMs": 0,
      "request": {
        "method": "POST",
        "product": "api",
        "path": "/2010-04-01/Accounts/{AccountSid}/Messages.json",
        "query": [],
        "form": [
          ["Body", "hi \\"you\\""],
          ["To", "+1"]
        ]
      },
      "response": {
        "status": 201,
        "headers": {
          "content-type": "application/json",
          "retry-after": "1"
        },
        "body": {
          "sid": "{SM#1}",
          "status": "queued",
          "nested": {
            "z": 1,
            "a": []
          }
        }
      },
      "callbacks": [
        {
          "offsetMs": 0,
          "urlParam": "StatusCallback",
          "params": [
            ["MessageStatus", "sent"]
          ]
        }
      ]
    }
  ]
}
`;

describe('cassette codec', () => {
  it('writes a fixed layout: mirra\'s keys in fixed order, body keys as recorded, pairs inline', () => {
    expect(formatCassette(cassette)).toBe(EXPECTED);
  });

  it('round-trips: parse then format gives the same bytes', () => {
    expect(formatCassette(parseCassette(EXPECTED))).toBe(EXPECTED);
  });

  it('names the offending field of an invalid cassette', () => {
    expect(() => parseCassette('{', 'x.json')).toThrow(/x\.json: not JSON/);
    expect(() => parseCassette('{"version":2}', 'x.json')).toThrow(/version 2 is not supported/);
    const bad = JSON.parse(EXPECTED);
    bad.interactions[0].request.form = [['Body']];
    expect(() => parseCassette(JSON.stringify(bad), 'x.json')).toThrow(/interactions\[0\]\.request\.form must be a list of \["name", "value"\] pairs/);
    delete bad.interactions[0].response;
    bad.interactions[0].request.form = [];
    expect(() => parseCassette(JSON.stringify(bad), 'x.json')).toThrow(/has neither a response nor a fault/);
  });

  it('saves to cassettes/NAME.cassette.json (folders allowed), lists and loads them', () => {
    const dir = tempDir('mirra-codec-');
    const file = saveCassette(dir, { ...cassette, name: 'signup/happy' });
    expect(file).toBe(join(dir, 'signup', 'happy.cassette.json'));
    saveCassette(dir, cassette);
    mkdirSync(join(dir, 'other'));
    writeFileSync(join(dir, 'other', 'notes.json'), '{}');
    expect(listCassetteNames(dir)).toEqual(['demo', 'signup/happy']);
    expect(loadCassette(dir, 'demo')).toEqual(parseCassette(readFileSync(cassettePath(dir, 'demo'), 'utf8')));
    expect(isValidCassetteName('../etc/passwd')).toBe(false);
    expect(() => cassettePath(dir, 'a/../b')).toThrow(/not a cassette name/);
  });
});

describe('compileCassette', () => {
  const START = Date.UTC(2026, 0, 1, 0, 0, 0);
  const AC = 'AC' + '9'.repeat(32);
  const SM = 'SM' + '4'.repeat(32);
  const meta: RecordingMeta = { name: 'c', startedAt: START, state: 'recording', localOrigins: [], runId: 'r1', publicUrl: 'https://t.example' };
  const raw = (seq: number, at: number, path: string, body: unknown): RawInteraction => ({
    seq,
    at,
    durationMs: 12,
    host: 'api.twilio.com',
    accountSid: AC,
    request: { method: 'GET', product: 'api', path, query: [], form: [] },
    response: { status: 200, headers: { 'content-type': 'application/json' }, body },
  });

  it('renumbers interactions 1..n, quantises times, attaches callbacks by interaction, aliases across all', () => {
    const interactions = [raw(4, START + 95_000, `/Accounts/${AC}/Messages/${SM}.json`, { sid: SM }), raw(1, START + 20, `/Accounts/${AC}/Messages.json`, { sid: SM })];
    const callbacks: RawCallback[] = [
      { seq: 4, n: 2, at: START + 95_000 + 40_000, urlParam: 'StatusCallback', params: [['MessageSid', SM], ['AccountSid', AC]], verified: true },
      { seq: 4, n: 1, at: START + 95_000 + 10, urlParam: 'StatusCallback', params: [['MessageSid', SM]], verified: true },
    ];
    const c = compileCassette(meta, interactions, callbacks, { match: { ignoreParams: ['Body'] } });
    expect(c).toMatchObject({ name: 'c', callbacks: 'recorded', match: { ignoreParams: ['Body'] } });
    expect(c.interactions.map((i) => [i.seq, i.offsetMs, i.request.path])).toEqual([
      [1, 0, '/Accounts/{AccountSid}/Messages.json'],
      [2, 120_000, '/Accounts/{AccountSid}/Messages/{SM#1}.json'],
    ]);
    expect(c.interactions[1].callbacks).toEqual([
      { offsetMs: 0, urlParam: 'StatusCallback', params: [['MessageSid', '{SM#1}']] },
      { offsetMs: 60_000, urlParam: 'StatusCallback', params: [['AccountSid', '{AccountSid}'], ['MessageSid', '{SM#1}']] },
    ]);
    expect(compileCassette({ ...meta, publicUrl: undefined }, [], []).callbacks).toBe('synthesised');
  });

  it('appends to a cassette (--record new): old entries kept, seqs and times continued, served SIDs keep their alias, new ones take the next', () => {
    const base = compileCassette({ ...meta, publicUrl: undefined }, [raw(1, START, `/Accounts/${AC}/Messages/${'SM' + '1'.repeat(32)}.json`, { sid: 'SM' + '3'.repeat(32) }), raw(2, START + 120_000, `/Accounts/${AC}/Messages.json`, {})], [], {
      match: { ignoreParams: ['Body'] },
    });
    expect(base.interactions.map((i) => i.request.path)).toEqual(['/Accounts/{AccountSid}/Messages/{SM#1}.json', '/Accounts/{AccountSid}/Messages.json']);
    const SERVED = 'SM' + '7'.repeat(32);
    const later = START + 86_400_000;
    const date = new Date(later + 10_000).toISOString().replace('.000Z', 'Z');
    const appended = compileCassette({ ...meta, startedAt: later }, [raw(1, later + 10_000, `/Accounts/${AC}/Messages/${SERVED}.json`, { sid: SM, date_created: date })], [], {
      extend: { cassette: base, aliases: [[SERVED, '{SM#1}']] },
    });
    expect(appended.interactions.slice(0, 2)).toEqual(base.interactions);
    expect(appended).toMatchObject({ callbacks: 'synthesised', match: { ignoreParams: ['Body'] } });
    expect(appended.interactions[2]).toMatchObject({
      seq: 3,
      offsetMs: 120_000, // the old recording's last instant, plus this run's (quantised) offset
      request: { path: '/Accounts/{AccountSid}/Messages/{SM#1}.json' },
      response: { body: { sid: '{SM#3}', date_created: '{date:iso:+120000}' } }, // {SM#2} is the old recording's
    });
  });
});
