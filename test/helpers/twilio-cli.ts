/**
 * Finding twilio-cli (npm `twilio-cli`, 6.x) for the tests that run it. It is ~175 MB of
 * dependencies, so it is not a dev dependency: tests run it when it is found
 * (MIRRA_TWILIO_CLI=/path/to/twilio, else `twilio` on PATH reporting twilio-cli) and skip otherwise.
 * Shared by test/e2e/twilio-cli.test.ts and test/e2e/examples.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Keeps the CLI offline and away from the user's own setup: a fresh HOME (no ~/.twilio-cli
 * profiles), no background self-update or npm version check, no outer CA or proxy variables.
 */
export function quietEnv(home: string): Record<string, string | undefined> {
  return {
    HOME: home,
    TWILIO_DISABLE_AUTOUPDATE: '1',
    TWILIO_SKIP_NEW_VERSION_CHECK: 'true',
    TWILIO_API_KEY: undefined,
    TWILIO_API_SECRET: undefined,
    TWILIO_REGION: undefined,
    TWILIO_EDGE: undefined,
    SSL_CERT_FILE: undefined,
    SSL_CERT_DIR: undefined,
    NO_PROXY: undefined,
    no_proxy: undefined,
  };
}

/** The twilio-cli binary, or why there is none. */
export function findTwilioCli(): { bin: string } | { missing: string } {
  const bin = process.env.MIRRA_TWILIO_CLI || 'twilio';
  const home = mkdtempSync(join(tmpdir(), 'mirra-twcli-probe-'));
  try {
    const version = execFileSync(bin, ['--version'], { stdio: 'pipe', timeout: 30_000, env: { ...process.env, ...definedOnly(quietEnv(home)) } }).toString();
    if (!/twilio-cli\//.test(version)) return { missing: `\`${bin} --version\` is not twilio-cli (${version.trim()})` };
    return { bin };
  } catch {
    return { missing: `twilio-cli not found (\`npm install -g twilio-cli\`, or set MIRRA_TWILIO_CLI=/path/to/twilio)` };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}
