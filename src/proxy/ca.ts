/**
 * mirra's local certificate authority for proxy mode. Clients that reach Twilio through
 * `HTTP_PROXY` (twilio-node, see twilio-api.md §9) start TLS to `api.twilio.com` inside the tunnel,
 * so mirra must present a certificate for that host signed by a CA the client trusts
 * (`NODE_EXTRA_CA_CERTS`, or the system store via `mirra trust`).
 *
 * Keys are ECDSA P-256 from Node's native crypto (about a millisecond, where RSA-2048 took
 * 150–600 ms and made a first `mirra up` slow); signatures come from `crypto.sign`. The certificate
 * structures are RFC 5280's ASN.1 types from `@peculiar/asn1-x509`, the schema layer that
 * `@peculiar/x509` is built on: it loads in about half the time of `@peculiar/x509`, needs no
 * global `Reflect` polyfill, and signing stays synchronous. A CA made by an older mirra (RSA-2048,
 * PKCS#8 PEM) keeps working: leaves are then signed with sha256WithRSAEncryption.
 */
import {
  constants,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  generateKeyPairSync,
  randomBytes,
  sign,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { isIP } from 'node:net';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { promisify } from 'node:util';
import type * as Asn1Schema from '@peculiar/asn1-schema';
import type * as Asn1X509 from '@peculiar/asn1-x509';
import { realTime, type TimeSource } from '../clock';
import { MirraError } from '../errors';

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

const DAY_MS = 24 * 60 * 60 * 1000;
/** Backdating tolerates clients whose clock lags a little behind ours. */
const BACKDATE_MS = DAY_MS;
const CA_LIFETIME_MS = 10 * 365 * DAY_MS;
/** Browsers and Apple clients reject leaf certificates valid for more than 398 days. */
const LEAF_LIFETIME_MS = 365 * DAY_MS;
/** A proxy could be asked for many hosts; bound the cache rather than grow forever. */
const MAX_CACHED_HOSTS = 1000;
/** P-256 (prime256v1): accepted by every TLS client mirra serves, and generated in about a millisecond. */
const EC_CURVE = 'prime256v1';

/** Object identifiers that `@peculiar/asn1-x509` does not export itself. */
const OID = {
  commonName: '2.5.4.3',
  organizationName: '2.5.4.10',
  /** RFC 5758 §3.2; its AlgorithmIdentifier has no parameters. */
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  /** RFC 4055 §5; its AlgorithmIdentifier has NULL parameters. */
  sha256WithRsa: '1.2.840.113549.1.1.11',
} as const;

const generateKeyPairAsync = promisify(generateKeyPair);

/**
 * The ASN.1 libraries, loaded on first use: loading them takes tens of milliseconds, and they are
 * needed only to make certificates (a new CA, or a host's first leaf), not to start a mirror whose
 * CA exists.
 */
let asn1Libs: { schema: typeof Asn1Schema; x509: typeof Asn1X509 } | undefined;
function asn1(): { schema: typeof Asn1Schema; x509: typeof Asn1X509 } {
  asn1Libs ??= {
    schema: require('@peculiar/asn1-schema') as typeof Asn1Schema,
    x509: require('@peculiar/asn1-x509') as typeof Asn1X509,
  };
  return asn1Libs;
}

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

/** Who signs a certificate: the CA's name and key identifier (for the leaf's issuer and AKI) and key. */
interface Issuer {
  name: Asn1X509.Name;
  keyId: Buffer;
  key: KeyObject;
}

async function generateCa(time: TimeSource): Promise<{ certPem: string; keyPem: string }> {
  const { publicKey, privateKey } = await generateKeyPairAsync('ec', { namedCurve: EC_CURVE });
  const now = time.now();
  const { x509: X } = asn1();
  // A random suffix tells apart the CAs of different checkouts in a trust store listing.
  const name = distinguishedName([
    [OID.commonName, `mirra local CA ${randomBytes(4).toString('hex')}`],
    [OID.organizationName, 'mirra'],
  ]);
  const keyId = keyIdentifier(publicKey);
  // Critical basicConstraints/keyUsage plus key identifiers keep OpenSSL's X509_STRICT mode
  // (Python 3.13's default context) satisfied.
  const certPem = issueCertificate({
    subject: name,
    publicKey,
    issuer: { name, keyId, key: privateKey },
    notBefore: now - BACKDATE_MS,
    notAfter: now + CA_LIFETIME_MS,
    extensions: [
      extension(X.id_ce_basicConstraints, true, new X.BasicConstraints({ cA: true })),
      extension(
        X.id_ce_keyUsage,
        true,
        new X.KeyUsage(X.KeyUsageFlags.keyCertSign | X.KeyUsageFlags.cRLSign | X.KeyUsageFlags.digitalSignature),
      ),
      extension(X.id_ce_subjectKeyIdentifier, false, new X.SubjectKeyIdentifier(keyId)),
      extension(X.id_ce_authorityKeyIdentifier, false, new X.AuthorityKeyIdentifier({ keyIdentifier: new X.KeyIdentifier(keyId) })),
    ],
  });
  return { certPem, keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
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
      const { schema, x509: X } = asn1();
      const tbs = schema.AsnConvert.parse(x509.raw, X.Certificate).tbsCertificate;
      // The CA's own subject key identifier when it has one (every mirra CA does), else RFC 5280's method 1.
      const ski = tbs.extensions?.find((e) => e.extnID === X.id_ce_subjectKeyIdentifier);
      const keyId = ski
        ? Buffer.from(schema.AsnConvert.parse(ski.extnValue, X.SubjectKeyIdentifier).buffer)
        : keyIdentifier(x509.publicKey);
      issuer = { name: tbs.subject, keyId, key: caKey };
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
      const leafPem = signLeaf(host, key, caIssuer(), now);
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

function signLeaf(host: string, key: { publicKey: KeyObject; keyId: Buffer }, issuer: Issuer, now: number): string {
  const { x509: X } = asn1();
  // CN is limited to 64 characters; the SAN is what clients check anyway.
  const subject: Array<[string, string]> = [[OID.organizationName, 'mirra']];
  if (host.length <= 64) subject.unshift([OID.commonName, host]);
  const altName = isIP(host) ? new X.GeneralName({ iPAddress: canonicalIp(host) }) : new X.GeneralName({ dNSName: host });
  return issueCertificate({
    subject: distinguishedName(subject),
    publicKey: key.publicKey,
    issuer,
    notBefore: now - BACKDATE_MS,
    notAfter: now + LEAF_LIFETIME_MS,
    extensions: [
      extension(X.id_ce_basicConstraints, true, new X.BasicConstraints({ cA: false })),
      // RFC 5480 §3: keyEncipherment does not apply to an EC key; ECDHE key exchange needs only this.
      extension(X.id_ce_keyUsage, true, new X.KeyUsage(X.KeyUsageFlags.digitalSignature)),
      extension(X.id_ce_extKeyUsage, false, new X.ExtendedKeyUsage([X.id_kp_serverAuth])),
      extension(X.id_ce_subjectAltName, false, new X.SubjectAlternativeName([altName])),
      extension(X.id_ce_subjectKeyIdentifier, false, new X.SubjectKeyIdentifier(key.keyId)),
      extension(X.id_ce_authorityKeyIdentifier, false, new X.AuthorityKeyIdentifier({ keyIdentifier: new X.KeyIdentifier(issuer.keyId) })),
    ],
  });
}

/** Builds, signs (SHA-256 with the issuer's key type) and PEM-encodes one X.509 v3 certificate. */
function issueCertificate(spec: {
  subject: Asn1X509.Name;
  publicKey: KeyObject;
  issuer: Issuer;
  notBefore: number;
  notAfter: number;
  extensions: Asn1X509.Extension[];
}): string {
  const { schema, x509: X } = asn1();
  const algorithmOid = signatureAlgorithmOid(spec.issuer.key);
  const algorithm = () =>
    new X.AlgorithmIdentifier(algorithmOid === OID.sha256WithRsa ? { algorithm: algorithmOid, parameters: null } : { algorithm: algorithmOid });
  const tbsCertificate = new X.TBSCertificate({
    version: X.Version.v3,
    serialNumber: randomSerial(),
    signature: algorithm(),
    issuer: spec.issuer.name,
    subject: spec.subject,
    validity: new X.Validity({ notBefore: new Date(spec.notBefore), notAfter: new Date(spec.notAfter) }),
    subjectPublicKeyInfo: schema.AsnConvert.parse(spec.publicKey.export({ type: 'spki', format: 'der' }), X.SubjectPublicKeyInfo),
    extensions: new X.Extensions(spec.extensions),
  });
  // ECDSA signatures come out DER-encoded and RSA ones PKCS#1 v1.5-padded: what X.509 expects of each.
  const signature = sign('sha256', Buffer.from(schema.AsnConvert.serialize(tbsCertificate)), spec.issuer.key);
  const der = schema.AsnConvert.serialize(
    new X.Certificate({ tbsCertificate, signatureAlgorithm: algorithm(), signatureValue: arrayBuffer(signature) }),
  );
  const base64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`;
}

/** The signature algorithm for a CA key; throws for a key type mirra cannot sign certificates with. */
function signatureAlgorithmOid(key: KeyObject, paths?: CaPaths): string {
  if (key.asymmetricKeyType === 'ec') return OID.ecdsaWithSha256;
  if (key.asymmetricKeyType === 'rsa') return OID.sha256WithRsa;
  const where = paths ? `${paths.keyPath} holds` : 'the CA has';
  const fix = paths ? `remove ${paths.dir} to generate a new CA` : 'make the CA with an EC or RSA key';
  throw new MirraError('MIRRA_ERR_CA_UNAVAILABLE', `${where} a ${key.asymmetricKeyType ?? 'symmetric'} key, but only EC and RSA keys can sign`, fix);
}

/** One single-valued RDN per attribute, values as UTF8String (RFC 5280 §4.1.2.6). */
function distinguishedName(attributes: Array<[type: string, value: string]>): Asn1X509.Name {
  const { x509: X } = asn1();
  return new X.Name(
    attributes.map(
      ([type, value]) => new X.RelativeDistinguishedName([new X.AttributeTypeAndValue({ type, value: new X.AttributeValue({ utf8String: value }) })]),
    ),
  );
}

/** An extension whose extnValue is the DER of `value`. */
function extension(extnID: string, critical: boolean, value: unknown): Asn1X509.Extension {
  const { schema, x509: X } = asn1();
  return new X.Extension({ extnID, critical, extnValue: new schema.OctetString(schema.AsnConvert.serialize(value)) });
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING's value. */
function keyIdentifier(publicKey: KeyObject): Buffer {
  const { schema, x509: X } = asn1();
  const spki = schema.AsnConvert.parse(publicKey.export({ type: 'spki', format: 'der' }), X.SubjectPublicKeyInfo);
  return createHash('sha1').update(Buffer.from(spki.subjectPublicKey)).digest();
}

/**
 * An IP literal in the plain form the ASN.1 library parses: IPv6 with an embedded IPv4 tail
 * (`::ffff:127.0.0.1`) becomes all-hex (`::ffff:7f00:1`), which the WHATWG URL parser does for us.
 */
function canonicalIp(host: string): string {
  return isIP(host) === 6 ? new URL(`http://[${host}]/`).hostname.slice(1, -1) : host;
}

/** Hostnames are case-insensitive and may carry a trailing root dot; one cache entry per name. */
function normaliseHost(hostname: string): string {
  const host = hostname.toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new MirraError('MIRRA_ERR_BAD_REQUEST', 'a TLS certificate was asked for an empty host name', 'CONNECT to a named host (api.twilio.com:443)');
  return host;
}

/** 128 random bits, first byte in 0x40–0x7f: positive and minimally DER-encoded, as RFC 5280 wants. */
function randomSerial(): ArrayBuffer {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x3f) | 0x40;
  return arrayBuffer(bytes);
}

/** A Buffer's bytes as an ArrayBuffer of their own (a small Buffer may be a view into a shared pool). */
function arrayBuffer(buf: Buffer): ArrayBuffer {
  return Uint8Array.from(buf).buffer;
}

function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as NodeJS.ErrnoException).code === code;
}
