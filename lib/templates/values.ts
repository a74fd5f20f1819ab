// Value conversions and per-context escapers. None of these throws anything but
// TemplateRenderError, whatever the input: lone surrogates and deep nesting included.
import { TemplateRenderError } from "@/lib/templates/errors";
import type { TemplateMode } from "@/lib/templates/modes";

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };
/** `undefined` is a missing value: empty text, or `null` in a JSON value position. */
export type TemplateValue = JsonValue | undefined;

const loneSurrogates = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const lineSeparators = /[\u2028\u2029]/g;
// C0, DEL, C1 and the Unicode line/paragraph separators: all of them can end a header line in
// some parser downstream.
const controlCharacters = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g;
// XML 1.0 forbids these even as character references.
const xmlForbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const xmlEntities: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** Replaces unpaired surrogates with U+FFFD; encodeURIComponent throws on them. */
export function toWellFormed(text: string): string {
  return text.replace(loneSurrogates, "\uFFFD");
}

// JSON allows raw U+2028/9 in strings but JavaScript sources before ES2019 did not, and the
// output may be embedded in one.
function escapeLineSeparators(json: string): string {
  return json.replace(lineSeparators, (char) => (char === "\u2028" ? "\\u2028" : "\\u2029"));
}

/** Compact JSON; a value too deeply nested to serialise is a render failure, not a RangeError. */
export function stringifyJson(value: TemplateValue, mode: TemplateMode, variable: string): string {
  try {
    return escapeLineSeparators(JSON.stringify(value === undefined ? null : value));
  } catch {
    throw new TemplateRenderError("invalid_result", mode, `{${variable}} cannot be serialised as JSON`, variable);
  }
}

export function toText(value: TemplateValue, mode: TemplateMode, variable: string): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return stringifyJson(value, mode, variable);
}

/** The inside of a JSON string literal: no quotes added. */
export function escapeJsonString(text: string): string {
  return escapeLineSeparators(JSON.stringify(text).slice(1, -1));
}

export function stripControlCharacters(text: string): string {
  return text.replace(controlCharacters, "");
}

/** Index of the first character header mode strips, or -1. */
export function findControlCharacter(text: string): number {
  return text.search(controlCharacters);
}

export function encodeUriComponentSafe(text: string): string {
  return encodeURIComponent(toWellFormed(text));
}

/** application/x-www-form-urlencoded: only [A-Za-z0-9*-._] stay as they are; space is "+". */
export function encodeFormComponent(text: string): string {
  return encodeUriComponentSafe(text)
    .replace(/[!'()~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+");
}

export function escapeXml(text: string): string {
  return toWellFormed(text)
    .replace(xmlForbidden, "")
    .replace(/[&<>"']/g, (char) => xmlEntities[char] ?? char);
}

export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(index + 1))) {
      bytes += 4;
      index += 1;
    } else bytes += 3;
  }
  return bytes;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

export function hasLoneSurrogate(text: string): boolean {
  return text.search(loneSurrogates) !== -1;
}
