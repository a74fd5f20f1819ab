// The second net before an attempt is stored (the first is that recorded requests are rendered
// with every secret already "***"): every known credential value is masked wherever it appears,
// in every form an encoder on the way may have given it, and credential headers by name.
//
// Short values: a value of fewer than 4 characters is masked by field (the recorded rendering
// and the header names below), and in free text only where it stands as a whole token, between
// characters that are not letters or digits. Masking "ab" inside every word would make records
// unreadable, and a value that short is no real protection anyway.
import { redactedValue } from "@/lib/log";
import { isCredentialHeaderName } from "@/lib/secrets/credential-names";
import { encodeFormComponent, encodeUriComponentSafe, escapeJsonString, escapeXml, stripControlCharacters, toWellFormed } from "@/lib/templates/values";

const minimumFreeTextLength = 4;

const xmlNumericRefs: Readonly<Record<string, string>> = { "&": "&#38;", "<": "&#60;", ">": "&#62;", '"': "&#34;", "'": "&#39;" };

/** Where the WHATWG URL serializer leaves a value: path, query, userinfo and fragment sets. */
function urlSerializations(value: string): string[] {
  const url = new URL("http://h/");
  url.pathname = `/${value}`;
  const path = url.pathname.slice(1);
  url.search = value;
  const query = url.search.slice(1);
  url.username = value;
  const userinfo = url.username;
  url.hash = value;
  return [path, query, userinfo, url.hash.slice(1)];
}

function encodedForms(value: string): string[] {
  const percent = [encodeUriComponentSafe(value), encodeFormComponent(value), new URLSearchParams({ v: value }).toString().slice(2), ...urlSerializations(value)];
  return [
    ...percent,
    // Some receivers echo percent-encodings in lower case.
    ...percent.map((form) => form.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase())),
    escapeJsonString(value),
    JSON.stringify(value)
      .slice(1, -1)
      .replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`),
    escapeXml(value),
    toWellFormed(value).replace(/[&<>"']/g, (char) => xmlNumericRefs[char] ?? char),
    stripControlCharacters(value),
    Buffer.from(value, "utf8").toString("base64"),
  ];
}

/** Every form a credential may take on the wire or in an echo, longest first. */
export function secretForms(values: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const value of values) {
    if (value === "") continue;
    forms.add(value);
    for (const form of encodedForms(value)) {
      if (form === "") continue;
      // HTTP header bytes are read back as Latin-1, so non-ASCII comes back as its UTF-8 bytes;
      // and a receiver echoing what it got usually answers in JSON.
      const latin1 = Buffer.from(form, "utf8").toString("latin1");
      for (const variant of [form, latin1]) forms.add(variant).add(escapeJsonString(variant));
    }
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function maskForm(text: string, form: string): string {
  if (!text.includes(form)) return text;
  if (form.length >= minimumFreeTextLength) return text.split(form).join(redactedValue);
  return text.replace(new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(form)}(?![A-Za-z0-9])`, "g"), redactedValue);
}

export function maskText(text: string, forms: readonly string[]): string {
  let masked = text;
  for (const form of forms) masked = maskForm(masked, form);
  return masked;
}

/**
 * For text cut short before it reached us (a sampled response body): a form whose beginning
 * survived at the end is masked too.
 */
export function maskTruncatedTail(text: string, forms: readonly string[]): string {
  const masked = maskText(text, forms);
  let cut = 0;
  for (const form of forms) {
    for (let length = Math.min(form.length - 1, masked.length); length > cut; length -= 1) {
      if (masked.endsWith(form.slice(0, length))) cut = length;
    }
  }
  return cut === 0 ? masked : `${masked.slice(0, -cut)}${redactedValue}`;
}

/** Masks first, then cuts to `maxChars`: a cut can never leave the head of a secret behind. */
export function maskThenTruncate(text: string, forms: readonly string[], maxChars: number): string {
  return maskText(text, forms).slice(0, maxChars);
}

export function redactValue<T>(value: T, forms: readonly string[], extraHeaderNames: readonly string[] = []): T {
  const extra = new Set(extraHeaderNames.map((name) => name.toLowerCase()));
  const byName = (key: string) => isCredentialHeaderName(key) || extra.has(key.toLowerCase());
  const walk = (node: unknown, key?: string): unknown => {
    if (typeof node === "string") return key && byName(key) ? redactedValue : maskText(node, forms);
    if (Array.isArray(node)) return node.map((item) => walk(item));
    if (node && typeof node === "object") {
      return Object.fromEntries(Object.entries(node).map(([innerKey, inner]) => [innerKey, walk(inner, innerKey)]));
    }
    return node;
  };
  return walk(value) as T;
}
