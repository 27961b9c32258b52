/**
 * One HTTP attempt of a webhook delivery, with Twilio's connect and read timeouts, classifying the
 * outcome so the retry policy can decide.
 */
import http from 'node:http';
import https from 'node:https';
import type { RetryClass } from './overrides';

/** What one attempt produced. */
export interface AttemptResult {
  /** HTTP status, when a response arrived. */
  statusCode?: number;
  /** Response body (truncated), e.g. TwiML of an inbound webhook. */
  body?: string;
  contentType?: string;
  /** Failure class for the retry policy; undefined on a 2xx. */
  failure?: RetryClass;
  error?: string;
  /**
   * What went wrong, for the Twilio code of the failure (failure-codes.ts): Node's error code
   * (`ENOTFOUND`, `ECONNREFUSED`, `CERT_HAS_EXPIRED`…) or `CONNECT_TIMEOUT` / `READ_TIMEOUT` / `INVALID_URL`.
   */
  errno?: string;
  /** `Set-Cookie` headers of the response, if any. */
  setCookies?: string[];
  durationMs: number;
}

/** A request to send. */
export interface AttemptRequest {
  url: string;
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  body?: string;
  connectTimeoutMs: number;
  readTimeoutMs: number;
}

const MAX_BODY = 64 * 1024;
// No keep-alive: Twilio opens a connection per webhook, and idle sockets would outlive a stopped mirror.
const agentOptions = { keepAlive: false, maxSockets: 64 };
const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };

/** Performs one attempt; never rejects. `started` is a monotonic reading used only for durations. */
export function attempt(req: AttemptRequest, started: () => number): Promise<AttemptResult> {
  const t0 = started();
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: Omit<AttemptResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(readTimer);
      resolve({ ...r, durationMs: Math.round(started() - t0) });
    };
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      resolve({ failure: 'ct', error: 'invalid URL', errno: 'INVALID_URL', durationMs: 0 });
      return;
    }
    const mod = url.protocol === 'https:' ? https : http;
    const outgoing = mod.request(url, {
      method: req.method,
      headers: req.headers,
      agent: url.protocol === 'https:' ? agents.https : agents.http,
    });
    let readTimer: NodeJS.Timeout | undefined;
    const connectTimer = setTimeout(() => {
      outgoing.destroy();
      done({ failure: 'ct', error: `connect timeout after ${req.connectTimeoutMs} ms`, errno: 'CONNECT_TIMEOUT' });
    }, req.connectTimeoutMs);
    const startRead = () => {
      clearTimeout(connectTimer);
      readTimer = setTimeout(() => {
        outgoing.destroy();
        done({ failure: 'rt', error: `read timeout after ${req.readTimeoutMs} ms`, errno: 'READ_TIMEOUT' });
      }, req.readTimeoutMs);
    };
    outgoing.on('socket', (socket) => {
      if (!socket.connecting) startRead();
      else socket.once('connect', startRead);
    });
    outgoing.on('error', (err: NodeJS.ErrnoException) => {
      // Refused, reset or unreachable with no response: a connection failure ("ct" in Twilio's
      // terms). Only a receiver that stays silent past the read timeout is an "rt" failure.
      done({ failure: 'ct', error: err.code ?? err.message, errno: err.code });
    });
    outgoing.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < MAX_BODY) chunks.push(c);
        size += c.length;
      });
      res.on('error', (err: NodeJS.ErrnoException) => done({ statusCode: res.statusCode, failure: 'rt', error: err.message, errno: err.code ?? 'ECONNRESET' }));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const failure: RetryClass | undefined = status >= 500 ? '5xx' : status >= 400 ? '4xx' : undefined;
        done({
          statusCode: status,
          body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY),
          contentType: res.headers['content-type'],
          setCookies: res.headers['set-cookie'],
          failure,
        });
      });
    });
    if (req.body !== undefined) outgoing.end(req.body);
    else outgoing.end();
  });
}
