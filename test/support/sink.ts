// The one HTTP receiver of the tests: a real server standing in for a webhook endpoint (or any
// HTTP peer). It records every request and answers with a scripted sequence of statuses, or
// through `respond` when a test needs another answer (an echo, a signature check, a redirect).
import http from "node:http";
import { afterAll, beforeAll } from "vitest";
import type { AddressInfo } from "node:net";

export interface SinkRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface SinkOptions {
  /** Any 127/8 address works on Linux: tests use several to stand for distinct origins. */
  host?: string;
  port?: number;
  /** Answers instead of the scripted statuses; the request is already recorded. */
  respond?: (request: SinkRequest, response: http.ServerResponse, sink: Sink) => void;
}

export interface Sink {
  url: string;
  port: number;
  requests: SinkRequest[];
  /** Statuses for the next requests, in order; once used up, `defaultStatus` applies. */
  script(statuses: number[], headers?: Record<string, string>): void;
  defaultStatus: number;
  /** Milliseconds before each answer (to observe concurrency). */
  delayMs: number;
  /** Most requests the sink was answering at the same time. */
  maxConcurrent: number;
  close(): Promise<void>;
}

export async function startSink(options: SinkOptions = {}): Promise<Sink> {
  const { host = "127.0.0.1", port = 0, respond } = options;
  const requests: SinkRequest[] = [];
  let queue: Array<{ status: number; headers: Record<string, string> }> = [];
  const sink: Partial<Sink> = { requests, defaultStatus: 200, delayMs: 0, maxConcurrent: 0 };
  let inFlight = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const received = { method: request.method ?? "", path: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(received);
      if (respond) return respond(received, response, sink as Sink);
      const next = queue.shift() ?? { status: sink.defaultStatus ?? 200, headers: {} };
      inFlight += 1;
      sink.maxConcurrent = Math.max(sink.maxConcurrent ?? 0, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        response.writeHead(next.status, { "content-type": "application/json", ...next.headers });
        response.end(JSON.stringify({ ok: next.status < 300, n: requests.length }));
      }, sink.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as AddressInfo;
  return Object.assign(sink, {
    url: `http://${host}:${address.port}`,
    port: address.port,
    script(statuses: number[], headers: Record<string, string> = {}) {
      queue = statuses.map((status) => ({ status, headers }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  }) as Sink;
}

/**
 * A sink for the whole test file: started before its tests, closed after them. The returned
 * object stands for the running sink (reads and writes go to it once it is up).
 */
export function useSink(options: SinkOptions = {}): Sink {
  let started: Sink | undefined;
  beforeAll(async () => {
    started = await startSink(options);
  });
  afterAll(async () => {
    await started?.close();
  });
  const current = (): Sink => {
    if (!started) throw new Error("the sink starts in beforeAll");
    return started;
  };
  return new Proxy({} as Sink, {
    get: (_target, key) => Reflect.get(current(), key) as unknown,
    set: (_target, key, value) => Reflect.set(current(), key, value),
  });
}
