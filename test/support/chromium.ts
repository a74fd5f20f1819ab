// The browser tests drive Debian's Chromium (never a downloaded build). On a fresh machine it
// may be missing: as root (CI, a fresh developer container) it is installed from Debian's
// package; otherwise the tests stop with one line saying what to run.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";

export const debianChromiumPath = "/usr/bin/chromium";

/** What the decision needs from the machine, injectable so tests need not uninstall anything. */
export interface ChromiumHost {
  exists(path: string): boolean;
  isRoot(): boolean;
  /** Runs a command and resolves with its exit code. */
  run(command: string, args: readonly string[]): Promise<number>;
}

const systemHost: ChromiumHost = {
  exists: existsSync,
  isRoot: () => process.getuid?.() === 0,
  run: (command, args) =>
    new Promise((resolve) => {
      const child = spawn(command, args, { stdio: "ignore", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
      child.once("error", () => resolve(127));
      child.once("exit", (code) => resolve(code ?? 1));
    }),
};

// Waits for a dpkg lock held by another apt run instead of failing at once.
const installArgs = ["-o", "DPkg::Lock::Timeout=300", "install", "-y", "--no-install-recommends", "chromium"];

async function installFromDebian(host: ChromiumHost): Promise<number> {
  const first = await host.run("apt-get", installArgs);
  if (first === 0) return 0;
  // A fresh machine often has no package lists yet: fetch them once, then try again.
  await host.run("apt-get", ["-o", "DPkg::Lock::Timeout=300", "update"]);
  return host.run("apt-get", installArgs);
}

/**
 * Resolves once `path` holds a Chromium; rejects with one actionable line otherwise. A custom
 * path (CHROMIUM_PATH) is never installed over: it names a browser the user chose.
 */
export async function ensureChromium(path: string, host: ChromiumHost = systemHost): Promise<void> {
  if (host.exists(path)) return;
  if (path !== debianChromiumPath) throw new Error(`CHROMIUM_PATH=${path} does not exist: point it at a Chromium binary, or unset it to use Debian's ${debianChromiumPath}`);
  if (!host.isRoot()) {
    throw new Error(
      `Chromium is not installed at ${path} and only root can install it: run "sudo apt-get install -y chromium" (Debian's package), or set CHROMIUM_PATH to a Chromium binary`,
    );
  }
  const code = await installFromDebian(host);
  if (code !== 0 || !host.exists(path)) {
    throw new Error(`Installing Chromium with apt-get failed (exit ${code}): run "apt-get update && apt-get install -y chromium" and read its output`);
  }
}
