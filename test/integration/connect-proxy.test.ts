import { execFile } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import { loadOrCreateCa, type CertificateAuthority } from '../../src/proxy/ca';
import {
  attachConnectProxy,
  isLoopbackAddress,
  parseConnectTarget,
  type ConnectProxyOptions,
} from '../../src/proxy/connect';

const REPO_ROOT = path.resolve(__dirname, '../..');
const ACCOUNT_SID = 'AC00000000000000000000000000000001';

interface Seen {
  url: string;
  host: string | undefined;
  encrypted: boolean;
  authorization: string | undefined;
  socket: net.Socket;
}

let tmp: string;
let ca: CertificateAuthority;
const seen: Seen[] = [];
const warnings: string[] = [];
const servers: net.Server[] = [];

/** A JSON stub standing in for mirra's fastify app, with the CONNECT proxy attached. */
async function startStub(opts: Omit<ConnectProxyOptions, 'ca'> = {}): Promise<number> {
  const server = http.createServer((req, res) => {
    seen.push({
      url: req.url ?? '',
      host: req.headers.host,
      encrypted: (req.socket as tls.TLSSocket).encrypted === true,
      authorization: req.headers.authorization,
      socket: req.socket,
    });
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ sid: ACCOUNT_SID, friendly_name: 'via mirra', status: 'active' }));
  });
  attachConnectProxy(server, { ca, log: { warn: (_o, msg) => warnings.push(msg), debug: () => {} }, ...opts });
  return listen(server);
}

async function listen(server: net.Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

/** Sends a raw CONNECT and resolves once the proxy's response head has arrived. */
function rawConnect(port: number, target: string, headers: string[] = []): Promise<{ status: number; head: string; socket: net.Socket }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', reject);
    let buf = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      socket.pause();
      if (end + 4 < buf.length) socket.unshift(buf.subarray(end + 4));
      const head = buf.subarray(0, end).toString('latin1');
      resolve({ status: Number(head.split(' ')[1]), head, socket });
    };
    socket.on('data', onData);
    socket.write([`CONNECT ${target} HTTP/1.1`, `Host: ${target}`, ...headers, '', ''].join('\r\n'));
  });
}

function readAll(socket: net.Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
    socket.resume();
  });
}

/** Runs the real twilio SDK in a child: NODE_EXTRA_CA_CERTS is only read at process start. */
function runSdk(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = `
    const client = require('twilio')('${ACCOUNT_SID}', 'test-auth-token');
    (async () => {
      const first = await client.api.v2010.accounts('${ACCOUNT_SID}').fetch();
      const second = await client.api.v2010.accounts('${ACCOUNT_SID}').fetch();
      console.log(JSON.stringify({ sid: first.sid, friendlyName: first.friendlyName, again: second.sid }));
    })().catch((err) => { console.error(String(err)); process.exit(1); });`;
  // A clean env: nothing but PATH and what the test sets, so no TWILIO_* or TLS override leaks in.
  const childEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env };
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', script], { cwd: REPO_ROOT, env: childEnv, timeout: 15000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** A client-side view of `raw` minus the proxy's first `n` response bytes, so TLS can start eagerly. */
function skipFirst(raw: net.Socket, n: number): { stream: Duplex; skipped: () => string } {
  let dropped = Buffer.alloc(0);
  const stream = new Duplex({
    read: () => raw.resume(),
    write: (chunk: Buffer, _enc, cb) => raw.write(chunk, cb),
    final: (cb) => raw.end(cb),
  });
  raw.on('data', (chunk: Buffer) => {
    const take = Math.min(n - dropped.length, chunk.length);
    dropped = Buffer.concat([dropped, chunk.subarray(0, take)]);
    if (take < chunk.length) stream.push(chunk.subarray(take));
  });
  raw.on('end', () => stream.push(null));
  raw.on('error', (err) => stream.destroy(err));
  return { stream, skipped: () => dropped.toString('latin1') };
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  for (const start = process.hrtime.bigint(); !condition(); ) {
    if (process.hrtime.bigint() - start > BigInt(timeoutMs) * 1_000_000n) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let stubPort: number;
let echoPort: number;

beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'mirra-connect-'));
  ca = await loadOrCreateCa(tmp);
  stubPort = await startStub();
  echoPort = await listen(net.createServer((s) => s.on('error', () => s.destroy()).pipe(s)));
});

afterAll(async () => {
  for (const server of servers) {
    (server as http.Server).closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
  }
  await fsp.rm(tmp, { recursive: true, force: true });
});

beforeEach(() => {
  seen.length = 0;
  warnings.length = 0;
});

describe('intercepted Twilio hosts', () => {
  it('serves the real twilio SDK, redirected only by HTTP_PROXY and NODE_EXTRA_CA_CERTS', async () => {
    const result = await runSdk({ HTTP_PROXY: `http://127.0.0.1:${stubPort}`, NODE_EXTRA_CA_CERTS: ca.certPath });

    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ sid: ACCOUNT_SID, friendlyName: 'via mirra', again: ACCOUNT_SID });
    expect(seen).toHaveLength(2);
    for (const req of seen) {
      expect(req.host).toBe('api.twilio.com');
      expect(req.encrypted).toBe(true);
      expect(req.url).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}.json`);
      expect(req.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT_SID}:test-auth-token`).toString('base64')}`);
    }
  });

  it('fails the handshake for a client that does not trust the CA, and says why', async () => {
    const result = await runSdk({ HTTP_PROXY: `http://127.0.0.1:${stubPort}` });

    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/certificate/i);
    expect(seen).toHaveLength(0);
    // The child may exit before the server has seen its side of the socket close.
    await waitFor(() => warnings.length > 0);
    expect(warnings.join('\n')).toContain(`NODE_EXTRA_CA_CERTS=${ca.certPath}`);
  });

  it('keeps the decrypted connection alive across requests', async () => {
    const { status, socket } = await rawConnect(stubPort, 'api.twilio.com:443');
    expect(status).toBe(200);
    const secure = tls.connect({ socket, servername: 'api.twilio.com', ca: ca.certPem });
    await new Promise((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
    secure.write('GET /one HTTP/1.1\r\nHost: api.twilio.com\r\n\r\n');
    secure.write('GET /two HTTP/1.1\r\nHost: api.twilio.com\r\nConnection: close\r\n\r\n');

    const text = await readAll(secure);
    expect(text.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
    expect(seen.map((r) => r.url)).toEqual(['/one', '/two']);
    expect(seen[1]!.socket).toBe(seen[0]!.socket);
  });

  it('feeds TLS bytes that arrive together with the CONNECT head into the handshake', async () => {
    const heads: number[] = [];
    const server = servers[0] as http.Server;
    const spy = (_req: http.IncomingMessage, _socket: unknown, head: Buffer) => heads.push(head.length);
    server.prependListener('connect', spy);
    const raw = net.connect(stubPort, '127.0.0.1');
    const established = 'HTTP/1.1 200 Connection Established\r\n\r\n';
    const { stream, skipped } = skipFirst(raw, established.length);
    // Corked, the CONNECT and the ClientHello leave in one write, so the server parses them together.
    raw.cork();
    raw.write('CONNECT api.twilio.com:443 HTTP/1.1\r\nHost: api.twilio.com:443\r\n\r\n');
    const secure = tls.connect({ socket: stream, servername: 'api.twilio.com', ca: ca.certPem });
    setTimeout(() => raw.uncork(), 50);
    // Lost head bytes would stall the handshake forever; fail fast instead.
    const stalled = setTimeout(() => secure.destroy(new Error('handshake stalled')), 5000);
    await new Promise((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
    clearTimeout(stalled);
    secure.end('GET /eager HTTP/1.1\r\nHost: api.twilio.com\r\nConnection: close\r\n\r\n');

    expect(await readAll(secure)).toMatch(/^HTTP\/1\.1 200 OK/);
    server.off('connect', spy);
    expect(skipped()).toBe(established);
    expect(heads[0]).toBeGreaterThan(0);
    expect(seen.map((r) => r.url)).toEqual(['/eager']);
  });

  it('requires the proxy token when one is set, as the SDK sends it from HTTP_PROXY credentials', async () => {
    const port = await startStub({ token: 's3cret' });

    const missing = await rawConnect(port, 'api.twilio.com:443');
    missing.socket.destroy();
    expect(missing.status).toBe(407);
    expect(missing.head).toContain('Proxy-Authenticate: Basic realm="mirra"');
    const wrong = await rawConnect(port, 'api.twilio.com:443', [`Proxy-Authorization: Basic ${Buffer.from('x:nope').toString('base64')}`]);
    wrong.socket.destroy();
    expect(wrong.status).toBe(407);

    const result = await runSdk({ HTTP_PROXY: `http://mirra:s3cret@127.0.0.1:${port}`, NODE_EXTRA_CA_CERTS: ca.certPath });
    expect(result.stderr).toBe('');
    expect(seen.map((r) => r.host)).toEqual(['api.twilio.com', 'api.twilio.com']);
  });
});

describe('other hosts', () => {
  it('tunnels a loopback client to a non-intercepted host', async () => {
    const { status, socket } = await rawConnect(stubPort, `127.0.0.1:${echoPort}`);
    expect(status).toBe(200);
    socket.resume();
    const echoed = new Promise<string>((resolve) => socket.once('data', (c: Buffer) => resolve(c.toString())));
    socket.write('ping');
    expect(await echoed).toBe('ping');
    socket.destroy();
    expect(seen).toHaveLength(0);
  });

  it('answers 403 when allowTunnel refuses', async () => {
    const port = await startStub({ allowTunnel: () => false });
    const { status, socket } = await rawConnect(port, `127.0.0.1:${echoPort}`);
    socket.destroy();
    expect(status).toBe(403);
  });

  it('answers 502 when the tunnel target cannot be reached', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as net.AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    const { status, socket } = await rawConnect(stubPort, `127.0.0.1:${deadPort}`);
    socket.destroy();
    expect(status).toBe(502);
  });

  it('answers 400 to garbage targets and keeps serving', async () => {
    for (const target of ['nonsense', 'example.com:0', 'example.com:99999', 'a..b:443', 'user@example.com:443', '[zz]:443']) {
      const { status, socket } = await rawConnect(stubPort, target);
      socket.destroy();
      expect([target, status]).toEqual([target, 400]);
    }
    const body = await new Promise<string>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: stubPort, path: '/still-alive' }, (res) => {
        let data = '';
        res.on('data', (c: Buffer) => (data += c.toString()));
        res.on('end', () => resolve(data));
      }).on('error', reject);
    });
    expect(JSON.parse(body)).toMatchObject({ sid: ACCOUNT_SID });
  });
});

describe('target and address parsing', () => {
  it('accepts authority-form targets only', () => {
    expect(parseConnectTarget('API.Twilio.com:443')).toEqual({ hostname: 'api.twilio.com', port: 443 });
    expect(parseConnectTarget('[::1]:8443')).toEqual({ hostname: '::1', port: 8443 });
    expect(parseConnectTarget('api.twilio.com')).toBeUndefined();
    expect(parseConnectTarget('http://api.twilio.com:443')).toBeUndefined();
  });

  it('recognises loopback clients, including IPv4-mapped ones', () => {
    expect(isLoopbackAddress('127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('::ffff:127.0.0.2')).toBe(true);
    expect(isLoopbackAddress('::1')).toBe(true);
    expect(isLoopbackAddress('10.0.0.1')).toBe(false);
    expect(isLoopbackAddress(undefined)).toBe(false);
  });
});
