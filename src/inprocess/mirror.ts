/**
 * An in-process mirror for tests: no port, no proxy, no CA. The unchanged `twilio` SDK (or any
 * HTTPS client) in this process reaches it because nock intercepts Twilio's hosts and hands each
 * request to the mirror's app (./intercept.ts, ./pipeline.ts). Callbacks go to the app's URLs over
 * the network as usual. State is in memory unless a data directory is asked for.
 *
 * The app runs in this thread (`startInProcessMirror`) or in a worker thread of this process
 * (`startThreadedMirror`, ./threaded.ts, which is what `mirra/jest` uses); both give the same
 * handle, built here.
 */
import type { MirraOptions } from '../config';
import { MirraError } from '../errors';
import { createMirror, type Mirror } from '../mirror/create-mirror';
import { sessionHandle, type ControlTransport, type SessionHandle } from './control';
import { inProcessMirraOptions, interceptingMirror, type InterceptingMirror } from './handle';
import { recordingSummary } from './recording-summary';

export type { InterceptingMirror, NewSessionOptions } from './handle';

/** Options of an in-process mirror: a mirror's options, with `inProcess: true`. */
export interface InProcessOptions extends MirraOptions {
  inProcess: true;
}

/** An in-process mirror whose app runs in this thread. */
export interface InProcessMirror extends InterceptingMirror {
  readonly mirror: Mirror;
  /** The handle of an existing session. */
  session(id: string): SessionHandle;
}

/**
 * Loads fastify's inject machinery now, so that a test runner that cannot load it (Jest on Node
 * before 24.9 cannot `require` the ESM-only `cookie` that light-my-request uses) fails at start
 * with the fix rather than at the first intercepted request.
 */
async function warmUp(mirror: Mirror): Promise<void> {
  try {
    await mirror.control('GET', '/_mirra/health');
  } catch (err) {
    const message = (err as Error).message ?? String(err);
    if (!/Must use import to load ES Module/.test(message)) throw err;
    throw new MirraError(
      'MIRRA_ERR_BAD_REQUEST',
      "this test runner cannot load fastify's inject (Jest before Node 24.9 cannot require the ESM-only `cookie`)",
      "use useMirror() from 'mirra/jest', which runs the mirror in a worker thread, or let Jest compile cookie (transformIgnorePatterns: ['/node_modules/(?!(cookie)/)'])",
    );
  }
}

/** Starts an in-process mirror in this thread and intercepts Twilio's hosts in this process. */
export async function startInProcessMirror(opts: InProcessOptions): Promise<InProcessMirror> {
  const mirror = await createMirror(inProcessMirraOptions(opts));
  try {
    await warmUp(mirror);
  } catch (err) {
    await mirror.close();
    throw err;
  }
  const send: ControlTransport = (method, path, body) => mirror.control(method, path, body);
  const handle = await interceptingMirror({
    pipeline: (request) => mirror.inject(request),
    send,
    main: mirror.session(),
    listen: () => mirror.listen(),
    token: mirror.options.token,
    stop: async () => recordingSummary(await mirror.close()),
  });
  return {
    ...handle,
    mirror,
    session(id: string) {
      const s = mirror.session(id);
      return sessionHandle(send, s.id, s.accountSid, s.authToken);
    },
  };
}
