import { X509Certificate } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { caPaths, loadOrCreateCa, type CertificateAuthority } from '../../src/proxy/ca';

const DAY_MS = 24 * 60 * 60 * 1000;
const SERVER_AUTH_OID = '1.3.6.1.5.5.7.3.1';

let tmp: string;
beforeEach(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'mirra-ca-'));
});
afterEach(async () => {
  await fsp.rm(tmp, { recursive: true, force: true });
});

/** Completes a real TLS handshake against `ca.secureContextFor` and returns the leaf the client saw. */
async function leafSeenByClient(ca: CertificateAuthority, servername: string): Promise<X509Certificate> {
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
      const socket = tls.connect({ host: '127.0.0.1', port, ...sni, ca: ca.certPem }, () => {
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

  it('lets concurrent first starts agree on one CA and leaves no temp directories', async () => {
    const dataDir = path.join(tmp, 'race');
    const cas = await Promise.all([loadOrCreateCa(dataDir), loadOrCreateCa(dataDir), loadOrCreateCa(dataDir)]);
    const onDisk = new X509Certificate(await fsp.readFile(caPaths(dataDir).certPath));
    for (const ca of cas) expect(ca.fingerprint256).toBe(onDisk.fingerprint256);
    expect(await fsp.readdir(dataDir)).toEqual(['ca']);
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
