import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RESOURCE_FIELDS } from '../../src/twilio/generated/schemas';
import {
  expectAllFields,
  expectListEnvelope2010,
  expectListEnvelopeV1,
  expectMatchesSchema,
} from '../helpers/schema';

const repoRoot = path.resolve(__dirname, '../..');
const generated = path.join(repoRoot, 'src/twilio/generated');
const GENERATED_FILES = ['schemas.ts', 'response-schemas.ts', 'fields.ts'];
// The specs live next to the repo in the dev workspace only; a user's clone does not have them.
const specDir = path.resolve(repoRoot, '../shared/twilio-oai');
const hasSpecs = fs.existsSync(specDir);

describe('generated schemas', () => {
  (hasSpecs ? it : it.skip)(
    hasSpecs
      ? 'are up to date with scripts/gen-schemas.js and ../shared/twilio-oai'
      : 'are up to date (SKIPPED: ../shared/twilio-oai is absent, so there is nothing to regenerate from)',
    () => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-schemas-'));
      execFileSync(process.execPath, [path.join(repoRoot, 'scripts/gen-schemas.js'), specDir, out]);
      // Byte comparison: a stale file or a non-deterministic generator both fail here.
      expect(fs.readdirSync(out).sort()).toEqual([...GENERATED_FILES].sort());
      for (const name of GENERATED_FILES) expect([name, fs.readFileSync(path.join(out, name)).equals(fs.readFileSync(path.join(generated, name)))]).toEqual([name, true]);
    },
  );

  it('lists the 20 Message fields of twilio-api.md §2.1', () => {
    expect(RESOURCE_FIELDS.message).toEqual([
      'account_sid', 'api_version', 'body', 'date_created', 'date_sent', 'date_updated', 'direction',
      'error_code', 'error_message', 'from', 'messaging_service_sid', 'num_media', 'num_segments',
      'price', 'price_unit', 'sid', 'status', 'subresource_uris', 'to', 'uri',
    ]);
  });
});

describe('expectMatchesSchema / expectAllFields', () => {
  // A plain (no Messaging Service) create response in the 2023 key order of
  // twilio-real-traffic.md: strings for the counts, null price, null messaging_service_sid.
  const message = {
    body: 'Hello from mirra',
    num_segments: '1',
    direction: 'outbound-api',
    from: '+15017122661',
    date_updated: 'Thu, 24 Aug 2023 05:01:45 +0000',
    price: null,
    error_message: null,
    uri: '/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages/SM4c2f1a9f3e0b4d7c8a6e5f4d3c2b1a09.json',
    account_sid: 'AC0123456789abcdef0123456789abcdef',
    num_media: '0',
    to: '+15558675310',
    date_created: 'Thu, 24 Aug 2023 05:01:45 +0000',
    status: 'queued',
    sid: 'SM4c2f1a9f3e0b4d7c8a6e5f4d3c2b1a09',
    date_sent: null,
    messaging_service_sid: null,
    error_code: null,
    price_unit: 'USD',
    api_version: '2010-04-01',
    subresource_uris: {
      media: '/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages/SM4c2f1a9f3e0b4d7c8a6e5f4d3c2b1a09/Media.json',
    },
  };

  it('accepts a realistic Message and finds every field', () => {
    expect(() => expectMatchesSchema('message', message)).not.toThrow();
    expect(() => expectAllFields('message', message)).not.toThrow();
  });

  it('rejects a misspelled field, naming it', () => {
    const { num_media, ...rest } = message;
    expect(() => expectMatchesSchema('message', { ...rest, num_medias: num_media })).toThrow(/num_medias/);
    expect(() => expectAllFields('message', rest)).toThrow(/num_media/);
  });

  it('rejects num_segments as a number (Twilio sends a string)', () => {
    expect(() => expectMatchesSchema('message', { ...message, num_segments: 1 })).toThrow(/\/num_segments must be string/);
  });

  it('does not require fields real Twilio omits (VerificationCheck sna_attempts_error_codes)', () => {
    // The 11 keys of a real 2024 check (twilio-real-traffic.md §2).
    const check = {
      status: 'approved', payee: null, date_updated: '2024-05-01T10:00:05Z', account_sid: message.account_sid,
      to: '+15558675310', amount: null, valid: true, sid: 'VE0123456789abcdef0123456789abcdef',
      date_created: '2024-05-01T10:00:00Z', service_sid: 'VA0123456789abcdef0123456789abcdef', channel: 'sms',
    };
    expect(() => expectMatchesSchema('verificationCheck', check)).not.toThrow();
    expect(() => expectAllFields('verificationCheck', check)).not.toThrow();
  });
});

describe('list envelope helpers', () => {
  const base = '/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json';
  const page2010 = {
    first_page_uri: `${base}?PageSize=50&Page=0`, end: 0, previous_page_uri: null, messages: [{}],
    uri: `${base}?PageSize=50&Page=0`, page_size: 50, start: 0, next_page_uri: null, page: 0,
  };

  it('accepts a 2010 page and rejects legacy keys or a wrong end', () => {
    expect(expectListEnvelope2010(page2010, 'messages')).toHaveLength(1);
    expect(() => expectListEnvelope2010({ ...page2010, total: 1 }, 'messages')).toThrow(/total/);
    expect(() => expectListEnvelope2010({ ...page2010, end: 1 }, 'messages')).toThrow(/start\/end/);
  });

  it('accepts a v1/v2 page and rejects a relative next_page_url', () => {
    const url = 'https://verify.twilio.com/v2/Services?PageSize=50&Page=0';
    const meta = { page: 0, page_size: 50, first_page_url: url, previous_page_url: null, url, next_page_url: null, key: 'services' };
    expect(expectListEnvelopeV1({ meta, services: [] }, 'services')).toEqual([]);
    expect(() => expectListEnvelopeV1({ meta: { ...meta, next_page_url: '/v2/Services?Page=1' }, services: [] }, 'services'))
      .toThrow(/next_page_url/);
  });
});
