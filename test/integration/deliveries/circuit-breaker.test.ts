import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../../support/api";
import { createCallback, httpDestination, waitForDelivery } from "../../support/fixtures";
import { useApp } from "../../support/harness";
import { startSink, type Sink } from "../../support/sink";
import { deliveryFor, fire, getDestination, type DestinationView } from "../../support/lifecycle";

const app = useApp();
let rejecting: Sink;
let healthy: Sink;

beforeAll(async () => {
  rejecting = await startSink();
  rejecting.defaultStatus = 400;
  healthy = await startSink();
});
afterAll(async () => {
  await rejecting.close();
  await healthy.close();
});

async function failOnce(triggerUrl: string, destinationId: string): Promise<void> {
  const deliveryId = deliveryFor(await fire(triggerUrl), destinationId);
  expect((await waitForDelivery(app.url, deliveryId, ["failed", "succeeded", "dead"])).status).toBe("failed");
}

describe("circuit breaker", () => {
  it("disables a destination after N failed deliveries, stops publishing to it, and re-enables on request", async () => {
    const callback = await createCallback(app.url, {
      name: "breaker",
      destinations: [
        { ...httpDestination(`${rejecting.url}/breaker`), name: "rejecting", failureThreshold: 3 },
        { ...httpDestination(`${healthy.url}/breaker-ok`), name: "healthy" },
      ],
    });
    const [broken, fine] = callback.destinations.map((destination) => destination.id) as [string, string];
    expect((await getDestination(app.url, broken)).failureThreshold).toBe(3);
    expect((await getDestination(app.url, fine)).failureThreshold).toBe(20);

    await failOnce(callback.triggerUrl, broken);
    await failOnce(callback.triggerUrl, broken);
    expect(await getDestination(app.url, broken)).toMatchObject({ enabled: true, consecutiveFailures: 2, disabledReason: null });
    await failOnce(callback.triggerUrl, broken);
    expect(await getDestination(app.url, broken)).toMatchObject({
      enabled: false,
      consecutiveFailures: 3,
      disabledReason: "circuit breaker: 3 consecutive failures",
    });
    const listed = await call<{ destinations: DestinationView[] }>(app.url, "GET", `/api/callbacks/${callback.id}`);
    expect(listed.body.destinations.find((destination) => destination.id === broken)).toMatchObject({ enabled: false });

    // The trigger cache was invalidated when the breaker tripped: the next trigger skips it.
    const hitsBefore = rejecting.requests.length;
    const after = await fire(callback.triggerUrl);
    expect(after.deliveries.map((delivery) => delivery.destinationId)).toEqual([fine]);
    await waitForDelivery(app.url, deliveryFor(after, fine), ["succeeded"]);
    expect(rejecting.requests.length).toBe(hitsBefore);

    const enabled = await call<DestinationView>(app.url, "POST", `/api/destinations/${broken}/enable`);
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({ enabled: true, consecutiveFailures: 0, disabledReason: null });
    const again = await fire(callback.triggerUrl);
    expect(again.deliveries.map((delivery) => delivery.destinationId).sort()).toEqual([broken, fine].sort());
    await waitForDelivery(app.url, deliveryFor(again, broken), ["failed"]);
    expect((await getDestination(app.url, broken)).consecutiveFailures).toBe(1);
  });

  it("PATCH changes the threshold, and PATCH {enabled: true} re-enables with a fresh count", async () => {
    const callback = await createCallback(app.url, { name: "breaker-patch", destinations: [httpDestination(`${rejecting.url}/patch`)] });
    const id = callback.destinations[0]?.id ?? "";
    const patched = await call<DestinationView>(app.url, "PATCH", `/api/destinations/${id}`, { body: { failureThreshold: 1 } });
    expect(patched.body.failureThreshold).toBe(1);
    await failOnce(callback.triggerUrl, id);
    expect(await getDestination(app.url, id)).toMatchObject({ enabled: false, disabledReason: "circuit breaker: 1 consecutive failures" });
    const reenabled = await call<DestinationView>(app.url, "PATCH", `/api/destinations/${id}`, { body: { enabled: true } });
    expect(reenabled.body).toMatchObject({ enabled: true, consecutiveFailures: 0, disabledReason: null, failureThreshold: 1 });
  });

  it("counts deliveries, not attempts: a retried delivery that ends failed counts once", async () => {
    const callback = await createCallback(app.url, {
      name: "breaker-attempts",
      destinations: [{ ...httpDestination(`${healthy.url}/attempts`), failureThreshold: 2 }],
    });
    const id = callback.destinations[0]?.id ?? "";
    healthy.script([503, 400]);
    const deliveryId = deliveryFor(await fire(callback.triggerUrl), id);
    const detail = await waitForDelivery(app.url, deliveryId, ["failed", "succeeded", "dead"]);
    expect(detail).toMatchObject({ status: "failed", attempts: 2 });
    expect(await getDestination(app.url, id)).toMatchObject({ enabled: true, consecutiveFailures: 1 });
    const ok = deliveryFor(await fire(callback.triggerUrl), id);
    await waitForDelivery(app.url, ok, ["succeeded"]);
    expect((await getDestination(app.url, id)).consecutiveFailures).toBe(0);
  });

  it("failureThreshold null never trips; out-of-range thresholds are refused naming the field", async () => {
    const callback = await createCallback(app.url, {
      name: "breaker-off",
      destinations: [{ ...httpDestination(`${rejecting.url}/off`), failureThreshold: null }],
    });
    const id = callback.destinations[0]?.id ?? "";
    await failOnce(callback.triggerUrl, id);
    await failOnce(callback.triggerUrl, id);
    expect(await getDestination(app.url, id)).toMatchObject({ enabled: true, consecutiveFailures: 2, failureThreshold: null });
    const bad = await call<{ error: { code: string; field: string } }>(app.url, "PATCH", `/api/destinations/${id}`, { body: { failureThreshold: 0 } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.field).toBe("failureThreshold");
  });

  it("enable refuses unknown destinations and unauthenticated callers", async () => {
    expect((await call(app.url, "POST", "/api/destinations/01a22200-0000-7000-8000-000000000000/enable")).status).toBe(404);
    const callback = await createCallback(app.url, { name: "breaker-auth", destinations: [httpDestination(`${healthy.url}/auth`)] });
    expect((await call(app.url, "POST", `/api/destinations/${callback.destinations[0]?.id}/enable`, { token: null })).status).toBe(401);
  });
});
