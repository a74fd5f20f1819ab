// Issue #16's destination-level options: ordering (FIFO, optionally per key, over a fixed number
// of partitions), a rate limit, retries and a retry delay, and what the circuit breaker does.
// Their input fields, the checks that need more than one field, the columns they are stored in
// and how the operator sees them.
import { z } from "zod";
import type { DestinationRow } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { isRequestExpression, TemplateError, validateTemplate } from "@/lib/templates";
import { retryDelayExpressionError, retryDelaySchema, type RetryDelay } from "@/lib/destinations/lanes/retry-schedule";

export const rateLimitSchema = z.object({ count: z.number().int().min(1).max(10_000), periodSeconds: z.number().int().min(1).max(86_400) }).strict();
export type RateLimit = z.infer<typeof rateLimitSchema>;

/**
 * A keyed FIFO destination's queues: one per partition plus its destination-wide queue (keys
 * that render empty). QStash's Free plan allows 10 queues and pay as you go 100, so the default
 * 4 leaves room for a second keyed destination (or several unkeyed ones) on Free, and 32 (33
 * queues) still fits three times in pay as you go.
 */
export const defaultOrderingPartitions = 4;
const maxOrderingPartitions = 32;

const fields = {
  ordering: z.enum(["none", "fifo"]),
  /** A template over the trigger request ({body.customerId}); FIFO per rendered value. */
  orderingKey: z.string().trim().min(1).max(500).nullable(),
  /** How many queues the key's values are hashed into; only with an orderingKey. */
  orderingPartitions: z.number().int().min(1).max(maxOrderingPartitions).nullable(),
  rateLimit: rateLimitSchema.nullable(),
  /** Overrides the callback's retries; same range. */
  retries: z.number().int().min(0).max(20).nullable(),
  retryDelay: retryDelaySchema.nullable(),
  breakerAction: z.enum(["disable", "pause"]),
};

/** For the create schema: absent fields take their defaults. */
export const deliveryOptionFields = {
  ordering: fields.ordering.default("none"),
  orderingKey: fields.orderingKey.default(null),
  orderingPartitions: fields.orderingPartitions.default(null),
  rateLimit: fields.rateLimit.default(null),
  retries: fields.retries.default(null),
  retryDelay: fields.retryDelay.default(null),
  breakerAction: fields.breakerAction.default("disable"),
};

/** For PATCH: absent keeps the stored value, null clears a nullable one. */
export const deliveryOptionPatchFields = {
  ordering: fields.ordering.optional(),
  orderingKey: fields.orderingKey.optional(),
  orderingPartitions: fields.orderingPartitions.optional(),
  rateLimit: fields.rateLimit.optional(),
  retries: fields.retries.optional(),
  retryDelay: fields.retryDelay.optional(),
  breakerAction: fields.breakerAction.optional(),
};

export interface DeliveryOptions {
  ordering: "none" | "fifo";
  orderingKey: string | null;
  /** Set (default 4) exactly when there is an ordering key; null otherwise. Input null: the default. */
  orderingPartitions: number | null;
  rateLimit: RateLimit | null;
  retries: number | null;
  retryDelay: RetryDelay | null;
  breakerAction: "disable" | "pause";
}

/** A destination built in code (the alert webhook's) takes these: what a create that sets none of them gets. */
export const defaultDeliveryOptions: DeliveryOptions = z.object(deliveryOptionFields).parse({});

const invalid = (field: string, message: string) => new AppError("validation_failed", `${field}: ${message}`, { field });

/** The ordering key is rendered when the trigger is accepted, from the request alone. */
function checkOrderingKey(source: string, field: string): void {
  try {
    const parsed = validateTemplate(source, "text");
    const other = parsed.placeholders.find((placeholder) => !isRequestExpression(placeholder.expression));
    if (other) throw invalid(field, `{${other.text}} cannot be used: the key is rendered when the trigger is accepted, from the request ({body.…}, {header.…}, {query.…}, {method}, {path})`);
  } catch (error) {
    if (error instanceof TemplateError) throw invalid(field, error.message);
    throw error;
  }
}

/** Checks that need several fields, or more than a schema: 422 naming the field. */
export function checkDeliveryOptions(options: DeliveryOptions, prefix = ""): void {
  if (options.orderingKey !== null && options.ordering !== "fifo") throw invalid(`${prefix}orderingKey`, 'needs ordering: "fifo"');
  if (options.rateLimit !== null && options.ordering === "fifo") {
    throw invalid(`${prefix}rateLimit`, "cannot be combined with FIFO ordering: FIFO deliveries go through QStash queues, which take no rate (one at a time already)");
  }
  if (options.orderingPartitions !== null && options.orderingKey === null) {
    throw invalid(`${prefix}orderingPartitions`, 'needs ordering: "fifo" and an orderingKey: the partitions are the queues its values are hashed into');
  }
  if (options.orderingKey !== null) checkOrderingKey(options.orderingKey, `${prefix}orderingKey`);
  if (options.retryDelay?.type === "expression") {
    const error = retryDelayExpressionError(options.retryDelay.expression);
    if (error) throw invalid(`${prefix}retryDelay.expression`, error);
  }
}

/** Read back through the schemas they were saved with: anything else reads as unset. */
export function deliveryOptionsOf(
  row: Pick<DestinationRow, "ordering" | "ordering_key" | "ordering_partitions" | "rate_limit" | "retries" | "retry_delay" | "breaker_action">,
): DeliveryOptions {
  const keyed = row.ordering === "fifo" && row.ordering_key !== null;
  return {
    ordering: row.ordering === "fifo" ? "fifo" : "none",
    orderingKey: row.ordering_key,
    orderingPartitions: keyed ? orderingPartitionsOf(row.ordering_partitions) : null,
    rateLimit: rateLimitSchema
      .nullable()
      .catch(null)
      .parse(row.rate_limit ?? null),
    retries: row.retries,
    retryDelay: retryDelaySchema
      .nullable()
      .catch(null)
      .parse(row.retry_delay ?? null),
    breakerAction: row.breaker_action === "pause" ? "pause" : "disable",
  };
}

/** A stored count outside 1..32 (none is written) reads as the default. */
function orderingPartitionsOf(stored: number | null | undefined): number {
  return typeof stored === "number" && Number.isInteger(stored) && stored >= 1 && stored <= maxOrderingPartitions ? stored : defaultOrderingPartitions;
}

/** PATCH over the stored row. The stored partitions follow the key: a PATCH that removes it drops them too. */
export function mergeDeliveryOptions(patch: Partial<DeliveryOptions>, existing: DestinationRow): DeliveryOptions {
  const stored = deliveryOptionsOf(existing);
  const pick = <K extends keyof DeliveryOptions>(key: K): DeliveryOptions[K] => (patch[key] === undefined ? stored[key] : patch[key]);
  const orderingKey = pick("orderingKey");
  return {
    ordering: pick("ordering"),
    orderingKey,
    orderingPartitions: patch.orderingPartitions !== undefined || orderingKey !== null ? pick("orderingPartitions") : null,
    rateLimit: pick("rateLimit"),
    retries: pick("retries"),
    retryDelay: pick("retryDelay"),
    breakerAction: pick("breakerAction"),
  };
}

export function deliveryOptionColumns(options: DeliveryOptions) {
  return {
    ordering: options.ordering,
    ordering_key: options.orderingKey,
    ordering_partitions: options.orderingPartitions ?? defaultOrderingPartitions,
    rate_limit: options.rateLimit ? JSON.stringify(options.rateLimit) : null,
    retries: options.retries,
    retry_delay: options.retryDelay ? JSON.stringify(options.retryDelay) : null,
    breaker_action: options.breakerAction,
  };
}

export type PausedReason = "operator" | "breaker" | "callback";

export interface HoldView {
  /** Held by its own pause or its callback's. */
  paused: boolean;
  pausedReason: PausedReason | null;
  pausedAt: string | null;
}

/** The destination's own pause wins over its callback's when both hold it. */
export function holdViewOf(row: Pick<DestinationRow, "paused" | "paused_reason" | "paused_at">, callback?: { paused: boolean; paused_at: Date | null }): HoldView {
  if (row.paused) return { paused: true, pausedReason: row.paused_reason ?? "operator", pausedAt: row.paused_at?.toISOString() ?? null };
  if (callback?.paused) return { paused: true, pausedReason: "callback", pausedAt: callback.paused_at?.toISOString() ?? null };
  return { paused: false, pausedReason: null, pausedAt: null };
}
