/**
 * mirra's local certificate authority for proxy mode. Clients that reach Twilio through
 * `HTTP_PROXY` (twilio-node, see twilio-api.md §9) start TLS to `api.twilio.com` inside the tunnel,
 * so mirra must present a certificate for that host signed by a CA the client trusts
 * (`NODE_EXTRA_CA_CERTS`, or the system store via `mirra trust`).
 *
 * Keys are ECDSA P-256 from Node's native crypto (about a millisecond, where RSA-2048 took
 * 150–600 ms and made a first `mirra up` slow); the certificates themselves are made in ./x509.ts.
 * A CA made by an older mirra (RSA-2048, PKCS#8 PEM) keeps working: leaves are then signed with
 * sha256WithRSAEncryption.
 */
import { constants, createPrivateKey, createPublicKey, generateKeyPair, generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { promisify } from 'node:util';
import { realTime, type TimeSource } from '../clock';
import { MirraError } from '../errors';
import { caCertificate, DAY_MS, issuerOf, keyIdentifier, leafCertificate, LEAF_LIFETIME_MS, signatureAlgorithmOid, type Issuer } from './x509';

/** A CA on disk plus a factory of per-host TLS contexts signed by it. */
export interface CertificateAuthority {
  /** PEM certificate of the CA: what clients must trust. */
  certPath: string;
  /** PEM private key of the CA (mode 0600). */
  keyPath: string;
  /** The CA certificate itself, PEM. */
  certPem: string;
  /** SHA-256 of the DER certificate, upper-case hex pairs joined by colons ("AB:CD:..."). */
  fingerprint256: string;
  /** A TLS context whose leaf certificate names `hostname`, signed by this CA; cached per host. */
  secureContextFor(hostname: string): tls.SecureContext;
}

/** Where the files of a CA live. */
export interface CaPaths {
  dir: string;
  certPath: string;
  keyPath: string;
}

/** Options of {@link loadOrCreateCa}. */
export interface CaOptions {
  /**
   * Time used for certificate validity. Clients check certificates against the real wall clock,
   * so this must be real time (never a session's virtual clock); injectable for tests.
   */
  time?: TimeSource;
}

/** A proxy could be asked for many hosts; bound the cache rather than grow forever. */
const MAX_CACHED_HOSTS = 1000;
/** P-256 (prime256v1): accepted by every TLS client mirra serves, and generated in about a millisecond. */
const EC_CURVE = 'prime256v1';

const generateKeyPairAsync = promisify(generateKeyPair);

/** The certificate's file name in a CA directory (what clients trust). */
export const CA_CERT_FILE = 'mirra-ca.pem';
/** The private key's file name in a CA directory (mode 0600). */
export const CA_KEY_FILE = 'mirra-ca-key.pem';

/**
 * The CA file locations in `caDir`, made absolute: they end up in NODE_EXTRA_CA_CERTS, which a
 * child resolves against its own cwd.
 */
export function caPathsIn(caDir: string): CaPaths {
  const dir = path.resolve(caDir);
  return { dir, certPath: path.join(dir, CA_CERT_FILE), keyPath: path.join(dir, CA_KEY_FILE) };
}

/** The CA file locations of a data dir's own CA (`<dataDir>/ca/`), where mirra kept it before one CA per user. */
export function caPaths(dataDir: string): CaPaths {
  return caPathsIn(path.join(dataDir, 'ca'));
}

/** The CA in `caDir`, or undefined when there is none; never creates anything (`mirra trust --print`). */
export async function loadCa(caDir: string, opts: CaOptions = {}): Promise<CertificateAuthority | undefined> {
  const paths = caPathsIn(caDir);
  try {
    const files = await readCaFiles(paths);
    return files ? buildCa(paths, files.certPem, files.keyPem, opts.time ?? realTime) : undefined;
  } catch (err) {
    throw unavailable(err);
  }
}

/** Loads the CA of a data dir (`<dataDir>/ca/`), generating it on first use; see {@link loadOrCreateCaIn}. */
export function loadOrCreateCa(dataDir: string, opts: CaOptions = {}): Promise<CertificateAuthority> {
  return loadOrCreateCaIn(path.join(dataDir, 'ca'), opts);
}

/**
 * Loads the CA in `caDir`, generating it on first use. Concurrent first starts are safe: each
 * writes a complete CA into a private temp directory beside `caDir` and renames it into place; a
 * rename that loses the race fails (the target is no longer empty) and that process adopts the
 * winner's files.
 */
export async function loadOrCreateCaIn(caDir: string, opts: CaOptions = {}): Promise<CertificateAuthority> {
  try {
    return await loadOrCreate(caPathsIn(caDir), opts.time ?? realTime);
  } catch (err) {
    throw unavailable(err);
  }
}

/** A CA that cannot be read or made: mirra's error, naming the way out (`--ca-dir`). */
function unavailable(err: unknown): MirraError {
  return err instanceof MirraError ? err : new MirraError('MIRRA_ERR_CA_UNAVAILABLE', err instanceof Error ? err.message : String(err));
}

async function loadOrCreate(paths: CaPaths, time: TimeSource): Promise<CertificateAuthority> {
  const existing = await readCaFiles(paths);
  if (existing) return buildCa(paths, existing.certPem, existing.keyPem, time);

  const parent = path.dirname(paths.dir);
  await fsp.mkdir(parent, { recursive: true });
  const tmpDir = await fsp.mkdtemp(path.join(parent, '.ca-tmp-'));
  try {
    const { certPem, keyPem } = await generateCa(time);
    await fsp.writeFile(path.join(tmpDir, path.basename(paths.keyPath)), keyPem, { mode: 0o600 });
    await fsp.writeFile(path.join(tmpDir, path.basename(paths.certPath)), certPem, { mode: 0o644 });
    // mkdtemp makes the directory 0700; the certificate must stay readable by other users
    // (e.g. a CI job that only needs NODE_EXTRA_CA_CERTS). The key keeps its own 0600.
    await fsp.chmod(tmpDir, 0o755);
    try {
      await fsp.rename(tmpDir, paths.dir);
    } catch (err) {
      if (!isErrno(err, 'ENOTEMPTY') && !isErrno(err, 'EEXIST')) throw err;
    }
  } finally {
    await fsp.rm(tmpDir, { recursive: true, force: true });
  }
  const files = await readCaFiles(paths);
  if (!files) throw new MirraError('MIRRA_ERR_CA_UNAVAILABLE', `${paths.dir} holds other files but no CA`, 'point --ca-dir (or MIRRA_CA_DIR) at an empty or new directory');
  return buildCa(paths, files.certPem, files.keyPem, time);
}

/** Both files, or undefined when neither exists; a half-present CA is an error, not a reason to overwrite. */
async function readCaFiles(paths: CaPaths): Promise<{ certPem: string; keyPem: string } | undefined> {
  const [certPem, keyPem] = await Promise.all([readIfExists(paths.certPath), readIfExists(paths.keyPath)]);
  if (certPem === undefined && keyPem === undefined) return undefined;
  if (certPem === undefined || keyPem === undefined) {
    const missing = certPem === undefined ? paths.certPath : paths.keyPath;
    throw new MirraError('MIRRA_ERR_CA_UNAVAILABLE', `${missing} is missing`, `remove ${paths.dir} to generate a new CA (then trust it again: \`mirra trust\`)`);
  }
  return { certPem, keyPem };
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fsp.readFile(file, 'utf8');
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return undefined;
    throw err;
  }
}

async function generateCa(time: TimeSource): Promise<{ certPem: string; keyPem: string }> {
  const { publicKey, privateKey } = await generateKeyPairAsync('ec', { namedCurve: EC_CURVE });
  return { certPem: caCertificate(publicKey, privateKey, time.now()), keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

function buildCa(paths: CaPaths, certPem: string, keyPem: string, time: TimeSource): CertificateAuthority {
  const x509 = new X509Certificate(certPem);
  const caKey = createPrivateKey(keyPem);
  const certSpki = x509.publicKey.export({ type: 'spki', format: 'der' });
  const keySpki = createPublicKey(caKey).export({ type: 'spki', format: 'der' });
  if (!certSpki.equals(keySpki)) {
    throw new MirraError('MIRRA_ERR_CA_UNAVAILABLE', `${paths.keyPath} does not belong to ${paths.certPath}`, `remove ${paths.dir} to generate a new CA (then trust it again: \`mirra trust\`)`);
  }
  // Fail at start-up, not at the first CONNECT, on a key this module cannot sign with.
  signatureAlgorithmOid(caKey, paths);
  // Parsed when the first leaf is signed (start-up needs only the native checks above).
  let issuer: Issuer | undefined;
  const caIssuer = (): Issuer => {
    if (!issuer) {
      issuer = issuerOf(x509, caKey);
    }
    return issuer;
  };
  const cache = new Map<string, { context: tls.SecureContext; renewAt: number }>();
  let leafKey: { publicKey: KeyObject; keyId: Buffer; privateKeyPem: string } | undefined;

  // One leaf key pair serves every host: generating a key per host would only cost handshake time,
  // and the key never leaves this process.
  const leafKeyPair = () => {
    if (!leafKey) {
      const pair = generateKeyPairSync('ec', { namedCurve: EC_CURVE });
      leafKey = {
        publicKey: pair.publicKey,
        keyId: keyIdentifier(pair.publicKey),
        privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
      };
    }
    return leafKey;
  };

  return {
    certPath: paths.certPath,
    keyPath: paths.keyPath,
    certPem,
    fingerprint256: x509.fingerprint256,
    secureContextFor(hostname: string): tls.SecureContext {
      const host = normaliseHost(hostname);
      const now = time.now();
      const hit = cache.get(host);
      if (hit && now < hit.renewAt) return hit.context;
      const key = leafKeyPair();
      const leafPem = leafCertificate(host, key, caIssuer(), now);
      // No session tickets: the clients of proxy mode do not resume (twilio-node's proxy agent opens
      // a fresh CONNECT and a full handshake per request; requests and urllib3 keep their tunnel),
      // so minting two tickets per handshake was ~8% of its server CPU spent for nothing.
      const context = tls.createSecureContext({ key: key.privateKeyPem, cert: leafPem, secureOptions: constants.SSL_OP_NO_TICKET });
      if (!hit && cache.size >= MAX_CACHED_HOSTS) cache.delete(cache.keys().next().value as string);
      cache.set(host, { context, renewAt: now + LEAF_LIFETIME_MS - DAY_MS });
      return context;
    },
  };
}

/** Hostnames are case-insensitive and may carry a trailing root dot; one cache entry per name. */
function normaliseHost(hostname: string): string {
  const host = hostname.toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new MirraError('MIRRA_ERR_BAD_REQUEST', 'a TLS certificate was asked for an empty host name', 'CONNECT to a named host (api.twilio.com:443)');
  return host;
}

function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as NodeJS.ErrnoException).code === code;
}
