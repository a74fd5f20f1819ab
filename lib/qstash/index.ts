// The one place QStash clients are built. Everything publishes and verifies through here.
import { Client, Receiver } from "@upstash/qstash";
import { getEnv } from "@/lib/env";
import { qstashForwardHeaders } from "@/lib/qstash/forward-headers";

export const deliverPath = "/api/deliver";
export const failurePath = "/api/deliver/failed";

/**
 * The delivery and alert functions' maxDuration (vercel.json), sent as every job's Upstash-Timeout:
 * without it QStash waits for the plan's limit (15 min and up), far past the function's end.
 */
export const jobTimeoutSeconds = 60;

export function deliverUrl(): string {
  return `${getEnv().appUrl}${deliverPath}`;
}

export function failureCallbackUrl(): string {
  return `${getEnv().appUrl}${failurePath}`;
}

interface QstashHolder {
  client?: Client;
  receiver?: Receiver;
}
const holder = globalThis as typeof globalThis & { __switchyardQstash?: QstashHolder };

export function getQstashClient(): Client {
  const state = (holder.__switchyardQstash ??= {});
  const { url, token } = getEnv().qstash;
  // One quick retry on network errors; callQstash bounds the whole call in time.
  state.client ??= new Client({
    baseUrl: url,
    token,
    retry: { retries: 1, backoff: () => 100 },
    enableTelemetry: false,
    devMode: false,
    headers: qstashForwardHeaders(),
  });
  return state.client;
}

export function getQstashReceiver(): Receiver {
  const state = (holder.__switchyardQstash ??= {});
  const { currentSigningKey, nextSigningKey } = getEnv().qstash;
  state.receiver ??= new Receiver({ currentSigningKey, nextSigningKey });
  return state.receiver;
}
