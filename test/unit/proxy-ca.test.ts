import { createHash, generateKeyPairSync, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import * as asn1 from '@peculiar/asn1-x509';
import { caPaths, loadOrCreateCa, type CertificateAuthority } from '../../src/proxy/ca';

const DAY_MS = 24 * 60 * 60 * 1000;
const SERVER_AUTH_OID = '1.3.6.1.5.5.7.3.1';
const ECDSA_SHA256_OID = '1.2.840.10045.4.3.2';
const RSA_SHA256_OID = '1.2.840.113549.1.1.11';

let tmp: string;
beforeEach(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'mirra-ca-'));
});
afterEach(async () => {
  await fsp.rm(tmp, { recursive: true, force: true });
});

/** Completes a real TLS handshake against `ca.secureContextFor` and returns the leaf the client saw. */
async function leafSeenByClient(
  ca: CertificateAuthority,
  servername: string,
  clientOpts: tls.ConnectionOptions = {},
): Promise<X509Certificate> {
  // Wrap raw sockets the way the CONNECT proxy does (tls.Server ignores a `secureContext` option).
  const server = net.createServer((raw) => {
    const socket = new tls.TLSSocket(raw, {
      isServer: true,
      secureContext: ca.secureContextFor(servername),
      SNICallback: (name, cb) => cb(null, ca.secureContextFor(name)),
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as net.AddressInfo;
    return await new Promise<X509Certificate>((resolve, reject) => {
      // Default verification (chain to `ca` + hostname check) must pass for the handshake to succeed.
      // Node sends no SNI for an IP literal and then checks the IP SAN against `host`.
      const sni = net.isIP(servername) ? {} : { servername };
      const socket = tls.connect({ host: '127.0.0.1', port, ...sni, ca: ca.certPem, ...clientOpts }, () => {
        const leaf = socket.getPeerX509Certificate();
        socket.destroy();
        if (leaf) resolve(leaf);
        else reject(new Error('no peer certificate'));
      });
      socket.on('error', reject);
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/** The certificate's ASN.1 structure, for what node:crypto's X509Certificate does not show. */
function parseCert(cert: X509Certificate): asn1.Certificate {
  return AsnConvert.parse(cert.raw, asn1.Certificate);
}

function extensionOf(cert: asn1.Certificate, oid: string): asn1.Extension {
  const ext = cert.tbsCertificate.extensions?.find((e) => e.extnID === oid);
  if (!ext) throw new Error(`no extension ${oid}`);
  return ext;
}

/**
 * Writes into `<dataDir>/ca` a CA the way mirra made them before ECDSA: RSA-2048, PKCS#8 PEM key,
 * sha256WithRSAEncryption, PrintableString names, the same extensions.
 */
async function writeLegacyRsaCa(dataDir: string): Promise<{ certPem: string; key: KeyObject }> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = AsnConvert.parse(publicKey.export({ type: 'spki', format: 'der' }), asn1.SubjectPublicKeyInfo);
  const keyId = createHash('sha1').update(Buffer.from(spki.subjectPublicKey)).digest();
  const rdn = (type: string, value: string) =>
    new asn1.RelativeDistinguishedName([new asn1.AttributeTypeAndValue({ type, value: new asn1.AttributeValue({ printableString: value }) })]);
  const name = new asn1.Name([rdn('2.5.4.3', 'mirra local CA 0123abcd'), rdn('2.5.4.10', 'mirra')]);
  const ext = (extnID: string, critical: boolean, value: unknown) =>
    new asn1.Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
  const algorithm = () => new asn1.AlgorithmIdentifier({ algorithm: RSA_SHA256_OID, parameters: null });
  const now = Date.now();
  const tbsCertificate = new asn1.TBSCertificate({
    version: asn1.Version.v3,
    serialNumber: new Uint8Array([0x41, 0x02, 0x03, 0x04]).buffer,
    signature: algorithm(),
    issuer: name,
    subject: name,
    validity: new asn1.Validity({ notBefore: new Date(now - DAY_MS), notAfter: new Date(now + 3650 * DAY_MS) }),
    subjectPublicKeyInfo: spki,
    extensions: new asn1.Extensions([
      ext(asn1.id_ce_basicConstraints, true, new asn1.BasicConstraints({ cA: true })),
      ext(asn1.id_ce_keyUsage, true, new asn1.KeyUsage(asn1.KeyUsageFlags.keyCertSign | asn1.KeyUsageFlags.cRLSign | asn1.KeyUsageFlags.digitalSignature)),
      ext(asn1.id_ce_subjectKeyIdentifier, false, new asn1.SubjectKeyIdentifier(keyId)),
    ]),
  });
  const signature = sign('sha256', Buffer.from(AsnConvert.serialize(tbsCertificate)), privateKey);
  const der = AsnConvert.serialize(
    new asn1.Certificate({ tbsCertificate, signatureAlgorithm: algorithm(), signatureValue: Uint8Array.from(signature).buffer }),
  );
  const certPem = new X509Certificate(Buffer.from(der)).toString();
  const paths = caPaths(dataDir);
  await fsp.mkdir(paths.dir, { recursive: true });
  await fsp.writeFile(paths.keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  await fsp.writeFile(paths.certPath, certPem, { mode: 0o644 });
  return { certPem, key: privateKey };
}

describe('loadOrCreateCa', () => {
  it('creates the CA once under <dataDir>/ca and reuses it on later loads', async () => {
    const dataDir = path.join(tmp, 'data');
    const first = await loadOrCreateCa(dataDir);
    const second = await loadOrCreateCa(dataDir);

    expect(first.certPath).toBe(path.join(dataDir, 'ca', 'mirra-ca.pem'));
    expect(first.keyPath).toBe(path.join(dataDir, 'ca', 'mirra-ca-key.pem'));
    expect(second.fingerprint256).toBe(first.fingerprint256);
    expect(second.certPem).toBe(first.certPem);
    expect(first.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect((await fsp.stat(first.keyPath)).mode & 0o777).toBe(0o600);
    expect(await fsp.readFile(first.certPath, 'utf8')).toBe(first.certPem);
  });

  it('writes a 10-year CA certificate that may sign certificates', async () => {
    const ca = await loadOrCreateCa(tmp);
    const cert = new X509Certificate(ca.certPem);
    expect(cert.ca).toBe(true);
    expect(cert.subject).toMatch(/^CN=mirra local CA [0-9a-f]{8}$/m);
    expect(cert.checkIssued(cert)).toBe(true);
    const lifetime = Date.parse(cert.validTo) - Date.parse(cert.validFrom);
    expect(lifetime).toBeGreaterThanOrEqual(10 * 365 * DAY_MS);
    expect(cert.fingerprint256).toBe(ca.fingerprint256);
  });

  it('makes a new CA with an ECDSA P-256 key, CA constraints and a 0600 key file', async () => {
    const ca = await loadOrCreateCa(tmp);
    const cert = new X509Certificate(ca.certPem);
    expect(cert.publicKey.asymmetricKeyType).toBe('ec');
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect((await fsp.stat(ca.keyPath)).mode & 0o777).toBe(0o600);
    expect((await fsp.stat(ca.certPath)).mode & 0o777).toBe(0o644);
    expect((await fsp.readFile(ca.keyPath, 'utf8')).startsWith('-----BEGIN PRIVATE KEY-----\n')).toBe(true);

    const parsed = parseCert(cert);
    expect(parsed.signatureAlgorithm.algorithm).toBe(ECDSA_SHA256_OID);
    const basic = extensionOf(parsed, asn1.id_ce_basicConstraints);
    expect(basic.critical).toBe(true);
    expect(AsnConvert.parse(basic.extnValue, asn1.BasicConstraints).cA).toBe(true);
    const usage = extensionOf(parsed, asn1.id_ce_keyUsage);
    expect(usage.critical).toBe(true);
    expect(AsnConvert.parse(usage.extnValue, asn1.KeyUsage).toJSON()).toEqual(expect.arrayContaining(['keyCertSign', 'crlSign']));
    const ski = AsnConvert.parse(extensionOf(parsed, asn1.id_ce_subjectKeyIdentifier).extnValue, asn1.SubjectKeyIdentifier);
    expect(ski.byteLength).toBe(20);
  });

  it('lets concurrent first starts agree on one CA and leaves no temp directories', async () => {
    const dataDir = path.join(tmp, 'race');
    const cas = await Promise.all([loadOrCreateCa(dataDir), loadOrCreateCa(dataDir), loadOrCreateCa(dataDir)]);
    const onDisk = new X509Certificate(await fsp.readFile(caPaths(dataDir).certPath));
    for (const ca of cas) expect(ca.fingerprint256).toBe(onDisk.fingerprint256);
    expect(await fsp.readdir(dataDir)).toEqual(['ca']);
  });

  it('loads an RSA CA made by an older mirra as it is and signs ECDSA leaves with it', async () => {
    const legacy = await writeLegacyRsaCa(tmp);
    const ca = await loadOrCreateCa(tmp);
    expect(ca.certPem).toBe(legacy.certPem);
    expect(await fsp.readFile(ca.certPath, 'utf8')).toBe(legacy.certPem);

    const caCert = new X509Certificate(ca.certPem);
    const leaf = await leafSeenByClient(ca, 'api.twilio.com');
    expect(leaf.verify(caCert.publicKey)).toBe(true);
    expect(leaf.checkIssued(caCert)).toBe(true);
    expect(leaf.checkHost('api.twilio.com')).toBe('api.twilio.com');
    expect(leaf.publicKey.asymmetricKeyType).toBe('ec');
    const parsed = parseCert(leaf);
    expect(parsed.signatureAlgorithm.algorithm).toBe(RSA_SHA256_OID);
    // The issuer name is the CA's subject byte for byte, PrintableString included.
    expect(Buffer.from(AsnConvert.serialize(parsed.tbsCertificate.issuer))).toEqual(
      Buffer.from(AsnConvert.serialize(parseCert(caCert).tbsCertificate.subject)),
    );
  });

  it('refuses a CA key that does not belong to the certificate', async () => {
    await loadOrCreateCa(tmp);
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    await fsp.writeFile(caPaths(tmp).keyPath, other.export({ type: 'pkcs8', format: 'pem' }));
    await expect(loadOrCreateCa(tmp)).rejects.toThrow(/does not belong to/);
  });

  it('refuses a half-present CA instead of silently replacing it', async () => {
    const ca = await loadOrCreateCa(tmp);
    await fsp.unlink(ca.keyPath);
    await expect(loadOrCreateCa(tmp)).rejects.toThrow(/mirra-ca-key\.pem is missing/);
  });
});

describe('secureContextFor', () => {
  it('serves a leaf for the host, signed by the CA, valid for less than 398 days', async () => {
    const ca = await loadOrCreateCa(tmp);
    const leaf = await leafSeenByClient(ca, 'api.twilio.com');

    expect(leaf.checkIssued(new X509Certificate(ca.certPem))).toBe(true);
    expect(leaf.subjectAltName).toBe('DNS:api.twilio.com');
    expect(leaf.ca).toBe(false);
    expect(leaf.keyUsage).toContain(SERVER_AUTH_OID);
    const lifetime = Date.parse(leaf.validTo) - Date.parse(leaf.validFrom);
    expect(lifetime).toBeLessThan(398 * DAY_MS);
  });

  it('signs an ECDSA P-256 leaf that chains to the CA and names the host', async () => {
    const ca = await loadOrCreateCa(tmp);
    const caCert = new X509Certificate(ca.certPem);
    const leaf = await leafSeenByClient(ca, 'api.twilio.com');

    expect(leaf.verify(caCert.publicKey)).toBe(true);
    expect(leaf.checkHost('api.twilio.com')).toBe('api.twilio.com');
    expect(leaf.checkHost('verify.twilio.com')).toBeUndefined();
    expect(leaf.publicKey.asymmetricKeyType).toBe('ec');
    expect(leaf.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(leaf.issuer).toBe(caCert.subject);

    const parsed = parseCert(leaf);
    expect(parsed.signatureAlgorithm.algorithm).toBe(ECDSA_SHA256_OID);
    const aki = AsnConvert.parse(extensionOf(parsed, asn1.id_ce_authorityKeyIdentifier).extnValue, asn1.AuthorityKeyIdentifier);
    const caSki = AsnConvert.parse(extensionOf(parseCert(caCert), asn1.id_ce_subjectKeyIdentifier).extnValue, asn1.SubjectKeyIdentifier);
    expect(Buffer.from(aki.keyIdentifier!.buffer)).toEqual(Buffer.from(caSki.buffer));
    expect(extensionOf(parsed, asn1.id_ce_basicConstraints).critical).toBe(true);
    expect(AsnConvert.parse(extensionOf(parsed, asn1.id_ce_extKeyUsage).extnValue, asn1.ExtendedKeyUsage)).toEqual([SERVER_AUTH_OID]);
  });

  it('caches one context per host and shares one key pair across hosts', async () => {
    const ca = await loadOrCreateCa(tmp);
    expect(ca.secureContextFor('api.twilio.com')).toBe(ca.secureContextFor('API.twilio.com.'));
    expect(ca.secureContextFor('verify.twilio.com')).not.toBe(ca.secureContextFor('api.twilio.com'));

    const api = await leafSeenByClient(ca, 'api.twilio.com');
    const verify = await leafSeenByClient(ca, 'verify.twilio.com');
    expect(verify.subjectAltName).toBe('DNS:verify.twilio.com');
    expect(verify.publicKey.export({ type: 'spki', format: 'der' })).toEqual(
      api.publicKey.export({ type: 'spki', format: 'der' }),
    );
  });

  it('names IP literals in an IP SAN', async () => {
    const ca = await loadOrCreateCa(tmp);
    const leaf = await leafSeenByClient(ca, '127.0.0.1');
    expect(leaf.subjectAltName).toBe('IP Address:127.0.0.1');
  });

  it('names IPv6 literals, IPv4-mapped ones included, in an IP SAN', async () => {
    const ca = await loadOrCreateCa(tmp);
    // The test server listens on 127.0.0.1, so skip the client's own host check and check the SAN here.
    const noHostCheck = { checkServerIdentity: () => undefined };
    const v6 = await leafSeenByClient(ca, '::1', noHostCheck);
    expect(v6.checkIP('::1')).toBe('::1');
    const mapped = await leafSeenByClient(ca, '[::ffff:127.0.0.1]', noHostCheck);
    expect(mapped.checkIP('::ffff:7f00:1')).toBe('::ffff:7f00:1');
  });

  it('takes validity from the injected time source and renews leaves before they expire', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const ca = await loadOrCreateCa(tmp, { time: { now: () => now } });
    expect(Date.parse(new X509Certificate(ca.certPem).validFrom)).toBe(now - DAY_MS);

    const first = ca.secureContextFor('api.twilio.com');
    now += 300 * DAY_MS;
    expect(ca.secureContextFor('api.twilio.com')).toBe(first);
    now += 64 * DAY_MS;
    expect(ca.secureContextFor('api.twilio.com')).not.toBe(first);
  });
});
