// The demo callback's MQTT destination (the embedded broker), also added to a demo callback
// created before MQTT destinations existed, so every `npm run dev` shows a trigger reaching MQTT.
import type { Database } from "@/lib/db";
import { listDestinationsOf } from "@/lib/db/queries/destinations";
import { addDestination } from "@/lib/callbacks/callback-destinations";
import { destinationInputSchema, type DestinationInput } from "@/lib/destinations/destination-input";

const demoMqttTopic = "switchyard/{callback_id}/triggered";

export function demoMqttDestination(brokerUrl: string): DestinationInput {
  return destinationInputSchema.parse({ kind: "mqtt", name: "Embedded MQTT broker", config: { url: brokerUrl, topic: demoMqttTopic, qos: 1 } });
}

/** Adds the MQTT destination unless the callback already has one; true when it added it. */
export async function ensureDemoMqttDestination(db: Database, callbackId: string, brokerUrl: string): Promise<boolean> {
  const existing = await listDestinationsOf(db, [callbackId]);
  if (existing.some((destination) => destination.kind === "mqtt")) return false;
  await addDestination(db, callbackId, demoMqttDestination(brokerUrl));
  return true;
}
