// Broker delivery benchmark (issue #5): sendMqtt and sendAmqp, short-lived and with pooled
// connections, next to the same publish done with mqtt.js / amqplib alone, against Mosquitto
// TCP :1883, Mosquitto WebSocket :19001 and RabbitMQ :5672. Runs alone:
//   tsx scripts/bench/broker-delivery.ts [iterations]
import { isMainModule } from "../lib/cli";
import { randomUUID } from "node:crypto";
import { connect as connectAmqp } from "amqplib";
import { amqpConnectionPool, sendAmqp } from "@/lib/destinations/amqp/send-amqp";
import { amqpConfigSchema } from "@/lib/destinations/amqp/config";
import { mqttConnectionPool, sendMqtt } from "@/lib/destinations/mqtt/send-mqtt";
import { mqttConfigSchema } from "@/lib/destinations/mqtt/config";
import { ensureTestBrokers, mosquittoWsUrl } from "../brokers/ensure-brokers";
import { benchContext } from "./bench-context";
import { openRawAmqp, openRawMqtt, rawAmqpShortLived, rawMqttShortLived, type OpenPublisher } from "./broker-baselines";
import { benchRow, formatBenchTable, samplePair } from "./stats";
import type { BenchRow } from "./types";

const mosquittoTcp = "mqtt://127.0.0.1:1883";
const mosquittoWs = `${mosquittoWsUrl}/mqtt`;
const rabbit = "amqp://guest:guest@127.0.0.1:5672";
/** An idle Mosquitto takes ~200 ms per WebSocket handshake: cap those short-lived runs. */
const maxWebSocketHandshakes = 25;

/** Throws unless the sender reported success: a failed delivery would make its timing meaningless. */
export async function expectSucceeded(outcome: Promise<{ result: string; error?: string }>): Promise<void> {
  const { result, error } = await outcome;
  if (result !== "succeeded") throw new Error(`benchmark delivery failed: ${error ?? result}`);
}

/** Runs `use` on an opened raw publisher and always closes it. */
export async function withOpen<T>(opening: Promise<OpenPublisher>, use: (publisher: OpenPublisher) => Promise<T>): Promise<T> {
  const publisher = await opening;
  try {
    return await use(publisher);
  } finally {
    await publisher.close();
  }
}

async function benchMqtt(url: string, transport: string, iterations: number, shortIterations: number): Promise<BenchRow[]> {
  const topic = `switchyard-bench/${randomUUID()}`;
  const send = (reuseConnection: boolean) => {
    const config = mqttConfigSchema.parse({ url, topic, qos: 1, reuseConnection });
    return () => expectSucceeded(sendMqtt(benchContext(config, "mqtt")));
  };
  const [short, shortBase] = await samplePair(shortIterations, send(false), () => rawMqttShortLived(url, topic));
  const [reused, reusedBase] = await withOpen(openRawMqtt(url, topic), (raw) => samplePair(iterations, send(true), raw.publish));
  await mqttConnectionPool.closeAll();
  return [benchRow("sendMqtt short-lived QoS 1", transport, short, shortBase), benchRow("sendMqtt reused QoS 1", transport, reused, reusedBase)];
}

async function benchAmqp(iterations: number): Promise<BenchRow[]> {
  const admin = await connectAmqp(rabbit, { noDelay: true });
  try {
    const channel = await admin.createChannel();
    const { queue } = await channel.assertQueue(`switchyard-bench-${randomUUID()}`, { exclusive: true, autoDelete: true });
    const send = (reuseConnection: boolean) => {
      const config = amqpConfigSchema.parse({ url: rabbit, exchange: "", routingKey: queue, reuseConnection });
      return () => expectSucceeded(sendAmqp(benchContext(config, "amqp")));
    };
    const [short, shortBase] = await samplePair(iterations, send(false), () => rawAmqpShortLived(rabbit, queue));
    const [reused, reusedBase] = await withOpen(openRawAmqp(rabbit, queue), (raw) => samplePair(iterations, send(true), raw.publish));
    await amqpConnectionPool.closeAll();
    const transport = "RabbitMQ 127.0.0.1:5672 (confirms)";
    return [benchRow("sendAmqp short-lived", transport, short, shortBase), benchRow("sendAmqp reused", transport, reused, reusedBase)];
  } finally {
    await admin.close();
  }
}

export async function benchBrokerDelivery(options: { iterations: number }): Promise<BenchRow[]> {
  const iterations = Math.max(1, Math.min(options.iterations, 1_000));
  const stopBrokers = await ensureTestBrokers();
  try {
    return [
      ...(await benchMqtt(mosquittoTcp, "mosquitto TCP 127.0.0.1:1883", iterations, iterations)),
      ...(await benchMqtt(mosquittoWs, "mosquitto WebSocket 127.0.0.1:19001", iterations, Math.min(iterations, maxWebSocketHandshakes))),
      ...(await benchAmqp(iterations)),
    ];
  } finally {
    await stopBrokers();
  }
}

async function main(): Promise<void> {
  const iterations = Number(process.argv[2] ?? process.env.BENCH_ITERATIONS ?? 200);
  if (!Number.isInteger(iterations) || iterations <= 0) throw new Error(`iterations must be a positive integer, got "${process.argv[2]}"`);
  console.log(`Broker delivery, ${iterations} iterations (WebSocket short-lived: ${Math.min(iterations, maxWebSocketHandshakes)}), ratio = median / baseline median`);
  console.log(formatBenchTable(await benchBrokerDelivery({ iterations })));
}

if (isMainModule(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
