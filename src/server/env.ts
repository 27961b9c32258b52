/**
 * The environment a client needs to reach a mirror with no code change (issue: zero-code routing):
 * credentials, the proxy, and trust for mirra's CA.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where a system CA bundle usually lives (Debian/Ubuntu first). */
const SYSTEM_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'];

/**
 * Writes `<caDir>/bundle.pem`: the system's roots plus mirra's CA, for clients whose CA setting
 * replaces the defaults (REQUESTS_CA_BUNDLE), so tunnelled non-Twilio HTTPS keeps working.
 */
export function writeCombinedBundle(caDir: string, caPem: string): string {
  const system = SYSTEM_BUNDLES.find((p) => existsSync(p));
  const bundle = join(caDir, 'bundle.pem');
  const text = (system ? readFileSync(system, 'utf8').trimEnd() + '\n' : '') + caPem.trimEnd() + '\n';
  if (!existsSync(bundle) || readFileSync(bundle, 'utf8') !== text) {
    // Every mirror of the user shares this file (one CA per user): replace it whole, never half-written.
    const tmp = `${bundle}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, bundle);
  }
  return bundle;
}

/** What `mirra env` prints for one session (a recording mirror leaves the app its own credentials). */
export interface MirrorEnv {
  TWILIO_ACCOUNT_SID?: string;
  TWILIO_AUTH_TOKEN?: string;
  HTTP_PROXY: string;
  HTTPS_PROXY: string;
  NO_PROXY: string;
  NODE_EXTRA_CA_CERTS?: string;
  REQUESTS_CA_BUNDLE?: string;
  MIRRA_URL: string;
  MIRRA_TOKEN?: string;
}

/** Where clients find mirra's CA: the certificate itself and the system bundle with it. */
export interface TrustPaths {
  caPath: string | null;
  bundlePath: string | null;
}

/**
 * The environment for a client of the mirror at `url`: the session's credentials (none for a
 * recording mirror: the app keeps its own), the proxy (with the token in its URL when there is
 * one), and trust for the CA.
 */
export function mirrorEnv(url: string, credentials: { accountSid: string; authToken: string } | null, trust: TrustPaths, token: string | null = null): MirrorEnv {
  const { caPath, bundlePath } = trust;
  // With a token, proxy clients authenticate in the proxy URL (twilio-node passes it on CONNECT).
  const proxy = token ? url.replace('://', `://mirra:${encodeURIComponent(token)}@`) : url;
  const env: MirrorEnv = {
    ...(credentials ? { TWILIO_ACCOUNT_SID: credentials.accountSid, TWILIO_AUTH_TOKEN: credentials.authToken } : {}),
    HTTP_PROXY: proxy,
    HTTPS_PROXY: proxy,
    NO_PROXY: 'localhost,127.0.0.1',
    MIRRA_URL: url,
  };
  if (caPath) env.NODE_EXTRA_CA_CERTS = caPath;
  if (bundlePath) env.REQUESTS_CA_BUNDLE = bundlePath;
  if (token) env.MIRRA_TOKEN = token;
  return env;
}

/** `export K='v'` lines for a POSIX shell. */
export function toShell(env: Record<string, string | undefined>): string {
  return Object.entries(env)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `export ${k}='${String(v).replace(/'/g, `'\\''`)}'`)
    .join('\n');
}
