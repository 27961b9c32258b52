/**
 * Faulty webhook receivers: down, slow, 5xx, connection reset, never answering. Deliveries follow
 * Twilio's retry rules, never block the API or other sessions, and every attempt is logged.
 */
import { startReceiver } from '../helpers/receiver';
import { startTestMirror, type TestMirror } from '../helpers/mirror';
import { rudeServer } from '../helpers/rude-server';
import { waitUntil } from '../helpers/wait';

const FROM = '+15555550123';

describe('callback faults', () => {
  let tm: TestMirror;
  beforeAll(async () => {
    tm = await startTestMirror({ seed: { name: 'f', numbers: [{ phoneNumber: FROM }], clock: { frozen: true }, callbacks: { retryDelayMs: 100 } } });
  });
  afterAll(() => tm.close());

  async function logOf(sid: string) {
    return (await tm.control('GET', `/_mirra/callbacks?sid=${sid}`)).body.callbacks as { state: string; attempts: { error?: string; statusCode?: number }[] }[];
  }

  it('retries a reset connection per rc and logs each attempt', async () => {
    const rude = await rudeServer('reset');
    const m = await tm.client().messages.create({ to: '+15551230000', from: FROM, body: 'x', statusCallback: `${rude.url}/cb#rc=2` });
    await tm.advance(500);
    await tm.advance(100);
    await tm.advance(100);
    const [first] = await logOf(m.sid);
    expect(first.state).toBe('failed');
    expect(first.attempts).toHaveLength(3);
    expect(rude.accepted()).toBe(3);
    await rude.close();
  });

  it('times out a receiver that never answers (rt), without blocking the API or another session', async () => {
    const hang = await rudeServer('hang');
    const other = await tm.control('POST', '/_mirra/sessions', { seed: { name: 'o', numbers: [{ phoneNumber: FROM }] } });
    const m = await tm.client().messages.create({ to: '+15551230001', from: FROM, body: 'x', statusCallback: `${hang.url}/cb#rt=300&rc=0` });
    await tm.control('POST', '/_mirra/clock', { advanceMs: 500, settle: false });
    await hang.whenAccepted(1); // the delivery is in flight, and the receiver will not answer
    const otherClient = tm.client(other.body.accountSid, other.body.authToken);
    await otherClient.messages.create({ to: '+15551230001', from: FROM, body: 'meanwhile' });
    await tm.client().messages(m.sid).fetch();
    // Both answers came while the delivery still hung: its first attempt has not ended.
    expect(await logOf(m.sid)).toEqual([expect.objectContaining({ state: 'pending', attempts: [] })]);
    await waitUntil(async () => (await logOf(m.sid))[0].state !== 'pending');
    const [first] = await logOf(m.sid);
    expect(first.state).toBe('failed');
    expect(first.attempts[0].error).toMatch(/read timeout/);
    await hang.close();
  });

  it('retries 5xx when the policy says so, and stops at the first success', async () => {
    const rx = await startReceiver();
    rx.respond(503, 'busy');
    const m = await tm.client().messages.create({ to: '+15551230002', from: FROM, body: 'x', statusCallback: `${rx.url}/cb#rc=5&rp=5xx` });
    await tm.advance(500);
    await tm.advance(100);
    rx.respond(200);
    await tm.advance(100);
    const [first] = await logOf(m.sid);
    expect(first.attempts.map((a) => a.statusCode)).toEqual([503, 503, 200]);
    expect(first.state).toBe('delivered');
    // The same delivery keeps its idempotency token across retries.
    const tokens = new Set(rx.received.filter((r) => r.params.MessageStatus === 'sending').map((r) => r.headers['i-twilio-idempotency-token']));
    expect(tokens.size).toBe(1);
    await rx.close();
  });

  it('keeps one message’s callbacks in order behind a retry', async () => {
    const rx = await startReceiver();
    rx.respond(500);
    const m = await tm.client().messages.create({ to: '+15551230003', from: FROM, body: 'x', statusCallback: `${rx.url}/cb#rc=3&rp=5xx` });
    await tm.advance(500); // sending → 500
    await tm.advance(50);
    rx.respond(200);
    await tm.advance(2000); // retry succeeds, then sent and delivered follow in order
    await tm.advance(2000);
    const statuses = rx.received.map((r) => `${r.params.MessageStatus}`);
    expect(statuses.filter((s, i) => s !== statuses[i - 1])).toEqual(['sending', 'sent', 'delivered']);
    expect((await logOf(m.sid)).every((d) => d.state === 'delivered')).toBe(true);
    await rx.close();
  });
});
