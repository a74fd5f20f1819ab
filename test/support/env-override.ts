// Runs part of a test with changed configuration (e.g. QStash or Redis pointed at a dead port).
// The app runs in this process, so resetting the env cache and client singletons is enough.
import { resetEnv } from "@/lib/env";

type Holder = typeof globalThis & { __switchyardQstash?: unknown; __switchyardRedis?: unknown };

function resetClients(): void {
  const holder = globalThis as Holder;
  holder.__switchyardQstash = undefined;
  holder.__switchyardRedis = undefined;
  resetEnv();
}

export async function withEnv<T>(overrides: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(overrides).map((key) => [key, process.env[key]]));
  Object.assign(process.env, overrides);
  resetClients();
  try {
    return await run();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    resetClients();
  }
}

/** A loopback port nothing listens on. */
export const deadUrl = "http://127.0.0.1:9";
