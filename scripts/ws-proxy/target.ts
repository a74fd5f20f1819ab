// Which host:port a WebSocket asks to reach, and whether the proxy may connect there.

export interface Target {
  host: string;
  port: number;
}

export type TargetResult = { ok: true; target: Target } | { ok: false; reason: string };

export const defaultAllowedHosts = ["127.0.0.1", "localhost", "::1"];

/**
 * Reads `?address=host:port` (what the Neon driver appends to a string `wsProxy`); the path is
 * ignored so `/`, `/v1` and `/v2` all work. IPv6 hosts may come bracketed or bare.
 */
function parseTarget(requestUrl: string | undefined): TargetResult {
  const address = new URL(requestUrl ?? "/", "ws://proxy").searchParams.get("address");
  if (!address) return { ok: false, reason: "missing ?address=host:port" };
  const colon = address.lastIndexOf(":");
  const host = address.slice(0, colon).replace(/^\[(.*)\]$/, "$1");
  const port = Number(address.slice(colon + 1));
  if (colon <= 0 || host === "" || !Number.isInteger(port) || port < 1 || port > 65_535) {
    return { ok: false, reason: `malformed address "${address}"` };
  }
  return { ok: true, target: { host, port } };
}

export function checkTarget(requestUrl: string | undefined, allowedHosts: readonly string[]): TargetResult {
  const parsed = parseTarget(requestUrl);
  if (!parsed.ok) return parsed;
  const allowed = allowedHosts.some((host) => host.toLowerCase() === parsed.target.host.toLowerCase());
  if (!allowed) return { ok: false, reason: `target host not allowed: ${parsed.target.host}` };
  return parsed;
}
