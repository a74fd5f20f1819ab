import { describe, expect, it } from "vitest";
import {
  describeRetrySchedule,
  effectiveRetries,
  formatDelaySeconds,
  pacingPayload,
  pacingSlotFor,
  previewRetrySchedule,
  readRetryDelay,
  toPacingText,
  type PacingText,
} from "@/lib/ui/pacing-form";

const blank = toPacingText(undefined);
const edited = (patch: Partial<PacingText>): PacingText => ({ ...blank, ...patch });

describe("the destination form's hold, order and pace fields as text", () => {
  it("shows a stored destination's options as the form's text, and none as the defaults", () => {
    expect(blank).toEqual({
      ordering: "none",
      orderingKey: "",
      orderingPartitions: "",
      rateCount: "",
      ratePeriodSeconds: "",
      retries: "",
      delayType: "",
      baseSeconds: "",
      capSeconds: "",
      expression: "",
      breakerAction: "disable",
    });
    expect(
      toPacingText({
        ordering: "fifo",
        orderingKey: "{body.customerId}",
        orderingPartitions: 8,
        rateLimit: null,
        retries: 0,
        retryDelay: { type: "exponential", baseSeconds: 2, capSeconds: 60 },
        breakerAction: "pause",
      }),
    ).toEqual({
      ...blank,
      ordering: "fifo",
      orderingKey: "{body.customerId}",
      orderingPartitions: "8",
      retries: "0",
      delayType: "exponential",
      baseSeconds: "2",
      capSeconds: "60",
      breakerAction: "pause",
    });
    expect(toPacingText({ rateLimit: { count: 5, periodSeconds: 1 }, retryDelay: { type: "expression", expression: "1000 * pow(2, retried)" } })).toMatchObject({
      rateCount: "5",
      ratePeriodSeconds: "1",
      delayType: "expression",
      expression: "1000 * pow(2, retried)",
    });
  });

  it("leaves defaults out when creating, and sends every field when editing so clearing one removes it (null)", () => {
    expect(pacingPayload(blank, "create")).toEqual({ ok: true, body: {} });
    expect(pacingPayload(blank, "edit")).toEqual({
      ok: true,
      body: { ordering: "none", orderingKey: null, orderingPartitions: null, rateLimit: null, retries: null, retryDelay: null, breakerAction: "disable" },
    });
    expect(pacingPayload(edited({ rateCount: "5", ratePeriodSeconds: " 1 ", retries: "3", delayType: "fixed", baseSeconds: "2", breakerAction: "pause" }), "create")).toEqual({
      ok: true,
      body: { rateLimit: { count: 5, periodSeconds: 1 }, retries: 3, retryDelay: { type: "fixed", baseSeconds: 2 }, breakerAction: "pause" },
    });
  });

  it("sends the ordering key only with FIFO, and clears a rate with FIFO (QStash queues take no rate)", () => {
    expect(pacingPayload(edited({ ordering: "fifo", orderingKey: " {body.customerId} ", rateCount: "5", ratePeriodSeconds: "1" }), "edit")).toMatchObject({
      ok: true,
      body: { ordering: "fifo", orderingKey: "{body.customerId}", rateLimit: null },
    });
    expect(pacingPayload(edited({ ordering: "none", orderingKey: "{body.customerId}" }), "edit")).toMatchObject({ ok: true, body: { ordering: "none", orderingKey: null } });
    expect(pacingPayload(edited({ ordering: "fifo", orderingKey: "  " }), "create")).toEqual({ ok: true, body: { ordering: "fifo" } });
  });

  it("sends the key's partitions only with a key: blank is the default, and no key drops what was typed", () => {
    const keyed = edited({ ordering: "fifo", orderingKey: "{body.customerId}" });
    expect(pacingPayload({ ...keyed, orderingPartitions: " 8 " }, "create")).toEqual({ ok: true, body: { ordering: "fifo", orderingKey: "{body.customerId}", orderingPartitions: 8 } });
    expect(pacingPayload(keyed, "create")).toEqual({ ok: true, body: { ordering: "fifo", orderingKey: "{body.customerId}" } });
    expect(pacingPayload(keyed, "edit")).toMatchObject({ ok: true, body: { orderingPartitions: null } });
    expect(pacingPayload({ ...keyed, orderingKey: "", orderingPartitions: "8" }, "edit")).toMatchObject({ ok: true, body: { orderingKey: null, orderingPartitions: null } });
    expect(pacingPayload({ ...keyed, orderingPartitions: "four" }, "edit")).toMatchObject({ ok: false, error: { field: "orderingPartitions" } });
  });

  it("refuses half a rate and text that is not a number before sending, naming the field as the API does", () => {
    expect(pacingPayload(edited({ rateCount: "5" }), "create")).toMatchObject({ ok: false, error: { field: "rateLimit.periodSeconds" } });
    expect(pacingPayload(edited({ ratePeriodSeconds: "60" }), "create")).toMatchObject({ ok: false, error: { field: "rateLimit.count" } });
    expect(pacingPayload(edited({ retries: "three" }), "edit")).toMatchObject({ ok: false, error: { field: "retries", message: "retries: must be a number" } });
    // Ranges and whole numbers are the API's to check: its 422 names the field.
    expect(pacingPayload(edited({ retries: "99" }), "edit")).toMatchObject({ ok: true, body: { retries: 99 } });
  });

  it("reads the retry schedule: a preset with base and cap (fixed has no cap), an expression, or QStash's default", () => {
    expect(readRetryDelay(blank)).toEqual({ ok: true, value: null });
    expect(readRetryDelay(edited({ delayType: "exponential", baseSeconds: "2", capSeconds: "60" }))).toEqual({ ok: true, value: { type: "exponential", baseSeconds: 2, capSeconds: 60 } });
    expect(readRetryDelay(edited({ delayType: "linear", baseSeconds: "1.5", capSeconds: "" }))).toEqual({ ok: true, value: { type: "linear", baseSeconds: 1.5 } });
    expect(readRetryDelay(edited({ delayType: "fixed", baseSeconds: "2", capSeconds: "60" }))).toEqual({ ok: true, value: { type: "fixed", baseSeconds: 2 } });
    expect(readRetryDelay(edited({ delayType: "expression", expression: " 1000 * (1 + retried) " }))).toEqual({
      ok: true,
      value: { type: "expression", expression: "1000 * (1 + retried)" },
    });
    expect(readRetryDelay(edited({ delayType: "exponential", baseSeconds: "" }))).toMatchObject({ ok: false, error: { field: "retryDelay.baseSeconds" } });
    expect(readRetryDelay(edited({ delayType: "linear", baseSeconds: "1", capSeconds: "x" }))).toMatchObject({ ok: false, error: { field: "retryDelay.capSeconds" } });
    expect(readRetryDelay(edited({ delayType: "expression", expression: "" }))).toMatchObject({ ok: false, error: { field: "retryDelay.expression" } });
  });
});

describe("where the form shows an error on a pacing field", () => {
  it("under the control the API's 422 names, or its group when that control is not shown", () => {
    expect(pacingSlotFor("rateLimit.count", blank)).toBe("rateLimit.count");
    expect(pacingSlotFor("rateLimit", edited({ ordering: "fifo" }))).toBe("rateLimit");
    expect(pacingSlotFor("rateLimit.count", edited({ ordering: "fifo" }))).toBe("rateLimit");
    expect(pacingSlotFor("orderingKey", edited({ ordering: "fifo" }))).toBe("orderingKey");
    expect(pacingSlotFor("orderingKey", blank)).toBe("ordering");
    expect(pacingSlotFor("orderingPartitions", edited({ ordering: "fifo", orderingKey: "{body.id}" }))).toBe("orderingPartitions");
    expect(pacingSlotFor("orderingPartitions", edited({ ordering: "fifo" }))).toBe("orderingKey");
    expect(pacingSlotFor("orderingPartitions", blank)).toBe("ordering");
    expect(pacingSlotFor("retryDelay.expression", edited({ delayType: "expression" }))).toBe("retryDelay.expression");
    expect(pacingSlotFor("retryDelay.capSeconds", edited({ delayType: "linear" }))).toBe("retryDelay.capSeconds");
    expect(pacingSlotFor("retryDelay.capSeconds", edited({ delayType: "fixed" }))).toBe("retryDelay");
    expect(pacingSlotFor("retryDelay.type", edited({ delayType: "fixed" }))).toBe("retryDelay");
    expect(pacingSlotFor("retries", blank)).toBe("retries");
    expect(pacingSlotFor("breakerAction", blank)).toBe("breakerAction");
  });

  it("leaves other fields to the rest of the form", () => {
    expect(pacingSlotFor("retriesx", blank)).toBeUndefined();
    expect(pacingSlotFor("config.url", blank)).toBeUndefined();
    expect(pacingSlotFor("maxConcurrency", blank)).toBeUndefined();
    expect(pacingSlotFor(undefined, blank)).toBeUndefined();
  });
});

describe("the retry schedule's preview", () => {
  it("formats delays in the two largest units", () => {
    expect(formatDelaySeconds(0.25)).toBe("0.3 s");
    expect(formatDelaySeconds(2)).toBe("2 s");
    expect(formatDelaySeconds(12.18)).toBe("12 s");
    expect(formatDelaySeconds(90)).toBe("1 min 30 s");
    expect(formatDelaySeconds(148.4)).toBe("2 min 28 s");
    expect(formatDelaySeconds(3600)).toBe("1 h");
    expect(formatDelaySeconds(22_026.5)).toBe("6 h 7 min");
    expect(formatDelaySeconds(86_400)).toBe("1 d");
  });

  it("lists the delay before each retry and their sum", () => {
    expect(describeRetrySchedule([2, 4, 8])).toEqual({ steps: ["retry 1 after 2 s", "retry 2 after 4 s", "retry 3 after 8 s"], total: "total ≈ 14 s" });
    expect(describeRetrySchedule([])).toEqual({ steps: [], total: "no retries: a failed attempt is final" });
  });

  it("uses the destination's retries when set, else the callback's", () => {
    expect(effectiveRetries(blank, 5)).toBe(5);
    expect(effectiveRetries(edited({ retries: "0" }), 5)).toBe(0);
    expect(effectiveRetries(edited({ retries: "2" }), 5)).toBe(2);
    expect(effectiveRetries(edited({ retries: "2.5" }), 5)).toBe(5);
  });

  it("previews each preset as QStash evaluates its expression (retried = 0 before the first retry)", () => {
    expect(previewRetrySchedule(edited({ retries: "4", delayType: "exponential", baseSeconds: "2", capSeconds: "10" }), 5)).toEqual({
      ok: true,
      retries: 4,
      steps: ["retry 1 after 2 s", "retry 2 after 4 s", "retry 3 after 8 s", "retry 4 after 10 s"],
      total: "total ≈ 24 s",
    });
    expect(previewRetrySchedule(edited({ delayType: "linear", baseSeconds: "3" }), 3)).toMatchObject({
      ok: true,
      steps: ["retry 1 after 3 s", "retry 2 after 6 s", "retry 3 after 9 s"],
      total: "total ≈ 18 s",
    });
    expect(previewRetrySchedule(edited({ delayType: "fixed", baseSeconds: "2" }), 2)).toMatchObject({ ok: true, steps: ["retry 1 after 2 s", "retry 2 after 2 s"], total: "total ≈ 4 s" });
    expect(previewRetrySchedule(edited({ delayType: "expression", expression: "max(1000, pow(2, retried) * 100)" }), 2)).toMatchObject({
      ok: true,
      steps: ["retry 1 after 1 s", "retry 2 after 1 s"],
    });
  });

  it("previews QStash's default backoff when no schedule is set (12 s, 2 min 28 s, … as retry.mdx lists)", () => {
    expect(previewRetrySchedule(blank, 3)).toMatchObject({ ok: true, retries: 3, steps: ["retry 1 after 12 s", "retry 2 after 2 min 28 s", "retry 3 after 30 min 8 s"] });
  });

  it("says why there is no preview: a blank base, an expression QStash would refuse", () => {
    expect(previewRetrySchedule(edited({ delayType: "fixed" }), 3)).toMatchObject({ ok: false, message: expect.stringContaining("retryDelay.baseSeconds") });
    const unparsed = previewRetrySchedule(edited({ delayType: "expression", expression: "1000 * nope(retried)" }), 3);
    expect(unparsed.ok).toBe(false);
    if (!unparsed.ok) expect(unparsed.message).toMatch(/^retryDelay\.expression: .*nope/);
  });
});
