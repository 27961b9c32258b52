/**
 * `useMirror()` inside this repository's own Jest run (the fixture project covers a user's setup):
 * an app's own credentials are adopted, a test's `nock.cleanAll()` cannot send the next test to
 * the real Twilio, a test's fake timers do not stop the mirror, and using the handle too early
 * says what to do.
 */
import nock from 'nock';
import twilio from 'twilio';
import { useMirror } from '../../src/jest';

const APP_SID = 'AC' + 'b'.repeat(32);
process.env.TWILIO_ACCOUNT_SID = APP_SID;
process.env.TWILIO_AUTH_TOKEN = 'app-token-from-dotenv';

const mirra = useMirror({ seed: 'twilio:verified-numbers' });
let early: unknown;
try {
  void mirra.id;
} catch (err) {
  early = err;
}

describe('useMirror in a file', () => {
  it('adopts the credentials the app already has, in its own worker session', async () => {
    expect(mirra.accountSid).toBe(APP_SID);
    expect(mirra.id).toBe(`jest-${process.env.JEST_WORKER_ID}`);
    const sent = await twilio().messages.create({ to: '+15551234567', from: '+15555550123', body: 'hi' });
    expect(sent.accountSid).toBe(APP_SID);
    nock.cleanAll(); // what a test that mocks something else might do
  });

  it('starts the next test from the seed, still intercepting after nock.cleanAll()', async () => {
    expect(await twilio().messages.list()).toEqual([]);
  });

  it('keeps serving while the test fakes timers', async () => {
    // nock itself needs real setImmediate/nextTick (plain nock hangs under fully faked timers too).
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const sent = await twilio().messages.create({ to: '+15551234568', from: '+15555550123', body: 'fake time' });
      expect(sent.status).toBe('queued');
      expect((await mirra.advance(5000)).pendingTasks).toBe(0);
      expect(await mirra.messages('+15551234568')).toHaveLength(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('explains a handle used before the file’s tests run', () => {
    expect(String(early)).toContain("useMirror()'s session is not ready");
    expect(String(early)).toContain('Fix: use the handle inside tests or beforeEach/afterEach hooks');
  });
});
