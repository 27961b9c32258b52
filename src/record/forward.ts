/**
 * Forwarding a request upstream with http-proxy and reading its whole answer. Transport-free: the
 * request comes in as a value (from a socket, the CONNECT/TLS proxy or in-process `inject` alike)
 * and the answer goes back as one; the caller stores the exchange *before* it answers the app,
 * so an answer the app has received is always already in the store.
 *
 * Faults: a connection the upstream breaks (or refuses) before or while answering is `reset`, one
 * that stays silent longer than the timeout is `timeout`; the app then gets {@link faultAnswer}.
 */
import { EventEmitter } from 'node:events';
import type * as http from 'node:http';
import { Readable } from 'node:stream';
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import httpProxy from 'http-proxy';
import { hostnameOf, isTwilioHostname, productOfPath, productOrigin, splitDomainPrefix } from '../cassette/normalize';

/** Where a request goes. */
export interface ForwardTarget {
  /** Base URL, e.g. `https://api.twilio.com` or a `--upstream` URL. */
  target: string;
  /** Send the target's Host (real Twilio) instead of the Host the app used (a local upstream). */
  changeOrigin: boolean;
  /** A base-URL `/<domain>` prefix the upstream does not know, taken off the path (`/conversations`). */
  stripPrefix?: string;
}

/** A request to forward, as a value. */
export interface OutgoingRequest {
  method: string;
  /** Path and query (origin form). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** What came back from upstream. */
export interface ForwardResult {
  response?: {
    status: number;
    /** Headers without hop-by-hop ones, as a flat name/value list (repeated names kept). */
    rawHeaders: string[];
    headers: http.IncomingHttpHeaders;
    /** The body as sent (compressed if the upstream compressed it): what the app gets. */
    raw: Buffer;
    /** The body decompressed, for recording. */
    body: Buffer;
  };
  fault?: 'reset' | 'timeout';
}

/** Connection settings of the forwarder. */
export interface ForwardOptions {
  /** Silence after which the upstream counts as timed out. */
  timeoutMs: number;
  /** Keep-alive agents for the upstream. */
  agents: { http: http.Agent; https: http.Agent };
}

/** Headers that belong to one connection, never forwarded (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/**
 * The upstream of a request: `--upstream` when given (another mirra understands the path as it
 * is); else the Twilio host the app addressed (proxy mode); else, in base-URL mode, the public
 * host of the product the path names: `/conversations/v1/X` goes to
 * `https://conversations.twilio.com/v1/X`. Undefined when none applies (a path no product serves).
 */
export function upstreamFor(host: string | undefined, path: string, upstream?: string): ForwardTarget | undefined {
  if (upstream) return { target: upstream, changeOrigin: false };
  const hostname = hostnameOf(host);
  if (isTwilioHostname(hostname)) return { target: `https://${hostname}`, changeOrigin: true };
  const split = splitDomainPrefix(path);
  if (split.product) return { target: productOrigin(split.product), changeOrigin: true, stripPrefix: `/${split.product}` };
  const product = productOfPath(path);
  return product ? { target: productOrigin(product), changeOrigin: true } : undefined;
}

/** Decompresses a recorded body per its Content-Encoding; undecodable bytes are kept as they are. */
export function decodeBody(raw: Buffer, encoding: string | undefined): Buffer {
  const enc = (encoding ?? '').trim().toLowerCase();
  try {
    if (enc === 'gzip' || enc === 'x-gzip') return gunzipSync(raw);
    if (enc === 'br') return brotliDecompressSync(raw);
    if (enc === 'deflate') {
      try {
        return inflateSync(raw);
      } catch {
        return inflateRawSync(raw);
      }
    }
  } catch {
    return raw;
  }
  return raw;
}

/** `rawHeaders` without hop-by-hop headers. */
function endToEndHeaders(rawHeaders: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) if (!HOP_BY_HOP.has(rawHeaders[i].toLowerCase())) out.push(rawHeaders[i], rawHeaders[i + 1]);
  return out;
}

/** The request as http-proxy reads it: an incoming message with nothing left to read (the body goes as `buffer`). */
function asIncoming(req: OutgoingRequest): http.IncomingMessage {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k.toLowerCase()) && k.toLowerCase() !== 'expect') headers[k.toLowerCase()] = v;
  headers['content-length'] = String(req.body.length);
  if (req.body.length === 0 && (req.method === 'GET' || req.method === 'HEAD' || req.method === 'DELETE')) delete headers['content-length'];
  return Object.assign(new EventEmitter(), { method: req.method, url: req.url, headers, httpVersion: '1.1', socket: { destroyed: false }, connection: {} }) as unknown as http.IncomingMessage;
}

/** Sends `req` to `target` and reads the whole answer. Never rejects. */
export function forwardRequest(req: OutgoingRequest, target: ForwardTarget, opts: ForwardOptions): Promise<ForwardResult> {
  return new Promise((resolve) => {
    let settled = false;
    let timedOut = false;
    const settle = (result: ForwardResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const fail = () => settle({ fault: timedOut ? 'timeout' : 'reset' });
    const proxy = httpProxy.createProxyServer({});
    proxy.on('proxyReq', (proxyReq) => {
      proxyReq.setTimeout(opts.timeoutMs, () => {
        timedOut = true;
        proxyReq.destroy(new Error(`no answer within ${opts.timeoutMs} ms`));
      });
    });
    proxy.on('proxyRes', (proxyRes: http.IncomingMessage) => {
      const chunks: Buffer[] = [];
      proxyRes.on('data', (chunk: Buffer) => chunks.push(chunk));
      proxyRes.on('end', () => {
        const raw = Buffer.concat(chunks);
        const body = decodeBody(raw, proxyRes.headers['content-encoding'] as string | undefined);
        settle({ response: { status: proxyRes.statusCode ?? 502, rawHeaders: endToEndHeaders(proxyRes.rawHeaders), headers: proxyRes.headers, raw, body } });
      });
      proxyRes.on('error', fail);
      proxyRes.on('close', () => {
        if (!proxyRes.complete) fail();
      });
    });
    // The answer is read here (selfHandleResponse), never written to a response object.
    const res = Object.assign(new EventEmitter(), { headersSent: false, finished: false }) as unknown as http.ServerResponse;
    const url = target.stripPrefix && req.url.startsWith(target.stripPrefix) ? req.url.slice(target.stripPrefix.length) : req.url;
    proxy.web(
      asIncoming({ ...req, url }),
      res,
      {
        target: target.target,
        changeOrigin: target.changeOrigin,
        buffer: Readable.from([req.body]),
        selfHandleResponse: true,
        agent: target.target.startsWith('https:') ? opts.agents.https : opts.agents.http,
      },
      fail,
    );
  });
}
