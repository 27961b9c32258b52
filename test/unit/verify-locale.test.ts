/**
 * Verify's Locale resolution and texts (pure): the 42 supported tags of docs/verify/supported-languages,
 * region fallback, `_` for `-`, refusals, the To country's default, and the rendered message shapes.
 */
import { defaultLocaleFor, localizedCodeMessage, resolveLocale } from '../../src/twilio/verify/locale';
import { LOCALE_TEXTS } from '../../src/twilio/verify/locale-texts';

/** The default-template locales listed by Twilio (twilio-voice-and-more.md §12). */
const SUPPORTED = 'af ar ca zh zh-CN zh-HK hr cs da nl en en-GB et fi fr de el he hi hu id it ja kn ko lt ms mr nb pl pt-BR pt ro ru sk es sv tl te th tr vi'.split(' ');

describe('Verify locales', () => {
  it('has a text for exactly the supported tags, with {name} and {code}; only English is exact', () => {
    expect(Object.keys(LOCALE_TEXTS).sort()).toEqual([...SUPPORTED].sort());
    for (const [tag, t] of Object.entries(LOCALE_TEXTS)) {
      expect([tag, t.template.includes('{name}') && t.template.includes('{code}')]).toEqual([tag, true]);
      expect([tag, t.exact]).toEqual([tag, tag === 'en' || tag === 'en-GB']);
    }
  });

  it('resolves tags case-insensitively, with _ for -, falling back from an unknown region to the language', () => {
    expect(resolveLocale('PT_br')).toEqual({ ok: true, tag: 'pt-BR' });
    expect(resolveLocale('pt')).toEqual({ ok: true, tag: 'pt' });
    expect(resolveLocale('zh-hk')).toEqual({ ok: true, tag: 'zh-HK' });
    expect(resolveLocale('fr-CA')).toEqual({ ok: true, tag: 'fr' });
    expect(resolveLocale('es-419')).toEqual({ ok: true, tag: 'es' });
    expect(resolveLocale('xx')).toEqual({ ok: false, reason: 'unsupported' });
    expect(resolveLocale('not a locale')).toEqual({ ok: false, reason: 'malformed' });
  });

  it("defaults to the To country's language, else English", () => {
    expect(defaultLocaleFor('+33612345678')).toBe('fr');
    expect(defaultLocaleFor('+5511987654321')).toBe('pt-BR');
    expect(defaultLocaleFor('+81312345678')).toBe('ja');
    expect(defaultLocaleFor('+442071838750')).toBe('en-GB');
    expect(defaultLocaleFor('+14155552671')).toBe('en');
    expect(defaultLocaleFor('+919876543210')).toBe('en');
  });

  it('renders SMS, spoken and warning forms', () => {
    expect(localizedCodeMessage('en', 'App', '123456', { spoken: false, warning: true })).toBe("Your App verification code is: 123456. Don't share this code with anyone; our employees will never ask for the code.");
    expect(localizedCodeMessage('fr', 'App', '123456', { spoken: true, warning: false })).toBe('Votre code de vérification App est : 1, 2, 3, 4, 5, 6.');
    // No translation of the warning: the English sentence is appended.
    expect(localizedCodeMessage('ja', 'App', '1234', { spoken: false, warning: true })).toMatch(/^Appの認証コードは 1234 です\. Don't share/);
  });
});
