// Creating, reading, changing and removing callbacks. A callback and its initial destinations
// are written in one transaction; the trigger cache is invalidated after each commit.
import type { Database } from "@/lib/db";
import type { CallbackRow, CallbackUpdate } from "@/lib/db/schema";
import { deleteCallbackRow, findCallbackById, insertCallback, listCallbackRows, updateCallbackRow } from "@/lib/db/queries/callbacks";
import { listDestinationsOf } from "@/lib/db/queries/destinations";
import { isUniqueViolation } from "@/lib/db/errors";
import { generateToken, hashToken } from "@/lib/crypto/tokens";
import { AppError, notFound } from "@/lib/errors";
import { uuidv7 } from "@/lib/ids";
import { checkVariablesStillDefined, createDestination } from "@/lib/destinations/manage-destinations";
import { releaseDeleted } from "@/lib/destinations/lanes/hold-destinations";
import { presentInboundAuth, sealInboundAuth } from "@/lib/callbacks/inbound-auth";
import { assertHandshakeFitsInboundAuth, assertHandshakeFitsMethods, sealHandshake, storedHandshakeType } from "@/lib/callbacks/handshake";
import { invalidateCallbackCache } from "@/lib/cache/trigger-cache";
import { presentCallback, type CallbackView } from "@/lib/callbacks/present-callback";
import type { CallbackCreateInput, CallbackPatchInput } from "@/lib/callbacks/callback-input";

function pathConflict(path: string | null | undefined): AppError {
  return new AppError("conflict", `The path "${path}" is already used by another callback`, { field: "path" });
}

function issueToken(): { token: string; tokenHash: string; tokenPrefix: string } {
  const token = generateToken();
  return { token, tokenHash: hashToken(token), tokenPrefix: token.slice(0, 10) };
}

export async function createCallback(db: Database, input: CallbackCreateInput): Promise<CallbackView> {
  assertHandshakeFitsMethods(input.handshake?.type, input.methods);
  assertHandshakeFitsInboundAuth(input.handshake?.type, input.inboundAuth?.type);
  const { token, tokenHash, tokenPrefix } = issueToken();
  const signingSecrets = new Map<string, string>();
  try {
    const { row, destinations } = await db.transaction().execute(async (trx) => {
      const row = await insertCallback(trx, {
        id: uuidv7(),
        name: input.name,
        token_hash: tokenHash,
        token_prefix: tokenPrefix,
        path: input.path,
        path_token_header: input.pathTokenHeader,
        methods: input.methods,
        rate_limit_per_minute: input.rateLimitPerMinute,
        max_body_bytes: input.maxBodyBytes,
        idempotency_header: input.idempotencyHeader,
        variables: JSON.stringify(input.variables),
        retries: input.retries,
        enabled: input.enabled,
        ...sealInboundAuth(input.inboundAuth, null),
        ...sealHandshake(input.handshake, null),
        response: input.response ? JSON.stringify(input.response) : null,
      });
      const destinations = [];
      for (const [index, destination] of input.destinations.entries()) {
        const created = await createDestination(trx, row.id, destination, { fieldPrefix: `destinations.${index}.`, variables: input.variables });
        if (created.newSigningSecret) signingSecrets.set(created.row.id, created.newSigningSecret);
        destinations.push(created.row);
      }
      return { row, destinations };
    });
    await invalidateCallbackCache([{ tokenHash, path: row.path }]);
    return presentCallback(row, destinations, { token, signingSecrets });
  } catch (error) {
    if (isUniqueViolation(error, "callbacks_path_key")) throw pathConflict(input.path);
    throw error;
  }
}

export async function listCallbacks(db: Database): Promise<CallbackView[]> {
  const rows = await listCallbackRows(db);
  const destinations = await listDestinationsOf(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) =>
    presentCallback(
      row,
      destinations.filter((destination) => destination.callback_id === row.id),
    ),
  );
}

export async function requireCallback(db: Database, id: string): Promise<CallbackRow> {
  const row = await findCallbackById(db, id);
  if (!row) throw notFound("Callback");
  return row;
}

export async function getCallback(db: Database, id: string): Promise<CallbackView> {
  const row = await requireCallback(db, id);
  return presentCallback(row, await listDestinationsOf(db, [id]));
}

function toRowUpdate(patch: CallbackPatchInput, before: CallbackRow): CallbackUpdate {
  const update: CallbackUpdate = patch.inboundAuth === undefined ? {} : sealInboundAuth(patch.inboundAuth, before.inbound_secret_enc);
  if (patch.name !== undefined) update.name = patch.name;
  if (patch.methods !== undefined) update.methods = patch.methods;
  if (patch.path !== undefined) update.path = patch.path;
  if (patch.pathTokenHeader !== undefined) update.path_token_header = patch.pathTokenHeader;
  if (patch.rateLimitPerMinute !== undefined) update.rate_limit_per_minute = patch.rateLimitPerMinute;
  if (patch.maxBodyBytes !== undefined) update.max_body_bytes = patch.maxBodyBytes;
  if (patch.idempotencyHeader !== undefined) update.idempotency_header = patch.idempotencyHeader;
  if (patch.variables !== undefined) update.variables = JSON.stringify(patch.variables);
  if (patch.retries !== undefined) update.retries = patch.retries;
  if (patch.enabled !== undefined) update.enabled = patch.enabled;
  if (patch.handshake !== undefined) Object.assign(update, sealHandshake(patch.handshake, before.handshake_secret_enc));
  if (patch.response !== undefined) update.response = patch.response ? JSON.stringify(patch.response) : null;
  return update;
}

export async function updateCallback(db: Database, id: string, patch: CallbackPatchInput): Promise<CallbackView> {
  const before = await requireCallback(db, id);
  const handshakeType = patch.handshake === undefined ? storedHandshakeType(before.handshake) : patch.handshake?.type;
  assertHandshakeFitsMethods(handshakeType, patch.methods ?? before.methods);
  assertHandshakeFitsInboundAuth(handshakeType, patch.inboundAuth === undefined ? presentInboundAuth(before.inbound_auth)?.type : patch.inboundAuth?.type);
  if (patch.variables !== undefined) await checkVariablesStillDefined(db, id, patch.variables);
  let row: CallbackRow | undefined;
  try {
    row = await updateCallbackRow(db, id, toRowUpdate(patch, before));
  } catch (error) {
    if (isUniqueViolation(error, "callbacks_path_key")) throw pathConflict(patch.path);
    throw error;
  }
  if (!row) throw notFound("Callback");
  await invalidateCallbackCache([before, row].map((item) => ({ tokenHash: item.token_hash, path: item.path })));
  return presentCallback(row, await listDestinationsOf(db, [id]));
}

export async function deleteCallback(db: Database, id: string): Promise<void> {
  const destinations = await listDestinationsOf(db, [id]);
  const row = await deleteCallbackRow(db, id);
  if (!row) throw notFound("Callback");
  await invalidateCallbackCache([{ tokenHash: row.token_hash, path: row.path }]);
  await releaseDeleted(destinations, row.paused);
}

/** A new token; the old one stops working as soon as the cache entry is gone (immediately). */
export async function rotateCallbackToken(db: Database, id: string): Promise<CallbackView> {
  const before = await requireCallback(db, id);
  const { token, tokenHash, tokenPrefix } = issueToken();
  const row = await updateCallbackRow(db, id, { token_hash: tokenHash, token_prefix: tokenPrefix });
  if (!row) throw notFound("Callback");
  await invalidateCallbackCache([{ tokenHash: before.token_hash, path: before.path }]);
  return presentCallback(row, await listDestinationsOf(db, [id]), { token });
}
