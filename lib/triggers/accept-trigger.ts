// The trigger hot path: find the callback (cache first), check method, size, credentials and
// rate, capture the request, drop the destinations whose filter does not match (in-process),
// publish one QStash batch, answer 202. Postgres only on a cache miss, to record an event that
// filters left without any destination (no delivery will write it), to check that a held keyed
// FIFO destination is still paused after creating its partition queue paused, or, after the
// answer, the queued rows of deliveries a pause holds.
import { getDb } from "@/lib/db";
import { hashToken, safeEqual } from "@/lib/crypto/tokens";
import { AppError } from "@/lib/errors";
import { uuidv7 } from "@/lib/ids";
import type { InboundRequest } from "@/lib/http/inbound";
import { admitTrigger, assertWithinLimit, rateLimitHeaders } from "@/lib/ratelimit";
import { publishJobs, type PublishedDelivery } from "@/lib/deliveries/publish-jobs";
import type { DeliveryJob, CapturedRequest } from "@/lib/deliveries/job";
import { findTriggerConfig, type CallbackLocator, type TriggerConfig } from "@/lib/triggers/callback-cache";
import { captureRequest } from "@/lib/triggers/capture-request";
import { bodyHashOf, claimWriteOf, planClaim, settleClaim, type IdempotencyClaim, type PlannedClaim, type PlannedIds } from "@/lib/triggers/idempotency";
import { afterAnswer } from "@/lib/http/after-answer";
import type { ProviderDeliveryId } from "@/lib/triggers/inbound-verification";
import { checkHandshake } from "@/lib/triggers/handshakes/answer-handshake";
import { acknowledgementOf, type Acknowledgement } from "@/lib/triggers/acknowledgement";
import type { Reply } from "@/lib/http/reply";
import { eventRowOf, queuedDeliveryRowOf } from "@/lib/deliveries/job-rows";
import { insertEventIfAbsent, insertQueuedIfAbsent } from "@/lib/db/queries/delivery-path";
import { log } from "@/lib/log";
import { filterDestinations, triggerSubject } from "@/lib/triggers/filter-destinations";
import { parseJsonBody } from "@/lib/triggers/json-body";
import { lanesForTrigger } from "@/lib/triggers/trigger-lanes";
import { customPathPattern, maxCustomPathLength, normalizeCustomPath } from "@/lib/callbacks/custom-path";

export type TriggerRoute = { kind: "token"; token: string } | { kind: "path"; path: string };

export interface TriggerAnswer {
  body: TriggerBody;
  headers: Record<string, string>;
  /** The callback's custom acknowledgement, rendered by the route over `body`. */
  acknowledgement?: Acknowledgement;
}

/** A trigger's answer, or a verification handshake answered in full (lib/triggers/handshakes). */
export type TriggerOutcome = TriggerAnswer | { reply: Reply };

const notFoundError = () => new AppError("not_found", "No enabled callback at this URL");

/** A path no callback could have is unknown without a lookup (and never reaches SQL). */
function locate(route: TriggerRoute): CallbackLocator | null {
  if (route.kind === "token") return { by: "token", tokenHash: hashToken(route.token) };
  const path = normalizeCustomPath(route.path);
  return path.length <= maxCustomPathLength && customPathPattern.test(path) ? { by: "path", path } : null;
}

async function resolveCallback(route: TriggerRoute): Promise<TriggerConfig> {
  const locator = locate(route);
  if (!locator) throw notFoundError();
  const config = await findTriggerConfig(getDb, locator);
  if (!config || !config.enabled) throw notFoundError();
  // Defence in depth: the row found by hash must carry exactly that hash.
  if (locator.by === "token" && !safeEqual(config.tokenHash, locator.tokenHash)) throw notFoundError();
  return config;
}

function assertMethod(config: TriggerConfig, method: string): void {
  if (config.methods.includes(method)) return;
  throw new AppError("method_not_allowed", `Method ${method} is not accepted by this callback`, {
    headers: { allow: config.methods.join(", ") },
  });
}

/**
 * Checked before the method: without the token a custom path must look exactly like an unknown
 * one (same 404, no `Allow`), or its methods and existence would leak to anyone guessing paths.
 */
function assertPathToken(config: TriggerConfig, route: TriggerRoute, request: InboundRequest): void {
  if (route.kind !== "path" || !config.pathTokenHeader) return;
  const presented = request.headers.get(config.pathTokenHeader) ?? "";
  if (!safeEqual(hashToken(presented), config.tokenHash)) throw notFoundError();
}

function displayPath(route: TriggerRoute): string {
  return route.kind === "token" ? "/api/trigger/{token}" : `/api/hooks/${route.path}`;
}

/** Ids to publish under; a retry of an idempotent trigger passes the ones its first attempt planned. */
export interface JobIds {
  eventId: string;
  deliveryIdFor(destinationId: string): string;
}

const freshIds = (): JobIds => ({ eventId: uuidv7(), deliveryIdFor: () => uuidv7() });

function enabledDestinations<D extends { enabled: boolean }>(config: { destinations: readonly D[] }): D[] {
  return config.destinations.filter((destination) => destination.enabled);
}

/** What building jobs reads of a destination (the lane is chosen when publishing). */
type JobDestination = Pick<TriggerConfig["destinations"][number], "id" | "kind" | "enabled" | "filter">;

/** One job per enabled destination whose filter matches; the others are listed in `filtered`. */
export function buildJobs(config: { id: string; destinations: readonly JobDestination[] }, request: CapturedRequest, extra: Partial<DeliveryJob> = {}, ids: JobIds = freshIds()) {
  const { eventId } = ids;
  const body = parseJsonBody(request);
  const { matching, filtered } = filterDestinations(enabledDestinations(config), () => triggerSubject(request, body));
  // Every job carries what the event row records: whichever delivery arrives first writes it.
  const eventFields: Partial<DeliveryJob> = { ...(filtered.length > 0 ? { filtered } : {}), ...(body?.storable ? { bodyIsJson: true } : {}) };
  const jobs: DeliveryJob[] = matching.map((destination) => ({
    v: 1,
    deliveryId: ids.deliveryIdFor(destination.id),
    eventId,
    callbackId: config.id,
    destinationId: destination.id,
    kind: destination.kind as DeliveryJob["kind"],
    request,
    ...eventFields,
    ...extra,
  }));
  return { eventId, jobs, filtered, eventFields };
}

export interface TriggerBody {
  eventId: string;
  deliveries: PublishedDelivery[];
  /** Enabled destinations whose filter did not match: nothing was published to them. */
  filtered: string[];
}

/**
 * Publishes the jobs; when filters left none, the event is written here instead, since no
 * delivery will write it (Postgres); a held keyed FIFO destination's lanes read it too (trigger-lanes.ts).
 */
export async function publishOrRecord(
  built: ReturnType<typeof buildJobs>,
  event: Omit<EventOfJobs, "eventId">,
  retries: number,
  config: Parameters<typeof lanesForTrigger>[0],
): Promise<TriggerBody> {
  const { eventId, jobs, filtered } = built;
  if (jobs.length === 0 && filtered.length > 0) await insertEventIfAbsent(getDb(), eventRowOf({ ...event, ...built.eventFields, eventId }));
  const deliveries = await publishJobs(jobs, retries, await lanesForTrigger(config, jobs));
  recordHeldDeliveries(config, jobs, deliveries);
  return { eventId, deliveries, filtered };
}

type EventOfJobs = Parameters<typeof eventRowOf>[0];

/**
 * Deliveries published into a paused lane are written as queued after the answer, so the log
 * shows what is held; otherwise a delivery's row waits for its first attempt. A lost write
 * costs only that view: the attempt after the resume writes the row anyway.
 */
function recordHeldDeliveries(config: Parameters<typeof lanesForTrigger>[0], jobs: DeliveryJob[], published: PublishedDelivery[]): void {
  const held = new Set(config.destinations.filter((destination) => destination.paused).map((destination) => destination.id));
  const heldJobs = jobs.filter((job) => held.has(job.destinationId));
  if (heldJobs.length === 0) return;
  const messageIds = new Map(published.map((delivery) => [delivery.id, delivery.messageId]));
  const rows = heldJobs.map((job) => queuedDeliveryRowOf(job, messageIds.get(job.deliveryId) ?? null));
  afterAnswer(() =>
    insertQueuedIfAbsent(getDb(), eventRowOf(heldJobs[0]), rows).catch((error: unknown) => {
      log.warn("Could not record held deliveries as queued", { eventId: heldJobs[0].eventId, error: String(error) });
    }),
  );
}

/** The claim planned an id for every enabled destination: it was given exactly those. */
function plannedJobIds(planned: PlannedIds): JobIds {
  return { eventId: planned.eventId, deliveryIdFor: (destinationId) => planned.deliveries[destinationId] };
}

interface ClaimKey {
  key: string;
  scope?: string;
  source: string;
}

/** A verified provider's own delivery id wins: its retries repeat it, and it was signed for. */
function claimKeyOf(config: TriggerConfig, request: InboundRequest, provider: ProviderDeliveryId | undefined): ClaimKey | undefined {
  if (provider) return { key: provider.id, scope: provider.scope, source: provider.source };
  const header = config.idempotencyHeader ?? "idempotency-key";
  const key = request.headers.get(header);
  return key ? { key, source: header } : undefined;
}

/** Only a trigger with a key hashes its body (up to maxBodyBytes) and lists its destinations. */
function planFor(config: TriggerConfig, claimKey: ClaimKey, bodyBytes: Uint8Array): PlannedClaim {
  const destinationIds = enabledDestinations(config).map((destination) => destination.id);
  return planClaim(config.id, claimKey.key, destinationIds, { bodyHash: bodyHashOf(bodyBytes), scope: claimKey.scope, source: claimKey.source });
}

/** The rate limit and the idempotency claim, in one Redis round trip; a 429 claims nothing. */
async function admit(config: TriggerConfig, claimKey: ClaimKey | undefined, bodyBytes: Uint8Array): Promise<{ headers: Record<string, string>; claim?: IdempotencyClaim }> {
  const plan = claimKey ? planFor(config, claimKey, bodyBytes) : undefined;
  const admission = await admitTrigger(config.id, config.rateLimitPerMinute, plan ? claimWriteOf(plan) : null);
  const headers = admission.limit ? rateLimitHeaders(admission.limit) : {};
  if (admission.limit) assertWithinLimit(admission.limit, headers);
  return { headers, claim: plan && admission.claim ? await settleClaim(plan, admission.claim) : undefined };
}

export async function acceptTrigger(request: InboundRequest, route: TriggerRoute): Promise<TriggerOutcome> {
  const receivedAt = new Date();
  const config = await resolveCallback(route);
  assertPathToken(config, route, request);
  assertMethod(config, request.method);
  const bodyBytes = await request.readBody(config.maxBodyBytes);
  // Built once: the jobs, a handshake's record and an acknowledgement's render read the same capture.
  let memo: CapturedRequest | undefined;
  const capture = () => (memo ??= captureRequest({ request, bodyBytes, displayPath: displayPath(route), redactHeaders: config.pathTokenHeader ? [config.pathTokenHeader] : [], receivedAt }));
  // The inbound signature check, with the callback's handshake answered before or after it.
  const handshake = await checkHandshake(config, request, bodyBytes, capture);
  if (handshake.answered) return { reply: handshake.answered };
  const { provider } = handshake;
  const claimKey = claimKeyOf(config, request, provider);
  const { headers, claim } = await admit(config, claimKey, bodyBytes);
  if (claim?.kind === "replay") {
    return { body: claim.body as TriggerAnswer["body"], headers: { ...headers, "idempotent-replayed": "true" }, ...acknowledgementOf(config, capture) };
  }
  const captured = capture();
  const ids = claim?.kind === "new" ? plannedJobIds(claim.ids) : undefined;
  const idempotency = claimKey ? { idempotencyKey: claimKey.key } : {};
  const built = buildJobs(config, captured, idempotency, ids);
  try {
    const body = await publishOrRecord(built, { callbackId: config.id, request: captured, ...idempotency }, config.retries, config);
    // The publish happened: remembering it waits for no one (a repeat meanwhile waits for it,
    // and if it is lost the lease lapses and a retry republishes the same ids, deduplicated).
    if (claim?.kind === "new") afterAnswer(() => claim.complete(body));
    return { body, headers, ...acknowledgementOf(config, capture) };
  } catch (error) {
    // QStash may have taken the batch and only its answer was lost: the retry this 503 invites
    // republishes the same ids (kept with the claim) and QStash's deduplication drops the copies.
    if (claim?.kind === "new") await claim.release().catch(() => undefined);
    throw error;
  }
}
