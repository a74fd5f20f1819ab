// Flow-control rate and pause on the local QStash, through the official client, against
// features/flowcontrol.mdx and openapi.yaml /v2/flowControl*: a rate is enforced per period, a
// paused key holds everything (retries too) in its wait list, and resume sends it oldest first.
import { QstashError } from "@upstash/qstash";
import { describe, expect, test } from "vitest";
import { devCredentials } from "@/scripts/qstash-server";
import { waitFor } from "../../support/api";
import { rejectionOf, startLocalQstash, startTimedSink } from "./qstash-stack";

/** Proving that nothing is sent takes a wait; long enough for many scheduler turns. */
const quietMs = 300;
const quiet = () => new Promise((resolve) => setTimeout(resolve, quietMs));

describe("rate and period", () => {
  test("rate=5 (period 1 s by default) starts 5 calls per second, each period a second after the last", async () => {
    const { client } = await startLocalQstash();
    const sink = await startTimedSink();
    const key = "rate-five";
    const count = 20;
    // One batch, so all are due at once and each period starts a full five.
    await client.batch(Array.from({ length: count }, (_, n) => ({ url: `${sink.url}/r`, body: `${n}`, flowControl: { key, rate: 5 } })));

    const info = await client.flowControl.get(key);
    expect(info).toMatchObject({ flowControlKey: key, rateMax: 5, ratePeriod: 1, rateCount: 5 });
    expect(info.waitListSize).toBeGreaterThan(0);
    expect(Math.abs(info.ratePeriodStart - Date.now() / 1_000)).toBeLessThan(2);
    await waitFor(async () => sink.arrivals.length === count, { what: `${count} deliveries`, timeoutMs: 8_000 });

    // Calls of one period reach the sink within some ms of each other (more on a busy machine);
    // periods are a second apart. So a pause of half a second or more separates two periods.
    const periods: number[][] = [];
    for (const { at } of sink.arrivals) {
      const current = periods.at(-1);
      if (current && at - (current.at(-1) ?? 0) < 500) current.push(at);
      else periods.push([at]);
    }
    expect(periods.map((period) => period.length)).toEqual([5, 5, 5, 5]);
    // 5 per second within ±20%: each period starts about a second after the one before.
    for (let i = 1; i < periods.length; i += 1) {
      expect(periods[i][0] - periods[i - 1][0]).toBeGreaterThanOrEqual(1_000 * 0.8);
      expect(periods[i][0] - periods[i - 1][0]).toBeLessThanOrEqual(1_000 * 1.2);
    }
    expect(sink.arrivals.map((arrival) => arrival.body)).toEqual(Array.from({ length: count }, (_, n) => `${n}`));
  });

  test("period=1m is read as 60 s; resetRate ends the period and the waiting message goes at once", async () => {
    const { client } = await startLocalQstash();
    const sink = await startTimedSink();
    const key = "rate-per-minute";
    for (const n of [1, 2, 3]) await client.publish({ url: `${sink.url}/m`, body: `${n}`, flowControl: { key, rate: 2, period: "1m" } });

    await waitFor(async () => sink.arrivals.length === 2, { what: "the first two" });
    await quiet();
    expect(sink.arrivals).toHaveLength(2);
    expect(await client.flowControl.get(key)).toMatchObject({ rateMax: 2, ratePeriod: 60, rateCount: 2, waitListSize: 1 });
    await client.flowControl.resetRate(key);
    await waitFor(async () => sink.arrivals.length === 3, { what: "the third after the reset" });
    expect(await client.flowControl.get(key)).toMatchObject({ rateCount: 1, waitListSize: 0 });
  });

  test("pinning resets the rate count and period (openapi.yaml warning), so a waiting message goes", async () => {
    const { client } = await startLocalQstash();
    const sink = await startTimedSink();
    const key = "rate-pinned";
    for (const n of [1, 2, 3]) await client.publish({ url: `${sink.url}/p`, body: `${n}`, flowControl: { key, rate: 2, period: 60 } });
    await waitFor(async () => sink.arrivals.length === 2, { what: "the first two" });

    await client.flowControl.pin(key, { rate: 2, period: 120 });
    await waitFor(async () => sink.arrivals.length === 3, { what: "the third after the pin" });
    expect(await client.flowControl.get(key)).toMatchObject({ rateMax: 2, ratePeriod: 120, rateCount: 1, isPinnedRate: true });
  });

  test("a rate of 0, a period over a week and a pin period that is not whole seconds are 400s", async () => {
    const { server, client } = await startLocalQstash();
    const publish = (value: string) =>
      fetch(`${server.url}/v2/publish/https://example.com/x`, {
        method: "POST",
        headers: { authorization: `Bearer ${devCredentials.token}`, "upstash-delay": "1h", "upstash-flow-control-key": "k", "upstash-flow-control-value": value },
      });
    const zero = await publish("rate=0");
    expect([zero.status, await zero.json()]).toEqual([400, { error: "rate must be at least 1" }]);
    expect((await publish("rate=1, period=8d")).status).toBe(400);
    expect((await publish("rate=1, period=7d")).ok).toBe(true);
    const pin = await rejectionOf(client.flowControl.pin("k", { rate: 1, period: 1.5 }));
    expect((pin as QstashError).status).toBe(400);
  });
});

describe("pause and resume", () => {
  test("a key paused before its first message holds every message, counts them, and resume sends them oldest first", async () => {
    const { client } = await startLocalQstash();
    const sink = await startTimedSink();
    const key = "paused-first";
    await client.flowControl.pause(key);
    expect(await client.flowControl.get(key)).toMatchObject({ flowControlKey: key, isPaused: true, waitListSize: 0 });
    const count = 12;
    for (let n = 0; n < count; n += 1) await client.publish({ url: `${sink.url}/h`, body: `${n}`, flowControl: { key, parallelism: 1 } });

    await waitFor(async () => (await client.flowControl.get(key)).waitListSize === count, { what: "all in the wait list" });
    await quiet();
    expect(sink.arrivals).toHaveLength(0);
    await client.flowControl.resume(key);
    await waitFor(async () => sink.arrivals.length === count, { what: "all delivered after resume" });
    expect(sink.arrivals.map((arrival) => arrival.body)).toEqual(Array.from({ length: count }, (_, n) => `${n}`));
    expect(await client.flowControl.get(key)).toMatchObject({ isPaused: false, waitListSize: 0 });
  });

  test("a message retrying when its key is paused waits in the wait list at its retry time", async () => {
    const { client } = await startLocalQstash();
    const sink = await startTimedSink();
    const key = "paused-retry";
    sink.on("/retry", (_arrival, index) => ({ status: index === 0 ? 500 : 200 }));
    await client.publish({ url: `${sink.url}/retry`, body: "x", retryDelay: "400", flowControl: { key, parallelism: 2 } });
    await waitFor(async () => sink.arrivals.length === 1, { what: "the first attempt" });
    await client.flowControl.pause(key);

    await waitFor(async () => (await client.flowControl.get(key)).waitListSize === 1, { what: "the retry in the wait list" });
    await quiet();
    expect(sink.arrivals).toHaveLength(1);
    await client.flowControl.resume(key);
    await waitFor(async () => sink.arrivals.length === 2, { what: "the retry after resume" });
    expect(sink.arrivals[1].headers["upstash-retried"]).toBe("1");
  });

  test("pausing does not cut an attempt in flight; a cancelled waiting message leaves the wait list", async () => {
    const { client } = await startLocalQstash();
    const sink = await startTimedSink();
    const key = "paused-inflight";
    sink.on("/slow", () => ({ delayMs: 300 }));
    await client.publish({ url: `${sink.url}/slow`, body: "running", flowControl: { key, parallelism: 1 } });
    await waitFor(async () => sink.arrivals.length === 1, { what: "the first attempt" });
    await client.flowControl.pause(key);
    const { messageId } = await client.publish({ url: `${sink.url}/slow`, body: "held", flowControl: { key, parallelism: 1 } });

    await waitFor(async () => sink.answeredAt.length === 1, { what: "the running attempt to finish" });
    await waitFor(async () => (await client.flowControl.get(key)).parallelismCount === 0, { what: "its slot to be freed" });
    expect((await client.flowControl.get(key)).waitListSize).toBe(1);
    await client.messages.cancel(messageId);
    expect((await client.flowControl.get(key)).waitListSize).toBe(0);
  });
});

describe("listing keys", () => {
  test("GET /v2/flowControl lists every key, and search keeps the names containing it", async () => {
    const { server, client } = await startLocalQstash();
    await client.flowControl.pause("orders-eu");
    await client.flowControl.pause("orders-us");
    await client.flowControl.pin("billing", { parallelism: 2 });
    const list = async (query = "") => {
      const response = await fetch(`${server.url}/v2/flowControl${query}`, { headers: { authorization: `Bearer ${devCredentials.token}` } });
      return ((await response.json()) as Array<{ flowControlKey: string }>).map((key) => key.flowControlKey);
    };

    expect(await list()).toEqual(["billing", "orders-eu", "orders-us"]);
    expect(await list("?search=orders")).toEqual(["orders-eu", "orders-us"]);
    const unknown = await rejectionOf(client.flowControl.get("never-seen"));
    expect((unknown as QstashError).status).toBe(404);
  });
});
