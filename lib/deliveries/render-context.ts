// Builds the template context of one attempt and returns a renderer bound to it.
import { randomUUID } from "node:crypto";
import { getEnv } from "@/lib/env";
import { renderTemplate, type TemplateContext } from "@/lib/templates";
import type { TemplateMode } from "@/lib/destinations/kinds";
import type { DeliveryJob } from "@/lib/deliveries/job";

export interface RenderSource {
  id: string;
  variables: Record<string, string>;
  secrets: Record<string, string> | TemplateContext["secrets"];
  /** `TRIGGER_VAR_*` values; the environment's unless given (benchmarks run without lib/env). */
  triggerVars?: Readonly<Record<string, string>>;
}

export function buildTemplateContext(job: DeliveryJob, destination: RenderSource, attempt: number, now = new Date()): TemplateContext {
  const triggerVars = destination.triggerVars ?? getEnv().triggerVars;
  return {
    event: {
      id: job.eventId,
      callbackId: job.callbackId,
      receivedAt: job.request.receivedAt,
      method: job.request.method,
      path: job.request.path,
      query: job.request.query,
      headers: job.request.headers,
      body: job.request.body,
      bodyEncoding: job.request.bodyEncoding,
    },
    deliveryId: job.deliveryId,
    destinationId: destination.id,
    attempt,
    vars: destination.variables,
    env: (name) => triggerVars[name],
    secrets: destination.secrets,
    now,
    uuid: () => randomUUID(),
  };
}

export function buildRenderer(job: DeliveryJob, destination: RenderSource, attempt: number) {
  const context = buildTemplateContext(job, destination, attempt);
  return (source: string, mode: TemplateMode): string => renderTemplate(source, mode, context);
}
