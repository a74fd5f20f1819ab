// A complete production environment for lib/env's parser: the unit tests of production rules
// start from it and change the one variable they test.
export const completeProductionEnv: Readonly<Record<string, string>> = {
  NODE_ENV: "production",
  APP_URL: "https://hooks.example.com",
  DATABASE_URL: "postgres://u:p@ep-x.neon.tech/db",
  QSTASH_TOKEN: "t",
  QSTASH_CURRENT_SIGNING_KEY: "sig_a",
  QSTASH_NEXT_SIGNING_KEY: "sig_b",
  UPSTASH_REDIS_REST_URL: "https://r.upstash.io",
  UPSTASH_REDIS_REST_TOKEN: "rt",
  ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
  ADMIN_TOKEN: "admin-token-0123456789abcdef-012345",
  SESSION_SECRET: "session-secret-0123456789abcdef-0",
  CRON_SECRET: "cron-secret-0123456789abcdef-01234",
};
