// Renders an HTTP destination's templates into the request to send (auth and signature come
// later). Every failure names the config field, so the recorded error tells the operator
// where to look; the sender, the preview and the tests share this one renderer.
import type { HttpConfig } from "@/lib/destinations/http/config";
import type { OutgoingRequest } from "@/lib/destinations/http/request";
import type { TemplateMode } from "@/lib/templates";
import { isRequestExpression, parseTemplate } from "@/lib/templates";
import type { HttpTransformed } from "@/lib/transforms/transform-output";

export type FieldRenderer = (field: string, source: string, mode: TemplateMode) => string;

/** A template (or a value it produced) that cannot be used; always a permanent failure. */
export class TemplateFieldError extends Error {
  override name = "TemplateFieldError";
  readonly field: string;
  readonly detail: string;

  constructor(field: string, detail: string) {
    super(`Template error in ${field}: ${detail}`);
    this.field = field;
    this.detail = detail;
  }
}

export function fieldRenderer(render: (source: string, mode: TemplateMode) => string): FieldRenderer {
  return (field, source, mode) => {
    try {
      return render(source, mode);
    } catch (error) {
      throw new TemplateFieldError(field, error instanceof Error ? error.message : "render failed");
    }
  };
}

const contentTypes: Record<HttpConfig["bodyType"], string> = {
  json: "application/json",
  text: "text/plain; charset=utf-8",
  form: "application/x-www-form-urlencoded",
  xml: "application/xml",
};

// Node refuses other characters in a header value; refuse them here, with the field's name.
const sendableHeaderValue = /^[\t\x20-\x7e\x80-\xff]*$/;

export function assertSendableHeader(field: string, value: string): string {
  if (!sendableHeaderValue.test(value)) throw new TemplateFieldError(field, "the rendered header value contains characters HTTP headers cannot carry");
  return value;
}

function parseUrl(field: string, value: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new TemplateFieldError(field, "the rendered URL is not valid");
  }
}

export interface RenderRequestInput {
  config: HttpConfig;
  renderField: FieldRenderer;
  deliveryId: string;
  /** The default JSON envelope, used when no body template is set. */
  defaultPayload: () => string;
  /** The destination transform's output: each part it returned replaces that part's templates. */
  transformed?: HttpTransformed;
}

// Percent-encoded NUL: fine in a path or query, refused in a host or port by every URL parser.
const requestDataStandIn = "%00";

/** `source` with each request placeholder replaced by a stand-in no origin can contain. */
function withoutRequestData(source: string): string {
  let skeleton = "";
  let next = 0;
  for (const placeholder of parseTemplate(source).placeholders) {
    if (!isRequestExpression(placeholder.expression)) continue;
    skeleton += `${source.slice(next, placeholder.position)}${requestDataStandIn}`;
    next = placeholder.position + placeholder.text.length + 2;
  }
  return skeleton + source.slice(next);
}

/**
 * The delivery-time net under the save-time rule: the rendered URL must go to the origin (scheme,
 * host, port) the configuration names with only the operator's own values rendered. Rows saved
 * before that rule could put request data there; such an event fails as content.
 */
export function assertConfiguredOrigin(field: string, source: string, rendered: URL, renderField: FieldRenderer): void {
  let configured: string | undefined;
  try {
    configured = new URL(renderField(field, withoutRequestData(source), "url")).origin;
  } catch {
    configured = undefined;
  }
  if (configured !== rendered.origin) {
    throw new TemplateFieldError(field, "request data may not choose where a delivery goes: the rendered origin (scheme, host, port) differs from the configured one");
  }
}

export function renderHttpRequest({ config, renderField, deliveryId, defaultPayload, transformed }: RenderRequestInput): OutgoingRequest {
  const url = parseUrl("config.url", renderField("config.url", config.url, "url"));
  assertConfiguredOrigin("config.url", config.url, url, renderField);
  if (transformed?.query) for (const [name, value] of Object.entries(transformed.query)) url.searchParams.set(name, value);
  else for (const [name, value] of Object.entries(config.query)) url.searchParams.set(name, renderField(`config.query.${name}`, value, "text"));
  const headers: Record<string, string> = { "user-agent": "Switchyard/1.0", "webhook-id": deliveryId, ...renderHeaders(config, renderField, transformed) };
  const method = transformed?.method ?? config.method;
  if (method === "GET" || method === "HEAD") return { method, url, headers, body: undefined };
  if (transformed) {
    headers["content-type"] ??= transformed.contentType;
    headers["content-length"] = String(Buffer.byteLength(transformed.body));
    return { method, url, headers, body: transformed.body };
  }
  const templated = config.body !== undefined;
  const body = templated ? renderField("config.body", config.body ?? "", bodyMode(config.bodyType)) : defaultPayload();
  headers["content-type"] ??= templated ? contentTypes[config.bodyType] : contentTypes.json;
  headers["content-length"] = String(Buffer.byteLength(body));
  return { method, url, headers, body };
}

function renderHeaders(config: HttpConfig, renderField: FieldRenderer, transformed: HttpTransformed | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (transformed?.headers) {
    for (const [name, value] of Object.entries(transformed.headers)) headers[name.toLowerCase()] = assertSendableHeader(`transform.headers.${name}`, value);
    return headers;
  }
  for (const [name, value] of Object.entries(config.headers)) {
    const field = `config.headers.${name}`;
    headers[name.toLowerCase()] = assertSendableHeader(field, renderField(field, value, "header"));
  }
  return headers;
}

function bodyMode(bodyType: HttpConfig["bodyType"]): TemplateMode {
  return bodyType === "json" ? "json" : bodyType === "form" ? "form" : bodyType === "xml" ? "xml" : "text";
}
