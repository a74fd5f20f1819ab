// Child processes for benchmarks: bench scripts as servers (the bare baseline, the BullMQ peer), and
// peak memory of a process tree.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { stopChild } from "../lib/child-process";

const root = path.resolve(import.meta.dirname, "../..");

export interface ChildServer {
  url: string;
  pid: number;
  close(): Promise<void>;
}

/** A bench script as its own process, like `next start`: resolved once it prints "ready". */
export async function startScriptProcess(script: string, env: Record<string, string>): Promise<Omit<ChildServer, "url">> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join(root, script)], {
    cwd: root,
    env: { ...env, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve());
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return {
    pid: child.pid ?? 0,
    // A worker still finishing a job, or a stuck connection, must not hold the bench open.
    close: () => stopChild(child, 5_000),
  };
}

export async function startBareTriggerServer(env: Record<string, string>, port: number, deliverUrl: string): Promise<ChildServer> {
  const child = await startScriptProcess("scripts/bench/bare-trigger-server.ts", { ...env, BARE_PORT: String(port), DELIVER_URL: deliverUrl });
  return { ...child, url: `http://127.0.0.1:${port}` };
}

function children(pid: number): number[] {
  const result: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parent === pid) result.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return result;
}

/** Peak resident memory (VmHWM, MB) of `pid` and of each of its descendants: the largest one. */
export function peakRssMb(pid: number): number {
  let peak = 0;
  const queue = [pid];
  while (queue.length > 0) {
    const current = queue.pop() ?? 0;
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${current}/status`, "utf8"));
      peak = Math.max(peak, Number(match?.[1] ?? 0) / 1024);
    } catch {
      // gone
    }
    queue.push(...children(current));
  }
  return Math.round(peak);
}
