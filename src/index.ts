/**
 * mirra's public API: start a mirror from code (tests, scripts) and the types that go with it.
 */
import type { MirraOptions } from './config';
import { createMirror, type Mirror } from './server/mirror';
import type { MirrorEnv } from './server/env';

export type { MirraOptions } from './config';
export type { Mirror } from './server/mirror';
export type { MirrorEnv } from './server/env';
export { computeSignature } from './signing/signature';

/** A started mirror. */
export interface StartedMirror {
  /** Base URL, e.g. `http://127.0.0.1:4010`. */
  url: string;
  port: number;
  accountSid: string;
  authToken: string;
  /** The environment that routes an unchanged SDK to this mirror (default session). */
  env: MirrorEnv;
  mirror: Mirror;
  close(): Promise<void>;
}

/** Starts a mirror listening on `opts.host:opts.port` (port 0 picks a free one). */
export async function startMirror(opts: MirraOptions = {}): Promise<StartedMirror> {
  const mirror = await createMirror(opts);
  const url = await mirror.listen();
  const env = mirror.env();
  return {
    url,
    port: Number(new URL(url).port),
    accountSid: env.TWILIO_ACCOUNT_SID,
    authToken: env.TWILIO_AUTH_TOKEN,
    env,
    mirror,
    close: () => mirror.close(),
  };
}
