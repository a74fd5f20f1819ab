// The delivery page's list of what one event did: every delivery it made (this one among them)
// and, from the trigger route's record, the destinations whose filter left it out.
import type { Database } from "@/lib/db";
import { listEventDeliveryRows } from "@/lib/db/queries/delivery-log";

export interface EventDeliveryItem {
  id: string;
  destinationId: string;
  destinationName: string | null;
  kind: string;
  status: string;
  replayOf: string | null;
}

export async function loadEventDeliveries(db: Database, eventId: string): Promise<EventDeliveryItem[]> {
  const rows = await listEventDeliveryRows(db, eventId);
  return rows.map((row) => ({ id: row.id, destinationId: row.destination_id, destinationName: row.destination_name, kind: row.kind, status: row.status, replayOf: row.replay_of }));
}
