/**
 * A TCP stand-in for a receiver that misbehaves: `reset` cuts each connection as soon as a request
 * arrives; `hang` accepts and never answers. `accepted()` counts connections; `whenAccepted(n)`
 * resolves once n have come in (an event, not a timer).
 */
import net, { type AddressInfo } from 'node:net';

/** A misbehaving receiver. */
export interface RudeServer {
  url: string;
  close(): Promise<void>;
  accepted(): number;
  whenAccepted(n: number): Promise<void>;
}

/** Starts a receiver that resets or hangs every connection. */
export async function rudeServer(mode: 'reset' | 'hang'): Promise<RudeServer> {
  let accepted = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    if (mode === 'reset') socket.once('data', () => socket.resetAndDestroy());
    for (const w of waiters.filter((x) => accepted >= x.n)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    accepted: () => accepted,
    whenAccepted: (n) => (accepted >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
    close: () =>
      new Promise((r) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => r());
      }),
  };
}
