// Retention: deliveries, attempts, events and alerts older than RETENTION_DAYS are deleted in
// bounded batches under a time budget, so one cron invocation never runs away. Order matters:
// attempts, then deliveries (with any attempts left), then events no retained delivery still
// references (a recent replay keeps its old event), then alerts.
import type { Database } from "@/lib/db";
import { deleteOldDeliveries, deleteOldEvents, deleteOldRows } from "@/lib/db/queries/retention";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { uuidv7Floor } from "@/lib/ids";

const defaultBatchSize = 5_000;
/** Well inside the cron route's maxDuration (vercel.json), leaving room for the last batch. */
const defaultTimeBudgetMs = 20_000;

export interface PruneOptions {
  now?: Date;
  batchSize?: number;
  timeBudgetMs?: number;
}

export interface PruneResult {
  deleted: { deliveries: number; attempts: number; events: number; alerts: number };
  /** True when the time budget ran out first: the next run continues where this one stopped. */
  more: boolean;
  cutoff: string;
}

const dayMs = 86_400_000;

/**
 * Runs batches until one comes back short (done: true) or the budget is spent after a full one
 * (done: false). Each phase gets at least one batch per run, so even a tiny budget makes progress
 * and a run overshoots its budget by at most one batch per phase.
 */
async function drain(batch: () => Promise<boolean>, deadline: number): Promise<boolean> {
  for (;;) {
    if (await batch()) return true;
    if (Date.now() >= deadline) return false;
  }
}

export async function pruneExpired(db: Database, options: PruneOptions = {}): Promise<PruneResult> {
  const now = options.now ?? new Date();
  const limit = options.batchSize ?? defaultBatchSize;
  const cutoff = new Date(now.getTime() - getEnv().retentionDays * dayMs);
  const beforeId = uuidv7Floor(cutoff);
  const deadline = Date.now() + (options.timeBudgetMs ?? defaultTimeBudgetMs);
  const deleted = { deliveries: 0, attempts: 0, events: 0, alerts: 0 };
  let afterEventId: string | null = null;
  const phases = [
    async () => {
      const count = await deleteOldRows(db, "delivery_attempts", beforeId, limit);
      deleted.attempts += count;
      return count < limit;
    },
    async () => {
      const counts = await deleteOldDeliveries(db, beforeId, limit);
      deleted.deliveries += counts.deliveries;
      deleted.attempts += counts.attempts;
      return counts.deliveries < limit;
    },
    async () => {
      const result = await deleteOldEvents(db, { afterId: afterEventId, beforeId }, limit);
      deleted.events += result.deleted;
      afterEventId = result.lastId;
      return result.examined < limit;
    },
    async () => {
      const count = await deleteOldRows(db, "alerts", beforeId, limit);
      deleted.alerts += count;
      return count < limit;
    },
  ];
  let more = false;
  for (const phase of phases) {
    if (!(await drain(phase, deadline))) {
      more = true;
      break;
    }
  }
  const result = { deleted, more, cutoff: cutoff.toISOString() };
  log.info("retention run", result);
  return result;
}
