/**
 * Runs one of `examples/*` as its README says: `node server.js` with the mirror's environment
 * (`mirra env`) and PORT=0, and none of the caller's own proxy or Twilio settings.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** A running example app. */
export interface ExampleApp {
  url: string;
  /** What it printed so far (stdout and stderr). */
  log(): string;
  stop(): Promise<void>;
}

const INHERITED_SETTINGS = ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'NODE_EXTRA_CA_CERTS', 'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'PUBLIC_URL', 'HOST'];

/** Starts `server.js` in `dir` with `env` (a MirrorEnv, plus the app's own settings) on top; resolves once it says `listening on <url>`. */
export async function startExampleApp(dir: string, env: object): Promise<ExampleApp> {
  const base = { ...process.env };
  for (const k of INHERITED_SETTINGS) delete base[k];
  const child: ChildProcess = spawn(process.execPath, ['server.js'], { cwd: dir, env: { ...base, ...(env as Record<string, string | undefined>), PORT: '0' } });
  let log = '';
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the app did not start: ${log}`)), 10_000);
    child.stderr!.on('data', (d) => (log += d));
    child.stdout!.on('data', (d) => {
      log += d;
      const m = /listening on (http:\/\/\S+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`the app exited (${code}): ${log}`)));
  }).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  return { url, log: () => log, stop };
}
