/**
 * The handle of a mirror this process's HTTPS clients reach through nock, wherever its app runs
 * (this thread: ./mirror.ts; a worker thread: ./threaded.ts). Kept free of the server's modules, so
 * the side of a threaded mirror that lives in the test's thread loads only nock and this.
 */
import type { MirraOptions } from '../config';
import { expectOk, sessionHandle, type ControlTransport, type SessionHandle } from './control';
import { interceptTwilio, type Pipeline } from './intercept';
import type { RecordingSummary } from './recording-summary';

/** What creating a session of an in-process mirror takes (all optional). */
export interface NewSessionOptions {
  /** 1-64 of `[A-Za-z0-9_-]`; generated when absent. */
  id?: string;
  /** `twilio:NAME`, a seed file, or a seed object; the mirror's own seed when absent. */
  seed?: string | object;
  /** Credentials to accept (an app that reads them from its own config); generated when absent. */
  accountSid?: string;
  authToken?: string;
}

/** A mirror this process's HTTPS clients reach through nock; it is also the handle of its default session. */
export interface InterceptingMirror extends SessionHandle {
  readonly inProcess: true;
  /** Creates another isolated session (another account) of this mirror. */
  createSession(opts?: NewSessionOptions): Promise<SessionHandle>;
  /**
   * Starts listening on 127.0.0.1 (a free port unless `port` was given) so a browser can open the
   * inspector; resolves with its URL (`http://127.0.0.1:PORT/_mirra/`). Interception goes on.
   */
  inspect(): Promise<string>;
  /** Registers the interceptors again if something removed them (a test's `nock.cleanAll()`); true when it had to. */
  ensureIntercepting(): boolean;
  /**
   * Stops intercepting (only this mirror's interceptors are removed) and stops the mirror; a
   * recording mirror writes its cassette and says what it recorded.
   */
  close(): Promise<RecordingSummary | null>;
}

/** The parts an intercepting mirror is made of, wherever its app runs. */
export interface MirrorParts {
  pipeline: Pipeline;
  send: ControlTransport;
  /** The default session. */
  main: { id: string; accountSid: string; authToken: string };
  /** Starts listening; resolves with the base URL. */
  listen(): Promise<string>;
  /** The mirror's control-plane token, when it has one (the inspector's URL carries it). */
  token: string | null;
  /** Stops the mirror (interception is already over). */
  stop(): Promise<RecordingSummary | null>;
}

/** Intercepts Twilio's hosts for `parts` and returns the mirror's handle; stops the mirror if interception cannot start. */
export async function interceptingMirror(parts: MirrorParts): Promise<InterceptingMirror> {
  let interception;
  try {
    interception = interceptTwilio(parts.pipeline);
  } catch (err) {
    await parts.stop();
    throw err;
  }
  const main = sessionHandle(parts.send, parts.main.id, parts.main.accountSid, parts.main.authToken);
  let closed = false;
  let inspectorUrl: string | null = null;
  return {
    ...main,
    inProcess: true,
    async createSession(input = {}) {
      const body = expectOk(await parts.send('POST', '/_mirra/sessions', input), `creating session ${input.id ?? ''}`.trim());
      return sessionHandle(parts.send, body.sessionId, body.accountSid, body.authToken);
    },
    async inspect() {
      inspectorUrl ??= `${await parts.listen()}/_mirra/${parts.token ? `?token=${encodeURIComponent(parts.token)}` : ''}`;
      return inspectorUrl;
    },
    ensureIntercepting: () => interception.ensure(),
    async close() {
      if (closed) return null;
      closed = true;
      interception.close();
      return parts.stop();
    },
  };
}

/**
 * The options an in-process mirror runs with: in memory, a free port for the inspector, and never
 * the CONNECT proxy (nothing needs mirra's CA in-process).
 */
export function inProcessMirraOptions(opts: MirraOptions & { inProcess?: boolean }): MirraOptions {
  const { inProcess: _inProcess, ...options } = opts;
  return { ephemeral: true, port: 0, ...options, proxy: false };
}
