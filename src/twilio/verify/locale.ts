/**
 * Verify's `Locale` (docs/verify/supported-languages; twilio-voice-and-more.md §12): which of the
 * supported language tags a request's `Locale` names, and which one a verification without a
 * `Locale` uses (the `To` country's language, English when there is no translation).
 *
 * Matching is case-insensitive and accepts `_` for `-` (the docs write both `pt-BR` and `pt_BR`).
 * A supported tag is used as is (`pt` and `pt-BR`, `zh` and `zh-HK` are different texts); a region
 * the list does not have falls back to its language (`fr-CA` → `fr`, `en-US` → `en`,
 * `zh-TW` → `zh`); a language Twilio does not translate into is refused with a 404 (the docs:
 * "If an unsupported override locale is given, a 404 error will be returned").
 */
import { parseNumber } from '../phone';
import { COUNTRY_LOCALES, DEFAULT_DO_NOT_SHARE, LOCALE_TEXTS } from './locale-texts';

/** A well-formed BCP 47 language tag, as far as Verify reads one (`fr`, `pt-BR`, `zh_HK`, `es-419`). */
const TAG = /^[a-z]{2,3}(?:[-_](?:[a-z]{2}|\d{3}|[a-z]{4}))?$/i;

const BY_LOWER = new Map(Object.keys(LOCALE_TEXTS).map((tag) => [tag.toLowerCase(), tag]));

/** The outcome of reading a `Locale` value. */
export type LocaleResolution = { ok: true; tag: string } | { ok: false; reason: 'malformed' | 'unsupported' };

/** The supported tag `raw` names (after the fallbacks above), or why there is none. */
export function resolveLocale(raw: string): LocaleResolution {
  const value = raw.trim();
  if (!TAG.test(value)) return { ok: false, reason: 'malformed' };
  const lower = value.toLowerCase().replace('_', '-');
  const exact = BY_LOWER.get(lower);
  if (exact) return { ok: true, tag: exact };
  const base = BY_LOWER.get(lower.split('-')[0]);
  return base ? { ok: true, tag: base } : { ok: false, reason: 'unsupported' };
}

/** The tag a verification to `to` uses when the request named no `Locale`: the country's language, else English. */
export function defaultLocaleFor(to: string): string {
  const country = parseNumber(to)?.country ?? '';
  return COUNTRY_LOCALES[country] ?? 'en';
}

/**
 * The code message in `tag`'s language: the template with the name and code filled in (a call reads
 * the digits one by one), and the do-not-share warning when asked for.
 */
export function localizedCodeMessage(tag: string, name: string, code: string, options: { spoken: boolean; warning: boolean }): string {
  const text = LOCALE_TEXTS[tag] ?? LOCALE_TEXTS.en;
  const shown = options.spoken ? code.split('').join(', ') : code;
  const body = text.template.replace('{name}', name).replace('{code}', shown);
  if (options.spoken) return body + '.';
  return options.warning ? `${body}. ${text.doNotShare ?? DEFAULT_DO_NOT_SHARE}` : body;
}
