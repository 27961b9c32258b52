/**
 * Verifications and VerificationCheck through the real twilio SDK (base-URL mode) on the
 * `twilio:verify-flow` seed with a frozen clock: wire shapes against the official schema (with
 * real traffic's corrections), resends, fetch/update by SID or To, every channel's delivery, and
 * Twilio's Verify errors as RestExceptions.
 */
import type twilio from 'twilio';
import { expectAllFields, expectMatchesSchema } from '../helpers/schema';
import { startTestMirror, type TestMirror } from '../helpers/mirror';

const SERVICE = 'VA00000000000000000000000000000001';
const VERIFICATIONS = `/v2/Services/${SERVICE}/Verifications`;
const CHECK = `/v2/Services/${SERVICE}/VerificationCheck`;

describe('Verifications and checks', () => {
  let tm: TestMirror;
  let service: ReturnType<twilio.Twilio['verify']['v2']['services']>;
  let n = 0;
  /** A recipient no other test uses. */
  const fresh = () => `+1555987${String(n++).padStart(4, '0')}`;
  /** The code in the newest item of an inbox (`messages` or `emails`). */
  const latestCode = async (to: string, box = 'messages'): Promise<string> => {
    const res = await tm.control('GET', `/_mirra/${box}?to=${encodeURIComponent(to)}`);
    const items = res.body[box] as { body: string }[];
    return /code is: ([\d, ]+)/.exec(items[items.length - 1].body)![1].replace(/\D/g, '');
  };

  beforeAll(async () => {
    tm = await startTestMirror({ proxy: false, seed: 'twilio:verify-flow' });
    await tm.control('POST', '/_mirra/clock', { freeze: true });
    service = tm.client().verify.v2.services(SERVICE);
  });
  afterAll(() => tm.close());

  it('starts a verification with 201 and real traffic’s shape (no sna, lower-case attempts, {"carrier": null})', async () => {
    const to = fresh();
    const res = await tm.api('POST', VERIFICATIONS, { To: to, Channel: 'sms' });
    expect(res.status).toBe(201);
    expectMatchesSchema('verification', res.body);
    expectAllFields('verification', res.body);
    expect(Object.keys(res.body)).toEqual([
      'sid', 'service_sid', 'account_sid', 'to', 'channel', 'status', 'valid', 'date_created', 'date_updated',
      'lookup', 'amount', 'payee', 'send_code_attempts', 'url',
    ]);
    expect(res.body).toMatchObject({ service_sid: SERVICE, account_sid: tm.accountSid, to, channel: 'sms', status: 'pending', valid: false, lookup: { carrier: null }, amount: null, payee: null });
    expect(res.body.url).toBe(`${tm.url}${VERIFICATIONS}/${res.body.sid}`);
    expect(res.body.send_code_attempts).toEqual([{ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), channel: 'sms', attempt_sid: expect.stringMatching(/^VL[0-9a-f]{32}$/) }]);
    expect(res.body.date_created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('answers checks with 200 and exactly the 11 keys real responses have', async () => {
    const to = fresh();
    await service.verifications.create({ to, channel: 'sms' });
    const code = await latestCode(to);
    const wrong = await tm.api('POST', CHECK, { To: to, Code: code === '000000' ? '999999' : '000000' });
    expect(wrong.status).toBe(200);
    expectMatchesSchema('verificationCheck', wrong.body);
    expectAllFields('verificationCheck', wrong.body);
    expect(Object.keys(wrong.body)).toEqual(['status', 'payee', 'date_updated', 'account_sid', 'to', 'amount', 'valid', 'sid', 'date_created', 'service_sid', 'channel']);
    expect(wrong.body).toMatchObject({ status: 'pending', valid: false });
    const right = await tm.api('POST', CHECK, { To: to, Code: code });
    expect(right.status).toBe(200);
    expect(right.body).toMatchObject({ status: 'approved', valid: true, to, channel: 'sms', service_sid: SERVICE });
  });

  it('resends to a pending To on the same VE with the same code, switching channel, attempts growing', async () => {
    const to = fresh();
    const first = await service.verifications.create({ to, channel: 'sms' });
    const code = await latestCode(to);
    await tm.advance(30_000);
    const second = await service.verifications.create({ to, channel: 'call' });
    expect(second.sid).toBe(first.sid);
    expect(second.channel).toBe('call');
    expect(second.sendCodeAttempts.map((a: any) => a.channel)).toEqual(['sms', 'call']);
    expect(Date.parse(second.sendCodeAttempts[1].time) - Date.parse(second.sendCodeAttempts[0].time)).toBe(30_000);
    await tm.advance(10_000); // the call is answered and reads the code out
    const [call] = (await tm.control('GET', `/_mirra/calls?to=${encodeURIComponent(to)}`)).body.calls;
    expect(/code is: ([\d, ]+)/.exec(call.said[0])![1].replace(/\D/g, '')).toBe(code);
    expect((await service.verificationChecks.create({ verificationSid: first.sid, code })).status).toBe('approved');
  });

  it('fetches by SID or To; approval deletes it (404); cancel keeps it fetchable but not checkable', async () => {
    const to = fresh();
    const v = await service.verifications.create({ to, channel: 'sms' });
    expect((await service.verifications(v.sid).fetch()).to).toBe(to);
    const byTo = await tm.api('GET', `${VERIFICATIONS}/${encodeURIComponent(to)}`);
    expect(byTo.status).toBe(200);
    expect(byTo.body.sid).toBe(v.sid);
    const canceled = await service.verifications(v.sid).update({ status: 'canceled' });
    expect(canceled.status).toBe('canceled');
    expect((await service.verifications(v.sid).fetch()).status).toBe('canceled');
    await expect(service.verificationChecks.create({ to, code: await latestCode(to) })).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(service.verifications(v.sid).update({ status: 'canceled' })).rejects.toMatchObject({ status: 404, code: 20404 });

    // A new start after a cancel is a new verification; approving it by update deletes it.
    const again = await service.verifications.create({ to, channel: 'sms' });
    expect(again.sid).not.toBe(v.sid);
    const approved = await service.verifications(to).update({ status: 'approved' });
    expect(approved).toMatchObject({ sid: again.sid, status: 'approved', valid: true });
    await expect(service.verifications(again.sid).fetch()).rejects.toMatchObject({
      status: 404, code: 20404, message: `The requested resource /Services/${SERVICE}/Verifications/${again.sid} was not found`,
    });
    await expect(service.verifications(v.sid).update({ status: 'pending' as never })).rejects.toMatchObject({ status: 400, code: 60200 });
  });

  it('after max_attempts_reached the verification stays fetchable; a new start for that To is 60202 until it expires', async () => {
    const to = fresh();
    const v = await service.verifications.create({ to, channel: 'sms' });
    for (let i = 0; i < 5; i++) await service.verificationChecks.create({ to, code: 'nope' });
    expect((await service.verifications(v.sid).fetch()).status).toBe('max_attempts_reached');
    await expect(service.verificationChecks.create({ verificationSid: v.sid, code: 'nope' })).rejects.toMatchObject({ status: 429, code: 60202 });
    await expect(service.verifications.create({ to, channel: 'sms' })).rejects.toMatchObject({ status: 429, code: 60202 });
    await tm.advance(10 * 60_000);
    await expect(service.verifications(v.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    const next = await service.verifications.create({ to, channel: 'sms' });
    expect(next.sid).not.toBe(v.sid);
  });

  it('keeps rejecting sends with 60203 until the window ends, then starts afresh', async () => {
    const to = fresh();
    const v = await service.verifications.create({ to, channel: 'sms' });
    for (let i = 0; i < 4; i++) await service.verifications.create({ to, channel: 'sms' });
    await expect(service.verifications.create({ to, channel: 'sms' })).rejects.toMatchObject({ status: 429, code: 60203, message: 'Max send attempts reached' });
    await tm.advance(5 * 60_000);
    await expect(service.verifications.create({ to, channel: 'whatsapp' })).rejects.toMatchObject({ status: 429, code: 60203 });
    // Still checkable meanwhile: the code stays valid for the whole window.
    await tm.advance(5 * 60_000);
    await expect(service.verifications(v.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    const next = await service.verifications.create({ to, channel: 'sms' });
    expect(next.sid).not.toBe(v.sid);
    expect(next.sendCodeAttempts).toHaveLength(1);
  });

  it('answers 60200 for a bad or missing To, Channel, Code or Locale', async () => {
    const bad = await tm.api('POST', VERIFICATIONS, { To: 'abc', Channel: 'sms' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ code: 60200, message: 'Invalid parameter `To`: abc', more_info: 'https://www.twilio.com/docs/errors/60200', status: 400 });
    expect((await tm.api('POST', VERIFICATIONS, { Channel: 'sms' })).body).toMatchObject({ code: 60200, message: 'Invalid parameter: To', status: 400 });
    await expect(service.verifications.create({ to: fresh(), channel: 'fax' })).rejects.toMatchObject({ status: 400, code: 60200, message: 'Invalid parameter `Channel`: fax' });
    await expect(service.verifications.create({ to: '+15551230000', channel: 'email' })).rejects.toMatchObject({ status: 400, code: 60200 });
    await expect(service.verifications.create({ to: 'a@example.com', channel: 'sms' })).rejects.toMatchObject({ status: 400, code: 60200 });
    await expect(service.verifications.create({ to: fresh(), channel: 'sms', locale: 'not a locale' })).rejects.toMatchObject({ status: 400, code: 60200 });
    expect((await tm.api('POST', CHECK, { To: fresh() })).body).toMatchObject({ code: 60200, message: 'Invalid parameter: Code' });
    // Nothing under way for that To: Verify's 404 wording, without /v2.
    const none = await tm.api('POST', CHECK, { To: fresh(), Code: '123456' });
    expect(none.status).toBe(404);
    expect(none.body.message).toBe(`The requested resource /Services/${SERVICE}/VerificationCheck was not found`);
  });

  it('delivers an email code to GET /_mirra/emails and approves it', async () => {
    const to = 'new.user@example.com';
    const v = await service.verifications.create({ to, channel: 'email' });
    expect(v).toMatchObject({ to, channel: 'email', status: 'pending' });
    expectMatchesSchema('verification', (await tm.api('GET', `${VERIFICATIONS}/${v.sid}`)).body);
    const emails = (await tm.control('GET', `/_mirra/emails?to=${encodeURIComponent(to)}`)).body.emails;
    expect(emails).toEqual([expect.objectContaining({ sid: v.sid, to, channel: 'email', body: expect.stringMatching(/^Your mirra verify verification code is: \d{6}$/) })]);
    expect((await tm.control('GET', `/_mirra/messages?to=${encodeURIComponent(to)}`)).body.messages).toEqual([]);
    const check = await service.verificationChecks.create({ to, code: await latestCode(to, 'emails') });
    expect(check).toMatchObject({ status: 'approved', valid: true, channel: 'email' });
  });

  it('delivers a call code as a real call that reads it out digit by digit (its transcript in GET /_mirra/calls)', async () => {
    const to = fresh();
    const v = await service.verifications.create({ to, channel: 'call' });
    const read = async () => (await tm.control('GET', `/_mirra/calls?to=${encodeURIComponent(to)}`)).body.calls;
    // The call rings first: nothing has been said yet.
    const [ringing] = await read();
    expect(ringing).toMatchObject({ verification_sid: v.sid, to, direction: 'outbound-api', status: 'queued', said: [] });
    await tm.advance(20_000); // answered after 5 s, the code read out twice (about 9 s), hung up
    const [call] = await read();
    expect(call).toMatchObject({ sid: ringing.sid, verification_sid: v.sid, status: 'completed' });
    expect(call.said).toHaveLength(2);
    for (const text of call.said) expect(text).toMatch(/^Your mirra verify verification code is: (\d, ){5}\d\.$/);
    // Verify's own call is not the account's.
    expect((await tm.api('GET', `/2010-04-01/Accounts/${tm.accountSid}/Calls/${call.sid}.json`)).status).toBe(404);
    const code = /code is: ([\d, ]+)/.exec(call.said[0])![1].replace(/\D/g, '');
    expect((await service.verificationChecks.create({ to, code })).status).toBe('approved');
  });

  it('delivers a WhatsApp code to the whatsapp: inbox of the number', async () => {
    const to = fresh();
    await service.verifications.create({ to, channel: 'whatsapp' });
    const inbox = (await tm.control('GET', `/_mirra/messages?to=${encodeURIComponent('whatsapp:' + to)}`)).body.messages;
    expect(inbox).toEqual([expect.objectContaining({ to: `whatsapp:${to}`, channel: 'whatsapp' })]);
    expect((await service.verificationChecks.create({ to, code: await latestCode(`whatsapp:${to}`) })).status).toBe('approved');
  });

  it('never lists the Verify SMS among the account’s Messages', async () => {
    await service.verifications.create({ to: fresh(), channel: 'sms' });
    const list = await tm.api('GET', `/2010-04-01/Accounts/${tm.accountSid}/Messages.json`);
    expect(list.status).toBe(200);
    expect(list.body.messages).toEqual([]);
  });

  it('takes the code length, do-not-share warning, lookup and PSD2 settings from the service', async () => {
    const client = tm.client();
    const s = await client.verify.v2.services.create({ friendlyName: 'Bank', codeLength: 8, doNotShareWarningEnabled: true, lookupEnabled: true, psd2Enabled: true });
    const to = fresh();
    const v = await client.verify.v2.services(s.sid).verifications.create({ to, channel: 'sms', amount: '€39.99', payee: 'Acme Inc.' });
    expect(v).toMatchObject({ amount: '€39.99', payee: 'Acme Inc.' });
    expect(v.lookup).toEqual({ carrier: { error_code: null, name: 'mirra mobile', mobile_country_code: '310', mobile_network_code: '260', type: 'mobile' } });
    const inbox = (await tm.control('GET', `/_mirra/messages?to=${encodeURIComponent(to)}`)).body.messages;
    expect(inbox[0].body).toMatch(/^Your Bank verification code is: \d{8}\. Don't share this code with anyone; our employees will never ask for the code\.$/);
    const code = await latestCode(to);
    expect(code).toHaveLength(8);
    // PSD2: a check for another amount fails like a wrong code.
    const other = await client.verify.v2.services(s.sid).verificationChecks.create({ to, code, amount: '€1.00', payee: 'Acme Inc.' });
    expect(other.status).toBe('pending');
    const ok = await client.verify.v2.services(s.sid).verificationChecks.create({ to, code, amount: '€39.99', payee: 'Acme Inc.' });
    expect(ok).toMatchObject({ status: 'approved', amount: '€39.99', payee: 'Acme Inc.' });
  });

  it('uses a CustomCode only where the service allows it (else 60204), and CustomFriendlyName in the text', async () => {
    await expect(service.verifications.create({ to: fresh(), channel: 'sms', customCode: '867530' })).rejects.toMatchObject({ status: 403, code: 60204 });
    const client = tm.client();
    const s = await client.verify.v2.services.create({ friendlyName: 'Custom', customCodeEnabled: true });
    const to = fresh();
    await client.verify.v2.services(s.sid).verifications.create({ to, channel: 'sms', customCode: '867530', customFriendlyName: 'Jenny’s app' });
    const inbox = (await tm.control('GET', `/_mirra/messages?to=${encodeURIComponent(to)}`)).body.messages;
    expect(inbox[0].body).toBe('Your Jenny’s app verification code is: 867530');
    expect((await client.verify.v2.services(s.sid).verificationChecks.create({ to, code: '867530' })).status).toBe('approved');
  });
});
