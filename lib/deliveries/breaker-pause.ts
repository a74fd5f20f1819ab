// A circuit breaker whose action is 'pause' (issue #16): the destination's lanes are paused in
// QStash after the commit that paused its row, and the alert says the backlog is held and how
// much of it. Never throws: a delivery that slips through before QStash is paused finds the row
// paused and is held by the safety net (hold-delivery.ts).
import { log } from "@/lib/log";
import { heldCountOf, pauseLanes } from "@/lib/qstash/lanes";
import type { DestinationDisabled } from "@/lib/deliveries/circuit-breaker";

export interface HeldBacklog {
  reason: string;
  heldDeliveries: number | null;
}

export async function holdBacklog(paused: DestinationDisabled): Promise<HeldBacklog> {
  const owner = { id: paused.destinationId, ordering: paused.ordering };
  let heldDeliveries: number | null = null;
  try {
    await pauseLanes(owner);
    heldDeliveries = await heldCountOf(owner);
  } catch (error) {
    log.error("Could not pause a destination's deliveries in QStash after its circuit breaker paused it", { error, destinationId: paused.destinationId });
  }
  const count = heldDeliveries === null ? "the held count could not be read" : `${heldDeliveries} held now`;
  return { reason: `${paused.reason}; paused, not disabled: its backlog is held in QStash (${count}) until it is resumed`, heldDeliveries };
}
