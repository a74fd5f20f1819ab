// Per-file RabbitMQ fixture for the AMQP tests: an admin channel, per-test exchanges (deleted
// after each test) and exclusive queues with a consumer recording what arrives.
import { randomUUID } from "node:crypto";
import { connect, type Channel, type ChannelModel, type ConsumeMessage } from "amqplib";
import { afterAll, afterEach, beforeAll } from "vitest";
import { amqpConnectionPool } from "@/lib/destinations/amqp/send-amqp";
import { waitFor } from "./api";

export const rabbitUrl = "amqp://guest:guest@127.0.0.1:5672";

export interface RabbitFixture {
  /** Messages received so far, per queue. */
  received: Map<string, ConsumeMessage[]>;
  /** An exclusive auto-delete queue (gone with the admin connection), bound when `exchange` is given, with a consumer. */
  consumedQueue(exchange?: string, bindingKey?: string, args?: Record<string, unknown>): Promise<string>;
  testExchange(type: "direct" | "topic" | "fanout" | "headers"): Promise<string>;
  /** Waits for the next message on `queue` and takes it off the list. */
  nextOn(queue: string): Promise<ConsumeMessage>;
}

export function useRabbit(): RabbitFixture {
  let admin: ChannelModel | undefined;
  let channel: Channel | undefined;
  const exchanges: string[] = [];
  const received = new Map<string, ConsumeMessage[]>();
  const ready = () => {
    if (!channel) throw new Error("RabbitMQ fixture not started");
    return channel;
  };
  beforeAll(async () => {
    admin = await connect(rabbitUrl, { noDelay: true });
    channel = await admin.createChannel();
  });
  afterEach(async () => {
    await amqpConnectionPool.closeAll();
    for (const exchange of exchanges.splice(0)) await ready().deleteExchange(exchange);
  });
  afterAll(async () => {
    await admin?.close();
  });
  return {
    received,
    consumedQueue: async (exchange, bindingKey = "", args) => {
      const { queue } = await ready().assertQueue("", { exclusive: true, autoDelete: true });
      if (exchange) await ready().bindQueue(queue, exchange, bindingKey, args);
      received.set(queue, []);
      await ready().consume(queue, (message) => message && received.get(queue)?.push(message), { noAck: true });
      return queue;
    },
    testExchange: async (type) => {
      const name = `switchyard-test-${type}-${randomUUID()}`;
      await ready().assertExchange(name, type, { durable: true, autoDelete: false });
      exchanges.push(name);
      return name;
    },
    nextOn: async (queue) => {
      const message = await waitFor(async () => received.get(queue)?.[0], { what: `a message on ${queue}`, timeoutMs: 3_000 });
      received.get(queue)?.shift();
      return message;
    },
  };
}
