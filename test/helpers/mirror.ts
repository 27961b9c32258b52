/**
 * Starts a mirror for a test: port 0 on 127.0.0.1, a temp data dir, in-memory state unless asked
 * otherwise; gives a real `twilio` SDK client in base-URL mode and control-plane helpers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import twilio from 'twilio';
import type { MirraOptions } from '../../src/config';
import { startMirror, type StartedMirror } from '../../src/index';

/** A mirror started for one test file. */
export interface TestMirror extends StartedMirror {
  dataDir: string;
  /** A real SDK client whose API, Verify and Messaging domains point at the mirror. */
  client(accountSid?: string, authToken?: string): twilio.Twilio;
  /** JSON request to the control plane (or any path); returns status and parsed body. */
  control(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Request to the Twilio API with Basic auth; `form` is sent form-encoded. */
  api(method: string, path: string, form?: Record<string, string | string[]>, auth?: [string, string]): Promise<{ status: number; body: any; headers: Headers; text: string }>;
  /** Advances the default session's clock and waits for the resulting deliveries. */
  advance(ms: number, session?: string): Promise<void>;
  /** The default session's clock reading (epoch ms). */
  now(): Promise<number>;
  /** One resource as the inspector shows it (`messages`, `verifications`), or null when unknown. */
  inspect(resource: string, sid: string): Promise<any>;
}

/** A fresh temp directory. */
export function tempDir(prefix = 'mirra-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Points an SDK client's domains at `url` (base-URL mode). */
export function pointAt(client: twilio.Twilio, url: string): twilio.Twilio {
  client.api.baseUrl = url;
  client.verify.baseUrl = url;
  client.messaging.baseUrl = url;
  return client;
}

/** Starts a test mirror (ephemeral, port 0, frozen clock unless the seed says otherwise). */
export async function startTestMirror(opts: MirraOptions = {}): Promise<TestMirror> {
  const dataDir = opts.dataDir ?? tempDir();
  const started = await startMirror({ ephemeral: true, port: 0, host: '127.0.0.1', ...opts, dataDir });
  const basic = (sid: string, token: string) => 'Basic ' + Buffer.from(`${sid}:${token}`).toString('base64');
  const host = new URL(started.url).host;
  // The helpers' requests go through the app without a socket (the same routes, hooks and
  // pipeline), with the Host a socket client would send; tests about sockets use fetch themselves.
  // A recording mirror keeps the socket: an injected request would be an in-process recording's.
  const send = async (method: string, path: string, headers: Record<string, string>, body: string | undefined) => {
    if (opts.record !== undefined) {
      const res = await fetch(started.url + path, { method, headers, body });
      return { status: res.status, headers: res.headers, text: await res.text() };
    }
    const res = await started.mirror.inject({ method, host, path, headers: { host, ...headers }, body: body ?? '' });
    const out = new Headers();
    for (const [k, v] of Object.entries(res.headers)) for (const one of Array.isArray(v) ? v : [v]) out.append(k, one);
    return { status: res.statusCode, headers: out, text: res.body.toString('utf8') };
  };
  const tm: TestMirror = {
    ...started,
    dataDir,
    client: (sid = started.accountSid, token = started.authToken) => pointAt(twilio(sid, token), started.url),
    async control(method, path, body) {
      const res = await send(method, path, body === undefined ? {} : { 'content-type': 'application/json' }, body === undefined ? undefined : JSON.stringify(body));
      const text = res.text;
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    async api(method, path, form, auth = [started.accountSid, started.authToken]) {
      const body = form ? new URLSearchParams(Object.entries(form).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v] as [string, string]]))).toString() : undefined;
      const res = await send(method, path, { authorization: basic(auth[0], auth[1]), ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) }, body);
      let parsed: any = null;
      try {
        parsed = res.text ? JSON.parse(res.text) : null;
      } catch {
        parsed = res.text;
      }
      return { status: res.status, body: parsed, headers: res.headers, text: res.text };
    },
    async advance(ms, session) {
      const q = session ? `?session=${session}` : '';
      const r = await tm.control('POST', `/_mirra/clock${q}`, { advanceMs: ms });
      if (r.status !== 200) throw new Error(`advance failed: ${JSON.stringify(r.body)}`);
    },
    async now() {
      return (await tm.control('GET', '/_mirra/clock')).body.nowMs as number;
    },
    async inspect(resource, sid) {
      const r = await tm.control('GET', `/_mirra/inspect/${resource}/${sid}`);
      return r.status === 200 ? r.body[resource.replace(/s$/, '')] : null;
    },
    async close() {
      await started.close();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return tm;
}
