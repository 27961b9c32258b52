/**
 * Request normalisation: the one place that turns an HTTP request (method, host, path, query, form
 * body) into the transport-free {@link RecordedRequest} shape. Record and replay both call it, so a
 * request recorded by one is compared with a request seen by the other on equal terms:
 *
 * - the product comes from the Host (`verify.twilio.com`, `api.dublin.ie1.twilio.com`) or, in
 *   base-URL mode where the Host is mirra's own, from the path: a `/<domain>` prefix before the
 *   API version (`/conversations/v1/…` → conversations, the path then without it), else what the
 *   path implies (`/2010-04-01` → api, `/v2` → verify);
 * - query and form are decoded (`+` and `%20` are both a space, twilio-api.md §9) into pairs sorted
 *   by key then value (the SDK's parameter order is code order, not meaningful);
 * - the port of a loopback URL in a value (`http://127.0.0.1:54321/status`) becomes `{port}`, since a
 *   test's webhook receiver usually listens on a port picked at random.
 *
 * Aliases, the AccountSid placeholder and date tokens are applied afterwards by a
 * {@link Tokenizer} (record) or by the replay session's alias bindings (replay).
 */
import type { Pair, Product, RecordedRequest } from './types';

/** An HTTP request as a transport sees it. */
export interface HttpRequestLike {
  method: string;
  /** The Host header (or the host of an absolute-form target); undefined when absent. */
  host?: string;
  /** Path plus query, e.g. `/2010-04-01/Accounts/AC…/Messages.json?PageSize=20`. */
  url: string;
  /** The Content-Type header. */
  contentType?: string;
  /** The raw body. */
  body?: string | Buffer;
  /** The form's pairs, when the body was parsed already (a multipart body too); else read from `body`. */
  form?: Pair[];
}

/**
 * A base-URL path's domain prefix: a lower-case label right before an API version
 * (`/conversations/v1/…`, `/flex-api/v1/…`, `/api/2010-04-01/…`). Structural: no list of domains.
 */
const DOMAIN_PREFIX = /^\/([a-z][a-z0-9-]*)(?=\/(?:v\d+|\d{4}-\d{2}-\d{2})(?:[/?]|$))/;

/** Path prefixes of products in base-URL mode without a domain prefix, most specific first. */
const PATH_PRODUCTS: [RegExp, Product][] = [
  [/^\/2010-04-01(\/|$)/, 'api'],
  [/^\/v2\/PhoneNumbers(\/|$)/, 'lookups'],
  [/^\/v2(\/|$)/, 'verify'],
  [/^\/v1\/PhoneNumbers(\/|$)/, 'lookups'],
  [/^\/v1(\/|$)/, 'messaging'],
];

/** The hostname of a Host header value (no port, lower case, no trailing dot, no IPv6 brackets). */
export function hostnameOf(host: string | undefined): string {
  if (!host) return '';
  const h = host.trim().toLowerCase();
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(h);
  if (bracket) return bracket[1];
  return h.replace(/:\d+$/, '').replace(/\.$/, '');
}

/** True for twilio.com and its subdomains. */
export function isTwilioHostname(hostname: string): boolean {
  return hostname === 'twilio.com' || hostname.endsWith('.twilio.com');
}

/**
 * A base-URL path split at its domain prefix: `/conversations/v1/Conversations` →
 * `{ product: 'conversations', path: '/v1/Conversations' }`; a path without one is returned whole.
 */
export function splitDomainPrefix(path: string): { product?: Product; path: string } {
  const m = DOMAIN_PREFIX.exec(path);
  return m ? { product: m[1], path: path.slice(m[0].length) } : { path };
}

/** The product a path belongs to in base-URL mode, or undefined when the path names none. */
export function productOfPath(path: string): Product | undefined {
  const prefixed = DOMAIN_PREFIX.exec(path);
  if (prefixed) return prefixed[1];
  for (const [re, product] of PATH_PRODUCTS) if (re.test(path)) return product;
  return undefined;
}

/**
 * A base-URL request target without a `/<domain>` prefix the rest of its path implies by itself
 * (`/verify/v2/Services` → `/v2/Services`, `/api/2010-04-01/…` → `/2010-04-01/…`), so a client
 * that names every domain by its prefix reaches the same routes, and gets the same relative
 * `uri`s, as one that uses the bare paths. Any other target is returned as it is.
 */
export function withoutImpliedPrefix(target: string): string {
  const m = DOMAIN_PREFIX.exec(target);
  if (!m) return target;
  const rest = target.slice(m[0].length);
  const q = rest.indexOf('?');
  return productOfPath(q === -1 ? rest : rest.slice(0, q)) === m[1] ? rest : target;
}

/**
 * The base-URL path of a product's path: as it is where the path alone implies the product
 * (`/2010-04-01/…`, Verify's `/v2/…`), else behind the `/<product>` prefix (`/conversations/v1/…`).
 */
export function baseUrlPath(product: Product, path: string): string {
  if (!/^\/(?:v\d+|\d{4}-\d{2}-\d{2})(?:[/?]|$)/.test(path)) return path; // not a versioned API path
  return productOfPath(path) === product ? path : `/${product}${path}`;
}

/** The product of a request: from a Twilio Host when there is one, else from the path. */
export function productOf(host: string | undefined, path: string): Product {
  const hostname = hostnameOf(host);
  if (isTwilioHostname(hostname) && hostname !== 'twilio.com') return hostname.split('.')[0];
  return productOfPath(path) ?? 'api';
}

/** The public origin of a product: `https://verify.twilio.com`. */
export function productOrigin(product: Product): string {
  return `https://${product}.twilio.com`;
}

/** Decodes a query string or form body into pairs, in the order given (`+` and `%20` are spaces). */
export function parsePairs(text: string): Pair[] {
  const out: Pair[] = [];
  for (const [k, v] of new URLSearchParams(text)) out.push([k, v]);
  return out;
}

/** Compares pairs by key, then value, in UTF-16 code-unit order (stable, locale-free). */
export function comparePairs(a: Pair, b: Pair): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return 0;
}

/** A sorted copy of `pairs` (by key, then value). */
export function sortPairs(pairs: readonly Pair[]): Pair[] {
  return [...pairs].sort(comparePairs);
}

const LOOPBACK_URL = /\b(https?:\/\/(?:127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])):\d{1,5}(?=[/?#]|$)/gi;

/** Replaces the port of loopback URLs inside `value` with `{port}`. */
export function canonicalLoopback(value: string): string {
  return value.includes('://') ? value.replace(LOOPBACK_URL, '$1:{port}') : value;
}

/** Splits a request target into path and query string (without `?`); strips an absolute-form origin. */
export function splitUrl(url: string): { path: string; query: string } {
  let target = url;
  const abs = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(target);
  if (abs) target = target.slice(abs[0].length) || '/';
  const hash = target.indexOf('#');
  if (hash !== -1) target = target.slice(0, hash);
  const q = target.indexOf('?');
  return q === -1 ? { path: target, query: '' } : { path: target.slice(0, q), query: target.slice(q + 1) };
}

/** True when a Content-Type names a form body. */
export function isFormContentType(contentType: string | undefined): boolean {
  return /^application\/x-www-form-urlencoded\b/i.test(contentType?.trim() ?? '');
}

/**
 * The normalised form of a request (product, path, sorted decoded query and form, loopback ports
 * masked). No secrets are removed and no aliases applied here: see redact.ts and tokenize.ts.
 * A body that is not a form counts as no params, as it does on Twilio (21604 for a JSON create).
 */
export function normalizeRequest(req: HttpRequestLike): RecordedRequest {
  const { path: target, query } = splitUrl(req.url);
  // Base-URL mode's `/<domain>` prefix names the product; the recorded path is Twilio's own.
  const hostname = hostnameOf(req.host);
  const split = isTwilioHostname(hostname) ? { path: target } : splitDomainPrefix(target);
  const path = split.path;
  const body = req.body === undefined ? '' : typeof req.body === 'string' ? req.body : req.body.toString('utf8');
  const form = req.form ?? (isFormContentType(req.contentType) ? parsePairs(body) : []);
  const clean = (pairs: Pair[]): Pair[] => sortPairs(pairs.map(([k, v]): Pair => [k, canonicalLoopback(v)]));
  return {
    method: req.method.toUpperCase(),
    product: split.product ?? productOf(req.host, path),
    path,
    query: clean(parsePairs(query)),
    form: clean(form),
  };
}
