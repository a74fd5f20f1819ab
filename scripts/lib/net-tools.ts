// Small TCP tools for local servers, benchmarks and broker tests: a free port, an HTTP server on
// loopback, and a proxy the test can cut to play "the broker dropped the connection".
import type http from "node:http";
import net from "node:net";
import type { AddressInfo, Socket } from "node:net";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface LoopbackServer {
  url: string;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1; close() also ends kept-alive connections, so it never waits on a client. */
export async function listenOnLoopback(server: http.Server, port: number): Promise<LoopbackServer> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface TestServer {
  port: number;
  connections: number;
  close(): Promise<void>;
}

/** Closes `server` after destroying the sockets it still holds. */
export function closeServer(server: net.Server, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * Joins the two sockets of one proxied connection: each is tracked in `sockets` until it closes,
 * with Nagle off and its errors left to the close that follows; either side closing ends both.
 */
export function tieSockets(client: Socket, upstream: Socket, sockets: Set<Socket>, onClose?: () => void): void {
  for (const socket of [client, upstream]) {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on("error", () => undefined);
    socket.on("close", () => {
      sockets.delete(socket);
      onClose?.();
      client.destroy();
      upstream.destroy();
    });
  }
}

export interface TcpProxy extends TestServer {
  /** Destroys every proxied connection on both sides, now. */
  cut(): void;
  open(): number;
}

export async function startTcpProxy(targetPort: number, targetHost = "127.0.0.1"): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const pairs = new Set<[Socket, Socket]>();
  let connections = 0;
  const server = net.createServer((client) => {
    connections += 1;
    const upstream = net.connect({ host: targetHost, port: targetPort });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    tieSockets(client, upstream, sockets, () => pairs.delete(pair));
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return connections;
    },
    cut: () => {
      for (const pair of pairs) for (const socket of pair) socket.destroy();
    },
    open: () => pairs.size,
    close: () => closeServer(server, sockets),
  };
}
