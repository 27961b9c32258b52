/**
 * Verify's control plane and seed settings: the simulate events (verify.check_failed,
 * verify.expired, verify.delivery_failed), a seed's fixed code and limits, disabled channels
 * (60223), landlines (60205), blocked recipients (60410/60605) and seed validation.
 */
import twilio from 'twilio';
import { pointAt, startTestMirror, type TestMirror } from '../helpers/mirror';

const SERVICE = 'VA00000000000000000000000000000001';

describe('Verify simulate events and seed settings', () => {
  let tm: TestMirror;
  let n = 0;
  const fresh = () => `+1555876${String(n++).padStart(4, '0')}`;
  const inbox = async (to: string, session = 'default') =>
    (await tm.control('GET', `/_mirra/messages?to=${encodeURIComponent(to)}&session=${session}`)).body.messages as { body: string; sid: string }[];
  const codeIn = (body: string) => /code is: (\w+)/.exec(body)![1];
  const simulate = (event: string, sid: string, session = 'default') => tm.control('POST', '/_mirra/simulate', { event, sid, session });

  /** A session on an inline seed, with an SDK client for it. */
  async function sessionWith(id: string, verify: Record<string, unknown>) {
    const created = await tm.control('POST', '/_mirra/sessions', { id, seed: { name: id, clock: { frozen: true }, verify } });
    expect(created.status).toBe(201);
    const client = pointAt(twilio(created.body.accountSid, created.body.authToken), tm.url);
    return { id, service: client.verify.v2.services(SERVICE) };
  }

  beforeAll(async () => {
    tm = await startTestMirror({ proxy: false, seed: 'twilio:verify-flow' });
    await tm.control('POST', '/_mirra/clock', { freeze: true });
  });
  afterAll(() => tm.close());

  it('verify.check_failed: the next check fails even with the right code, the one after passes', async () => {
    const service = tm.client().verify.v2.services(SERVICE);
    const to = fresh();
    const v = await service.verifications.create({ to, channel: 'sms' });
    const code = codeIn((await inbox(to))[0].body);
    const sim = await simulate('verify.check_failed', v.sid);
    expect(sim.status).toBe(200);
    expect(sim.body).toMatchObject({ sid: v.sid, status: 'pending', fail_next_check: true, check_attempts: 0 });
    expect((await service.verificationChecks.create({ to, code })).status).toBe('pending');
    expect((await service.verificationChecks.create({ to, code })).status).toBe('approved');
    // Nothing left to fail once approved: mirra's own 409.
    expect((await simulate('verify.check_failed', v.sid)).body).toMatchObject({ code: 'MIRRA_ERR_INVALID_TRANSITION', status: 409 });
  });

  it('verify.expired: the verification is gone at once (fetch and check are 20404)', async () => {
    const service = tm.client().verify.v2.services(SERVICE);
    const to = fresh();
    const v = await service.verifications.create({ to, channel: 'sms' });
    const tasksBefore = (await tm.control('GET', '/_mirra/clock')).body.pendingTasks;
    const sim = await simulate('verify.expired', v.sid);
    expect(sim.body).toMatchObject({ sid: v.sid, status: 'expired' });
    await expect(service.verifications(v.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(service.verificationChecks.create({ to, code: codeIn((await inbox(to))[0].body) })).rejects.toMatchObject({ status: 404, code: 20404 });
    // Its expiry task went with it.
    expect((await tm.control('GET', '/_mirra/clock')).body.pendingTasks).toBe(tasksBefore - 1);
  });

  it('verify.delivery_failed: the code never reaches the phone; a resend brings the same code', async () => {
    const service = tm.client().verify.v2.services(SERVICE);
    const to = fresh();
    const v = await service.verifications.create({ to, channel: 'sms' });
    const code = codeIn((await inbox(to))[0].body);
    const sim = await simulate('verify.delivery_failed', v.sid);
    expect(sim.body.send_code_attempts).toEqual([expect.objectContaining({ channel: 'sms', delivered: false })]);
    expect(await inbox(to)).toEqual([]);
    // Twilio's REST resource does not show delivery status: the verification is still pending.
    expect((await service.verifications(v.sid).fetch()).status).toBe('pending');
    await service.verifications.create({ to, channel: 'sms' });
    const after = await inbox(to);
    expect(after).toHaveLength(1);
    expect(codeIn(after[0].body)).toBe(code);
  });

  it('answers mirra’s 404 for an unknown verification', async () => {
    const res = await simulate('verify.expired', 'VE00000000000000000000000000000000');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('MIRRA_ERR_NOT_FOUND');
  });

  it('fixes the code and the limits from the seed (checks 3, sends 2, a 1-minute window)', async () => {
    const { id, service } = await sessionWith('verify-fixed', {
      services: [{ sid: SERVICE, friendlyName: 'fixed', codeLength: 4 }],
      code: '424242', maxCheckAttempts: 3, maxSendAttempts: 2, expiryMs: 60_000,
    });
    const to = fresh();
    await service.verifications.create({ to, channel: 'sms' });
    expect(codeIn((await inbox(to, id))[0].body)).toBe('424242');
    await service.verifications.create({ to, channel: 'sms' });
    await expect(service.verifications.create({ to, channel: 'sms' })).rejects.toMatchObject({ status: 429, code: 60203 });
    expect((await service.verificationChecks.create({ to, code: '1' })).status).toBe('pending');
    expect((await service.verificationChecks.create({ to, code: '2' })).status).toBe('pending');
    expect((await service.verificationChecks.create({ to, code: '3' })).status).toBe('max_attempts_reached');
    await expect(service.verificationChecks.create({ to, code: '424242' })).rejects.toMatchObject({ status: 429, code: 60202 });

    const other = fresh();
    await service.verifications.create({ to: other, channel: 'sms' });
    await tm.advance(60_000, id);
    await expect(service.verificationChecks.create({ to: other, code: '424242' })).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('enforces the service’s channels (60223), landlines (60205) and blocked recipients (60410, 60605)', async () => {
    const { service } = await sessionWith('verify-policy', {
      services: [{ sid: SERVICE, friendlyName: 'sms only', channels: ['sms', 'call'] }],
      landlines: ['+1555111*'], blocked: ['+1555222*', { to: '+44*', errorCode: 60605 }],
    });
    await expect(service.verifications.create({ to: 'a@example.com', channel: 'email' })).rejects.toMatchObject({ status: 400, code: 60223, message: 'Delivery channel disabled: email' });
    await expect(service.verifications.create({ to: '+15551110000', channel: 'sms' })).rejects.toMatchObject({ status: 403, code: 60205 });
    // A landline can still take a call.
    expect((await service.verifications.create({ to: '+15551110000', channel: 'call' })).status).toBe('pending');
    await expect(service.verifications.create({ to: '+15552220000', channel: 'call' })).rejects.toMatchObject({ status: 403, code: 60410, message: 'Verification delivery attempt blocked' });
    await expect(service.verifications.create({ to: '+447700900123', channel: 'sms' })).rejects.toMatchObject({ status: 403, code: 60605 });
  });

  it('refuses a seed with bad verify settings with mirra’s invalid-seed error', async () => {
    for (const verify of [{ maxCheckAttempts: 0 }, { code: '1' }, { services: [{ friendlyName: 'x', codeLength: 12 }] }, { services: [{ friendlyName: 'x', channels: ['sna'] }] }, { blocked: [{ to: '+1*', errorCode: 1 }] }]) {
      const res = await tm.control('POST', '/_mirra/sessions', { seed: { name: 'bad', verify } });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('MIRRA_ERR_INVALID_SEED');
    }
  });
});
