// Local stand-in for Upstash Redis: speaks its REST protocol over a real redis-server, so the
// unmodified @upstash/redis and @upstash/ratelimit clients run in development and tests.
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { closeOnSignals, isMainModule, parsePort, runMain } from "./lib/cli";
import { createRequestHandler } from "./redis-bridge/handler";
import { openRedisLink } from "./redis-bridge/redis-link";

export interface RedisBridgeOptions {
  /** Interface to bind; loopback by default because the bridge has no TLS. */
  host?: string;
  /** 0 picks an ephemeral port. */
  port?: number;
  redisUrl?: string;
  token?: string;
  log?: (line: string) => void;
}

export interface RedisBridge {
  /** Base URL for `new Redis({ url, token })`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const defaults = {
  host: "127.0.0.1",
  port: 0,
  redisUrl: "redis://127.0.0.1:6379",
  token: "local-dev-token",
} as const;

/** Long enough for a local Redis to accept; short enough that a dead one does not stall start-up. */
const readyWaitMs = 1_500;

export async function startRedisBridge(options: RedisBridgeOptions = {}): Promise<RedisBridge> {
  const host = options.host ?? defaults.host;
  const log = options.log ?? (() => undefined);
  const link = await openRedisLink({ url: options.redisUrl ?? defaults.redisUrl, log, readyWaitMs });
  const server = createServer(createRequestHandler({ link, token: options.token ?? defaults.token, log }));
  try {
    server.listen(options.port ?? defaults.port, host);
    await once(server, "listening");
  } catch (error) {
    await link.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close() {
      closing ??= closeAll(server, link);
      return closing;
    },
  };
}

async function closeAll(server: ReturnType<typeof createServer>, link: { close(): Promise<void> }): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // fetch keeps connections alive; without this server.close() waits for them to idle out.
  server.closeAllConnections();
  await closed;
  await link.close();
}

async function main(): Promise<void> {
  const bridge = await startRedisBridge({
    port: parsePort(process.env.REDIS_BRIDGE_PORT, 8079, "REDIS_BRIDGE_PORT"),
    redisUrl: process.env.REDIS_URL || defaults.redisUrl,
    token: process.env.UPSTASH_REDIS_REST_TOKEN || defaults.token,
    log: (line) => console.log(line),
  });
  console.log(`redis-bridge: Upstash REST on ${bridge.url} (UPSTASH_REDIS_REST_URL=${bridge.url})`);
  closeOnSignals(bridge.close);
}

if (isMainModule(import.meta.url)) runMain(main);
