/**
 * Stand-in servers of the tests: an http.Server on 127.0.0.1 (port 0 unless given), its base URL,
 * and a close that also drops kept-alive connections (so no test waits on an idle socket).
 */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A listening stand-in server. */
export interface Listening {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts `server` on loopback and resolves once it listens. */
export function listenLocal(server: http.Server, port = 0): Promise<Listening> {
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () => {
      const actual = (server.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${actual}`,
        port: actual,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    }),
  );
}
