// Creating, changing and removing destinations. Credentials are split off and sealed before
// anything is written; every change invalidates the trigger cache of the owning callback.
import { randomBytes } from "node:crypto";
import { uuidv7 } from "@/lib/ids";
import type { Database } from "@/lib/db";
import type { DestinationRow } from "@/lib/db/schema";
import {
  deleteDestinationRow,
  findDestinationById,
  insertDestination,
  updateDestinationRow,
} from "@/lib/db/queries/destinations";
import { decryptJson, encryptJson } from "@/lib/crypto/encryption";
import { AppError, notFound, validationError } from "@/lib/errors";
import { destinationInputSchema, type DestinationInput, type DestinationPatch } from "@/lib/destinations/destination-input";
import { kindDefinition, type DestinationConfig } from "@/lib/destinations/kinds";
import { joinSecrets, maskSecrets, splitSecrets } from "@/lib/destinations/secret-fields";
import { checkDestinationTemplates } from "@/lib/destinations/check-templates";

export const signingSecretKey = "signingSecret";

export interface PreparedDestination {
  config: Record<string, unknown>;
  secretsEnc: string | null;
  /** Present only when a new whsec_ signing secret was generated: shown to the operator once. */
  newSigningSecret?: string;
}

export function readStoredSecrets(row: Pick<DestinationRow, "secrets_enc">): Record<string, string> {
  return row.secrets_enc ? (decryptJson(row.secrets_enc) as Record<string, string>) : {};
}

/** Validates, checks templates, splits and seals credentials. */
export async function prepareDestination(
  db: Database,
  input: DestinationInput,
  previous: Record<string, string> = {},
  fieldPrefix = "",
): Promise<PreparedDestination> {
  const definition = kindDefinition(input.kind);
  const fields = definition.secretFields;
  const { publicConfig, secrets } = splitSecrets(input.config as Record<string, unknown>, fields, previous);
  // A masked credential with nothing stored behind it is missing, not "unchanged".
  const full = definition.schema.safeParse(joinSecrets(publicConfig, fields, secrets));
  if (!full.success) throw validationError(full.error, `${fieldPrefix}config`);
  await checkDestinationTemplates(db, definition.templateFields(full.data), fieldPrefix);
  let newSigningSecret: string | undefined;
  const config = full.data as DestinationConfig;
  if ("sign" in config && config.sign) {
    secrets[signingSecretKey] = previous[signingSecretKey] ?? (newSigningSecret = `whsec_${randomBytes(24).toString("base64")}`);
  }
  const sealed = Object.keys(secrets).length > 0 ? encryptJson(secrets) : null;
  const stored = splitSecrets(full.data as Record<string, unknown>, fields).publicConfig;
  return { config: stored, secretsEnc: sealed, newSigningSecret };
}

export async function createDestination(
  db: Database,
  callbackId: string,
  input: DestinationInput,
  fieldPrefix = "",
): Promise<{ row: DestinationRow; newSigningSecret?: string }> {
  const prepared = await prepareDestination(db, input, {}, fieldPrefix);
  const row = await insertDestination(db, {
    id: uuidv7(),
    callback_id: callbackId,
    kind: input.kind,
    name: input.name,
    enabled: input.enabled,
    config: JSON.stringify(prepared.config),
    secrets_enc: prepared.secretsEnc,
  });
  return { row, newSigningSecret: prepared.newSigningSecret };
}

/** The stored config as the operator sees it: credentials masked. */
export function maskedConfig(row: DestinationRow): Record<string, unknown> {
  const definition = kindDefinition(row.kind);
  return maskSecrets(row.config as Record<string, unknown>, definition.secretFields, Object.keys(readStoredSecrets(row)));
}

export async function updateDestination(
  db: Database,
  id: string,
  patch: DestinationPatch,
): Promise<{ row: DestinationRow; newSigningSecret?: string }> {
  const existing = await findDestinationById(db, id);
  if (!existing) throw notFound("Destination");
  const merged = {
    kind: existing.kind,
    name: patch.name ?? existing.name,
    enabled: patch.enabled ?? existing.enabled,
    config: { ...maskedConfig(existing), ...(patch.config ?? {}) },
  };
  const input = destinationInputSchema.safeParse(merged);
  if (!input.success) throw validationError(input.error);
  const prepared = await prepareDestination(db, input.data, readStoredSecrets(existing));
  const reenabled = patch.enabled === true && !existing.enabled;
  const row = await updateDestinationRow(db, id, {
    name: input.data.name,
    enabled: input.data.enabled,
    config: JSON.stringify(prepared.config),
    secrets_enc: prepared.secretsEnc,
    ...(reenabled ? { consecutive_failures: 0, disabled_reason: null } : {}),
  });
  if (!row) throw notFound("Destination");
  return { row, newSigningSecret: prepared.newSigningSecret };
}

export async function removeDestination(db: Database, id: string): Promise<DestinationRow> {
  const row = await deleteDestinationRow(db, id);
  if (!row) throw notFound("Destination");
  return row;
}

export function assertKnownDestination(row: DestinationRow | undefined): DestinationRow {
  if (!row) throw new AppError("not_found", "Destination not found");
  return row;
}
