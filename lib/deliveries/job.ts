// The message QStash carries: one delivery of one event to one destination. It holds the whole
// captured request, so the trigger route never needs Postgres.
import { z } from "zod";

export const capturedRequestSchema = z.object({
  method: z.string(),
  path: z.string(),
  query: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  headers: z.record(z.string(), z.string()),
  body: z.string(),
  bodyEncoding: z.enum(["utf8", "base64"]),
  receivedAt: z.string(),
});

export type CapturedRequest = z.infer<typeof capturedRequestSchema>;

export const deliveryJobSchema = z.object({
  v: z.literal(1),
  deliveryId: z.uuid(),
  eventId: z.uuid(),
  callbackId: z.uuid(),
  destinationId: z.uuid(),
  kind: z.enum(["http", "mqtt", "amqp"]),
  request: capturedRequestSchema,
  idempotencyKey: z.string().optional(),
  replayOf: z.uuid().optional(),
  /**
   * The message's QStash retry budget: QStash does not send it with a delivery. Absent from jobs
   * queued before it was added; then only the failure callback can mark the delivery dead.
   */
  retries: z.number().int().min(0).optional(),
  /** The trigger's destinations whose filter did not match: recorded with the event. */
  filtered: z.array(z.uuid()).optional(),
  /** request.body is JSON that Postgres stores as jsonb too (events.body_json), decided at accept time. */
  bodyIsJson: z.boolean().optional(),
});

export type DeliveryJob = z.infer<typeof deliveryJobSchema>;
