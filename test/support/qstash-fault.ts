// A front for the run's local QStash that breaks every publish on purpose, for tests to point
// QSTASH_URL at: "drop" reads the request and cuts the connection (QStash unreachable);
// "lose-answer" forwards it, lets QStash accept it, then cuts the connection (the answer is lost);
// "hang" reads it and never answers (a hung QStash); "forward" passes it through, recording it;
// `{ status }` answers that status itself (a 429, a 5xx, a refused token…).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { forwardableHeaders } from "./forward-headers";
import { testConfig } from "./ports";

export interface FaultExchange {
  method: string;
  path: string;
  body: string;
  /** What QStash answered ("lose-answer" only); the caller never saw it. */
  answer?: { status: number; body: string };
}

export interface QstashFault {
  url: string;
  /** Every request that reached the front, in order of arrival. */
  exchanges: FaultExchange[];
  close(): Promise<void>;
}

async function forward(req: http.IncomingMessage, body: string): Promise<{ status: number; body: string }> {
  const target = `http://127.0.0.1:${testConfig().ports.qstash}${req.url ?? "/"}`;
  const response = await fetch(target, { method: req.method, headers: forwardableHeaders(req), body: body || undefined });
  return { status: response.status, body: await response.text() };
}

export type FaultMode = "drop" | "lose-answer" | "hang" | "forward" | { status: number; headers?: Record<string, string>; body?: string };

export async function startQstashFault(mode: FaultMode): Promise<QstashFault> {
  const exchanges: FaultExchange[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const exchange: FaultExchange = { method: req.method ?? "GET", path: req.url ?? "/", body: Buffer.concat(chunks).toString("utf8") };
      exchanges.push(exchange);
      if (mode === "hang") return;
      if (mode === "forward" || typeof mode === "object") {
        const answered = typeof mode === "object" ? Promise.resolve({ status: mode.status, body: mode.body ?? '{"error":"refused by the test front"}' }) : forward(req, exchange.body);
        void answered.then((answer) => {
          exchange.answer = answer;
          res.writeHead(answer.status, { "content-type": "application/json", ...(typeof mode === "object" ? mode.headers : {}) }).end(answer.body);
        });
        return;
      }
      const answered = mode === "lose-answer" ? forward(req, exchange.body) : Promise.resolve(undefined);
      void answered
        .then((answer) => {
          exchange.answer = answer;
        })
        .catch(() => undefined)
        .finally(() => req.socket.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exchanges,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
