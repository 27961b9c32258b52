/**
 * mirra's local certificate authority for proxy mode. Clients that reach Twilio through
 * `HTTP_PROXY` (twilio-node, see twilio-api.md §9) start TLS to `api.twilio.com` inside the tunnel,
 * so mirra must present a certificate for that host signed by a CA the client trusts
 * (`NODE_EXTRA_CA_CERTS`, or the system store via `mirra trust`).
 *
 * node-forge builds and signs the certificates; key pairs come from Node's native crypto because
 * forge's pure-JS RSA key generation takes seconds.
 */
import { generateKeyPair, generateKeyPairSync, createPublicKey, randomBytes, X509Certificate } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { isIP } from 'node:net';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { promisify } from 'node:util';
import type forge from 'node-forge';
import { realTime, type TimeSource } from '../clock';

/**
 * node-forge, loaded on first use: loading it takes ~50 ms, and it is needed only to make
 * certificates (a new CA, or a host's first leaf), not to start a mirror whose CA exists.
 */
function nodeForge(): typeof forge {
  return require('node-forge') as typeof forge;
}

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

/** Where the CA files live under a data directory. */
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

const DAY_MS = 24 * 60 * 60 * 1000;
/** Backdating tolerates clients whose clock lags a little behind ours. */
const BACKDATE_MS = DAY_MS;
const CA_LIFETIME_MS = 10 * 365 * DAY_MS;
/** Browsers and Apple clients reject leaf certificates valid for more than 398 days. */
const LEAF_LIFETIME_MS = 365 * DAY_MS;
/** A proxy could be asked for many hosts; bound the cache rather than grow forever. */
const MAX_CACHED_HOSTS = 1000;
const RSA_BITS = 2048;

const generateKeyPairAsync = promisify(generateKeyPair);

/**
 * The CA file locations for `dataDir` (`<dataDir>/ca/mirra-ca.pem` and `mirra-ca-key.pem`), made
 * absolute: they end up in NODE_EXTRA_CA_CERTS, which a child resolves against its own cwd.
 */
export function caPaths(dataDir: string): CaPaths {
  const dir = path.resolve(dataDir, 'ca');
  return { dir, certPath: path.join(dir, 'mirra-ca.pem'), keyPath: path.join(dir, 'mirra-ca-key.pem') };
}

/**
 * Loads the CA of `dataDir`, generating it on first use. Concurrent first starts are safe: each
 * writes a complete CA into a private temp directory and renames it into place; a rename that loses
 * the race fails (the target is no longer empty) and that process adopts the winner's files.
 */
export async function loadOrCreateCa(dataDir: string, opts: CaOptions = {}): Promise<CertificateAuthority> {
  const time = opts.time ?? realTime;
  const paths = caPaths(dataDir);
  const existing = await readCaFiles(paths);
  if (existing) return buildCa(paths, existing.certPem, existing.keyPem, time);

  await fsp.mkdir(dataDir, { recursive: true });
  const tmpDir = await fsp.mkdtemp(path.join(dataDir, '.ca-tmp-'));
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
  if (!files) throw new Error(`mirra CA: ${paths.dir} exists but holds no CA; remove that directory and retry`);
  return buildCa(paths, files.certPem, files.keyPem, time);
}

/** Both files, or undefined when neither exists; a half-present CA is an error, not a reason to overwrite. */
async function readCaFiles(paths: CaPaths): Promise<{ certPem: string; keyPem: string } | undefined> {
  const [certPem, keyPem] = await Promise.all([readIfExists(paths.certPath), readIfExists(paths.keyPath)]);
  if (certPem === undefined && keyPem === undefined) return undefined;
  if (certPem === undefined || keyPem === undefined) {
    const missing = certPem === undefined ? paths.certPath : paths.keyPath;
    throw new Error(`mirra CA: ${missing} is missing; remove ${paths.dir} to generate a new CA`);
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
  const { publicKey, privateKey } = await generateKeyPairAsync('rsa', {
    modulusLength: RSA_BITS,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const now = time.now();
  const f = nodeForge();
  const cert = f.pki.createCertificate();
  cert.publicKey = f.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = new Date(now - BACKDATE_MS);
  cert.validity.notAfter = new Date(now + CA_LIFETIME_MS);
  // A random suffix tells apart the CAs of different checkouts in a trust store listing.
  const attrs = [
    { name: 'commonName', value: `mirra local CA ${randomBytes(4).toString('hex')}` },
    { name: 'organizationName', value: 'mirra' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  // Critical basicConstraints/keyUsage plus key identifiers keep OpenSSL's X509_STRICT mode
  // (Python 3.13's default context) satisfied.
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: true },
  ]);
  cert.sign(f.pki.privateKeyFromPem(privateKey), f.md.sha256.create());
  // forge writes CRLF line endings; LF is what the system trust store and other tools expect.
  return { certPem: f.pki.certificateToPem(cert).replace(/\r\n/g, '\n'), keyPem: privateKey };
}

function buildCa(paths: CaPaths, certPem: string, keyPem: string, time: TimeSource): CertificateAuthority {
  const x509 = new X509Certificate(certPem);
  const certSpki = x509.publicKey.export({ type: 'spki', format: 'der' });
  const keySpki = createPublicKey(keyPem).export({ type: 'spki', format: 'der' });
  if (!certSpki.equals(keySpki)) {
    throw new Error(`mirra CA: ${paths.keyPath} does not belong to ${paths.certPath}; remove ${paths.dir}`);
  }
  // Parsed for forge when the first leaf is signed (start-up needs only the native checks above).
  let signer: { caCert: forge.pki.Certificate; caKey: forge.pki.rsa.PrivateKey; caKeyId: string } | undefined;
  const caSigner = () => {
    if (!signer) {
      const f = nodeForge();
      const caCert = f.pki.certificateFromPem(certPem);
      signer = { caCert, caKey: f.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey, caKeyId: caCert.generateSubjectKeyIdentifier().getBytes() };
    }
    return signer;
  };
  const cache = new Map<string, { context: tls.SecureContext; renewAt: number }>();
  let leafKey: { publicKey: forge.pki.PublicKey; privateKeyPem: string } | undefined;

  // One leaf key pair serves every host: generating a key per host would dominate handshake time,
  // and the key never leaves this process.
  const leafKeyPair = () => {
    if (!leafKey) {
      const pair = generateKeyPairSync('rsa', {
        modulusLength: RSA_BITS,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      });
      leafKey = { publicKey: nodeForge().pki.publicKeyFromPem(pair.publicKey), privateKeyPem: pair.privateKey };
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
      const leafPem = signLeaf(host, key.publicKey, caSigner(), now);
      const context = tls.createSecureContext({ key: key.privateKeyPem, cert: leafPem });
      if (!hit && cache.size >= MAX_CACHED_HOSTS) cache.delete(cache.keys().next().value as string);
      cache.set(host, { context, renewAt: now + LEAF_LIFETIME_MS - DAY_MS });
      return context;
    },
  };
}

function signLeaf(
  host: string,
  publicKey: forge.pki.PublicKey,
  ca: { caCert: forge.pki.Certificate; caKey: forge.pki.rsa.PrivateKey; caKeyId: string },
  now: number,
): string {
  const f = nodeForge();
  const cert = f.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = new Date(now - BACKDATE_MS);
  cert.validity.notAfter = new Date(now + LEAF_LIFETIME_MS);
  // CN is limited to 64 characters; the SAN is what clients check anyway.
  const subject = [{ name: 'organizationName', value: 'mirra' }];
  if (host.length <= 64) subject.unshift({ name: 'commonName', value: host });
  cert.setSubject(subject);
  cert.setIssuer(ca.caCert.subject.attributes);
  const altName = isIP(host) ? { type: 7, ip: host } : { type: 2, value: host };
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [altName] },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.caKeyId },
  ]);
  cert.sign(ca.caKey, f.md.sha256.create());
  return f.pki.certificateToPem(cert);
}

/** Hostnames are case-insensitive and may carry a trailing root dot; one cache entry per name. */
function normaliseHost(hostname: string): string {
  const host = hostname.toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new Error('mirra CA: empty hostname');
  return host;
}

/** 128 random bits, first byte in 0x40–0x7f: positive and minimally DER-encoded, as RFC 5280 wants. */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x3f) | 0x40;
  return bytes.toString('hex');
}

function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as NodeJS.ErrnoException).code === code;
}
