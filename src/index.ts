/**
 * mirra's public API: start a mirror from code (tests, scripts) and the types that go with it.
 */
import type { MirraOptions } from './config';
import { createMirror, type Mirror } from './mirror/create-mirror';
import type { MirrorEnv } from './server/env';
import { startInProcessMirror, type InProcessMirror, type InProcessOptions } from './inprocess';

export type { MirraOptions } from './config';
export type { Mirror, SessionInfo } from './mirror/create-mirror';
export { startRecorder, type RecorderOptions, type RunningRecorder } from './mirror/start-recorder';
export type { RecordOptions, RecordResult } from './record/recording';
export type { MirrorEnv } from './server/env';
export { computeSignature } from './signing/signature';
export {
  ControlError,
  interceptTwilio,
  startInProcessMirror,
  startThreadedMirror,
  TWILIO_ORIGIN,
  type ClockAnswer,
  type ControlAnswer,
  type InProcessMirror,
  type InProcessOptions,
  type Interception,
  type InterceptingMirror,
  type NewSessionOptions,
  type ReceivedMessage,
  type SessionHandle,
} from './inprocess';

/** A started mirror. */
export interface StartedMirror {
  /** Base URL, e.g. `http://127.0.0.1:4010`. */
  url: string;
  port: number;
  /** The default session's credentials ('' for a recording mirror, whose app keeps its own). */
  accountSid: string;
  authToken: string;
  /** The environment that routes an unchanged SDK to this mirror (default session). */
  env: MirrorEnv;
  mirror: Mirror;
  close(): Promise<void>;
}

/**
 * Starts a mirror listening on `opts.host:opts.port` (port 0 picks a free one) — or, with
 * `inProcess: true`, a mirror with no port that this process's unchanged `twilio` SDK reaches
 * through nock (tests; see docs/inprocess-inspector.md).
 */
export function startMirror(opts: InProcessOptions): Promise<InProcessMirror>;
export function startMirror(opts?: MirraOptions): Promise<StartedMirror>;
export async function startMirror(opts: MirraOptions | InProcessOptions = {}): Promise<StartedMirror | InProcessMirror> {
  if ((opts as InProcessOptions).inProcess === true) return startInProcessMirror(opts as InProcessOptions);
  const mirror = await createMirror(opts);
  const url = await mirror.listen();
  const env = mirror.env();
  return {
    url,
    port: Number(new URL(url).port),
    accountSid: env.TWILIO_ACCOUNT_SID ?? '',
    authToken: env.TWILIO_AUTH_TOKEN ?? '',
    env,
    mirror,
    close: async () => {
      await mirror.close();
    },
  };
}
