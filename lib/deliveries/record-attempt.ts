// Writes one attempt, the delivery's new state and (on the first attempt) the event atomically,
// before QStash is answered: one statement on the common paths, a transaction when the
// destination's failure streak must be counted.
import type { Database } from "@/lib/db";
import type { DeliveryStatus } from "@/lib/db/schema";
import type { DeliveryProgress } from "@/lib/db/queries/deliveries";
import { recordAttemptAtOnce } from "@/lib/db/queries/delivery-path";
import { countsTowardBreaker, settleDestination, type DestinationDisabled } from "@/lib/deliveries/circuit-breaker";
import { uuidv7 } from "@/lib/ids";
import type { DeliveryOutcome } from "@/lib/destinations/types";
import type { DeliveryJob } from "@/lib/deliveries/job";
import { eventRowOf, queuedDeliveryRowOf } from "@/lib/deliveries/job-rows";

export interface AttemptRecord {
  job: DeliveryJob;
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
    outcome: outcome.result,
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

function rowsOf(record: AttemptRecord) {
  return {
    event: eventRowOf(record.job),
    delivery: queuedDeliveryRowOf(record.job, record.qstashMessageId),
    attempt: attemptRow(record),
    progress: progressOf(record),
  };
}

/**
 * Returns the destination's change when this outcome disabled it (breaker or 410), else null.
 * Outcomes that do not count against the destination (successes, retries, skips, content
 * errors) take one statement; the others count the failure streak in the same transaction.
 */
export async function recordAttempt(db: Database, record: AttemptRecord): Promise<DestinationDisabled | null> {
  const disableReason = "disableReason" in record.outcome ? record.outcome.disableReason : undefined;
  const cause = "cause" in record.outcome ? record.outcome.cause : undefined;
  if (!countsTowardBreaker({ cause, disableReason }, record.status)) {
    const resetStreakOf = record.status === "succeeded" ? record.destinationId : null;
    await recordAttemptAtOnce(db, rowsOf(record), resetStreakOf);
    return null;
  }
  return db.transaction().execute(async (trx) => {
    const moved = await recordAttemptAtOnce(trx, rowsOf(record), null);
    // A duplicate of a delivery that already finished must not count twice.
    return moved ? settleDestination(trx, record.destinationId, record.status, disableReason) : null;
  });
}
