/**
 * A cassette as HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), so a recording opens in
 * browser dev tools and HAR viewers: one entry per interaction, with the request as the client
 * sent it (method, the product's Twilio URL, query, the form as `postData`) and the answer (status,
 * the kept headers, the body as text).
 *
 * A cassette holds no absolute time, only offsets from the recording's start, so the HAR's times
 * count from a start instant the caller gives (the page's `startedDateTime`); `time` and
 * `timings` are 0 (durations stay in the working store). The cassette's tokens become values a
 * viewer shows as Twilio would: `{AccountSid}` an account SID of zeros, `{SM#3}` the SID
 * `SM…03` (the alias number in hex, so distinct aliases stay distinct), `{date:FORMAT:+MS}` that
 * date in its format, MS after the start. Importing the HAR back (`--from polly`) gives the same
 * interactions: the start instant is the page's, and the SIDs are aliased again in the same order.
 * Callbacks are not requests of the app, so they are not exported. A fault is an entry with status
 * 0 and `_fault` (`reset` or `timeout`); Chrome shows `_error`.
 */
import { STATUS_CODES } from 'node:http';
import { formatDate, type DateFormat } from './dates';
import { productOrigin } from './normalize';
import type { Cassette, Interaction, Pair } from './types';

/** The account SID that stands for `{AccountSid}` in an export. */
export const EXPORTED_ACCOUNT_SID = 'AC' + '0'.repeat(32);

/** Options of {@link cassetteToHar}. */
export interface HarExportOptions {
  /** Epoch ms the recording's start is shown at. */
  startedAt: number;
  /** The `creator.version` (mirra's version). */
  version: string;
}

interface NameValue {
  name: string;
  value: string;
}

/** A HAR 1.2 entry (the fields mirra writes). */
export interface HarEntry {
  pageref: string;
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: NameValue[];
    headers: NameValue[];
    queryString: NameValue[];
    postData?: { mimeType: string; params: NameValue[]; text: string };
    headersSize: number;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: NameValue[];
    headers: NameValue[];
    content: { size: number; mimeType: string; text: string };
    redirectURL: string;
    headersSize: number;
    bodySize: number;
    _fault?: string;
    _error?: string;
  };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  _seq: number;
}

/** A HAR 1.2 document. */
export interface Har {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    pages: { startedDateTime: string; id: string; title: string; pageTimings: Record<string, never> }[];
    entries: HarEntry[];
  };
}

const TOKEN = /\{AccountSid\}|\{([A-Z]{2})#(\d+)\}|\{date:(rfc2822|iso|isoms|dlr):([+-]\d+)\}/g;

/** `text` with the cassette's tokens rendered as values. */
export function renderTokens(text: string, startedAt: number): string {
  if (!text.includes('{')) return text;
  return text.replace(TOKEN, (token, prefix?: string, n?: string, format?: string, offset?: string) => {
    if (token === '{AccountSid}') return EXPORTED_ACCOUNT_SID;
    if (prefix && n) return prefix + Number(n).toString(16).padStart(32, '0');
    return formatDate(format as DateFormat, startedAt + Number(offset));
  });
}

function renderValue(value: unknown, startedAt: number): unknown {
  if (typeof value === 'string') return renderTokens(value, startedAt);
  if (Array.isArray(value)) return value.map((v) => renderValue(v, startedAt));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[renderTokens(k, startedAt)] = renderValue(v, startedAt);
    return out;
  }
  return value;
}

function nameValues(pairs: Pair[], startedAt: number): NameValue[] {
  return pairs.map(([name, value]) => ({ name, value: renderTokens(value, startedAt) }));
}

function entryOf(i: Interaction, startedAt: number): HarEntry {
  const query = nameValues(i.request.query, startedAt);
  const form = nameValues(i.request.form, startedAt);
  const qs = new URLSearchParams(query.map((p): [string, string] => [p.name, p.value])).toString();
  const origin = productOrigin(i.request.product);
  const url = origin + renderTokens(i.request.path, startedAt) + (qs ? `?${qs}` : '');
  const request: HarEntry['request'] = {
    method: i.request.method,
    url,
    httpVersion: 'HTTP/1.1',
    cookies: [],
    headers: [{ name: 'Host', value: new URL(origin).host }],
    queryString: query,
    headersSize: -1,
    bodySize: 0,
  };
  if (form.length > 0 || ['POST', 'PUT', 'PATCH'].includes(i.request.method.toUpperCase())) {
    const text = new URLSearchParams(form.map((p): [string, string] => [p.name, p.value])).toString();
    request.headers.push({ name: 'Content-Type', value: 'application/x-www-form-urlencoded' });
    request.postData = { mimeType: 'application/x-www-form-urlencoded', params: form, text };
    request.bodySize = Buffer.byteLength(text);
  }
  let response: HarEntry['response'];
  if (i.response) {
    const body = renderValue(i.response.body, startedAt);
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const type = i.response.headers['content-type'] ?? (typeof body === 'string' ? 'text/plain' : 'application/json');
    response = {
      status: i.response.status,
      statusText: STATUS_CODES[i.response.status] ?? '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: Object.entries(i.response.headers).map(([name, value]) => ({ name, value })),
      content: { size: Buffer.byteLength(text), mimeType: type, text },
      redirectURL: '',
      headersSize: -1,
      bodySize: Buffer.byteLength(text),
    };
  } else {
    const fault = i.fault ?? 'reset';
    response = {
      status: 0,
      statusText: '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: [],
      content: { size: 0, mimeType: 'x-unknown', text: '' },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
      _fault: fault,
      _error: fault === 'timeout' ? 'net::ERR_TIMED_OUT' : 'net::ERR_CONNECTION_RESET',
    };
  }
  return {
    pageref: 'page_1',
    startedDateTime: new Date(startedAt + i.offsetMs).toISOString(),
    time: 0,
    request,
    response,
    cache: {},
    timings: { send: 0, wait: 0, receive: 0 },
    _seq: i.seq,
  };
}

/** The cassette as a HAR 1.2 document. */
export function cassetteToHar(cassette: Cassette, opts: HarExportOptions): Har {
  return {
    log: {
      version: '1.2',
      creator: { name: 'mirra', version: opts.version },
      pages: [{ startedDateTime: new Date(opts.startedAt).toISOString(), id: 'page_1', title: `mirra cassette ${cassette.name}`, pageTimings: {} }],
      entries: [...cassette.interactions].sort((a, b) => a.seq - b.seq).map((i) => entryOf(i, opts.startedAt)),
    },
  };
}
