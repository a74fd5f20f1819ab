// stopChild ends a process a script started: at once for one already gone (a signal ended it too,
// not only an exit), and with SIGKILL for one that ignores SIGTERM.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { stopChild } from "@/scripts/lib/child-process";

/** A node child that prints "ready" once its SIGTERM handling is in place, then idles. */
async function startChild(onTerm: "exit" | "ignore"): Promise<ChildProcess> {
  const handler = onTerm === "ignore" ? "process.on('SIGTERM', () => undefined);" : "";
  const child = spawn(process.execPath, ["-e", `${handler} console.log("ready"); setInterval(() => undefined, 1000);`], { stdio: ["ignore", "pipe", "inherit"] });
  const [chunk] = (await once(child.stdout ?? child, "data")) as [Buffer];
  expect(chunk.toString()).toContain("ready");
  return child;
}

describe("stopChild", () => {
  it("resolves for a child a signal already ended, which has no exit code", async () => {
    const child = await startChild("exit");
    child.kill("SIGKILL");
    await once(child, "exit");
    expect(child.exitCode).toBeNull();
    expect(child.signalCode).toBe("SIGKILL");
    await stopChild(child);
  });

  it("ends a running child with SIGTERM", async () => {
    const child = await startChild("exit");
    await stopChild(child);
    expect(child.signalCode).toBe("SIGTERM");
  });

  it("kills a child that ignores SIGTERM once the grace period is over", async () => {
    const child = await startChild("ignore");
    await stopChild(child, 200);
    expect(child.signalCode).toBe("SIGKILL");
  });
});
