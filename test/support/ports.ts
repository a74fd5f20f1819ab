// Loopback ports and environment for one integration run. Ports are picked free at config
// load and the database is named per run, so two runs on one machine never collide.
// Relative, unlike every other import of scripts/: vitest.config.ts loads this file before the "@/" alias exists.
import { freePort } from "../../scripts/lib/net-tools";

export interface TestPorts {
  app: number;
  qstash: number;
  redisBridge: number;
  wsProxy: number;
}

export async function allocateTestPorts(): Promise<TestPorts> {
  return { app: await freePort(), qstash: await freePort(), redisBridge: await freePort(), wsProxy: await freePort() };
}

/** The values a test or the global setup needs, read back from the environment vitest passes. */
export function testConfig(env: Record<string, string | undefined> = process.env) {
  const port = (name: string) => Number(env[name]);
  return {
    ports: {
      app: port("SY_TEST_APP_PORT"),
      qstash: port("SY_TEST_QSTASH_PORT"),
      redisBridge: port("SY_TEST_REDIS_BRIDGE_PORT"),
      wsProxy: port("SY_TEST_WS_PROXY_PORT"),
    } satisfies TestPorts,
    databaseName: env.SY_TEST_DATABASE ?? "switchyard_test",
  };
}

export const devQstash = {
  token: "eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0=",
  currentSigningKey: "sig_7kYjw48mhY7kAjqNGcy6cr29RJ6r",
  nextSigningKey: "sig_5ZB6DVzB1wjE8S6rZ7eenA8Pdnhs",
} as const;

export const testAdminToken = "test-admin-token-0123456789abcdef";

export function integrationEnv(ports: TestPorts, databaseName: string): Record<string, string> {
  return {
    SY_TEST_APP_PORT: String(ports.app),
    SY_TEST_QSTASH_PORT: String(ports.qstash),
    SY_TEST_REDIS_BRIDGE_PORT: String(ports.redisBridge),
    SY_TEST_WS_PROXY_PORT: String(ports.wsProxy),
    SY_TEST_DATABASE: databaseName,
    NODE_ENV: "test",
    APP_URL: `http://127.0.0.1:${ports.app}`,
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${databaseName}`,
    NEON_WS_PROXY: `127.0.0.1:${ports.wsProxy}`,
    QSTASH_URL: `http://127.0.0.1:${ports.qstash}`,
    QSTASH_TOKEN: devQstash.token,
    QSTASH_CURRENT_SIGNING_KEY: devQstash.currentSigningKey,
    QSTASH_NEXT_SIGNING_KEY: devQstash.nextSigningKey,
    QSTASH_DEV_BACKOFF_MS: "50",
    UPSTASH_REDIS_REST_URL: `http://127.0.0.1:${ports.redisBridge}`,
    UPSTASH_REDIS_REST_TOKEN: "local-dev-token",
    REDIS_URL: "redis://127.0.0.1:6379",
    ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
    ADMIN_TOKEN: testAdminToken,
    SESSION_SECRET: "test-session-secret-0123456789abcdef",
    CRON_SECRET: "test-cron-secret-0123456789abcdef",
    ALLOW_PRIVATE_DESTINATIONS: "true",
    RETENTION_DAYS: "30",
    LOG_LEVEL: "error",
  };
}
