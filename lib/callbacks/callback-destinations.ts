// Destination changes seen from their callback. Every write goes through lib/destinations, which
// refreshes the trigger cache itself.
import type { Database } from "@/lib/db";
import type { DestinationInput, DestinationPatch } from "@/lib/destinations/destination-input";
import { callbackVariables, createDestination, reenableDestination, removeDestination, requireDestination, updateDestination } from "@/lib/destinations/manage-destinations";
import { presentDestination, type DestinationView } from "@/lib/destinations/present-destination";
import { requireCallback } from "@/lib/callbacks/manage-callbacks";
import type { DestinationRow } from "@/lib/db/schema";
import { findCallbackById } from "@/lib/db/queries/callbacks";
import { heldDeliveriesOf, holdIfPaused, pauseDestination, releaseDeleted, resumeDestination } from "@/lib/destinations/lanes/hold-destinations";

export async function addDestination(db: Database, callbackId: string, input: DestinationInput): Promise<DestinationView> {
  const callback = await requireCallback(db, callbackId);
  const { row, newSigningSecret } = await createDestination(db, callbackId, input, { variables: callbackVariables(callback) });
  await holdIfPaused(row, callback);
  return presentDestination(row, newSigningSecret, callback);
}

/** With the deliveries it holds in QStash. */
export async function getDestination(db: Database, id: string): Promise<DestinationView> {
  const row = await requireDestination(db, id);
  return { ...(await presentWithCallback(db, row)), ...(await heldDeliveriesOf(row)) };
}

export async function changeDestination(db: Database, id: string, patch: DestinationPatch): Promise<DestinationView> {
  const { row, newSigningSecret } = await updateDestination(db, id, patch);
  const callback = await findCallbackById(db, row.callback_id);
  // A held destination switching between flow control and queues keeps holding in the new lane.
  if (patch.ordering !== undefined || patch.orderingKey !== undefined) await holdIfPaused(row, callback);
  return presentDestination(row, newSigningSecret, callback);
}

async function presentWithCallback(db: Database, row: DestinationRow): Promise<DestinationView> {
  return presentDestination(row, undefined, await findCallbackById(db, row.callback_id));
}

/** POST /api/destinations/:id/pause: deliveries wait in QStash until resumed. */
export async function pauseDestinationView(db: Database, id: string): Promise<DestinationView> {
  return presentWithCallback(db, await pauseDestination(db, id));
}

export async function resumeDestinationView(db: Database, id: string): Promise<DestinationView> {
  return presentWithCallback(db, await resumeDestination(db, id));
}

export async function deleteDestination(db: Database, id: string): Promise<void> {
  const row = await removeDestination(db, id);
  await releaseDeleted([row], (await findCallbackById(db, row.callback_id))?.paused ?? false);
}

/** Turns a destination back on, whatever disabled it, with a fresh failure count. */
export async function enableDestination(db: Database, id: string): Promise<DestinationView> {
  return presentWithCallback(db, await reenableDestination(db, id));
}
