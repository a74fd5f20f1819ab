// The one builder of a SendContext (deliveries, alerts, preview, benchmarks and tests): the
// template context of one attempt and renderers bound to it, one for what is sent, one for what is
// recorded (every `{secret:…}` as "***").
import { randomUUID } from "node:crypto";
import { getEnv } from "@/lib/env";
import { maskSecrets, renderTemplate, type TemplateContext } from "@/lib/templates";
import type { TemplateMode } from "@/lib/templates";
import type { SendContext, SendJob } from "@/lib/destinations/types";

export interface RenderSource {
  id: string;
  variables: Record<string, string>;
  secrets: Record<string, string> | TemplateContext["secrets"];
  /** `TRIGGER_VAR_*` values; the environment's unless given (benchmarks run without lib/env). */
  triggerVars?: Readonly<Record<string, string>>;
}

export function buildTemplateContext(job: SendJob, destination: RenderSource, attempt: number, now = new Date()): TemplateContext {
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
    uuid: once(randomUUID),
  };
}

// The sent and the recorded rendering must show the same {uuid}, though each context object
// asks for it on its own.
function once(make: () => string): () => string {
  let value: string | undefined;
  return () => (value ??= make());
}

type Render = (source: string, mode: TemplateMode) => string;

export interface Renderers {
  render: Render;
  renderForRecord: Render;
}

export function buildRenderers(job: SendJob, destination: RenderSource, attempt: number): Renderers {
  const context = buildTemplateContext(job, destination, attempt);
  const masked = maskSecrets(context);
  // A field without {secret:…} renders the same both ways: the record reuses the sent output.
  const sent = new Map<string, string>();
  const render: Render = (source, mode) => {
    const output = renderTemplate(source, mode, context);
    sent.set(`${mode}\u0000${source}`, output);
    return output;
  };
  const renderForRecord: Render = (source, mode) => {
    if (source.includes("{secret:")) return renderTemplate(source, mode, masked);
    return sent.get(`${mode}\u0000${source}`) ?? render(source, mode);
  };
  return { render, renderForRecord };
}

/** Renderers over a context built elsewhere (a preview's, a test's): the record masks secrets. */
export function renderersFor(context: TemplateContext): Renderers {
  const masked = maskSecrets(context);
  return { render: (source, mode) => renderTemplate(source, mode, context), renderForRecord: (source, mode) => renderTemplate(source, mode, masked) };
}

export type SendContextInput<C> = Omit<SendContext<C>, "render" | "renderForRecord"> & { renderers: Renderers };

export function buildSendContext<C>({ renderers, ...context }: SendContextInput<C>): SendContext<C> {
  return { ...context, render: renderers.render, renderForRecord: renderers.renderForRecord };
}
