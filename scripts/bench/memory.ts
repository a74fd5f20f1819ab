// Issue #18 item 5: the memory of the process serving deliveries, heap and RSS apart. The server
// runs with the inspector on a loopback port (`inspectorEnv`); after the workload this reads
// process.memoryUsage() and V8's heap spaces through it, forces a full GC and reads them again,
// so live heap, garbage not yet collected and what lies outside the heap can be told apart.
// Peak RSS is the kernel's high-water mark (VmHWM).
import { readFileSync } from "node:fs";
import WebSocket from "ws";
import type { NextServer } from "../lib/next-server";
import type { SummaryRow } from "./summary";

/** Merged into a server's environment: the inspector on a free loopback port, plus any V8 flags. */
export function inspectorEnv(nodeFlags = ""): Record<string, string> {
  return { NODE_OPTIONS: `--inspect=127.0.0.1:0 ${nodeFlags}`.trim() };
}

export interface MemoryReading {
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  /** V8's young generation as allocated (both semi-spaces). */
  newSpaceMb: number;
  externalMb: number;
}

export interface MemoryReport {
  /** VmHWM of the server process since it started. */
  peakRssMb: number;
  afterWorkload: MemoryReading;
  afterFullGc: MemoryReading;
  nodeFlags: string;
}

interface Inspector {
  call(method: string, params?: Record<string, unknown>): Promise<unknown>;
  close(): void;
}

async function openInspector(app: NextServer): Promise<Inspector> {
  const url = /ws:\/\/127\.0\.0\.1:\d+\/[0-9a-f-]+/.exec(app.output())?.[0];
  if (!url) throw new Error("the server was not started with inspectorEnv(): no inspector URL in its output");
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  const waiting = new Map<number, (result: unknown) => void>();
  socket.on("message", (data: Buffer) => {
    const message = JSON.parse(data.toString("utf8")) as { id?: number; result?: unknown };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result);
  });
  let nextId = 0;
  return {
    call: (method, params = {}) =>
      new Promise((resolve) => {
        nextId += 1;
        waiting.set(nextId, resolve);
        socket.send(JSON.stringify({ id: nextId, method, params }));
      }),
    close: () => socket.close(),
  };
}

const readingExpression = `JSON.stringify({
  usage: process.memoryUsage(),
  spaces: process.getBuiltinModule("v8").getHeapSpaceStatistics().map((space) => [space.space_name, space.space_size]),
})`;

async function read(inspector: Inspector): Promise<MemoryReading> {
  const answer = (await inspector.call("Runtime.evaluate", { expression: readingExpression, returnByValue: true })) as { result: { value: string } };
  const { usage, spaces } = JSON.parse(answer.result.value) as { usage: NodeJS.MemoryUsage; spaces: Array<[string, number]> };
  // MB as the kernel's VmHWM is read (MiB), so "now" and the peak compare.
  const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
  return {
    rssMb: mb(usage.rss),
    heapUsedMb: mb(usage.heapUsed),
    heapTotalMb: mb(usage.heapTotal),
    newSpaceMb: mb(spaces.find(([name]) => name === "new_space")?.[1] ?? 0),
    externalMb: mb(usage.external),
  };
}

function peakRssOf(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Math.round(Number(match?.[1] ?? 0) / 1024);
}

/** Reads `app` now (after its workload), then after a full GC. */
export async function measureMemory(app: NextServer, nodeFlags = ""): Promise<MemoryReport> {
  const inspector = await openInspector(app);
  try {
    const afterWorkload = await read(inspector);
    await inspector.call("HeapProfiler.collectGarbage");
    const afterFullGc = await read(inspector);
    return { peakRssMb: peakRssOf(app.pid), afterWorkload, afterFullGc, nodeFlags };
  } finally {
    inspector.close();
  }
}

const describe = (reading: MemoryReading) =>
  `RSS ${reading.rssMb} MB, heap ${reading.heapUsedMb} used of ${reading.heapTotalMb} (young generation ${reading.newSpaceMb}), external ${reading.externalMb}`;

export function memorySummaryRows(report: MemoryReport, workload: string): SummaryRow[] {
  const flags = report.nodeFlags ? ` with ${report.nodeFlags}` : "";
  return [
    {
      metric: `process serving deliveries after ${workload}${flags}: peak RSS`,
      measured: `${report.peakRssMb} MB`,
      baseline: "-",
      comparison: "-",
      target: "< 150 MB",
      met: report.peakRssMb < 150,
    },
    {
      metric: `  the same process, heap and RSS apart`,
      measured: `now: ${describe(report.afterWorkload)}`,
      baseline: `after a full GC: ${describe(report.afterFullGc)}`,
      comparison: "-",
      target: "-",
      met: null,
    },
  ];
}
