// A TLS front on loopback: terminates TLS with the stand's certificates (optionally requiring a
// client certificate) and pipes each connection to a plain-text target, e.g. RabbitMQ on
// 127.0.0.1:5672, which then answers as `amqps://guest:guest@localhost:PORT`. Like every Node TLS
// server it refuses a foreign client certificate by closing after the handshake, with no alert.
import net from "node:net";
import type { AddressInfo, Socket } from "node:net";
import tls from "node:tls";
import { tieSockets } from "../../lib/net-tools";
import type { KeyPair } from "./certs";

export interface TlsFrontOptions {
  target: { host: string; port: number };
  cert: KeyPair;
  /** Require a client certificate signed by `ca`. */
  requestCert?: boolean;
  /** PEM of the CA client certificates must be issued by (needed with requestCert). */
  ca?: string;
  /** ALPN protocols the front accepts; a client offering none of them gets no_application_protocol. */
  alpnProtocols?: string[];
}

export interface TlsFront {
  port: number;
  /** `scheme://localhost:PORT`: the name the stand's server certificate is for. */
  url(scheme: string): string;
  /** The ALPN protocol each accepted connection negotiated (false: none), in order. */
  negotiated: Array<string | false | null>;
  stop(): Promise<void>;
}

function pipeTo(client: tls.TLSSocket, target: TlsFrontOptions["target"], sockets: Set<Socket>): void {
  const upstream = net.connect(target);
  tieSockets(client, upstream, sockets);
  client.pipe(upstream);
  upstream.pipe(client);
}

export async function startTlsFront(options: TlsFrontOptions): Promise<TlsFront> {
  if (options.requestCert && !options.ca) throw new Error("startTlsFront: requestCert needs the ca that issues client certificates");
  const sockets = new Set<Socket>();
  const negotiated: TlsFront["negotiated"] = [];
  const server = tls.createServer({
    // Nagle on the TLS side would hold small handshake-time writes for a delayed ACK (~40 ms).
    noDelay: true,
    cert: options.cert.cert,
    key: options.cert.key,
    ...(options.requestCert ? { requestCert: true, rejectUnauthorized: true, ca: options.ca } : {}),
    ...(options.alpnProtocols ? { ALPNProtocols: options.alpnProtocols } : {}),
  });
  server.on("secureConnection", (client) => {
    negotiated.push(client.alpnProtocol);
    pipeTo(client, options.target, sockets);
  });
  // A refused handshake (no or a foreign client certificate) is the client's failure to see.
  server.on("tlsClientError", (_error, socket) => socket.destroy());
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (scheme) => `${scheme}://localhost:${port}`,
    negotiated,
    stop: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
