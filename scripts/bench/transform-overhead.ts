// The destination transform's cost (issue #15 point 6): the sandbox's cold start (loading and
// warming the QuickJS WASM module, then the first run) and, once warm, one MQTT delivery over a
// reused connection with a transform against the same delivery without one, alternated run by
// run. The transform is realistic: it reads the order, picks a topic and reshapes the payload.
// Run alone: `tsx scripts/bench/transform-overhead.ts [iterations]`.
import { isMainModule } from "../lib/cli";
import { randomUUID } from "node:crypto";
import { mqttConnectionPool, sendMqtt } from "@/lib/destinations/mqtt/send-mqtt";
import { mqttConfigSchema } from "@/lib/destinations/mqtt/config";
import { loadSandboxModule } from "@/lib/transforms/sandbox";
import { runTransform } from "@/lib/transforms/run-transform";
import { ensureTestBrokers } from "../brokers/ensure-brokers";
import { benchContext } from "./bench-context";
import { percentile, samplePair } from "./stats";
import { ms, type SummaryRow } from "./summary";

export interface TransformBench {
  iterations: number;
  coldStart: { moduleLoadMs: number; firstRunMs: number };
  /** runTransform alone, warm. */
  transformP50Ms: number;
  transformP95Ms: number;
  withTransformP50Ms: number;
  withoutTransformP50Ms: number;
}

const source = `function transform(event) {
  const order = event.body.order;
  if (!order) return null;
  return {
    topic: "orders/" + order.id + "/created",
    payload: { id: order.id, items: order.items, total: Number(order.total), at: new Date().toISOString() },
  };
}`;

const warmRuns = 500;

export async function benchTransform(options: { iterations: number }): Promise<TransformBench> {
  const stopBrokers = await ensureTestBrokers();
  const topic = `switchyard-bench/${randomUUID()}`;
  const config = mqttConfigSchema.parse({ url: "mqtt://127.0.0.1:1883", topic, qos: 1, reuseConnection: true });
  const context = () => benchContext(config, "mqtt");
  const transformOnce = () => {
    const { job } = context();
    return runTransform({ kind: "mqtt", source, eventId: job.eventId, request: job.request, vars: {} });
  };
  try {
    let started = performance.now();
    await loadSandboxModule();
    const moduleLoadMs = performance.now() - started;
    started = performance.now();
    const first = await transformOnce();
    const firstRunMs = performance.now() - started;
    if (first.status !== "message") throw new Error(`benchmark transform did not produce a message: ${JSON.stringify(first)}`);
    // "Once warm": V8 tiers the engine's hot WASM functions up over the first few hundred runs.
    for (let index = 0; index < warmRuns; index += 1) await transformOnce();
    const transformOnly: number[] = [];
    const withTransform = async () => {
      const begun = performance.now();
      const verdict = await transformOnce();
      transformOnly.push(performance.now() - begun);
      if (verdict.status !== "message") throw new Error("benchmark transform failed");
      await expectSucceeded(sendMqtt({ ...context(), transformed: verdict.message }));
    };
    const [withTimes, withoutTimes] = await samplePair(options.iterations, withTransform, () => expectSucceeded(sendMqtt(context())), 20);
    const warm = transformOnly.slice(-options.iterations).sort((a, b) => a - b);
    return {
      iterations: options.iterations,
      coldStart: { moduleLoadMs, firstRunMs },
      transformP50Ms: percentile(warm, 0.5),
      transformP95Ms: percentile(warm, 0.95),
      withTransformP50Ms: percentile(withTimes, 0.5),
      withoutTransformP50Ms: percentile(withoutTimes, 0.5),
    };
  } finally {
    await mqttConnectionPool.closeAll();
    await stopBrokers();
  }
}

async function expectSucceeded(outcome: Promise<{ result: string; error?: string }>): Promise<void> {
  const { result, error } = await outcome;
  if (result !== "succeeded") throw new Error(`benchmark delivery failed: ${error ?? result}`);
}

export function transformSummaryRows(bench: TransformBench): SummaryRow[] {
  const overhead = bench.withTransformP50Ms - bench.withoutTransformP50Ms;
  return [
    {
      metric: "transform overhead per MQTT delivery (warm, reused connection)",
      measured: `p50 ${ms(bench.withTransformP50Ms)} (sandbox alone p50 ${ms(bench.transformP50Ms)}, p95 ${ms(bench.transformP95Ms)})`,
      baseline: `no transform ${ms(bench.withoutTransformP50Ms)}`,
      comparison: `+${ms(overhead)}`,
      target: "≤ 2 ms",
      met: overhead <= 2 && bench.transformP50Ms <= 2,
    },
    {
      metric: "transform sandbox cold start (WASM module load + warm-up, then first run)",
      measured: `${ms(bench.coldStart.moduleLoadMs + bench.coldStart.firstRunMs)}`,
      baseline: `load ${ms(bench.coldStart.moduleLoadMs)} + first run ${ms(bench.coldStart.firstRunMs)}`,
      comparison: "-",
      target: "reported",
      met: null,
    },
  ];
}

if (isMainModule(import.meta.url)) {
  benchTransform({ iterations: Number(process.argv[2] ?? 200) })
    .then((bench) => {
      console.log(JSON.stringify(bench, null, 2));
      for (const row of transformSummaryRows(bench)) console.log(`${row.metric}: ${row.measured} vs ${row.baseline} (${row.comparison}, target ${row.target})`);
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    });
}
