// Identifiers. UUIDv7 is time-ordered, so ids double as the keyset for newest-first pages.
import { v7 } from "uuid";
import { z } from "zod";

export function uuidv7(): string {
  return v7();
}

/** The smallest UUIDv7 at a given time: ids at or after `time` compare >= this. */
export function uuidv7Floor(time: Date): string {
  const hex = Math.max(0, time.getTime()).toString(16).padStart(12, "0").slice(-12);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-8000-000000000000`;
}

/** A cursor is a row id: anything that is not a UUID would only reach SQL and fail there. */
export const cursorSchema = z.uuid("is not a cursor from a previous page");
