// HTTP destination: renders the request, sends it with one explicit timeout, records what was
// sent and what came back (status, headers, first 1 KB), and classifies the outcome for retries.
import http from "node:http";
import https from "node:https";
import type { HttpConfig } from "@/lib/destinations/http-config";
import type { DeliveryOutcome, Sender, SendContext } from "@/lib/destinations/types";
import { failedBeforeSend } from "@/lib/destinations/types";
import { classifyHttpStatus, parseRetryAfter } from "@/lib/destinations/http-status";

export const responseSampleBytes = 1024;

const contentTypes: Record<HttpConfig["bodyType"], string> = {
  json: "application/json",
  text: "text/plain; charset=utf-8",
  form: "application/x-www-form-urlencoded",
  xml: "application/xml",
};

export interface RenderedHttpRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string | undefined;
}

export function renderHttpRequest(context: SendContext<HttpConfig>): RenderedHttpRequest {
  const { config, render } = context;
  const url = new URL(render(config.url, "url"));
  for (const [name, value] of Object.entries(config.query)) url.searchParams.set(name, render(value, "text"));
  const headers: Record<string, string> = { "user-agent": "Switchyard/1.0", "webhook-id": context.job.deliveryId };
  for (const [name, value] of Object.entries(config.headers)) headers[name.toLowerCase()] = render(value, "header");
  const hasBody = !["GET", "HEAD"].includes(config.method);
  let body: string | undefined;
  if (hasBody) {
    body = config.body === undefined ? context.defaultPayload() : render(config.body, bodyMode(config.bodyType));
    headers["content-type"] ??= config.body === undefined ? contentTypes.json : contentTypes[config.bodyType];
  }
  return { method: config.method, url, headers, body };
}

function bodyMode(bodyType: HttpConfig["bodyType"]) {
  return bodyType === "json" ? "json" : bodyType === "form" ? "form" : bodyType === "xml" ? "xml" : "text";
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  bodySample: string;
}

/** One request, one timeout covering connect, headers and the body sample. */
export function sendRequest(request: RenderedHttpRequest, timeoutMs: number): Promise<RawResponse> {
  const transport = request.url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const outgoing = transport.request(request.url, { method: request.method, headers: request.headers, agent: false });
    const timer = setTimeout(() => outgoing.destroy(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    outgoing.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    outgoing.on("response", (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () => {
        clearTimeout(timer);
        response.destroy();
        resolve({
          status: response.statusCode ?? 0,
          headers: flattenHeaders(response.headers),
          bodySample: Buffer.concat(chunks).subarray(0, responseSampleBytes).toString("utf8"),
        });
      };
      response.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= responseSampleBytes) finish();
      });
      response.on("end", finish);
      response.on("error", finish);
    });
    outgoing.end(request.body);
  });
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : String(value ?? "")]),
  );
}

function describe(request: RenderedHttpRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: request.url.toString(),
    headers: request.headers,
    body: request.body === undefined ? null : request.body.slice(0, 4096),
    bodyBytes: request.body === undefined ? 0 : Buffer.byteLength(request.body),
  };
}

export const sendHttp: Sender<HttpConfig> = async (context) => {
  let request: RenderedHttpRequest;
  try {
    request = renderHttpRequest(context);
  } catch (error) {
    return failedBeforeSend(context.config.url, `Template error: ${error instanceof Error ? error.message : "render failed"}`);
  }
  const target = `${request.method} ${request.url.origin}${request.url.pathname}`;
  const started = performance.now();
  try {
    const response = await sendRequest(request, context.config.timeoutMs);
    const durationMs = Math.round(performance.now() - started);
    return toOutcome(request, response, target, durationMs);
  } catch (error) {
    const durationMs = Math.round(performance.now() - started);
    const message = error instanceof Error ? error.message : "request failed";
    return { result: "retryable", error: `Network error: ${message}`, target, request: describe(request), response: null, durationMs };
  }
};

function toOutcome(request: RenderedHttpRequest, response: RawResponse, target: string, durationMs: number): DeliveryOutcome {
  const result = classifyHttpStatus(response.status);
  return {
    result,
    statusCode: response.status,
    target,
    request: describe(request),
    response: { status: response.status, headers: response.headers, body: response.bodySample },
    durationMs,
    ...(result === "succeeded" ? {} : { error: `HTTP ${response.status}` }),
    ...(result === "retryable" ? { retryAfterSeconds: parseRetryAfter(response.headers["retry-after"]) } : {}),
    ...(response.status === 410 ? { disableReason: "The endpoint answered 410 Gone" } : {}),
  };
}
