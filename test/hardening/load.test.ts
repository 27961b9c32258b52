/**
 * Load and isolation: many concurrent sessions each sending and listing messages. No errors, no
 * session ever sees another's data, memory stays bounded. Short by default; MIRRA_LOAD_LONG=1 runs
 * the full 200 sessions for 60 s.
 */
import { startTestMirror } from '../helpers/mirror';

const LONG = process.env.MIRRA_LOAD_LONG === '1';
const SESSIONS = LONG ? 200 : 40;
const SECONDS = LONG ? 60 : 3;

describe('load and isolation', () => {
  it(`${SESSIONS} sessions send and list for ${SECONDS}s without errors or cross-session data`, async () => {
    const tm = await startTestMirror({ seed: 'twilio:verified-numbers' });
    const sessions = [];
    for (let i = 0; i < SESSIONS; i++) {
      const s = (await tm.control('POST', '/_mirra/sessions', { seed: 'twilio:verified-numbers' })).body;
      sessions.push({ ...s, auth: 'Basic ' + Buffer.from(`${s.accountSid}:${s.authToken}`).toString('base64'), sent: new Set<string>() });
    }
    const errors: string[] = [];
    const rssBefore = process.memoryUsage().rss;
    const until = Date.now() + SECONDS * 1000;
    let requests = 0;
    await Promise.all(
      sessions.map(async (s, n) => {
        while (Date.now() < until) {
          const res = await fetch(`${tm.url}/2010-04-01/Accounts/${s.accountSid}/Messages.json`, {
            method: 'POST',
            headers: { authorization: s.auth, 'content-type': 'application/x-www-form-urlencoded' },
            body: `To=%2B1555200${String(n).padStart(4, '0')}&From=%2B15555550123&Body=s${n}`,
          });
          requests++;
          if (res.status !== 201) errors.push(`create ${res.status}`);
          else s.sent.add(((await res.json()) as { sid: string }).sid);
          const list = await fetch(`${tm.url}/2010-04-01/Accounts/${s.accountSid}/Messages.json?PageSize=1000`, { headers: { authorization: s.auth } });
          requests++;
          const body = (await list.json()) as { messages: { sid: string; account_sid: string; body: string }[] };
          for (const m of body.messages) {
            if (m.account_sid !== s.accountSid || m.body !== `s${n}` || !s.sent.has(m.sid)) errors.push(`session ${n} saw ${m.sid}`);
          }
        }
      }),
    );
    const grownMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
    expect(errors).toEqual([]);
    expect(requests).toBeGreaterThan(SESSIONS * 2);
    expect(grownMb).toBeLessThan(LONG ? 400 : 200);
    await tm.close();
  }, (SECONDS + 30) * 1000);
});
