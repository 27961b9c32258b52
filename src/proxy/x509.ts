/**
 * The X.509 certificates of mirra's CA (./ca.ts): the CA's own, self-signed, and one leaf a host,
 * built as RFC 5280's ASN.1 types from `@peculiar/asn1-x509` (the schema layer `@peculiar/x509` is
 * built on: it loads in about half the time, needs no global `Reflect` polyfill, and signing stays
 * synchronous) and signed with `crypto.sign`: SHA-256 with ECDSA, or RSA for an older mirra's CA.
 */
import { createHash, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import type * as Asn1Schema from '@peculiar/asn1-schema';
import type * as Asn1X509 from '@peculiar/asn1-x509';
import { MirraError } from '../errors';

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Backdating tolerates clients whose clock lags a little behind ours. */
const BACKDATE_MS = DAY_MS;
const CA_LIFETIME_MS = 10 * 365 * DAY_MS;
/** Browsers and Apple clients reject leaf certificates valid for more than 398 days. */
export const LEAF_LIFETIME_MS = 365 * DAY_MS;

/** Object identifiers that `@peculiar/asn1-x509` does not export itself. */
const OID = {
  commonName: '2.5.4.3',
  organizationName: '2.5.4.10',
  /** RFC 5758 §3.2; its AlgorithmIdentifier has no parameters. */
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  /** RFC 4055 §5; its AlgorithmIdentifier has NULL parameters. */
  sha256WithRsa: '1.2.840.113549.1.1.11',
} as const;

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

/** Who signs a certificate: the CA's name and key identifier (for the leaf's issuer and AKI) and key. */
export interface Issuer {
  name: Asn1X509.Name;
  keyId: Buffer;
  key: KeyObject;
}

/** The CA's self-signed certificate (PEM) for its key pair, valid from (a little before) `now`. */
export function caCertificate(publicKey: KeyObject, privateKey: KeyObject, now: number): string {
  const { x509: X } = asn1();
  // A random suffix tells apart the CAs of different checkouts in a trust store listing.
  const name = distinguishedName([
    [OID.commonName, `mirra local CA ${randomBytes(4).toString('hex')}`],
    [OID.organizationName, 'mirra'],
  ]);
  const keyId = keyIdentifier(publicKey);
  // Critical basicConstraints/keyUsage plus key identifiers keep OpenSSL's X509_STRICT mode
  // (Python 3.13's default context) satisfied.
  return issueCertificate({
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
}

/** Who a CA certificate says signs: its subject and key identifier, with its key. */
export function issuerOf(certificate: X509Certificate, key: KeyObject): Issuer {
  const { schema, x509: X } = asn1();
  const tbs = schema.AsnConvert.parse(certificate.raw, X.Certificate).tbsCertificate;
  // The CA's own subject key identifier when it has one (every mirra CA does), else RFC 5280's method 1.
  const ski = tbs.extensions?.find((e) => e.extnID === X.id_ce_subjectKeyIdentifier);
  const keyId = ski ? Buffer.from(schema.AsnConvert.parse(ski.extnValue, X.SubjectKeyIdentifier).buffer) : keyIdentifier(certificate.publicKey);
  return { name: tbs.subject, keyId, key };
}

/** A server certificate (PEM) for `host` (a DNS name or an IP literal), signed by `issuer`. */
export function leafCertificate(host: string, key: { publicKey: KeyObject; keyId: Buffer }, issuer: Issuer, now: number): string {
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
export function signatureAlgorithmOid(key: KeyObject, paths?: { keyPath: string; dir: string }): string {
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
export function keyIdentifier(publicKey: KeyObject): Buffer {
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
