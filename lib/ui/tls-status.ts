// What the console says about a destination's TLS: its client certificate's subject and expiry,
// with a warning once it expires within certificateWarningDays, and whether it skips checking
// the server's certificate. Computed on the server; client components only render it.
import { certificateWarningDays, type CertificateSummary } from "@/lib/destinations/tls/pem";
import { isRecord } from "@/lib/ui/payload-view";

const dayMs = 86_400_000;

export interface CertificateStatus {
  subject: string;
  expiresAt: string;
  /** "expires in 9 days", "expired 3 days ago". */
  expiry: string;
  /** Set when the certificate has expired or expires within certificateWarningDays. */
  warning: "expired" | "expiring" | null;
}

export interface TlsStatus {
  certificate: CertificateStatus | null;
  insecureSkipVerify: boolean;
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}

/** "expires in 9 days" / "expires today" / "expired 3 days ago", from the time left. */
function describeExpiry(leftMs: number): string {
  const days = Math.floor(Math.abs(leftMs) / dayMs);
  if (leftMs <= 0) return days === 0 ? "expired today" : `expired ${plural(days, "day")} ago`;
  return days === 0 ? "expires today" : `expires in ${plural(days, "day")}`;
}

export function certificateStatus(summary: Pick<CertificateSummary, "subject" | "expiresAt">, now = Date.now()): CertificateStatus {
  const leftMs = Date.parse(summary.expiresAt) - now;
  const warning = leftMs <= 0 ? "expired" : leftMs <= certificateWarningDays * dayMs ? "expiring" : null;
  return { subject: summary.subject, expiresAt: summary.expiresAt, expiry: describeExpiry(leftMs), warning };
}

/** Whether a config or a recorded request's `tls` turns certificate checking off. */
export function skipsVerification(holder: unknown): boolean {
  return isRecord(holder) && isRecord(holder.tls) && holder.tls.insecureSkipVerify === true;
}

/** The TLS status of a destination as the API presents it (config masked, clientCertificate summary). */
export function destinationTlsStatus(destination: { config: Record<string, unknown>; clientCertificate?: CertificateSummary }, now = Date.now()): TlsStatus {
  return {
    certificate: destination.clientCertificate ? certificateStatus(destination.clientCertificate, now) : null,
    insecureSkipVerify: skipsVerification(destination.config),
  };
}
