// Operator-API shortcuts shared by the integration tests.
import { call, waitFor } from "./api";

export interface CreatedCallback {
  id: string;
  token: string;
  triggerUrl: string;
  destinations: Array<{ id: string; kind: string; signingSecret?: string }>;
}

export interface DeliveryItem {
  id: string;
  eventId: string;
  destinationId: string;
  status: string;
  attempts: number;
  lastError: string | null;
  lastStatusCode: number | null;
  replayOf: string | null;
}

export interface DeliveryDetail extends DeliveryItem {
  attemptsLog: Array<{ attempt: number; outcome: string; request: Record<string, unknown>; response: Record<string, unknown> | null; error: string | null }>;
  event: { method: string; path: string; query: Record<string, unknown>; headers: Record<string, string>; body: string } | null;
}

export async function createCallback(appUrl: string, body: Record<string, unknown>): Promise<CreatedCallback> {
  const result = await call<CreatedCallback>(appUrl, "POST", "/api/callbacks", { body });
  if (result.status !== 201) throw new Error(`create callback failed: ${result.status} ${result.text}`);
  return result.body;
}

export function httpDestination(url: string, config: Record<string, unknown> = {}) {
  return { kind: "http", name: "sink", config: { url, ...config } };
}

export async function listDeliveries(appUrl: string, query: string): Promise<DeliveryItem[]> {
  const result = await call<{ items: DeliveryItem[] }>(appUrl, "GET", `/api/deliveries?${query}`);
  return result.body.items;
}

export async function getDelivery(appUrl: string, id: string): Promise<DeliveryDetail> {
  return (await call<DeliveryDetail>(appUrl, "GET", `/api/deliveries/${id}`)).body;
}

/** Waits until the delivery reaches one of `statuses` and returns its detail. */
export async function waitForDelivery(appUrl: string, id: string, statuses: string[], timeoutMs = 15_000): Promise<DeliveryDetail> {
  return waitFor(
    async () => {
      const detail = await call<DeliveryDetail>(appUrl, "GET", `/api/deliveries/${id}`);
      return detail.status === 200 && statuses.includes(detail.body.status) ? detail.body : undefined;
    },
    { timeoutMs, what: `delivery ${id} to reach ${statuses.join("|")}` },
  );
}
