/**
 * The Verify default template in each locale Twilio supports (docs/verify/supported-languages,
 * twilio-voice-and-more.md §12: 42 tags). `{name}` is the service's (or CustomFriendlyName's) name,
 * `{code}` the code.
 *
 * EXACT vs APPROXIMATE: only the English text is Twilio's own wording ("Your {friendly_name}
 * verification code is: {code}", docs/verify/api/verification and real deliveries). Twilio does not
 * publish its translations; every other text here is mirra's own translation of that sentence —
 * right language and shape, not Twilio's exact words (docs/verify-locales.md lists them).
 */

/** One locale's texts. */
export interface LocaleText {
  /** The default SMS/WhatsApp/voice template. */
  template: string;
  /** True when `template` is Twilio's exact wording. */
  exact: boolean;
  /** The `do_not_share_warning_enabled` sentence, where mirra has it in this language (else English). */
  doNotShare?: string;
}

const approx = (template: string, doNotShare?: string): LocaleText => ({ template, exact: false, doNotShare });

const EN_WARNING = "Don't share this code with anyone; our employees will never ask for the code.";

/** Supported locales by their canonical tag (Twilio's spelling: `zh-HK`, `pt-BR`, `en-GB`). */
export const LOCALE_TEXTS: Readonly<Record<string, LocaleText>> = {
  af: approx('Jou {name}-verifikasiekode is: {code}'),
  ar: approx('رمز التحقق الخاص بك في {name} هو: {code}'),
  ca: approx('El teu codi de verificació de {name} és: {code}'),
  zh: approx('您的{name}验证码是：{code}'),
  'zh-CN': approx('您的{name}验证码是：{code}'),
  'zh-HK': approx('您的{name}驗證碼是：{code}'),
  hr: approx('Vaš {name} kôd za potvrdu je: {code}'),
  cs: approx('Váš ověřovací kód pro {name} je: {code}'),
  da: approx('Din {name}-bekræftelseskode er: {code}'),
  nl: approx('Je {name} verificatiecode is: {code}', 'Deel deze code met niemand; onze medewerkers zullen nooit om de code vragen.'),
  en: { template: 'Your {name} verification code is: {code}', exact: true, doNotShare: EN_WARNING },
  'en-GB': { template: 'Your {name} verification code is: {code}', exact: true, doNotShare: EN_WARNING },
  et: approx('Teie {name} kinnituskood on: {code}'),
  fi: approx('{name}-vahvistuskoodisi on: {code}'),
  fr: approx('Votre code de vérification {name} est : {code}', 'Ne partagez ce code avec personne ; nos employés ne vous le demanderont jamais.'),
  de: approx('Ihr {name}-Verifizierungscode lautet: {code}', 'Geben Sie diesen Code an niemanden weiter; unsere Mitarbeiter werden Sie nie danach fragen.'),
  el: approx('Ο κωδικός επαλήθευσης {name} είναι: {code}'),
  he: approx('קוד האימות שלך ל-{name} הוא: {code}'),
  hi: approx('आपका {name} सत्यापन कोड है: {code}'),
  hu: approx('A(z) {name} ellenőrző kódod: {code}'),
  id: approx('Kode verifikasi {name} Anda adalah: {code}'),
  it: approx('Il tuo codice di verifica {name} è: {code}', 'Non condividere questo codice con nessuno; i nostri dipendenti non te lo chiederanno mai.'),
  ja: approx('{name}の認証コードは {code} です'),
  kn: approx('ನಿಮ್ಮ {name} ಪರಿಶೀಲನಾ ಕೋಡ್: {code}'),
  ko: approx('{name} 인증 코드는 {code}입니다'),
  lt: approx('Jūsų {name} patvirtinimo kodas: {code}'),
  ms: approx('Kod pengesahan {name} anda ialah: {code}'),
  mr: approx('तुमचा {name} पडताळणी कोड आहे: {code}'),
  nb: approx('Din {name}-bekreftelseskode er: {code}'),
  pl: approx('Twój kod weryfikacyjny {name} to: {code}'),
  'pt-BR': approx('Seu código de verificação {name} é: {code}', 'Não compartilhe este código com ninguém; nossos funcionários nunca pedirão o código.'),
  pt: approx('O seu código de verificação {name} é: {code}', 'Não partilhe este código com ninguém; os nossos funcionários nunca pedirão o código.'),
  ro: approx('Codul tău de verificare {name} este: {code}'),
  ru: approx('Ваш код подтверждения {name}: {code}'),
  sk: approx('Váš overovací kód pre {name} je: {code}'),
  es: approx('Tu código de verificación de {name} es: {code}', 'No compartas este código con nadie; nuestros empleados nunca te lo pedirán.'),
  sv: approx('Din verifieringskod för {name} är: {code}'),
  tl: approx('Ang iyong {name} verification code ay: {code}'),
  te: approx('మీ {name} ధృవీకరణ కోడ్: {code}'),
  th: approx('รหัสยืนยัน {name} ของคุณคือ: {code}'),
  tr: approx('{name} doğrulama kodunuz: {code}'),
  vi: approx('Mã xác minh {name} của bạn là: {code}'),
};

/** The English warning, appended where a locale has no translation of its own. */
export const DEFAULT_DO_NOT_SHARE = EN_WARNING;

/**
 * The language Verify picks from the `To` country when no `Locale` is given (docs: "the locale
 * will automatically resolve based on the country code of the phone number"; Twilio's mapping page
 * is not reproduced — this is the obvious official language of each country, approximate).
 * Countries not listed get English.
 */
export const COUNTRY_LOCALES: Readonly<Record<string, string>> = {
  ZA: 'en', AE: 'ar', SA: 'ar', EG: 'ar', MA: 'ar', QA: 'ar', KW: 'ar', JO: 'ar',
  CN: 'zh', HK: 'zh-HK', TW: 'zh-HK', HR: 'hr', CZ: 'cs', DK: 'da', NL: 'nl', BE: 'nl',
  GB: 'en-GB', IE: 'en-GB', EE: 'et', FI: 'fi', FR: 'fr', MC: 'fr', LU: 'fr', DE: 'de', AT: 'de', CH: 'de',
  GR: 'el', CY: 'el', IL: 'he', HU: 'hu', ID: 'id', IT: 'it', JP: 'ja', KR: 'ko', LT: 'lt', MY: 'ms',
  NO: 'nb', PL: 'pl', BR: 'pt-BR', PT: 'pt', AO: 'pt', MZ: 'pt', RO: 'ro', RU: 'ru', BY: 'ru', KZ: 'ru', SK: 'sk',
  ES: 'es', MX: 'es', AR: 'es', CO: 'es', CL: 'es', PE: 'es', VE: 'es', EC: 'es', GT: 'es', CU: 'es', BO: 'es',
  DO: 'es', HN: 'es', PY: 'es', SV: 'es', NI: 'es', CR: 'es', PA: 'es', UY: 'es', PR: 'es',
  SE: 'sv', PH: 'en', TH: 'th', TR: 'tr', VN: 'vi',
};
