/**
 * The Messages API through the real twilio SDK (base-URL mode): create, fetch, list with paging and
 * filters, update, delete, media — and every field of Twilio's schema on each response.
 */
import { expectAllFields, expectListEnvelope2010, expectMatchesSchema } from '../helpers/schema';
import { rmSync } from 'node:fs';
import { startTestMirror, tempDir, type TestMirror } from '../helpers/mirror';

const FROM = '+15555550123';

describe('Messages API', () => {
  let tm: TestMirror;
  beforeAll(async () => {
    tm = await startTestMirror({ seed: { name: 't', numbers: [{ phoneNumber: FROM }, { phoneNumber: '+15555550124' }], clock: { frozen: true } } });
  });
  afterAll(() => tm.close());

  it('creates a message with Twilio’s exact shape and 201', async () => {
    const res = await tm.api('POST', `/2010-04-01/Accounts/${tm.accountSid}/Messages.json`, { To: '+15551230001', From: FROM, Body: 'Hello there' });
    expect(res.status).toBe(201);
    expectMatchesSchema('message', res.body);
    expectAllFields('message', res.body);
    expect(res.body).toMatchObject({
      status: 'queued', direction: 'outbound-api', num_segments: '1', num_media: '0', price: null, price_unit: 'USD',
      error_code: null, date_sent: null, messaging_service_sid: null, api_version: '2010-04-01', account_sid: tm.accountSid,
    });
    expect(res.body.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(res.body.uri).toBe(`/2010-04-01/Accounts/${tm.accountSid}/Messages/${res.body.sid}.json`);
    expect(res.body.subresource_uris).toEqual({ media: `/2010-04-01/Accounts/${tm.accountSid}/Messages/${res.body.sid}/Media.json` });
    expect(res.body.date_created).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    // Real responses: one line, ", " and ": " separators, Twilio's headers.
    expect(res.text.startsWith('{"body": "Hello there", "num_segments": "1"')).toBe(true);
    expect(res.headers.get('twilio-request-id')).toMatch(/^RQ[0-9a-f]{32}$/);
    expect(res.headers.get('content-type')).toBe('application/json');
  });

  it('answers in UTF-8 with the charset a client asks for, its length counted in bytes', async () => {
    const body = 'héllo ✓ 😀';
    const res = await fetch(`${tm.url}/2010-04-01/Accounts/${tm.accountSid}/Messages.json`, {
      method: 'POST',
      headers: {
        authorization: 'Basic ' + Buffer.from(`${tm.accountSid}:${tm.authToken}`).toString('base64'),
        'content-type': 'application/x-www-form-urlencoded',
        'accept-charset': 'utf-8',
      },
      body: new URLSearchParams({ To: '+15551230002', From: FROM, Body: body }).toString(),
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    expect(JSON.parse(bytes.toString('utf8')).body).toBe(body);
  });

  it('fetches, lists newest first, filters and pages with the SDK', async () => {
    const client = tm.client();
    const sent: { sid: string }[] = [];
    for (let i = 0; i < 5; i++) sent.push(await client.messages.create({ to: `+1555123100${i}`, from: FROM, body: `n${i}` }));
    const fetched = await client.messages(sent[2].sid).fetch();
    expect(fetched.body).toBe('n2');
    expect(fetched.to).toBe('+15551231002');

    const filtered = await client.messages.list({ to: '+15551231003' });
    expect(filtered.map((m) => m.sid)).toEqual([sent[3].sid]);

    // Paging: pageSize 2 walks every message, newest first, through next_page_uri.
    const all = await client.messages.list({ from: FROM, pageSize: 2 });
    const ours = all.filter((m) => sent.some((s) => s.sid === m.sid)).map((m) => m.sid);
    expect(ours).toEqual([...sent].reverse().map((m) => m.sid));

    const page = await tm.api('GET', `/2010-04-01/Accounts/${tm.accountSid}/Messages.json?From=${encodeURIComponent(FROM)}&PageSize=2`);
    const items = expectListEnvelope2010(page.body, 'messages');
    expect(items).toHaveLength(2);
    for (const m of items) expectMatchesSchema('message', m);
    expect(page.body.next_page_uri).toContain('PageToken=PA');
    expect(page.body.next_page_uri).toContain('From=%2B15555550123');
  });

  it('filters by DateSent, DateSent< and DateSent> (day or date-time)', async () => {
    const client = tm.client();
    const m = await client.messages.create({ to: '+15551239999', from: FROM, body: 'dated' });
    expect((await client.messages.list({ to: '+15551239999', dateSent: new Date() })).length).toBe(0); // not sent yet
    await tm.advance(5_000);
    const sent = await client.messages(m.sid).fetch();
    expect(sent.status).toBe('delivered');
    const day = sent.dateSent;
    expect((await client.messages.list({ to: '+15551239999', dateSent: day })).map((x) => x.sid)).toEqual([m.sid]);
    expect((await client.messages.list({ to: '+15551239999', dateSentAfter: new Date(day.getTime() + 86_400_000) })).length).toBe(0);
    expect((await client.messages.list({ to: '+15551239999', dateSentBefore: new Date(day.getTime() + 1000) })).length).toBe(1);
    const day2 = new Date(day).toISOString().slice(0, 10);
    const byDay = await tm.api('GET', `/2010-04-01/Accounts/${tm.accountSid}/Messages.json?To=%2B15551239999&DateSent=${day2}`);
    expect(byDay.body.messages).toHaveLength(1);
  });

  it('redacts a body, refuses non-canceled statuses, and deletes only finished messages', async () => {
    const client = tm.client();
    const m = await client.messages.create({ to: '+15551238888', from: FROM, body: 'secret' });
    await expect(client.messages(m.sid).remove()).rejects.toMatchObject({ status: 400, code: 20009 });
    await expect(client.messages(m.sid).update({ status: 'canceled' })).rejects.toMatchObject({ code: 30409 });
    await tm.advance(5_000);
    const redacted = await client.messages(m.sid).update({ body: '' });
    expect(redacted.body).toBe('');
    expectMatchesSchema('message', (await tm.api('GET', `/2010-04-01/Accounts/${tm.accountSid}/Messages/${m.sid}.json`)).body);
    await client.messages(m.sid).remove();
    await expect(client.messages(m.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(client.messages(m.sid).remove()).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('creates media from MediaUrl (MM sid), lists, fetches and deletes it', async () => {
    const client = tm.client();
    const m = await client.messages.create({ to: '+15551239901', from: FROM, mediaUrl: ['https://example.com/a.png', 'https://example.com/b.jpg'] });
    expect(m.sid).toMatch(/^MM/);
    expect(m.numMedia).toBe('2');
    const media = await client.messages(m.sid).media.list();
    expect(media.map((x) => x.contentType).sort()).toEqual(['image/jpeg', 'image/png']);
    const list = await tm.api('GET', `/2010-04-01/Accounts/${tm.accountSid}/Messages/${m.sid}/Media.json`);
    for (const item of expectListEnvelope2010(list.body, 'media_list')) {
      expectMatchesSchema('media', item);
      expectAllFields('media', item);
    }
    const one = await client.messages(m.sid).media(media[0].sid).fetch();
    expect(one.parentSid).toBe(m.sid);
    await client.messages(m.sid).media(media[0].sid).remove();
    expect(await client.messages(m.sid).media.list()).toHaveLength(1);
    await expect(client.messages(m.sid).media(media[0].sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('moves queued → sending → sent → delivered on the stepped clock', async () => {
    const client = tm.client();
    const m = await client.messages.create({ to: '+15551236666', from: FROM, body: 'tick' });
    const statuses = [];
    for (const step of [500, 500, 1000]) {
      await tm.advance(step);
      statuses.push((await client.messages(m.sid).fetch()).status);
    }
    expect(statuses).toEqual(['sending', 'sent', 'delivered']);
    const done = await client.messages(m.sid).fetch();
    expect(done.price).toBe('-0.00790');
    const inbox = await tm.control('GET', '/_mirra/messages?to=%2B15551236666');
    expect(inbox.body.messages).toEqual([expect.objectContaining({ sid: m.sid, body: 'tick', from: FROM })]);
  });

  it('derives status between the scheduler’s visits: one visit without a status callback, one per step with one', async () => {
    const client = tm.client();
    const pending = async () => (await tm.control('GET', '/_mirra/clock')).body.pendingTasks as number;
    await tm.advance(10_000); // earlier tests' timelines run out
    const before = await pending();
    const quiet = await client.messages.create({ to: '+15551234401', from: FROM, body: 'quiet' });
    expect(await pending()).toBe(before + 1); // its last step only
    const loud = await client.messages.create({ to: '+15551234402', from: FROM, body: 'loud', statusCallback: 'http://127.0.0.1:9/cb' });
    expect(await pending()).toBe(before + 2);
    await tm.advance(500);
    expect((await client.messages(quiet.sid).fetch()).status).toBe('sending');
    expect((await client.messages(loud.sid).fetch()).status).toBe('sending');
    // A change mid-way stores the steps so far and keeps the rest of the plan on time.
    await client.messages(quiet.sid).update({ body: '' });
    await tm.advance(500);
    const sent = await client.messages.list({ to: '+15551234401' });
    expect(sent.map((m) => [m.sid, m.status, m.body])).toEqual([[quiet.sid, 'sent', '']]);
    expect((await tm.control('GET', '/_mirra/messages?to=%2B15551234401')).body.messages).toEqual([]);
    await tm.advance(1000);
    expect((await client.messages(quiet.sid).fetch()).status).toBe('delivered');
    expect((await tm.control('GET', '/_mirra/messages?to=%2B15551234401')).body.messages).toEqual([expect.objectContaining({ sid: quiet.sid })]);
    expect((await client.messages(loud.sid).fetch()).status).toBe('delivered');
  });
});

describe('a message timeline across a restart (LMDB)', () => {
  it('keeps deriving status, and its single visit still fills the inbox after the mirror restarts', async () => {
    const seed = { name: 't', numbers: [{ phoneNumber: FROM }], clock: { frozen: true } };
    const dataDir = tempDir();
    const first = await startTestMirror({ ephemeral: false, seed, dataDir });
    const m = await first.client().messages.create({ to: '+15551234501', from: FROM, body: 'across' });
    await first.advance(600);
    expect((await first.client().messages(m.sid).fetch()).status).toBe('sending');
    await first.close();

    const again = await startTestMirror({ ephemeral: false, seed, dataDir });
    try {
      expect(again.accountSid).toBe(first.accountSid);
      expect((await again.client().messages(m.sid).fetch()).status).toBe('sending');
      expect((await again.control('GET', '/_mirra/messages?to=%2B15551234501')).body.messages).toEqual([]);
      await again.advance(1500);
      const done = await again.client().messages(m.sid).fetch();
      expect([done.status, done.price]).toEqual(['delivered', '-0.00790']);
      expect((await again.control('GET', '/_mirra/messages?to=%2B15551234501')).body.messages).toEqual([expect.objectContaining({ sid: m.sid, body: 'across' })]);
    } finally {
      await again.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('rebuilds the visits of messages still mid-timeline from the stored messages, past those already done', async () => {
    const seed = { name: 't', numbers: [{ phoneNumber: FROM }], clock: { frozen: true } };
    const dataDir = tempDir();
    const first = await startTestMirror({ ephemeral: false, seed, dataDir });
    const done = [];
    for (let i = 0; i < 3; i++) done.push(await first.client().messages.create({ to: `+1555123460${i}`, from: FROM, body: `done ${i}` }));
    await first.advance(3000); // every visit ran: the store's mark now lies past these three
    const waiting = [];
    for (let i = 0; i < 2; i++) waiting.push(await first.client().messages.create({ to: `+1555123461${i}`, from: FROM, body: `waiting ${i}` }));
    await first.advance(600);
    await first.close();

    const again = await startTestMirror({ ephemeral: false, seed, dataDir });
    try {
      expect((await again.control('GET', '/_mirra/clock')).body.pendingTasks).toBe(2);
      await again.advance(1500);
      for (const m of [...done, ...waiting]) expect((await again.client().messages(m.sid).fetch()).status).toBe('delivered');
      const inbox = (await again.control('GET', '/_mirra/messages')).body.messages as { sid: string }[];
      expect(inbox.map((item) => item.sid).sort()).toEqual([...done, ...waiting].map((m) => m.sid).sort());
      expect((await again.control('GET', '/_mirra/clock')).body.pendingTasks).toBe(0);
    } finally {
      await again.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
