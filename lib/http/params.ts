// Path parameters: an id that is not a UUID cannot exist, so it is a 404 before any query.
import { AppError } from "@/lib/errors";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function idParam(value: string): string {
  if (!uuidPattern.test(value)) throw new AppError("not_found", "Not found: the id is not a valid identifier");
  return value.toLowerCase();
}
