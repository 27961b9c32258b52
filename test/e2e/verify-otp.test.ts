/**
 * Issue #3, end to end through the zero-code route: an unchanged script using the real `twilio`
 * SDK, configured only by the mirror's environment (HTTP_PROXY + NODE_EXTRA_CA_CERTS, so requests
 * go CONNECT → TLS → Host verify.twilio.com), runs an OTP sign-up against the `twilio:verify-flow`
 * seed: start a verification, read the code from the phone's inbox, check it. The unhappy paths
 * (max checks, max sends, expiry on a stepped clock) surface as the SDK's RestException with
 * Twilio's code and status. No step waits on real time: the session clock is frozen and stepped.
 */
import { runSdk } from '../helpers/child';
import { startTestMirror, type TestMirror } from '../helpers/mirror';

const SERVICE = 'VA00000000000000000000000000000001'; // the verify-flow seed's service

/** Script prelude for the child: reads the phone's inbox and steps the clock over the control plane. */
const HELPERS = `
  const control = async (method, path, body) => {
    const res = await fetch(process.env.MIRRA_URL + path, {
      method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined,
    });
    return res.json();
  };
  const latestCode = async (to) => {
    const { messages } = await control('GET', '/_mirra/messages?to=' + encodeURIComponent(to));
    const last = messages[messages.length - 1];
    return last ? /code is: (\\w+)/.exec(last.body)[1] : null;
  };
  const failure = (e) => ({ rest: e instanceof twilio.RestException, status: e.status, code: e.code, message: e.message, moreInfo: e.moreInfo });
  const service = client.verify.v2.services('${SERVICE}');
`;

describe('Verify OTP flow through the zero-code proxy route', () => {
  let tm: TestMirror;
  beforeAll(async () => {
    tm = await startTestMirror({ seed: 'twilio:verify-flow' });
    const frozen = await tm.control('POST', '/_mirra/clock', { freeze: true });
    expect(frozen.body.frozen).toBe(true);
  });
  afterAll(() => tm.close());

  it('starts an SMS verification, reads the code from the inbox and approves it', async () => {
    const out = await runSdk({ ...tm.env }, `${HELPERS}
      const to = '+15551230100';
      const started = await service.verifications.create({ to, channel: 'sms' });
      const code = await latestCode(to);
      const wrong = await service.verificationChecks.create({ to, code: code === '000000' ? '111111' : '000000' });
      const right = await service.verificationChecks.create({ to, code });
      let after;
      try { await service.verificationChecks.create({ to, code }); } catch (e) { after = failure(e); }
      let fetchAfter;
      try { await service.verifications(started.sid).fetch(); } catch (e) { fetchAfter = failure(e); }
      const messages = await client.messages.list();
      return { started: started.toJSON(), code, wrong: wrong.toJSON(), right: right.toJSON(), after, fetchAfter, accountMessages: messages.length };
    `);
    expect(out.error).toBeUndefined();
    expect(out.started).toMatchObject({ serviceSid: SERVICE, accountSid: tm.accountSid, to: '+15551230100', channel: 'sms', status: 'pending', valid: false });
    expect(out.started.sid).toMatch(/^VE[0-9a-f]{32}$/);
    // Through the proxy the client used https://verify.twilio.com, so that is the URL it sees.
    expect(out.started.url).toBe(`https://verify.twilio.com/v2/Services/${SERVICE}/Verifications/${out.started.sid}`);
    expect(out.started.sendCodeAttempts).toEqual([{ time: expect.stringMatching(/\.\d{3}Z$/), channel: 'sms', attempt_sid: expect.stringMatching(/^VL[0-9a-f]{32}$/) }]);
    expect(out.started.lookup).toEqual({ carrier: null });
    expect(out.code).toMatch(/^\d{6}$/);
    expect(out.wrong).toMatchObject({ sid: out.started.sid, status: 'pending', valid: false });
    expect(out.right).toMatchObject({ sid: out.started.sid, status: 'approved', valid: true, to: '+15551230100', channel: 'sms' });
    expect(out.after).toEqual({
      rest: true, status: 404, code: 20404,
      message: `The requested resource /Services/${SERVICE}/VerificationCheck was not found`,
      moreInfo: 'https://www.twilio.com/docs/errors/20404',
    });
    expect(out.fetchAfter).toMatchObject({ rest: true, status: 404, code: 20404 });
    // Verify's SMS is not an account Message: only the phone's inbox has it.
    expect(out.accountMessages).toBe(0);
  });

  it('answers wrong code ×5 with max_attempts_reached, the 6th check with 60202 and the 6th send with 60203', async () => {
    const out = await runSdk({ ...tm.env }, `${HELPERS}
      const checks = [];
      await service.verifications.create({ to: '+15551230101', channel: 'sms' });
      for (let i = 0; i < 5; i++) checks.push((await service.verificationChecks.create({ to: '+15551230101', code: 'x0000' })).status);
      let sixthCheck;
      try { await service.verificationChecks.create({ to: '+15551230101', code: await latestCode('+15551230101') }); } catch (e) { sixthCheck = failure(e); }
      const sends = [];
      for (let i = 0; i < 5; i++) sends.push((await service.verifications.create({ to: '+15551230102', channel: 'sms' })).sendCodeAttempts.length);
      let sixthSend;
      try { await service.verifications.create({ to: '+15551230102', channel: 'sms' }); } catch (e) { sixthSend = failure(e); }
      return { checks, sixthCheck, sends, sixthSend };
    `);
    expect(out.error).toBeUndefined();
    expect(out.checks).toEqual(['pending', 'pending', 'pending', 'pending', 'max_attempts_reached']);
    expect(out.sixthCheck).toEqual({ rest: true, status: 429, code: 60202, message: 'Max check attempts reached', moreInfo: 'https://www.twilio.com/docs/errors/60202' });
    expect(out.sends).toEqual([1, 2, 3, 4, 5]);
    expect(out.sixthSend).toEqual({ rest: true, status: 429, code: 60203, message: 'Max send attempts reached', moreInfo: 'https://www.twilio.com/docs/errors/60203' });
  });

  it('expires a verification after 10 minutes of stepped clock: the check is then 20404', async () => {
    const out = await runSdk({ ...tm.env }, `${HELPERS}
      const to = '+15551230103';
      await service.verifications.create({ to, channel: 'sms' });
      const code = await latestCode(to);
      await control('POST', '/_mirra/clock', { advanceMs: 9 * 60_000 });
      const stillPending = (await service.verifications(to).fetch()).status;
      await control('POST', '/_mirra/clock', { advanceMs: 60_000 });
      let check;
      try { await service.verificationChecks.create({ to, code }); } catch (e) { check = failure(e); }
      return { stillPending, check };
    `);
    expect(out.error).toBeUndefined();
    expect(out.stillPending).toBe('pending');
    expect(out.check).toMatchObject({ rest: true, status: 404, code: 20404, message: `The requested resource /Services/${SERVICE}/VerificationCheck was not found` });
  });
});
