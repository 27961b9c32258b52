/**
 * The CONNECT side of proxy mode. twilio-node honours only `HTTP_PROXY` and opens
 * `CONNECT api.twilio.com:443` through it (twilio-api.md §9); mirra answers 200, terminates the TLS
 * inside the tunnel with a certificate from its own CA, and hands the decrypted socket to the same
 * HTTP server, so the ordinary request handler serves it like any other request (with
 * `req.socket.encrypted === true` and `Host: api.twilio.com`). No mode logic lives here.
 *
 * Other hosts get a blind byte tunnel, by default only for loopback clients, so pointing a whole
 * test process at mirra does not break its unrelated HTTPS calls while mirra is no open relay.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type * as http from 'node:http';
import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import type { CertificateAuthority } from './ca';

/** The subset of a pino/fastify logger the proxy uses; pass `app.log`. */
export interface ProxyLogger {
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

/** Options of {@link attachConnectProxy}. */
export interface ConnectProxyOptions {
  ca: CertificateAuthority;
  /** hosts whose TLS we terminate and serve ourselves; default: host === 'twilio.com' or ends with '.twilio.com' */
  isInterceptedHost?: (hostname: string) => boolean;
  /** may this client open a blind tunnel to a non-intercepted host? default: only when the client's remote address is loopback */
  allowTunnel?: (req: http.IncomingMessage, hostname: string, port: number) => boolean;
  /** optional proxy token: when set, CONNECT must carry `Proxy-Authorization: Basic base64(any:TOKEN)` else 407 */
  token?: string;
  /** where socket and handshake failures are reported; silent when absent */
  log?: ProxyLogger;
}

/** A parsed `CONNECT host:port` target; IPv6 hosts come without brackets. */
export interface ConnectTarget {
  hostname: string;
  port: number;
}

/** Default interception rule: Twilio's own hosts, including regional/edge ones (api.dublin.ie1.twilio.com). */
export function isTwilioHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'twilio.com' || host.endsWith('.twilio.com');
}

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped IPv6 forms. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return (net.isIPv4(v4) && v4.startsWith('127.')) || address === '::1';
}

const DNS_NAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/i;

/** True for a DNS name or an IP literal (no brackets) that a certificate or a dial can name. */
export function isValidHostname(hostname: string): boolean {
  return net.isIP(hostname) !== 0 || DNS_NAME.test(hostname);
}

/** Parses the request-target of a CONNECT (RFC 9110 §9.3.6: authority-form `host:port`). */
export function parseConnectTarget(target: string): ConnectTarget | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s/@]+)):(\d{1,5})$/.exec(target);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  if (m[1] !== undefined) return net.isIPv6(m[1]) ? { hostname: m[1].toLowerCase(), port } : undefined;
  const hostname = m[2].toLowerCase().replace(/\.$/, '');
  return isValidHostname(hostname) ? { hostname, port } : undefined;
}

/** Checks `Proxy-Authorization: Basic base64(user:token)`; the user part is ignored. */
export function hasProxyToken(header: string | undefined, token: string): boolean {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return false;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  // Compare digests so the comparison is constant-time whatever the lengths.
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(decoded.slice(colon + 1)), digest(token));
}

/**
 * Makes `server` an HTTP proxy for CONNECT: intercepted hosts are served by `server`'s own request
 * handler over TLS terminated here; other hosts are tunnelled when `allowTunnel` agrees.
 * Call once, before `listen`; plain requests to `server` are unaffected.
 */
export function attachConnectProxy(server: http.Server, opts: ConnectProxyOptions): void {
  const isIntercepted = opts.isInterceptedHost ?? isTwilioHost;
  const allowTunnel = opts.allowTunnel ?? ((req: http.IncomingMessage) => isLoopbackAddress(req.socket.remoteAddress));

  server.on('connect', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node removes its own listeners before handing the socket over; an unhandled 'error' would crash.
    socket.on('error', (err) => opts.log?.debug({ err, target: req.url }, 'mirra proxy: client socket error'));
    if (opts.token !== undefined && !hasProxyToken(req.headers['proxy-authorization'], opts.token)) {
      reply(socket, 407, 'Proxy Authentication Required', 'mirra: this proxy needs Proxy-Authorization: Basic base64(any:TOKEN)', [
        'Proxy-Authenticate: Basic realm="mirra"',
      ]);
      return;
    }
    const target = parseConnectTarget(req.url ?? '');
    if (!target) {
      reply(socket, 400, 'Bad Request', 'mirra: CONNECT target must be host:port');
      return;
    }
    if (isIntercepted(target.hostname)) {
      intercept(server, socket, head, target.hostname, isIntercepted, opts);
    } else if (allowTunnel(req, target.hostname, target.port)) {
      tunnel(socket, head, target, opts.log);
    } else {
      reply(socket, 403, 'Forbidden', `mirra: tunnelling to ${target.hostname}:${target.port} is not allowed from this client`);
    }
  });
}

function intercept(
  server: http.Server,
  socket: Duplex,
  head: Buffer,
  hostname: string,
  isIntercepted: (hostname: string) => boolean,
  opts: ConnectProxyOptions,
): void {
  let secureContext: tls.SecureContext;
  try {
    secureContext = opts.ca.secureContextFor(hostname);
  } catch (err) {
    opts.log?.warn({ err, hostname }, 'mirra proxy: cannot make a certificate');
    reply(socket, 502, 'Bad Gateway', `mirra: cannot make a certificate for ${hostname}`);
    return;
  }
  socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
  // Bytes the client sent after the CONNECT head (an eager ClientHello) belong to the TLS stream.
  if (head.length > 0) socket.unshift(head);
  const tlsSocket = new tls.TLSSocket(socket, {
    isServer: true,
    secureContext,
    // Node's http.Server speaks HTTP/1.1 only; refuse h2 in ALPN rather than fail after it.
    ALPNProtocols: ['http/1.1'],
    // Honour SNI when it names another intercepted host; otherwise keep the CONNECT host's cert.
    SNICallback: (servername, cb) => {
      const name = servername.toLowerCase();
      if (name === hostname || !isValidHostname(name) || !isIntercepted(name)) return cb(null, secureContext);
      try {
        cb(null, opts.ca.secureContextFor(name));
      } catch (err) {
        cb(err as Error, undefined);
      }
    },
  });
  let secured = false;
  let failure: Error | undefined;
  tlsSocket.once('secure', () => {
    secured = true;
  });
  tlsSocket.on('error', (err: Error) => {
    failure = err;
    if (secured) opts.log?.debug({ err, hostname }, 'mirra proxy: TLS socket error');
    tlsSocket.destroy();
  });
  // A client that rejects our certificate usually just hangs up (Node verifies after the TLS 1.3
  // handshake and closes without an alert), so a close before 'secure' is the signal, not 'error'.
  // The usual cause is a client that does not trust mirra's CA: say how to fix it.
  tlsSocket.once('close', () => {
    if (secured) return;
    opts.log?.warn(
      { err: failure, hostname, caPath: opts.ca.certPath },
      `mirra proxy: TLS handshake for ${hostname} did not complete; does the client trust mirra's CA? ` +
        `(NODE_EXTRA_CA_CERTS=${opts.ca.certPath} for Node, or \`mirra trust\` for the system store)`,
    );
  });
  // The HTTP server treats this like a freshly accepted connection: keep-alive, timeouts and the
  // request handler all work unchanged.
  server.emit('connection', tlsSocket);
}

function tunnel(socket: Duplex, head: Buffer, target: ConnectTarget, log: ProxyLogger | undefined): void {
  const upstream = net.connect({ host: target.hostname, port: target.port });
  let connected = false;
  upstream.once('connect', () => {
    connected = true;
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  upstream.on('error', (err: NodeJS.ErrnoException) => {
    log?.debug({ err, target }, 'mirra proxy: tunnel upstream error');
    if (connected) socket.destroy();
    else reply(socket, 502, 'Bad Gateway', `mirra: cannot reach ${target.hostname}:${target.port} (${err.code ?? err.message})`);
  });
  // pipe() forwards orderly ends; an abrupt close on either side must take the other down too.
  socket.on('close', () => upstream.destroy());
  upstream.on('close', () => {
    if (connected) socket.destroy();
  });
}

/** Writes a complete HTTP/1.1 error response on a raw socket and closes it. */
function reply(socket: Duplex, status: number, reason: string, message: string, headers: string[] = []): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = `${message}\n`;
  const head = [
    `HTTP/1.1 ${status} ${reason}`,
    ...headers,
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}
