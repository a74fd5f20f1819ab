// One QStash job = one delivery attempt: read the delivery and its destination, send, record the
// attempt (with the event and delivery on the first one), and tell QStash whether to retry.
import { getDb, type Database } from "@/lib/db";
import type { DeliveryRow } from "@/lib/db/schema";
import { terminalStatuses } from "@/lib/db/queries/deliveries";
import { ensureEventAndDelivery, findDeliveryContext } from "@/lib/db/queries/delivery-path";
import { eventRowOf, queuedDeliveryRowOf } from "@/lib/deliveries/job-rows";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { sendAttempt } from "@/lib/destinations/senders";
import { contentFailure, statusAfter, type DeliveryOutcome } from "@/lib/destinations/types";
import { deliveryJobSchema, type DeliveryJob } from "@/lib/deliveries/job";
import { loadDestination, type ResolvedDestination } from "@/lib/deliveries/load-destination";
import { reholdIfPaused } from "@/lib/deliveries/hold-delivery";
import { recordAttempt } from "@/lib/deliveries/record-attempt";
import { announceOutcome, settleExhausted } from "@/lib/deliveries/outcome-effects";
import { redactValue, secretForms } from "@/lib/secrets/redact";
import { storableValue } from "@/lib/db/storable-value";
import { buildRenderers, buildSendContext } from "@/lib/destinations/send-context";
import { defaultPayloadText } from "@/lib/deliveries/envelope";
import type { QstashInput } from "@/lib/qstash/with-qstash";
import { answerFor, doneAnswer, permanentAnswer, type QstashAnswer } from "@/lib/qstash/answer";
import { droppedByTransform, runTransform } from "@/lib/transforms/run-transform";
import type { TransformedMessage } from "@/lib/transforms/transform-output";

export function parseJob(rawBody: string): DeliveryJob | null {
  try {
    const parsed = deliveryJobSchema.safeParse(JSON.parse(rawBody));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

async function ensureRows(db: Database, job: DeliveryJob, messageId: string | null): Promise<DeliveryRow> {
  return ensureEventAndDelivery(db, eventRowOf(job), queuedDeliveryRowOf(job, messageId));
}

type Transformed = { status: "send"; transformed?: TransformedMessage } | { status: "dropped" } | { status: "failed"; outcome: DeliveryOutcome };

/**
 * The destination's transform, run before anything is rendered. It sees the callback's
 * variables, never a secret; its failure is the event's content, not the destination's health.
 */
async function transformFor(job: DeliveryJob, destination: ResolvedDestination, source: string | null): Promise<Transformed> {
  if (!source) return { status: "send" };
  const verdict = await runTransform({ kind: destination.kind, source, eventId: job.eventId, request: job.request, vars: destination.variables });
  if (verdict.status === "dropped") return { status: "dropped" };
  if (verdict.status === "failed") return { status: "failed", outcome: contentFailure(destination.target, verdict.error) };
  return { status: "send", transformed: verdict.message };
}

/** The attempt log says when a transform shaped what was sent. */
function marked(outcome: DeliveryOutcome, transformed: TransformedMessage | undefined): DeliveryOutcome {
  return transformed ? { ...outcome, request: { ...outcome.request, transformed: true } } : outcome;
}

async function send(
  job: DeliveryJob,
  destination: ResolvedDestination,
  attempt: number,
  deferClose: (closing: Promise<void>) => void,
  transformed?: TransformedMessage,
): Promise<DeliveryOutcome> {
  const buildContext = () =>
    buildSendContext({
      config: destination.config,
      signingSecret: destination.signingSecret,
      job,
      attempt,
      renderers: buildRenderers(job, destination, attempt),
      credentialValues: destination.credentialValues,
      defaultPayload: () => defaultPayloadText(job),
      allowPrivateDestinations: getEnv().allowPrivateDestinations,
      deferClose,
      ...(transformed ? { transformed } : {}),
    });
  return sendAttempt(destination.kind, destination.target, buildContext, { deliveryId: job.deliveryId });
}

export async function runDelivery(input: QstashInput): Promise<QstashAnswer> {
  const job = parseJob(input.rawBody);
  if (!job) {
    log.error("QStash delivered a job that does not match the job schema", { messageId: input.messageId });
    return permanentAnswer({ error: "invalid job" });
  }
  const db = getDb();
  // Reads only until something is sent: an unreachable database answers 5xx before any send.
  const { delivery, destination: destinationRow } = await findDeliveryContext(db, job.deliveryId, job.destinationId);
  if (delivery && terminalStatuses.includes(delivery.status)) return doneAnswer({ status: delivery.status, duplicate: true });
  const loaded = await loadDestination(db, destinationRow, job.callbackId);
  const held = await reholdIfPaused(db, job, destinationRow, loaded, input);
  if (held) return held;
  input.timing.mark("read");
  const attempt = (delivery?.attempts ?? 0) + 1;
  const startedAt = new Date();
  const base = { job, deliveryId: job.deliveryId, destinationId: job.destinationId, attempt, startedAt, qstashMessageId: input.messageId, qstashRetried: input.retried };
  if (loaded.status === "skip") {
    const outcome = { result: "skipped" as const, error: loaded.reason, target: delivery?.target ?? "", request: {}, durationMs: 0 };
    await recordAttempt(db, { ...base, outcome, status: "skipped" });
    return doneAnswer({ status: "skipped", reason: loaded.reason });
  }
  if (loaded.status === "invalid") {
    const outcome: DeliveryOutcome = { result: "permanent", error: loaded.reason, target: loaded.target, request: {}, durationMs: 0 };
    const disabled = await recordAttempt(db, { ...base, outcome, status: "failed" });
    await announceOutcome(db, job, { status: "failed", reason: loaded.reason, attempts: attempt, disabled });
    return permanentAnswer({ status: "failed", error: loaded.reason });
  }
  const destination = loaded.destination;
  const transform = await transformFor(job, destination, destinationRow?.transform ?? null);
  if (transform.status === "dropped") {
    const outcome = { result: "skipped" as const, error: droppedByTransform, target: destination.target, request: {}, durationMs: 0 };
    await recordAttempt(db, { ...base, outcome, status: "skipped" });
    return doneAnswer({ status: "skipped", reason: droppedByTransform });
  }
  // The budget travels in the job (QStash does not send it); without it the failure callback decides.
  const finalAttempt = job.retries !== undefined && input.retried >= job.retries;
  // A broker connection closes while the outcome is recorded; the answer waits for both.
  const closings: Array<Promise<void>> = [];
  try {
    const raw =
      transform.status === "failed" ? transform.outcome : marked(await send(job, destination, attempt, (closing) => closings.push(closing), transform.transformed), transform.transformed);
    input.timing.mark("send");
    const outcome = storableValue(redactValue(raw, secretForms(destination.credentialValues)));
    const status = statusAfter(outcome, finalAttempt);
    const disabled = await recordAttempt(db, { ...base, outcome, status });
    await announceOutcome(db, job, { status, reason: outcome.error ?? null, attempts: attempt, disabled });
    input.timing.mark("record");
    return answerFor(outcome, status);
  } finally {
    await Promise.all(closings);
    input.timing.mark("close");
  }
}

/** QStash's failure callback: the message ran out of retries (or failed permanently). */
export async function markDeliveryExhausted(job: DeliveryJob, lastError: string, messageId: string | null): Promise<boolean> {
  const db = getDb();
  // The rows may not exist yet if every attempt failed before reaching the database.
  const delivery = await ensureRows(db, job, messageId);
  return settleExhausted(db, job, lastError, delivery.attempts);
}
