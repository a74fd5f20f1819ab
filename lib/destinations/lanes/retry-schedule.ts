// A destination's retry delay: a preset (fixed, linear, exponential; base and cap in seconds) or a
// QStash delay expression. Presets compile to the expression QStash evaluates (milliseconds, with
// `retried` = 0 before the first retry), sent as `Upstash-Retry-Delay`. Pure: the destination
// form imports it to preview the delays.
import { z } from "zod";
import { parseRetryDelayExpression } from "@/lib/qstash/retry-delay-expression";

/** QStash caps each retry delay at one day. */
const maxRetryDelaySeconds = 86_400;

const seconds = z.number().positive().max(maxRetryDelaySeconds);
const preset = <T extends "fixed" | "linear" | "exponential">(type: T) => z.object({ type: z.literal(type), baseSeconds: seconds, capSeconds: seconds.optional() }).strict();

export const retryDelaySchema = z
  .discriminatedUnion(
    "type",
    [preset("fixed"), preset("linear"), preset("exponential"), z.object({ type: z.literal("expression"), expression: z.string().trim().min(1).max(256) }).strict()],
    {
      error: () => "type must be one of fixed, linear, exponential, expression",
    },
  )
  .refine((value) => value.type === "expression" || value.capSeconds === undefined || value.capSeconds >= value.baseSeconds, {
    message: "capSeconds must be at least baseSeconds",
    path: ["capSeconds"],
  });

export type RetryDelay = z.infer<typeof retryDelaySchema>;

const ms = (value: number) => String(Math.round(value * 1000));

/** The `Upstash-Retry-Delay` expression; undefined leaves QStash's default backoff. */
export function compileRetryDelay(retryDelay: RetryDelay | null | undefined): string | undefined {
  if (!retryDelay) return undefined;
  if (retryDelay.type === "expression") return retryDelay.expression;
  const base = ms(retryDelay.baseSeconds);
  const cap = ms(retryDelay.capSeconds ?? maxRetryDelaySeconds);
  if (retryDelay.type === "fixed") return retryDelay.capSeconds === undefined ? base : `min(${cap}, ${base})`;
  if (retryDelay.type === "linear") return `min(${cap}, ${base} * (1 + retried))`;
  return `min(${cap}, ${base} * pow(2, retried))`;
}

/** The message for a delay expression QStash would refuse, or undefined when it parses. */
export function retryDelayExpressionError(expression: string): string | undefined {
  const parsed = parseRetryDelayExpression(expression);
  return parsed.ok ? undefined : parsed.message;
}

/** QStash's default backoff before retry n (1-based): min(1 day, e^(2.5n)) seconds. */
const defaultBackoffSeconds = (n: number) => Math.min(maxRetryDelaySeconds, Math.exp(2.5 * n));

/**
 * Seconds QStash waits before each of `retries` retries (a receiver's Retry-After aside); empty
 * when the expression does not parse.
 */
export function retryDelaysPreview(retryDelay: RetryDelay | null | undefined, retries: number): number[] {
  const count = Math.max(0, Math.min(Math.floor(retries), 100));
  const retriedValues = Array.from({ length: count }, (_, index) => index);
  const expression = compileRetryDelay(retryDelay);
  if (expression === undefined) return retriedValues.map((retried) => Math.round(defaultBackoffSeconds(retried + 1)));
  const parsed = parseRetryDelayExpression(expression);
  if (!parsed.ok) return [];
  return retriedValues.map((retried) => Math.max(0, parsed.evaluate(retried)) / 1000);
}
