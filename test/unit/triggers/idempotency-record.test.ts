// One record per idempotency key: the claim, its planned ids and the body's hash go to the store
// in a single SET NX, and a key sent again with another body is refused, never answered with the
// first request's result.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import type { KeyValueStore, SetOptions } from "@/lib/redis";
import { createMemoryStore } from "@/lib/redis/memory-store";
import { bodyHashOf, type IdempotencyClaim } from "@/lib/triggers/idempotency";
import { claimIdempotencyKey } from "../../support/idempotency-claim";

type Holder = typeof globalThis & { __switchyardRedis?: { store?: KeyValueStore } };
const holder = globalThis as Holder;
const saved = holder.__switchyardRedis;

/** A fresh in-process store that logs every write. */
function useRecordingStore(): Array<{ key: string; value: unknown; options: SetOptions | undefined }> {
  const store = createMemoryStore();
  const writes: Array<{ key: string; value: unknown; options: SetOptions | undefined }> = [];
  holder.__switchyardRedis = {
    store: {
      ...store,
      set: (key, value, options) => {
        writes.push({ key, value, options });
        return store.set(key, value, options);
      },
    },
  };
  return writes;
}

afterEach(() => {
  holder.__switchyardRedis = saved;
});

const hashOf = (text: string) => bodyHashOf(new TextEncoder().encode(text));

function newClaim(claim: IdempotencyClaim): Extract<IdempotencyClaim, { kind: "new" }> {
  if (claim.kind !== "new") throw new Error(`expected a new claim, got ${claim.kind}`);
  return claim;
}

async function refusal(claiming: Promise<IdempotencyClaim>): Promise<AppError> {
  const error = await claiming.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe("idempotency record", () => {
  it("writes the claim, the planned ids and the body hash in one SET NX", async () => {
    const writes = useRecordingStore();
    const claim = newClaim(await claimIdempotencyKey(randomUUID(), "k", ["d1", "d2"], { bodyHash: hashOf("{}") }));
    expect(writes).toHaveLength(1);
    expect(writes[0]?.options).toMatchObject({ nx: true, exSeconds: 86_400 });
    expect(writes[0]?.value).toMatchObject({ state: "pending", ids: claim.ids, bodyHash: hashOf("{}") });
  });

  it("refuses the key with another body (422 idempotency_key_reused) while pending, once done and after a release", async () => {
    useRecordingStore();
    const callback = randomUUID();
    const options = (body: string) => ({ bodyHash: hashOf(body), source: "Idempotency-Key" });
    const first = newClaim(await claimIdempotencyKey(callback, "k", ["d1"], options('{"a":1}')));

    const whilePending = await refusal(claimIdempotencyKey(callback, "k", ["d1"], options('{"a":2}')));
    expect([whilePending.code, whilePending.status, whilePending.field]).toEqual(["idempotency_key_reused", 422, "Idempotency-Key"]);

    await first.release();
    expect((await refusal(claimIdempotencyKey(callback, "k", ["d1"], options('{"a":2}')))).code).toBe("idempotency_key_reused");
    // Two retries with the right body race for the released key: one publishes, one waits.
    const [left, right] = await Promise.allSettled([claimIdempotencyKey(callback, "k", ["d1"], options('{"a":1}')), claimIdempotencyKey(callback, "k", ["d1"], options('{"a":1}'))]);
    const winners = [left, right].filter((result) => result.status === "fulfilled");
    expect(winners).toHaveLength(1);
    const retry = newClaim(winners[0].value);
    expect(retry.ids).toEqual(first.ids);

    await retry.complete({ eventId: retry.ids.eventId });
    expect((await refusal(claimIdempotencyKey(callback, "k", ["d1"], options('{"a":2}')))).code).toBe("idempotency_key_reused");
    expect(await claimIdempotencyKey(callback, "k", ["d1"], options('{"a":1}'))).toEqual({ kind: "replay", body: { eventId: first.ids.eventId } });
  });

  it("keeps keys of different scopes apart", async () => {
    useRecordingStore();
    const callback = randomUUID();
    const fromHeader = newClaim(await claimIdempotencyKey(callback, "abc", ["d1"], { bodyHash: hashOf("x") }));
    const fromGithub = newClaim(await claimIdempotencyKey(callback, "abc", ["d1"], { bodyHash: hashOf("y"), scope: "github" }));
    expect(fromGithub.ids.eventId).not.toBe(fromHeader.ids.eventId);
  });
});
