// Writes one attempt and the delivery's new state in one transaction, before QStash is answered.
import type { Database } from "@/lib/db";
import type { AttemptOutcome, DeliveryStatus } from "@/lib/db/schema";
import { insertAttempt, updateDeliveryProgress } from "@/lib/db/queries/deliveries";
import { settleDestination, type DestinationDisabled } from "@/lib/deliveries/circuit-breaker";
import { uuidv7 } from "@/lib/ids";
import type { DeliveryOutcome } from "@/lib/destinations/types";

export interface AttemptRecord {
  deliveryId: string;
  destinationId: string;
  attempt: number;
  startedAt: Date;
  outcome: DeliveryOutcome | { result: "skipped"; error: string; target: string; request: Record<string, unknown>; durationMs: number };
  status: DeliveryStatus;
  qstashMessageId: string | null;
  qstashRetried: number;
}

/** Returns the destination's change when this outcome disabled it (breaker or 410), else null. */
export async function recordAttempt(db: Database, record: AttemptRecord): Promise<DestinationDisabled | null> {
  const { outcome } = record;
  const response = "response" in outcome ? (outcome.response ?? null) : null;
  const statusCode = "statusCode" in outcome ? (outcome.statusCode ?? null) : null;
  return db.transaction().execute(async (trx) => {
    await insertAttempt(trx, {
      id: uuidv7(),
      delivery_id: record.deliveryId,
      attempt: record.attempt,
      started_at: record.startedAt,
      duration_ms: outcome.durationMs,
      outcome: outcome.result as AttemptOutcome,
      request: JSON.stringify(outcome.request),
      response: response === null ? null : JSON.stringify(response),
      error: outcome.error ?? null,
      qstash_message_id: record.qstashMessageId,
      qstash_retried: record.qstashRetried,
    });
    await updateDeliveryProgress(trx, record.deliveryId, {
      status: record.status,
      attempts: record.attempt,
      target: outcome.target,
      lastError: outcome.error ?? null,
      lastStatusCode: statusCode,
      lastDurationMs: outcome.durationMs,
      qstashMessageId: record.qstashMessageId,
    });
    return settleDestination(trx, record.destinationId, record.status, "disableReason" in outcome ? outcome.disableReason : undefined);
  });
}
