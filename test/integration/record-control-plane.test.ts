/**
 * `mirra record` is the mirror with the record stage in its pipeline (issue #12): it answers the
 * same control plane as `mirra up` — health (with the recording's counts), the environment, the
 * sessions, the inspector — and its proxy follows the same token rules beyond loopback.
 */
import { join } from 'node:path';
import { startRecorder, type RunningRecorder } from '../../src/mirror/start-recorder';
import { runSdk } from '../helpers/child';
import { startTestMirror, tempDir, type TestMirror } from '../helpers/mirror';

const FROM = '+15555550123';

describe('a recording mirror’s control plane', () => {
  let up: TestMirror;
  let rec: RunningRecorder;
  let token: string;
  let url: string;
  beforeAll(async () => {
    up = await startTestMirror({ seed: { name: 'up', numbers: [{ phoneNumber: FROM }], clock: { frozen: true } } });
    const dir = tempDir('mirra-rec-plane-');
    rec = await startRecorder({ cassette: 'plane', upstream: up.url, host: '0.0.0.0', port: 0, dataDir: join(dir, 'data'), cassettesDir: join(dir, 'cassettes') });
    token = rec.env.MIRRA_TOKEN!;
    url = rec.url.replace('0.0.0.0', '127.0.0.1');
  });
  afterAll(async () => {
    await rec.stop();
    await up.close();
  });

  const get = (path: string, withToken = true) => fetch(`${url}${path}`, { headers: withToken ? { 'x-mirra-token': token } : {} });

  it('answers health with the recording’s mode and counts, like mirra up’s', async () => {
    const health = await (await get('/_mirra/health', false)).json();
    expect(health).toMatchObject({ status: 'ok', mode: 'record', record: 'once', cassette: 'plane', interactions: 0 });
  });

  it('serves the environment (the proxy with its token, the CA; the app keeps its own credentials), sessions and the inspector behind the same token', async () => {
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect((await get('/_mirra/env', false)).status).toBe(401);
    const env = (await (await get('/_mirra/env')).json()) as Record<string, string | undefined>;
    expect(env).toMatchObject({ HTTP_PROXY: expect.stringContaining(`mirra:${token}@`), MIRRA_TOKEN: token, NODE_EXTRA_CA_CERTS: expect.any(String) });
    expect(env.TWILIO_ACCOUNT_SID).toBeUndefined();
    expect(env.TWILIO_AUTH_TOKEN).toBeUndefined();
    expect((await get('/_mirra/sessions')).status).toBe(200);
    const page = await get(`/_mirra/?token=${token}`, false);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('records through its proxy only with the token, and shows the request in health and the inspector feed', async () => {
    const env = { ...rec.env, HTTP_PROXY: rec.env.HTTP_PROXY.replace('0.0.0.0', '127.0.0.1'), HTTPS_PROXY: undefined, TWILIO_ACCOUNT_SID: up.accountSid, TWILIO_AUTH_TOKEN: up.authToken };
    const send = `return (await client.messages.create({ to: '+15551230000', from: '${FROM}', body: 'x' })).status;`;
    const refused = await runSdk({ ...env, HTTP_PROXY: url }, send);
    expect(refused.error.status).toBe(407);
    expect(await runSdk(env, send)).toBe('queued');
    expect(await (await get('/_mirra/health')).json()).toMatchObject({ interactions: 1 });
    const events = (await (await get('/_mirra/events')).json()) as { events: { title: string }[] };
    expect(events.events.map((e: { title: string }) => e.title)).toContainEqual(expect.stringMatching(/^POST \/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Messages\.json → 201 SM[0-9a-f]{32} queued/));
  });
});
