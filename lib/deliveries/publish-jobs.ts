// Publishes delivery jobs to QStash in ONE batch call: a dedup id per delivery, explicit
// retries and timeout, and the failure callback that marks exhausted deliveries dead. QStash
// answers a batch entry by entry, so each entry is read on its own: one without a messageId
// was not queued.
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { deliverUrl, failureCallbackUrl, getQstashClient, jobTimeoutSeconds } from "@/lib/qstash";
import { callQstash, queueUnavailableError } from "@/lib/qstash/call-qstash";
import type { DeliveryJob } from "@/lib/deliveries/job";
import { defaultMaxConcurrency } from "@/lib/destinations/limits";
import { laneKeyOf, type PublishLane } from "@/lib/qstash/lanes";

/** QStash refuses messages above 1 MiB on its smallest plan. */
export const maxJobBytes = 1_048_576;

export interface PublishedDelivery {
  id: string;
  destinationId: string;
  messageId: string;
}

export interface FailedPublish {
  deliveryId: string;
  destinationId: string;
  error: string;
}

export interface PublishOutcome {
  published: PublishedDelivery[];
  failed: FailedPublish[];
}

function assertJobSize(job: DeliveryJob): void {
  const bytes = Buffer.byteLength(JSON.stringify(job));
  if (bytes > maxJobBytes) {
    throw new AppError("payload_too_large", `The captured request needs ${bytes} bytes queued, above the queue's ${maxJobBytes}-byte message limit`);
  }
}

/**
 * Jobs sharing a captured request (one trigger's fan-out) differ only in fixed-length ids and
 * their kind: one check per request and kind covers the rest, instead of serializing the same
 * request once per destination.
 */
export function assertJobSizes(jobs: readonly DeliveryJob[]): void {
  const checked = new Map<DeliveryJob["request"], Set<string>>();
  for (const job of jobs) {
    const kinds = checked.get(job.request) ?? new Set<string>();
    if (kinds.has(job.kind)) continue;
    checked.set(job.request, kinds.add(job.kind));
    assertJobSize(job);
  }
}

/** One batch answer entry: `{messageId}` when queued, `{error}` (or anything else) when not. */
function entryError(entry: unknown): string | undefined {
  if (typeof entry !== "object" || entry === null) return "no answer for this entry";
  const { messageId, error } = entry as { messageId?: unknown; error?: unknown };
  if (typeof error === "string" && error !== "") return error;
  return typeof messageId === "string" && messageId !== "" ? undefined : "no messageId for this entry";
}

/**
 * `laneOf` gives each job's lane (lib/destinations/lanes/delivery-lane.ts): its destination's flow-control
 * key, whose parallelism and rate QStash holds the rest back with, so a burst of triggers reaches
 * a receiver (and this function) at a pace it can take instead of all at once; or its FIFO queue.
 * It may override `retries` and set a retry delay. The job carries its effective retries, since
 * QStash does not tell the delivery function its retry budget. Throws only when the call itself failed.
 */
export async function publishEachJob(jobs: DeliveryJob[], retries: number, laneOf: (job: DeliveryJob) => PublishLane | undefined = () => undefined): Promise<PublishOutcome> {
  if (jobs.length === 0) return { published: [], failed: [] };
  assertJobSizes(jobs);
  const url = deliverUrl();
  const failureCallback = failureCallbackUrl();
  const messages = jobs.map((job) => {
    const { retries: own, ...lane } = laneOf(job) ?? { flowControl: { key: laneKeyOf(job.destinationId), parallelism: defaultMaxConcurrency } };
    const effective = own ?? retries;
    return { url, body: { ...job, retries: effective }, retries: effective, timeout: jobTimeoutSeconds, failureCallback, deduplicationId: job.deliveryId, label: job.kind, ...lane };
  });
  const answers: unknown[] = await callQstash("publish", () => getQstashClient().batchJSON(messages), { jobs: jobs.length });
  const outcome: PublishOutcome = { published: [], failed: [] };
  jobs.forEach((job, index) => {
    const error = entryError(answers[index]);
    const messageId = (answers[index] as { messageId?: string } | undefined)?.messageId ?? "";
    if (error === undefined) outcome.published.push({ id: job.deliveryId, destinationId: job.destinationId, messageId });
    else outcome.failed.push({ deliveryId: job.deliveryId, destinationId: job.destinationId, error });
  });
  if (outcome.failed.length > 0) {
    log.warn("QStash refused part of a batch", { jobs: jobs.length, failed: outcome.failed.length, firstError: outcome.failed[0]?.error });
  }
  return outcome;
}

/** All or nothing: any entry QStash did not queue makes the whole publish a 503 the caller retries. */
export async function publishJobs(jobs: DeliveryJob[], retries: number, laneOf?: (job: DeliveryJob) => PublishLane | undefined): Promise<PublishedDelivery[]> {
  const { published, failed } = await publishEachJob(jobs, retries, laneOf);
  if (failed.length === 0) return published;
  throw queueUnavailableError(
    `The delivery queue did not take ${failed.length} of ${jobs.length} deliveries (${failed[0]?.error ?? "no reason given"}). Retry later; with the same Idempotency-Key the deliveries already queued are not sent twice.`,
  );
}
