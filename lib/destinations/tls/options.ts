// From a destination's `tls` object to the options node:tls (and https, ws, amqplib, mqtt.js,
// which pass them through) take, and to what an attempt records about them.
import type { ConnectionOptions } from "node:tls";
import type { TlsConfig } from "@/lib/destinations/tls/config";
import { certificateSummary } from "@/lib/destinations/tls/pem";

export type TlsConnectOptions = Pick<ConnectionOptions, "ca" | "cert" | "key" | "passphrase" | "servername" | "ALPNProtocols" | "rejectUnauthorized">;

/** Thrown when a stored `insecureSkipVerify` meets a production deployment: a permanent failure. */
export class InsecureTlsRefusedError extends Error {
  override name = "InsecureTlsRefusedError";
  constructor() {
    super("tls.insecureSkipVerify is refused in production: certificate verification is always on there; remove it or set tls.ca");
  }
}

/**
 * Node TLS options for `tls` (undefined: the system CAs, full verification). In production a
 * stored insecureSkipVerify is refused rather than honoured.
 */
export function tlsConnectOptions(tls: TlsConfig | undefined, production: boolean): TlsConnectOptions {
  if (!tls) return { rejectUnauthorized: true };
  if (tls.insecureSkipVerify && production) throw new InsecureTlsRefusedError();
  return {
    ...(tls.ca ? { ca: tls.ca } : {}),
    ...(tls.cert ? { cert: tls.cert } : {}),
    ...(tls.key ? { key: tls.key } : {}),
    ...(tls.passphrase ? { passphrase: tls.passphrase } : {}),
    ...(tls.servername ? { servername: tls.servername } : {}),
    ...(tls.alpnProtocols ? { ALPNProtocols: tls.alpnProtocols } : {}),
    rejectUnauthorized: !tls.insecureSkipVerify,
  };
}

export interface RecordedTls {
  ca: "system" | "custom";
  clientCertificate?: { subject: string; expiresAt: string };
  servername?: string;
  alpnProtocols?: string[];
  /** Present (true) only when verification was switched off, so every such attempt says so. */
  insecureSkipVerify?: true;
}

/** What an attempt records about its TLS settings: never the key or passphrase. */
export function recordedTls(tls: TlsConfig | undefined): RecordedTls | undefined {
  if (!tls) return undefined;
  const summary = tls.cert ? certificateSummary(tls.cert) : undefined;
  return {
    ca: tls.ca ? "custom" : "system",
    ...(summary ? { clientCertificate: { subject: summary.subject, expiresAt: summary.expiresAt } } : {}),
    ...(tls.servername ? { servername: tls.servername } : {}),
    ...(tls.alpnProtocols ? { alpnProtocols: tls.alpnProtocols } : {}),
    ...(tls.insecureSkipVerify ? { insecureSkipVerify: true as const } : {}),
  };
}
