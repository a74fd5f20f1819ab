// Pause and resume of one destination (issue #16). Pausing holds its deliveries in QStash (its
// flow-control key and queues), so triggers are still accepted and nothing is sent, skipped or
// lost; resuming releases them, oldest first. QStash is paused before the row says so, and the
// row is cleared before QStash resumes: a delivery that slips between the two finds the row
// paused and is published back into the held lane (lib/deliveries/hold-delivery.ts).
import type { Database } from "@/lib/db";
import type { CallbackRow, DestinationRow } from "@/lib/db/schema";
import { findCallbackById } from "@/lib/db/queries/callbacks";
import { updateDestinationRow } from "@/lib/db/queries/destinations";
import { requireDestination } from "@/lib/destinations/manage-destinations";
import { log } from "@/lib/log";
import { invalidateCallbackById } from "@/lib/cache/trigger-cache";
import { heldCountOf, pauseLanes, resumeLanes } from "@/lib/qstash/lanes";

/** Idempotent: pausing a paused destination pauses its lanes again and keeps when and why. */
export async function pauseDestination(db: Database, id: string): Promise<DestinationRow> {
  const existing = await requireDestination(db, id);
  await pauseLanes(existing);
  if (existing.paused) return existing;
  const row = (await updateDestinationRow(db, id, { paused: true, paused_reason: "operator", paused_at: new Date() })) ?? existing;
  await invalidateCallbackById(db, row.callback_id);
  return row;
}

/** Its lanes stay held while its callback is paused. A breaker's pause ends with a fresh failure count. */
export async function resumeDestination(db: Database, id: string): Promise<DestinationRow> {
  const existing = await requireDestination(db, id);
  let row = existing;
  if (existing.paused) {
    const fresh = existing.paused_reason === "breaker" ? { consecutive_failures: 0 } : {};
    row = (await updateDestinationRow(db, id, { paused: false, paused_reason: null, paused_at: null, ...fresh })) ?? existing;
    await invalidateCallbackById(db, row.callback_id);
  }
  const callback = await findCallbackById(db, row.callback_id);
  if (!callback?.paused) await resumeLanes(row);
  return row;
}

/** A destination added to, or re-ordered in, a held callback or while paused starts held in QStash. */
export async function holdIfPaused(row: DestinationRow, callback: Pick<CallbackRow, "paused"> | undefined): Promise<void> {
  if (row.paused || callback?.paused) await pauseLanes(row);
}

export interface HeldCount {
  heldDeliveries: number | null;
  /** Why the count is missing. */
  heldNote?: string;
}

/** Read from QStash; when it cannot be read the destination is still shown, without the count. */
export async function heldDeliveriesOf(row: DestinationRow): Promise<HeldCount> {
  try {
    return { heldDeliveries: await heldCountOf(row) };
  } catch (error) {
    log.warn("Could not read a destination's held deliveries from QStash", { destinationId: row.id, error });
    return { heldDeliveries: null, heldNote: "QStash could not be read; the held count is unknown" };
  }
}

/**
 * After a delete: what its lanes held is released, so each held delivery reaches the function and
 * is recorded skipped (the destination was deleted) instead of waiting in QStash for good.
 */
export async function releaseDeleted(rows: DestinationRow[], callbackPaused: boolean): Promise<void> {
  const held = rows.filter((item) => item.paused || callbackPaused);
  if (held.length === 0) return;
  await resumeLanes(held).catch((error: unknown) => log.warn("Could not release deleted destinations' held deliveries in QStash", { destinationIds: held.map((row) => row.id), error }));
}
