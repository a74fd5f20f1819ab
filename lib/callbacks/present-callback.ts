// The operator's view of a callback. The trigger token appears only when it was just issued.
import type { CallbackRow, DestinationRow } from "@/lib/db/schema";
import { getEnv } from "@/lib/env";
import { presentDestination, type DestinationView } from "@/lib/destinations/present-destination";
import { presentInboundAuth } from "@/lib/callbacks/inbound-auth";
import { presentHandshake } from "@/lib/callbacks/handshake";
import type { AcknowledgementInput } from "@/lib/callbacks/acknowledgement-input";

export interface CallbackView {
  id: string;
  name: string;
  enabled: boolean;
  /** Holds every destination's deliveries in QStash (POST /api/callbacks/:id/pause). */
  paused: boolean;
  pausedAt: string | null;
  methods: string[];
  path: string | null;
  pathTokenHeader: string | null;
  hookUrl: string | null;
  tokenPrefix: string;
  rateLimitPerMinute: number | null;
  maxBodyBytes: number;
  idempotencyHeader: string | null;
  variables: Record<string, string>;
  retries: number;
  /** The secret always appears as "***". */
  inboundAuth: ReturnType<typeof presentInboundAuth>;
  /** The secret, when the preset has one, always appears as "***". */
  handshake: ReturnType<typeof presentHandshake>;
  /** Null: 202 with the JSON answer. */
  response: AcknowledgementInput | null;
  createdAt: string;
  updatedAt: string;
  destinations: DestinationView[];
  token?: string;
  triggerUrl?: string;
}

function triggerUrlFor(token: string): string {
  return `${getEnv().appUrl}/api/trigger/${token}`;
}

export function presentCallback(row: CallbackRow, destinations: DestinationRow[], extras: { token?: string; signingSecrets?: Map<string, string> } = {}): CallbackView {
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled,
    paused: row.paused,
    pausedAt: row.paused_at?.toISOString() ?? null,
    methods: row.methods,
    path: row.path,
    pathTokenHeader: row.path_token_header,
    hookUrl: row.path ? `${getEnv().appUrl}/api/hooks/${row.path}` : null,
    tokenPrefix: row.token_prefix,
    rateLimitPerMinute: row.rate_limit_per_minute,
    maxBodyBytes: row.max_body_bytes,
    idempotencyHeader: row.idempotency_header,
    variables: (row.variables ?? {}) as Record<string, string>,
    retries: row.retries,
    inboundAuth: presentInboundAuth(row.inbound_auth),
    handshake: presentHandshake(row.handshake, row.handshake_secret_enc),
    response: (row.response ?? null) as AcknowledgementInput | null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    destinations: destinations.map((destination) => presentDestination(destination, extras.signingSecrets?.get(destination.id), row)),
    ...(extras.token ? { token: extras.token, triggerUrl: triggerUrlFor(extras.token) } : {}),
  };
}
