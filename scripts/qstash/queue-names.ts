// openapi.yaml /v2/queues: "Queue names can only contain alphanumeric characters, hyphens,
// periods, and underscores" (400 otherwise).
import { HttpError } from "./http-utils";

export function checkQueueName(name: string): void {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) {
    throw new HttpError(400, `queue name "${name}" is invalid: only letters, digits, hyphens, periods and underscores are allowed`);
  }
}
