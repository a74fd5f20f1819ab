// What follows a committed delivery outcome: a destination that was just disabled (or paused) leaves the
// trigger cache at once (so triggers stop publishing to it), and a dead delivery or a disabled
// destination raises an alert. These never throw: the outcome is already recorded.
import type { Database } from "@/lib/db";
import type { DeliveryStatus } from "@/lib/db/schema";
import { markDeliveryDead } from "@/lib/db/queries/deliveries";
import { log } from "@/lib/log";
import { invalidateCallbackById } from "@/lib/cache/trigger-cache";
import { raiseAlert } from "@/lib/alerts/raise-alert";
import { settleDestination, type DestinationDisabled } from "@/lib/deliveries/circuit-breaker";
import { holdBacklog } from "@/lib/deliveries/breaker-pause";
import type { DeliveryJob } from "@/lib/deliveries/job";

export interface SettledOutcome {
  status: DeliveryStatus;
  reason: string | null;
  /** Attempts recorded for the delivery. */
  attempts: number;
  disabled: DestinationDisabled | null;
}

type JobRef = Pick<DeliveryJob, "deliveryId" | "eventId" | "callbackId" | "destinationId">;

export async function announceOutcome(db: Database, job: JobRef, settled: SettledOutcome): Promise<void> {
  const { deliveryId, eventId, callbackId, destinationId } = job;
  if (settled.status === "dead") {
    const reason = settled.reason ?? "Retries exhausted";
    await raiseAlert(db, { type: "delivery.dead", callbackId, destinationId, deliveryId, eventId, reason, attempts: settled.attempts });
  }
  const disabled = settled.disabled;
  if (!disabled) return;
  try {
    await invalidateCallbackById(db, disabled.callbackId);
  } catch (error) {
    log.error("Could not invalidate the trigger cache after disabling a destination", { error, destinationId });
  }
  const held = disabled.action === "paused" ? await holdBacklog(disabled) : undefined;
  await raiseAlert(db, {
    type: held ? "destination.paused" : "destination.disabled",
    callbackId: disabled.callbackId,
    destinationId,
    destinationName: disabled.destinationName,
    deliveryId,
    eventId,
    reason: held?.reason ?? disabled.reason,
    consecutiveFailures: disabled.consecutiveFailures,
    ...(held ? { heldDeliveries: held.heldDeliveries } : {}),
  });
}

/** The failure callback's path to dead: mark, count against the destination, then announce. */
export async function settleExhausted(db: Database, job: JobRef, lastError: string, attempts: number): Promise<boolean> {
  const disabled = await db.transaction().execute(async (trx) => {
    if (!(await markDeliveryDead(trx, job.deliveryId, lastError))) return undefined;
    return settleDestination(trx, job.destinationId, "dead");
  });
  if (disabled === undefined) return false;
  await announceOutcome(db, job, { status: "dead", reason: lastError, attempts, disabled });
  return true;
}
