// Raising an alert: record it, then hand it to QStash as its own job (POST /api/alerts/deliver),
// so the delivery function that noticed the condition never waits on the alert receiver. Raising
// never throws: an alert that cannot be queued is logged and recorded as failed.
import { z } from "zod";
import type { Database } from "@/lib/db";
import { findSetting } from "@/lib/db/queries/settings";
import { findDestinationById } from "@/lib/db/queries/destinations";
import { insertAlert, setAlertMessageId, updateAlertProgress } from "@/lib/db/queries/alerts";
import { getEnv } from "@/lib/env";
import { uuidv7 } from "@/lib/ids";
import { log } from "@/lib/log";
import { getQstashClient, jobTimeoutSeconds } from "@/lib/qstash";
import { callQstash } from "@/lib/qstash/call-qstash";
import { alertSettingsName, readStoredAlertSettings } from "@/lib/alerts/alert-settings";
import type { AlertDraft, AlertEvent } from "@/lib/alerts/alert-event";

export const alertDeliverPath = "/api/alerts/deliver";
/** QStash's failure callback for alerts: the alert whose retries ran out becomes dead. */
export const alertFailurePath = "/api/alerts/deliver/failed";

/** `retries` is the QStash retry budget, which QStash does not send with a delivery. */
export const alertJobSchema = z.object({ v: z.literal(1), alertId: z.uuid(), retries: z.number().int().min(0).optional() }).strict();
export type AlertJob = z.infer<typeof alertJobSchema>;

async function buildEvent(db: Database, draft: AlertDraft): Promise<AlertEvent> {
  const destinationName = draft.destinationName ?? (await findDestinationById(db, draft.destinationId))?.name ?? null;
  const { type, callbackId, destinationId, deliveryId, eventId, reason, attempts, consecutiveFailures, heldDeliveries } = draft;
  return { id: uuidv7(), type, at: new Date().toISOString(), callbackId, destinationId, destinationName, deliveryId, eventId, reason, attempts, consecutiveFailures, heldDeliveries };
}

/** Returns the alert id, or null when alerts are off or the alert could not be queued. */
export async function raiseAlert(db: Database, draft: AlertDraft): Promise<string | null> {
  let alertId: string | undefined;
  try {
    const settings = readStoredAlertSettings(await findSetting(db, alertSettingsName));
    if (!settings?.enabled) return null;
    const event = await buildEvent(db, draft);
    alertId = event.id;
    await insertAlert(db, {
      id: event.id,
      type: event.type,
      callback_id: event.callbackId,
      destination_id: event.destinationId,
      delivery_id: event.deliveryId ?? null,
      payload: JSON.stringify(event),
      status: "queued",
    });
    const job: AlertJob = { v: 1, alertId: event.id, retries: settings.retries };
    const { appUrl } = getEnv();
    const { messageId } = await callQstash("alert publish", () =>
      getQstashClient().publishJSON({
        url: `${appUrl}${alertDeliverPath}`,
        body: job,
        retries: settings.retries,
        timeout: jobTimeoutSeconds,
        failureCallback: `${appUrl}${alertFailurePath}`,
        deduplicationId: `alert-${event.id}`,
        label: "alert",
      }),
    );
    await setAlertMessageId(db, event.id, messageId);
    return event.id;
  } catch (error) {
    log.error("Could not raise an alert", { error, type: draft.type, destinationId: draft.destinationId, alertId });
    if (alertId) {
      const lastError = `Could not queue the alert: ${error instanceof Error ? error.message : "unknown error"}`;
      await updateAlertProgress(db, alertId, { status: "failed", lastError }).catch(() => undefined);
    }
    return null;
  }
}
