/**
 * The inspector's timeline shows the statuses a verification enters, as it does for messages.
 */
import { startTestMirror, type TestMirror } from '../helpers/mirror';

describe('inspector: Verify status transitions', () => {
  let tm: TestMirror;
  beforeAll(async () => {
    tm = await startTestMirror({ seed: { name: 'v', verify: { services: [{ sid: 'VA' + '0'.repeat(31) + '1', friendlyName: 'v' }], code: '424242' } } });
  });
  afterAll(() => tm.close());

  it('lists pending then approved for a verification, with its SID', async () => {
    const service = `/v2/Services/VA${'0'.repeat(31)}1`;
    const started = await tm.api('POST', `${service}/Verifications`, { To: '+15551230100', Channel: 'sms' });
    expect(started.status).toBe(201);
    const wrong = await tm.api('POST', `${service}/VerificationCheck`, { To: '+15551230100', Code: '000000' });
    expect(wrong.body.status).toBe('pending');
    const right = await tm.api('POST', `${service}/VerificationCheck`, { To: '+15551230100', Code: '424242' });
    expect(right.body.status).toBe('approved');
    const body = (await tm.control('GET', `/_mirra/events?q=${started.body.sid}`)).body;
    const statuses = body.events.filter((e: { type: string }) => e.type === 'status').map((e: { detail: { status: string } }) => e.detail.status);
    expect(statuses).toEqual(['pending', 'approved']);
  });
});
