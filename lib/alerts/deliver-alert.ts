// One QStash job = one attempt to send one alert with the HTTP sender. The outcome is recorded on
// the alert's row; nothing here counts against a destination or raises another alert.
import { getDb, type Database } from "@/lib/db";
import { findAlertById, updateAlertProgress } from "@/lib/db/queries/alerts";
import { terminalStatuses } from "@/lib/db/queries/deliveries";
import { getEnv } from "@/lib/env";
import { sendAttempt } from "@/lib/destinations/senders";
import { statusAfter, type DeliveryOutcome, type SendJob } from "@/lib/destinations/types";
import { redactValue, secretForms } from "@/lib/secrets/redact";
import { buildRenderers, buildSendContext } from "@/lib/destinations/send-context";
import { answerFor, doneAnswer, permanentAnswer, type QstashAnswer } from "@/lib/qstash/answer";
import { parseFailureEnvelope } from "@/lib/qstash/failure-envelope";
import type { QstashInput } from "@/lib/qstash/with-qstash";
import { alertEventSchema, type AlertEvent } from "@/lib/alerts/alert-event";
import { loadAlertReceiver, type AlertReceiver } from "@/lib/alerts/alert-receiver";
import { alertDeliverPath, alertJobSchema, type AlertJob } from "@/lib/alerts/raise-alert";

function parseAlertJob(rawBody: string): AlertJob | null {
  try {
    const parsed = alertJobSchema.safeParse(JSON.parse(rawBody));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The sender's view of an alert: a POST whose body is the alert, so templates read `{body.reason}`. */
function alertAsJob(event: AlertEvent): SendJob {
  const body = JSON.stringify(event);
  return {
    deliveryId: event.id,
    eventId: event.id,
    callbackId: event.callbackId,
    request: { method: "POST", path: alertDeliverPath, query: {}, headers: { "content-type": "application/json" }, body, bodyEncoding: "utf8", receivedAt: event.at },
  };
}

async function sendAlert(event: AlertEvent, receiver: AlertReceiver, attempt: number): Promise<DeliveryOutcome> {
  const job = alertAsJob(event);
  const buildContext = () =>
    buildSendContext({
      config: receiver.config,
      recordedConfig: receiver.recordedConfig,
      signingSecret: receiver.signingSecret,
      job,
      attempt,
      renderers: buildRenderers(job, { id: event.destinationId, variables: {}, secrets: receiver.secrets }, attempt),
      credentialValues: receiver.credentialValues,
      defaultPayload: () => job.request.body,
      allowPrivateDestinations: getEnv().allowPrivateDestinations,
    });
  return sendAttempt("http", receiver.target, buildContext, { alertId: event.id });
}

async function settle(db: Database, id: string, status: "skipped" | "failed", reason: string): Promise<void> {
  await updateAlertProgress(db, id, { status, lastError: reason });
}

export async function deliverAlert(input: QstashInput): Promise<QstashAnswer> {
  const job = parseAlertJob(input.rawBody);
  if (!job) return permanentAnswer({ error: "invalid alert job" });
  const db = getDb();
  const row = await findAlertById(db, job.alertId);
  // Pruned by retention, or never recorded: nothing left to send.
  if (!row) return doneAnswer({ status: "skipped", reason: "unknown alert" });
  if (terminalStatuses.includes(row.status)) return doneAnswer({ status: row.status, duplicate: true });
  const event = alertEventSchema.safeParse(row.payload);
  if (!event.success) {
    await settle(db, row.id, "failed", "Stored alert is unreadable");
    return permanentAnswer({ status: "failed", error: "unreadable alert" });
  }
  const loaded = await loadAlertReceiver(db);
  if (loaded.status !== "ready") {
    const status = loaded.status === "none" ? "skipped" : "failed";
    await settle(db, row.id, status, loaded.reason);
    return status === "skipped" ? doneAnswer({ status, reason: loaded.reason }) : permanentAnswer({ status, error: loaded.reason });
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
