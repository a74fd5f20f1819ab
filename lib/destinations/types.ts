// The interface every destination kind implements: send one delivery attempt, report the
// outcome as a value (never throw for an expected failure).
import type { DeliveryJob } from "@/lib/deliveries/job";
import type { TemplateMode } from "@/lib/destinations/kinds";

export type OutcomeResult = "succeeded" | "retryable" | "permanent";

export interface DeliveryOutcome {
  result: OutcomeResult;
  /** Human-readable reason for a failure, safe to store (no credentials). */
  error?: string;
  /** From the peer (HTTP Retry-After) or our own policy; QStash honours it. */
  retryAfterSeconds?: number;
  statusCode?: number;
  /** URL / broker+topic / exchange+routing key, without credentials. */
  target: string;
  /** What was sent, with credentials masked. */
  request: Record<string, unknown>;
  /** Response or broker acknowledgement. */
  response?: Record<string, unknown> | null;
  durationMs: number;
  /** Set when the peer said the endpoint is gone for good (HTTP 410): the destination is disabled. */
  disableReason?: string;
}

export interface SendContext<C> {
  config: C;
  /** Standard Webhooks secret (whsec_…) when signing is on. */
  signingSecret?: string;
  job: DeliveryJob;
  attempt: number;
  /** Renders one template field for this attempt; throws TemplateRenderError. */
  render(source: string, mode: TemplateMode): string;
  /** The default message when no payload/body template is set, as JSON text. */
  defaultPayload(): string;
  allowPrivateDestinations: boolean;
  /**
   * Takes over closing a short-lived broker connection once its publish is settled: the caller
   * awaits it after recording the outcome, so the close handshake overlaps the database write.
   * Without it the sender waits for the close itself (and reports how long it took).
   */
  deferClose?(closing: Promise<void>): void;
}

export type Sender<C> = (context: SendContext<C>) => Promise<DeliveryOutcome>;

/** For failures before anything went on the wire (template, config, blocked address). */
export function failedBeforeSend(target: string, error: string, result: OutcomeResult = "permanent"): DeliveryOutcome {
  return { result, error, target, request: {}, response: null, durationMs: 0 };
}
