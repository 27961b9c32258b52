/**
 * Turns exchanges read from other tools' recordings into a mirra cassette the way `mirra record`
 * turns live traffic into one: each exchange becomes a {@link RawInteraction} through the same
 * normalisation (normalize.ts) and redaction (redact.ts) as the recorder's, and the lot is compiled
 * by {@link compileCassette} — so an imported cassette has the same aliases, date tokens and form
 * as a recorded one, and the same input gives the same bytes.
 *
 * Which exchanges are Twilio's: those whose Host header or URL names a `*.twilio.com` host, and
 * those sent to an origin given as `upstreams` (a local stand-in the recording was made against;
 * their product is told by the path, as in base-URL mode). The rest are skipped and counted.
 *
 * Secrets never reach the output: the Basic-auth password of every request (and its base64
 * credentials), credentials in a URL (`https://AC…:TOKEN@api.twilio.com`), Bearer tokens and the
 * values of secret-named params and fields are learnt from every exchange first, then removed
 * wherever they occur; request headers are not kept at all, and of the response headers only
 * those a recording keeps. The report says what was dropped, by kind.
 */
import { compileCassette } from '../compile';
import { EXPORTED_ACCOUNT_SID } from '../export-har';
import { hostnameOf, isFormContentType, isTwilioHostname, normalizeRequest, parsePairs, productOf, productOrigin, splitUrl } from '../normalize';
import type { RawInteraction, RecordingMeta } from '../raw';
import { isSecretName, Redactor } from '../redact';
import type { Cassette, MatchRules, RecordedResponse } from '../types';
import { headerValue, type ToolExchange, type ToolRecording } from './exchange';

/** Options of an import. */
export interface ImportOptions {
  /** The cassette's name. */
  name: string;
  /** Origins that stood in for Twilio while recording (`http://127.0.0.1:8080`). */
  upstreams?: string[];
  /** Matching rules to keep (from the cassette file an import replaces). */
  match?: MatchRules;
  /**
   * Secret values to remove wherever they occur, besides those the recording itself reveals (a
   * tool that kept no request headers, like nock back, leaves the auth token unknown).
   */
  secrets?: string[];
}

/** What an import did. */
export interface ImportReport {
  /** Interactions written. */
  interactions: number;
  /** Exchanges left out, by reason. */
  skipped: { notTwilio: number; unreadable: number };
  /** Hosts of the exchanges left out as not Twilio's, sorted. */
  otherHosts: string[];
  /** True when the recording revealed no credentials (no Authorization header, none in a URL). */
  noCredentials: boolean;
  /** Secrets removed, by kind. */
  dropped: {
    authorizationHeaders: number;
    cookieHeaders: number;
    urlCredentials: number;
    secretParams: number;
    secretFields: number;
    secretValues: number;
  };
}

const ACCOUNT_IN_PATH = /\/Accounts\/(AC[0-9a-f]{32})(?=[/.]|$)/;
const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function originOf(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

/**
 * The account of a mirra HAR export (`{AccountSid}` written as a SID of zeros, never a real
 * account), when an exchange names it: a Verify request has no account in its path.
 */
function exportedAccount(e: ToolExchange): string | undefined {
  return e.url.includes(EXPORTED_ACCOUNT_SID) || e.response?.body.includes(EXPORTED_ACCOUNT_SID) ? EXPORTED_ACCOUNT_SID : undefined;
}

/** An exchange judged Twilio's, with what to-raw needs of its URL. */
interface Classified {
  exchange: ToolExchange;
  url: URL;
  /** The Host to normalise with: a Twilio hostname when one is named, else the URL's host. */
  host: string;
}

function classify(exchanges: ToolExchange[], upstreams: Set<string>, report: ImportReport): Classified[] {
  const others = new Set<string>();
  const out: Classified[] = [];
  for (const exchange of exchanges) {
    let url: URL;
    try {
      url = new URL(exchange.url);
    } catch {
      report.skipped.unreadable++;
      continue;
    }
    const hostHeader = headerValue(exchange.requestHeaders, 'host');
    if (hostHeader !== undefined && isTwilioHostname(hostnameOf(hostHeader))) out.push({ exchange, url, host: hostHeader });
    else if (isTwilioHostname(hostnameOf(url.host)) || upstreams.has(originOf(url))) out.push({ exchange, url, host: url.host });
    else others.add(hostnameOf(hostHeader ?? url.host));
  }
  report.skipped.notTwilio = exchanges.length - out.length - report.skipped.unreadable;
  report.otherHosts = [...others].sort();
  return out;
}

/** The request's Content-Type; a body with none is taken as a form, the only body Twilio reads. */
function contentTypeOf(e: ToolExchange): string | undefined {
  const declared = headerValue(e.requestHeaders, 'content-type');
  if (declared !== undefined) return declared;
  const body = e.requestBody.trim();
  return body !== '' && METHODS_WITH_BODY.has(e.method.toUpperCase()) && !/^[[{]/.test(body) ? 'application/x-www-form-urlencoded' : undefined;
}

/** Learns every secret of every exchange before anything is redacted, so none survives anywhere. */
function learnSecrets(items: Classified[], redactor: Redactor, report: ImportReport): Map<Classified, string | undefined> {
  const accounts = new Map<Classified, string | undefined>();
  for (const item of items) {
    const { exchange, url } = item;
    let account: string | undefined;
    for (const [name, value] of exchange.requestHeaders) {
      const lower = name.toLowerCase();
      if (lower === 'authorization' || lower === 'proxy-authorization') {
        report.dropped.authorizationHeaders++;
        const creds = redactor.addBasicAuth(value);
        if (creds?.username.startsWith('AC')) account ??= creds.username;
        const bearer = /^Bearer\s+(\S+)/i.exec(value);
        if (bearer) redactor.addSecret(bearer[1]);
      } else if (lower === 'cookie') report.dropped.cookieHeaders++;
    }
    if (url.password) {
      report.dropped.urlCredentials++;
      const user = decodeURIComponent(url.username);
      const password = decodeURIComponent(url.password);
      redactor.addSecret(password);
      redactor.addSecret(Buffer.from(`${user}:${password}`).toString('base64'));
      if (user.startsWith('AC')) account ??= user;
    }
    for (const [k, v] of [...url.searchParams, ...(isFormContentType(contentTypeOf(exchange)) ? parsePairs(exchange.requestBody) : [])]) if (isSecretName(k)) redactor.addSecret(v);
    for (const [name] of exchange.response?.headers ?? []) if (name.toLowerCase() === 'set-cookie') report.dropped.cookieHeaders++;
    accounts.set(item, account);
  }
  return accounts;
}

function responseOf(res: NonNullable<ToolExchange['response']>, redactor: Redactor): RecordedResponse {
  const headers = redactor.headers(Object.fromEntries(res.headers.map(([k, v]) => [k.toLowerCase(), v])));
  // As the recorder does: a JSON content type with a body that parses is kept as JSON, else as text.
  if (/\bjson\b/i.test(headers['content-type'] ?? '') && res.body.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(res.body);
    } catch {
      return { status: res.status, headers, body: redactor.string(res.body) };
    }
    return { status: res.status, headers, body: redactor.value(parsed) };
  }
  return { status: res.status, headers, body: redactor.string(res.body) };
}

/**
 * Compiles the exchanges of `recordings` into a cassette named `opts.name`, and reports what was
 * imported, skipped and dropped. Exchanges are taken in time order (the tool's times, else each
 * response's `Date` header), ties in file order.
 */
export function importRecordings(recordings: ToolRecording[], opts: ImportOptions): { cassette: Cassette; report: ImportReport } {
  const report: ImportReport = {
    interactions: 0,
    skipped: { notTwilio: 0, unreadable: recordings.reduce((n, r) => n + r.unreadable, 0) },
    otherHosts: [],
    noCredentials: false,
    dropped: { authorizationHeaders: 0, cookieHeaders: 0, urlCredentials: 0, secretParams: 0, secretFields: 0, secretValues: 0 },
  };
  const upstreams = new Set((opts.upstreams ?? []).map((u) => originOf(new URL(u))));
  const items = classify(recordings.flatMap((r) => r.exchanges), upstreams, report);
  const redactor = new Redactor(opts.secrets ?? []);
  const accounts = learnSecrets(items, redactor, report);
  report.noCredentials = report.dropped.authorizationHeaders + report.dropped.urlCredentials === 0;

  // Times: the tool's, else the response's Date header, else the previous exchange's.
  let last = 0;
  const timed = items.map((item, order) => {
    const dated = headerValue(item.exchange.response?.headers ?? [], 'date');
    const at = item.exchange.startedAt ?? (dated !== undefined && !Number.isNaN(Date.parse(dated)) ? Date.parse(dated) : last);
    last = at;
    return { item, at, order };
  });
  timed.sort((a, b) => a.at - b.at || a.order - b.order);

  const localOrigins = new Set<string>();
  const raw: RawInteraction[] = timed.map(({ item, at }, index) => {
    const { exchange, url, host } = item;
    const normal = normalizeRequest({ method: exchange.method, host, url: url.pathname + url.search, contentType: contentTypeOf(exchange), body: exchange.requestBody });
    const origin = originOf(url);
    if (origin !== productOrigin(productOf(host, normal.path))) localOrigins.add(origin);
    const named = redactor.counts.byName;
    const request = { ...normal, path: redactor.string(normal.path), query: redactor.pairs(normal.query), form: redactor.pairs(normal.form) };
    report.dropped.secretParams += redactor.counts.byName - named;
    const interaction: RawInteraction = { seq: index + 1, at, durationMs: exchange.durationMs ?? 0, host: hostnameOf(host), request };
    const account = accounts.get(item) ?? ACCOUNT_IN_PATH.exec(normal.path)?.[1] ?? exportedAccount(exchange);
    if (account) interaction.accountSid = account;
    if (exchange.response) interaction.response = responseOf(exchange.response, redactor);
    else interaction.fault = exchange.fault ?? 'reset';
    return interaction;
  });
  report.dropped.secretFields = redactor.counts.byName - report.dropped.secretParams;
  report.dropped.secretValues = redactor.counts.byValue;
  report.interactions = raw.length;

  const starts = recordings.map((r) => r.startedAt).filter((t): t is number => t !== undefined);
  const startedAt = Math.min(...starts, ...raw.map((i) => i.at));
  const meta: RecordingMeta = {
    name: opts.name,
    startedAt: Number.isFinite(startedAt) ? startedAt : 0,
    stoppedAt: Math.max(0, ...raw.map((i) => i.at + i.durationMs)),
    state: 'stopped',
    localOrigins: [...localOrigins].sort(),
    runId: 'import',
  };
  return { cassette: compileCassette(meta, raw, [], opts.match ? { match: opts.match } : {}), report };
}
