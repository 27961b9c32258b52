/**
 * A stand-in voice app for tests: answers TwiML per path (a string, or a function of the request's
 * params), records every request it gets (TwiML fetches, actions, status callbacks) with its
 * signature, and answers 404 for paths it does not know.
 */
import http from 'node:http';
import { listenLocal } from './listen';
import { parseForm, type Received } from './receiver';

/** What a route answers: TwiML text, or a full answer. */
export type Answer = string | { status?: number; body?: string; type?: string };

/** A running stand-in app. */
export interface TwimlApp {
  url: string;
  received: Received[];
  /** Answers requests to `path` (its query string ignored). */
  route(path: string, answer: Answer | ((params: Record<string, string | string[]>, req: Received) => Answer)): void;
  /** Requests to `path` so far. */
  at(path: string): Received[];
  close(): Promise<void>;
}

/** Starts a stand-in app on 127.0.0.1. */
export async function startTwimlApp(): Promise<TwimlApp> {
  const routes = new Map<string, (params: Record<string, string | string[]>, req: Received) => Answer>();
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://x');
      const params = req.method === 'GET' ? parseForm(url.search.slice(1)) : parseForm(raw);
      const got: Received = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw, params };
      received.push(got);
      const handler = routes.get(url.pathname);
      const answer: Answer = handler ? handler(params, got) : { status: 404, body: 'not found', type: 'text/plain' };
      const a = typeof answer === 'string' ? { body: answer } : answer;
      res.writeHead(a.status ?? 200, { 'content-type': a.type ?? 'text/xml' });
      res.end(a.body ?? '');
    });
  });
  const { url, close } = await listenLocal(server);
  return {
    url,
    received,
    route(path, answer) {
      routes.set(path, typeof answer === 'function' ? answer : () => answer);
    },
    at(path) {
      return received.filter((r) => r.path.split('?')[0] === path);
    },
    close,
  };
}
