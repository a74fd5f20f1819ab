// One QStash job = one attempt to send one alert with the HTTP sender. The outcome is recorded on
// the alert's row; nothing here counts against a destination or raises another alert.
import { getDb, type Database } from "@/lib/db";
import { findAlertById, updateAlertProgress } from "@/lib/db/queries/alerts";
import { terminalStatuses } from "@/lib/db/queries/deliveries";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { senderFor } from "@/lib/destinations/senders";
import type { DeliveryOutcome } from "@/lib/destinations/types";
import type { DeliveryJob } from "@/lib/deliveries/job";
import { redactValue, secretForms } from "@/lib/deliveries/redact";
import { buildRenderers } from "@/lib/deliveries/render-context";
import { answerFor, statusAfter, type QstashAnswer } from "@/lib/deliveries/run-delivery";
import { parseFailureEnvelope } from "@/lib/deliveries/failure-callback";
import type { QstashInput } from "@/lib/qstash/with-qstash";
import { alertEventSchema, type AlertEvent } from "@/lib/alerts/alert-event";
import { loadAlertReceiver, type AlertReceiver } from "@/lib/alerts/alert-receiver";
import { alertDeliverPath, alertJobSchema, type AlertJob } from "@/lib/alerts/raise-alert";

const done = (body: Record<string, unknown>): QstashAnswer => ({ status: 200, body, headers: {} });
const permanent = (body: Record<string, unknown>): QstashAnswer => ({ status: 489, body, headers: { "upstash-nonretryable-error": "true" } });

function parseAlertJob(rawBody: string): AlertJob | null {
  try {
    const parsed = alertJobSchema.safeParse(JSON.parse(rawBody));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The sender's view of an alert: a POST whose body is the alert, so templates read `{body.reason}`. */
function alertAsJob(event: AlertEvent): DeliveryJob {
  const body = JSON.stringify(event);
  return {
    v: 1,
    deliveryId: event.id,
    eventId: event.id,
    callbackId: event.callbackId,
    destinationId: event.destinationId,
    kind: "http",
    request: { method: "POST", path: alertDeliverPath, query: {}, headers: { "content-type": "application/json" }, body, bodyEncoding: "utf8", receivedAt: event.at },
  };
}

async function sendAlert(event: AlertEvent, receiver: AlertReceiver, attempt: number): Promise<DeliveryOutcome> {
  const sender = senderFor("http");
  const job = alertAsJob(event);
  if (!sender) return { result: "permanent", error: "No HTTP sender", target: receiver.target, request: {}, durationMs: 0 };
  try {
    return await sender({
      config: receiver.config,
      signingSecret: receiver.signingSecret,
      job,
      attempt,
      ...buildRenderers(job, { id: event.destinationId, variables: {}, secrets: receiver.secrets }, attempt),
      credentialValues: receiver.credentialValues,
      defaultPayload: () => job.request.body,
      allowPrivateDestinations: getEnv().allowPrivateDestinations,
    });
  } catch (error) {
    log.error("alert sender threw", { alertId: event.id, error });
    return { result: "retryable", error: `Unexpected error: ${error instanceof Error ? error.message : "unknown"}`, target: receiver.target, request: {}, durationMs: 0 };
  }
}

async function settle(db: Database, id: string, status: "skipped" | "failed", reason: string): Promise<void> {
  await updateAlertProgress(db, id, { status, lastError: reason });
}

export async function deliverAlert(input: QstashInput): Promise<QstashAnswer> {
  const job = parseAlertJob(input.rawBody);
  if (!job) return permanent({ error: "invalid alert job" });
  const db = getDb();
  const row = await findAlertById(db, job.alertId);
  // Pruned by retention, or never recorded: nothing left to send.
  if (!row) return done({ status: "skipped", reason: "unknown alert" });
  if (terminalStatuses.includes(row.status)) return done({ status: row.status, duplicate: true });
  const event = alertEventSchema.safeParse(row.payload);
  if (!event.success) {
    await settle(db, row.id, "failed", "Stored alert is unreadable");
    return permanent({ status: "failed", error: "unreadable alert" });
  }
  const loaded = await loadAlertReceiver(db);
  if (loaded.status !== "ready") {
    const status = loaded.status === "none" ? "skipped" : "failed";
    await settle(db, row.id, status, loaded.reason);
    return status === "skipped" ? done({ status, reason: loaded.reason }) : permanent({ status, error: loaded.reason });
  }
  const attempt = row.attempts + 1;
  const raw = await sendAlert(event.data, loaded.receiver, attempt);
  const outcome = redactValue(raw, secretForms(loaded.receiver.credentialValues));
  const status = statusAfter(outcome, job.retries !== undefined && input.retried >= job.retries);
  await updateAlertProgress(db, row.id, {
    status,
    attempts: attempt,
    target: outcome.target,
    lastError: outcome.error ?? null,
    lastStatusCode: outcome.statusCode ?? null,
    lastDurationMs: outcome.durationMs,
    qstashMessageId: input.messageId,
  });
  return answerFor(outcome, status);
}

/** QStash's failure callback for an alert: its retries ran out, so it is dead with QStash's reason. */
export async function markAlertExhausted(rawBody: string): Promise<{ alertId: string; status: "dead" | "unchanged" } | null> {
  const envelope = parseFailureEnvelope(rawBody);
  const job = envelope ? parseAlertJob(envelope.sourceBody) : null;
  if (!envelope || !job) return null;
  const db = getDb();
  const row = await findAlertById(db, job.alertId);
  if (!row || terminalStatuses.includes(row.status)) return { alertId: job.alertId, status: "unchanged" };
  await updateAlertProgress(db, row.id, { status: "dead", lastError: envelope.lastError, qstashMessageId: envelope.messageId });
  return { alertId: job.alertId, status: "dead" };
}
