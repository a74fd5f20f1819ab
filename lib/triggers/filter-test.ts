// "Try it": runs a filter (the destination's own unless one is given) against a sample request
// or a stored event of the destination's callback, exactly as the trigger route would, and says
// whether it matched and why not. Sends and stores nothing.
import { z } from "zod";
import type { Database } from "@/lib/db";
import { findDestinationById } from "@/lib/db/queries/destinations";
import { findEventById } from "@/lib/db/queries/events";
import { notFound } from "@/lib/errors";
import { capturedSampleOf, sampleRequestSchema } from "@/lib/http/sample-request";
import { filterSchema, parseFilter } from "@/lib/filters/filter-schema";
import { eventSubject, matchFilter, type FilterResult, type FilterSubject } from "@/lib/filters/match-filter";
import { triggerSubject } from "@/lib/triggers/filter-destinations";
import { parseJsonBody } from "@/lib/triggers/json-body";

export const filterTestInputSchema = z
  .object({
    /** Default: the destination's stored filter. */
    filter: filterSchema.optional(),
    sample: sampleRequestSchema(z.string().trim().min(1).max(16).default("POST"), "/").optional(),
    eventId: z.uuid().optional(),
  })
  .strict()
  .refine((input) => !(input.sample && input.eventId), { message: "give either sample or eventId, not both", path: ["eventId"] });

export type FilterTestInput = z.infer<typeof filterTestInputSchema>;

async function subjectFor(db: Database, callbackId: string, input: FilterTestInput): Promise<FilterSubject> {
  if (!input.eventId) {
    const request = capturedSampleOf(input.sample, "/");
    return triggerSubject(request, parseJsonBody(request));
  }
  const event = await findEventById(db, input.eventId);
  // Another callback's event is as unknown here as a missing one.
  if (!event || event.callback_id !== callbackId) throw notFound("Event");
  return eventSubject(event);
}

export async function testDestinationFilter(db: Database, destinationId: string, input: FilterTestInput): Promise<FilterResult> {
  const destination = await findDestinationById(db, destinationId);
  if (!destination) throw notFound("Destination");
  const subject = await subjectFor(db, destination.callback_id, input);
  const filter = input.filter ?? (destination.filter ? parseFilter(destination.filter) : null);
  if (!filter) return { matched: true, reasons: [] };
  return matchFilter(filter, subject);
}
