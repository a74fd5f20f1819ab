// Reading and completing a raw destination config for the presets: the URL's scheme, explicit
// port and path as written (the WHATWG parser hides a default port such as wss:443), nested
// fields, and the literal text of a template. Edits keep the rest of the URL byte for byte, so a
// masked or percent-encoded password is never re-encoded.
import type { LooseConfig } from "@/lib/destinations/presets/preset-types";

export interface UrlParts {
  scheme: string;
  host: string;
  /** The port written in the URL, if any. */
  port: number | undefined;
  /** Path as written, "" when there is none. */
  path: string;
  hasUserinfo: boolean;
  username: string;
  /** Index just past the authority, where a port or path would be written. */
  authorityEnd: number;
  /** Index just past the host, where `:port` would go. */
  hostEnd: number;
}

const schemePorts: Record<string, number> = { mqtt: 1883, mqtts: 8883, ws: 80, wss: 443, amqp: 5672, amqps: 5671, http: 80, https: 443 };

/** The parts of `url` as written; undefined for anything that is not scheme://authority…. */
export function urlParts(url: unknown): UrlParts | undefined {
  if (typeof url !== "string") return undefined;
  const match = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url.trim());
  if (!match?.[1]) return undefined;
  const text = url.trim();
  const start = match[0].length;
  const rest = text.slice(start);
  const authorityLength = rest.search(/[/?#]/);
  const authority = authorityLength === -1 ? rest : rest.slice(0, authorityLength);
  const authorityEnd = start + authority.length;
  const at = authority.lastIndexOf("@");
  const hostPort = authority.slice(at + 1);
  const hostLength = hostPort.startsWith("[") ? hostPort.indexOf("]") + 1 : hostPort.includes(":") ? hostPort.lastIndexOf(":") : hostPort.length;
  const portText = hostPort.slice(hostLength + 1);
  const userinfo = at === -1 ? "" : authority.slice(0, at);
  return {
    scheme: match[1].toLowerCase(),
    host: hostPort.slice(0, hostLength).toLowerCase(),
    port: /^\d+$/.test(portText) ? Number(portText) : undefined,
    path: text.slice(authorityEnd).replace(/[?#].*$/, ""),
    hasUserinfo: at !== -1,
    username: safeDecode(userinfo.split(":")[0] ?? ""),
    authorityEnd,
    hostEnd: start + at + 1 + hostLength,
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * A rule's check that reads config.url: an absent or unparsable URL passes here (the config schema
 * refuses it), so the check sees the URL's parts.
 */
export function checkUrl(check: (parts: UrlParts, config: LooseConfig) => string | undefined): (config: LooseConfig) => string | undefined {
  return (config) => {
    const parts = urlParts(config.url);
    return parts ? check(parts, config) : undefined;
  };
}

/** The port a connection to `parts` uses: the written one, else the scheme's. */
export function effectivePort(parts: UrlParts): number | undefined {
  return parts.port ?? schemePorts[parts.scheme];
}

/** `url` with `port` written in when it names none (and its host is not a template). */
export function withDefaultPort(url: string, port: number): string {
  const parts = urlParts(url);
  if (!parts || parts.port !== undefined || parts.host === "" || parts.host.includes("{")) return url;
  const text = url.trim();
  return `${text.slice(0, parts.hostEnd)}:${port}${text.slice(parts.hostEnd)}`;
}

/** `url` with `path` when it has none, or only "/", and no query. */
export function withDefaultPath(url: string, path: string): string {
  const parts = urlParts(url);
  const text = url.trim();
  if (!parts || (parts.path !== "" && parts.path !== "/") || text.length > parts.authorityEnd + parts.path.length) return url;
  return `${text.slice(0, parts.authorityEnd)}${path}`;
}

/** A nested field, e.g. `field(config, "auth", "type")`. */
export function field(config: LooseConfig, ...path: string[]): unknown {
  let value: unknown = config;
  for (const key of path) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export const textField = (config: LooseConfig, ...path: string[]): string | undefined => {
  const value = field(config, ...path);
  return typeof value === "string" ? value : undefined;
};

export const isAbsent = (config: LooseConfig, key: string): boolean => config[key] === undefined;

/** The config's `tls` object with `key` set, keeping whatever else it holds. */
export function withTls(config: LooseConfig, key: string, value: unknown): LooseConfig {
  const tls = field(config, "tls");
  const base = typeof tls === "object" && tls !== null && !Array.isArray(tls) ? (tls as LooseConfig) : {};
  return { ...config, tls: { ...base, [key]: value } };
}

export const hasClientCertificate = (config: LooseConfig): boolean => textField(config, "tls", "cert") !== undefined;

export function alpnProtocols(config: LooseConfig): string[] | undefined {
  const value = field(config, "tls", "alpnProtocols");
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : undefined;
}

/** A template's fixed text, placeholders removed: what every rendering contains at least. */
export const literalText = (template: string): string => template.replace(/\{[^}]*\}/g, "");

export const byteLength = (text: string): number => Buffer.byteLength(text, "utf8");
