/**
 * A threaded in-process mirror: nock intercepts Twilio's hosts in this thread (where the app under
 * test makes its requests) and hands each request to a worker thread of this process, which runs
 * the mirror's app (./worker.ts). Still no port and no proxy; the mirror's modules load with
 * Node's own loader, outside any test runner's sandbox. `mirra/jest` uses this.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { MirraOptions } from '../config';
import { MirraError } from '../errors';
import type { ControlAnswer } from './control';
import type { RecordingSummary } from './recording-summary';
import { inProcessMirraOptions, interceptingMirror, type InterceptingMirror } from './handle';
import { fromWireError, type FromWorker, type ToWorker, type WireResponse, type WorkerData } from './worker-protocol';

/** How long the worker may take to start (loading fastify and friends on a busy CI machine). */
const START_TIMEOUT_MS = 60_000;
/** How long closing may take before the worker is stopped regardless. */
const CLOSE_TIMEOUT_MS = 10_000;

type Pending = { resolve: (value: unknown) => void; reject: (err: Error) => void };
type Request = ToWorker extends infer T ? (T extends { id: number } ? Omit<T, 'id'> : never) : never;

/**
 * The compiled worker script. From `dist/` it sits next to this file; when mirra runs from its
 * TypeScript sources (its own tests), the built copy in `dist/` is used, as a worker thread cannot
 * load TypeScript.
 */
export function workerScript(dir = __dirname): string {
  const beside = join(dir, 'worker.js');
  if (existsSync(beside)) return beside;
  const built = join(dir, '..', '..', 'dist', 'inprocess', 'worker.js');
  if (existsSync(built)) return built;
  throw new MirraError('MIRRA_ERR_INTERNAL', `the in-process worker script is missing (looked for ${beside} and ${built})`, 'build mirra (`npm run build`), or reinstall it');
}

/** Starts a mirror in a worker thread and intercepts Twilio's hosts in this thread. */
export async function startThreadedMirror(opts: MirraOptions & { inProcess?: boolean } = {}): Promise<InterceptingMirror> {
  const data: WorkerData = { mirraInProcessWorker: true, options: inProcessMirraOptions(opts) };
  const worker = new Worker(workerScript(), { workerData: data });
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let exited = false;

  const ready = new Promise<{ main: { id: string; accountSid: string; authToken: string }; token: string | null }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new MirraError('MIRRA_ERR_INTERNAL', `the mirror's worker thread did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    worker.on('message', (msg: FromWorker) => {
      if ('type' in msg) {
        clearTimeout(timer);
        if (msg.type === 'ready') resolve({ main: msg.main, token: msg.token });
        else reject(fromWireError(msg.error));
        return;
      }
      const waiter = pending.get(msg.id);
      if (!waiter) return;
      pending.delete(msg.id);
      if (msg.ok) waiter.resolve(msg.value);
      else waiter.reject(fromWireError(msg.error));
    });
    worker.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
      for (const w of pending.values()) w.reject(err);
      pending.clear();
    });
    worker.on('exit', (code) => {
      exited = true;
      clearTimeout(timer);
      const err = new MirraError('MIRRA_ERR_INTERNAL', `the mirror's worker thread exited (code ${code})`);
      reject(err);
      for (const w of pending.values()) w.reject(err);
      pending.clear();
    });
  });

  const call = <T>(request: Request): Promise<T> => {
    if (exited) {
      return Promise.reject(
        new MirraError('MIRRA_ERR_BAD_REQUEST', "the mirror's worker thread has stopped", "use the mirror only until close(); under Jest, use useMirror()'s handle inside the tests and hooks of the file that called it"),
      );
    }
    const id = ++nextId;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ ...request, id } as ToWorker);
    });
  };

  let started;
  try {
    started = await ready;
  } catch (err) {
    await worker.terminate();
    throw err;
  }
  return interceptingMirror({
    pipeline: async (request) => {
      const res = await call<WireResponse>({ type: 'inject', request });
      return { statusCode: res.statusCode, headers: res.headers, body: Buffer.from(res.body.buffer, res.body.byteOffset, res.body.byteLength) };
    },
    send: (method, path, body) => call<ControlAnswer>({ type: 'control', method, path, body }),
    main: started.main,
    token: started.token,
    listen: () => call<string>({ type: 'listen' }),
    async stop() {
      if (exited) return null;
      const timer = setTimeout(() => void worker.terminate(), CLOSE_TIMEOUT_MS);
      try {
        return await call<RecordingSummary | null>({ type: 'close' });
      } finally {
        clearTimeout(timer);
        await worker.terminate();
      }
    },
  });
}
