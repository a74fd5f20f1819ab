// The baseline of the trigger benchmark: a bare node:http handler making the same Redis and
// QStash calls as the trigger route (one cache read, one batch publish) and nothing else — no
// framework, no validation. Runs as its own process, like `next start`:
//   BARE_PORT=… UPSTASH_REDIS_REST_URL=… QSTASH_URL=… DELIVER_URL=… tsx scripts/bench/bare-trigger-server.ts
import { createHash } from "node:crypto";
import http from "node:http";
import { Client } from "@upstash/qstash";
import { Redis } from "@upstash/redis";
import { v7 } from "uuid";

interface CachedCallback {
  id: string;
  retries: number;
  destinations: Array<{ id: string; kind: string; enabled: boolean }>;
}

const settings = process.env;
const redis = new Redis({ url: settings.UPSTASH_REDIS_REST_URL ?? "", token: settings.UPSTASH_REDIS_REST_TOKEN ?? "", enableTelemetry: false });
const qstash = new Client({ baseUrl: settings.QSTASH_URL, token: settings.QSTASH_TOKEN, enableTelemetry: false, devMode: false });
const deliverUrl = settings.DELIVER_URL ?? "";

async function handle(token: string, body: string): Promise<[number, string]> {
  const hash = createHash("sha256").update(token).digest("hex");
  const callback = await redis.get<CachedCallback>(`sy:cb:t:${hash}`);
  if (!callback || !("destinations" in callback)) return [404, '{"error":"unknown"}'];
  const eventId = v7();
  const request = { method: "POST", path: "/t", query: {}, headers: {}, body, bodyEncoding: "utf8", receivedAt: new Date().toISOString() };
  const jobs = callback.destinations
    .filter((destination) => destination.enabled)
    .map((destination) => ({ v: 1, deliveryId: v7(), eventId, callbackId: callback.id, destinationId: destination.id, kind: destination.kind, request }));
  const published = await qstash.batchJSON(jobs.map((job) => ({ url: deliverUrl, body: job, retries: callback.retries, deduplicationId: job.deliveryId })));
  return [202, JSON.stringify({ eventId, deliveries: published.map((item, index) => ({ id: jobs[index]?.deliveryId, messageId: item.messageId })) })];
}

const server = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    // The no-op floor: answered without any call, as the app answers a path no callback can have.
    if (request.url === "/floor") return void response.writeHead(404, { "content-type": "application/json" }).end('{"error":"unknown"}');
    const token = (request.url ?? "").split("/").pop() ?? "";
    handle(token, Buffer.concat(chunks).toString("utf8")).then(
      ([status, text]) => response.writeHead(status, { "content-type": "application/json" }).end(text),
      () => response.writeHead(503).end(),
    );
  });
});

server.listen(Number(settings.BARE_PORT), "127.0.0.1", () => console.log("ready"));
process.once("SIGTERM", () => server.close(() => process.exit(0)));
