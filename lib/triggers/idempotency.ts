// Idempotent triggers: the first request with a given key claims it in Redis; repeats within
// 24 h get the first answer back and publish nothing.
import { createHash } from "node:crypto";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { getKeyValueStore } from "@/lib/redis";
import { clearWarnOnce, warnOnce } from "@/lib/log";

export const idempotencyWindowSeconds = 24 * 60 * 60;
/** A claim whose publish never finished (the function died) frees itself after this long. */
const pendingSeconds = 60;

const storedSchema = z.union([
  z.object({ state: z.literal("pending") }),
  z.object({ state: z.literal("done"), body: z.unknown() }),
]);

export type IdempotencyClaim =
  | { kind: "new"; complete(body: unknown): Promise<void>; release(): Promise<void> }
  | { kind: "replay"; body: unknown }
  | { kind: "unavailable" };

function keyFor(callbackId: string, idempotencyKey: string): string {
  return `sy:idem:${callbackId}:${createHash("sha256").update(idempotencyKey).digest("base64url")}`;
}

export async function claimIdempotencyKey(callbackId: string, idempotencyKey: string): Promise<IdempotencyClaim> {
  const store = getKeyValueStore();
  const key = keyFor(callbackId, idempotencyKey);
  try {
    const claimed = await store.set(key, { state: "pending" }, { nx: true, exSeconds: pendingSeconds });
    clearWarnOnce("redis-idempotency");
    if (claimed) {
      return {
        kind: "new",
        complete: (body) => store.set(key, { state: "done", body }, { exSeconds: idempotencyWindowSeconds }).then(() => undefined),
        release: () => store.del(key),
      };
    }
    const existing = storedSchema.safeParse(await store.get(key));
    if (existing.success && existing.data.state === "done") return { kind: "replay", body: existing.data.body };
  } catch (error) {
    warnOnce("redis-idempotency", "Redis unreachable: idempotency keys are not enforced", { error });
    return { kind: "unavailable" };
  }
  throw new AppError("conflict", "A request with this idempotency key is still being processed; retry shortly", {
    headers: { "retry-after": "1" },
  });
}
