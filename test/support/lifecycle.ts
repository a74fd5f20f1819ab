// Shortcuts shared by the lifecycle tests (retention, circuit breaker, alerts, bulk replay).
import { expect } from "vitest";
import { call } from "./api";

export interface TriggerAnswer {
  eventId: string;
  deliveries: Array<{ id: string; destinationId: string; messageId: string }>;
}

export interface DestinationView {
  id: string;
  enabled: boolean;
  consecutiveFailures: number;
  failureThreshold: number | null;
  disabledReason: string | null;
}

/** Fires a trigger like a webhook sender and returns the 202 answer. */
export async function fire(triggerUrl: string, body: unknown = { n: 1 }): Promise<TriggerAnswer> {
  const answer = await call<TriggerAnswer>(triggerUrl, "POST", "", { body, token: null });
  expect(answer.status).toBe(202);
  return answer.body;
}

/** The one delivery of `destinationId` in a trigger answer. */
export function deliveryFor(answer: TriggerAnswer, destinationId: string): string {
  const delivery = answer.deliveries.find((item) => item.destinationId === destinationId);
  if (!delivery) throw new Error(`no delivery to ${destinationId} in ${JSON.stringify(answer)}`);
  return delivery.id;
}

export async function getDestination(appUrl: string, id: string): Promise<DestinationView> {
  const result = await call<DestinationView>(appUrl, "GET", `/api/destinations/${id}`);
  expect(result.status).toBe(200);
  return result.body;
}
