// Turns the destination row an attempt read into what it sends with: credentials opened, its
// callback's variables, and the `{secret:…}` values its templates reference.
import type { Database } from "@/lib/db";
import type { DestinationKind } from "@/lib/db/schema";
import type { DestinationForDelivery } from "@/lib/db/queries/delivery-path";
import { kindDefinition, type DestinationConfig, type GuardedTemplateField } from "@/lib/destinations/kinds";
import { joinSecrets } from "@/lib/destinations/secret-fields";
import { readStoredSecrets, signingSecretKey } from "@/lib/destinations/manage-destinations";
import { loadSecretValues } from "@/lib/secrets/manage-secrets";
import { referencedSecrets } from "@/lib/templates";

export interface ResolvedDestination {
  id: string;
  kind: DestinationKind;
  name: string;
  config: DestinationConfig;
  target: string;
  signingSecret?: string;
  variables: Record<string, string>;
  /** `{secret:NAME}` values the templates use. */
  secrets: Record<string, string>;
  /** Every credential value in play, for masking what gets stored. */
  credentialValues: string[];
  templateFields: GuardedTemplateField[];
}

export type LoadResult = { status: "ready"; destination: ResolvedDestination } | { status: "skip"; reason: string } | { status: "invalid"; reason: string; target: string };

/** Reads again only for `{secret:…}` values, which few templates use. */
export async function loadDestination(db: Database, row: DestinationForDelivery | null, callbackId: string): Promise<LoadResult> {
  // Deleting a callback deletes its destinations, so a missing row covers both.
  if (!row || row.callback_id !== callbackId) return { status: "skip", reason: "The destination was deleted" };
  if (!row.callback_enabled) return { status: "skip", reason: "The callback is disabled" };
  if (!row.enabled) return { status: "skip", reason: `The destination is disabled${row.disabled_reason ? `: ${row.disabled_reason}` : ""}` };
  const definition = kindDefinition(row.kind);
  const stored = readStoredSecrets(row);
  const parsed = definition.schema.safeParse(joinSecrets(row.config as Record<string, unknown>, definition.secretFields, stored));
  if (!parsed.success) {
    return { status: "invalid", reason: `Stored configuration is invalid: ${parsed.error.issues[0]?.message ?? "unknown"}`, target: row.name };
  }
  const templateFields = definition.templateFields(parsed.data);
  const secretNames = [...new Set(templateFields.flatMap((field) => safeReferencedSecrets(field.source)))];
  const secrets = await loadSecretValues(db, secretNames);
  const missing = secretNames.filter((name) => !(name in secrets));
  if (missing.length > 0) {
    return { status: "invalid", reason: `Secret(s) not found: ${missing.join(", ")}`, target: definition.describeTarget(parsed.data) };
  }
  return {
    status: "ready",
    destination: {
      id: row.id,
      kind: row.kind,
      name: row.name,
      config: parsed.data,
      target: definition.describeTarget(parsed.data),
      signingSecret: stored[signingSecretKey],
      variables: (row.callback_variables ?? {}) as Record<string, string>,
      secrets,
      credentialValues: [...Object.values(stored), ...Object.values(secrets)],
      templateFields,
    },
  };
}

/** A template that no longer parses fails at render time with a clear error; here it adds nothing. */
function safeReferencedSecrets(source: string): string[] {
  try {
    return referencedSecrets(source);
  } catch {
    return [];
  }
}
