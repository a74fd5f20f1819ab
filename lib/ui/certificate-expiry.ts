// The overview's "client certificates expiring" panel: every destination whose TLS client
// certificate has expired or expires within certificateWarningDays, soonest first, read in one
// query (the certificate PEM comes out of the config column; the key never leaves the database).
import { sql } from "kysely";
import type { Database } from "@/lib/db";
import { certificateSummary } from "@/lib/destinations/tls/pem";
import { certificateStatus, type CertificateStatus } from "@/lib/ui/tls-status";

export interface ExpiringCertificate extends CertificateStatus {
  destinationId: string;
  destinationName: string;
  kind: string;
  enabled: boolean;
  callbackId: string;
  callbackName: string;
  warning: "expired" | "expiring";
}

const certColumn = sql<string | null>`destinations.config -> 'tls' ->> 'cert'`;

export async function loadExpiringCertificates(db: Database, now = Date.now()): Promise<ExpiringCertificate[]> {
  const rows = await db
    .selectFrom("destinations")
    .innerJoin("callbacks", "callbacks.id", "destinations.callback_id")
    .select(["destinations.id", "destinations.name", "destinations.kind", "destinations.enabled", "destinations.callback_id", "callbacks.name as callback_name", certColumn.as("cert")])
    .where(certColumn, "is not", null)
    .execute();
  const expiring: ExpiringCertificate[] = [];
  for (const row of rows) {
    const summary = row.cert ? certificateSummary(row.cert, now) : undefined;
    const status = summary ? certificateStatus(summary, now) : undefined;
    if (!status?.warning) continue;
    expiring.push({
      ...status,
      warning: status.warning,
      destinationId: row.id,
      destinationName: row.name,
      kind: row.kind,
      enabled: row.enabled,
      callbackId: row.callback_id,
      callbackName: row.callback_name,
    });
  }
  return expiring.sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
}
