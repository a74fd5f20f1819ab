// The HTTP part of a preview: the full request the sender would build (method, URL, headers
// with auth and signature, body), credentials masked, and no token request or send.
import type { DeliveryJob } from "@/lib/deliveries/job";
import type { HttpConfig } from "@/lib/destinations/http/config";
import { applyAuth, maskRequest } from "@/lib/destinations/http/auth";
import { TemplateFieldError } from "@/lib/destinations/http/render";
import { prepareHttpRequest, type PreparedHttpRequest } from "@/lib/destinations/http/send-http";
import type { TemplateContext } from "@/lib/templates";
import { buildSendContext, renderersFor } from "@/lib/destinations/send-context";
import { redactedValue } from "@/lib/log";
import type { TransformedMessage } from "@/lib/transforms/transform-output";

export interface PreviewedHttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
}

export type HttpPreviewResult = { ok: true; request: PreviewedHttpRequest } | { ok: false; issue: { field: string; message: string } };

export function previewHttpRequest(config: HttpConfig, job: DeliveryJob, context: TemplateContext, defaultPayload: () => string, transformed?: TransformedMessage): HttpPreviewResult {
  // The preview context already shows every secret as "***".
  const sendContext = buildSendContext({
    config,
    job,
    attempt: 1,
    renderers: renderersFor(context),
    defaultPayload,
    allowPrivateDestinations: true,
    ...(transformed ? { transformed } : {}),
  });
  let prepared: PreparedHttpRequest;
  try {
    prepared = prepareHttpRequest(sendContext);
  } catch (error) {
    if (error instanceof TemplateFieldError) return { ok: false, issue: { field: error.field, message: error.detail } };
    return { ok: false, issue: { field: "config", message: error instanceof Error ? error.message : "render failed" } };
  }
  let request = prepared.auth.type === "oauth2" ? applyAuth(prepared.request, prepared.auth, redactedValue) : prepared.request;
  if (config.sign) {
    const signatureHeader = (config.signatureHeader ?? "webhook-signature").toLowerCase();
    const signature = { "webhook-timestamp": String(Math.floor(Date.now() / 1000)), [signatureHeader]: `v1,${redactedValue}` };
    request = { ...request, headers: { ...request.headers, ...signature } };
  }
  const masked = maskRequest(request, prepared.locations);
  return { ok: true, request: { method: masked.method, url: masked.url.toString(), headers: masked.headers, body: masked.body ?? null } };
}
