/**
 * The messages between a threaded in-process mirror (./threaded.ts, the test's thread) and the
 * worker thread that runs its app (./worker.ts). Every request carries an `id`; the answer with
 * the same `id` resolves it. Values are structured-cloned (a Buffer arrives as a Uint8Array).
 */
import type { MirraOptions } from '../config';
import type { ControlAnswer, TransportRequest } from '../core/transport';
import type { RecordingSummary } from './recording-summary';

/** `workerData` of the mirror's worker thread. */
export interface WorkerData {
  mirraInProcessWorker: true;
  options: MirraOptions;
}

/** From the test's thread to the worker. */
export type ToWorker =
  | { id: number; type: 'inject'; request: TransportRequest }
  | { id: number; type: 'control'; method: string; path: string; body?: unknown }
  | { id: number; type: 'listen' }
  | { id: number; type: 'close' };

/** An intercepted request's answer as it crosses threads. */
export interface WireResponse {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body: Uint8Array;
}

/** From the worker to the test's thread. */
export type FromWorker =
  | { type: 'ready'; main: { id: string; accountSid: string; authToken: string }; token: string | null }
  | { type: 'failed'; error: WireError }
  | { id: number; ok: true; value: WireResponse | ControlAnswer | RecordingSummary | string | null }
  | { id: number; ok: false; error: WireError };

/** An error as it crosses threads (its class does not). */
export interface WireError {
  name: string;
  message: string;
  code?: string;
  stack?: string;
}

/** An error for the wire. */
export function toWireError(err: unknown): WireError {
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: e.name, message: e.message, code: (e as { code?: string }).code, stack: e.stack };
}

/** The wire error as an Error of this thread (name, code and the worker's stack kept). */
export function fromWireError(w: WireError): Error {
  const err = new Error(w.message) as Error & { code?: string };
  err.name = w.name;
  if (w.code !== undefined) err.code = w.code;
  if (w.stack) err.stack = w.stack;
  return err;
}
