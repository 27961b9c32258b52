/**
 * Zero code: the real twilio SDK, configured only by the environment a mirror prints (HTTP_PROXY,
 * NODE_EXTRA_CA_CERTS, credentials), reaches the mirror through CONNECT + TLS as if it were
 * api.twilio.com, and every response carries every field of Twilio's schema.
 */
import { runSdk } from '../helpers/child';
import { expectAllFields, expectMatchesSchema } from '../helpers/schema';
import { startTestMirror, type TestMirror } from '../helpers/mirror';

describe('SDK through proxy mode, env only', () => {
  let tm: TestMirror;
  beforeAll(async () => {
    tm = await startTestMirror({ seed: 'twilio:verified-numbers' });
    await tm.control('POST', '/_mirra/clock', { freeze: true });
  });
  afterAll(() => tm.close());

  it('creates, fetches, lists with paging and filters, updates and deletes messages', async () => {
    const result = await runSdk(tm.env, `
      const made = [];
      for (let i = 0; i < 3; i++) made.push(await client.messages.create({ to: '+1555123400' + i, from: '+15555550123', body: 'proxy ' + i }));
      const fetched = await client.messages(made[0].sid).fetch();
      const page = await client.messages.page({ pageSize: 2 });
      const next = await page.nextPage();
      const filtered = await client.messages.list({ to: '+15551234001' });
      await fetch(process.env.MIRRA_URL + '/_mirra/clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: 5000 }) });
      const redacted = await client.messages(made[1].sid).update({ body: '' });
      await client.messages(made[2].sid).remove();
      let gone;
      try { await client.messages(made[2].sid).fetch(); } catch (e) { gone = { status: e.status, code: e.code }; }
      return { made: made.map((m) => m.toJSON()), fetched: fetched.toJSON(), first: page.instances.map((m) => m.sid), second: next.instances.map((m) => m.sid), filtered: filtered.map((m) => m.sid), redacted: redacted.body, gone };
    `);
    const sids = result.made.map((m: { sid: string }) => m.sid);
    expect(result.fetched.sid).toBe(sids[0]);
    expect(result.first).toEqual([sids[2], sids[1]]);
    expect(result.second).toEqual([sids[0]]);
    expect(result.filtered).toEqual([sids[1]]);
    expect(result.redacted).toBe('');
    expect(result.gone).toEqual({ status: 404, code: 20404 });
    // The raw JSON of each message has every schema field (checked here, via base-URL, on the same state).
    const raw = await tm.api('GET', `/2010-04-01/Accounts/${tm.accountSid}/Messages/${sids[0]}.json`);
    expectMatchesSchema('message', raw.body);
    expectAllFields('message', raw.body);
  });

  it('surfaces Twilio errors as the SDK’s RestException', async () => {
    const result = await runSdk(tm.env, `await client.messages.create({ to: '+15551234000', from: '+15550000000', body: 'x' });`);
    expect(result.error).toMatchObject({ status: 400, code: 21606 });
  });
});
