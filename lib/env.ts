// The only reader of process.env: validates configuration once and supplies the embedded
// development defaults (PGlite, the local QStash server, generated secrets in .data/).
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/** The SDK's built-in development credentials; the local QStash server answers with them. */
const devQstashCredentials = {
  url: "http://127.0.0.1:8080",
  token: "eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0=",
  currentSigningKey: "sig_7kYjw48mhY7kAjqNGcy6cr29RJ6r",
  nextSigningKey: "sig_5ZB6DVzB1wjE8S6rZ7eenA8Pdnhs",
} as const;

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const rawEnvSchema = z.object({
  NODE_ENV: optionalText,
  VERCEL: optionalText,
  VERCEL_ENV: optionalText.pipe(z.enum(["production", "preview", "development"]).optional()),
  VERCEL_URL: optionalText,
  VERCEL_AUTOMATION_BYPASS_SECRET: optionalText,
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  APP_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  DATABASE_URL: optionalText,
  NEON_WS_PROXY: optionalText,
  DATA_DIR: optionalText,
  QSTASH_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  QSTASH_TOKEN: optionalText,
  QSTASH_CURRENT_SIGNING_KEY: optionalText,
  QSTASH_NEXT_SIGNING_KEY: optionalText,
  UPSTASH_REDIS_REST_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  UPSTASH_REDIS_REST_TOKEN: optionalText,
  KV_REST_API_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  KV_REST_API_TOKEN: optionalText,
  ENCRYPTION_KEY: optionalText,
  ADMIN_TOKEN: optionalText,
  SESSION_SECRET: optionalText,
  CRON_SECRET: optionalText,
  ALLOW_PRIVATE_DESTINATIONS: optionalText.pipe(z.stringbool().optional()),
  RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  BENCH_MINIMAL_ROUTE: optionalText.pipe(z.stringbool().optional()),
});

export interface Env {
  production: boolean;
  /** Vercel's VERCEL_ENV: which kind of deployment this is; undefined off Vercel. */
  vercelEnv: "production" | "preview" | "development" | undefined;
  /** VERCEL_AUTOMATION_BYPASS_SECRET: QStash sends it so deliveries pass Deployment Protection. */
  vercelBypassSecret: string | undefined;
  /** Running on Vercel: its edge sets the client-address headers, so they can be trusted. */
  onVercel: boolean;
  port: number;
  appUrl: string;
  /** Unset: embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  /** host:port of the local WebSocket→TCP proxy the Neon driver uses outside Neon. */
  neonWsProxy: string | undefined;
  dataDir: string;
  qstash: { url: string; token: string; currentSigningKey: string; nextSigningKey: string };
  /** Unset: the in-process cache and limiter (development only). */
  redis: { url: string; token: string } | undefined;
  encryptionKey: Buffer;
  adminToken: string;
  sessionSecret: string;
  cronSecret: string;
  allowPrivateDestinations: boolean;
  retentionDays: number;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  /** `TRIGGER_VAR_*` variables: the only environment templates may read. */
  triggerVars: Readonly<Record<string, string>>;
  /**
   * BENCH_MINIMAL_ROUTE=true, never on Vercel: `npm run bench` turns on its baseline route
   * (/api/bench/minimal-trigger), which publishes to QStash without any check. Off, it is a 404.
   */
  benchMinimalRoute: boolean;
}

/** Variables a production deployment must set; each is named when missing. */
export const requiredInProduction = [
  "APP_URL",
  "DATABASE_URL",
  "QSTASH_TOKEN",
  "QSTASH_CURRENT_SIGNING_KEY",
  "QSTASH_NEXT_SIGNING_KEY",
  "UPSTASH_REDIS_REST_URL",
  "UPSTASH_REDIS_REST_TOKEN",
  "ENCRYPTION_KEY",
  "ADMIN_TOKEN",
  "SESSION_SECRET",
  "CRON_SECRET",
] as const;

/** Secrets a guess must not reach: shorter ones stop a production start (about 190 bits as base64). */
export const minSecretLength = 32;
const lengthCheckedInProduction = ["ADMIN_TOKEN", "SESSION_SECRET", "CRON_SECRET"] as const;

export class EnvError extends Error {
  override name = "EnvError";
}

interface DevSecrets {
  encryptionKey: string;
  adminToken: string;
  sessionSecret: string;
  cronSecret: string;
}

/** Generated once per checkout and kept in .data/ (git-ignored) so restarts keep data readable. */
function loadDevSecrets(dataDir: string): DevSecrets {
  const file = path.join(dataDir, "dev-secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as DevSecrets;
  const secrets: DevSecrets = {
    encryptionKey: randomBytes(32).toString("base64"),
    adminToken: `sy_admin_${randomBytes(24).toString("base64url")}`,
    sessionSecret: randomBytes(32).toString("base64url"),
    cronSecret: randomBytes(24).toString("base64url"),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

function decodeEncryptionKey(value: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, "hex") : Buffer.from(value, "base64");
  if (key.length !== 32) {
    throw new EnvError("ENCRYPTION_KEY must be 32 bytes, base64 or hex encoded (openssl rand -base64 32)");
  }
  return key;
}

function formatIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
}

type RawEnv = z.infer<typeof rawEnvSchema>;

/** The names the Vercel Marketplace's Upstash integration sets, accepted when ours are unset. */
const marketplaceRedisNames = { UPSTASH_REDIS_REST_URL: "KV_REST_API_URL", UPSTASH_REDIS_REST_TOKEN: "KV_REST_API_TOKEN" } as const;

/** A Preview deployment has no domain of its own: QStash calls it back at its generated URL. */
function previewUrl(raw: RawEnv): string | undefined {
  return raw.VERCEL_ENV === "preview" && raw.VERCEL_URL ? `https://${raw.VERCEL_URL}` : undefined;
}

function redisOf(raw: RawEnv): Env["redis"] {
  const url = raw.UPSTASH_REDIS_REST_URL ?? raw.KV_REST_API_URL;
  return url ? { url, token: raw.UPSTASH_REDIS_REST_TOKEN ?? raw.KV_REST_API_TOKEN ?? "local-dev-token" } : undefined;
}

/** Required names that neither they nor their accepted stand-ins provide, as the error names them. */
function missingInProduction(raw: RawEnv): string[] {
  return requiredInProduction.flatMap((name) => {
    if (raw[name] !== undefined) return [];
    if (name === "APP_URL") return previewUrl(raw) ? [] : [name];
    if (name === "UPSTASH_REDIS_REST_URL" || name === "UPSTASH_REDIS_REST_TOKEN") {
      const alternative = marketplaceRedisNames[name];
      return raw[alternative] !== undefined ? [] : [`${name} (or ${alternative})`];
    }
    return [name];
  });
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = rawEnvSchema.safeParse(source);
  if (!parsed.success) throw new EnvError(`Invalid environment: ${formatIssues(parsed.error)}`);
  const raw = parsed.data;
  const production = raw.NODE_ENV === "production" || raw.VERCEL !== undefined;
  if (production) {
    const missing = missingInProduction(raw);
    if (missing.length > 0) {
      throw new EnvError(`Missing required environment variable(s): ${missing.join(", ")}`);
    }
    const short = lengthCheckedInProduction.filter((name) => (raw[name]?.length ?? 0) < minSecretLength);
    if (short.length > 0) {
      throw new EnvError(`Too short (at least ${minSecretLength} characters in production): ${short.join(", ")}`);
    }
  }
  // The folder is only read at run time; the comment keeps the bundler from tracing the project.
  const dataDir = path.resolve(/*turbopackIgnore: true*/ raw.DATA_DIR ?? ".data");
  const dev = production ? undefined : lazyDevSecrets(dataDir);
  const triggerVars = Object.fromEntries(Object.entries(source).filter((entry): entry is [string, string] => entry[0].startsWith("TRIGGER_VAR_") && entry[1] !== undefined));
  return {
    production,
    vercelEnv: raw.VERCEL_ENV,
    vercelBypassSecret: raw.VERCEL_AUTOMATION_BYPASS_SECRET,
    onVercel: raw.VERCEL !== undefined,
    port: raw.PORT,
    appUrl: (raw.APP_URL ?? previewUrl(raw) ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, ""),
    databaseUrl: raw.DATABASE_URL,
    neonWsProxy: raw.NEON_WS_PROXY,
    dataDir,
    qstash: {
      url: (raw.QSTASH_URL ?? (production ? "https://qstash.upstash.io" : devQstashCredentials.url)).replace(/\/+$/, ""),
      token: raw.QSTASH_TOKEN ?? devQstashCredentials.token,
      currentSigningKey: raw.QSTASH_CURRENT_SIGNING_KEY ?? devQstashCredentials.currentSigningKey,
      nextSigningKey: raw.QSTASH_NEXT_SIGNING_KEY ?? devQstashCredentials.nextSigningKey,
    },
    redis: redisOf(raw),
    encryptionKey: decodeEncryptionKey(raw.ENCRYPTION_KEY ?? required(dev, "encryptionKey")),
    adminToken: raw.ADMIN_TOKEN ?? required(dev, "adminToken"),
    sessionSecret: raw.SESSION_SECRET ?? required(dev, "sessionSecret"),
    cronSecret: raw.CRON_SECRET ?? required(dev, "cronSecret"),
    allowPrivateDestinations: raw.ALLOW_PRIVATE_DESTINATIONS ?? !production,
    retentionDays: raw.RETENTION_DAYS,
    logLevel: raw.LOG_LEVEL,
    triggerVars,
    benchMinimalRoute: raw.BENCH_MINIMAL_ROUTE === true && raw.VERCEL === undefined,
  };
}

/** Reads .data/dev-secrets.json only when some development default is actually needed. */
function lazyDevSecrets(dataDir: string): () => DevSecrets {
  let cached: DevSecrets | undefined;
  return () => (cached ??= loadDevSecrets(dataDir));
}

function required(dev: (() => DevSecrets) | undefined, key: keyof DevSecrets): string {
  if (!dev) throw new EnvError(`Missing required environment variable for ${key}`);
  return dev()[key];
}

let cachedEnv: Env | undefined;

/** Parsed on first use (not at import) so `next build` can load route modules without secrets. */
export function getEnv(): Env {
  cachedEnv ??= parseEnv(process.env);
  return cachedEnv;
}

/**
 * VERCEL_ENV alone, for the build: a Preview build must not demand the runtime's variables.
 * Pass another source to test it.
 */
export function readVercelEnv(source: Record<string, string | undefined> = process.env): Env["vercelEnv"] {
  const parsed = rawEnvSchema.shape.VERCEL_ENV.safeParse(source.VERCEL_ENV);
  if (!parsed.success) throw new EnvError(`Invalid environment: VERCEL_ENV: ${formatIssues(parsed.error)}`);
  return parsed.data;
}

/** For tests and scripts that change configuration within one process. */
export function resetEnv(): void {
  cachedEnv = undefined;
}
