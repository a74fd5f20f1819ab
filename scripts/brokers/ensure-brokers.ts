// Makes sure the brokers the integration tests need beyond the machine's own services are up:
// a second Mosquitto with a WebSocket listener on 127.0.0.1:19001 (mosquitto-ws.conf). Starts it
// only when nothing answers there, and the returned stop function kills only what it started.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { canConnect } from "../dev/probe";
import { stopChild } from "../lib/child-process";

const mosquittoWsPort = 19001;
export const mosquittoWsUrl = `ws://127.0.0.1:${mosquittoWsPort}`;

const configPath = path.resolve(import.meta.dirname, "mosquitto-ws.conf");
const logPath = "/tmp/switchyard-mosquitto-ws.log";
const startTimeoutMs = 5_000;

export function portAnswers(port: number, host = "127.0.0.1", timeoutMs = 300): Promise<boolean> {
  return canConnect(host, port, timeoutMs);
}

function logTail(): string {
  return existsSync(logPath) ? readFileSync(logPath, "utf8").split("\n").slice(-5).join("\n") : "(no log)";
}

async function waitUntilAnswering(child: ChildProcess, spawnError: () => Error | undefined): Promise<void> {
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    const failed = spawnError();
    if (failed) throw new Error(`cannot start mosquitto: ${failed.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`mosquitto (${configPath}) exited with ${child.exitCode ?? child.signalCode}; log tail:\n${logTail()}`);
    }
    if (await portAnswers(mosquittoWsPort)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.kill("SIGKILL");
  throw new Error(`mosquitto did not answer on 127.0.0.1:${mosquittoWsPort} within ${startTimeoutMs} ms; log tail:\n${logTail()}`);
}

/**
 * Call from the integration global setup (or a file's beforeAll); await the returned function
 * in the teardown. A Mosquitto already answering on :19001 is used as is and left running.
 */
export async function ensureTestBrokers(): Promise<() => Promise<void>> {
  if (await portAnswers(mosquittoWsPort)) return async () => undefined;
  // Detached so a Ctrl-C aimed at vitest's process group does not kill it mid-teardown.
  const child = spawn("mosquitto", ["-c", configPath], { detached: true, stdio: "ignore" });
  let spawnError: Error | undefined;
  child.once("error", (error) => {
    spawnError = error;
  });
  await waitUntilAnswering(child, () => spawnError);
  child.unref();
  return () => stopChild(child);
}
