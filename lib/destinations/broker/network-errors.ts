// Socket-level failures shared by the broker senders: all retryable, worded so an operator sees
// at once that the broker could not be reached (and not, say, that it refused the message).
import { errorMessage } from "@/lib/destinations/broker/support";

const unreachableCodes: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "connection timed out",
  EPIPE: "connection closed while writing",
  ENOTFOUND: "DNS lookup failed",
  EAI_AGAIN: "DNS lookup failed (temporary)",
};

/** "Broker unreachable: …" for a socket/DNS error, "TLS error: …" for a handshake failure, else undefined. */
export function networkFailure(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as Error & { code?: unknown }).code;
  if (typeof code !== "string") return undefined;
  const reason = unreachableCodes[code];
  if (reason) return `Broker unreachable: ${reason} (${errorMessage(error)})`;
  if (/CERT|TLS|SSL/.test(code)) return `TLS error: ${errorMessage(error)}`;
  return `Network error: ${errorMessage(error)}`;
}
