// Knobs of the local stack itself (not of the app, which lib/env.ts reads).
import { parsePort } from "../lib/cli";
export interface DevSettings {
  qstashPort: number;
  redisBridgePort: number;
  wsProxyPort: number;
  sinkPort: number;
  redisUrl: string;
  /** The operator set these, so the stack must not start its own stand-in. */
  external: { qstash: boolean; redis: boolean; wsProxy: boolean };
}

export function readDevSettings(source: Record<string, string | undefined>): DevSettings {
  return {
    qstashPort: parsePort(source.QSTASH_PORT, 8080, "QSTASH_PORT"),
    redisBridgePort: parsePort(source.REDIS_BRIDGE_PORT, 8079, "REDIS_BRIDGE_PORT"),
    wsProxyPort: parsePort(source.NEON_WS_PROXY_PORT, 8081, "NEON_WS_PROXY_PORT"),
    sinkPort: parsePort(source.DEMO_SINK_PORT, 8090, "DEMO_SINK_PORT"),
    redisUrl: source.REDIS_URL || "redis://127.0.0.1:6379",
    external: {
      qstash: Boolean(source.QSTASH_URL),
      // The Vercel Marketplace's name counts too: lib/env.ts takes it when ours is unset.
      redis: Boolean(source.UPSTASH_REDIS_REST_URL || source.KV_REST_API_URL),
      wsProxy: Boolean(source.NEON_WS_PROXY),
    },
  };
}
