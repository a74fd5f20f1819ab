// The local QStash's flow-control bookkeeping (features/flowcontrol.mdx, openapi.yaml
// /v2/flowControl*) with the clock in the test's hands: how many calls a rate lets start per
// period, when a period ends, what pause, pin and resetRate do to the wait list and the counters.
import { afterEach, describe, expect, test } from "vitest";
import { FlowLimiter } from "@/scripts/qstash/flow-control";
import type { FlowControl, StoredMessage } from "@/scripts/qstash/types";

const limiters: FlowLimiter[] = [];
afterEach(() => {
  for (const limiter of limiters.splice(0)) limiter.clear();
});

function newLimiter(maxParallelism = 100): FlowLimiter {
  const limiter = new FlowLimiter(maxParallelism, () => {});
  limiters.push(limiter);
  return limiter;
}

let sequence = 0;
function message(flowControl: FlowControl): StoredMessage {
  sequence += 1;
  return {
    messageId: `msg_${sequence}`,
    url: "https://example.com/hook",
    method: "POST",
    header: {},
    body: Buffer.from(`${sequence}`),
    notBefore: 0,
    createdAt: 0,
    maxRetries: 3,
    timeoutMs: 1_000,
    contentBasedDeduplication: false,
    flowControl,
    retried: 0,
    isCallback: false,
  };
}

/** Publishes `count` messages on the key at `now` and returns how many may start at once. */
function arrive(limiter: FlowLimiter, flowControl: FlowControl, count: number, now: number): StoredMessage[] {
  limiter.configure(flowControl);
  return Array.from({ length: count }, () => limiter.enter(message(flowControl), now)).flat();
}

const t0 = 1_750_000_000_000;

describe("rate and period", () => {
  test("rate=3 lets 3 start in the period begun by the first call; the rest start when it ends", () => {
    const limiter = newLimiter();
    const flow = { key: "k", rate: 3 };
    expect(arrive(limiter, flow, 5, t0)).toHaveLength(3);
    expect(limiter.info("k", t0 + 999)).toMatchObject({ rateMax: 3, rateCount: 3, ratePeriod: 1, ratePeriodStart: t0 / 1_000, waitListSize: 2 });
    expect(limiter.admitWaiting(t0 + 999)).toHaveLength(0);
    expect(limiter.admitWaiting(t0 + 1_000)).toHaveLength(2);
    expect(limiter.info("k", t0 + 1_000)).toMatchObject({ rateCount: 2, ratePeriodStart: (t0 + 1_000) / 1_000, waitListSize: 0 });
  });

  test("a period of 60 s holds the rest for a minute, and resetRate starts a new period now", () => {
    const limiter = newLimiter();
    expect(arrive(limiter, { key: "m", rate: 2, periodSeconds: 60 }, 3, t0)).toHaveLength(2);
    expect(limiter.admitWaiting(t0 + 59_999)).toHaveLength(0);
    expect(limiter.resetRate("m", t0 + 10_000)).toBe(true);
    expect(limiter.admitWaiting(t0 + 10_000)).toHaveLength(1);
    expect(limiter.info("m", t0 + 10_000)).toMatchObject({ rateCount: 1, ratePeriod: 60, ratePeriodStart: (t0 + 10_000) / 1_000 });
    expect(limiter.resetRate("never-seen", t0)).toBe(false);
  });

  test("rate and parallelism together: the rate allows 4 now, parallelism 2 lets only 2 run", () => {
    const limiter = newLimiter();
    const started = arrive(limiter, { key: "both", rate: 4, parallelism: 2 }, 4, t0);
    expect(started).toHaveLength(2);
    limiter.release(started[0]);
    expect(limiter.admitWaiting(t0 + 10)).toHaveLength(1);
    expect(limiter.info("both", t0 + 10)).toMatchObject({ parallelismCount: 2, rateCount: 3, waitListSize: 1 });
  });

  test("pinning resets the rate count and period; the pinned rate and period hold over the messages'", () => {
    const limiter = newLimiter();
    arrive(limiter, { key: "p", rate: 1, periodSeconds: 60 }, 2, t0);
    limiter.pin("p", { rate: 1, periodSeconds: 120 });
    expect(limiter.info("p", t0 + 5)).toMatchObject({ rateCount: 0, ratePeriodStart: 0, ratePeriod: 120, isPinnedRate: true });
    expect(limiter.admitWaiting(t0 + 5)).toHaveLength(1);
    arrive(limiter, { key: "p", rate: 50 }, 1, t0 + 6);
    expect(limiter.info("p", t0 + 6)).toMatchObject({ rateMax: 1, waitListSize: 1 });
  });
});

describe("pause", () => {
  test("a key paused before any message exists is created paused; resume releases its wait list oldest first", () => {
    const limiter = newLimiter();
    limiter.setPaused("held", true);
    expect(limiter.info("held", t0)).toMatchObject({ isPaused: true, waitListSize: 0, parallelismMax: 0 });
    const flow = { key: "held", parallelism: 5 };
    expect(arrive(limiter, flow, 3, t0)).toHaveLength(0);
    expect(limiter.info("held", t0)).toMatchObject({ waitListSize: 3, parallelismMax: 5 });
    limiter.setPaused("held", false);
    expect(limiter.admitWaiting(t0).map((next) => next.body.toString())).toEqual([0, 1, 2].map((offset) => `${sequence - 2 + offset}`));
  });

  test("while paused the rate period keeps running and its count is kept", () => {
    const limiter = newLimiter();
    arrive(limiter, { key: "pr", rate: 2 }, 1, t0);
    limiter.setPaused("pr", true);
    expect(limiter.info("pr", t0 + 500)).toMatchObject({ rateCount: 1, ratePeriodStart: t0 / 1_000 });
    expect(limiter.info("pr", t0 + 1_000)).toMatchObject({ rateCount: 0 });
  });

  test("a cancelled waiting message leaves the wait list", () => {
    const limiter = newLimiter();
    limiter.setPaused("c", true);
    const flow = { key: "c", parallelism: 1 };
    limiter.configure(flow);
    const waiting = message(flow);
    limiter.enter(waiting, t0);
    limiter.forget(waiting);
    expect(limiter.info("c", t0)).toMatchObject({ waitListSize: 0 });
  });
});

describe("listing", () => {
  test("list returns every key sorted by name; search keeps those containing it", () => {
    const limiter = newLimiter();
    for (const key of ["b-orders", "a-orders", "billing"]) limiter.setPaused(key, true);
    const names = (search?: string) => limiter.list(t0, search).map((info) => info.flowControlKey);
    expect(names()).toEqual(["a-orders", "b-orders", "billing"]);
    expect(names("orders")).toEqual(["a-orders", "b-orders"]);
  });
});
