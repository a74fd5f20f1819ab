// Broker delivery over TLS (issue #14), against the TLS test stand: sendMqtt over mqtts and wss
// and sendAmqp over amqps next to mqtt.js / amqplib alone with the same TLS options, and what a
// TLS connect costs over a plain one with the raw client (same broker, same hop count), so users
// can judge `reuseConnection`. Runs alone:
//   tsx scripts/bench/broker-tls.ts [iterations]
import { randomUUID } from "node:crypto";
import { connect as connectAmqp } from "amqplib";
import { amqpConnectionPool, sendAmqp } from "@/lib/destinations/amqp/send-amqp";
import { amqpConfigSchema } from "@/lib/destinations/amqp/config";
import { mqttConnectionPool, sendMqtt } from "@/lib/destinations/mqtt/send-mqtt";
import { mqttConfigSchema } from "@/lib/destinations/mqtt/config";
import type { TlsConfig } from "@/lib/destinations/tls/config";
import { isMainModule } from "../lib/cli";
import { benchContext } from "./bench-context";
import { openRawAmqp, openRawMqtt, rawAmqpShortLived, rawMqttShortLived, type RawTlsOptions } from "./broker-baselines";
import { startTlsBenchStand, type TlsBenchStand } from "./stack";
import { benchRow, formatBenchTable, samplePair } from "./stats";
import { ms, type SummaryRow } from "./summary";
import type { BenchRow } from "./types";
import { expectSucceeded, withOpen } from "./broker-delivery";

/** An idle Mosquitto takes ~200 ms per WebSocket handshake: cap those short-lived runs. */
const maxWebSocketHandshakes = 25;

export interface TlsBenchResult {
  /** Switchyard's sender over TLS against the raw client with the same TLS options. */
  senders: BenchRow[];
  /** The raw client's short-lived publish over TLS (median) against plain (baseline). */
  connectCost: BenchRow[];
}

interface MqttCase {
  url: string;
  transport: string;
  tls: TlsConfig;
  iterations: number;
  reused: boolean;
}

async function benchMqttTls({ url, transport, tls, iterations, reused }: MqttCase): Promise<BenchRow[]> {
  const topic = `switchyard-bench/${randomUUID()}`;
  const raw: RawTlsOptions = { ca: tls.ca, cert: tls.cert, key: tls.key };
  const send = (reuseConnection: boolean) => {
    const config = mqttConfigSchema.parse({ url, topic, qos: 1, reuseConnection, tls });
    return () => expectSucceeded(sendMqtt(benchContext(config, "mqtt")));
  };
  const [short, shortBase] = await samplePair(iterations, send(false), () => rawMqttShortLived(url, topic, raw));
  const rows = [benchRow("sendMqtt short-lived QoS 1", transport, short, shortBase)];
  if (reused) {
    const [reuse, reuseBase] = await withOpen(openRawMqtt(url, topic, raw), (publisher) => samplePair(iterations, send(true), publisher.publish));
    rows.push(benchRow("sendMqtt reused QoS 1", transport, reuse, reuseBase));
  }
  await mqttConnectionPool.closeAll();
  return rows;
}

async function withQueue<T>(use: (queue: string) => Promise<T>): Promise<T> {
  const admin = await connectAmqp("amqp://guest:guest@127.0.0.1:5672", { noDelay: true });
  try {
    const channel = await admin.createChannel();
    const { queue } = await channel.assertQueue(`switchyard-bench-${randomUUID()}`, { exclusive: true, autoDelete: true });
    return await use(queue);
  } finally {
    await admin.close();
  }
}

async function benchAmqpTls(stand: TlsBenchStand, iterations: number): Promise<BenchRow[]> {
  const tls: TlsConfig = { ca: stand.material.ca.cert, insecureSkipVerify: false };
  return withQueue(async (queue) => {
    const send = (reuseConnection: boolean) => {
      const config = amqpConfigSchema.parse({ url: stand.amqpsUrl, exchange: "", routingKey: queue, reuseConnection, tls });
      return () => expectSucceeded(sendAmqp(benchContext(config, "amqp")));
    };
    const [short, shortBase] = await samplePair(iterations, send(false), () => rawAmqpShortLived(stand.amqpsUrl, queue, { ca: tls.ca }));
    const [reused, reusedBase] = await withOpen(openRawAmqp(stand.amqpsUrl, queue, { ca: tls.ca }), (raw) => samplePair(iterations, send(true), raw.publish));
    await amqpConnectionPool.closeAll();
    const transport = "RabbitMQ amqps via TLS front (tls.ca, confirms)";
    return [benchRow("sendAmqp short-lived", transport, short, shortBase), benchRow("sendAmqp reused", transport, reused, reusedBase)];
  });
}

async function benchConnectCost(stand: TlsBenchStand, iterations: number): Promise<BenchRow[]> {
  const ca = { ca: stand.material.ca.cert };
  const topic = `switchyard-bench/${randomUUID()}`;
  const { mosquitto } = stand;
  const wsIterations = Math.min(iterations, maxWebSocketHandshakes);
  const [mqtts, mqtt] = await samplePair(
    iterations,
    () => rawMqttShortLived(mosquitto.urls.mqtts, topic, ca),
    () => rawMqttShortLived(mosquitto.plainUrls.mqtt, topic),
  );
  const [wss, ws] = await samplePair(
    wsIterations,
    () => rawMqttShortLived(`${mosquitto.urls.wss}/mqtt`, topic, ca),
    () => rawMqttShortLived(`${mosquitto.plainUrls.ws}/mqtt`, topic),
  );
  const [aedesWss, aedesWs] = await samplePair(
    iterations,
    () => rawMqttShortLived(stand.aedesWssUrl, topic, ca),
    () => rawMqttShortLived(stand.aedesWsUrl, topic),
  );
  const [amqps, amqp] = await withQueue((queue) =>
    samplePair(
      iterations,
      () => rawAmqpShortLived(stand.amqpsUrl, queue, ca),
      () => rawAmqpShortLived(stand.amqpUrl, queue),
    ),
  );
  return [
    benchRow("mqtt.js short-lived publish, mqtts vs mqtt", "stand mosquitto, same broker", mqtts, mqtt),
    benchRow("mqtt.js short-lived publish, wss vs ws", "stand mosquitto, same broker", wss, ws),
    benchRow("mqtt.js short-lived publish, wss vs ws", "aedes via TLS front vs TCP proxy", aedesWss, aedesWs),
    benchRow("amqplib short-lived publish, amqps vs amqp", "RabbitMQ via TLS front vs TCP proxy", amqps, amqp),
  ];
}

export async function benchBrokerTls(options: { iterations: number }): Promise<TlsBenchResult> {
  const iterations = Math.max(1, Math.min(options.iterations, 1_000));
  const wsIterations = Math.min(iterations, maxWebSocketHandshakes);
  const stand = await startTlsBenchStand();
  try {
    const { material, mosquitto } = stand;
    const ca: TlsConfig = { ca: material.ca.cert, insecureSkipVerify: false };
    const clientCert: TlsConfig = { ...ca, cert: material.client.cert, key: material.client.key };
    const senders = [
      ...(await benchMqttTls({ url: mosquitto.urls.mqtts, transport: "stand mosquitto mqtts (tls.ca)", tls: ca, iterations, reused: true })),
      ...(await benchMqttTls({ url: mosquitto.urls.mqttsClientCert, transport: "stand mosquitto mqtts (tls.ca + client cert)", tls: clientCert, iterations, reused: false })),
      ...(await benchMqttTls({ url: `${mosquitto.urls.wss}/mqtt`, transport: "stand mosquitto wss (tls.ca)", tls: ca, iterations: wsIterations, reused: false })),
      ...(await benchMqttTls({ url: stand.aedesWssUrl, transport: "aedes wss via TLS front (tls.ca)", tls: ca, iterations, reused: true })),
      ...(await benchAmqpTls(stand, iterations)),
    ];
    return { senders, connectCost: await benchConnectCost(stand, iterations) };
  } finally {
    await stand.close();
  }
}

/** Headline rows: each short-lived TLS sender against the raw client (≤ raw + 5 ms), then TLS connect costs. */
export function tlsSummaryRows(result: TlsBenchResult): SummaryRow[] {
  const delta = (row: BenchRow) => row.median - (row.baselineMedian ?? 0);
  const senders = result.senders
    .filter((row) => row.name.includes("short-lived"))
    .map((row) => ({
      metric: `${row.name}, ${row.transport} (sender alone, median)`,
      measured: `${ms(row.median)} (p95 ${ms(row.p95)})`,
      baseline: `raw short-lived publish ${ms(row.baselineMedian ?? 0)}`,
      comparison: `${delta(row) >= 0 ? "+" : ""}${delta(row).toFixed(2)} ms`,
      target: "≤ raw + 5 ms",
      met: delta(row) <= 5,
    }));
  const connects = result.connectCost.map((row) => ({
    metric: `TLS connect cost: ${row.name} (${row.transport})`,
    measured: `${ms(row.median)} (p95 ${ms(row.p95)})`,
    baseline: `plain ${ms(row.baselineMedian ?? 0)}`,
    comparison: `+${delta(row).toFixed(2)} ms per connection`,
    target: "- (what reuseConnection saves)",
    met: null,
  }));
  return [...senders, ...connects];
}

/** The TLS rows of the broker table: the senders, then the connect-cost pairs. */
export function formatTlsTables(result: TlsBenchResult): string {
  return `${formatBenchTable(result.senders)}

TLS connect cost (raw client, baseline = the same publish without TLS):
${formatBenchTable(result.connectCost)}`;
}

async function main(): Promise<void> {
  const iterations = Number(process.argv[2] ?? process.env.BENCH_ITERATIONS ?? 200);
  if (!Number.isInteger(iterations) || iterations <= 0) throw new Error(`iterations must be a positive integer, got "${process.argv[2]}"`);
  console.log(`Broker delivery over TLS, ${iterations} iterations (WebSocket short-lived: ${Math.min(iterations, maxWebSocketHandshakes)}), ratio = median / baseline median`);
  console.log(formatTlsTables(await benchBrokerTls({ iterations })));
}

if (isMainModule(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
