// The circuit breaker counts DELIVERIES, not attempts: a delivery that ends failed (permanent)
// or dead (retries exhausted) extends the destination's streak, one that succeeds ends it, and
// retryable attempts, queued and skipped deliveries leave it alone. A streak reaching the
// destination's failureThreshold disables it, as does a peer saying the endpoint is gone (410).
// Only what the receiver or the transport said counts (HTTP answers, refused credentials, network
// errors, exhausted retries): a delivery that failed because of the event's own content does not,
// or anyone holding a trigger URL could switch a destination off with a few bad events.
import type { Kysely } from "kysely";
import type { DB, DeliveryStatus, DestinationRow } from "@/lib/db/schema";
import { disableDestinationRow, pauseByBreakerRow, recordDestinationResult, recordDestinationStreak, tripCircuitBreakerRow, type FailureStreak } from "@/lib/db/queries/destinations";
import type { DeliveryOutcome } from "@/lib/destinations/types";

export interface DestinationDisabled {
  /** A breaker whose action is 'pause' holds the backlog instead (issue #16). */
  action: "disabled" | "paused";
  ordering: "none" | "fifo";
  destinationId: string;
  callbackId: string;
  destinationName: string;
  reason: string;
  consecutiveFailures: number;
}

function breakerReason(failures: number): string {
  return `circuit breaker: ${failures} consecutive failures`;
}

/** Whether this delivery's new status moves the destination's failure streak (or disables it). */
export function countsTowardBreaker(outcome: Pick<DeliveryOutcome, "cause" | "disableReason">, status: DeliveryStatus): boolean {
  if (outcome.cause === "content") return false;
  return status === "failed" || status === "dead" || outcome.disableReason !== undefined;
}

function toDisabled(row: DestinationRow): DestinationDisabled {
  return {
    action: row.enabled && row.paused ? "paused" : "disabled",
    ordering: row.ordering,
    destinationId: row.id,
    callbackId: row.callback_id,
    destinationName: row.name,
    reason: row.disabled_reason ?? breakerReason(row.consecutive_failures),
    consecutiveFailures: row.consecutive_failures,
  };
}

/**
 * Runs inside the transaction that records the delivery's new status. Returns what changed when
 * THIS outcome disabled the destination (exactly one concurrent caller wins), else null.
 */
export async function settleDestination(trx: Kysely<DB>, destinationId: string, status: DeliveryStatus, disableReason?: string): Promise<DestinationDisabled | null> {
  if (status === "succeeded") await recordDestinationResult(trx, destinationId, true);
  const failed = status === "failed" || status === "dead";
  const streak = failed ? await recordDestinationStreak(trx, destinationId, false) : undefined;
  let row: DestinationRow | undefined;
  if (disableReason) row = await disableDestinationRow(trx, destinationId, disableReason);
  else if (streak && reachedThreshold(streak)) row = await tripBreaker(trx, destinationId, streak);
  return row ? toDisabled(row) : null;
}

const reachedThreshold = (streak: FailureStreak) => streak.failure_threshold !== null && streak.failure_threshold <= streak.consecutive_failures;

/**
 * The streak just read (under this transaction's row lock) says which of the breaker's updates
 * can apply, so a failure below the threshold costs no further statement; each update keeps its
 * own guards, which let exactly one concurrent caller win.
 */
function tripBreaker(trx: Kysely<DB>, destinationId: string, streak: FailureStreak): Promise<DestinationRow | undefined> {
  const failures = streak.consecutive_failures;
  if (streak.breaker_action === "pause") return pauseByBreakerRow(trx, destinationId, failures);
  return tripCircuitBreakerRow(trx, destinationId, failures, breakerReason(failures));
}
