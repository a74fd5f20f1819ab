// Starts what the integration suite shares — the WebSocket proxy the Neon driver uses, a fresh
// PostgreSQL database migrated through that driver, the Redis REST bridge, the local QStash
// server and the WebSocket Mosquitto — and stops them afterwards.
import { startWsProxy } from "@/scripts/ws-proxy";
import { startRedisBridge } from "@/scripts/redis-bridge";
import { startQstashServer } from "@/scripts/qstash-server";
import { createNeonPool } from "@/lib/db/pool";
import { createDb } from "@/lib/db";
import { migrateToLatest } from "@/lib/db/migrate";
import type { TestProject } from "vitest/node";
import { ensureTestBrokers } from "@/scripts/brokers/ensure-brokers";
import { devQstash, testConfig } from "../support/ports";

async function adminQuery(wsProxy: string, statements: string[]): Promise<void> {
  const admin = createNeonPool("postgres://postgres@127.0.0.1:5432/postgres", { wsProxy, max: 1 });
  try {
    for (const statement of statements) await admin.pool.query(statement);
  } finally {
    await admin.pool.end();
  }
}

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { ports: testPorts, databaseName } = testConfig(project.config.env);
  const proxy = await startWsProxy({ port: testPorts.wsProxy });
  const dropDatabase = `drop database if exists ${databaseName} with (force)`;
  await adminQuery(proxy.url, [dropDatabase, `create database ${databaseName}`]);
  const handle = createDb(createNeonPool(`postgres://postgres@127.0.0.1:5432/${databaseName}`, { wsProxy: proxy.url, max: 1 }));
  await migrateToLatest(handle.db);
  await handle.close();
  const bridge = await startRedisBridge({ port: testPorts.redisBridge, redisUrl: "redis://127.0.0.1:6379", token: "local-dev-token" });
  const qstash = await startQstashServer({
    port: testPorts.qstash,
    token: devQstash.token,
    currentSigningKey: devQstash.currentSigningKey,
    nextSigningKey: devQstash.nextSigningKey,
    backoffBaseMs: 50,
    // One server lives through the whole suite, whose FIFO tests create more queues (one per
    // destination and per ordering-key partition) than the free plan's 10, as a paying account would;
    // the free plan's own limits are tested on servers of their own (qstash-queues.test.ts).
    plan: "payg",
  });
  const stopBrokers = await ensureTestBrokers();
  return async () => {
    await stopBrokers();
    await qstash.close();
    await bridge.close();
    await adminQuery(proxy.url, [dropDatabase]).catch(() => undefined);
    await proxy.close();
  };
}
