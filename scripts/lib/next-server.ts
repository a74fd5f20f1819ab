// A real Next server for browser tests: builds once (skipped while .next/BUILD_ID is newer than
// every source file), then `next start` on a free loopback port with a production environment.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, openSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { freePort } from "./net-tools";
import { stopChild } from "./child-process";

const root = path.resolve(import.meta.dirname, "../..");
const nextBin = path.join(root, "node_modules/next/dist/bin/next");
const sourceEntries = ["app", "pages", "lib", "migrations", "proxy.ts", "next.config.mjs", "package.json", "tsconfig.json"];

function newestMtime(entry: string): number {
  const stats = statSync(entry);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(entry).reduce((newest, name) => Math.max(newest, newestMtime(path.join(entry, name))), stats.mtimeMs);
}

function buildIsFresh(): boolean {
  const buildId = path.join(root, ".next/BUILD_ID");
  if (!existsSync(buildId)) return false;
  const built = statSync(buildId).mtimeMs;
  return sourceEntries.every((entry) => !existsSync(path.join(root, entry)) || newestMtime(path.join(root, entry)) < built);
}

async function run(child: ChildProcess, what: string): Promise<void> {
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`${what} exited with ${code}; see .test-artifacts/next-build.log`);
}

/** `next build` unless the last build is newer than every source file. */
export async function ensureNextBuild(): Promise<"fresh" | "built"> {
  if (buildIsFresh()) return "fresh";
  mkdirSync(path.join(root, ".test-artifacts"), { recursive: true });
  const log = openSync(path.join(root, ".test-artifacts/next-build.log"), "w");
  const child = spawn(process.execPath, [nextBin, "build"], {
    cwd: root,
    stdio: ["ignore", log, log],
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  await run(child, "next build");
  return "built";
}

export interface NextServer {
  url: string;
  pid: number;
  output(): string;
  close(): Promise<void>;
}

async function waitUntilServing(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited early:\n${output()}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.status < 500 || response.status === 503) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`next start did not answer within 30 s:\n${output()}`);
}

/** `next start` on 127.0.0.1:`port`, not waited for (the cold-start bench times its first answer). */
export function spawnNextStart(env: Record<string, string | undefined>, port: number, appUrl: string): ChildProcess {
  return spawn(process.execPath, [nextBin, "start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", APP_URL: appUrl, PORT: String(port) },
  });
}

/**
 * `env` must be a complete production environment; PORT is set here, and APP_URL is this
 * server's own URL unless `options.appUrl` sends QStash's deliveries elsewhere (benchmarks).
 */
export async function startNextServer(env: Record<string, string | undefined>, options: { appUrl?: string } = {}): Promise<NextServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let text = "";
  const child = spawnNextStart(env, port, options.appUrl ?? url);
  const collect = (chunk: Buffer) => {
    text = (text + chunk.toString("utf8")).slice(-20_000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  await waitUntilServing(url, child, () => text);
  return {
    url,
    pid: child.pid ?? 0,
    output: () => text,
    close: () => stopChild(child, 5_000),
  };
}
