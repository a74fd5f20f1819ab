// The idempotency claim's state machine on the in-process store (no Redis configured): who
// publishes, under which ids, and what a repeat gets back.
import { createHash, randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors";
import { getKeyValueStore, type KeyValueStore } from "@/lib/redis";
import type { IdempotencyClaim } from "@/lib/triggers/idempotency";
import { claimIdempotencyKey } from "../../support/idempotency-claim";

const uuidv7Pattern = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
type Holder = typeof globalThis & { __switchyardRedis?: { store?: KeyValueStore } };

function newClaim(claim: IdempotencyClaim): Extract<IdempotencyClaim, { kind: "new" }> {
  if (claim.kind !== "new") throw new Error(`expected a new claim, got ${claim.kind}`);
  return claim;
}

async function conflictOf(claiming: Promise<IdempotencyClaim>): Promise<AppError> {
  const error = await claiming.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof AppError)) throw new Error("expected an AppError");
  return error;
}

const callbackId = () => randomUUID();

afterEach(() => {
  vi.useRealTimers();
});

describe("claimIdempotencyKey", () => {
  it("plans UUIDv7 ids for the first claim and answers repeats with the completed body", async () => {
    const callback = callbackId();
    const first = newClaim(await claimIdempotencyKey(callback, "k", ["d1", "d2"]));
    expect(first.ids.eventId).toMatch(uuidv7Pattern);
    expect(Object.keys(first.ids.deliveries)).toEqual(["d1", "d2"]);
    for (const id of Object.values(first.ids.deliveries)) expect(id).toMatch(uuidv7Pattern);
    await first.complete({ eventId: first.ids.eventId });
    expect(await claimIdempotencyKey(callback, "k", ["d1", "d2"])).toEqual({ kind: "replay", body: { eventId: first.ids.eventId } });
  });

  it("answers a repeat while the first is still publishing with 409 and Retry-After", async () => {
    const callback = callbackId();
    newClaim(await claimIdempotencyKey(callback, "k", ["d1"]));
    const error = await conflictOf(claimIdempotencyKey(callback, "k", ["d1"]));
    expect(error.code).toBe("conflict");
    expect(error.headers["retry-after"]).toBe("1");
  });

  it("lets a repeat that arrives just before the first records its answer wait for it instead of a 409", async () => {
    const callback = callbackId();
    const first = newClaim(await claimIdempotencyKey(callback, "k", ["d1"]));
    setTimeout(() => void first.complete({ eventId: first.ids.eventId }), 20);
    expect(await claimIdempotencyKey(callback, "k", ["d1"])).toEqual({ kind: "replay", body: { eventId: first.ids.eventId } });
  });

  it("keeps a failed attempt's ids for the retry; an added destination gets an id that sticks", async () => {
    const callback = callbackId();
    const first = newClaim(await claimIdempotencyKey(callback, "k", ["d1", "d2"]));
    await first.release();
    const second = newClaim(await claimIdempotencyKey(callback, "k", ["d1", "d3"]));
    expect(second.ids.eventId).toBe(first.ids.eventId);
    expect(second.ids.deliveries.d1).toBe(first.ids.deliveries.d1);
    expect(second.ids.deliveries.d3).toMatch(uuidv7Pattern);
    expect(second.ids.deliveries.d3).not.toBe(first.ids.deliveries.d2);
    await second.release();
    const third = newClaim(await claimIdempotencyKey(callback, "k", ["d1", "d3"]));
    expect(third.ids.deliveries).toMatchObject({ d1: first.ids.deliveries.d1, d3: second.ids.deliveries.d3 });
  });

  it("frees a claim whose publisher died after 60 s, and the next claimant reuses its ids", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const callback = callbackId();
    const first = newClaim(await claimIdempotencyKey(callback, "k", ["d1"]));
    vi.setSystemTime(Date.now() + 59_000);
    expect((await conflictOf(claimIdempotencyKey(callback, "k", ["d1"]))).code).toBe("conflict");
    vi.setSystemTime(Date.now() + 2_000);
    expect(newClaim(await claimIdempotencyKey(callback, "k", ["d1"])).ids).toEqual(first.ids);
  });

  it("reads a pending claim written by the previous version (no ids) as pending", async () => {
    const callback = callbackId();
    const digest = createHash("sha256").update("k").digest("base64url");
    await getKeyValueStore().set(`sy:idem:${callback}:${digest}`, { state: "pending" }, { exSeconds: 60 });
    expect((await conflictOf(claimIdempotencyKey(callback, "k", ["d1"]))).code).toBe("conflict");
  });

  it("fails open when the store is unreachable", async () => {
    const holder = globalThis as Holder;
    const saved = holder.__switchyardRedis;
    const unreachable = new Error("connect ECONNREFUSED");
    holder.__switchyardRedis = {
      store: {
        kind: "upstash",
        get: () => Promise.reject(unreachable),
        getMany: () => Promise.reject(unreachable),
        set: () => Promise.reject(unreachable),
        del: () => Promise.reject(unreachable),
      },
    };
    try {
      expect(await claimIdempotencyKey(callbackId(), "k", ["d1"])).toEqual({ kind: "unavailable" });
    } finally {
      holder.__switchyardRedis = saved;
    }
  });
});
