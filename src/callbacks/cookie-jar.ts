/**
 * Cookies across an SMS conversation (twilio-voice-and-more.md §13, Twilio support article
 * 223136287): a `Set-Cookie` in the app's answer to an inbound-message webhook is kept for that
 * number pair and sent back as `Cookie` on the pair's later webhooks (and their `<Redirect>`s) —
 * one cookie per pair, for at most four hours (also when the cookie sets no expiry), on the
 * session's clock. tough-cookie parses `Set-Cookie` and matches domain and path (RFC 6265);
 * expiry is counted here, on the virtual clock. The `Cookie` header is not signed.
 */
import { Cookie, defaultPath, domainMatch, pathMatch } from 'tough-cookie';

/** Twilio keeps a conversation's cookie four hours at most. */
export const COOKIE_LIFETIME_MS = 4 * 60 * 60 * 1000;

/** The cookie a number pair holds. */
export interface KeptCookie {
  name: string;
  value: string;
  /** The host it was set by (or its `Domain`). */
  domain: string;
  /** Whether a `Domain` attribute widened it to subdomains. */
  hostOnly: boolean;
  path: string;
  /** Session-clock instant it expires at. */
  expiresAt: number;
}

/**
 * The cookie a webhook's answer leaves for the pair: the last valid `Set-Cookie` (one cookie per
 * pair), or `kept` when the answer set none. A cookie that expires at once removes the kept one.
 */
export function keepCookie(kept: KeptCookie | undefined, setCookies: readonly string[], url: string, now: number): KeptCookie | undefined {
  let next = kept;
  const target = new URL(url);
  for (const header of setCookies) {
    const parsed = Cookie.parse(header);
    if (!parsed) continue;
    const domain = parsed.domain ? parsed.domain.replace(/^\./, '').toLowerCase() : target.hostname.toLowerCase();
    if (parsed.domain && !domainMatch(target.hostname, domain)) continue; // a Domain the URL's host may not set
    let expiresAt = now + COOKIE_LIFETIME_MS;
    if (typeof parsed.maxAge === 'number') expiresAt = Math.min(expiresAt, now + parsed.maxAge * 1000);
    else if (parsed.expires instanceof Date) expiresAt = Math.min(expiresAt, parsed.expires.getTime());
    const path = parsed.path && parsed.path.startsWith('/') ? parsed.path : defaultPath(target.pathname);
    next = expiresAt <= now ? undefined : { name: parsed.key, value: parsed.value, domain, hostOnly: !parsed.domain, path, expiresAt };
  }
  return next;
}

/** The `Cookie` header for a webhook to `url` at `now`, or undefined when none applies. */
export function cookieHeader(kept: KeptCookie | undefined, url: string, now: number): string | undefined {
  if (!kept || kept.expiresAt <= now) return undefined;
  const target = new URL(url);
  const host = target.hostname.toLowerCase();
  const hostOk = kept.hostOnly ? host === kept.domain : domainMatch(host, kept.domain);
  if (!hostOk || !pathMatch(target.pathname || '/', kept.path)) return undefined;
  return `${kept.name}=${kept.value}`;
}
