// A real MQTT subscriber for the broker tests: records what arrives and lets a test wait for it.
import { connectAsync, type IClientOptions, type IPublishPacket, type MqttClient } from "mqtt";
import { waitFor } from "./api";

export interface ReceivedMessage {
  topic: string;
  payload: string;
  packet: IPublishPacket;
}

export interface Subscriber {
  client: MqttClient;
  messages: ReceivedMessage[];
  /** Waits for a message on `topic` (optionally matching `predicate`) and returns it. */
  next(topic: string, predicate?: (message: ReceivedMessage) => boolean, timeoutMs?: number): Promise<ReceivedMessage>;
  close(): Promise<void>;
}

export async function subscribe(url: string, topics: string[], options: IClientOptions = {}): Promise<Subscriber> {
  const client = await connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5_000, ...options });
  client.on("error", () => undefined);
  const messages: ReceivedMessage[] = [];
  client.on("message", (topic, payload, packet) => messages.push({ topic, payload: payload.toString("utf8"), packet }));
  if (topics.length > 0) await client.subscribeAsync(topics, { qos: 2 });
  return {
    client,
    messages,
    next: (topic, predicate = () => true, timeoutMs = 5_000) =>
      waitFor(async () => messages.find((message) => message.topic === topic && predicate(message)), { timeoutMs, what: `a message on ${topic}` }),
    close: () => client.endAsync(true),
  };
}

/** Runs `use` with a subscriber on `topics`, closing it afterwards whatever happens. */
export async function withSubscriber<T>(url: string, topics: string[], use: (subscriber: Subscriber) => Promise<T>, protocolVersion: 4 | 5 = 4): Promise<T> {
  const subscriber = await subscribe(url, topics, { protocolVersion });
  try {
    return await use(subscriber);
  } finally {
    await subscriber.close();
  }
}
