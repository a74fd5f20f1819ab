// One delivery for its page: the delivery with its attempts and captured request, plus the names
// of its callback and destination (either may have been deleted since).
import type { Database } from "@/lib/db";
import { findCallbackById } from "@/lib/db/queries/callbacks";
import { findDestinationById } from "@/lib/db/queries/destinations";
import { getDeliveryDetail } from "@/lib/deliveries/list-deliveries";

export type DeliveryDetail = Awaited<ReturnType<typeof getDeliveryDetail>>;

export interface DeliveryDetailPage {
  delivery: DeliveryDetail;
  callbackName: string | null;
  destinationName: string | null;
}

export async function loadDeliveryDetailPage(db: Database, id: string): Promise<DeliveryDetailPage> {
  const delivery = await getDeliveryDetail(db, id);
  const [callback, destination] = await Promise.all([findCallbackById(db, delivery.callbackId), findDestinationById(db, delivery.destinationId)]);
  return { delivery, callbackName: callback?.name ?? null, destinationName: destination?.name ?? null };
}
