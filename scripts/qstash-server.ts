// Local QStash-compatible server for development and tests (`npm run qstash`). It speaks the
// wire format of @upstash/qstash 2.12, so the unmodified Client and Receiver work against it.
//
// All state is in memory. A restart loses: pending and retrying messages (they are never
// delivered), the DLQ, and deduplication ids (a re-sent dedup id is accepted as new).
// Plan limits follow QSTASH_DEV_PLAN (free, payg, fixed-1m, fixed-10m; default free): the attempt
// timeout without Upstash-Timeout, the account-wide parallelism, the message size, the longest
// delay and the number and parallelism of queues.
// QSTASH_DEV_DAILY_QUOTA turns on the daily message quota (429 once used up).
// Flow control enforces parallelism, rate and period per key, pause/resume, pin/unpin and
// resetRate; queues are FIFO with their parallelism, pause/resume and the plan's queue limits.
// Not implemented: URL groups (a non-URL destination is an unknown group), schedules, logs/events,
// per-callback Upstash-Callback-* options, and POST /v2/flowControl/{key}/reset (changelog only).
// Deliberate differences: redirects are not followed (a 3xx is a failed attempt, which surfaces
// a wrong destination URL), GET/HEAD deliveries carry no body, and the success callback fires
// once, on the 2xx, not after every attempt.
import { closeOnSignals, isMainModule, parsePort, runMain } from "./lib/cli";
import { isPlanName, type QstashPlanName } from "./qstash/plans";
import { devCredentials, startQstashServer } from "./qstash/server";

export { devCredentials, startQstashServer } from "./qstash/server";
export type { QstashPlanName } from "./qstash/plans";
export type { BatchEntryView, QstashServer, QstashServerOptions } from "./qstash/types";

function parseBackoff(value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  const backoffMs = Number(value);
  if (!Number.isFinite(backoffMs) || backoffMs < 0) {
    throw new Error(`QSTASH_DEV_BACKOFF_MS "${value}" is not a number of ms`);
  }
  return backoffMs;
}

function parsePlan(value: string | undefined): QstashPlanName | undefined {
  if (value === undefined || value === "") return undefined;
  if (!isPlanName(value)) throw new Error(`QSTASH_DEV_PLAN "${value}" is not one of free, payg, fixed-1m, fixed-10m`);
  return value;
}

function parseQuota(value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`QSTASH_DEV_DAILY_QUOTA "${value}" is not a number of messages`);
  return Number(value);
}

async function main(): Promise<void> {
  const server = await startQstashServer({
    host: "127.0.0.1",
    port: parsePort(process.env.QSTASH_PORT, 8080, "QSTASH_PORT"),
    backoffBaseMs: parseBackoff(process.env.QSTASH_DEV_BACKOFF_MS),
    plan: parsePlan(process.env.QSTASH_DEV_PLAN),
    dailyMessageQuota: parseQuota(process.env.QSTASH_DEV_DAILY_QUOTA),
    log: (line) => console.log(`[qstash] ${new Date().toISOString()} ${line}`),
  });
  console.log(
    [
      `QStash (local) ready on ${server.url}`,
      `  QSTASH_URL=${server.url}`,
      `  QSTASH_TOKEN=${devCredentials.token}`,
      `  QSTASH_CURRENT_SIGNING_KEY=${devCredentials.currentSigningKey}`,
      `  QSTASH_NEXT_SIGNING_KEY=${devCredentials.nextSigningKey}`,
    ].join("\n"),
  );
  closeOnSignals(server.close, (signal) => console.log(`[qstash] ${signal}: closing; pending messages are dropped`));
}

if (isMainModule(import.meta.url)) runMain(main);
