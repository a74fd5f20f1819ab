// The services a benchmark run needs, all on loopback: a fresh PostgreSQL database reached
// through the Neon driver and the WebSocket proxy, the Redis bridge, the local QStash server,
// the WebSocket Mosquitto, and a null sink that answers 200 to everything. Real QStash runs on
// other machines; here it shares two cores with the app, so trigger-path measurements hold its
// deliveries back (publishing still goes through it in full).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@upstash/qstash";
import { createDb } from "@/lib/db";
import { createNeonPool } from "@/lib/db/pool";
import { migrateToLatest } from "@/lib/db/migrate";
import { startWsProxy } from "../ws-proxy";
import { startRedisBridge } from "../redis-bridge";
import { startQstashServer, devCredentials } from "../qstash-server";
import { ensureTestBrokers } from "../brokers/ensure-brokers";
import { tlsMaterial, type TlsMaterial } from "../brokers/tls/certs";
import { startTlsFront } from "../brokers/tls/tls-front";
import { startTlsMosquitto, type TlsMosquitto } from "../brokers/tls/mosquitto-tls";
import { startTcpProxy } from "../lib/net-tools";
import { startMqttBroker } from "../dev/mqtt-broker";

export interface BenchStack {
  /** A complete production environment for `next start` and for lib/ in this process. */
  env: Record<string, string>;
  nullSinkUrl: string;
  /** The database as the app reaches it, for baselines through the same driver. */
  database: { url: string; wsProxy: string };
  /** Runs `measure` with the local QStash holding deliveries, then drops what it held. */
  withDeliveriesHeld<T>(measure: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

async function adminQuery(wsProxy: string, statement: string): Promise<void> {
  const admin = createNeonPool("postgres://postgres@127.0.0.1:5432/postgres", { wsProxy, max: 1 });
  try {
    await admin.pool.query(statement);
  } finally {
    await admin.pool.end();
  }
}

function startNullSink(): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    request.resume();
    request.on("end", () => response.writeHead(200, { "content-type": "application/json" }).end("{}"));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

export async function startBenchStack(): Promise<BenchStack> {
  const database = `switchyard_benchstack_${process.pid}`;
  const proxy = await startWsProxy();
  await adminQuery(proxy.url, `drop database if exists ${database} with (force)`);
  await adminQuery(proxy.url, `create database ${database}`);
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/${database}`;
  const handle = createDb(createNeonPool(databaseUrl, { wsProxy: proxy.url, max: 1 }));
  await migrateToLatest(handle.db);
  await handle.close();
  const bridge = await startRedisBridge();
  // The pay-as-you-go plan's account cap (100 in flight): the bench measures Switchyard's overhead,
  // not the free plan's 10-at-once limit.
  const qstash = await startQstashServer({ backoffBaseMs: 50, plan: "payg" });
  const stopBrokers = await ensureTestBrokers();
  const sink = await startNullSink();
  const env = {
    DATABASE_URL: databaseUrl,
    NEON_WS_PROXY: proxy.url,
    QSTASH_URL: qstash.url,
    QSTASH_TOKEN: devCredentials.token,
    QSTASH_CURRENT_SIGNING_KEY: devCredentials.currentSigningKey,
    QSTASH_NEXT_SIGNING_KEY: devCredentials.nextSigningKey,
    UPSTASH_REDIS_REST_URL: bridge.url,
    UPSTASH_REDIS_REST_TOKEN: "local-dev-token",
    ENCRYPTION_KEY: Buffer.alloc(32, 9).toString("base64"),
    // Production refuses these under 32 characters.
    ADMIN_TOKEN: "bench-admin-token-0123456789abcdef",
    SESSION_SECRET: "bench-session-secret-0123456789abcdef",
    CRON_SECRET: "bench-cron-secret-0123456789abcdef",
    ALLOW_PRIVATE_DESTINATIONS: "true",
    LOG_LEVEL: "error",
    PATH: process.env.PATH ?? "",
  };
  const client = new Client({ baseUrl: qstash.url, token: devCredentials.token, devMode: false, enableTelemetry: false });
  return {
    env,
    nullSinkUrl: `http://127.0.0.1:${(sink.address() as AddressInfo).port}`,
    database: { url: databaseUrl, wsProxy: proxy.url },
    async withDeliveriesHeld(measure) {
      qstash.pauseDeliveries();
      try {
        return await measure();
      } finally {
        await client.messages.deleteAll();
        qstash.resumeDeliveries();
      }
    },
    async close() {
      sink.closeAllConnections();
      await new Promise((resolve) => sink.close(resolve));
      await stopBrokers();
      await qstash.close();
      await bridge.close();
      await adminQuery(proxy.url, `drop database if exists ${database} with (force)`).catch(() => undefined);
      await proxy.close();
    },
  };
}

export interface TlsBenchStand {
  material: TlsMaterial;
  /** The stand's Mosquitto, with plain listeners too (plainUrls), so TLS is set against the same broker. */
  mosquitto: TlsMosquitto & { plainUrls: { mqtt: string; ws: string } };
  /** RabbitMQ behind a TLS front, and behind a plain TCP proxy: one hop each, so the difference is TLS. */
  amqpsUrl: string;
  amqpUrl: string;
  /**
   * The embedded aedes broker's WebSocket listener behind a TLS front and behind a TCP proxy: wss
   * against ws without the ~200 ms Mosquitto's libwebsockets spends on each idle handshake.
   */
  aedesWssUrl: string;
  aedesWsUrl: string;
  close(): Promise<void>;
}

/** The TLS test stand for the TLS broker rows: a Mosquitto of its own and RabbitMQ over amqps. */
export async function startTlsBenchStand(): Promise<TlsBenchStand> {
  const material = await tlsMaterial();
  const mosquitto = await startTlsMosquitto({ plain: true });
  const rabbit = { host: "127.0.0.1", port: 5672 };
  const front = await startTlsFront({ target: rabbit, cert: material.server });
  const proxy = await startTcpProxy(rabbit.port, rabbit.host);
  const aedes = await startMqttBroker({ port: 0, wsPort: 0 });
  const aedesFront = await startTlsFront({ target: { host: "127.0.0.1", port: aedes.wsPort }, cert: material.server });
  const aedesProxy = await startTcpProxy(aedes.wsPort);
  const { plainUrls } = mosquitto;
  if (!plainUrls) throw new Error("the TLS Mosquitto started without its plain listeners");
  return {
    material,
    mosquitto: { ...mosquitto, plainUrls },
    amqpsUrl: front.url("amqps").replace("amqps://", "amqps://guest:guest@"),
    amqpUrl: `amqp://guest:guest@localhost:${proxy.port}`,
    aedesWssUrl: `${aedesFront.url("wss")}/mqtt`,
    aedesWsUrl: `ws://localhost:${aedesProxy.port}/mqtt`,
    async close() {
      await Promise.all([front.stop(), proxy.close(), aedesFront.stop(), aedesProxy.close()]);
      await aedes.close();
      await mosquitto.stop();
    },
  };
}
