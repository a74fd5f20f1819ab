// One delivery for its page: the delivery with its attempts and captured request, plus the names
// of its callback and destination (either may have been deleted since).
import type { Database } from "@/lib/db";
import { findCallbackById } from "@/lib/db/queries/callbacks";
import { findDestinationById, listFilteredDestinationsOfEvent } from "@/lib/db/queries/destinations";
import { getDeliveryDetail } from "@/lib/deliveries/list-deliveries";

export type DeliveryDetail = Awaited<ReturnType<typeof getDeliveryDetail>>;

export interface DeliveryDetailPage {
  delivery: DeliveryDetail;
  callbackName: string | null;
  destinationName: string | null;
  /** The event's destinations whose filter did not match (nothing was sent to them); name null once deleted. */
  filteredDestinations: Array<{ id: string; name: string | null }>;
}

export async function loadDeliveryDetailPage(db: Database, id: string): Promise<DeliveryDetailPage> {
  const delivery = await getDeliveryDetail(db, id);
  const [callback, destination, filteredDestinations] = await Promise.all([
    findCallbackById(db, delivery.callbackId),
    findDestinationById(db, delivery.destinationId),
    listFilteredDestinationsOfEvent(db, delivery.eventId),
  ]);
  return { delivery, callbackName: callback?.name ?? null, destinationName: destination?.name ?? null, filteredDestinations };
}
