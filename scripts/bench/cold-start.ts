// Cold start (issue #18): from spawning a fresh `next start` to its first answered trigger, its
// first answered delivery (a signed MQTT job POSTed as QStash would), and — the baseline — its
// first answered call of the minimal route making the trigger's Redis and QStash calls. Each
// sample is a new process; the three alternate. Also the files each hot route ships.
import { v7 } from "uuid";
import { stopChild } from "../lib/child-process";
import { spawnNextStart, type NextServer } from "../lib/next-server";
import { freePort } from "../lib/net-tools";
import { signLikeQstash } from "../qstash/signing";
import { devCredentials } from "../qstash/server";
import { isHotRoute, readRouteTraces, type RouteTrace } from "./route-traces";
import { percentile } from "./stats";
import { ms, type SummaryRow } from "./summary";
import { jobFor } from "./delivery-path";
import { createBenchCallback } from "./bench-callback";

const mosquitto = "mqtt://127.0.0.1:1883";

/** One request against the fresh server: true once it got the answer that counts. */
type FirstCall = (url: string) => Promise<boolean>;

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<number> {
  const response = await fetch(url, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
  await response.arrayBuffer();
  return response.status;
}

/** Milliseconds from spawn to the first call answered as expected; refused connections are retried. */
async function timeColdStart(env: Record<string, string>, firstCall: FirstCall): Promise<number> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawnNextStart(env, port, url);
  let output = "";
  child.stderr?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000)));
  child.stdout?.resume();
  try {
    while (performance.now() - started < 30_000) {
      if (child.exitCode !== null) throw new Error(`next start exited early: ${output}`);
      const answered = await firstCall(url).catch((error: unknown) => {
        // Not listening yet; anything else is a real failure.
        if (error instanceof TypeError && String((error as { cause?: { code?: string } }).cause?.code) === "ECONNREFUSED") return false;
        throw error;
      });
      if (answered) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`no answer within 30 s: ${output}`);
  } finally {
    await stopChild(child);
  }
}

async function createMqttCallback(app: NextServer, adminToken: string): Promise<{ token: string; callbackId: string; destinationId: string }> {
  const body = await createBenchCallback(app, adminToken, {
    name: "bench-cold",
    destinations: [{ kind: "mqtt", name: "mosquitto", config: { url: mosquitto, topic: `switchyard-bench/cold/${v7()}`, qos: 1 } }],
  });
  return { token: body.token, callbackId: body.id, destinationId: body.destinations[0]?.id ?? "" };
}

/**
 * A job as the trigger route queues it, signed for this server's /api/deliver like QStash signs.
 * Signed on the first try only: the tries repeat every 5 ms until the server listens, inside the time.
 */
function deliverOnce(callbackId: string, destinationId: string): FirstCall {
  const body = jobFor("mqtt", callbackId, destinationId);
  let signature: Promise<string> | undefined;
  return async (url) => {
    signature ??= signLikeQstash({ signingKey: devCredentials.currentSigningKey, url: `${url}/api/deliver`, body });
    const status = await post(`${url}/api/deliver`, body, { "upstash-signature": await signature });
    if (status !== 200) throw new Error(`cold /api/deliver answered ${status}`);
    return true;
  };
}

const triggerOnce =
  (path: string): FirstCall =>
  async (url) => {
    const status = await post(`${url}${path}`, '{"n":1}');
    if (status !== 202) throw new Error(`cold ${path} answered ${status}`);
    return true;
  };

export interface ColdStartResult {
  /** Sorted milliseconds per sample. */
  trigger: number[];
  minimal: number[];
  delivery: number[];
  traces: RouteTrace[];
}

/**
 * `env` is the stack's production environment; the minimal route is turned on for its samples.
 * Run with QStash holding deliveries: the fresh servers are gone before QStash would call them.
 */
export async function benchColdStart(app: NextServer, env: Record<string, string>, adminToken: string, rounds: number): Promise<ColdStartResult> {
  const { token, callbackId, destinationId } = await createMqttCallback(app, adminToken);
  // The warm server fills the trigger cache the minimal route reads, as a live deployment has it.
  if ((await post(`${app.url}/api/trigger/${token}`, "{}")) !== 202) throw new Error("warming the cold-start callback failed");
  const result: ColdStartResult = { trigger: [], minimal: [], delivery: [], traces: readRouteTraces() };
  const benchEnv = { ...env, BENCH_MINIMAL_ROUTE: "true" };
  for (let round = 0; round < rounds; round += 1) {
    result.trigger.push(await timeColdStart(benchEnv, triggerOnce(`/api/trigger/${token}`)));
    result.minimal.push(await timeColdStart(benchEnv, triggerOnce(`/api/bench/minimal-trigger/${token}`)));
    result.delivery.push(await timeColdStart(benchEnv, deliverOnce(callbackId, destinationId)));
  }
  for (const list of [result.trigger, result.minimal, result.delivery]) list.sort((a, b) => a - b);
  return result;
}

const spread = (sorted: number[]) => `median ${ms(percentile(sorted, 0.5))} (${ms(sorted[0] ?? 0)}–${ms(sorted.at(-1) ?? 0)}, ${sorted.length} starts)`;
const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

export function coldStartSummaryRows(result: ColdStartResult): SummaryRow[] {
  const minimal = percentile(result.minimal, 0.5);
  const ratio = (sorted: number[]) => percentile(sorted, 0.5) / minimal;
  const minimalTrace = result.traces.find((trace) => !isHotRoute(trace));
  const traceBaseline = minimalTrace ? `minimal route ${minimalTrace.files} files, ${megabytes(minimalTrace.bytes)}` : "-";
  return [
    {
      metric: "cold start: fresh next start → first trigger answered",
      measured: spread(result.trigger),
      baseline: `minimal route ${spread(result.minimal)}`,
      comparison: `${ratio(result.trigger).toFixed(2)}×`,
      target: "≤ 1.5×",
      met: ratio(result.trigger) <= 1.5,
    },
    {
      metric: "cold start: fresh next start → first delivery answered (MQTT)",
      measured: spread(result.delivery),
      baseline: `minimal route ${ms(minimal)}`,
      comparison: `${ratio(result.delivery).toFixed(2)}×`,
      target: "-",
      met: null,
    },
    ...result.traces.filter(isHotRoute).map((trace) => ({
      metric: `traced files of ${trace.route}`,
      measured: `${trace.files} files, ${megabytes(trace.bytes)}`,
      baseline: traceBaseline,
      comparison: minimalTrace ? `${(trace.bytes / minimalTrace.bytes).toFixed(2)}×` : "-",
      target: "no PGlite, aedes, dev scripts, test tooling",
      met: trace.forbidden.length === 0,
    })),
  ];
}
