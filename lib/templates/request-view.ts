// Per-context data derived from the captured request, computed once and shared by every field
// rendered with that context: the parsed body, a lower-cased header index and the `{uuid}`.
import type { TemplateContext } from "@/lib/templates/context";
import type { JsonValue, TemplateValue } from "@/lib/templates/values";

type BodyView = { kind: "json"; value: JsonValue } | { kind: "form"; fields: ReadonlyMap<string, JsonValue> } | { kind: "text" };

interface RequestView {
  body: BodyView | undefined;
  headers: ReadonlyMap<string, string> | undefined;
  uuid: string | undefined;
}

const views = new WeakMap<TemplateContext, RequestView>();
const arrayIndex = /^(?:0|[1-9][0-9]{0,9})$/;

function viewOf(context: TemplateContext): RequestView {
  let view = views.get(context);
  if (!view) {
    view = { body: undefined, headers: undefined, uuid: undefined };
    views.set(context, view);
  }
  return view;
}

function isJsonObject(value: JsonValue): value is { readonly [key: string]: JsonValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isJsonArray(value: JsonValue): value is readonly JsonValue[] {
  return Array.isArray(value);
}

/** Walks `path`; own properties only, so `{body.constructor}` is missing, not a function. */
function walkJson(root: TemplateValue, path: readonly string[]): TemplateValue {
  let value = root;
  for (const segment of path) {
    if (value === undefined) return undefined;
    if (isJsonArray(value)) {
      value = arrayIndex.test(segment) ? value[Number(segment)] : undefined;
    } else if (isJsonObject(value)) {
      value = Object.hasOwn(value, segment) ? value[segment] : undefined;
    } else {
      return undefined;
    }
  }
  return value;
}

function mediaType(context: TemplateContext): string {
  const declared = context.event.contentType ?? lookupHeader(context, "content-type") ?? "";
  return declared.split(";", 1)[0]?.trim().toLowerCase() ?? "";
}

function tryParseJson(text: string): BodyView {
  try {
    // The parsed value is plain JSON data; JsonValue only narrows what JSON.parse already returns.
    const value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as JsonValue;
    return { kind: "json", value };
  } catch {
    return { kind: "text" };
  }
}

function parseForm(text: string): BodyView {
  const fields = new Map<string, JsonValue>();
  for (const [key, value] of new URLSearchParams(text)) {
    const previous = fields.get(key);
    if (previous === undefined) fields.set(key, value);
    else fields.set(key, isJsonArray(previous) ? [...previous, value] : [previous, value]);
  }
  return { kind: "form", fields };
}

function parseBody(context: TemplateContext): BodyView {
  const { body, bodyEncoding } = context.event;
  if (bodyEncoding !== "utf8") return { kind: "text" };
  const type = mediaType(context);
  if (type === "application/json" || type.endsWith("+json")) return tryParseJson(body);
  if (type === "application/x-www-form-urlencoded") return parseForm(body);
  // Senders often mislabel JSON (text/plain, no type); objects and arrays are unambiguous.
  const first = body.trimStart().charAt(0);
  if (first === "{" || first === "[") return tryParseJson(body);
  return { kind: "text" };
}

function bodyView(context: TemplateContext): BodyView {
  const view = viewOf(context);
  view.body ??= parseBody(context);
  return view.body;
}

/** `{body}` (empty path) or `{body.a.b}`: JSON and form bodies have paths, others only text. */
export function lookupBody(context: TemplateContext, path: readonly string[]): TemplateValue {
  const body = bodyView(context);
  if (path.length === 0) return body.kind === "json" ? body.value : context.event.body;
  if (body.kind === "json") return walkJson(body.value, path);
  if (body.kind === "form") return walkJson(body.fields.get(path[0] ?? ""), path.slice(1));
  return undefined;
}

/** `lowerName` must already be lower-cased. */
export function lookupHeader(context: TemplateContext, lowerName: string): string | undefined {
  const view = viewOf(context);
  if (!view.headers) {
    const headers = new Map<string, string>();
    for (const [name, value] of Object.entries(context.event.headers)) headers.set(name.toLowerCase(), value);
    view.headers = headers;
  }
  return view.headers.get(lowerName);
}

export function contextUuid(context: TemplateContext): string {
  const view = viewOf(context);
  view.uuid ??= context.uuid();
  return view.uuid;
}
