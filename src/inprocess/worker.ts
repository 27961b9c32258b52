/**
 * The worker thread of a threaded in-process mirror: it builds the mirror (in memory, no proxy)
 * and serves the messages of ./worker-protocol.ts with the same pipeline as everywhere else —
 * `app.inject` for intercepted requests and control-plane calls. Callbacks leave from this thread
 * over the network, straight to the app's receiver.
 *
 * Running here, outside any test runner's module sandbox, the mirror loads with Node's own loader
 * (Jest's cannot load fastify's ESM-only dependencies before Node 24.9) and keeps real timers when
 * a test fakes them.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createMirror, type Mirror } from '../mirror/create-mirror';
import { recordingSummary } from './recording-summary';
import { toWireError, type FromWorker, type ToWorker, type WorkerData } from './worker-protocol';

async function serve(mirror: Mirror, msg: ToWorker): Promise<FromWorker & { id: number }> {
  try {
    if (msg.type === 'inject') {
      const res = await mirror.inject(msg.request);
      return { id: msg.id, ok: true, value: { statusCode: res.statusCode, headers: res.headers, body: new Uint8Array(res.body) } };
    }
    if (msg.type === 'control') return { id: msg.id, ok: true, value: await mirror.control(msg.method, msg.path, msg.body) };
    if (msg.type === 'listen') return { id: msg.id, ok: true, value: mirror.url() || (await mirror.listen()) };
    return { id: msg.id, ok: true, value: recordingSummary(await mirror.close()) };
  } catch (err) {
    return { id: msg.id, ok: false, error: toWireError(err) };
  }
}

/** Runs the worker's side (only inside a worker started by ./threaded.ts). */
export async function runWorker(port = parentPort, data = workerData as WorkerData): Promise<void> {
  if (!port) return;
  let mirror: Mirror;
  try {
    mirror = await createMirror(data.options);
  } catch (err) {
    port.postMessage({ type: 'failed', error: toWireError(err) } satisfies FromWorker);
    return;
  }
  const main = mirror.session();
  port.on('message', (msg: ToWorker) => {
    void serve(mirror, msg).then((answer) => {
      port.postMessage(answer);
      if (msg.type === 'close') port.close();
    });
  });
  port.postMessage({ type: 'ready', main: { id: main.id, accountSid: main.accountSid, authToken: main.authToken }, token: mirror.options.token } satisfies FromWorker);
}

if (!isMainThread && (workerData as Partial<WorkerData> | null)?.mirraInProcessWorker === true) void runWorker();
