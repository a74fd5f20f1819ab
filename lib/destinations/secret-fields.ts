// Credential fields of a destination config are split off before storage, sealed with
// AES-256-GCM into destinations.secrets_enc, and shown back to operators only as a mask.
import { AppError } from "@/lib/errors";
import { redactedValue } from "@/lib/log";

export interface SecretField {
  path: readonly string[];
  /** "url-password": the password inside a URL's userinfo (amqp://user:pass@host). */
  kind: "value" | "url-password";
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parentOf(root: JsonObject, path: readonly string[]): JsonObject | undefined {
  let node: unknown = root;
  for (const key of path.slice(0, -1)) node = isObject(node) ? node[key] : undefined;
  return isObject(node) ? node : undefined;
}

const keyOf = (field: SecretField) => (field.kind === "url-password" ? `${field.path.join(".")}#password` : field.path.join("."));

function parseUrl(value: unknown): URL | undefined {
  if (typeof value !== "string" || value.startsWith("{")) return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

// The config schemas refuse such URLs first; this keeps a caller that skipped them off a 500.
function decodePassword(url: URL, field: SecretField): string {
  try {
    return decodeURIComponent(url.password);
  } catch {
    const name = `config.${field.path.join(".")}`;
    throw new AppError("validation_failed", `${name}: the password in the URL is not valid percent-encoding: write a literal % as %25`, { field: name });
  }
}

/**
 * Removes every credential from `config` (a deep copy is returned) and collects them by key.
 * A masked value means "unchanged": the previous secret is carried over.
 */
export function splitSecrets(config: JsonObject, fields: readonly SecretField[], previous: Record<string, string> = {}): { publicConfig: JsonObject; secrets: Record<string, string> } {
  const publicConfig = structuredClone(config);
  const secrets: Record<string, string> = {};
  for (const field of fields) {
    const parent = parentOf(publicConfig, field.path);
    const leaf = field.path[field.path.length - 1] ?? "";
    if (!parent || !(leaf in parent)) continue;
    const key = keyOf(field);
    if (field.kind === "value") {
      const value = parent[leaf];
      if (typeof value !== "string") continue;
      const kept = value === redactedValue ? previous[key] : value;
      if (kept !== undefined) secrets[key] = kept;
      delete parent[leaf];
      continue;
    }
    const url = parseUrl(parent[leaf]);
    if (!url || url.password === "") continue;
    const password = decodePassword(url, field);
    const kept = password === redactedValue ? previous[key] : password;
    if (kept !== undefined) secrets[key] = kept;
    url.password = "";
    parent[leaf] = url.toString();
  }
  return { publicConfig, secrets };
}

/** The full config a sender needs: the stored public part with its credentials put back. */
export function joinSecrets(publicConfig: JsonObject, fields: readonly SecretField[], secrets: Record<string, string>): JsonObject {
  const config = structuredClone(publicConfig);
  for (const field of fields) {
    const value = secrets[keyOf(field)];
    const parent = parentOf(config, field.path);
    const leaf = field.path[field.path.length - 1] ?? "";
    if (value === undefined || !parent) continue;
    if (field.kind === "value") {
      parent[leaf] = value;
      continue;
    }
    const url = parseUrl(parent[leaf]);
    if (!url) continue;
    url.password = encodeURIComponent(value);
    parent[leaf] = url.toString();
  }
  return config;
}

/** The operator's view: each stored credential appears as the mask, never as its value. */
export function maskSecrets(publicConfig: JsonObject, fields: readonly SecretField[], storedKeys: readonly string[]): JsonObject {
  const masked = Object.fromEntries(storedKeys.map((key) => [key, redactedValue]));
  return joinSecrets(publicConfig, fields, masked);
}
