// Writes one attempt and the delivery's new state atomically, before QStash is answered: one
// statement on the common paths, a transaction when the destination's streak must be counted.
import type { Database } from "@/lib/db";
import type { AttemptOutcome, DeliveryStatus } from "@/lib/db/schema";
import { insertAttempt, updateDeliveryProgress, type DeliveryProgress } from "@/lib/db/queries/deliveries";
import { recordAttemptAtOnce } from "@/lib/db/queries/delivery-path";
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

function attemptRow(record: AttemptRecord) {
  const { outcome } = record;
  const response = "response" in outcome ? (outcome.response ?? null) : null;
  return {
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
  };
}

function progressOf(record: AttemptRecord): DeliveryProgress {
  const { outcome } = record;
  return {
    status: record.status,
    attempts: record.attempt,
    target: outcome.target,
    lastError: outcome.error ?? null,
    lastStatusCode: "statusCode" in outcome ? (outcome.statusCode ?? null) : null,
    lastDurationMs: outcome.durationMs,
    qstashMessageId: record.qstashMessageId,
  };
}

/** Returns the destination's change when this outcome disabled it (breaker or 410), else null. */
export async function recordAttempt(db: Database, record: AttemptRecord): Promise<DestinationDisabled | null> {
  const disableReason = "disableReason" in record.outcome ? record.outcome.disableReason : undefined;
  const countsAgainstDestination = record.status === "failed" || record.status === "dead" || disableReason !== undefined;
  if (!countsAgainstDestination) {
    const resetStreakOf = record.status === "succeeded" ? record.destinationId : null;
    await recordAttemptAtOnce(db, attemptRow(record), progressOf(record), resetStreakOf);
    return null;
  }
  return db.transaction().execute(async (trx) => {
    await insertAttempt(trx, attemptRow(record));
    await updateDeliveryProgress(trx, record.deliveryId, progressOf(record));
    return settleDestination(trx, record.destinationId, record.status, disableReason);
  });
}
