/**
 * A call survives a restart of the mirror (LMDB): its status, interpreter, transcript and booked
 * steps are stored, so a call waiting in a `<Gather>` takes the caller's keys after the restart and
 * goes on with its TwiML.
 */
import { rmSync } from 'node:fs';
import { startTestMirror, tempDir } from '../helpers/mirror';
import { startTwimlApp } from '../helpers/twiml-app';

const FROM = '+15555550123';

describe('a call across a restart (LMDB)', () => {
  it('keeps its place in the TwiML: the Gather waiting before the restart takes the keys after it', async () => {
    const app = await startTwimlApp();
    app.route('/menu', '<Response><Gather numDigits="1" action="/picked" timeout="30"><Say>Pick one.</Say></Gather></Response>');
    app.route('/picked', (p) => `<Response><Say>Picked ${p.Digits}.</Say></Response>`);
    const seed = { name: 't', numbers: [{ phoneNumber: FROM }], clock: { frozen: true } };
    const dataDir = tempDir();
    const first = await startTestMirror({ ephemeral: false, seed, dataDir });
    const call = await first.client().calls.create({ to: '+15551234501', from: FROM, url: `${app.url}/menu` });
    await first.advance(7_000); // answered at 5 s, the prompt over at 6 s: listening
    await first.close();

    const again = await startTestMirror({ ephemeral: false, seed, dataDir });
    try {
      expect((await again.client().calls(call.sid).fetch()).status).toBe('in-progress');
      await again.control('POST', '/_mirra/simulate', { event: 'call.digits', callSid: call.sid, digits: '3' });
      await again.advance(10_000);
      const [view] = (await again.control('GET', `/_mirra/calls?sid=${call.sid}`)).body.calls;
      expect(view).toMatchObject({ status: 'completed', said: ['Pick one.', 'Picked 3.'] });
    } finally {
      await again.close();
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
