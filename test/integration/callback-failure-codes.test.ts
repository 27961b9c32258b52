/**
 * Failed webhook attempts carry Twilio's debugger code (11200 family) in the delivery log and the
 * inspector's row: an unresolvable host (11210), a refused port (11205), a 500 answer (11200) and a
 * receiver that hangs past the read timeout (11200). No network: `.invalid` never resolves, the
 * rest is loopback.
 */
import http from 'node:http';
import { listenLocal } from '../helpers/listen';
import { startReceiver } from '../helpers/receiver';
import { startTestMirror, type TestMirror } from '../helpers/mirror';

const FROM = '+15555550123';

describe('delivery failures carry Twilio codes', () => {
  let tm: TestMirror;
  beforeAll(async () => {
    tm = await startTestMirror({ seed: { name: 't', numbers: [{ phoneNumber: FROM }], clock: { frozen: true } } });
  });
  afterAll(() => tm.close());

  /** Sends a message whose status callback goes to `url` and returns its first delivery once attempted. */
  async function firstDelivery(url: string, to: string) {
    const m = await tm.client().messages.create({ to, from: FROM, body: 'x', statusCallback: url });
    await tm.advance(500); // → sending: one callback, attempted before advance returns
    const log = (await tm.control('GET', `/_mirra/callbacks?sid=${m.sid}`)).body.callbacks;
    return log[0];
  }

  it('an unresolvable host is 11210 "HTTP bad host name"', async () => {
    const d = await firstDelivery('http://mirra-callback-test.invalid/cb#rc=0', '+15551239001');
    expect(d.state).toBe('failed');
    expect(d.attempts[0]).toMatchObject({ errorCode: 11210, errorMessage: 'HTTP bad host name' });
    expect(['ENOTFOUND', 'EAI_AGAIN']).toContain(d.attempts[0].error);
  });

  it('a refused port is 11205 "HTTP connection failure", on every retry', async () => {
    const down = await startReceiver();
    await down.close(); // nothing listens there now
    const d = await firstDelivery(`http://127.0.0.1:${down.port}/cb#rc=0`, '+15551239002');
    expect(d.attempts).toEqual([expect.objectContaining({ error: 'ECONNREFUSED', errorCode: 11205, errorMessage: 'HTTP connection failure' })]);
  });

  it('a 500 answer is 11200 "HTTP retrieval failure"; a 200 carries no code', async () => {
    const rx = await startReceiver();
    try {
      rx.respond(500, 'boom');
      const failed = await firstDelivery(`${rx.url}/cb`, '+15551239003');
      expect(failed.attempts[0]).toMatchObject({ statusCode: 500, errorCode: 11200, errorMessage: 'HTTP retrieval failure' });
      rx.respond(200);
      const ok = await firstDelivery(`${rx.url}/cb`, '+15551239004');
      expect(ok.state).toBe('delivered');
      expect(ok.attempts[0].errorCode).toBeUndefined();
    } finally {
      await rx.close();
    }
  });

  it('a receiver that never answers within the read timeout is 11200', async () => {
    const sockets = new Set<http.ServerResponse>();
    const server = http.createServer((_req, res) => sockets.add(res)); // accepts, never answers
    const hang = await listenLocal(server);
    try {
      const d = await firstDelivery(`${hang.url}/cb#rt=200&rc=0`, '+15551239005');
      expect(d.attempts[0]).toMatchObject({ errorCode: 11200, errorMessage: 'HTTP retrieval failure' });
      expect(d.attempts[0].error).toMatch(/read timeout/);
      // The inspector's row leads with the code, as Twilio's debugger does.
      const events = (await tm.control('GET', '/_mirra/events?limit=500')).body.events as { title: string }[];
      expect(events.some((e) => /failed: 11200 read timeout after 200 ms$/.test(e.title))).toBe(true);
    } finally {
      await hang.close();
    }
  });
});
