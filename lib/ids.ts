// Identifiers. UUIDv7 is time-ordered, so ids double as the keyset for newest-first pages.
import { v7 } from "uuid";

export function uuidv7(): string {
  return v7();
}
