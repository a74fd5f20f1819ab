// npm run dev — the whole product on embedded defaults: the local QStash server, the Redis
// bridge (when a Redis server is reachable), PGlite (unless DATABASE_URL is set), a demo
// request sink, an embedded MQTT broker, migrations and a demo callback, then `next dev`.
// Prints how to fire a trigger and how to watch its MQTT message.
import { spawn, type ChildProcess } from "node:child_process";
import { createDbFromEnv } from "@/lib/db";
import { migrateToLatest } from "@/lib/db/migrate";
import { getEnv, resetEnv } from "@/lib/env";
import { startQstashServer } from "./qstash-server";
import { startRedisBridge } from "./redis-bridge";
import { startWsProxy } from "./ws-proxy";
import { ensureDemoCallback, type DemoCallback } from "./dev/demo-callback";
import { demoMqttDestination, ensureDemoMqttDestination } from "./dev/demo-mqtt";
import { readMqttBrokerPorts, startMqttBroker, type EmbeddedMqttBroker } from "./dev/mqtt-broker";
import { destinationInputSchema } from "@/lib/destinations/destination-input";
import { canConnect, waitForHttp } from "./dev/probe";
import { startRequestSink } from "./dev/request-sink";
import { readDevSettings, type DevSettings } from "./dev/settings";

type Closer = () => Promise<void>;
const closers: Closer[] = [];
const say = (line: string) => console.log(`[dev] ${line}`);

interface Services {
  sinkUrl: string;
  redisNote: string;
  mqtt: EmbeddedMqttBroker;
  amqpNote: string;
}

type MqttPorts = ReturnType<typeof readMqttBrokerPorts>;

async function startBrokers(ports: MqttPorts): Promise<Pick<Services, "mqtt" | "amqpNote">> {
  const mqtt = await startMqttBroker({ ...ports, log: (line) => console.log(`[mqtt] ${line}`) });
  closers.push(mqtt.close);
  // Nothing to start for AMQP: without a RabbitMQ, AMQP deliveries fail as retryable "Broker unreachable".
  const amqpNote = (await canConnect("127.0.0.1", 5672))
    ? "RabbitMQ reachable at amqp://127.0.0.1:5672"
    : 'no RabbitMQ on 127.0.0.1:5672: AMQP deliveries fail (retryable, "Broker unreachable") until one runs';
  return { mqtt, amqpNote };
}

async function startServices(settings: DevSettings, mqttPorts: MqttPorts): Promise<Services> {
  if (!settings.external.qstash) {
    const qstash = await startQstashServer({ port: settings.qstashPort, log: (line) => console.log(`[qstash] ${line}`) });
    closers.push(qstash.close);
    process.env.QSTASH_URL = qstash.url;
  }
  let redisNote = "external (UPSTASH_REDIS_REST_URL or KV_REST_API_URL)";
  if (!settings.external.redis) {
    const redis = new URL(settings.redisUrl);
    if (await canConnect(redis.hostname, Number(redis.port || 6379))) {
      const bridge = await startRedisBridge({ port: settings.redisBridgePort, redisUrl: settings.redisUrl });
      closers.push(bridge.close);
      process.env.UPSTASH_REDIS_REST_URL = bridge.url;
      process.env.UPSTASH_REDIS_REST_TOKEN ??= "local-dev-token";
      redisNote = `Redis at ${redis.host} through the REST bridge on ${bridge.url}`;
    } else {
      redisNote = "no Redis server reachable: in-process cache and rate limiter";
    }
  }
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl && !settings.external.wsProxy && /@(127\.0\.0\.1|localhost)[:/]/.test(databaseUrl)) {
    const proxy = await startWsProxy({ port: settings.wsProxyPort });
    closers.push(proxy.close);
    process.env.NEON_WS_PROXY = proxy.url;
  }
  const sink = await startRequestSink(settings.sinkPort, (line) => console.log(`[sink] ${line}`));
  closers.push(sink.close);
  return { sinkUrl: sink.url, redisNote, ...(await startBrokers(mqttPorts)) };
}

async function prepareDatabase(sinkUrl: string, mqttUrl: string): Promise<DemoCallback> {
  resetEnv();
  const handle = createDbFromEnv();
  try {
    await migrateToLatest(handle.db);
    const demo = await ensureDemoCallback(handle.db, getEnv().dataDir, [
      destinationInputSchema.parse({ kind: "http", name: "Local request sink", config: { url: `${sinkUrl}/webhook` } }),
      demoMqttDestination(mqttUrl),
    ]);
    if (await ensureDemoMqttDestination(handle.db, demo.id, mqttUrl)) say(`added an MQTT destination (${mqttUrl}) to the existing demo callback`);
    return demo;
  } finally {
    await handle.close();
  }
}

function startNext(port: number): ChildProcess {
  const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "dev", "-H", "127.0.0.1", "-p", String(port)], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  closers.push(async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await new Promise((resolve) => (child.exitCode === null ? child.once("exit", resolve) : resolve(undefined)));
  });
  return child;
}

function banner(demo: DemoCallback, services: Services): string {
  const env = getEnv();
  const trigger = `${env.appUrl}/api/trigger/${demo.token}`;
  return [
    "",
    "Switchyard is running.",
    `  UI and API     ${env.appUrl}`,
    `  Admin token    ${env.adminToken}`,
    `  Database       ${env.databaseUrl ? "DATABASE_URL" : `embedded PGlite in ${env.dataDir}/pglite`}`,
    `  Queue          local QStash on ${env.qstash.url}`,
    `  Cache          ${services.redisNote}`,
    `  MQTT broker    embedded aedes on ${services.mqtt.tcpUrl} and ${services.mqtt.wsUrl}`,
    `  AMQP broker    ${services.amqpNote}`,
    "",
    "Fire the demo trigger (its delivery prints below as [sink]):",
    `  curl -X POST ${trigger} -H 'content-type: application/json' -d '{"hello":"world"}'`,
    "Watch its MQTT message (topic switchyard/<callback id>/triggered):",
    `  npx mqtt sub -h 127.0.0.1 -p ${services.mqtt.port} -t 'switchyard/#' -v`,
    "See its delivery:",
    `  curl -H 'authorization: Bearer ${env.adminToken}' ${env.appUrl}/api/deliveries?callbackId=${demo.id}`,
    "",
  ].join("\n");
}

async function shutdown(code: number): Promise<never> {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  process.exit(code);
}

async function main(): Promise<void> {
  const settings = readDevSettings(process.env);
  const env = getEnv();
  process.env.APP_URL ??= env.appUrl;
  process.env.ADMIN_TOKEN ??= env.adminToken;
  process.env.ALLOW_PRIVATE_DESTINATIONS ??= "true";
  const services = await startServices(settings, readMqttBrokerPorts(process.env));
  const demo = await prepareDatabase(services.sinkUrl, services.mqtt.tcpUrl);
  const next = startNext(env.port);
  next.once("exit", (code) => void shutdown(code ?? 1));
  process.once("SIGINT", () => void shutdown(0));
  process.once("SIGTERM", () => void shutdown(0));
  if (await waitForHttp(`${env.appUrl}/api/health`, 120_000)) console.log(banner(demo, services));
  else say("the app did not answer /api/health within 2 minutes; see the output above");
}

main().catch((error: unknown) => {
  console.error("[dev] failed to start:", error instanceof Error ? error.message : error);
  void shutdown(1);
});
