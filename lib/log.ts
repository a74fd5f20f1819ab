// Structured one-line JSON logs. Fields whose names look like credentials are masked here, so a
// careless call site cannot print a secret.
import { getEnv } from "@/lib/env";
import { redactedValue } from "@/lib/redacted";

type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level | "silent", number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

const sensitiveKey = /pass(word)?|secret|token|authorization|api[-_]?key|cookie|signature|credential|private/i;

export { redactedValue };

function threshold(): number {
  try {
    return order[getEnv().logLevel];
  } catch {
    // A broken environment must not silence the error that reports it.
    return order.info;
  }
}

function sanitize(value: unknown, depth = 0): unknown {
  if (depth > 6) return "[depth]";
  if (value instanceof Error) {
    return { name: value.name, message: value.message, ...(value.cause ? { cause: sanitize(value.cause, depth + 1) } : {}) };
  }
  // Some clients reject with a non-Error (the Neon driver: ws's ErrorEvent) whose message is a
  // prototype getter: keep it, or an unreachable database logs as `"error": {}`.
  if (isMessageCarrier(value)) return { name: value.constructor?.name ?? "Object", message: value.message };
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => sanitize(item, depth + 1));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, sensitiveKey.test(key) ? redactedValue : sanitize(inner, depth + 1)]));
  }
  return value;
}

function isMessageCarrier(value: unknown): value is { message: string; constructor?: { name: string } } {
  if (!value || typeof value !== "object" || Object.hasOwn(value, "message")) return false;
  return typeof (value as { message?: unknown }).message === "string";
}

function write(level: Level, message: string, fields?: Record<string, unknown>): void {
  if (order[level] < threshold()) return;
  const line = JSON.stringify({ level, time: new Date().toISOString(), msg: message, ...(sanitize(fields ?? {}) as object) });
  if (level === "error" || level === "warn") console.error(line);
  else console.log(line);
}

export const log = {
  debug: (message: string, fields?: Record<string, unknown>) => write("debug", message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write("info", message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write("warn", message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write("error", message, fields),
};

const warnedOnce = new Set<string>();

/** For conditions that persist (e.g. Redis down): say it once per process, not per request. */
export function warnOnce(key: string, message: string, fields?: Record<string, unknown>): void {
  if (warnedOnce.has(key)) return;
  warnedOnce.add(key);
  log.warn(message, fields);
}

export function clearWarnOnce(key: string): void {
  warnedOnce.delete(key);
}
