// Ordered and paced delivery (issue #16): a FIFO destination receives its deliveries one at a
// time in the order the triggers were accepted, also when the head fails and is retried; a rate
// limit is what the receiver sees; a retry delay sets the time between attempts, and a receiver's
// Retry-After still wins over it; a destination's retries override its callback's.
import http from "node:http";
import { describe, expect, it } from "vitest";
import { waitFor } from "../../../support/api";
import { createCallback, httpDestination, waitForDelivery } from "../../../support/fixtures";
import { useApp } from "../../../support/harness";
import { deliveryFor, fire } from "../../../support/lifecycle";
import { postSigned, signLikeQstash } from "../../../support/qstash-signing";
import { startSink, type Sink, type SinkRequest } from "../../../support/sink";
import { uuidv7 } from "@/lib/ids";

const app = useApp();

interface Arrival {
  n: number;
  customerId?: string;
  at: number;
}

/** A receiver that records when each delivery arrived and answers after `delayMs()`. */
async function timedSink(delayMs: () => number, status: (request: SinkRequest, index: number) => number = () => 200): Promise<Sink & { arrivals: Arrival[]; inFlightMax: () => number }> {
  const arrivals: Arrival[] = [];
  let inFlight = 0;
  let inFlightMax = 0;
  const sink = await startSink({
    respond: (request, response: http.ServerResponse) => {
      // The default message: the trigger's body sits in the envelope's request.
      const body = (JSON.parse(request.body) as { request: { body: { n: number; customerId?: string } } }).request.body;
      arrivals.push({ n: body.n, customerId: body.customerId, at: Date.now() });
      const answer = status(request, arrivals.length - 1);
      inFlight += 1;
      inFlightMax = Math.max(inFlightMax, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        response.writeHead(answer, { "content-type": "application/json" });
        response.end("{}");
      }, delayMs());
    },
  });
  return Object.assign(sink, { arrivals, inFlightMax: () => inFlightMax });
}

/** A receiver that answers at once: 500 to the first `failures` deliveries, 200 after them. */
const failingSink = (failures: number) =>
  timedSink(
    () => 0,
    (_request, index) => (index < failures ? 500 : 200),
  );

async function withSink<S extends Sink>(sink: S, run: (sink: S) => Promise<void>): Promise<void> {
  try {
    await run(sink);
  } finally {
    await sink.close();
  }
}

/** Triggers fired one after another, so the order they were accepted in is known. */
async function fireInOrder(triggerUrl: string, bodies: Array<Record<string, unknown>>): Promise<void> {
  for (const body of bodies) await fire(triggerUrl, body);
}

const capturedRequest = {
  method: "POST",
  path: "/api/trigger/{token}",
  query: {},
  headers: { "content-type": "application/json" },
  body: '{"n":1}',
  bodyEncoding: "utf8",
  receivedAt: new Date().toISOString(),
};

const numbered = (count: number) => Array.from({ length: count }, (_, n) => ({ n }));

describe("FIFO ordering", () => {
  it("delivers 30 triggers one at a time in the order they were accepted, whatever the receiver's delays", async () => {
    await withSink(await timedSink(() => Math.floor(Math.random() * 40)), async (sink) => {
      const callback = await createCallback(app.url, { name: "fifo-30", destinations: [{ ...httpDestination(`${sink.url}/fifo`), ordering: "fifo", maxConcurrency: 20 }] });
      await fireInOrder(callback.triggerUrl, numbered(30));
      await waitFor(async () => sink.arrivals.length >= 30, { timeoutMs: 30_000, what: "30 FIFO deliveries" });
      expect(sink.arrivals.map((arrival) => arrival.n)).toEqual(numbered(30).map((body) => body.n));
      expect(sink.inFlightMax()).toBe(1);
    });
  });

  it("keeps the order when the head fails twice: the ones behind it wait for its retries", async () => {
    await withSink(await failingSink(2), async (sink) => {
      const callback = await createCallback(app.url, {
        name: "fifo-head",
        retries: 3,
        destinations: [{ ...httpDestination(`${sink.url}/fifo-head`), ordering: "fifo", retryDelay: { type: "fixed", baseSeconds: 0.2 } }],
      });
      await fireInOrder(callback.triggerUrl, numbered(5));
      await waitFor(async () => sink.arrivals.length >= 7, { timeoutMs: 20_000, what: "the head's 3 attempts and the 4 behind it" });
      expect(sink.arrivals.map((arrival) => arrival.n)).toEqual([0, 0, 0, 1, 2, 3, 4]);
    });
  });

  it("orders per ordering-key value, each key in the order its triggers were accepted", async () => {
    await withSink(await timedSink(() => Math.floor(Math.random() * 30)), async (sink) => {
      const callback = await createCallback(app.url, {
        name: "fifo-keyed",
        destinations: [{ ...httpDestination(`${sink.url}/fifo-keyed`), ordering: "fifo", orderingKey: "{body.customerId}" }],
      });
      const bodies = Array.from({ length: 20 }, (_, n) => ({ n, customerId: n % 2 === 0 ? "even" : "odd" }));
      await fireInOrder(callback.triggerUrl, bodies);
      await waitFor(async () => sink.arrivals.length >= 20, { timeoutMs: 30_000, what: "20 keyed deliveries" });
      for (const customerId of ["even", "odd"]) {
        const expected = bodies.filter((body) => body.customerId === customerId).map((body) => body.n);
        expect(sink.arrivals.filter((arrival) => arrival.customerId === customerId).map((arrival) => arrival.n)).toEqual(expected);
      }
    });
  });
});

describe("pace and retry schedule", () => {
  it("delivers at the destination's rate: 5 per second measured at the receiver over 5 s, within 20%", async () => {
    await withSink(await timedSink(() => 0), async (sink) => {
      const callback = await createCallback(app.url, {
        name: "rate-5",
        destinations: [{ ...httpDestination(`${sink.url}/rate`), maxConcurrency: 50, rateLimit: { count: 5, periodSeconds: 1 } }],
      });
      for (let start = 0; start < 40; start += 10) await Promise.all(numbered(10).map(({ n }) => fire(callback.triggerUrl, { n: start + n })));
      // Five seconds of steady flow, starting half a period after the first delivery: QStash
      // releases a period's count at once, so a window starting exactly at a release could take in
      // a sixth release at its far edge.
      await waitFor(async () => sink.arrivals.length > 0 && Date.now() - (sink.arrivals[0]?.at ?? 0) >= 5_600, { timeoutMs: 20_000, what: "5.5 s of deliveries" });
      const from = (sink.arrivals[0]?.at ?? 0) + 500;
      const inWindow = sink.arrivals.filter((arrival) => arrival.at >= from && arrival.at < from + 5_000).length;
      expect(inWindow / 5).toBeGreaterThanOrEqual(4);
      expect(inWindow / 5).toBeLessThanOrEqual(6);
    });
  });

  it("waits the fixed retry delay of 2 s between attempts", async () => {
    await withSink(await failingSink(2), async (sink) => {
      const callback = await createCallback(app.url, {
        name: "retry-fixed",
        destinations: [{ ...httpDestination(`${sink.url}/retry-fixed`), retries: 2, retryDelay: { type: "fixed", baseSeconds: 2 } }],
      });
      const answer = await fire(callback.triggerUrl, { n: 1 });
      const delivery = await waitForDelivery(app.url, deliveryFor(answer, callback.destinations[0]?.id ?? ""), ["succeeded", "dead"], 20_000);
      expect(delivery).toMatchObject({ status: "succeeded", attempts: 3 });
      const gaps = sink.arrivals.slice(1).map((arrival, index) => arrival.at - (sink.arrivals[index]?.at ?? 0));
      expect(gaps).toHaveLength(2);
      for (const gap of gaps) {
        expect(gap).toBeGreaterThanOrEqual(1_900);
        expect(gap).toBeLessThan(3_500);
      }
    });
  });

  it("lets a receiver's Retry-After win over the retry delay: the delivery function answers QStash 503 with it", async () => {
    // Counted for the end-to-end path alone: the direct destination gets the trigger's fan-out too,
    // and may well arrive first.
    let endToEndAnswered = 0;
    const sink = await startSink({
      respond: (request, response) => {
        if (request.path === "/retry-after") endToEndAnswered += 1;
        const busy = request.path === "/direct" || endToEndAnswered === 1;
        response.writeHead(busy ? 503 : 200, busy ? { "retry-after": request.path === "/direct" ? "7" : "1" } : {});
        response.end();
      },
    });
    await withSink(sink, async () => {
      const retryDelay = { type: "fixed", baseSeconds: 60 };
      const callback = await createCallback(app.url, {
        name: "retry-after",
        destinations: [
          { ...httpDestination(`${sink.url}/retry-after`), name: "end-to-end", retries: 2, retryDelay },
          { ...httpDestination(`${sink.url}/direct`), name: "direct", retries: 2, retryDelay },
        ],
      });
      const [endToEnd, direct] = callback.destinations.map((destination) => destination.id) as [string, string];
      const answer = await fire(callback.triggerUrl, { n: 1 });
      const started = Date.now();
      const delivery = await waitForDelivery(app.url, deliveryFor(answer, endToEnd), ["succeeded"], 15_000);
      expect(delivery.attempts).toBe(2);
      expect(Date.now() - started).toBeLessThan(10_000);

      // What QStash is told: 503 with the receiver's Retry-After, whatever the retry delay.
      const job = { v: 1, deliveryId: uuidv7(), eventId: uuidv7(), callbackId: callback.id, destinationId: direct, kind: "http", retries: 2, request: capturedRequest };
      const url = `${app.url}/api/deliver`;
      const body = JSON.stringify(job);
      const reply = await postSigned(url, body, await signLikeQstash({ url, body }), { "upstash-retried": "0" });
      expect(reply.status).toBe(503);
      expect(reply.headers.get("retry-after")).toBe("7");
    });
  });

  it("uses the destination's retries instead of its callback's", async () => {
    await withSink(await failingSink(Infinity), async (sink) => {
      const callback = await createCallback(app.url, {
        name: "retries-override",
        retries: 5,
        destinations: [{ ...httpDestination(`${sink.url}/retries`), retries: 1, retryDelay: { type: "fixed", baseSeconds: 0.1 } }],
      });
      const deliveryId = deliveryFor(await fire(callback.triggerUrl, { n: 1 }), callback.destinations[0]?.id ?? "");
      expect(await waitForDelivery(app.url, deliveryId, ["dead"], 15_000)).toMatchObject({ status: "dead", attempts: 2 });
      expect(sink.arrivals).toHaveLength(2);
    });
  });
});
