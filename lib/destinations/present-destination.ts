// The operator's view of a destination. Credentials appear only as a mask.
import type { CallbackRow, DestinationRow } from "@/lib/db/schema";
import { deliveryOptionsOf, holdViewOf, type DeliveryOptions, type HoldView } from "@/lib/destinations/lanes/delivery-options";
import { kindDefinition, type DestinationConfig } from "@/lib/destinations/kinds";
import { maskedConfig } from "@/lib/destinations/manage-destinations";
import { certificateSummary, type CertificateSummary } from "@/lib/destinations/tls/pem";
import { isPlainObject } from "@/lib/filters/check-filter";
import { maskUrlQueryCredentials, saveGuardIssues } from "@/lib/destinations/save-guards";
import { redactedValue } from "@/lib/log";

function clientCertificateOf(config: Record<string, unknown>): { clientCertificate?: CertificateSummary } {
  const tls = config.tls as { cert?: unknown } | undefined;
  const summary = typeof tls?.cert === "string" ? certificateSummary(tls.cert) : undefined;
  return summary ? { clientCertificate: summary } : {};
}

/** Sets a template field ("config.headers.X-Api-Key", "config.auth.tokenUrl") in `config`; a record key may hold a ".". */
function setTemplateField(config: Record<string, unknown>, field: string, value: string): void {
  const segments = field.split(".").slice(1);
  let node = config;
  while (segments.length > 0) {
    const rest = segments.join(".");
    if (Object.hasOwn(node, rest)) {
      node[rest] = value;
      return;
    }
    const next = node[segments.shift() ?? ""];
    if (!isPlainObject(next)) return;
    node = next;
  }
}

/**
 * A row saved before the credential rules may still hold a literal credential in a header, a
 * query parameter or its URL's own query (the save-time guard refuses it in anything new): the
 * view shows it as "***", like every other credential. Editing such a row needs it moved anyway.
 */
function withoutLiteralCredentials(row: DestinationRow, config: Record<string, unknown>): Record<string, unknown> {
  const shown = structuredClone(config);
  try {
    for (const field of kindDefinition(row.kind).templateFields(config as unknown as DestinationConfig)) {
      const literal = field.guard === "credential" && saveGuardIssues([field]).length > 0;
      const value = literal ? redactedValue : field.queryCredentials ? maskUrlQueryCredentials(field.source) : field.source;
      if (value !== field.source) setTemplateField(shown, field.field, value);
    }
  } catch {
    // A stored config older than its kind's fields: nothing guarded to find.
  }
  return shown;
}

/** Written only through the filter schema at save: anything else reads as no filter. */
function storedFilter(value: unknown): Record<string, unknown> | null {
  return isPlainObject(value) ? value : null;
}

export interface DestinationView extends DeliveryOptions, HoldView {
  id: string;
  callbackId: string;
  kind: string;
  name: string;
  enabled: boolean;
  target: string;
  config: Record<string, unknown>;
  consecutiveFailures: number;
  /** Failed deliveries in a row that trip the circuit breaker; null: never. */
  failureThreshold: number | null;
  maxConcurrency: number;
  /** Only events this filter matches are delivered here; null: every event. */
  filter: Record<string, unknown> | null;
  /** JavaScript run in the sandbox at delivery time; null: none. */
  transform: string | null;
  disabledReason: string | null;
  /** Only on GET /api/destinations/:id: deliveries waiting in QStash; null when QStash could not be read. */
  heldDeliveries?: number | null;
  heldNote?: string;
  createdAt: string;
  updatedAt: string;
  /** The TLS client certificate's subject and expiry, when the destination has one. */
  clientCertificate?: CertificateSummary;
  /** Only in the response that generated it. */
  signingSecret?: string;
}

/** `callback`: its pause holds the destination too (pausedReason "callback"). */
export function presentDestination(row: DestinationRow, newSigningSecret?: string, callback?: Pick<CallbackRow, "paused" | "paused_at">): DestinationView {
  const config = withoutLiteralCredentials(row, maskedConfig(row));
  return {
    id: row.id,
    callbackId: row.callback_id,
    kind: row.kind,
    name: row.name,
    enabled: row.enabled,
    target: kindDefinition(row.kind).describeTarget(config as unknown as DestinationConfig),
    config,
    consecutiveFailures: row.consecutive_failures,
    failureThreshold: row.failure_threshold,
    maxConcurrency: row.max_concurrency,
    filter: storedFilter(row.filter),
    transform: row.transform,
    disabledReason: row.disabled_reason,
    ...deliveryOptionsOf(row),
    ...holdViewOf(row, callback),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    ...clientCertificateOf(config),
    ...(newSigningSecret ? { signingSecret: newSigningSecret } : {}),
  };
}
