// The interface every destination kind implements: send one delivery attempt, report the
// outcome as a value (never throw for an expected failure).
import type { TemplateMode } from "@/lib/templates";
import type { DeliveryStatus } from "@/lib/db/schema";
import type { TemplateEvent } from "@/lib/templates";
import type { TransformedMessage } from "@/lib/transforms/transform-output";

/**
 * What one send needs of its QStash job: the delivery it is, and the captured request of its
 * event. A delivery job (lib/deliveries/job.ts) is one; an alert builds one of its own.
 */
export interface SendJob {
  deliveryId: string;
  eventId: string;
  callbackId: string;
  request: Omit<TemplateEvent, "id" | "callbackId" | "contentType">;
}

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
  /**
   * "content": the event itself could not be delivered (a template or value that cannot render,
   * a payload too deep or too large, request data steering the target). Recorded as failed, and
   * never counted by the circuit breaker: whoever holds a trigger URL must not be able to switch
   * a destination off by sending bad events.
   */
  cause?: "content";
}

export interface SendContext<C> {
  config: C;
  /** Standard Webhooks secret (whsec_…) when signing is on. */
  signingSecret?: string;
  job: SendJob;
  attempt: number;
  /** Renders one template field for this attempt; throws TemplateRenderError. */
  render(source: string, mode: TemplateMode): string;
  /**
   * Renders like `render` (same event, same {uuid}) but with every `{secret:…}` as "***": what
   * an attempt records is built from this rendering, never from the one that was sent.
   */
  renderForRecord(source: string, mode: TemplateMode): string;
  /**
   * The config the record is rendered from when a credential sits outside every template (the
   * alert webhook's URL path): the same config with that credential already "***". Default: config.
   */
  recordedConfig?: C;
  /** Every credential and `{secret:…}` value in play, for the second net over recorded text. */
  credentialValues?: readonly string[];
  /** The default message when no payload/body template is set, as JSON text. */
  defaultPayload(): string;
  allowPrivateDestinations: boolean;
  /**
   * The destination transform's output for this attempt (lib/transforms): each part it returned
   * replaces that part's templates; auth, signing and the kind's checks still apply after it.
   */
  transformed?: TransformedMessage;
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

export const contentErrorPrefix = "Content error: ";

/** The event cannot be delivered as it is: permanent, marked, and worded so the operator sees why. */
export function contentFailure(target: string, reason: string, request: Record<string, unknown> = {}): DeliveryOutcome {
  return { result: "permanent", cause: "content", error: `${contentErrorPrefix}${reason}`, target, request, response: null, durationMs: 0 };
}

/** The delivery's state after an attempt with this outcome. */
export function statusAfter(outcome: DeliveryOutcome, finalAttempt: boolean): DeliveryStatus {
  if (outcome.result === "succeeded") return "succeeded";
  if (outcome.result === "permanent") return "failed";
  return finalAttempt ? "dead" : "queued";
}
