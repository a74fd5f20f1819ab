// Creating, changing and removing destinations. Credentials are split off and sealed before
// anything is written; every write invalidates the trigger cache of the owning callback itself.
import { randomBytes } from "node:crypto";
import { uuidv7 } from "@/lib/ids";
import type { Database } from "@/lib/db";
import type { CallbackRow, DestinationRow } from "@/lib/db/schema";
import { findCallbackById, lockCallbackRow } from "@/lib/db/queries/callbacks";
import { countEnabledDestinationsOf, deleteDestinationRow, findDestinationById, insertDestination, listDestinationsOf, updateDestinationRow } from "@/lib/db/queries/destinations";
import { decryptJson, encryptJson } from "@/lib/crypto/encryption";
import { AppError, notFound, validationError } from "@/lib/errors";
import { destinationInputSchema, type DestinationInput, type DestinationPatch } from "@/lib/destinations/destination-input";
import { kindDefinition } from "@/lib/destinations/kinds";
import { joinSecrets, maskSecrets, splitSecrets } from "@/lib/destinations/secret-fields";
import { checkDestinationTemplates, undefinedVariableUses } from "@/lib/destinations/check-templates";
import { invalidateCallbackById } from "@/lib/cache/trigger-cache";
import { checkTlsMaterial } from "@/lib/destinations/tls/pem";
import { checkPresetRules } from "@/lib/destinations/presets/presets";
import { getEnv } from "@/lib/env";
import { checkTransformSource } from "@/lib/transforms/check-transform";
import { checkDeliveryOptions, deliveryOptionColumns, mergeDeliveryOptions } from "@/lib/destinations/lanes/delivery-options";

export const signingSecretKey = "signingSecret";

/** A trigger's fan-out goes to QStash in one batch call; a callback keeps it at this size. */
const maxEnabledDestinations = 100;

/** 422 when enabling one more destination would take the callback past the cap. */
async function assertRoomForEnabled(db: Database, callbackId: string, exceptId?: string, field = "enabled"): Promise<void> {
  const enabled = await countEnabledDestinationsOf(db, callbackId, exceptId);
  if (enabled < maxEnabledDestinations) return;
  throw new AppError("validation_failed", `${field}: a callback can have at most ${maxEnabledDestinations} enabled destinations; disable or delete one first`, { field });
}

/** Under the callback's lock, before a write that enables `id`: read again, since it may have been disabled since it was read. */
async function assertRoomToEnable(trx: Database, callbackId: string, id: string): Promise<void> {
  if ((await findDestinationById(trx, id))?.enabled === false) await assertRoomForEnabled(trx, callbackId, id);
}

/**
 * Runs a write that may enable a destination in one transaction holding the callback's row lock,
 * so the cap check and the write of concurrent requests take turns: two requests at 99 cannot
 * both count 99. Inside the caller's transaction (createCallback) it uses that one. `write` must
 * query through the transaction only: PGlite's pool has one connection, held by it.
 */
async function withCallbackLocked<T>(db: Database, callbackId: string, write: (trx: Database) => Promise<T>): Promise<T> {
  const locked = async (trx: Database) => {
    await lockCallbackRow(trx, callbackId);
    return write(trx);
  };
  return db.isTransaction ? locked(db) : db.transaction().execute(locked);
}

export interface PreparedDestination {
  config: Record<string, unknown>;
  secretsEnc: string | null;
  /** Present only when a new whsec_ signing secret was generated: shown to the operator once. */
  newSigningSecret?: string;
}

export function readStoredSecrets(row: Pick<DestinationRow, "secrets_enc">): Record<string, string> {
  return row.secrets_enc ? (decryptJson(row.secrets_enc) as Record<string, string>) : {};
}

export interface PrepareOptions {
  /** The owning callback's variables: every `{var.X}` must name one of them. */
  variables: Readonly<Record<string, string>>;
  /** Where the destination sits in the request body, for error fields (e.g. "destinations.0."). */
  fieldPrefix?: string;
  rotateSigningSecret?: boolean;
  /** The URL's path and query are sealed once prepared (the alert webhook's): a credential there needs no `{secret:…}`. */
  urlPathSealed?: boolean;
}

const newSigningSecret = () => `whsec_${randomBytes(24).toString("base64")}`;

/**
 * The stored secret survives switching `sign` off, so switching it back on keeps the secret
 * receivers already have; only an explicit rotation replaces it.
 */
function chooseSigningSecret(signs: boolean, previous: string | undefined, rotate: boolean): { secret?: string; generated?: string } {
  if (rotate && !signs) throw new AppError("validation_failed", "rotateSigningSecret needs config.sign: true", { field: "rotateSigningSecret" });
  if (previous && !rotate) return { secret: previous };
  if (!signs) return {};
  const generated = newSigningSecret();
  return { secret: generated, generated };
}

/** Validates, checks templates, splits and seals credentials. */
export async function prepareDestination(db: Database, input: DestinationInput, previous: Record<string, string>, options: PrepareOptions): Promise<PreparedDestination> {
  const fieldPrefix = options.fieldPrefix ?? "";
  const definition = kindDefinition(input.kind);
  const fields = definition.secretFields;
  const { publicConfig, secrets } = splitSecrets(input.config, fields, previous);
  // A masked credential with nothing stored behind it is missing, not "unchanged".
  const full = definition.schema.safeParse(joinSecrets(publicConfig, fields, secrets));
  if (!full.success) throw validationError(full.error, `${fieldPrefix}config`);
  // Its defaults were filled in when the input was parsed (destination-input.ts); here, what the service refuses.
  checkPresetRules(input.kind, full.data, fieldPrefix);
  const templateFields = definition.templateFields(full.data).map((field) => (options.urlPathSealed && field.field === "config.url" ? { ...field, queryCredentials: false } : field));
  await checkDestinationTemplates(db, templateFields, fieldPrefix, options.variables);
  const config = full.data;
  if (typeof input.transform === "string") checkTransformSource(input.transform, `${fieldPrefix}transform`);
  checkDeliveryOptions(input, fieldPrefix);
  if (config.tls) checkTlsMaterial(config.tls, `${fieldPrefix}config.tls`, getEnv().production);
  const signs = "sign" in config && config.sign;
  const signing = chooseSigningSecret(signs, previous[signingSecretKey], options.rotateSigningSecret ?? false);
  if (signing.secret) secrets[signingSecretKey] = signing.secret;
  const sealed = Object.keys(secrets).length > 0 ? encryptJson(secrets) : null;
  const stored = splitSecrets(full.data, fields).publicConfig;
  return { config: stored, secretsEnc: sealed, newSigningSecret: signing.generated };
}

/** The destination-level filter and transform as stored (null: none). */
function routingColumns(input: Pick<DestinationInput, "filter" | "transform">): Pick<DestinationRow, "transform"> & { filter: string | null } {
  return { filter: input.filter ? JSON.stringify(input.filter) : null, transform: input.transform ?? null };
}

export async function createDestination(
  db: Database,
  callbackId: string,
  input: DestinationInput,
  options: Omit<PrepareOptions, "rotateSigningSecret">,
): Promise<{ row: DestinationRow; newSigningSecret?: string }> {
  const enabledField = `${options.fieldPrefix ?? ""}enabled`;
  // Refused before the config is checked, as ever; counted again under the lock below.
  if (input.enabled) await assertRoomForEnabled(db, callbackId, undefined, enabledField);
  const prepared = await prepareDestination(db, input, {}, options);
  const row = await withCallbackLocked(db, callbackId, async (trx) => {
    if (input.enabled) await assertRoomForEnabled(trx, callbackId, undefined, enabledField);
    return insertDestination(trx, {
      id: uuidv7(),
      callback_id: callbackId,
      kind: input.kind,
      name: input.name,
      enabled: input.enabled,
      failure_threshold: input.failureThreshold,
      max_concurrency: input.maxConcurrency,
      ...routingColumns(input),
      ...deliveryOptionColumns(input),
      config: JSON.stringify(prepared.config),
      secrets_enc: prepared.secretsEnc,
    });
  });
  await invalidateAfterWrite(db, callbackId);
  return { row, newSigningSecret: prepared.newSigningSecret };
}

/**
 * Every write here ends by invalidating the callback's trigger cache, so no caller can forget.
 * Inside a transaction it would run before the commit (a fill could then cache the old rows
 * under the new generation): the transaction's owner invalidates after committing instead, as
 * createCallback does.
 */
async function invalidateAfterWrite(db: Database, callbackId: string): Promise<void> {
  if (!db.isTransaction) await invalidateCallbackById(db, callbackId);
}

/** The stored config as the operator sees it: credentials masked. */
export function maskedConfig(row: DestinationRow): Record<string, unknown> {
  const definition = kindDefinition(row.kind);
  return maskSecrets(row.config as Record<string, unknown>, definition.secretFields, Object.keys(readStoredSecrets(row)));
}

/** The stored destination, or a 404. */
export async function requireDestination(db: Database, id: string): Promise<DestinationRow> {
  const row = await findDestinationById(db, id);
  if (!row) throw notFound("Destination");
  return row;
}

export async function updateDestination(db: Database, id: string, patch: DestinationPatch): Promise<{ row: DestinationRow; newSigningSecret?: string }> {
  const existing = await requireDestination(db, id);
  const merged = {
    kind: existing.kind,
    name: patch.name ?? existing.name,
    enabled: patch.enabled ?? existing.enabled,
    failureThreshold: patch.failureThreshold === undefined ? existing.failure_threshold : patch.failureThreshold,
    maxConcurrency: patch.maxConcurrency ?? existing.max_concurrency,
    filter: patch.filter === undefined ? existing.filter : patch.filter,
    transform: patch.transform === undefined ? existing.transform : patch.transform,
    ...mergeDeliveryOptions(patch, existing),
    config: withStoredCredentials(existing, mergeConfigPatch(maskedConfig(existing), patch.config ?? {})),
  };
  const input = destinationInputSchema.safeParse(merged);
  if (!input.success) throw validationError(input.error);
  if (input.data.enabled && !existing.enabled) await assertRoomForEnabled(db, existing.callback_id, id);
  const callback = await findCallbackById(db, existing.callback_id);
  const prepared = await prepareDestination(db, input.data, readStoredSecrets(existing), {
    variables: callbackVariables(callback),
    rotateSigningSecret: patch.rotateSigningSecret,
  });
  const reenabled = patch.enabled === true && !existing.enabled;
  const row = await withCallbackLocked(db, existing.callback_id, async (trx) => {
    if (input.data.enabled) await assertRoomToEnable(trx, existing.callback_id, id);
    return updateDestinationRow(trx, id, {
      name: input.data.name,
      enabled: input.data.enabled,
      failure_threshold: input.data.failureThreshold,
      max_concurrency: input.data.maxConcurrency,
      ...routingColumns(input.data),
      ...deliveryOptionColumns(input.data),
      config: JSON.stringify(prepared.config),
      secrets_enc: prepared.secretsEnc,
      ...(reenabled ? { consecutive_failures: 0, disabled_reason: null } : {}),
    });
  });
  if (!row) throw notFound("Destination");
  await invalidateAfterWrite(db, row.callback_id);
  return { row, newSigningSecret: prepared.newSigningSecret };
}

/** Turns a destination back on, whatever disabled it (the operator or the circuit breaker), with a fresh failure count. */
export async function reenableDestination(db: Database, id: string): Promise<DestinationRow> {
  const existing = await requireDestination(db, id);
  const row = await withCallbackLocked(db, existing.callback_id, async (trx) => {
    await assertRoomToEnable(trx, existing.callback_id, id);
    return updateDestinationRow(trx, id, { enabled: true, consecutive_failures: 0, disabled_reason: null });
  });
  if (!row) throw notFound("Destination");
  await invalidateAfterWrite(db, row.callback_id);
  return row;
}

export function callbackVariables(callback: Pick<CallbackRow, "variables"> | undefined): Record<string, string> {
  return (callback?.variables ?? {}) as Record<string, string>;
}

/** Refuses new callback variables that would leave a destination's `{var.X}` undefined. */
export async function checkVariablesStillDefined(db: Database, callbackId: string, variables: Readonly<Record<string, string>>): Promise<void> {
  const rows = await listDestinationsOf(db, [callbackId]);
  const uses = rows.flatMap((row) => {
    const definition = kindDefinition(row.kind);
    const parsed = definition.schema.safeParse(joinSecrets(row.config as Record<string, unknown>, definition.secretFields, readStoredSecrets(row)));
    return parsed.success ? undefinedVariableUses(row.name, definition.templateFields(parsed.data), variables) : [];
  });
  const first = uses[0];
  if (!first) return;
  const list = uses.map((use) => `{var.${use.variable}} in destination "${use.destinationName}" (${use.field})`).join("; ");
  throw new AppError("validation_failed", `variables: still used: ${list}; define them or change those destinations first`, { field: "variables" });
}

export async function removeDestination(db: Database, id: string): Promise<DestinationRow> {
  const row = await deleteDestinationRow(db, id);
  if (!row) throw notFound("Destination");
  await invalidateAfterWrite(db, row.callback_id);
  return row;
}

/**
 * A `***` the operator sent back stands for the stored credential: put it back before the input
 * schema reads the config, so a credential with a format (a PEM key, a base64 device key) is
 * checked as itself and a PATCH of anything else keeps it.
 */
function withStoredCredentials(existing: DestinationRow, config: Record<string, unknown>): Record<string, unknown> {
  const fields = kindDefinition(existing.kind).secretFields;
  const { publicConfig, secrets } = splitSecrets(config, fields, readStoredSecrets(existing));
  return joinSecrets(publicConfig, fields, secrets);
}

/** Top-level merge; `null` removes an optional field (e.g. back to the default payload). */
function mergeConfigPatch(stored: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...stored, ...patch };
  for (const [key, value] of Object.entries(patch)) if (value === null) delete merged[key];
  return merged;
}
