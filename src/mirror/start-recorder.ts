/**
 * `mirra record`'s mirror: the same mirror as `mirra up`, with the record stage in its request
 * pipeline (src/record/recording.ts) — one server, one control plane, one CONNECT/TLS path with
 * the same token rules. Listening, it answers a recording run's clients; stopped, it writes the
 * cassette.
 */
import type { TimeSource } from '../clock';
import type { MirrorEnv } from '../server/env';
import type { Recorder } from '../record/recorder';
import type { RecordOptions, RecordResult } from '../record/recording';
import type { RecordPlan } from '../record/modes';
import type { Cassette } from '../cassette/types';
import type { Store } from '../store/store';
import { createMirror } from './create-mirror';

/** Options of {@link startRecorder}: what to record, and where the mirror listens. */
export interface RecorderOptions extends RecordOptions {
  host?: string;
  /** Port; 0 picks a free one. Default 4010. */
  port?: number;
  /** The working store (LMDB). Default `.mirra`. */
  dataDir?: string;
  /** Where mirra's CA is (see `MirraOptions.caDir`). */
  caDir?: string;
  /** Serve CONNECT (proxy mode). Default true. */
  proxy?: boolean;
  /** Token the control plane and the proxy require beyond loopback (as `mirra up`'s). */
  token?: string;
  /** Use this store instead of LMDB in `dataDir` (tests). */
  store?: Store;
  time?: TimeSource;
  /** The level of the request log. Default silent. */
  logLevel?: 'silent' | 'error' | 'warn' | 'info' | 'debug';
}

/** A running recording. */
export interface RunningRecorder {
  url: string;
  port: number;
  /** The environment that routes an unchanged SDK through the mirror (no credentials: the app keeps its own). */
  env: MirrorEnv;
  recorder: Recorder;
  /** What this run does (record mode applied to whether the file existed). */
  plan: RecordPlan;
  /** The existing cassette requests are answered from (`once` on an existing file, `new`, `none`). */
  base?: Cassette;
  /** Where the text form will be written. */
  file: string;
  /** Stops taking requests and writes the text form (unless the plan keeps the file). */
  stop(): Promise<RecordResult>;
}

/** Starts a mirror that records `opts.cassette`. */
export async function startRecorder(opts: RecorderOptions): Promise<RunningRecorder> {
  const { host, port, dataDir, caDir, proxy, token, store, time, logLevel, ...record } = opts;
  const mirror = await createMirror({ host, port: port ?? 4010, dataDir, caDir, proxy, token, time, logLevel, record }, { store });
  const url = await mirror.listen();
  const recording = mirror.recording!;
  let stopped: Promise<RecordResult> | undefined;
  return {
    url,
    port: Number(new URL(url).port),
    env: mirror.env(),
    recorder: recording.recorder(),
    plan: recording.plan,
    base: recording.base,
    file: recording.file,
    stop: () => (stopped ??= mirror.close().then((r) => r!)),
  };
}
