// A SendContext for benchmarks, built with the real template engine but without lib/env (which
// would create .data/ secrets in a development checkout).
import { randomUUID } from "node:crypto";
import type { DeliveryJob } from "@/lib/deliveries/job";
import { defaultEnvelope } from "@/lib/deliveries/envelope";
import type { SendContext } from "@/lib/destinations/types";
import { renderTemplate, type TemplateContext } from "@/lib/templates";

export const benchBody = JSON.stringify({ event: "order.created", order: { id: 4242, items: 3, total: "99.90" } });

function benchJob(kind: DeliveryJob["kind"]): DeliveryJob {
  return {
    v: 1,
    deliveryId: randomUUID(),
    eventId: randomUUID(),
    callbackId: randomUUID(),
    destinationId: randomUUID(),
    kind,
    request: {
      method: "POST",
      path: "/api/trigger/bench",
      query: {},
      headers: { "content-type": "application/json" },
      body: benchBody,
      bodyEncoding: "utf8",
      receivedAt: new Date().toISOString(),
    },
  };
}

export function benchContext<C>(config: C, kind: DeliveryJob["kind"]): SendContext<C> {
  const job = benchJob(kind);
  const templates: TemplateContext = {
    event: { ...job.request, id: job.eventId, callbackId: job.callbackId },
    deliveryId: job.deliveryId,
    destinationId: job.destinationId,
    attempt: 1,
    vars: {},
    env: () => undefined,
    secrets: {},
    now: new Date(),
    uuid: randomUUID,
  };
  return {
    config,
    job,
    attempt: 1,
    render: (source, mode) => renderTemplate(source, mode, templates),
    defaultPayload: () => JSON.stringify(defaultEnvelope(job)),
    allowPrivateDestinations: true,
  };
}

/** The payload the baselines publish: the same envelope sendMqtt/sendAmqp send by default. */
export function benchPayload(): string {
  return JSON.stringify(defaultEnvelope(benchJob("mqtt")));
}
