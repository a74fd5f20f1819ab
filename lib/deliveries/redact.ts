// Last line of defence before an attempt is stored: every known credential value is masked
// wherever it appears, and credential-bearing headers are masked by name.
import { redactedValue } from "@/lib/log";

const credentialHeaderNames = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key"]);

/** Very short values would mask innocent text everywhere; those are masked by field instead. */
const minimumSecretLength = 4;

function maskText(text: string, secrets: readonly string[]): string {
  let masked = text;
  for (const secret of secrets) {
    if (secret.length >= minimumSecretLength && masked.includes(secret)) masked = masked.split(secret).join(redactedValue);
  }
  return masked;
}

/** Secrets as they may appear on the wire: raw, URL-encoded, JSON-escaped, and in Basic auth. */
export function secretForms(values: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const value of values) {
    if (value.length < minimumSecretLength) continue;
    forms.add(value);
    forms.add(encodeURIComponent(value));
    forms.add(JSON.stringify(value).slice(1, -1));
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

export function redactValue<T>(value: T, secrets: readonly string[], extraHeaderNames: readonly string[] = []): T {
  const headerNames = new Set([...credentialHeaderNames, ...extraHeaderNames.map((name) => name.toLowerCase())]);
  const walk = (node: unknown, key?: string): unknown => {
    if (typeof node === "string") return key && headerNames.has(key.toLowerCase()) ? redactedValue : maskText(node, secrets);
    if (Array.isArray(node)) return node.map((item) => walk(item));
    if (node && typeof node === "object") {
      return Object.fromEntries(Object.entries(node).map(([innerKey, inner]) => [innerKey, walk(inner, innerKey)]));
    }
    return node;
  };
  return walk(value) as T;
}
