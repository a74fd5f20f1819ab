// The peer's ingest, as users build it with BullMQ: a node:http server that looks the callback
// up in Redis and enqueues one job per destination (addBulk), then answers 202. Its own process:
//   PEER_PORT=… REDIS_URL=redis://127.0.0.1:6379 tsx scripts/bench/peer/ingest.ts
import { randomUUID } from "node:crypto";
import http from "node:http";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { callbackKey, jobOptions, type PeerCallback, type PeerJob } from "./peer-shape";

const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const redis = new Redis(redisUrl);
const queues = new Map<string, Queue<PeerJob>>();

const queueNamed = (name: string) => {
  const queue = queues.get(name) ?? new Queue<PeerJob>(name, { connection: new Redis(redisUrl, { maxRetriesPerRequest: null }) });
  queues.set(name, queue);
  return queue;
};

async function accept(token: string, method: string, headers: Record<string, string>, body: string): Promise<[number, unknown]> {
  const stored = await redis.get(callbackKey(token));
  if (!stored) return [404, { error: "unknown callback" }];
  const callback = JSON.parse(stored) as PeerCallback;
  const eventId = randomUUID();
  const request = { method, path: "/t/{token}", query: {}, headers, body, receivedAt: new Date().toISOString() };
  const jobs = callback.destinations.map((destination) => {
    const data = { deliveryId: randomUUID(), eventId, callbackId: callback.id, destinationId: destination.id, request };
    return { name: "deliver", data, opts: { ...jobOptions, jobId: data.deliveryId } };
  });
  await queueNamed(callback.queue).addBulk(jobs);
  return [202, { eventId, deliveries: jobs.map((job) => ({ id: job.data.deliveryId, destinationId: job.data.destinationId })) }];
}

const server = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    const token = (request.url ?? "").split("/").pop() ?? "";
    const headers = { "content-type": String(request.headers["content-type"] ?? "") };
    accept(token, request.method ?? "POST", headers, Buffer.concat(chunks).toString("utf8")).then(
      ([status, answer]) => response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(answer)),
      () => response.writeHead(503).end(),
    );
  });
});

server.listen(Number(process.env.PEER_PORT), "127.0.0.1", () => console.log("ready"));
process.once("SIGTERM", () => {
  server.close();
  void Promise.all([...queues.values()].map((queue) => queue.close())).finally(() => process.exit(0));
});
