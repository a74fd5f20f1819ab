// Shared by the HTTP sender unit tests: a send context built without the app's environment (their
// real HTTP peers are test/support/sink.ts, bound to a chosen loopback address).
import { httpConfigSchema, type HttpConfig } from "@/lib/destinations/http/config";
import { buildSendContext, renderersFor } from "@/lib/destinations/send-context";
import type { SendContext } from "@/lib/destinations/types";
import type { DeliveryJob } from "@/lib/deliveries/job";
import type { TemplateContext } from "@/lib/templates";

export const deliveryId = "0190c0de-0000-7000-8000-000000000001";

export function makeJob(body = '{"order":{"id":42}}'): DeliveryJob {
  return {
    v: 1,
    deliveryId,
    eventId: "0190c0de-0000-7000-8000-000000000002",
    callbackId: "0190c0de-0000-7000-8000-000000000003",
    destinationId: "0190c0de-0000-7000-8000-000000000004",
    kind: "http",
    request: {
      method: "POST",
      path: "/t",
      query: { q: "search" },
      headers: { "content-type": "application/json", "x-req": "r-1" },
      body,
      bodyEncoding: "utf8",
      receivedAt: "2024-01-01T00:00:00.000Z",
    },
  };
}

function templateContextFor(job: DeliveryJob, secrets: Record<string, string> = {}, vars: Record<string, string> = {}): TemplateContext {
  return {
    event: { id: job.eventId, callbackId: job.callbackId, ...job.request },
    deliveryId: job.deliveryId,
    destinationId: job.destinationId,
    attempt: 1,
    vars,
    env: () => undefined,
    secrets,
    now: new Date(),
    uuid: () => "00000000-0000-4000-8000-000000000000",
  };
}

export interface ContextOptions {
  job?: DeliveryJob;
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  signingSecret?: string;
  allowPrivateDestinations?: boolean;
}

export function makeSendContext(config: Record<string, unknown>, options: ContextOptions = {}): SendContext<HttpConfig> {
  const job = options.job ?? makeJob();
  const context = templateContextFor(job, options.secrets, options.vars);
  return buildSendContext({
    config: httpConfigSchema.parse(config),
    signingSecret: options.signingSecret,
    job,
    attempt: 1,
    renderers: renderersFor(context),
    credentialValues: Object.values(options.secrets ?? {}),
    defaultPayload: () => JSON.stringify({ envelope: true }),
    allowPrivateDestinations: options.allowPrivateDestinations ?? true,
  });
}
