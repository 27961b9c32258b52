/**
 * The semantic diff: alignment of interactions, field-level changes of answers and requests,
 * callback sequences, volatile values ignored, and its text / Markdown / flat renderings.
 */
import { formatFlat, formatSummary } from '../../src/cassette/describe';
import { diffCassettes, isEmptyDiff } from '../../src/cassette/diff';
import { formatDiffMarkdown, formatDiffText } from '../../src/cassette/diff-format';
import type { Cassette, Interaction, Pair } from '../../src/cassette/types';

const MSGS = '/2010-04-01/Accounts/{AccountSid}/Messages';

function entry(seq: number, method: string, path: string, status: number, body: unknown, form: Pair[] = [], statuses: string[] = []): Interaction {
  return {
    seq,
    offsetMs: 0,
    request: { method, product: 'api', path, query: [], form },
    response: { status, headers: { 'content-type': 'application/json' }, body },
    callbacks: statuses.map((s) => ({ offsetMs: 0, urlParam: 'StatusCallback', params: [['MessageStatus', s], ['MessageSid', '{SM#1}']] as Pair[] })),
  };
}

function cassette(interactions: Interaction[]): Cassette {
  return { version: 1, name: 'flow', callbacks: 'recorded', interactions: interactions.map((i, n) => ({ ...i, seq: n + 1 })) };
}

const create = (sid = '{SM#1}', date = '{date:rfc2822:+0}') =>
  entry(1, 'POST', `${MSGS}.json`, 201, { sid, status: 'queued', date_created: date }, [['Body', 'hi'], ['To', '+1']], ['sent', 'delivered']);
const fetch = (status: string) => entry(2, 'GET', `${MSGS}/{SM#1}.json`, 200, { sid: '{SM#1}', status, error_code: null });

describe('diffCassettes', () => {
  it('ignores volatile values: alias numbers, date offsets, timing', () => {
    const a = cassette([create(), fetch('delivered')]);
    const b = cassette([{ ...create('{SM#7}', '{date:rfc2822:+60000}'), offsetMs: 120_000 }, fetch('delivered')]);
    const d = diffCassettes(a, b);
    expect(isEmptyDiff(d)).toBe(true);
    expect(d.unchanged).toBe(2);
  });

  it('reports changed response fields, added and removed interactions, and changed callback sequences', () => {
    const a = cassette([create(), fetch('delivered'), entry(3, 'DELETE', `${MSGS}/{SM#1}.json`, 204, '')]);
    const changedCreate = create();
    changedCreate.callbacks = changedCreate.callbacks.slice(0, 1);
    const b = cassette([changedCreate, entry(2, 'GET', `${MSGS}.json`, 200, { messages: [] }), { ...fetch('undelivered'), response: { status: 200, headers: { 'content-type': 'application/json' }, body: { sid: '{SM#1}', status: 'undelivered', error_code: 30003 } } }]);
    const d = diffCassettes(a, b);
    expect(d.added.map((e) => [e.seq, e.title, e.outcome])).toEqual([[2, `GET api ${MSGS}.json`, '200']]);
    expect(d.removed.map((e) => [e.seq, e.title])).toEqual([[3, `DELETE api ${MSGS}/{SM#1}.json`]]);
    expect(d.changed).toEqual([
      { seqA: 1, seqB: 1, title: `POST api ${MSGS}.json`, changes: [{ field: 'callbacks', a: '["sent","delivered"]', b: '["sent"]' }] },
      {
        seqA: 2,
        seqB: 3,
        title: `GET api ${MSGS}/{SM#1}.json`,
        changes: [
          { field: 'response.body.status', a: '"delivered"', b: '"undelivered"' },
          { field: 'response.body.error_code', a: 'null', b: '30003' },
        ],
      },
    ]);
    const text = formatDiffText(d, { a: 'A', b: 'B' });
    expect(text).toBe(
      [
        '--- A',
        '+++ B',
        `~ #1 POST api ${MSGS}.json`,
        '    callbacks: ["sent","delivered"] → ["sent"]',
        `+ #2 GET api ${MSGS}.json → 200`,
        `~ #3 (was #2) GET api ${MSGS}/{SM#1}.json`,
        '    response.body.status: "delivered" → "undelivered"',
        '    response.body.error_code: null → 30003',
        `- #3 (of A) DELETE api ${MSGS}/{SM#1}.json → 204`,
        '2 changed, 1 added, 1 removed, 0 unchanged',
        '',
      ].join('\n'),
    );
    const md = formatDiffMarkdown(d, { a: 'A', b: 'B' });
    expect(md).toContain(`| + | 2 | \`GET api ${MSGS}.json\` | added (→ 200) |`);
    expect(md).toContain(`| − | 3 | \`DELETE api ${MSGS}/{SM#1}.json\` | removed (was → 204) |`);
    expect(md).toContain('**2 changed, 1 added, 1 removed, 0 unchanged**');
  });

  it('pairs a request whose params changed with its old self, showing the param change', () => {
    const b = create();
    b.request.form = [['Body', 'hello'], ['To', '+1']];
    const d = diffCassettes(cassette([create()]), cassette([b]));
    expect(d.added).toEqual([]);
    expect(d.changed[0].changes).toEqual([{ field: 'request.form.Body', a: '"hi"', b: '"hello"' }]);
  });

  it('shows a fault replacing an answer, and a change of callback capture', () => {
    const faulty: Interaction = { ...fetch('sent'), response: undefined, fault: 'timeout' };
    const b = { ...cassette([create(), faulty]), callbacks: 'synthesised' as const };
    const d = diffCassettes(cassette([create(), fetch('sent')]), b);
    expect(d.header).toEqual([{ field: 'callbacks', a: '"recorded"', b: '"synthesised"' }]);
    expect(d.changed[0].changes).toEqual([
      { field: 'fault', a: undefined, b: '"timeout"' },
      { field: 'response', a: '200', b: undefined },
    ]);
    expect(formatDiffText(d, { a: 'A', b: 'B' })).toContain('    fault: (absent) → "timeout"');
  });
});

describe('cassette views', () => {
  it('summarises and flattens (the git textconv view masks volatile values)', () => {
    const c = cassette([create(), entry(2, 'POST', `${MSGS}.json`, 400, { code: 21211, message: 'bad To' }, [['To', '+1asd']])]);
    expect(formatSummary(c)).toBe(
      [
        'flow: 2 interactions, 2 callbacks (callbacks recorded)',
        `#1 +0s POST api ${MSGS}.json → 201`,
        '    form  Body="hi" To="+1"',
        '    callbacks sent, delivered',
        `#2 +0s POST api ${MSGS}.json → 400`,
        '    form  To="+1asd"',
        '    error 21211: bad To',
        '',
      ].join('\n'),
    );
    const flat = formatFlat(c);
    expect(flat).toContain('#1 body.sid = "{SM}"');
    expect(flat).toContain('#1 body.date_created = "{date:rfc2822}"');
    expect(flat).toContain('#1 callbacks[1].MessageStatus = "delivered"');
    expect(flat).toContain('#2 status = 400');
  });
});
