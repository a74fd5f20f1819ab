// The peer's always-on worker, as users build it with BullMQ: concurrency 8; per job one read
// of the destination's row from PostgreSQL, an MQTT publish at the destination's QoS (PUBACK
// awaited), and one durable write of the outcome. PEER_MODE picks the MQTT connection: one kept
// open per broker ("persistent") or one per delivery ("short-lived"), as Switchyard opens.
//   PEER_MODE=… PEER_QUEUE=… DATABASE_URL=… REDIS_URL=… tsx scripts/bench/peer/worker.ts
import { Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import { connectAsync, type MqttClient } from "mqtt";
import pg from "pg";
import { peerPayload, type PeerJob, type PeerMode } from "./peer-shape";

const mode = (process.env.PEER_MODE ?? "short-lived") as PeerMode;
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 8 });
const open = new Map<string, Promise<MqttClient>>();

async function publish(url: string, topic: string, qos: 0 | 1 | 2, payload: string): Promise<void> {
  if (mode === "persistent") {
    const client = open.get(url) ?? connectAsync(url, { reconnectPeriod: 1_000 });
    open.set(url, client);
    await (await client).publishAsync(topic, payload, { qos });
    return;
  }
  const client = await connectAsync(url, { reconnectPeriod: 0, connectTimeout: 10_000 });
  try {
    await client.publishAsync(topic, payload, { qos });
  } finally {
    await client.endAsync();
  }
}

async function record(job: Job<PeerJob>, status: string, error: string | null): Promise<void> {
  await pool.query(
    `insert into peer_deliveries (id, event_id, destination_id, status, attempts, last_error, finished_at) values ($1, $2, $3, $4, $5, $6, now())
     on conflict (id) do update set status = excluded.status, attempts = excluded.attempts, last_error = excluded.last_error, finished_at = excluded.finished_at`,
    [job.data.deliveryId, job.data.eventId, job.data.destinationId, status, job.attemptsMade + 1, error],
  );
}

async function deliver(job: Job<PeerJob>): Promise<void> {
  const found = await pool.query<{ url: string; topic: string; qos: 0 | 1 | 2 }>("select url, topic, qos from peer_destinations where id = $1", [job.data.destinationId]);
  const destination = found.rows[0];
  if (!destination) throw new Error(`no destination ${job.data.destinationId}`);
  try {
    await publish(destination.url, destination.topic, destination.qos, peerPayload(job.data));
  } catch (error) {
    await record(job, "failed", String(error));
    throw error;
  }
  await record(job, "succeeded", null);
}

const worker = new Worker<PeerJob>(process.env.PEER_QUEUE ?? "", deliver, {
  connection: new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: null }),
  concurrency: 8,
});
void worker.waitUntilReady().then(() => console.log("ready"));

process.once("SIGTERM", () => {
  void (async () => {
    await worker.close();
    await Promise.all([...open.values()].map(async (client) => (await client).endAsync()));
    await pool.end();
    process.exit(0);
  })();
});
