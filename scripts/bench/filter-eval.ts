// The filter language's cost per evaluation (issue #15: "each filter costs well under a
// millisecond"): a realistic destination filter over a realistic order webhook, and a filter at
// the caps over a body whose long list runs it into the step budget, each against JSON.parse of
// the same body (work every trigger already does) as the baseline. Evaluations take microseconds,
// so each sample times a batch and divides.
import { filterLimits, parseFilter, type Filter } from "@/lib/filters/filter-schema";
import { matchFilter, type FilterSubject } from "@/lib/filters/match-filter";
import { percentile } from "./stats";
import type { SummaryRow } from "./summary";

export interface FilterEvalCase {
  name: string;
  bodyBytes: number;
  /** matched only, as the trigger route and search read it. */
  evaluationMs: number;
  /** matched and the reasons, as the filter test reads it. */
  explainedMs: number;
  jsonParseMs: number;
}

const orderBody = {
  type: "order.created",
  id: "ord_8f2a61",
  amount: 249.9,
  currency: "EUR",
  test: false,
  customer: { id: "cus_19", email: "ann@example.com", address: { country: "DE", city: "Berlin", zip: "10115" } },
  items: Array.from({ length: 12 }, (_, index) => ({ sku: `sku-${index}`, qty: 1 + (index % 3), price: 10 + index, tags: ["standard"] })),
  metadata: { channel: "web", campaign: "winter", notes: "leave at the door" },
};

const realistic = {
  method: "POST",
  headers: { "x-shop-topic": { prefix: "orders/" } },
  body: {
    type: ["order.created", "order.paid"],
    test: { "anything-but": true },
    amount: { numeric: [">", 100, "<=", 10_000] },
    customer: { address: { country: ["DE", "AT", "CH"] } },
    items: { sku: { prefix: "sku-1" }, qty: { numeric: [">=", 2] } },
    $not: { metadata: { channel: "test" } },
  },
};

/** 256 conditions, every one a miss on a 4,000-item list: the evaluation stops at its step budget. */
function atTheCaps(): { filter: unknown; body: unknown } {
  const alternatives = Array.from({ length: 63 }, (_, index) => ({ rows: { id: `row-${index}`, kind: "x" } }));
  return { filter: { body: { $or: alternatives } }, body: { rows: Array.from({ length: 4_000 }, (_, index) => ({ id: index, kind: "y" })) } };
}

function timePerCall(run: () => unknown, batch: number, batches: number): number {
  for (let index = 0; index < batch; index += 1) run();
  const samples: number[] = [];
  for (let round = 0; round < batches; round += 1) {
    const started = performance.now();
    for (let index = 0; index < batch; index += 1) run();
    samples.push((performance.now() - started) / batch);
  }
  return percentile(
    samples.sort((a, b) => a - b),
    0.5,
  );
}

function measure(name: string, filter: Filter, body: unknown, batch: number, quick: boolean): FilterEvalCase {
  const text = JSON.stringify(body);
  const subject: FilterSubject = { method: "POST", path: "/hooks/shop", query: {}, headers: { "X-Shop-Topic": "orders/create" }, body };
  const batches = quick ? 20 : 100;
  return {
    name,
    bodyBytes: Buffer.byteLength(text),
    evaluationMs: timePerCall(() => matchFilter(filter, subject).matched, batch, batches),
    explainedMs: timePerCall(() => matchFilter(filter, subject).reasons, batch, batches),
    jsonParseMs: timePerCall(() => JSON.parse(text) as unknown, batch, batches),
  };
}

export function benchFilterEval(options: { quick: boolean }): FilterEvalCase[] {
  const caps = atTheCaps();
  return [
    measure("realistic destination filter (7 conditions, $not, a list of items)", parseFilter(realistic), orderBody, 2_000, options.quick),
    measure(`filter at the caps (${filterLimits.maxConditions} conditions, a 4,000-item list)`, parseFilter(caps.filter), caps.body, 50, options.quick),
  ];
}

const us = (valueMs: number) => `${(valueMs * 1000).toFixed(1)} µs`;

export function filterEvalSummaryRows(cases: readonly FilterEvalCase[]): SummaryRow[] {
  return cases.map((item) => ({
    metric: `matchFilter, ${item.name}, ${item.bodyBytes.toLocaleString("en")} B body`,
    measured: `p50 ${us(item.evaluationMs)} (with reasons ${us(item.explainedMs)})`,
    baseline: `JSON.parse of the body ${us(item.jsonParseMs)}`,
    comparison: `${(item.evaluationMs / item.jsonParseMs).toFixed(2)}×`,
    target: "well under 1 ms",
    met: item.evaluationMs < 1,
  }));
}
