// amqplib wrapped for one attempt (or one pooled connection): connect with Nagle off, publish on
// a confirm channel, wait for the publisher confirm, close. Connection and channel errors reach
// amqplib as 'error' events; each has a listener, since an unheard one would crash the function.
import { connect, type ChannelModel, type ConfirmChannel, type Message } from "amqplib";
import { addressPolicy, assertLiteralAllowed, guardedLookup } from "@/lib/destinations/address-guard";
import { beforeDeadline, startDeadline, type Deadline } from "@/lib/destinations/broker/support";
import type { AmqpMessage } from "@/lib/destinations/amqp/message";
import type { TlsConnectOptions } from "@/lib/destinations/tls/options";

/** A confirm channel and what the broker said on it. */
interface ConfirmLane {
  channel: ConfirmChannel;
  /** Why the broker closed the channel (404 exchange missing, 406…), once it has. */
  error?: Error;
  closed: boolean;
  /** basic.return by messageId; the broker sends it before that message's confirm. */
  returned: Map<string, AmqpUnroutableError>;
}

export interface AmqpConnection {
  model: ChannelModel;
  closed: boolean;
  /** A pooled connection keeps its confirm channel between deliveries (opening one costs ~3 ms). */
  lane?: Promise<ConfirmLane>;
}

/** basic.return: a mandatory message no queue was bound for. */
export class AmqpUnroutableError extends Error {
  override name = "AmqpUnroutableError";
  constructor(
    readonly replyCode: number,
    readonly replyText: string,
  ) {
    super(`${replyCode} ${replyText}`);
  }
}

const closeGraceMs = 1_000;

/** The socket under a ChannelModel, to cut it when the broker does not answer a close. */
function destroySocket(model: ChannelModel): void {
  const inner = model.connection as unknown as { stream?: { destroy?: () => void } };
  inner.stream?.destroy?.();
}

function ignore(): void {}

/**
 * `tls` (amqps:// only) goes to amqplib's socket options, which it hands to tls.connect; amqplib
 * itself sets host, port and, for a host name, servername (ours, when set, wins).
 */
export async function openAmqpConnection(connectUrl: string, deadline: Deadline, allowPrivate: boolean, tls?: TlsConnectOptions): Promise<AmqpConnection> {
  const url = new URL(connectUrl);
  // Checked again at connect time, so a DNS answer cannot change between the check and the use.
  assertLiteralAllowed(url.hostname, addressPolicy(allowPrivate));
  const timeout = Math.max(1, Math.ceil(deadline.remainingMs()));
  const secure = url.protocol === "amqps:" ? (tls ?? {}) : {};
  const opening = connect(connectUrl, { ...secure, noDelay: true, timeout, lookup: guardedLookup(addressPolicy(allowPrivate)) });
  // A connection that opens after the deadline gave up must not be left behind.
  const model = await beforeDeadline(opening, deadline, "connect", () => void opening.then((late) => late.close().catch(ignore), ignore));
  const connection: AmqpConnection = { model, closed: false };
  model.on("error", ignore);
  model.on("close", () => {
    connection.closed = true;
  });
  return connection;
}

async function openLane(connection: AmqpConnection): Promise<ConfirmLane> {
  const channel = await connection.model.createConfirmChannel();
  const lane: ConfirmLane = { channel, closed: false, returned: new Map() };
  channel.on("error", (error: Error) => {
    lane.error = error;
  });
  channel.on("close", () => {
    lane.closed = true;
  });
  channel.on("return", (message: Message) => {
    // amqplib's types leave out basic.return's reply fields, which it does pass.
    const fields = message.fields as Message["fields"] & { replyCode?: number; replyText?: string };
    const id: unknown = message.properties.messageId;
    if (typeof id === "string") lane.returned.set(id, new AmqpUnroutableError(fields.replyCode ?? 312, fields.replyText ?? "NO_ROUTE"));
  });
  return lane;
}

/** The pooled connection's lane, or a new one when it has none or the broker closed it. */
function laneOf(connection: AmqpConnection): Promise<ConfirmLane> {
  const current = connection.lane;
  const fresh = () => (connection.lane = openLane(connection));
  if (!current) return fresh();
  return current.then((lane) => (lane.closed ? fresh() : lane), fresh);
}

async function publishOnLane(lane: ConfirmLane, message: AmqpMessage): Promise<void> {
  const { channel } = lane;
  if (message.exchange !== "") {
    if (message.declareExchange) await channel.assertExchange(message.exchange, message.exchangeType, { durable: message.durable });
    else await channel.checkExchange(message.exchange);
  }
  const content = Buffer.from(message.payload, "utf8");
  // This message's own confirm: on a private channel the same as waitForConfirms, and on a
  // shared pooled channel it does not wait for other deliveries' messages.
  const id = message.options.messageId;
  try {
    await new Promise<void>((resolve, reject) => {
      channel.publish(message.exchange, message.routingKey, content, message.options, (error: Error | null) => (error ? reject(error) : resolve()));
    });
    const returned = lane.returned.get(id);
    if (returned) throw returned;
  } finally {
    lane.returned.delete(id);
  }
}

/** Declares or checks the exchange, publishes, waits for the publisher confirm (and any return). */
export async function publishAmqp(connection: AmqpConnection, message: AmqpMessage, deadline: Deadline, keepChannel: boolean): Promise<void> {
  let lane: ConfirmLane | undefined;
  const work = async () => {
    lane = keepChannel ? await laneOf(connection) : await openLane(connection);
    await publishOnLane(lane, message);
  };
  try {
    await beforeDeadline(work(), deadline, "publish", () => destroySocket(connection.model));
  } catch (error) {
    // On a private channel, "channel closed" hides the reason the broker gave in its
    // channel.close; on a shared one that reason may belong to another delivery.
    throw (!keepChannel && lane?.error) || error;
  }
}

/** connection.close and wait for close-ok; cut the socket if the broker does not answer in time. */
export async function closeAmqpConnection(connection: AmqpConnection, graceMs = closeGraceMs): Promise<void> {
  if (connection.closed) {
    destroySocket(connection.model);
    return;
  }
  try {
    await beforeDeadline(connection.model.close(), startDeadline(graceMs), "close", () => destroySocket(connection.model));
  } catch {
    destroySocket(connection.model);
  }
}
