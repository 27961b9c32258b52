/**
 * Small parts of the recorder: where a request goes, how a callback URL is swapped in a form
 * without touching other bytes, capture addresses, and the live count on a terminal or a log.
 */
import { hookPath, parseHookPath, replaceFormValue } from '../../src/record/callbacks';
import http from 'node:http';
import { forwardRequest, upstreamFor } from '../../src/record/forward';
import { listenLocal } from '../helpers/listen';
import { planRecording } from '../../src/record/modes';
import { describeCounts, describeReplayCounts, ProgressLine } from '../../src/record/progress';

describe('upstreamFor', () => {
  it('sends to --upstream as is, to the Twilio host addressed, or (base URL) to the product of the path', () => {
    expect(upstreamFor('api.twilio.com', '/x', 'http://127.0.0.1:9')).toEqual({ target: 'http://127.0.0.1:9', changeOrigin: false });
    expect(upstreamFor('api.dublin.ie1.twilio.com', '/2010-04-01/Accounts.json')).toEqual({ target: 'https://api.dublin.ie1.twilio.com', changeOrigin: true });
    expect(upstreamFor('127.0.0.1:4010', '/v2/Services')).toEqual({ target: 'https://verify.twilio.com', changeOrigin: true });
    expect(upstreamFor('127.0.0.1:4010', '/favicon.ico')).toBeUndefined();
  });

  it('sends a base-URL `/<domain>/v1/…` path to that domain’s host, without the prefix', async () => {
    const target = upstreamFor('127.0.0.1:4010', '/conversations/v1/Conversations');
    expect(target).toEqual({ target: 'https://conversations.twilio.com', changeOrigin: true, stripPrefix: '/conversations' });
    expect(upstreamFor('127.0.0.1:4010', '/flex-api/v1/Configuration')?.target).toBe('https://flex-api.twilio.com');
    // The request line the upstream gets has no prefix.
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.url ?? '');
      res.end('{}');
    });
    const local = await listenLocal(server, 0);
    try {
      const agents = { http: new http.Agent(), https: new (require('node:https').Agent)() };
      const result = await forwardRequest({ method: 'GET', url: '/conversations/v1/Conversations?PageSize=1', headers: {}, body: Buffer.alloc(0) }, { ...target!, target: local.url }, { timeoutMs: 5000, agents });
      expect(result.response?.status).toBe(200);
      expect(seen).toEqual(['/v1/Conversations?PageSize=1']);
    } finally {
      await local.close();
    }
  });
});

describe('callback capture addresses', () => {
  it('round-trips, also behind a tunnel prefix', () => {
    const path = hookPath({ runId: 'abc123', seq: 7, param: 'StatusCallback' });
    expect(path).toBe('/_mirra/record/callbacks/abc123/7/StatusCallback');
    expect(parseHookPath('/prefix' + path)).toEqual({ runId: 'abc123', seq: 7, param: 'StatusCallback' });
    expect(parseHookPath('/_mirra/record/callbacks/abc/x/StatusCallback')).toBeUndefined();
  });

  it('replaces one form value and leaves every other byte alone', () => {
    const body = 'To=%2B1555&Body=a+b%20c&StatusCallback=http%3A%2F%2Fapp%2Fs&X=1';
    expect(replaceFormValue(body, 'StatusCallback', 'https://t.example/_mirra/x?y=1')).toBe('To=%2B1555&Body=a+b%20c&StatusCallback=https%3A%2F%2Ft.example%2F_mirra%2Fx%3Fy%3D1&X=1');
    expect(replaceFormValue(body, 'Missing', 'x')).toBeUndefined();
  });
});

describe('planRecording (--record)', () => {
  it('records a missing cassette (none refuses), and for an existing one serves (once, none), appends (new) or overwrites (all)', () => {
    expect(planRecording('once', false)).toEqual({ mode: 'once', serve: false, forward: true, write: 'overwrite' });
    expect(planRecording('new', false)).toEqual({ mode: 'new', serve: false, forward: true, write: 'overwrite' });
    expect(planRecording('all', false)).toEqual({ mode: 'all', serve: false, forward: true, write: 'overwrite' });
    expect(planRecording('none', false)).toBeUndefined();
    expect(planRecording('once', true)).toEqual({ mode: 'once', serve: true, forward: false, write: 'keep' });
    expect(planRecording('none', true)).toEqual({ mode: 'none', serve: true, forward: false, write: 'keep' });
    expect(planRecording('new', true)).toEqual({ mode: 'new', serve: true, forward: true, write: 'append' });
    expect(planRecording('all', true)).toEqual({ mode: 'all', serve: false, forward: true, write: 'overwrite' });
  });
});

describe('ProgressLine', () => {
  const counts = { interactions: 2, served: 0, misses: 0, callbacks: 1, faults: 1, rejected: 0 };
  it('rewrites one line on a terminal', () => {
    const out: string[] = [];
    const p = new ProgressLine({ isTTY: true, write: (t) => out.push(t) }, { intervalMs: 0 });
    p.show(describeCounts('flow', counts));
    p.show(describeCounts('flow', { ...counts, interactions: 3 }));
    p.done();
    expect(out).toEqual(['\r\x1b[2Kmirra record flow: 2 interactions, 1 callback, 1 upstream fault', '\r\x1b[2Kmirra record flow: 3 interactions, 1 callback, 1 upstream fault', '\n']);
  });
  it('prints plain lines elsewhere', () => {
    const out: string[] = [];
    new ProgressLine({ write: (t) => out.push(t) }).show(describeCounts('flow', { ...counts, faults: 0, rejected: 2 }));
    expect(out).toEqual(['mirra record flow: 2 interactions, 1 callback, 2 rejected callbacks (bad signature)\n']);
  });
  it('writes at most one line per interval, skips unchanged lines, and shows the latest at the end', () => {
    const out: string[] = [];
    const p = new ProgressLine({ write: (t) => out.push(t) }, { intervalMs: 60_000 });
    for (let served = 1; served <= 5; served++) p.show(describeReplayCounts('signup', { served, misses: 0, callbacks: 0 }));
    p.done();
    p.show('after the end');
    expect(out).toEqual(['mirra replay signup: 1 served, 0 misses, 0 callbacks\n', 'mirra replay signup: 5 served, 0 misses, 0 callbacks\n']);
    const same: string[] = [];
    const q = new ProgressLine({ write: (t) => same.push(t) }, { intervalMs: 0 });
    q.show('x');
    q.show('x');
    q.done();
    expect(same).toEqual(['x\n']);
  });
  it('words a run that answers from the cassette by what it served, recorded and missed', () => {
    const c = { ...counts, faults: 0, served: 9, misses: 1 };
    expect(describeCounts('flow', c, { serve: true, forward: true })).toBe('mirra record flow: 2 new, 9 served, 1 callback');
    expect(describeCounts('flow', c, { serve: true, forward: false })).toBe('mirra record flow: 9 served, 1 miss');
    expect(describeReplayCounts('flow', { served: 12, misses: 1, callbacks: 3 })).toBe('mirra replay flow: 12 served, 1 miss, 3 callbacks');
  });
});
