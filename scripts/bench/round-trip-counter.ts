// Counts the app's network round trips from outside: an HTTP proxy in front of the Redis REST
// bridge and one in front of the local QStash server, and a TCP proxy in front of PostgreSQL that
// reads the frontend protocol (each simple Query or extended-protocol Sync, answered by
// ReadyForQuery, is one round trip; so is a new connection's startup). The app is pointed at the
// proxies; nothing in it is changed or wrapped.
import http from "node:http";
import net from "node:net";
import type { AddressInfo, Socket } from "node:net";
import { closeServer, listenOnLoopback, tieSockets, type LoopbackServer } from "../lib/net-tools";

export type Service = "redis" | "qstash" | "db";

export interface Exchange {
  service: Service;
  /** The Redis command(s), the QStash path, or the SQL exchange's kind. */
  label: string;
  startedAt: number;
  endedAt: number;
}

export interface ExchangeLog {
  exchanges: Exchange[];
  /** Forgets what was recorded so far. */
  reset(): void;
}

function createLog(): ExchangeLog {
  const log: ExchangeLog = {
    exchanges: [],
    reset() {
      log.exchanges = [];
    },
  };
  return log;
}

/** `["evalsha", …]` → "evalsha"; a pipeline → "pipeline(get,set)". */
function redisLabel(path: string, body: string): string {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (!Array.isArray(parsed)) return path;
    if (Array.isArray(parsed[0])) return `${path.slice(1)}(${parsed.map((command) => String((command as unknown[])[0]).toLowerCase()).join(",")})`;
    return String(parsed[0]).toLowerCase();
  } catch {
    return path;
  }
}

export type CountingHttpProxy = LoopbackServer;

/** Forwards every request to `target` and logs it, from its first byte to the answer's last. */
export async function startCountingHttpProxy(service: Service, target: string, log: ExchangeLog): Promise<CountingHttpProxy> {
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((request, response) => {
    const startedAt = performance.now();
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks);
      const path = request.url ?? "/";
      const label = service === "redis" ? redisLabel(path, body.toString("utf8")) : `${request.method ?? ""} ${path.split("?")[0] ?? ""}`;
      const upstream = http.request(new URL(path, target), { method: request.method, headers: request.headers, agent }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
        answer.on("end", () => log.exchanges.push({ service, label, startedAt, endedAt: performance.now() }));
      });
      upstream.on("error", () => response.writeHead(502).end());
      upstream.end(body);
    });
  });
  const loopback = await listenOnLoopback(server, 0);
  return {
    url: loopback.url,
    close() {
      agent.destroy();
      return loopback.close();
    },
  };
}

const sslRequestCode = 80877103;

/** Reads a stream of length-prefixed PostgreSQL messages; `untyped` messages (startup) have no type byte. */
function messageReader(onMessage: (type: string, body: Buffer) => void, firstUntyped: boolean): { push(chunk: Buffer): void; expect(kind: "untyped" | "byte"): void } {
  let pending = Buffer.alloc(0);
  let next: "typed" | "untyped" | "byte" = firstUntyped ? "untyped" : "typed";
  const drain = () => {
    for (;;) {
      if (next === "byte") {
        if (pending.length < 1) return;
        onMessage("ssl-answer", pending.subarray(0, 1));
        pending = pending.subarray(1);
        next = "typed";
        continue;
      }
      const headerBytes = next === "untyped" ? 4 : 5;
      if (pending.length < headerBytes) return;
      const length = pending.readUInt32BE(next === "untyped" ? 0 : 1);
      const total = next === "untyped" ? length : length + 1;
      if (pending.length < total) return;
      const message = pending.subarray(0, total);
      pending = pending.subarray(total);
      const type = next === "untyped" ? "startup" : String.fromCharCode(message[0] ?? 0);
      next = "typed";
      onMessage(type, message);
    }
  };
  return {
    push(chunk) {
      pending = Buffer.concat([pending, chunk]);
      drain();
    },
    expect(kind) {
      next = kind;
    },
  };
}

export interface CountingTcpProxy {
  port: number;
  close(): Promise<void>;
}

/** In front of PostgreSQL: one exchange per startup, Query or Sync, ended by its ReadyForQuery. */
export async function startCountingPostgresProxy(targetPort: number, log: ExchangeLog): Promise<CountingTcpProxy> {
  const sockets = new Set<Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: "127.0.0.1", port: targetPort });
    const open: Array<{ label: string; startedAt: number }> = [];
    const labels: Record<string, string> = { startup: "connect", Q: "query", S: "sync" };
    const fromServer = messageReader((type) => {
      if (type !== "Z") return;
      const started = open.shift();
      if (started) log.exchanges.push({ service: "db", label: started.label, startedAt: started.startedAt, endedAt: performance.now() });
    }, false);
    const fromClient = messageReader((type, message) => {
      // An SSLRequest is answered with one byte, then the client sends its startup, also untyped.
      if (type === "startup" && message.length === 8 && message.readUInt32BE(4) === sslRequestCode) {
        fromServer.expect("byte");
        fromClient.expect("untyped");
        return;
      }
      const label = labels[type];
      if (label) open.push({ label, startedAt: performance.now() });
    }, true);
    tieSockets(client, upstream, sockets);
    client.on("data", (chunk: Buffer) => {
      fromClient.push(chunk);
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      fromServer.push(chunk);
      client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => closeServer(server, sockets),
  };
}

/** Round trips made one after another: a new one starts only once every earlier one has ended. */
export function sequentialDepth(exchanges: readonly Exchange[]): number {
  let depth = 0;
  let lastEnd = Number.NEGATIVE_INFINITY;
  for (const exchange of [...exchanges].sort((a, b) => a.startedAt - b.startedAt)) {
    if (exchange.startedAt >= lastEnd) depth += 1;
    lastEnd = Math.max(lastEnd, exchange.endedAt);
  }
  return depth;
}

export { createLog as createExchangeLog };
