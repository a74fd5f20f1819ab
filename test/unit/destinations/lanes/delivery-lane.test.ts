// Which QStash lane a delivery is published into: the destination's flow-control key (with its
// rate) without ordering, a FIFO queue with it, with an ordering key the partition its rendered
// value hashes to (never more queues than partitions), and the destination-wide queue when the
// key cannot be rendered from the request.
import { describe, expect, it } from "vitest";
import { deliveryLaneOf, type LaneJob, type LaneSettings } from "@/lib/destinations/lanes/delivery-lane";
import { checkDeliveryOptions, defaultDeliveryOptions } from "@/lib/destinations/lanes/delivery-options";
import { AppError } from "@/lib/errors";

const destinationId = "0190b9c4-0000-7000-8000-000000000001";
const settings = (overrides: Partial<LaneSettings> = {}): LaneSettings => ({ ...defaultDeliveryOptions, id: destinationId, maxConcurrency: 4, ...overrides });
const jobWith = (body: unknown): LaneJob => ({
  eventId: "0190b9c4-0000-7000-8000-00000000000e",
  callbackId: "0190b9c4-0000-7000-8000-00000000000c",
  deliveryId: "0190b9c4-0000-7000-8000-00000000000d",
  destinationId,
  request: { method: "POST", path: "/t", query: {}, headers: { "content-type": "application/json" }, body: JSON.stringify(body), bodyEncoding: "utf8", receivedAt: new Date().toISOString() },
});

describe("deliveryLaneOf", () => {
  it("uses the destination's flow-control key with its parallelism, and its rate when set", () => {
    expect(deliveryLaneOf(settings(), jobWith({}))).toEqual({ flowControl: { key: `sy-dest-${destinationId}`, parallelism: 4 } });
    expect(deliveryLaneOf(settings({ rateLimit: { count: 5, periodSeconds: 1 } }), jobWith({}))).toEqual({
      flowControl: { key: `sy-dest-${destinationId}`, parallelism: 4, rate: 5, period: 1 },
    });
  });

  it("carries the destination's retries and compiled retry delay", () => {
    expect(deliveryLaneOf(settings({ retries: 2, retryDelay: { type: "fixed", baseSeconds: 2 } }), jobWith({}))).toMatchObject({ retries: 2, retryDelay: "2000" });
  });

  it("sends a FIFO destination to its queue, and a keyed one to the partition its key's value hashes to", () => {
    expect(deliveryLaneOf(settings({ ordering: "fifo" }), jobWith({}))).toEqual({ queueName: `sy-dest-${destinationId}` });
    const keyed = settings({ ordering: "fifo", orderingKey: "{body.customerId}", orderingPartitions: 4 });
    const queueOf = (customerId: string, lane = keyed) => deliveryLaneOf(lane, jobWith({ customerId })).queueName;
    // The same value always lands in the same queue, whatever else the request carries.
    expect(deliveryLaneOf(keyed, jobWith({ customerId: "a", other: 1 })).queueName).toBe(queueOf("a"));
    // 200 values share 4 queues, and use them all.
    const queues = new Set(Array.from({ length: 200 }, (_, n) => queueOf(`customer-${n}`)));
    expect([...queues].sort()).toEqual([0, 1, 2, 3].map((partition) => `sy-dest-${destinationId}.${partition}`));
    // One partition: every value in one queue. No count stored (null): the default 4.
    expect(new Set(["a", "b", "c"].map((value) => queueOf(value, { ...keyed, orderingPartitions: 1 })))).toEqual(new Set([`sy-dest-${destinationId}.0`]));
    expect(new Set(Array.from({ length: 200 }, (_, n) => queueOf(`customer-${n}`, { ...keyed, orderingPartitions: null })))).toEqual(queues);
  });

  it("falls back to the destination-wide queue when the key renders empty or cannot render", () => {
    const keyed = settings({ ordering: "fifo", orderingKey: "{body.customerId}" });
    expect(deliveryLaneOf(keyed, jobWith({ other: 1 })).queueName).toBe(`sy-dest-${destinationId}`);
    expect(deliveryLaneOf(keyed, jobWith({ customerId: "" })).queueName).toBe(`sy-dest-${destinationId}`);
  });
});

describe("checkDeliveryOptions", () => {
  const refusal = (options: Partial<typeof defaultDeliveryOptions>) => {
    try {
      checkDeliveryOptions({ ...defaultDeliveryOptions, ...options });
    } catch (error) {
      return error instanceof AppError ? { field: error.field, message: error.message } : undefined;
    }
    return undefined;
  };

  it("accepts the defaults, FIFO with a request key, and a rate without FIFO", () => {
    expect(refusal({})).toBeUndefined();
    expect(refusal({ ordering: "fifo", orderingKey: "{body.customerId}-{header.x-region}" })).toBeUndefined();
    expect(refusal({ rateLimit: { count: 5, periodSeconds: 1 } })).toBeUndefined();
  });

  it("names the field it refuses", () => {
    expect(refusal({ orderingKey: "{body.id}" })).toMatchObject({ field: "orderingKey", message: expect.stringMatching(/fifo/) });
    expect(refusal({ ordering: "fifo", rateLimit: { count: 5, periodSeconds: 1 } })).toMatchObject({ field: "rateLimit" });
    expect(refusal({ ordering: "fifo", orderingKey: "{secret:KEY}" })).toMatchObject({ field: "orderingKey", message: expect.stringMatching(/request/) });
    expect(refusal({ ordering: "fifo", orderingKey: "{body.id" })).toMatchObject({ field: "orderingKey" });
    expect(refusal({ retryDelay: { type: "expression", expression: "1000 +" } })).toMatchObject({ field: "retryDelay.expression" });
    expect(refusal({ orderingPartitions: 4 })).toMatchObject({ field: "orderingPartitions", message: expect.stringMatching(/orderingKey/) });
    expect(refusal({ ordering: "fifo", orderingPartitions: 4 })).toMatchObject({ field: "orderingPartitions" });
    expect(refusal({ ordering: "fifo", orderingKey: "{body.id}", orderingPartitions: 8 })).toBeUndefined();
  });
});
