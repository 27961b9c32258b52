/**
 * `useMirror({ cassette, strict })`: the worker's session replays a recording to the unchanged
 * SDK, and a request the recording does not hold is refused with mirra's error, which names the fix.
 */
import twilio from 'twilio';
import { useMirror } from '../../src/jest';
import { cassetteOf, recordedMessage } from '../helpers/replay-cassette';

const FROM = '+15555550123';
const TO = '+15551230000';
const MSGS = '/2010-04-01/Accounts/{AccountSid}/Messages.json';

const mirra = useMirror({
  seed: { name: 'jest-replay', clock: { frozen: true }, numbers: [{ phoneNumber: FROM }] },
  cassette: cassetteOf('jest-replay', [{ method: 'POST', path: MSGS, status: 201, form: { To: TO, From: FROM, Body: 'recorded hello' }, body: recordedMessage('{SM#1}', {}, 100) }]),
  strict: true,
});

describe('useMirror with a cassette', () => {
  it('serves the recording, materialised for this session', async () => {
    const sent = await twilio().messages.create({ to: TO, from: FROM, body: 'recorded hello' });
    expect(sent.accountSid).toBe(mirra.accountSid);
    expect(sent.sid).toMatch(/^SM[0-9a-f]{32}$/);
  });

  it('refuses what the recording does not hold, naming the fix (after a reset, the entry is new again)', async () => {
    await expect(twilio().messages.create({ to: TO, from: FROM, body: 'something else' })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('Fix: re-record the cassette (`mirra record`)'),
    });
    expect((await twilio().messages.create({ to: TO, from: FROM, body: 'recorded hello' })).status).toBeDefined();
  });
});
