/**
 * mirra/jest's end-of-run summary: totals, then one line per lost callback (grouped) naming the
 * fix for its cause, and cassette misses with what to do about them.
 */
import { callbackFix, summarize, type FileReport } from '../../src/harness/report';

describe('callbackFix', () => {
  it.each([
    ['Nock: Disallowed net connect for "127.0.0.1:5555/cb"', "nock.enableNetConnect('127.0.0.1')"],
    ['ECONNREFUSED', "start the app's webhook receiver before the message is sent"],
    ['ENOTFOUND', 'point callbacks at a local receiver'],
    ['read timeout after 15000 ms', 'answer the webhook before doing slow work'],
    ['403', 'validate with the session\'s token (process.env.TWILIO_AUTH_TOKEN under useMirror)'],
    ['500', 'its webhook handler threw'],
    ['something else', 'mirra.callbacks()'],
  ])('%s → names the fix', (error, fix) => {
    expect(callbackFix(error)).toContain(fix);
  });
});

describe('summarize', () => {
  const base: FileReport = { file: `${process.cwd()}/test/a.test.js`, worker: '1', session: 'jest-1', tests: 2, callbacksDelivered: 3, failedCallbacks: [], unmatched: [] };

  it('is silent without reports, and one line of totals when all went well', () => {
    expect(summarize([])).toEqual([]);
    expect(summarize([base, { ...base, worker: '2', session: 'jest-2', tests: 1, callbacksDelivered: 0 }])).toEqual([
      'mirra: 2 test files, 3 tests, 2 sessions (jest-1, jest-2); 3 callbacks delivered.',
    ]);
  });

  it('groups a message’s lost callbacks into one line with the fix, and lists cassette misses', () => {
    const lost = { test: 'sends', kind: 'status-callback', method: 'POST', url: 'http://127.0.0.1:9/cb', error: 'ECONNREFUSED' };
    const lines = summarize([{ ...base, failedCallbacks: [lost, lost, lost], unmatched: [{ test: 'replays', count: 2, cassette: 'signup' }] }]);
    expect(lines).toEqual([
      'mirra: 1 test file, 2 tests, 1 session (jest-1); 3 callbacks delivered, 3 failed.',
      "mirra: 3 × status-callback POST http://127.0.0.1:9/cb failed (ECONNREFUSED) in test/a.test.js › sends: nothing listens at that URL: start the app's webhook receiver before the message is sent, or leave StatusCallback out.",
      'mirra: 2 requests matched no entry of cassette signup in test/a.test.js › replays: re-record it (mirra record) or see GET /_mirra/replay for the nearest entries.',
    ]);
  });

  it('reports callbacks still pending (a retry not yet due) with their attempts and what to do, not only the delivered count', () => {
    const waiting = { test: 'sends', kind: 'status-callback', method: 'POST', url: 'http://127.0.0.1:9/cb', error: 'ECONNREFUSED', attempts: 1 };
    const notTried = { test: 'sends', kind: 'status-callback', method: 'POST', url: 'http://127.0.0.1:9/cb', error: 'no attempt', attempts: 0 };
    const lines = summarize([{ ...base, callbacksDelivered: 0, pendingCallbacks: [waiting, waiting, notTried] }]);
    expect(lines[0]).toBe('mirra: 1 test file, 2 tests, 1 session (jest-1); 0 callbacks delivered, 3 still pending.');
    expect(lines.slice(1)).toEqual([
      "mirra: 2 × status-callback POST http://127.0.0.1:9/cb still pending after 1 failed attempt (ECONNREFUSED) in test/a.test.js › sends: nothing listens at that URL: start the app's webhook receiver before the message is sent, or leave StatusCallback out; its retry is due later on the session clock (mirra.advance(ms) past it settles it).",
      'mirra: status-callback POST http://127.0.0.1:9/cb still pending, not attempted yet, in test/a.test.js › sends: the test ended before it was sent; await mirra.advance(ms) (it waits for the callbacks it causes) before the test ends.',
    ]);
  });

  it('counts failed and pending callbacks apart in the totals', () => {
    const lost = { test: 't', kind: 'status-callback', method: 'POST', url: 'http://127.0.0.1:9/cb', error: '500' };
    const lines = summarize([{ ...base, callbacksDelivered: 1, failedCallbacks: [lost], pendingCallbacks: [{ ...lost, attempts: 2 }] }]);
    expect(lines[0]).toBe('mirra: 1 test file, 2 tests, 1 session (jest-1); 1 callback delivered, 1 failed, 1 still pending.');
  });
});
