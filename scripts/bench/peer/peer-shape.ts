// What the peer's ingest and worker share: the Redis key a callback is kept under, the job a
// queue carries, the tables the worker reads and writes, and the MQTT message (the same
// envelope Switchyard sends by default, so both publish the same bytes).
export type PeerMode = "persistent" | "short-lived";

export const peerModes: readonly PeerMode[] = ["persistent", "short-lived"];

/**
 * One BullMQ queue per worker mode, so both workers run at once and the bench alternates them;
 * named per run, so two benches on one Redis never take each other's jobs.
 */
export const queueOf = (mode: PeerMode, runId: string) => `switchyard-peer-${runId}-${mode}`;

export const callbackKey = (token: string) => `switchyard-peer:cb:${token}`;

/** A callback as the peer's ingest finds it in Redis. */
export interface PeerCallback {
  id: string;
  queue: string;
  destinations: Array<{ id: string }>;
}

export interface PeerJob {
  deliveryId: string;
  eventId: string;
  callbackId: string;
  destinationId: string;
  request: { method: string; path: string; query: Record<string, string>; headers: Record<string, string>; body: string; receivedAt: string };
}

/** What users' workers usually get: five tries, doubling from one second. */
export const jobOptions = { attempts: 5, backoff: { type: "exponential", delay: 1_000 }, removeOnComplete: true, removeOnFail: 1_000 };

export const peerSchema = [
  "create table if not exists peer_destinations (id uuid primary key, url text not null, topic text not null, qos int not null)",
  `create table if not exists peer_deliveries (
     id uuid primary key, event_id uuid not null, destination_id uuid not null references peer_destinations (id),
     status text not null, attempts int not null, last_error text, finished_at timestamptz not null)`,
];

/** Switchyard's default envelope: {eventId, callbackId, deliveryId, receivedAt, request}. */
export function peerPayload(job: PeerJob): string {
  const { eventId, callbackId, deliveryId, request } = job;
  return JSON.stringify({ eventId, callbackId, deliveryId, receivedAt: request.receivedAt, request: { ...request, body: JSON.parse(request.body) as unknown } });
}
