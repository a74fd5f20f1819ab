// Queries on the alerts log: one row per alert, updated with its latest attempt.
import type { Kysely } from "kysely";
import type { AlertRow, DB, DeliveryStatus, NewAlertRow } from "@/lib/db/schema";
import { terminalStatuses } from "@/lib/db/queries/deliveries";

type Executor = Kysely<DB>;

export async function insertAlert(db: Executor, row: NewAlertRow): Promise<AlertRow> {
  return db.insertInto("alerts").values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findAlertById(db: Executor, id: string): Promise<AlertRow | undefined> {
  return db.selectFrom("alerts").selectAll().where("id", "=", id).executeTakeFirst();
}

export interface AlertProgress {
  status: DeliveryStatus;
  attempts?: number;
  target?: string | null;
  lastError: string | null;
  lastStatusCode?: number | null;
  lastDurationMs?: number | null;
  qstashMessageId?: string | null;
}

export async function updateAlertProgress(db: Executor, id: string, progress: AlertProgress): Promise<void> {
  const now = new Date();
  await db
    .updateTable("alerts")
    .set({
      status: progress.status,
      last_error: progress.lastError,
      updated_at: now,
      completed_at: terminalStatuses.includes(progress.status) ? now : null,
      ...(progress.attempts !== undefined ? { attempts: progress.attempts } : {}),
      ...(progress.target !== undefined ? { target: progress.target } : {}),
      ...(progress.lastStatusCode !== undefined ? { last_status_code: progress.lastStatusCode } : {}),
      ...(progress.lastDurationMs !== undefined ? { last_duration_ms: progress.lastDurationMs } : {}),
      ...(progress.qstashMessageId !== undefined ? { qstash_message_id: progress.qstashMessageId } : {}),
    })
    .where("id", "=", id)
    .execute();
}

export async function setAlertMessageId(db: Executor, id: string, messageId: string): Promise<void> {
  await db.updateTable("alerts").set({ qstash_message_id: messageId }).where("id", "=", id).execute();
}

/** Newest first; `beforeId` is the last id of the previous page. */
export async function listAlertRows(db: Executor, filter: { beforeId?: string; limit: number }): Promise<AlertRow[]> {
  let query = db.selectFrom("alerts").selectAll();
  if (filter.beforeId) query = query.where("id", "<", filter.beforeId);
  return query.orderBy("id", "desc").limit(filter.limit).execute();
}
