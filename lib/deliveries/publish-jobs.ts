// Publishes delivery jobs to QStash in ONE batch call: a dedup id per delivery, explicit
// retries, and the failure callback that marks exhausted deliveries dead.
import { QstashError } from "@upstash/qstash";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { deliverUrl, failureCallbackUrl, getQstashClient } from "@/lib/qstash";
import type { DeliveryJob } from "@/lib/deliveries/job";
import { defaultMaxConcurrency } from "@/lib/destinations/limits";

/** QStash refuses messages above 1 MiB on its smallest plan. */
export const maxJobBytes = 1_048_576;

export interface PublishedDelivery {
  id: string;
  destinationId: string;
  messageId: string;
}

export const queueRetryAfterSeconds = 5;

function queueUnavailable(cause: unknown): AppError {
  return new AppError("queue_unavailable", "The delivery queue did not confirm the publish. Retry later; with the same Idempotency-Key a retry cannot deliver twice.", {
    headers: { "retry-after": String(queueRetryAfterSeconds) },
    cause,
  });
}

function assertJobSize(job: DeliveryJob): void {
  const bytes = Buffer.byteLength(JSON.stringify(job));
  if (bytes > maxJobBytes) {
    throw new AppError(
      "payload_too_large",
      `The captured request needs ${bytes} bytes queued, above the queue's ${maxJobBytes}-byte message limit`,
    );
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

/**
 * `concurrencyOf` gives each destination's limit of deliveries in flight: QStash flow control
 * then holds the rest back, so a burst of triggers reaches a receiver (and this function) at a
 * pace it can take instead of all at once.
 */
export async function publishJobs(
  jobs: DeliveryJob[],
  retries: number,
  concurrencyOf: (destinationId: string) => number | undefined = () => undefined,
): Promise<PublishedDelivery[]> {
  if (jobs.length === 0) return [];
  assertJobSizes(jobs);
  const url = deliverUrl();
  const failureCallback = failureCallbackUrl();
  try {
    const responses = await getQstashClient().batchJSON(
      jobs.map((job) => ({
        url,
        body: job,
        retries,
        failureCallback,
        deduplicationId: job.deliveryId,
        label: job.kind,
        flowControl: { key: `sy-dest-${job.destinationId}`, parallelism: concurrencyOf(job.destinationId) ?? defaultMaxConcurrency },
      })),
    );
    return jobs.map((job, index) => ({
      id: job.deliveryId,
      destinationId: job.destinationId,
      messageId: responses[index]?.messageId ?? "",
    }));
  } catch (error) {
    log.error("QStash publish failed", { error, jobs: jobs.length, status: error instanceof QstashError ? error.status : undefined });
    throw queueUnavailable(error);
  }
}
