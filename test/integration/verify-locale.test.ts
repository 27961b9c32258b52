/**
 * Verify's `Locale` through the real twilio SDK: the code message arrives in the verification's
 * language, a region the list lacks falls back to its language, `pt`/`pt-BR` and `zh`/`zh-HK` stay
 * apart, a `To` without `Locale` gets its country's language, and an unsupported language is
 * Twilio's 404 (docs/verify/supported-languages).
 */
import type twilio from 'twilio';
import { startTestMirror, type TestMirror } from '../helpers/mirror';

const SERVICE = 'VA00000000000000000000000000000001';

describe('Verify Locale', () => {
  let tm: TestMirror;
  let service: ReturnType<twilio.Twilio['verify']['v2']['services']>;
  let n = 0;
  const fresh = () => `+1555876${String(n++).padStart(4, '0')}`;
  const inboxText = async (to: string, box = 'messages'): Promise<string> => {
    const items = (await tm.control('GET', `/_mirra/${box}?to=${encodeURIComponent(to)}`)).body[box] as { body: string }[];
    return items[items.length - 1].body;
  };
  /** What Verify's call said to `to` (the call rings, is answered, reads the code out: its transcript). */
  const spoken = async (to: string): Promise<string> => {
    await tm.advance(20_000);
    const calls = (await tm.control('GET', `/_mirra/calls?to=${encodeURIComponent(to)}`)).body.calls as { said: string[] }[];
    return calls[calls.length - 1].said[0];
  };

  beforeAll(async () => {
    tm = await startTestMirror({ proxy: false, seed: 'twilio:verify-flow' });
    service = tm.client().verify.v2.services(SERVICE);
  });
  afterAll(() => tm.close());

  it('sends a French verification in French, with the code still checkable', async () => {
    const to = fresh();
    await service.verifications.create({ to, channel: 'sms', locale: 'fr' });
    const text = await inboxText(to);
    expect(text).toMatch(/^Votre code de vérification .+ est : \d{6}$/);
    const code = /(\d{6})$/.exec(text)![1];
    expect((await service.verificationChecks.create({ to, code })).status).toBe('approved');
  });

  it('falls back from an unknown region to its language, and keeps pt / pt-BR and zh / zh-HK apart', async () => {
    const cases: [string, RegExp][] = [
      ['fr-CA', /^Votre code de vérification/],
      ['en-US', /^Your .+ verification code is: \d+$/],
      ['ES', /^Tu código de verificación de/],
      ['pt-br', /^Seu código de verificação/],
      ['pt_BR', /^Seu código de verificação/],
      ['pt', /^O seu código de verificação/],
      ['zh', /验证码/],
      ['zh-HK', /驗證碼/],
      ['zh-TW', /验证码/],
    ];
    for (const [locale, expected] of cases) {
      const to = fresh();
      await service.verifications.create({ to, channel: 'sms', locale });
      expect([locale, await inboxText(to)]).toEqual([locale, expect.stringMatching(expected)]);
    }
  });

  it('reads the code out in the locale on a call; email stays English', async () => {
    const to = fresh();
    await service.verifications.create({ to, channel: 'call', locale: 'de' });
    expect(await spoken(to)).toMatch(/^Ihr .+-Verifizierungscode lautet: (\d, ){5}\d\.$/);
    await service.verifications.create({ to: 'locale@example.com', channel: 'email', locale: 'de' });
    expect(await inboxText('locale@example.com', 'emails')).toMatch(/^Your .+ verification code is: \d+$/);
  });

  it("uses the To country's language when no Locale is given", async () => {
    await service.verifications.create({ to: '+33612345678', channel: 'sms' });
    expect(await inboxText('+33612345678')).toMatch(/^Votre code de vérification/);
    await service.verifications.create({ to: '+5511987654321', channel: 'sms' });
    expect(await inboxText('+5511987654321')).toMatch(/^Seu código de verificação/);
    await service.verifications.create({ to: '+442071838750', channel: 'call' });
    expect(await spoken('+442071838750')).toMatch(/^Your .+ verification code is/);
  });

  it("answers an unsupported language with Twilio's 404, and a malformed tag with 60200", async () => {
    await expect(service.verifications.create({ to: fresh(), channel: 'sms', locale: 'xx' })).rejects.toMatchObject({
      status: 404, code: 60229, message: 'Template translation was not found',
    });
    await expect(service.verifications.create({ to: fresh(), channel: 'sms', locale: 'eo' })).rejects.toMatchObject({ status: 404, code: 60229 });
    await expect(service.verifications.create({ to: fresh(), channel: 'sms', locale: 'not a locale' })).rejects.toMatchObject({ status: 400, code: 60200 });
  });
});
