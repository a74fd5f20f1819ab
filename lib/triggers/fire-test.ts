// "Send test": a synthetic trigger of a callback from the operator API, through the same queue.
import { z } from "zod";
import type { Database } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { exceedsDepth, maxSampleDepth } from "@/lib/http/json-depth";
import { listDestinationsOf } from "@/lib/db/queries/destinations";
import { requireCallback } from "@/lib/callbacks/manage-callbacks";
import { toTriggerConfig } from "@/lib/triggers/callback-cache";
import { buildJobs, publishOrRecord, type TriggerBody } from "@/lib/triggers/accept-trigger";

export const testFireSchema = z
  .object({
    method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]).default("POST"),
    headers: z.record(z.string(), z.string()).default({}),
    /** Any JSON value; sent as the request body. */
    body: z.unknown().optional(),
    /** Only these destinations (default: all enabled ones). */
    destinationIds: z.array(z.uuid()).optional(),
  })
  .strict();

function assertSampleDepth(body: unknown): void {
  if (!exceedsDepth(body, maxSampleDepth)) return;
  throw new AppError("validation_failed", `body: is nested more than ${maxSampleDepth} levels deep`, { field: "body" });
}

export async function fireTest(db: Database, callbackId: string, input: z.infer<typeof testFireSchema>): Promise<TriggerBody> {
  assertSampleDepth(input.body);
  const callback = await requireCallback(db, callbackId);
  const destinations = (await listDestinationsOf(db, [callbackId])).filter((destination) => !input.destinationIds || input.destinationIds.includes(destination.id));
  const body = JSON.stringify(input.body ?? { test: true, callbackId, sentAt: new Date().toISOString() });
  const request = {
    method: input.method,
    path: `/api/callbacks/${callbackId}/test`,
    query: {},
    headers: { "content-type": "application/json", "user-agent": "Switchyard-Test", ...lowercaseKeys(input.headers) },
    body,
    bodyEncoding: "utf8" as const,
    receivedAt: new Date().toISOString(),
  };
  // Filters apply as to a real trigger: the test shows which destinations this request reaches.
  const config = toTriggerConfig(callback, destinations);
  return publishOrRecord(buildJobs(config, request), { callbackId, request }, callback.retries, config);
}

function lowercaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
