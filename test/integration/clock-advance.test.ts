/**
 * Issue #15, item 6: `POST /_mirra/clock {"advanceMs"}` runs every task that falls due in the
 * window — also those booked while advancing (callback retries, later steps) — each at its own
 * virtual time. With a frozen clock and a dead callback URL, one advance past the retries makes
 * every attempt and leaves nothing pending, instead of one attempt per advance.
 */
import { startReceiver } from '../helpers/receiver';
import { startTestMirror, type TestMirror } from '../helpers/mirror';

const FROM = '+15555550123';

interface Attempt {
  at: number;
  error?: string;
}

describe('advancing the clock runs what falls due while it advances', () => {
  let tm: TestMirror;
  let deadUrl: string;
  beforeAll(async () => {
    tm = await startTestMirror({ seed: { name: 't', numbers: [{ phoneNumber: FROM }], clock: { frozen: true }, callbacks: { retryDelayMs: 1000 } } });
    const down = await startReceiver();
    deadUrl = `http://127.0.0.1:${down.port}/cb`;
    await down.close(); // nothing listens there now
  });
  afterAll(async () => {
    await tm.close();
  });

  it('makes every retry of a dead callback URL that falls due inside one advance', async () => {
    const start = await tm.now();
    const m = await tm.client().messages.create({ to: '+15551230000', from: FROM, body: 'x', statusCallback: `${deadUrl}#rc=3&rp=ct` });
    await tm.advance(60_000);

    const log = (await tm.control('GET', `/_mirra/callbacks?sid=${m.sid}`)).body.callbacks as { state: string; params: { MessageStatus: string }; attempts: Attempt[] }[];
    expect(log.map((d) => [d.params.MessageStatus, d.state, d.attempts.length])).toEqual([
      ['sending', 'failed', 4],
      ['sent', 'failed', 4],
      ['delivered', 'failed', 4],
    ]);
    expect(log.flatMap((d) => d.attempts.map((a) => a.error))).toEqual(Array(12).fill('ECONNREFUSED'));
    // Each attempt at its own virtual time: the step's due time, then one retry delay apart; a
    // lane's next callback waits for the previous one to be done.
    const at = log.map((d) => d.attempts.map((a) => a.at - start));
    expect(at[0]).toEqual([500, 1500, 2500, 3500]);
    expect(at[1]).toEqual([3500, 4500, 5500, 6500]);
    expect(at[2]).toEqual([6500, 7500, 8500, 9500]);
    const clock = await tm.control('GET', '/_mirra/clock');
    expect(clock.body).toMatchObject({ nowMs: start + 60_000, pendingTasks: 0 });
  });

  it('stops at the end of the window: a retry due later stays pending', async () => {
    const start = await tm.now();
    const m = await tm.client().messages.create({ to: '+15551230001', from: FROM, body: 'y', statusCallback: `${deadUrl}#rc=3&rp=ct` });
    await tm.advance(1_600); // sending at +500 (attempts at +500 and +1500); the next retry is due at +2500
    const log = (await tm.control('GET', `/_mirra/callbacks?sid=${m.sid}`)).body.callbacks as { state: string; attempts: Attempt[] }[];
    // `sent` (due at +1000) is queued behind `sending` on the message's lane.
    expect(log.map((d) => [d.state, d.attempts.map((a) => a.at - start)])).toEqual([
      ['pending', [500, 1500]],
      ['pending', []],
    ]);
    expect((await tm.control('GET', '/_mirra/clock')).body.nowMs).toBe(start + 1_600);
    await tm.advance(60_000); // the rest, in one go
    const after = (await tm.control('GET', `/_mirra/callbacks?sid=${m.sid}`)).body.callbacks as { state: string }[];
    expect(after.map((d) => d.state)).toEqual(['failed', 'failed', 'failed']);
  });
});
