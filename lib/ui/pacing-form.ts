// The destination form's hold, order and pace fields as text: ordering (+ orderingKey with
// FIFO, and orderingPartitions with a key), rate limit, retries override, retry schedule (a
// preset or a QStash expression) and the breaker's action. What a stored destination shows as, what the edited text sends (create
// leaves defaults out, edit sends null to remove), which control shows an API error, and the
// retry preview's wording. Pure: the form, its preview and unit tests share it.
import { retryDelayExpressionError, retryDelaysPreview, type RetryDelay } from "@/lib/destinations/lanes/retry-schedule";

export const pacingFields = ["ordering", "orderingKey", "orderingPartitions", "rateLimit", "retries", "retryDelay", "breakerAction"] as const;

export const retryDelayTypes = ["exponential", "linear", "fixed", "expression"] as const;
type DelayChoice = "" | (typeof retryDelayTypes)[number];

export interface PacingText {
  ordering: "none" | "fifo";
  orderingKey: string;
  /** "": the default count. */
  orderingPartitions: string;
  rateCount: string;
  ratePeriodSeconds: string;
  retries: string;
  /** "": QStash's default backoff. */
  delayType: DelayChoice;
  baseSeconds: string;
  capSeconds: string;
  expression: string;
  breakerAction: "disable" | "pause";
}

export interface PacingInputError {
  code: "invalid";
  field: string;
  message: string;
}

type Read<T> = { ok: true; value: T } | { ok: false; error: PacingInputError };

const text = (value: unknown) => (typeof value === "string" || typeof value === "number" ? String(value) : "");
const record = (value: unknown) => (typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {});

export function toPacingText(destination: Record<string, unknown> | undefined): PacingText {
  const rate = record(destination?.rateLimit);
  const delay = record(destination?.retryDelay);
  const type = retryDelayTypes.find((item) => item === delay.type) ?? "";
  return {
    ordering: destination?.ordering === "fifo" ? "fifo" : "none",
    orderingKey: text(destination?.orderingKey),
    orderingPartitions: text(destination?.orderingPartitions),
    rateCount: text(rate.count),
    ratePeriodSeconds: text(rate.periodSeconds),
    retries: text(destination?.retries),
    delayType: type,
    baseSeconds: text(delay.baseSeconds),
    capSeconds: text(delay.capSeconds),
    expression: text(delay.expression),
    breakerAction: destination?.breakerAction === "pause" ? "pause" : "disable",
  };
}

/** A number field: undefined when blank; anything else the API checks (ranges, whole numbers). */
function readNumber(value: string, field: string): Read<number | undefined> {
  const trimmed = value.trim();
  if (trimmed === "") return { ok: true, value: undefined };
  const number = Number(trimmed);
  if (!Number.isFinite(number)) return { ok: false, error: { code: "invalid", field, message: `${field}: must be a number` } };
  return { ok: true, value: number };
}

/** The retry schedule as the API takes it; null: QStash's default backoff. */
export function readRetryDelay(pacing: PacingText): Read<RetryDelay | null> {
  if (pacing.delayType === "") return { ok: true, value: null };
  if (pacing.delayType === "expression") {
    const expression = pacing.expression.trim();
    if (expression === "")
      return { ok: false, error: { code: "invalid", field: "retryDelay.expression", message: "retryDelay.expression: enter an expression, e.g. 1000 * pow(2, retried)" } };
    return { ok: true, value: { type: "expression", expression } };
  }
  const base = readNumber(pacing.baseSeconds, "retryDelay.baseSeconds");
  if (!base.ok) return base;
  if (base.value === undefined) return { ok: false, error: { code: "invalid", field: "retryDelay.baseSeconds", message: "retryDelay.baseSeconds: enter the base delay in seconds" } };
  if (pacing.delayType === "fixed") return { ok: true, value: { type: "fixed", baseSeconds: base.value } };
  const cap = readNumber(pacing.capSeconds, "retryDelay.capSeconds");
  if (!cap.ok) return cap;
  return { ok: true, value: { type: pacing.delayType, baseSeconds: base.value, ...(cap.value === undefined ? {} : { capSeconds: cap.value }) } };
}

function readRateLimit(pacing: PacingText): Read<{ count: number; periodSeconds: number } | null> {
  // FIFO goes through QStash queues, which take no rate: the form hides the fields and clears it.
  if (pacing.ordering === "fifo") return { ok: true, value: null };
  const count = readNumber(pacing.rateCount, "rateLimit.count");
  if (!count.ok) return count;
  const period = readNumber(pacing.ratePeriodSeconds, "rateLimit.periodSeconds");
  if (!period.ok) return period;
  if (count.value === undefined && period.value === undefined) return { ok: true, value: null };
  if (count.value === undefined) return { ok: false, error: { code: "invalid", field: "rateLimit.count", message: "rateLimit.count: enter how many deliveries per period" } };
  if (period.value === undefined) return { ok: false, error: { code: "invalid", field: "rateLimit.periodSeconds", message: "rateLimit.periodSeconds: enter the period in seconds" } };
  return { ok: true, value: { count: count.value, periodSeconds: period.value } };
}

/** The pacing part of a create or PATCH body: create leaves out what is default, edit sends every field (null removes). */
export function pacingPayload(pacing: PacingText, mode: "create" | "edit"): { ok: true; body: Record<string, unknown> } | { ok: false; error: PacingInputError } {
  const rateLimit = readRateLimit(pacing);
  if (!rateLimit.ok) return rateLimit;
  const retries = readNumber(pacing.retries, "retries");
  if (!retries.ok) return retries;
  const retryDelay = readRetryDelay(pacing);
  if (!retryDelay.ok) return retryDelay;
  const orderingKey = pacing.ordering === "fifo" && pacing.orderingKey.trim() !== "" ? pacing.orderingKey.trim() : null;
  // The partitions go with a key only: without one the form hides the field and sends null.
  const partitions = orderingKey === null ? { ok: true as const, value: undefined } : readNumber(pacing.orderingPartitions, "orderingPartitions");
  if (!partitions.ok) return partitions;
  const body: Record<string, unknown> = {
    ordering: pacing.ordering,
    orderingKey,
    orderingPartitions: partitions.value ?? null,
    rateLimit: rateLimit.value,
    retries: retries.value ?? null,
    retryDelay: retryDelay.value,
    breakerAction: pacing.breakerAction,
  };
  if (mode === "edit") return { ok: true, body };
  const defaults: Record<string, unknown> = { ordering: "none", orderingKey: null, orderingPartitions: null, rateLimit: null, retries: null, retryDelay: null, breakerAction: "disable" };
  return { ok: true, body: Object.fromEntries(Object.entries(body).filter(([key, value]) => value !== defaults[key])) };
}

/** The controls that show an error under themselves; other pacing paths fall back to their group. */
const pacingSlots = [
  "ordering",
  "orderingKey",
  "orderingPartitions",
  "rateLimit",
  "rateLimit.count",
  "rateLimit.periodSeconds",
  "retries",
  "retryDelay",
  "retryDelay.baseSeconds",
  "retryDelay.capSeconds",
  "retryDelay.expression",
  "breakerAction",
] as const;
export type PacingSlot = (typeof pacingSlots)[number];

/** Which pacing control shows an error naming `field` (as shown now), or undefined when it is not a pacing field. */
export function pacingSlotFor(field: string | undefined, pacing: PacingText): PacingSlot | undefined {
  const group = pacingFields.find((name) => field === name || Boolean(field?.startsWith(`${name}.`)));
  if (!group || !field) return undefined;
  if ((group === "orderingKey" || group === "orderingPartitions") && pacing.ordering !== "fifo") return "ordering";
  if (group === "orderingPartitions" && pacing.orderingKey.trim() === "") return "orderingKey";
  if (group === "rateLimit" && pacing.ordering === "fifo") return "rateLimit";
  const exact = pacingSlots.find((slot) => slot === field);
  if (!exact) return group;
  const hidden =
    (exact === "retryDelay.baseSeconds" && (pacing.delayType === "" || pacing.delayType === "expression")) ||
    (exact === "retryDelay.capSeconds" && pacing.delayType !== "exponential" && pacing.delayType !== "linear") ||
    (exact === "retryDelay.expression" && pacing.delayType !== "expression");
  return hidden ? group : exact;
}

const delayUnits: ReadonlyArray<readonly [string, number]> = [
  ["d", 86_400],
  ["h", 3_600],
  ["min", 60],
  ["s", 1],
];

/** "2 s", "0.5 s", "1 min 30 s", "2 h 5 min", "1 d 3 h": the two largest units, rounded down. */
export function formatDelaySeconds(seconds: number): string {
  if (seconds < 9.95) return `${Number(seconds.toFixed(1))} s`;
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  const first = delayUnits.findIndex(([, size]) => whole >= size);
  const [bigUnit, bigSize] = delayUnits[first] ?? ["s", 1];
  const [smallUnit, smallSize] = delayUnits[first + 1] ?? ["s", 1];
  const small = Math.floor((whole % bigSize) / smallSize);
  return `${Math.floor(whole / bigSize)} ${bigUnit}${small > 0 ? ` ${small} ${smallUnit}` : ""}`;
}

/** The preview's lines: "retry 1 after 2 s" for each retry, then "total ≈ 14 s" (time waited between attempts). */
export function describeRetrySchedule(delaysSeconds: readonly number[]): { steps: string[]; total: string } {
  if (delaysSeconds.length === 0) return { steps: [], total: "no retries: a failed attempt is final" };
  const total = delaysSeconds.reduce((sum, delay) => sum + delay, 0);
  return { steps: delaysSeconds.map((delay, index) => `retry ${index + 1} after ${formatDelaySeconds(delay)}`), total: `total ≈ ${formatDelaySeconds(total)}` };
}

/** The retries the schedule covers: the destination's override, else its callback's. */
export function effectiveRetries(pacing: PacingText, callbackRetries: number): number {
  const own = Number(pacing.retries.trim());
  return pacing.retries.trim() !== "" && Number.isInteger(own) && own >= 0 ? own : callbackRetries;
}

export type RetryPreview = { ok: true; retries: number; steps: string[]; total: string } | { ok: false; message: string };

/** What the schedule as edited produces, or why it cannot be previewed yet (a blank base, an expression that does not parse). */
export function previewRetrySchedule(pacing: PacingText, callbackRetries: number): RetryPreview {
  const delay = readRetryDelay(pacing);
  if (!delay.ok) return { ok: false, message: delay.error.message };
  const unparsed = delay.value?.type === "expression" ? retryDelayExpressionError(delay.value.expression) : undefined;
  if (unparsed) return { ok: false, message: `retryDelay.expression: ${unparsed}` };
  const retries = effectiveRetries(pacing, callbackRetries);
  return { ok: true, retries, ...describeRetrySchedule(retryDelaysPreview(delay.value, retries)) };
}
