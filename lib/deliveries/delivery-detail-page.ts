// One delivery for its page: the delivery with its attempts and captured request, the names of its
// callback and destination (either may have been deleted since), and what its event did: every
// delivery it made and the destinations whose filter left it out.
import type { Database } from "@/lib/db";
import { findCallbackById } from "@/lib/db/queries/callbacks";
import { findDestinationById, listFilteredDestinationsOfEvent } from "@/lib/db/queries/destinations";
import { listEventDeliveryRows } from "@/lib/db/queries/delivery-log";
import { getDeliveryDetail } from "@/lib/deliveries/list-deliveries";

export type DeliveryDetail = Awaited<ReturnType<typeof getDeliveryDetail>>;

export interface DeliveryDetailPage {
  delivery: DeliveryDetail;
  callbackName: string | null;
  destinationName: string | null;
  /** The event's destinations whose filter did not match (nothing was sent to them); name null once deleted. */
  filteredDestinations: Array<{ id: string; name: string | null }>;
  /** Every delivery of the same event, this one among them. */
  eventDeliveries: EventDeliveryItem[];
}

export interface EventDeliveryItem {
  id: string;
  destinationId: string;
  destinationName: string | null;
  kind: string;
  status: string;
  replayOf: string | null;
}

export async function loadDeliveryDetailPage(db: Database, id: string): Promise<DeliveryDetailPage> {
  const delivery = await getDeliveryDetail(db, id);
  const [callback, destination, filteredDestinations, eventRows] = await Promise.all([
    findCallbackById(db, delivery.callbackId),
    findDestinationById(db, delivery.destinationId),
    listFilteredDestinationsOfEvent(db, delivery.eventId),
    listEventDeliveryRows(db, delivery.eventId),
  ]);
  const eventDeliveries = eventRows.map((row) => ({
    id: row.id,
    destinationId: row.destination_id,
    destinationName: row.destination_name,
    kind: row.kind,
    status: row.status,
    replayOf: row.replay_of,
  }));
  return { delivery, callbackName: callback?.name ?? null, destinationName: destination?.name ?? null, filteredDestinations, eventDeliveries };
}
