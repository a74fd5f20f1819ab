// QStash's failure callback for a delivery job: which delivery gave up, and why.
import { parseJob } from "@/lib/deliveries/run-delivery";
import type { DeliveryJob } from "@/lib/deliveries/job";
import { parseFailureEnvelope } from "@/lib/qstash/failure-envelope";

export interface FailureReport {
  job: DeliveryJob;
  messageId: string | null;
  lastError: string;
}

export function parseFailureCallback(rawBody: string): FailureReport | null {
  const envelope = parseFailureEnvelope(rawBody);
  const job = envelope ? parseJob(envelope.sourceBody) : null;
  if (!envelope || !job) return null;
  return { job, messageId: envelope.messageId, lastError: envelope.lastError };
}
