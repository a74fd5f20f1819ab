// Which QStash lane one delivery is published into, with its retry schedule: the flow-control key
// (parallelism, rate) without ordering, or a FIFO queue: with an ordering key, the destination's
// partition its value hashes to. The trigger route, replays and the paused-destination safety
// net all publish through this.
import { renderTemplate, type TemplateEvent } from "@/lib/templates";
import { laneKeyOf, queueNameOf, type PublishLane } from "@/lib/qstash/lanes";
import { compileRetryDelay } from "@/lib/destinations/lanes/retry-schedule";
import type { DestinationRow } from "@/lib/db/schema";
import { defaultOrderingPartitions, deliveryOptionsOf, type DeliveryOptions } from "@/lib/destinations/lanes/delivery-options";

export interface LaneSettings extends Pick<DeliveryOptions, "ordering" | "orderingKey" | "orderingPartitions" | "rateLimit" | "retries" | "retryDelay"> {
  id: string;
  maxConcurrency: number;
}

export type LaneRequest = Omit<TemplateEvent, "id" | "callbackId" | "contentType">;

/**
 * The key's value for this request; undefined (the destination-wide queue) when it renders empty
 * or cannot render, e.g. a body field the request lacks.
 */
function renderOrderingKey(source: string, request: LaneRequest, ids: { eventId: string; callbackId: string; deliveryId: string; destinationId: string }): string | undefined {
  try {
    const rendered = renderTemplate(source, "text", {
      event: { ...request, id: ids.eventId, callbackId: ids.callbackId },
      deliveryId: ids.deliveryId,
      destinationId: ids.destinationId,
      attempt: 1,
      vars: {},
      env: () => undefined,
      secrets: {},
      now: new Date(),
      uuid: () => ids.deliveryId,
    });
    return rendered === "" ? undefined : rendered;
  } catch {
    return undefined;
  }
}

export interface LaneJob {
  eventId: string;
  callbackId: string;
  deliveryId: string;
  destinationId: string;
  request: LaneRequest;
}

export function deliveryLaneOf(settings: LaneSettings, job: LaneJob): PublishLane {
  const retryDelay = compileRetryDelay(settings.retryDelay);
  const schedule = { ...(settings.retries === null ? {} : { retries: settings.retries }), ...(retryDelay === undefined ? {} : { retryDelay }) };
  if (settings.ordering === "fifo") {
    const value = settings.orderingKey === null ? undefined : renderOrderingKey(settings.orderingKey, job.request, job);
    const key = value === undefined ? undefined : { value, partitions: settings.orderingPartitions ?? defaultOrderingPartitions };
    return { queueName: queueNameOf(settings.id, key), ...schedule };
  }
  const rate = settings.rateLimit ? { rate: settings.rateLimit.count, period: settings.rateLimit.periodSeconds } : {};
  return { flowControl: { key: laneKeyOf(settings.id), parallelism: settings.maxConcurrency, ...rate }, ...schedule };
}

function laneSettingsOf(row: DestinationRow): LaneSettings {
  return { id: row.id, maxConcurrency: row.max_concurrency, ...deliveryOptionsOf(row) };
}

/** Publishes to a stored destination's lane (replays, the paused-destination safety net). */
export function laneOfRow(row: DestinationRow | undefined): (job: LaneJob) => PublishLane | undefined {
  const settings = row ? laneSettingsOf(row) : undefined;
  return (job) => (settings ? deliveryLaneOf(settings, job) : undefined);
}
