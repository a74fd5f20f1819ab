// Every call to QStash goes through here, publishes and lanes.ts's queue and flow-control calls
// alike: bounded in time (the SDK's fetch takes no signal, so the call is raced against a timer),
// and its failure classified. Passing trouble (429, 5xx, network, no answer) is a 503 the sender
// may retry; a deployment fault (token or region refused, a request QStash calls malformed, a
// message over the plan's size, the daily quota or the plan's queues used up) is a 500, logged
// once per call for the operator with the fix, and remembered for /api/health (qstash-status.ts)
// until a call goes through (past the queue limit: a queue upsert) or 10 minutes pass.
import { QstashDailyRatelimitError, QstashError } from "@upstash/qstash";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { clearQstashFault, rememberQstashFault, type QstashFault } from "@/lib/qstash/qstash-status";

/** What a queue upsert is called in causes and logs; only one going through clears the queue limit. */
export const queueUpsertCall = "queue upsert";

/** Well inside the trigger function's 15 s limit, with room for the rest of the request. */
const qstashCallTimeoutMs = 5_000;
const queueRetryAfterSeconds = 5;

class QstashTimeoutError extends Error {
  override name = "QstashTimeoutError";
}

async function withDeadline<T>(run: () => Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const call = run();
  // The abandoned call may still settle later; its outcome is nobody's concern any more.
  call.catch(() => undefined);
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QstashTimeoutError(`QStash did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([call, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The operator's side of a refused call, or undefined when retrying later may work. `what` names
 * the call (a publish, or one of issue #16's queue and flow-control calls) in the cause.
 */
function classifyQstashFault(error: unknown, what: string): QstashFault | undefined {
  if (error instanceof QstashDailyRatelimitError) {
    return { cause: "QStash daily message quota exhausted (429)", fix: "Upgrade the QStash plan or wait for the quota to reset (RateLimit-Reset)" };
  }
  if (!(error instanceof QstashError) || error.status === undefined) return undefined;
  const { status } = error;
  if (status === 401 || status === 403) {
    return { cause: `QStash refused the token (${status}) on a ${what}`, fix: "Check QSTASH_TOKEN, and that QSTASH_URL is the URL of the token's region" };
  }
  if (status === 413)
    return { cause: "QStash refused a message as too large for the plan (413)", fix: "Lower the callbacks' maximum body size or move to a QStash plan with larger messages" };
  // openapi.yaml: a queue upsert answers 412 past the plan's number of queues or queue parallelism.
  if (status === 412) {
    return {
      cause: `QStash refused the ${what}: the plan's queue limit is reached (412)`,
      fix: "Each FIFO destination uses one QStash queue, plus one per partition with an ordering key (orderingPartitions): use fewer FIFO destinations or fewer partitions, or a QStash plan with more queues",
      // Calls that create no queue go through while the limit is reached.
      clearedBy: queueUpsertCall,
    };
  }
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return { cause: `QStash refused the ${what} (${status})`, fix: "Check QSTASH_URL and APP_URL; the QStash answer is in the log line" };
  }
  return undefined;
}

/** The 503 for passing queue trouble, with the Retry-After every caller of QStash answers it with. */
export function queueUnavailableError(message: string, cause?: unknown): AppError {
  return new AppError("queue_unavailable", message, { headers: { "retry-after": String(queueRetryAfterSeconds) }, cause });
}

function queueUnavailable(cause: unknown): AppError {
  return queueUnavailableError("The delivery queue did not confirm the publish. Retry later; with the same Idempotency-Key a retry cannot deliver twice.", cause);
}

/** Runs one QStash call under the deadline; any failure leaves as a classified AppError. */
export async function callQstash<T>(what: string, run: () => Promise<T>, context: Record<string, unknown> = {}): Promise<T> {
  try {
    const result = await withDeadline(run, qstashCallTimeoutMs);
    clearQstashFault(what);
    return result;
  } catch (error) {
    const status = error instanceof QstashError ? error.status : undefined;
    const fault = classifyQstashFault(error, what);
    if (!fault) {
      log.warn(`QStash ${what} failed; the caller is told to retry`, { ...context, status, error });
      throw queueUnavailable(error);
    }
    log.error(`QStash ${what} refused: ${fault.cause}. Fix: ${fault.fix}`, { ...context, status, answer: error instanceof Error ? error.message.slice(0, 300) : undefined });
    await rememberQstashFault(fault);
    throw new AppError("queue_misconfigured", "The delivery queue refused the publish because of a configuration problem; the operator has been told", { cause: error });
  }
}
