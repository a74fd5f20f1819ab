// The system users would build instead of Switchyard, started for the bench on the same Redis,
// Mosquitto and PostgreSQL: a node:http ingest enqueueing to BullMQ, and two always-on workers
// (MQTT connection kept open / opened per delivery), each its own process like `next start`.
import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import pg from "pg";
import { freePort } from "../../lib/net-tools";
import { startScriptProcess } from "../processes";
import { callbackKey, peerModes, peerSchema, queueOf, type PeerCallback, type PeerMode } from "./peer-shape";

const redisUrl = "redis://127.0.0.1:6379";

export interface Peer {
  ingestUrl: string;
  /** The trigger URL of a callback with one MQTT destination served by that mode's worker. */
  triggerUrl(mode: PeerMode): string;
  /** The topic that mode's destination publishes to. */
  topic(mode: PeerMode): string;
  ingestPid: number;
  /** Stops the workers (jobs then wait in Redis, as QStash holds deliveries) or starts them again. */
  pauseWorkers(): Promise<void>;
  resumeWorkers(): Promise<void>;
  close(): Promise<void>;
}

interface Seeded {
  token: string;
  topic: string;
}

async function seed(databaseUrl: string, redis: Redis, mqttUrl: string, runId: string): Promise<Map<PeerMode, Seeded>> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    for (const statement of peerSchema) await db.query(statement);
    const seeded = new Map<PeerMode, Seeded>();
    for (const mode of peerModes) {
      const destinationId = randomUUID();
      const topic = `switchyard-bench/peer/${runId}/${mode}`;
      await db.query("insert into peer_destinations (id, url, topic, qos) values ($1, $2, $3, 1)", [destinationId, mqttUrl, topic]);
      const token = randomUUID();
      const callback: PeerCallback = { id: randomUUID(), queue: queueOf(mode, runId), destinations: [{ id: destinationId }] };
      await redis.set(callbackKey(token), JSON.stringify(callback), "EX", 3_600);
      seeded.set(mode, { token, topic });
    }
    return seeded;
  } finally {
    await db.end();
  }
}

export async function startPeer(databaseUrl: string, mqttUrl = "mqtt://127.0.0.1:1883"): Promise<Peer> {
  const redis = new Redis(redisUrl);
  const runId = randomUUID().slice(0, 8);
  const seeded = await seed(databaseUrl, redis, mqttUrl, runId);
  /** What piled up in the queues is dropped, as the bench drops what QStash held. */
  const dropQueued = () =>
    Promise.all(
      peerModes.map(async (mode) => {
        const queue = new Queue(queueOf(mode, runId), { connection: redis });
        await queue.obliterate({ force: true });
        await queue.close();
      }),
    );
  const port = await freePort();
  const env = { PATH: process.env.PATH ?? "", REDIS_URL: redisUrl, DATABASE_URL: databaseUrl };
  const ingest = await startScriptProcess("scripts/bench/peer/ingest.ts", { ...env, PEER_PORT: String(port) });
  const startWorkers = () => Promise.all(peerModes.map((mode) => startScriptProcess("scripts/bench/peer/worker.ts", { ...env, PEER_MODE: mode, PEER_QUEUE: queueOf(mode, runId) })));
  let workers = await startWorkers();
  const stopWorkers = async () => {
    await Promise.all(workers.map((worker) => worker.close()));
    workers = [];
  };
  const ingestUrl = `http://127.0.0.1:${port}`;
  const pick = (mode: PeerMode) => seeded.get(mode) ?? { token: "", topic: "" };
  return {
    ingestUrl,
    triggerUrl: (mode) => `${ingestUrl}/t/${pick(mode).token}`,
    topic: (mode) => pick(mode).topic,
    ingestPid: ingest.pid,
    pauseWorkers: stopWorkers,
    async resumeWorkers() {
      await dropQueued();
      workers = await startWorkers();
    },
    async close() {
      await stopWorkers();
      await ingest.close();
      await dropQueued().catch(() => undefined);
      await Promise.all([...seeded.values()].map((entry) => redis.del(callbackKey(entry.token))));
      redis.disconnect();
    },
  };
}
