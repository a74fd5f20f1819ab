// The overview page's numbers: the last 24 hours per callback, per hour and per destination,
// with whatever is failing sorted first.
import type { Database } from "@/lib/db";
import { listCallbackRows } from "@/lib/db/queries/callbacks";
import { callbackWindowStats, destinationWindowHealth, hourlyStatusCounts, type CallbackWindowRow, type DestinationHealthRow, type StatusCounts } from "@/lib/db/queries/overview";
import type { DeliveryStatus } from "@/lib/db/schema";
import { uuidv7Floor } from "@/lib/ids";

const overviewWindowHours = 24;
const hourMs = 3_600_000;

export interface CallbackOverview extends StatusCounts {
  id: string;
  name: string;
  enabled: boolean;
  triggers: number;
  total: number;
  /** succeeded ÷ (succeeded + failed + dead); null before anything finished. */
  successRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface HourBucket extends StatusCounts {
  start: string;
}

export interface DestinationHealth {
  id: string;
  callbackId: string;
  callbackName: string;
  name: string;
  kind: string;
  enabled: boolean;
  consecutiveFailures: number;
  disabledReason: string | null;
  total: number;
  failures: number;
  successRate: number | null;
}

export interface Overview {
  from: string;
  to: string;
  totals: StatusCounts & { triggers: number; total: number; successRate: number | null };
  callbacks: CallbackOverview[];
  hours: HourBucket[];
  failingDestinations: DestinationHealth[];
}

const emptyCounts = (): StatusCounts => ({ queued: 0, succeeded: 0, failed: 0, dead: 0, skipped: 0 });

function successRate(counts: Pick<StatusCounts, "succeeded" | "failed" | "dead">): number | null {
  const finished = counts.succeeded + counts.failed + counts.dead;
  return finished === 0 ? null : counts.succeeded / finished;
}

function buildHours(rows: Array<{ hour: number; status: DeliveryStatus; count: number }>, now: Date): HourBucket[] {
  const lastHour = Math.floor(now.getTime() / hourMs);
  const buckets = Array.from({ length: overviewWindowHours }, (_, index) => {
    const hour = lastHour - overviewWindowHours + 1 + index;
    return { hour, bucket: { start: new Date(hour * hourMs).toISOString(), ...emptyCounts() } };
  });
  const byHour = new Map(buckets.map((item) => [item.hour, item.bucket]));
  for (const row of rows) {
    const bucket = byHour.get(row.hour);
    if (bucket) bucket[row.status] += row.count;
  }
  return buckets.map((item) => item.bucket);
}

function isFailing(row: DestinationHealthRow): boolean {
  return (row.failures ?? 0) > 0 || row.consecutive_failures > 0 || (!row.enabled && row.disabled_reason !== null);
}

function toDestinationHealth(row: DestinationHealthRow, names: Map<string, string>): DestinationHealth {
  const failures = row.failures ?? 0;
  return {
    id: row.id,
    callbackId: row.callback_id,
    callbackName: names.get(row.callback_id) ?? "(deleted callback)",
    name: row.name,
    kind: row.kind,
    enabled: row.enabled,
    consecutiveFailures: row.consecutive_failures,
    disabledReason: row.disabled_reason,
    total: row.total ?? 0,
    failures,
    successRate: successRate({ succeeded: row.succeeded ?? 0, failed: failures, dead: 0 }),
  };
}

function toCallbackOverview(callback: { id: string; name: string; enabled: boolean }, stats: CallbackWindowRow | undefined): CallbackOverview {
  const counts = stats ?? { ...emptyCounts(), triggers: 0, total: 0, p50_ms: null, p95_ms: null };
  return {
    id: callback.id,
    name: callback.name,
    enabled: callback.enabled,
    queued: counts.queued,
    succeeded: counts.succeeded,
    failed: counts.failed,
    dead: counts.dead,
    skipped: counts.skipped,
    triggers: counts.triggers,
    total: counts.total,
    successRate: successRate(counts),
    p50Ms: counts.p50_ms === null ? null : Math.round(counts.p50_ms),
    p95Ms: counts.p95_ms === null ? null : Math.round(counts.p95_ms),
  };
}

/** Failing first (most failures), then busiest, then by name. */
function compareCallbacks(a: CallbackOverview, b: CallbackOverview): number {
  const failures = (item: CallbackOverview) => item.failed + item.dead;
  return failures(b) - failures(a) || b.total - a.total || a.name.localeCompare(b.name);
}

export async function loadOverview(db: Database, now = new Date()): Promise<Overview> {
  const from = new Date(now.getTime() - overviewWindowHours * hourMs);
  const fromId = uuidv7Floor(from);
  const [callbackRows, stats, hourly, destinations] = await Promise.all([
    listCallbackRows(db),
    callbackWindowStats(db, fromId),
    hourlyStatusCounts(db, fromId),
    destinationWindowHealth(db, fromId),
  ]);
  const statsById = new Map(stats.map((row) => [row.callback_id, row]));
  const callbacks = callbackRows.map((row) => toCallbackOverview(row, statsById.get(row.id))).sort(compareCallbacks);
  const names = new Map(callbackRows.map((row) => [row.id, row.name]));
  const totals = stats.reduce(
    (sum, row) => {
      for (const key of Object.keys(emptyCounts()) as Array<keyof StatusCounts>) sum[key] += row[key];
      return { ...sum, triggers: sum.triggers + row.triggers, total: sum.total + row.total };
    },
    { ...emptyCounts(), triggers: 0, total: 0 },
  );
  const failingDestinations = destinations
    .filter(isFailing)
    .map((row) => toDestinationHealth(row, names))
    .sort((a, b) => b.failures - a.failures || b.consecutiveFailures - a.consecutiveFailures);
  return {
    from: from.toISOString(),
    to: now.toISOString(),
    totals: { ...totals, successRate: successRate(totals) },
    callbacks,
    hours: buildHours(hourly, now),
    failingDestinations,
  };
}
