/**
 * A local webhook receiver for tests: records every request (raw body and parsed form) and answers
 * with a configurable status and body.
 */
import http from 'node:http';
import { listenLocal } from './listen';

/** One received webhook. */
export interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
  params: Record<string, string | string[]>;
}

/** A running receiver. */
export interface Receiver {
  /** Base URL, e.g. http://127.0.0.1:PORT */
  url: string;
  port: number;
  received: Received[];
  /** Sets how the next requests are answered. */
  respond(status: number, body?: string, contentType?: string): void;
  /** Resolves once `n` requests have arrived (rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** Parses a form body, keeping repeated keys as arrays. */
export function parseForm(raw: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** Starts a receiver on 127.0.0.1 (a given port, e.g. to come back up where it was, or 0). */
export async function startReceiver(port = 0): Promise<Receiver> {
  let status = 200;
  let body = '';
  let type = 'text/plain';
  const received: Received[] = [];
  const waiters: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw, params: parseForm(raw) });
      res.writeHead(status, { 'content-type': type });
      res.end(body);
      waiters.splice(0).forEach((w) => w());
    });
  });
  const { url, port: actual, close } = await listenLocal(server, port);
  return {
    url,
    port: actual,
    received,
    respond(s, b = '', t = 'text/plain') {
      status = s;
      body = b;
      type = t;
    },
    waitFor(n, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${n} webhooks, got ${received.length}`)), timeoutMs);
        const check = () => {
          if (received.length >= n) {
            clearTimeout(timer);
            resolve(received.slice(0, n));
          } else waiters.push(check);
        };
        check();
      });
    },
    close,
  };
}
