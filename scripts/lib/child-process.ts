// Ending a process a script started: SIGTERM, then SIGKILL if it has not exited in time.
import type { ChildProcess } from "node:child_process";

/** Resolves once `child` has exited; at once if it already had. */
export function stopChild(child: ChildProcess, graceMs = 2_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
