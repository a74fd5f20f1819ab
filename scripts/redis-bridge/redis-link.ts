// The bridge's one connection to Redis: RESP2, fail-fast while offline, reconnecting in the
// background, with transactions and blocking commands kept off other callers' replies.
import { ErrorReply, RESP_TYPES, createClient } from "redis";
import { isBlocking, refusalReason } from "./commands";
import type { RedisCommand } from "./commands";
import { createLuaScriptMap } from "./lua-scripts";
import type { LuaScriptMap } from "./lua-scripts";

export type Outcome = { ok: true; reply: unknown } | { ok: false; error: string };
export type TransactionOutcome = { ok: true; items: Outcome[] } | { ok: false; error: string };

/** Redis could not be reached or did not answer; never a reply from Redis itself. */
export class RedisUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "RedisUnavailableError";
  }
}

export interface RedisLinkOptions {
  url: string;
  log: (line: string) => void;
  /** How long start-up waits for the first connection before serving 503s meanwhile. */
  readyWaitMs: number;
}

export interface RedisLink {
  run(command: RedisCommand): Promise<Outcome>;
  runPipeline(commands: RedisCommand[]): Promise<Outcome[]>;
  runTransaction(commands: RedisCommand[]): Promise<TransactionOutcome>;
  close(): Promise<void>;
}

// Bulk strings as Buffers keep values binary-safe and tell them apart from status replies.
const typeMapping = { [RESP_TYPES.BLOB_STRING]: Buffer };
const connectTimeoutMs = 1_000;
const commandTimeoutMs = 10_000;

function createRedisClient(url: string) {
  return createClient({
    url,
    RESP: 2,
    // Queued commands would hang HTTP callers while Redis is down; failing fast answers 503.
    disableOfflineQueue: true,
    socket: { connectTimeout: connectTimeoutMs, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000) },
  });
}
type RedisClient = ReturnType<typeof createRedisClient>;

function settle(promise: Promise<unknown>, mapReply: (reply: unknown) => unknown): Promise<Outcome> {
  return promise.then(
    (reply): Outcome => ({ ok: true, reply: mapReply(reply) }),
    (error: unknown): Outcome => {
      if (error instanceof ErrorReply) return { ok: false, error: error.message };
      if (error instanceof RedisUnavailableError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new RedisUnavailableError(`Redis is unavailable: ${reason}`, { cause: error });
    },
  );
}

function watchConnection(client: RedisClient, url: string, log: (line: string) => void): void {
  let healthy = true;
  // node-redis emits an error per reconnect attempt; one line per outage is enough.
  client.on("error", (error: unknown) => {
    if (!healthy) return;
    healthy = false;
    log(`redis-bridge: cannot reach ${url} (${error instanceof Error ? error.message : String(error)}); retrying in the background`);
  });
  client.on("ready", () => {
    if (!healthy) log(`redis-bridge: connected to ${url}`);
    healthy = true;
  });
}

function waitUntilReady(client: RedisClient, waitMs: number): Promise<void> {
  if (client.isReady) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      client.off("ready", done);
      resolve();
    };
    const timer = setTimeout(done, waitMs);
    client.on("ready", done);
  });
}

export async function openRedisLink(options: RedisLinkOptions): Promise<RedisLink> {
  const client = createRedisClient(options.url);
  watchConnection(client, options.url, options.log);
  // connect() keeps retrying per reconnectStrategy, so it is not awaited: the bridge starts anyway.
  client.connect().catch(() => undefined);
  await waitUntilReady(client, options.readyWaitMs);
  return buildLink(client);
}

function buildLink(client: RedisClient): RedisLink {
  const scripts = createLuaScriptMap();
  const blockingClients = new Set<RedisClient>();

  const send = (command: RedisCommand): Promise<Outcome> => {
    const refusal = refusalReason(command);
    if (refusal) return Promise.resolve({ ok: false, error: refusal });
    const { args, mapReply } = scripts.prepare(command);
    if (isBlocking(command)) return settle(runBlocking(client, blockingClients, args), mapReply);
    return settle(client.sendCommand(args, { typeMapping, timeout: commandTimeoutMs }), mapReply);
  };

  return {
    run: send,
    async runPipeline(commands) {
      // Non-blocking commands go out together (one round trip); a blocking one waits for its
      // predecessors so replies still follow request order.
      const outcomes: Outcome[] = [];
      let batch: Promise<Outcome>[] = [];
      for (const command of commands) {
        if (!isBlocking(command)) {
          batch.push(send(command));
          continue;
        }
        outcomes.push(...(await Promise.all(batch)));
        batch = [];
        outcomes.push(await send(command));
      }
      outcomes.push(...(await Promise.all(batch)));
      return outcomes;
    },
    runTransaction: (commands) => runTransaction(client, scripts, commands),
    async close() {
      for (const blocking of blockingClients) blocking.destroy();
      if (client.isOpen) client.destroy();
    },
  };
}

async function runBlocking(client: RedisClient, registry: Set<RedisClient>, args: RedisCommand): Promise<unknown> {
  if (!client.isReady) throw new RedisUnavailableError("Redis is unavailable: the client is offline");
  // No reconnect loop: a caller waits on this connection, so a failure must surface at once.
  const dedicated = client.duplicate({ socket: { connectTimeout: connectTimeoutMs, reconnectStrategy: false } });
  dedicated.on("error", () => undefined);
  registry.add(dedicated);
  try {
    await dedicated.connect();
    return await dedicated.sendCommand(args, { typeMapping });
  } finally {
    registry.delete(dedicated);
    dedicated.destroy();
  }
}

/**
 * MULTI … EXEC on the shared connection as one node-redis chain, so nothing interleaves. Sent by
 * hand rather than with client.multi() because that decodes EXEC's reply without the type
 * mapping, which would lose binary values and the bulk/status distinction.
 */
async function runTransaction(client: RedisClient, scripts: LuaScriptMap, commands: RedisCommand[]): Promise<TransactionOutcome> {
  const refusal = commands.map(refusalReason).find((reason) => reason !== undefined);
  if (refusal) return { ok: false, error: refusal };
  const prepared = commands.map((command) => scripts.prepare(command));
  const options = { chainId: Symbol("multi-exec"), typeMapping, timeout: commandTimeoutMs };
  const queued = [client.sendCommand(["MULTI"], options), ...prepared.map(({ args }) => client.sendCommand(args, options))].map((promise) => settle(promise, (reply) => reply));
  const exec = settle(client.sendCommand(["EXEC"], options), (reply) => reply);
  // Awaited together: if Redis drops mid-chain every promise rejects, and none may go unhandled.
  const [queueOutcomes, execOutcome] = await Promise.all([Promise.all(queued), exec]);
  if (!execOutcome.ok) {
    // EXECABORT alone does not say which command was wrong; the queue-time error does.
    const cause = queueOutcomes.find((outcome) => !outcome.ok);
    return { ok: false, error: cause && !cause.ok ? `${execOutcome.error} ${cause.error}` : execOutcome.error };
  }
  const replies = Array.isArray(execOutcome.reply) ? execOutcome.reply : [];
  const items = replies.map((reply: unknown, index): Outcome => {
    if (reply instanceof ErrorReply) return { ok: false, error: reply.message };
    return { ok: true, reply: prepared[index].mapReply(reply) };
  });
  return { ok: true, items };
}
