// How every QStash-facing handler answers (deliveries, alerts, doctor): 2xx done, 5xx retry
// (with Retry-After when known), 489 with Upstash-NonRetryable-Error for a permanent failure,
// which sends the message to the failure callback without further retries.
import { jsonReply, type Reply } from "@/lib/http/reply";

export interface QstashAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

/** What QStash needs to know of a send's outcome (a DeliveryOutcome is one). */
export interface AnsweredOutcome {
  result: "succeeded" | "retryable" | "permanent";
  error?: string;
  retryAfterSeconds?: number;
}

export function doneAnswer(body: Record<string, unknown>): QstashAnswer {
  return { status: 200, body, headers: {} };
}

export function permanentAnswer(body: Record<string, unknown>): QstashAnswer {
  return { status: 489, body, headers: { "upstash-nonretryable-error": "true" } };
}

function retryAnswer(body: Record<string, unknown>, retryAfterSeconds?: number): QstashAnswer {
  return { status: 503, body, headers: retryAfterSeconds !== undefined ? { "retry-after": String(retryAfterSeconds) } : {} };
}

export function answerFor(outcome: AnsweredOutcome, status: string): QstashAnswer {
  if (outcome.result === "succeeded") return doneAnswer({ status });
  if (outcome.result === "permanent") return permanentAnswer({ status, error: outcome.error });
  return retryAnswer({ status, error: outcome.error }, outcome.retryAfterSeconds);
}

export function qstashReply(answer: QstashAnswer): Reply {
  return jsonReply(answer.body, answer.status, answer.headers);
}
