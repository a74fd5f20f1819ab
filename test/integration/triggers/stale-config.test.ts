// No stale trigger config: a change to a callback or destination takes effect for the next
// trigger even when a cache fill that read the old rows from Postgres writes them into the
// cache after the change. The fill is held deterministically between its database read and its
// cache write (a Kysely plugin that parks the query result), the change is made through the
// operator API, then the fill is let go. Run against Redis (through the REST bridge) and the
// in-process store used without Redis.
import type { KyselyPlugin } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "@/lib/crypto/tokens";
import { getDb } from "@/lib/db";
import { reenableDestination, updateDestination } from "@/lib/destinations/manage-destinations";
import type { KeyValueStore } from "@/lib/redis";
import { createMemoryStore } from "@/lib/redis/memory-store";
import { findTriggerConfig, type CallbackLocator } from "@/lib/triggers/callback-cache";
import { call, waitFor } from "../../support/api";
import { createCallback, httpDestination, waitForDelivery, type CreatedCallback } from "../../support/fixtures";
import { useApp } from "../../support/harness";
import { useSink } from "../../support/sink";
import { fireTrigger, onlyDelivery } from "../../support/trigger";

const app = useApp();
const sink = useSink();

/** A database handle whose query results after the first `passThrough` wait for `release()`. */
function heldDatabase(passThrough: number) {
  let seen = 0;
  let release = () => {};
  let signalReached = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const reached = new Promise<void>((resolve) => (signalReached = resolve));
  const plugin: KyselyPlugin = {
    transformQuery: (args) => args.node,
    async transformResult(args) {
      seen += 1;
      if (seen > passThrough) {
        signalReached();
        await released;
      }
      return args.result;
    },
  };
  const db = getDb().withPlugin(plugin);
  return { db: () => db, reached, release };
}

/** Starts a fill for `locator`, holds it after its database reads, runs `change`, lets it finish. */
async function raceFillWith(locator: CallbackLocator, reads: number, change: () => Promise<void>): Promise<void> {
  const held = heldDatabase(reads - 1);
  const fill = findTriggerConfig(held.db, locator);
  await held.reached;
  await change();
  held.release();
  await fill;
}

const byToken = (callback: CreatedCallback): CallbackLocator => ({ by: "token", tokenHash: hashToken(callback.token) });

/** No destinations: the callback-level cases queue nothing that could outlive the file. */
const bareCallback = (name: string) => createCallback(app.url, { name });

async function twoDestinationCallback(name: string): Promise<CreatedCallback> {
  return createCallback(app.url, {
    name,
    destinations: [httpDestination(`${sink.url}/${name}-a`), httpDestination(`${sink.url}/${name}-b`)],
  });
}

/** The destinations the next trigger queued for, once their deliveries are done. */
async function destinationsOf(callback: CreatedCallback): Promise<string[]> {
  const answer = await fireTrigger(callback.triggerUrl);
  expect(answer.status, answer.text).toBe(202);
  for (const delivery of answer.deliveries) await waitForDelivery(app.url, delivery.id, ["succeeded", "skipped", "failed", "dead"]);
  return answer.deliveries.map((delivery) => delivery.destinationId);
}

const expectOk = (result: { status: number; text: string }) => expect(result.status, result.text).toBeLessThan(300);

/**
 * The next trigger's delivery is written as queued right after the answer only when the trigger
 * saw the pause (an old cached config would send it on its way unlisted); resuming delivers it.
 */
async function expectHeldThenReleased(callback: CreatedCallback, sinkPath: string, resumePath: string): Promise<void> {
  const answer = await fireTrigger(callback.triggerUrl);
  expect(answer.status, answer.text).toBe(202);
  const deliveryId = onlyDelivery(answer);
  const listed = await waitFor(
    async () => {
      const result = await call<{ status: string }>(app.url, "GET", `/api/deliveries/${deliveryId}`);
      return result.status === 200 ? result.body : undefined;
    },
    { what: "the held delivery's row" },
  );
  expect(listed.status).toBe("queued");
  expect(sink.requests.filter((request) => request.path === sinkPath)).toHaveLength(0);
  expectOk(await call(app.url, "POST", resumePath));
  await waitForDelivery(app.url, deliveryId, ["succeeded"]);
}

type Holder = typeof globalThis & { __switchyardRedis?: { store?: KeyValueStore } };

describe.each(["redis", "memory"] as const)("with the %s store", (storeKind) => {
  const holder = globalThis as Holder;
  let saved: KeyValueStore | undefined;
  beforeAll(() => {
    holder.__switchyardRedis ??= {};
    saved = holder.__switchyardRedis.store;
    if (storeKind === "memory") holder.__switchyardRedis.store = createMemoryStore();
    expect(holder.__switchyardRedis.store?.kind ?? "upstash").toBe(storeKind === "memory" ? "memory" : "upstash");
  });
  afterAll(() => {
    if (holder.__switchyardRedis) holder.__switchyardRedis.store = saved;
  });

  it("a rotated token stops working for the next trigger", async () => {
    const callback = await bareCallback(`rotate-${storeKind}`);
    let newToken = "";
    await raceFillWith(byToken(callback), 2, async () => {
      const rotated = await call<{ token: string }>(app.url, "POST", `/api/callbacks/${callback.id}/rotate-token`);
      expectOk(rotated);
      newToken = rotated.body.token;
    });
    expect((await fireTrigger(callback.triggerUrl)).status).toBe(404);
    expect((await fireTrigger(callback.triggerUrl.replace(callback.token, newToken))).status).toBe(202);
  });

  it("a rotated token stops opening the callback's custom path for the next trigger", async () => {
    const path = `rotate-path-${storeKind}-${Date.now()}`;
    const callback = await createCallback(app.url, { name: `rotate-path-${storeKind}`, path, pathTokenHeader: "X-Trigger-Token" });
    let newToken = "";
    await raceFillWith({ by: "path", path }, 2, async () => {
      const rotated = await call<{ token: string }>(app.url, "POST", `/api/callbacks/${callback.id}/rotate-token`);
      expectOk(rotated);
      newToken = rotated.body.token;
    });
    const withToken = async (token: string) => (await fetch(`${app.url}/api/hooks/${path}`, { method: "POST", body: "{}", headers: { "x-trigger-token": token } })).status;
    expect(await withToken(callback.token)).toBe(404);
    expect(await withToken(newToken)).toBe(202);
  });

  it("a disabled callback answers 404 to the next trigger", async () => {
    const callback = await bareCallback(`disable-${storeKind}`);
    await raceFillWith(byToken(callback), 2, async () => {
      expectOk(await call(app.url, "PATCH", `/api/callbacks/${callback.id}`, { body: { enabled: false } }));
    });
    expect((await fireTrigger(callback.triggerUrl)).status).toBe(404);
  });

  it("a deleted callback answers 404 to the next trigger", async () => {
    const callback = await bareCallback(`delete-${storeKind}`);
    await raceFillWith(byToken(callback), 2, async () => {
      expectOk(await call(app.url, "DELETE", `/api/callbacks/${callback.id}`));
    });
    expect((await fireTrigger(callback.triggerUrl)).status).toBe(404);
  });

  it("a disabled destination gets nothing from the next trigger", async () => {
    const callback = await twoDestinationCallback(`dest-off-${storeKind}`);
    const [first, second] = callback.destinations;
    await raceFillWith(byToken(callback), 2, async () => {
      expectOk(await call(app.url, "PATCH", `/api/destinations/${first?.id}`, { body: { enabled: false } }));
    });
    expect(await destinationsOf(callback)).toEqual([second?.id]);
  });

  it("a deleted destination gets nothing from the next trigger", async () => {
    const callback = await twoDestinationCallback(`dest-del-${storeKind}`);
    const [first, second] = callback.destinations;
    await raceFillWith(byToken(callback), 2, async () => {
      expectOk(await call(app.url, "DELETE", `/api/destinations/${first?.id}`));
    });
    expect(await destinationsOf(callback)).toEqual([second?.id]);
  });

  it("a paused callback holds the next trigger's delivery, listed as queued", async () => {
    const callback = await createCallback(app.url, { name: `pause-${storeKind}`, destinations: [httpDestination(`${sink.url}/pause-${storeKind}`)] });
    await raceFillWith(byToken(callback), 2, async () => {
      expectOk(await call(app.url, "POST", `/api/callbacks/${callback.id}/pause`));
    });
    await expectHeldThenReleased(callback, `/pause-${storeKind}`, `/api/callbacks/${callback.id}/resume`);
  });

  it("a paused destination holds the next trigger's delivery, listed as queued", async () => {
    const callback = await createCallback(app.url, { name: `dest-pause-${storeKind}`, destinations: [httpDestination(`${sink.url}/dest-pause-${storeKind}`)] });
    const destinationId = callback.destinations[0]?.id ?? "";
    await raceFillWith(byToken(callback), 2, async () => {
      expectOk(await call(app.url, "POST", `/api/destinations/${destinationId}/pause`));
    });
    await expectHeldThenReleased(callback, `/dest-pause-${storeKind}`, `/api/destinations/${destinationId}/resume`);
  });

  it("a filter set on a destination applies to the next trigger", async () => {
    const callback = await twoDestinationCallback(`filter-${storeKind}`);
    const [first, second] = callback.destinations;
    await raceFillWith(byToken(callback), 2, async () => {
      expectOk(await call(app.url, "PATCH", `/api/destinations/${first?.id}`, { body: { filter: { body: { type: "order.paid" } } } }));
    });
    const answer = await fireTrigger(callback.triggerUrl, { raw: '{"type":"order.created"}', headers: { "content-type": "application/json" } });
    expect(answer.status, answer.text).toBe(202);
    expect(answer.deliveries.map((delivery) => delivery.destinationId)).toEqual([second?.id]);
    expect((JSON.parse(answer.text) as { filtered: string[] }).filtered).toEqual([first?.id]);
    for (const delivery of answer.deliveries) await waitForDelivery(app.url, delivery.id, ["succeeded"]);
  });

  it("a path a fill found unknown works for the next trigger once a callback takes it", async () => {
    const path = `stale-${storeKind}-${Date.now()}`;
    await raceFillWith({ by: "path", path }, 1, async () => {
      await createCallback(app.url, { name: `path-${storeKind}`, path });
    });
    expect((await fetch(`${app.url}/api/hooks/${path}`, { method: "POST", body: "{}" })).status).toBe(202);
  });

  it("updateDestination called directly invalidates the warm cache itself", async () => {
    const callback = await twoDestinationCallback(`direct-${storeKind}`);
    const [first, second] = callback.destinations;
    expect((await destinationsOf(callback)).sort()).toEqual([first?.id, second?.id].sort());
    await updateDestination(getDb(), first?.id ?? "", { enabled: false });
    expect(await destinationsOf(callback)).toEqual([second?.id]);
  });

  it("reenableDestination called directly invalidates the warm cache itself", async () => {
    const callback = await twoDestinationCallback(`direct-on-${storeKind}`);
    const [first, second] = callback.destinations;
    await updateDestination(getDb(), first?.id ?? "", { enabled: false });
    expect(await destinationsOf(callback)).toEqual([second?.id]);
    await reenableDestination(getDb(), first?.id ?? "");
    expect((await destinationsOf(callback)).sort()).toEqual([first?.id, second?.id].sort());
  });
});
