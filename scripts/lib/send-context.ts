// Builds the SendContext run-delivery would hand a sender, with the real template engine, so the
// broker benchmarks (and, through test/support/broker-context.ts, the tests) can call a sender directly.
import { randomUUID } from "node:crypto";
import type { SendContext } from "@/lib/destinations/types";
import type { DeliveryJob } from "@/lib/deliveries/job";
import { buildRenderers, buildSendContext } from "@/lib/destinations/send-context";
import { defaultPayloadText } from "@/lib/deliveries/envelope";

export interface ContextOptions {
  body?: string;
  path?: string;
  headers?: Record<string, string>;
  variables?: Record<string, string>;
  secrets?: Record<string, string>;
}

export function deliveryJob(kind: DeliveryJob["kind"], options: ContextOptions = {}): DeliveryJob {
  return {
    v: 1,
    deliveryId: randomUUID(),
    eventId: randomUUID(),
    callbackId: randomUUID(),
    destinationId: randomUUID(),
    kind,
    request: {
      method: "POST",
      path: options.path ?? "/api/trigger/test",
      query: {},
      headers: { "content-type": "application/json", ...options.headers },
      body: options.body ?? '{"order":42}',
      bodyEncoding: "utf8",
      receivedAt: new Date().toISOString(),
    },
  };
}

export function sendContext<C>(config: C, job: DeliveryJob, options: ContextOptions = {}): SendContext<C> {
  return buildSendContext({
    config,
    job,
    attempt: 1,
    // No TRIGGER_VAR_* here: these contexts also serve benchmarks, which run without lib/env.
    renderers: buildRenderers(job, { id: job.destinationId, variables: options.variables ?? {}, secrets: options.secrets ?? {}, triggerVars: {} }, 1),
    credentialValues: Object.values(options.secrets ?? {}),
    defaultPayload: () => defaultPayloadText(job),
    allowPrivateDestinations: true,
  });
}
