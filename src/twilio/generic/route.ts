/**
 * Which spec operation a request is: pure matching of (method, host, path) against the API table.
 *
 * The domain comes from the host when the client used Twilio's own names (proxy mode, DNS
 * override): `conversations.twilio.com`, or the edge/region forms the SDKs build
 * (`api.dublin.ie1.twilio.com`, `verify.au1.twilio.com`; twilio-api.md §9) — the first label is
 * the domain either way.
 *
 * In base-URL mode the host is the mirror's own (`127.0.0.1:4010`), so the domain must come from
 * the path. Twilio's paths do not say it: `/v1/Services` exists on a dozen hosts. So:
 *
 * 1. **`/<domain>/…` always works**: the host's first label as a path prefix,
 *    `http://127.0.0.1:4010/conversations/v1/Conversations`, `…/flex-api/v1/Configuration`. Set an
 *    SDK domain's base URL to `http://127.0.0.1:4010/conversations` and every path it builds,
 *    including `next_page_url` and `links` (rendered on that same base), stays on the mirror.
 * 2. **Unprefixed paths work when they are unambiguous**: `/2010-04-01/…` is the api, and a path
 *    whose first segments (`v1/Conversations`) only one domain serves goes to that domain.
 * 3. **Ambiguous unprefixed paths** keep the meaning they had before the generic engine:
 *    `/v2/…` Verify, `/v1/…` Messaging, `/v1|v2/PhoneNumbers` Lookups (src/cassette/normalize.ts);
 *    any other ambiguous path (`/v1/Services/IS…` could be Chat, Conversations, Sync, ...) needs
 *    the prefix and matches nothing without it.
 *
 * A prefix that is also a path of its own domain's API is tried first as a prefix, then as a path:
 * preview.twilio.com serves `/wireless/Commands`, and `/wireless/v1/Sims` is the wireless domain.
 */
import { hostnameOf, productOfPath } from '../../cassette/normalize';
import { PATH_ROOTS } from './generated/index';
import { isDomainLabel, loadDomain, type GenericOperation } from './table';

/** A request matched to a spec operation. */
export interface GenericMatch {
  operation: GenericOperation;
  /** Path parameters by spec name (`ConversationSid`), percent-decoded. */
  pathParams: Record<string, string>;
  /** The base-URL prefix the request used: '' on a Twilio host name, `/conversations` in base-URL mode. */
  prefix: string;
  /** The path as Twilio sees it: without prefix and query (`/v1/Conversations/CH…`). */
  path: string;
}

/** Where a request goes: the domain label, the prefix it used, and the path within the domain. */
export interface DomainRoute {
  label: string;
  prefix: string;
  path: string;
}

const VERSION = /^(v\d+|\d{4}-\d{2}-\d{2})$/;

/** The domain label of a Twilio host name (`api.dublin.ie1.twilio.com` → `api`), if it is one. */
export function domainOfHost(host: string | undefined): string | undefined {
  const hostname = hostnameOf(host);
  if (!hostname.endsWith('.twilio.com')) return undefined;
  const label = hostname.slice(0, hostname.indexOf('.'));
  return isDomainLabel(label) ? label : undefined;
}

/** The domains an unprefixed base-URL path may belong to, most likely first. */
function domainsOfPath(path: string): string[] {
  const [, first = '', second = ''] = path.split('/');
  const root = VERSION.test(first) ? `${first}/${second.replace(/\.json$/, '')}` : first;
  const candidates = PATH_ROOTS[root] ?? [];
  if (candidates.length <= 1) return [...candidates];
  // The products mirra had before the engine, as record and replay read base-URL paths.
  const legacy = productOfPath(path);
  return legacy && candidates.includes(legacy) ? [legacy] : [];
}

/**
 * The routes a request may take, in the order to try them (see the header comment): the host's
 * domain; else a `/<domain>` prefix, then the path's own root.
 */
export function routesOf(host: string | undefined, path: string): DomainRoute[] {
  const byHost = domainOfHost(host);
  if (byHost) return [{ label: byHost, prefix: '', path }];
  if (hostnameOf(host).endsWith('twilio.com')) return []; // a Twilio host with no API (www, twilio.com)
  const routes: DomainRoute[] = [];
  const first = path.split('/')[1] ?? '';
  if (isDomainLabel(first)) routes.push({ label: first, prefix: `/${first}`, path: path.slice(first.length + 1) || '/' });
  for (const label of domainsOfPath(path)) routes.push({ label, prefix: '', path });
  return routes;
}

/** Percent-decodes path parameters; undefined when one is malformed (`%E0%A4%A`). */
function decodeParams(names: readonly string[], values: string[]): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  try {
    names.forEach((name, i) => (out[name] = decodeURIComponent(values[i]!)));
  } catch {
    return undefined;
  }
  return out;
}

/**
 * The spec operation a request is, with its path parameters; undefined when no operation of any
 * domain matches (the caller answers Twilio's 404/20404). `url` may carry a query string.
 */
export function findOperation(method: string, host: string | undefined, url: string): GenericMatch | undefined {
  const q = url.indexOf('?');
  const fullPath = q === -1 ? url : url.slice(0, q);
  const verb = method.toUpperCase();
  for (const route of routesOf(host, fullPath)) {
    const ops = loadDomain(route.label)?.byMethod.get(verb) ?? [];
    for (const { operation, pattern } of ops) {
      const m = pattern.exec(route.path);
      if (!m) continue;
      const pathParams = decodeParams(operation.pathParams, m.slice(1));
      if (pathParams) return { operation, pathParams, prefix: route.prefix, path: route.path };
    }
  }
  return undefined;
}
