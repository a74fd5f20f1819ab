// SSRF guard shared by every destination kind. Destinations must not reach the deployment's own
// network (loopback, RFC 1918, link-local, cloud metadata…) unless ALLOW_PRIVATE_DESTINATIONS.
//
// API (small on purpose):
// - `guardedLookup(policy)`: a `lookup` for http.request / https.request / net.connect /
//   tls.connect (and ws, which passes it through). It resolves every address of the host and
//   refuses the connection if ANY is blocked, so the check happens at connect time and a DNS
//   answer cannot change between check and use (DNS rebinding).
// - `assertLiteralAllowed(hostname, policy)`: Node skips `lookup` for IP literals, so call this
//   before connecting to a URL whose host may be an IP (it is a no-op for names).
// - `BlockedAddressError`: what all of them throw or pass to the callback; its message is fit to
//   store as the delivery error. Treat it as a permanent failure.
// - `addressPolicy(allowPrivate)` / `AddressPolicy`: the decision function; tests may pass their own.
import dns from "node:dns";
import type { LookupAddress, LookupOptions } from "node:dns";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

/** Returns why `address` is refused, or undefined if it may be connected to. */
export type AddressPolicy = (address: string) => string | undefined;

export class BlockedAddressError extends Error {
  override name = "BlockedAddressError";
  readonly address: string;
  readonly hostname: string;

  constructor(address: string, hostname: string, reason: string) {
    const via = hostname !== address && hostname !== "" ? ` (resolved from ${hostname})` : "";
    super(`destination address ${address}${via} is ${reason}; blocked (set ALLOW_PRIVATE_DESTINATIONS=true to allow)`);
    this.address = address;
    this.hostname = hostname;
  }
}

const rangeLabels: Record<string, string> = {
  loopback: "private/loopback",
  private: "private/loopback (RFC 1918)",
  linkLocal: "private/loopback (link-local)",
  carrierGradeNat: "private/loopback (carrier-grade NAT 100.64/10)",
  uniqueLocal: "private/loopback (unique-local fc00::/7)",
  unspecified: "unspecified",
  multicast: "multicast",
  broadcast: "broadcast",
};

const metadataAddresses = new Set(["169.254.169.254", "fd00:ec2::254"]);

function describeRange(range: string): string {
  return rangeLabels[range] ?? `reserved (${range})`;
}

// ::a.b.c.d (deprecated IPv4-compatible form) is not unwrapped by ipaddr.process().
function unwrapCompatible(parsed: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  if (!(parsed instanceof ipaddr.IPv6)) return parsed;
  const parts = parsed.parts;
  if (parts.slice(0, 6).every((part) => part === 0) && (parts[6] !== 0 || (parts[7] ?? 0) > 1)) {
    const high = parts[6] ?? 0;
    const low = parts[7] ?? 0;
    return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  }
  return parsed;
}

/** Only plain global unicast passes; every special range (and anything unparsable) is refused. */
export function blockedReason(address: string): string | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = unwrapCompatible(ipaddr.process(address.replace(/^\[|\]$/g, "").replace(/%.*$/, "")));
  } catch {
    return "not a valid IP address";
  }
  if (metadataAddresses.has(parsed.toNormalizedString()) || metadataAddresses.has(parsed.toString())) {
    return "a cloud metadata endpoint";
  }
  const range = parsed.range();
  return range === "unicast" ? undefined : describeRange(range);
}

export function addressPolicy(allowPrivate: boolean): AddressPolicy {
  return allowPrivate ? () => undefined : blockedReason;
}

function bare(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, "");
}

/** Throws BlockedAddressError if `hostname` is an IP literal the policy refuses. */
export function assertLiteralAllowed(hostname: string, policy: AddressPolicy): void {
  const host = bare(hostname);
  if (isIP(host) === 0) return;
  const reason = policy(host);
  if (reason) throw new BlockedAddressError(host, host, reason);
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A drop-in `lookup` option: resolves all addresses and refuses if any is blocked. */
export function guardedLookup(policy: AddressPolicy) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    const family = typeof options === "object" && options ? options.family : undefined;
    dns.lookup(hostname, { all: true, family, hints: options?.hints }, (error, addresses) => {
      if (error) return callback(error, []);
      const blocked = addresses.map((entry) => ({ entry, reason: policy(entry.address) })).find((item) => item.reason);
      if (blocked?.reason) return callback(new BlockedAddressError(blocked.entry.address, hostname, blocked.reason), []);
      const first = addresses[0];
      if (options?.all) return callback(null, addresses);
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), []);
      callback(null, first.address, first.family);
    });
  };
}
