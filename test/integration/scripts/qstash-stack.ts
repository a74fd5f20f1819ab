// What the local QStash conformance tests share: a fresh server and official client per test, a
// sink that records when each request arrived and answers as the test scripts it, and cleanup.
import { Client } from "@upstash/qstash";
import { afterEach } from "vitest";
import { devCredentials, startQstashServer, type QstashServer, type QstashServerOptions } from "@/scripts/qstash-server";
import { startSink, type SinkRequest } from "../../support/sink";

/** What the HTTP transport itself adds (Go's client sends these too); everything else is QStash's. */
const transportHeaders = ["connection", "content-length", "host"];

/** howto/receiving.mdx, plus Upstash-Region (howto/multi-region.mdx); no Upstash-Retries. */
const qstashHeaders = ["content-type", "upstash-caller-ip", "upstash-message-id", "upstash-region", "upstash-retried", "upstash-signature", "user-agent"];

/** Every header a delivery or callback arrives with besides the forwarded ones, sorted. */
export const deliveredHeaders: readonly string[] = [...qstashHeaders, ...transportHeaders].sort();

/** The names of the headers a request arrived with, sorted. */
export const headerNames = (headers: Record<string, unknown>) => Object.keys(headers).sort();

export interface Arrival extends SinkRequest {
  at: number;
}

export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  delayMs?: number;
}

/** Answers one request; `index` counts the requests to the same path before it. */
export type Answerer = (arrival: Arrival, index: number) => Answer;

export interface TimedSink {
  url: string;
  arrivals: Arrival[];
  /** When each request's answer was sent, in arrival order. */
  answeredAt: number[];
  on(path: string, answerer: Answerer): void;
  at(path: string): Arrival[];
  maxConcurrent: number;
}

const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((item) => item.close()));
});

/** Closes it after the current test. */
export function closeAfter(item: { close(): Promise<void> }): void {
  opened.push(item);
}

export async function startLocalQstash(options: QstashServerOptions = {}): Promise<{ server: QstashServer; client: Client }> {
  const server = await startQstashServer({ port: 0, backoffBaseMs: 20, ...options });
  closeAfter(server);
  return { server, client: new Client({ baseUrl: server.url, token: devCredentials.token, enableTelemetry: false, retry: false }) };
}

export async function startTimedSink(): Promise<TimedSink> {
  const answerers = new Map<string, Answerer>();
  let inFlight = 0;
  const timed: Omit<TimedSink, "url"> = {
    arrivals: [],
    answeredAt: [],
    maxConcurrent: 0,
    on: (path, answerer) => answerers.set(path, answerer),
    at: (path) => timed.arrivals.filter((arrival) => arrival.path === path),
  };
  const sink = await startSink({
    respond: (request, response) => {
      const arrival = { ...request, at: Date.now() };
      const index = timed.at(request.path).length;
      const position = timed.arrivals.push(arrival) - 1;
      const answer = (answerers.get(request.path) ?? ((): Answer => ({})))(arrival, index);
      inFlight += 1;
      timed.maxConcurrent = Math.max(timed.maxConcurrent, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        timed.answeredAt[position] = Date.now();
        response.writeHead(answer.status ?? 200, answer.headers);
        response.end("ok");
      }, answer.delayMs ?? 0);
    },
  });
  closeAfter(sink);
  return Object.assign(timed, { url: sink.url });
}

export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}
