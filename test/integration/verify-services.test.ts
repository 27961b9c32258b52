/**
 * Verify v2 Services through the real twilio SDK (base-URL mode) and raw requests: create, list
 * with v2 paging, fetch, update, delete; the official schema on every response; Twilio's
 * validation errors; and account isolation (another account's VA is a 404).
 */
import { expectAllFields, expectListEnvelopeV1, expectMatchesSchema } from '../helpers/schema';
import { startTestMirror, type TestMirror } from '../helpers/mirror';

describe('Verify Services API', () => {
  let tm: TestMirror;
  beforeAll(async () => {
    tm = await startTestMirror({ proxy: false, seed: { name: 't', clock: { frozen: true } } });
  });
  afterAll(() => tm.close());

  it('creates a service with Twilio’s defaults, 201 and every schema field', async () => {
    const res = await tm.api('POST', '/v2/Services', { FriendlyName: 'Sign-up' });
    expect(res.status).toBe(201);
    expectMatchesSchema('verifyService', res.body);
    expectAllFields('verifyService', res.body);
    const sid = res.body.sid;
    expect(sid).toMatch(/^VA[0-9a-f]{32}$/);
    expect(res.body).toMatchObject({
      account_sid: tm.accountSid, friendly_name: 'Sign-up', code_length: 6, lookup_enabled: false, psd2_enabled: false,
      skip_sms_to_landlines: false, dtmf_input_required: false, tts_name: null, do_not_share_warning_enabled: false,
      custom_code_enabled: false, default_template_sid: null, verify_event_subscription_enabled: false,
      push: { include_date: true, apn_credential_sid: null, fcm_credential_sid: null },
      totp: { issuer: 'Sign-up', time_step: 30, code_length: 6, skew: 1 },
      whatsapp: { msg_service_sid: null, from: null },
      url: `${tm.url}/v2/Services/${sid}`,
    });
    expect(res.body.date_created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(res.body.links).toEqual({
      verification_checks: `${tm.url}/v2/Services/${sid}/VerificationCheck`,
      verifications: `${tm.url}/v2/Services/${sid}/Verifications`,
      rate_limits: `${tm.url}/v2/Services/${sid}/RateLimits`,
      messaging_configurations: `${tm.url}/v2/Services/${sid}/MessagingConfigurations`,
      entities: `${tm.url}/v2/Services/${sid}/Entities`,
      webhooks: `${tm.url}/v2/Services/${sid}/Webhooks`,
      access_tokens: `${tm.url}/v2/Services/${sid}/AccessTokens`,
    });
  });

  it('takes the schema’s settings on create with the SDK (code_length, lookup, do-not-share, totp, push)', async () => {
    const s = await tm.client().verify.v2.services.create({
      friendlyName: 'Login', codeLength: 8, lookupEnabled: true, doNotShareWarningEnabled: true, customCodeEnabled: true,
      psd2Enabled: true, skipSmsToLandlines: true, dtmfInputRequired: true, ttsName: 'polly',
      'totp.issuer': 'Acme', 'totp.timeStep': 60, 'totp.codeLength': 8, 'totp.skew': 2, 'push.includeDate': false,
      'whatsapp.from': 'whatsapp:+15555550123', verifyEventSubscriptionEnabled: true,
    });
    expect(s).toMatchObject({
      friendlyName: 'Login', codeLength: 8, lookupEnabled: true, doNotShareWarningEnabled: true, customCodeEnabled: true,
      psd2Enabled: true, skipSmsToLandlines: true, dtmfInputRequired: true, ttsName: 'polly', verifyEventSubscriptionEnabled: true,
      totp: { issuer: 'Acme', time_step: 60, code_length: 8, skew: 2 },
      push: { include_date: false, apn_credential_sid: null, fcm_credential_sid: null },
      whatsapp: { msg_service_sid: null, from: 'whatsapp:+15555550123' },
    });
  });

  it('rejects a missing FriendlyName (20001) and out-of-range settings (60200) as RestExceptions', async () => {
    const client = tm.client();
    const missing = await tm.api('POST', '/v2/Services', { CodeLength: '6' });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({
      code: 20001, message: 'Missing required parameter FriendlyName in the post body',
      more_info: 'https://www.twilio.com/docs/errors/20001', status: 400,
    });
    for (const codeLength of [3, 11]) {
      await expect(client.verify.v2.services.create({ friendlyName: 'x', codeLength })).rejects.toMatchObject({
        status: 400, code: 60200, message: `Invalid parameter \`CodeLength\`: ${codeLength}`,
      });
    }
    await expect(client.verify.v2.services.create({ friendlyName: 'x'.repeat(33) })).rejects.toMatchObject({ status: 400, code: 60200 });
    await expect(client.verify.v2.services.create({ friendlyName: 'x', 'totp.skew': 3 })).rejects.toMatchObject({ status: 400, code: 60200 });
  });

  it('lists services with v2 paging (absolute URLs on the client’s origin) through every page', async () => {
    const client = tm.client();
    const created = [];
    for (let i = 0; i < 3; i++) created.push((await client.verify.v2.services.create({ friendlyName: `page ${i}` })).sid);
    const all = await client.verify.v2.services.list({ pageSize: 2 });
    expect(all.map((s) => s.sid)).toEqual(expect.arrayContaining(created));
    const page = await tm.api('GET', '/v2/Services?PageSize=2');
    const items = expectListEnvelopeV1(page.body, 'services');
    expect(items).toHaveLength(2);
    for (const s of items) expectMatchesSchema('verifyService', s);
    expect(page.body.meta).toMatchObject({ page: 0, page_size: 2, key: 'services', previous_page_url: null });
    expect(page.body.meta.first_page_url).toBe(`${tm.url}/v2/Services?PageSize=2&Page=0`);
    expect(page.body.meta.next_page_url).toMatch(new RegExp(`^${tm.url}/v2/Services\\?PageSize=2&Page=1&PageToken=PA`));
  });

  it('fetches, updates (200) and deletes (204) a service; afterwards it is Verify’s 404', async () => {
    const client = tm.client();
    const s = await client.verify.v2.services.create({ friendlyName: 'Old name' });
    expect((await client.verify.v2.services(s.sid).fetch()).friendlyName).toBe('Old name');
    await tm.advance(5000);
    const updated = await tm.api('POST', `/v2/Services/${s.sid}`, { FriendlyName: 'New name', CodeLength: '4', DoNotShareWarningEnabled: 'true' });
    expect(updated.status).toBe(200);
    expectMatchesSchema('verifyService', updated.body);
    expect(updated.body).toMatchObject({ friendly_name: 'New name', code_length: 4, do_not_share_warning_enabled: true, totp: { issuer: 'New name' } });
    expect(Date.parse(updated.body.date_updated) - Date.parse(updated.body.date_created)).toBeGreaterThanOrEqual(4000);

    expect(await client.verify.v2.services(s.sid).remove()).toBe(true);
    const gone = await tm.api('GET', `/v2/Services/${s.sid}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({
      code: 20404, message: `The requested resource /Services/${s.sid} was not found`,
      more_info: 'https://www.twilio.com/docs/errors/20404', status: 404,
    });
    await expect(client.verify.v2.services(s.sid).verifications.create({ to: '+15551239999', channel: 'sms' })).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(client.verify.v2.services(s.sid).remove()).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('keeps accounts apart: another session’s VA is a 404 and its list is its own', async () => {
    const mine = await tm.client().verify.v2.services.create({ friendlyName: 'Mine' });
    const other = await tm.control('POST', '/_mirra/sessions', { id: 'verify-other', seed: { name: 'o' } });
    expect(other.status).toBe(201);
    const theirs = tm.client(other.body.accountSid, other.body.authToken);
    await expect(theirs.verify.v2.services(mine.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(theirs.verify.v2.services(mine.sid).verifications.create({ to: '+15551239999', channel: 'sms' })).rejects.toMatchObject({ status: 404 });
    expect(await theirs.verify.v2.services.list()).toEqual([]);
  });
});
