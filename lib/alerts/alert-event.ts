// The JSON an alert receiver gets. `id` is also the `webhook-id` header, so receivers can drop
// the duplicates at-least-once delivery may bring.
import { z } from "zod";
import type { AlertType } from "@/lib/db/schema";

const alertTypes = ["delivery.dead", "destination.disabled", "destination.paused"] as const satisfies readonly AlertType[];

export const alertEventSchema = z
  .object({
    id: z.uuid(),
    type: z.enum(alertTypes),
    /** When the condition happened (ISO 8601). */
    at: z.string(),
    callbackId: z.uuid(),
    destinationId: z.uuid(),
    destinationName: z.string().nullable(),
    /** delivery.dead: the dead delivery; destination.disabled: the delivery whose outcome disabled it. */
    deliveryId: z.uuid().optional(),
    eventId: z.uuid().optional(),
    reason: z.string(),
    /** delivery.dead only. */
    attempts: z.number().int().optional(),
    /** destination.disabled and destination.paused. */
    consecutiveFailures: z.number().int().optional(),
    /** destination.paused: deliveries held in QStash when it paused; null when QStash could not be read. */
    heldDeliveries: z.number().int().nullable().optional(),
  })
  .strict();

export type AlertEvent = z.infer<typeof alertEventSchema>;

/** What a lifecycle event knows; id, at and the destination's name are added when it is raised. */
export type AlertDraft = Omit<AlertEvent, "id" | "at" | "destinationName"> & { destinationName?: string | null };
