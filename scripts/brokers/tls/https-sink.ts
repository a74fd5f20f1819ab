// An HTTPS receiver for the TLS tests: the stand's server certificate, optionally requiring a
// client certificate (mTLS). It records every request, with the subject of the client
// certificate that came with it, and answers 200. Node checks a client certificate after the
// handshake and then closes without a TLS alert: a foreign certificate looks like a reset to the
// client, where Mosquitto or nginx send "unknown CA". A missing one gets the alert either way.
import https from "node:https";
import type { IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import type { KeyPair } from "./certs";

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** e.g. "CN=switchyard-test-client"; absent when no client certificate was presented. */
  clientCertSubject?: string;
}

export interface HttpsSinkOptions {
  cert: KeyPair;
  /** The CA client certificates must be issued by. */
  ca: string;
  requireClientCert: boolean;
}

export interface HttpsSink {
  /** `https://localhost:PORT`: the name the stand's server certificate is for. */
  url: string;
  received: ReceivedRequest[];
  /** Resolves with the first `count` requests once that many arrived; polls, never sleeps blindly. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  stop(): Promise<void>;
}

function subjectOf(socket: TLSSocket): string | undefined {
  const certificate = socket.getPeerCertificate();
  if (!certificate || !certificate.subject) return undefined;
  return Object.entries(certificate.subject)
    .map(([name, value]) => `${name}=${Array.isArray(value) ? value.join("+") : value}`)
    .join(", ");
}

export async function startHttpsSink(options: HttpsSinkOptions): Promise<HttpsSink> {
  const received: ReceivedRequest[] = [];
  const server = https.createServer({
    noDelay: true,
    cert: options.cert.cert,
    key: options.cert.key,
    ca: options.ca,
    // Asks for a client certificate either way, so one presented where it is optional is still recorded.
    requestCert: true,
    rejectUnauthorized: options.requireClientCert,
  });
  server.on("request", (request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const socket = request.socket as TLSSocket;
      const clientCertSubject = socket.authorized ? subjectOf(socket) : undefined;
      received.push({
        method: request.method ?? "",
        path: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        ...(clientCertSubject ? { clientCertSubject } : {}),
      });
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ ok: true, n: received.length }));
    });
  });
  server.on("tlsClientError", (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://localhost:${port}`,
    received,
    async waitFor(count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`the HTTPS sink got ${received.length} of ${count} requests within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return received.slice(0, count);
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
