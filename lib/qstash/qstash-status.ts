// The last deployment fault a QStash call ran into, for /api/health. Kept in Redis so every
// function instance reports it (a fresh instance never saw the failed call), and in memory so a
// success on this instance can clear it without a Redis call per publish.
import { createHash } from "node:crypto";
import { z } from "zod";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { getKeyValueStore } from "@/lib/redis";

export interface QstashFault {
  cause: string;
  fix: string;
  /**
   * Only a call of this kind going through clears it. Absent: any call does, since a refused token,
   * region or quota refuses every call. The queue limit refuses only new queues, so a publish or a
   * call that creates no queue proves nothing about it.
   */
  clearedBy?: string;
}

/**
 * Per QStash URL and token: a redeploy with a corrected token or region starts clean, and
 * deployments sharing one Redis do not report each other's faults.
 */
function faultKey(): string {
  const { url, token } = getEnv().qstash;
  return `sy:qstash:last-fault:${createHash("sha256").update(`${url}\n${token}`).digest("base64url").slice(0, 22)}`;
}
/** Long enough for a monitor to see it; short enough that a fixed deployment goes green on its own. */
const qstashFaultTtlSeconds = 600;

const storedFaultSchema = z.object({ cause: z.string(), fix: z.string(), at: z.string() });
export type StoredQstashFault = z.infer<typeof storedFaultSchema>;

/** The fault this instance remembered last, as far as clearing it goes. */
const holder = globalThis as typeof globalThis & { __switchyardQstashFault?: { clearedBy?: string } };

export async function rememberQstashFault(fault: QstashFault): Promise<void> {
  holder.__switchyardQstashFault = { clearedBy: fault.clearedBy };
  const stored: StoredQstashFault = { cause: fault.cause, fix: fault.fix, at: new Date().toISOString() };
  await getKeyValueStore()
    .set(faultKey(), stored, { exSeconds: qstashFaultTtlSeconds })
    .catch((error: unknown) => log.warn("Could not remember the QStash fault for /api/health", { error }));
}

/** A call (`what`) went through: forget a fault this instance remembered, if such a call clears it. */
export function clearQstashFault(what: string): void {
  const remembered = holder.__switchyardQstashFault;
  if (!remembered || (remembered.clearedBy !== undefined && remembered.clearedBy !== what)) return;
  holder.__switchyardQstashFault = undefined;
  void getKeyValueStore()
    .del(faultKey())
    .catch(() => undefined);
}

export async function lastQstashFault(): Promise<StoredQstashFault | undefined> {
  const parsed = storedFaultSchema.safeParse(await getKeyValueStore().get(faultKey()));
  return parsed.success ? parsed.data : undefined;
}
