/**
 * Runs a Node script in a child process with a given environment: how tests prove the zero-code
 * route, since NODE_EXTRA_CA_CERTS and HTTP_PROXY are read when a process starts.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** Where the repository's node_modules are, so child scripts can `require('twilio')`. */
export const REPO_ROOT = join(__dirname, '..', '..');

/** Result of a child run. */
export interface ChildResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node -e script` with `env` added to a clean copy of this process's environment. */
export function runNode(script: string, env: Record<string, string | undefined>, timeoutMs = 20000): Promise<ChildResult> {
  return runCommand(process.execPath, ['-e', script], env, timeoutMs);
}

/** Runs any command with `env` added (in `cwd`, the repository by default); resolves with its output and exit code. */
export function runCommand(cmd: string, args: string[], env: Record<string, string | undefined>, timeoutMs = 20000, cwd = REPO_ROOT): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const base = { ...process.env };
    for (const k of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'NODE_EXTRA_CA_CERTS', 'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN']) delete base[k];
    const child = spawn(cmd, args, { cwd, env: { ...base, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} timed out; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

/**
 * Runs `body` (an async function body using `client`, the real SDK built from environment only)
 * in a child process configured by `env` (e.g. a mirror's `env`: HTTP_PROXY, NODE_EXTRA_CA_CERTS,
 * credentials). Resolves with what `body` returns, or `{ error: {status, code, message} }`.
 */
export async function runSdk(env: object, body: string): Promise<any> {
  const script = `
    const twilio = require('twilio');
    const client = twilio();
    (async () => { ${body} })()
      .then((r) => process.stdout.write(JSON.stringify(r === undefined ? null : r)))
      .catch((e) => process.stdout.write(JSON.stringify({ error: { status: e.status, code: e.code, message: e.message } })));
  `;
  const res = await runNode(script, env as Record<string, string | undefined>);
  if (res.code !== 0 || !res.stdout) throw new Error(`SDK child failed (${res.code}): ${res.stderr}`);
  return JSON.parse(res.stdout);
}
