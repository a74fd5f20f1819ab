// Shared by the soak files: a bounded request pool, firing many triggers, and reconciling what
// the senders were told (202 + delivery ids, or an error) with the rows the operator reads.
import type { Database } from "@/lib/db";
import type { DeliveryStatus } from "@/lib/db/schema";
import { waitFor } from "../support/api";

/** Runs `task(0..count-1)` with at most `concurrency` in flight; results in index order. */
async function runBounded<T>(count: number, concurrency: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next;
      next += 1;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

export interface FiredTrigger {
  index: number;
  status: number;
  retryAfter: string | null;
  eventId: string;
  deliveryIds: string[];
  /** Until the answer (or the failure) arrived. */
  latencyMs: number;
  /** The request failed without an answer (network error, or no answer within a minute). */
  error?: string;
}

export interface FireOptions {
  count: number;
  concurrency: number;
  body?: (index: number) => unknown;
  headers?: (index: number) => Record<string, string>;
  /** Called after each answer, e.g. to flip a fault once enough answers are in. */
  onAnswer?: (fired: FiredTrigger, answered: number) => void;
}

interface AcceptedBody {
  eventId?: string;
  deliveries?: Array<{ id: string }>;
}

export async function fireTriggers(triggerUrl: string, options: FireOptions): Promise<FiredTrigger[]> {
  let answered = 0;
  return runBounded(options.count, options.concurrency, async (index) => {
    const body = JSON.stringify(options.body ? options.body(index) : { n: index });
    const headers = { "content-type": "application/json", ...options.headers?.(index) };
    let fired: FiredTrigger;
    const started = performance.now();
    try {
      const response = await fetch(triggerUrl, { method: "POST", headers, body, signal: AbortSignal.timeout(60_000) });
      const text = await response.text();
      const parsed = (response.status === 202 ? JSON.parse(text) : {}) as AcceptedBody;
      fired = {
        index,
        status: response.status,
        retryAfter: response.headers.get("retry-after"),
        eventId: parsed.eventId ?? "",
        deliveryIds: (parsed.deliveries ?? []).map((delivery) => delivery.id),
        latencyMs: performance.now() - started,
      };
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
      fired = { index, status: 0, retryAfter: null, eventId: "", deliveryIds: [], latencyMs: performance.now() - started, error: `${String(error)}${cause}` };
    }
    answered += 1;
    options.onAnswer?.(fired, answered);
    return fired;
  });
}

/** "p50 … p99 … max …" of the trigger answers' latency. */
export function latencySummary(fired: FiredTrigger[]): string {
  const sorted = fired.map((trigger) => trigger.latencyMs).sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0);
  return `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${Math.round(sorted.at(-1) ?? 0)} ms`;
}

export function countBy<T>(items: Iterable<T>, key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

/**
 * Polls until every id in `deliveryIds` has a row in a terminal status (none queued, none
 * missing); returns the rows. Fails with the counts seen last.
 */
export async function waitForTerminal(db: Database, deliveryIds: string[], timeoutMs: number) {
  const wanted = new Set(deliveryIds);
  let last = "";
  return waitFor(
    async () => {
      const rows = await selectDeliveries(db, deliveryIds);
      const settled = rows.filter((row) => row.status !== "queued");
      last = `${rows.length}/${wanted.size} rows, ${settled.length} terminal ${JSON.stringify(countBy(rows, (row) => row.status))}`;
      return settled.length === wanted.size ? rows : undefined;
    },
    { timeoutMs, intervalMs: 250, what: `every delivery to settle` },
  ).catch((error: unknown) => {
    throw new Error(`${error instanceof Error ? error.message : String(error)} — last seen: ${last}`);
  });
}

export interface DeliveryFacts {
  id: string;
  status: DeliveryStatus;
  attempts: number;
  kind: string;
  last_error: string | null;
}

/** The rows for these ids, in chunks so the parameter list stays small. */
async function selectDeliveries(db: Database, ids: string[]): Promise<DeliveryFacts[]> {
  const rows: DeliveryFacts[] = [];
  for (let start = 0; start < ids.length; start += 1_000) {
    const chunk = ids.slice(start, start + 1_000);
    if (chunk.length === 0) continue;
    rows.push(...(await db.selectFrom("deliveries").select(["id", "status", "attempts", "kind", "last_error"]).where("id", "in", chunk).execute()));
  }
  return rows;
}

export interface AttemptFacts {
  delivery_id: string;
  attempt: number;
  outcome: string;
  error: string | null;
  qstash_retried: number | null;
  started_at: Date;
  duration_ms: number;
}

export async function selectAttempts(db: Database, deliveryIds: string[]): Promise<AttemptFacts[]> {
  const rows: AttemptFacts[] = [];
  for (let start = 0; start < deliveryIds.length; start += 1_000) {
    const chunk = deliveryIds.slice(start, start + 1_000);
    if (chunk.length === 0) continue;
    rows.push(
      ...(await db
        .selectFrom("delivery_attempts")
        .select(["delivery_id", "attempt", "outcome", "error", "qstash_retried", "started_at", "duration_ms"])
        .where("delivery_id", "in", chunk)
        .orderBy("delivery_id")
        .orderBy("attempt")
        .execute()),
    );
  }
  return rows;
}

/**
 * What a receiver got against what it should have: `received` expected ids that arrived,
 * `duplicates` extra copies of them, `missing` expected ids that never arrived, `unexpected`
 * ids nobody expected here.
 */
export function reconcileArrivals(expected: string[], arrivals: string[]) {
  const seen = new Map<string, number>();
  for (const id of arrivals) seen.set(id, (seen.get(id) ?? 0) + 1);
  const expectedSet = new Set(expected);
  const missing = expected.filter((id) => !seen.has(id));
  const arrived = expected.filter((id) => seen.has(id));
  const duplicates = arrived.reduce((sum, id) => sum + (seen.get(id) ?? 1) - 1, 0);
  const unexpected = [...seen.keys()].filter((id) => !expectedSet.has(id));
  return { received: arrived.length, duplicates, missing, unexpected };
}

export function log(line: string): void {
  // Vitest swallows console output of passing tests unless asked; stderr shows in the run log.
  process.stderr.write(`[soak] ${line}\n`);
}
