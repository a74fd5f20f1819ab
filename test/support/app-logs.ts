// What the app (running in this process) logs while part of a test runs.
import { vi } from "vitest";
import { withEnv } from "./env-override";

export interface AppLogEntry {
  level: string;
  msg: string;
}

/**
 * The console.error lines (the app's warn and error logs, at LOG_LEVEL=warn) written while
 * `run` runs: all of them, and the app's own JSON ones parsed (the QStash SDK prints plain
 * "[Upstash QStash] …" lines too).
 */
export async function capturingLogs<T>(run: () => Promise<T>): Promise<{ result: T; lines: string[]; logged: AppLogEntry[] }> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, "error").mockImplementation((line: unknown) => void lines.push(String(line)));
  try {
    const result = await withEnv({ LOG_LEVEL: "warn" }, run);
    const logged = lines.filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as AppLogEntry);
    return { result, lines, logged };
  } finally {
    spy.mockRestore();
  }
}
