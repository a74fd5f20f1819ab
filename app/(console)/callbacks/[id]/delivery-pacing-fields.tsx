"use client";
// The destination form's "Hold, order and pace" group: ordering (and its key and the key's
// partitions with FIFO), rate, retries, the retry schedule with its preview, and what the
// circuit breaker does. The API's 422 shows under the control it names (rateLimit.count,
// retryDelay.expression, …).
import type { InputHTMLAttributes, ReactNode } from "react";
import { pacingSlotFor, retryDelayTypes, type PacingSlot, type PacingText } from "@/lib/ui/pacing-form";
import { messageFor } from "@/lib/ui/form-values";
import type { ApiError } from "@/app/_ui/api-client";
import { RetrySchedulePreview } from "@/app/(console)/callbacks/[id]/retry-schedule-preview";

interface Props {
  idPrefix: string;
  value: PacingText;
  onChange: (next: PacingText) => void;
  error: ApiError | null;
  /** The callback's retries, which apply while the destination does not override them. */
  callbackRetries: number;
}

/** The text fields of PacingText: each is one input. */
type TextKey = "orderingKey" | "orderingPartitions" | "rateCount" | "ratePeriodSeconds" | "retries" | "baseSeconds" | "capSeconds" | "expression";

/** Counts are whole numbers; delays in seconds may be fractional. */
const numeric = (min: number, placeholder?: string, step: 1 | "any" = 1): InputHTMLAttributes<HTMLInputElement> => ({
  type: "number",
  min,
  step,
  inputMode: step === 1 ? "numeric" : "decimal",
  placeholder,
});
const monospace = (placeholder: string): InputHTMLAttributes<HTMLInputElement> => ({ type: "text", className: "mono", spellCheck: false, placeholder });

const delayLabels: Record<(typeof retryDelayTypes)[number], string> = {
  exponential: "exponential (base, 2×, 4×, 8× … up to the cap)",
  linear: "linear (base, 2×, 3×, 4× … up to the cap)",
  fixed: "fixed (the base every time)",
  expression: "QStash expression (milliseconds)",
};

export function DeliveryPacingFields({ idPrefix, value, onChange, error, callbackRetries }: Props) {
  const slot = pacingSlotFor(error?.field, value);
  const set = (patch: Partial<PacingText>) => onChange({ ...value, ...patch });
  const id = (name: string) => `${idPrefix}-${name}`;
  const errorAt = (name: PacingSlot) =>
    slot === name && error ? (
      <p className="field-error" id={`${id(name.replace(".", "-"))}-error`} role="alert">
        {messageFor(error.field ?? name, error.message)}
      </p>
    ) : null;
  const input = (key: TextKey, control: PacingSlot, attributes: InputHTMLAttributes<HTMLInputElement>) => {
    const controlId = id(control.replace(".", "-"));
    const failed = slot === control;
    return (
      <input
        id={controlId}
        autoComplete="off"
        {...attributes}
        aria-invalid={failed ? true : undefined}
        aria-describedby={failed ? `${controlId}-error` : undefined}
        value={value[key]}
        onChange={(event) => set({ [key]: event.target.value })}
      />
    );
  };
  /** A labelled text input with its hint and the 422 that names it. */
  const textRow = (key: TextKey, control: PacingSlot, label: string, attributes: InputHTMLAttributes<HTMLInputElement>, hint?: string) => (
    <Row id={id(control.replace(".", "-"))} label={label} hint={hint}>
      {input(key, control, attributes)}
      {errorAt(control)}
    </Row>
  );
  const fifo = value.ordering === "fifo";
  const preset = value.delayType !== "" && value.delayType !== "expression";
  return (
    <fieldset className="group pacing" data-testid="pacing-fields">
      <legend>Hold, order and pace</legend>
      <Row id={id("ordering")} label="Ordering" hint="FIFO sends one delivery at a time, in the order triggers were accepted; a failing head holds the rest until it succeeds or dies.">
        <select id={id("ordering")} value={value.ordering} onChange={(event) => set({ ordering: event.target.value === "fifo" ? "fifo" : "none" })}>
          <option value="none">none (in parallel, up to the max in flight)</option>
          <option value="fifo">FIFO (one at a time, in order)</option>
        </select>
        {errorAt("ordering")}
      </Row>
      {fifo
        ? textRow(
            "orderingKey",
            "orderingKey",
            "Ordering key",
            monospace("{body.customerId}"),
            "Optional template, e.g. {body.customerId}: order is kept per key. A key that renders empty or fails uses the destination-wide order.",
          )
        : null}
      {fifo && value.orderingKey.trim() !== ""
        ? textRow(
            "orderingPartitions",
            "orderingPartitions",
            "Key partitions",
            numeric(1, "4"),
            "1 to 32 QStash queues the key's values are hashed into (empty: 4). A key keeps its order; keys sharing a partition wait for each other.",
          )
        : null}
      {fifo ? (
        <div className="field">
          <p className="hint">A rate does not apply to FIFO: its QStash queues take no rate, and one delivery runs at a time.</p>
          {errorAt("rateLimit")}
        </div>
      ) : (
        <Row id={id("rateLimit-count")} label="Rate limit (deliveries per period)" hint="At most this many deliveries start per period, besides the max in flight. Both empty: no rate.">
          <div className="inline-fields">
            {input("rateCount", "rateLimit.count", numeric(1, "count"))}
            <label htmlFor={id("rateLimit-periodSeconds")}>per</label>
            {input("ratePeriodSeconds", "rateLimit.periodSeconds", { ...numeric(1, "seconds"), "aria-label": "Rate period (seconds)" })}
            <span>s</span>
          </div>
          {errorAt("rateLimit")}
          {errorAt("rateLimit.count")}
          {errorAt("rateLimit.periodSeconds")}
        </Row>
      )}
      {textRow("retries", "retries", "Retries", numeric(0, String(callbackRetries)), `Overrides the callback's retries (${callbackRetries}) for this destination. Empty: the callback's.`)}
      <Row id={id("retryDelay")} label="Retry schedule" hint="The delay before each retry, sent to QStash as Upstash-Retry-Delay.">
        <select id={id("retryDelay")} value={value.delayType} onChange={(event) => set({ delayType: retryDelayTypes.find((type) => type === event.target.value) ?? "" })}>
          <option value="">QStash default backoff</option>
          {retryDelayTypes.map((type) => (
            <option key={type} value={type}>
              {delayLabels[type]}
            </option>
          ))}
        </select>
        {errorAt("retryDelay")}
      </Row>
      {preset ? textRow("baseSeconds", "retryDelay.baseSeconds", "Base delay (seconds)", numeric(0, undefined, "any")) : null}
      {value.delayType === "exponential" || value.delayType === "linear"
        ? textRow("capSeconds", "retryDelay.capSeconds", "Cap (seconds)", numeric(0, undefined, "any"), "No delay is longer than this. Empty: no cap.")
        : null}
      {value.delayType === "expression"
        ? textRow(
            "expression",
            "retryDelay.expression",
            "Delay expression (ms)",
            monospace("1000 * pow(2, retried)"),
            "Milliseconds, checked when saved. The variable retried counts the retries so far (0 before the first); functions: pow, sqrt, abs, exp, floor, ceil, round, min, max.",
          )
        : null}
      <RetrySchedulePreview pacing={value} callbackRetries={callbackRetries} />
      <Row id={id("breakerAction")} label="When the circuit breaker trips" hint="Pause holds the backlog in QStash until someone resumes; disable skips new triggers.">
        <select id={id("breakerAction")} value={value.breakerAction} onChange={(event) => set({ breakerAction: event.target.value === "pause" ? "pause" : "disable" })}>
          <option value="disable">disable the destination (skip)</option>
          <option value="pause">pause the destination (hold)</option>
        </select>
        {errorAt("breakerAction")}
      </Row>
    </fieldset>
  );
}

function Row({ id, label, hint, children }: { id: string; label: string; hint?: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? <p className="hint">{hint}</p> : null}
    </div>
  );
}
