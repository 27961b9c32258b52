/**
 * Forwarding a request upstream with http-proxy and tapping its answer. The answer streams back to
 * the app unchanged (status, headers, bytes — compressed if Twilio compressed it) except that the
 * last chunk is held until the caller has committed the interaction: {@link forwardRequest}
 * resolves with what the upstream said, the caller stores it, then calls `release()`. So an answer
 * the app has fully received is always already in the store.
 *
 * Faults: a connection the upstream breaks (or refuses) before answering is `reset`, one that stays
 * silent longer than the timeout is `timeout`; the app then gets {@link faultAnswer}. A break in the
 * middle of a body is a `reset` too, and the app's connection is cut the same way.
 */
import type * as http from 'node:http';
import { Readable } from 'node:stream';
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import httpProxy from 'http-proxy';
import { faultAnswer } from '../cassette/faults';
import { hostnameOf, isTwilioHostname, productOfPath, productOrigin } from '../cassette/normalize';

/** Where a request goes. */
export interface ForwardTarget {
  /** Base URL, e.g. `https://api.twilio.com` or a `--upstream` URL. */
  target: string;
  /** Send the target's Host (real Twilio) instead of the Host the app used (a local upstream). */
  changeOrigin: boolean;
}

/** What came back from upstream. */
export interface ForwardResult {
  response?: {
    status: number;
    headers: http.IncomingHttpHeaders;
    /** The body, decompressed (for recording only; the app got the bytes as sent). */
    body: Buffer;
  };
  fault?: 'reset' | 'timeout';
  /** The app went away before the answer was complete: nothing was answered, nothing to record. */
  clientGone?: boolean;
}

/** A finished exchange whose last bytes wait for `release()`. */
export interface HeldAnswer {
  result: ForwardResult;
  /** Sends the held end of the answer (or the fault answer) to the app. */
  release(): void;
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
 * The upstream of a request: `--upstream` when given; else the Twilio host the app addressed
 * (proxy mode); else, in base-URL mode, the public host of the product the path names.
 * Undefined when none applies (a path no Twilio product serves).
 */
export function upstreamFor(host: string | undefined, path: string, upstream?: string): ForwardTarget | undefined {
  if (upstream) return { target: upstream, changeOrigin: false };
  const hostname = hostnameOf(host);
  if (isTwilioHostname(hostname)) return { target: `https://${hostname}`, changeOrigin: true };
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

/** `rawHeaders` without hop-by-hop headers, as the flat list `writeHead` takes. */
function endToEndHeaders(rawHeaders: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) if (!HOP_BY_HOP.has(rawHeaders[i].toLowerCase())) out.push(rawHeaders[i], rawHeaders[i + 1]);
  return out;
}

/**
 * Sends `req` (whose body was already read into `body`) to `target` and streams the answer to
 * `res`, holding back its end. Never rejects.
 */
export function forwardRequest(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, target: ForwardTarget, opts: ForwardOptions): Promise<HeldAnswer> {
  for (const h of ['proxy-connection', 'proxy-authorization', 'transfer-encoding', 'expect']) delete req.headers[h];
  req.headers['content-length'] = String(body.length);
  if (body.length === 0 && (req.method === 'GET' || req.method === 'HEAD' || req.method === 'DELETE')) delete req.headers['content-length'];

  return new Promise((resolve) => {
    let settled = false;
    let timedOut = false;
    const settle = (result: ForwardResult, release: () => void) => {
      if (settled) return;
      settled = true;
      resolve({ result, release });
    };
    const fail = (fault: 'reset' | 'timeout') =>
      settle({ fault, clientGone: res.destroyed }, () => {
        if (res.headersSent) {
          res.destroy(); // the app saw the start of an answer: cut it, as the upstream did
          return;
        }
        const answer = faultAnswer(fault);
        res.writeHead(answer.status, answer.headers);
        res.end(JSON.stringify(answer.body));
      });

    const proxy = httpProxy.createProxyServer({});
    proxy.on('proxyReq', (proxyReq) => {
      proxyReq.setTimeout(opts.timeoutMs, () => {
        timedOut = true;
        proxyReq.destroy(new Error(`no answer within ${opts.timeoutMs} ms`));
      });
    });
    proxy.on('econnreset', () => settle({ clientGone: true }, () => undefined));
    proxy.on('proxyRes', (proxyRes: http.IncomingMessage) => {
      res.writeHead(proxyRes.statusCode ?? 502, proxyRes.statusMessage, endToEndHeaders(proxyRes.rawHeaders));
      const chunks: Buffer[] = [];
      let held: Buffer | undefined;
      proxyRes.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        if (held) res.write(held);
        held = chunk;
      });
      proxyRes.on('end', () => {
        const decoded = decodeBody(Buffer.concat(chunks), proxyRes.headers['content-encoding'] as string | undefined);
        settle({ response: { status: proxyRes.statusCode ?? 502, headers: proxyRes.headers, body: decoded }, clientGone: res.destroyed }, () => {
          if (held) res.end(held);
          else res.end();
        });
      });
      proxyRes.on('error', () => fail(timedOut ? 'timeout' : 'reset'));
      proxyRes.on('close', () => {
        if (!proxyRes.complete) fail(timedOut ? 'timeout' : 'reset');
      });
    });
    proxy.web(
      req,
      res,
      {
        target: target.target,
        changeOrigin: target.changeOrigin,
        buffer: Readable.from([body]),
        selfHandleResponse: true,
        agent: target.target.startsWith('https:') ? opts.agents.https : opts.agents.http,
      },
      () => fail(timedOut ? 'timeout' : 'reset'),
    );
  });
}
