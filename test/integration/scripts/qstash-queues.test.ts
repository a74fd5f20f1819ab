// Queues on the local QStash, through the official client, against features/queues.mdx and
// openapi.yaml /v2/queues* and /v2/enqueue: strictly FIFO one at a time by default, the next
// message waits for the current one's retries and callbacks, and a paused queue holds its lag.
import { QstashError } from "@upstash/qstash";
import { describe, expect, test } from "vitest";
import { waitFor } from "../../support/api";
import { rejectionOf, startLocalQstash, startTimedSink } from "./qstash-stack";

const bodies = (arrivals: Array<{ body: string }>) => arrivals.map((arrival) => arrival.body);
const numbered = (count: number) => Array.from({ length: count }, (_, n) => `${n}`);

describe("ordered delivery", () => {
  test("messages go one at a time in enqueue order while the receiver answers after random delays", async () => {
    const { client } = await startLocalQstash();
    const sink = await startTimedSink();
    sink.on("/fifo", () => ({ delayMs: Math.floor(Math.random() * 40) }));
    const queue = client.queue({ queueName: "fifo-random" });
    const count = 15;
    for (const body of numbered(count)) await queue.enqueue({ url: `${sink.url}/fifo`, body });

    await waitFor(async () => sink.answeredAt.filter(Boolean).length === count, { what: `${count} answered`, timeoutMs: 8_000 });
    expect(bodies(sink.arrivals)).toEqual(numbered(count));
    expect(sink.maxConcurrent).toBe(1);
    // Each call starts only after the one before it was answered.
    for (let i = 1; i < count; i += 1) expect(sink.arrivals[i].at).toBeGreaterThanOrEqual(sink.answeredAt[i - 1]);
    expect(await queue.get()).toMatchObject({ name: "fifo-random", parallelism: 1, lag: 0, paused: false });
  });

  test("a head that fails twice, then succeeds, holds the others back: order is kept", async () => {
    const { client } = await startLocalQstash();
    const sink = await startTimedSink();
    sink.on("/head", (arrival, index) => ({ status: arrival.body === "0" && index < 2 ? 500 : 200 }));
    const queue = client.queue({ queueName: "fifo-head" });
    for (const body of numbered(4)) await queue.enqueueJSON({ url: `${sink.url}/head`, body: Number(body), retries: 3 });

    await waitFor(async () => sink.arrivals.length === 6, { what: "three attempts of the head and three others" });
    expect(bodies(sink.arrivals)).toEqual(["0", "0", "0", "1", "2", "3"]);
    expect(sink.arrivals.slice(0, 3).map((arrival) => arrival.headers["upstash-retried"])).toEqual(["0", "1", "2"]);
  });

  test("a head that runs out of retries goes to the DLQ, then the next one continues", async () => {
    const { client } = await startLocalQstash();
    const sink = await startTimedSink();
    sink.on("/dies", (arrival) => ({ status: arrival.body === "first" ? 500 : 200 }));
    const queue = client.queue({ queueName: "fifo-dlq" });
    const { messageId } = await queue.enqueue({ url: `${sink.url}/dies`, body: "first", retries: 1 });
    await queue.enqueue({ url: `${sink.url}/dies`, body: "second", retries: 1 });

    await waitFor(async () => sink.arrivals.length === 3, { what: "two attempts, then the next message" });
    expect(bodies(sink.arrivals)).toEqual(["first", "first", "second"]);
    const { messages } = await client.dlq.listMessages({ filter: { messageId } });
    expect(messages).toMatchObject([{ messageId, queueName: "fifo-dlq", responseStatus: 500 }]);
  });

  test("the next message waits until the current one's callback has been answered", async () => {
    const { client } = await startLocalQstash();
    const sink = await startTimedSink();
    sink.on("/callback", () => ({ delayMs: 300 }));
    const queue = client.queue({ queueName: "fifo-callback" });
    await queue.enqueue({ url: `${sink.url}/work`, body: "first", callback: `${sink.url}/callback` });
    await queue.enqueue({ url: `${sink.url}/work`, body: "second" });

    await waitFor(async () => sink.at("/work").length === 2, { what: "both messages" });
    expect(sink.arrivals.map((arrival) => `${arrival.path} ${arrival.body.length > 10 ? "callback" : arrival.body}`)).toEqual(["/work first", "/callback callback", "/work second"]);
    expect(sink.arrivals[2].at).toBeGreaterThanOrEqual(sink.answeredAt[1]);
  });

  test("parallelism 2 runs two at a time and starts them in enqueue order", async () => {
    const { client } = await startLocalQstash();
    const sink = await startTimedSink();
    sink.on("/two", () => ({ delayMs: 100 }));
    const queue = client.queue({ queueName: "fifo-two" });
    await queue.upsert({ parallelism: 2 });
    for (const body of numbered(6)) await queue.enqueue({ url: `${sink.url}/two`, body });

    await waitFor(async () => sink.arrivals.length === 6, { what: "six deliveries" });
    expect(sink.maxConcurrent).toBe(2);
    expect(bodies(sink.arrivals)).toEqual(numbered(6));
  });

  test("batchJSON entries with a queueName are enqueued, in batch order", async () => {
    const { client } = await startLocalQstash();
    const sink = await startTimedSink();
    sink.on("/batched", () => ({ delayMs: Math.floor(Math.random() * 30) }));
    await client.batchJSON(numbered(5).map((n) => ({ url: `${sink.url}/batched`, body: { n: Number(n) }, queueName: "fifo-batch" })));

    await waitFor(async () => sink.arrivals.length === 5, { what: "five deliveries" });
    expect(sink.arrivals.map((arrival) => (JSON.parse(arrival.body) as { n: number }).n)).toEqual([0, 1, 2, 3, 4]);
    expect(sink.maxConcurrent).toBe(1);
  });
});

describe("pause and resume", () => {
  test("a paused queue accepts messages, delivers none and reports them as lag; resume sends them in order", async () => {
    const { client } = await startLocalQstash();
    const sink = await startTimedSink();
    const queue = client.queue({ queueName: "paused-queue" });
    await queue.upsert({ parallelism: 1, paused: true });
    for (const body of numbered(3)) await queue.enqueue({ url: `${sink.url}/held`, body });

    expect(await queue.get()).toMatchObject({ paused: true, lag: 3 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sink.arrivals).toHaveLength(0);
    await queue.resume();
    await waitFor(async () => (await queue.get()).lag === 0, { what: "the lag to drain" });
    expect(bodies(sink.arrivals)).toEqual(numbered(3));
    expect((await queue.get()).paused).toBe(false);
  });

  test("pausing while the head is retrying holds its next attempt; resume sends it first", async () => {
    const { client } = await startLocalQstash();
    const sink = await startTimedSink();
    sink.on("/retrying", (arrival, index) => ({ status: arrival.body === "head" && index === 0 ? 500 : 200 }));
    const queue = client.queue({ queueName: "paused-retry" });
    await queue.enqueue({ url: `${sink.url}/retrying`, body: "head", retryDelay: "300" });
    await queue.enqueue({ url: `${sink.url}/retrying`, body: "next" });
    await waitFor(async () => sink.arrivals.length === 1, { what: "the head's first attempt" });
    await queue.pause();

    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(sink.arrivals).toHaveLength(1);
    expect((await queue.get()).lag).toBe(2);
    await queue.resume();
    await waitFor(async () => sink.arrivals.length === 3, { what: "the retry, then the next" });
    expect(bodies(sink.arrivals)).toEqual(["head", "head", "next"]);
  });
});

describe("management and input", () => {
  test("upsert, get, list and delete speak the SDK's QueueResponse; a deleted queue is gone", async () => {
    const { client } = await startLocalQstash({ plan: "payg" });
    const before = Date.now();
    await client.queue({ queueName: "managed.a" }).upsert({ parallelism: 3 });
    await client.queue({ queueName: "managed_b" }).upsert({});

    const a = await client.queue({ queueName: "managed.a" }).get();
    expect(a).toEqual({ name: "managed.a", parallelism: 3, lag: 0, paused: false, createdAt: expect.any(Number), updatedAt: expect.any(Number) });
    expect(a.createdAt).toBeGreaterThanOrEqual(before);
    const names = (await client.queue().list()).map((queue) => [queue.name, queue.parallelism]);
    expect(names).toEqual([
      ["managed.a", 3],
      ["managed_b", 1],
    ]);
    await client.queue({ queueName: "managed.a" }).delete();
    const gone = await rejectionOf(client.queue({ queueName: "managed.a" }).get());
    expect((gone as QstashError).status).toBe(404);
  });

  test("an invalid queue name is a 400, on upsert and on enqueue", async () => {
    const { client } = await startLocalQstash();
    const upsert = await rejectionOf(client.queue({ queueName: "bad name!" }).upsert({ parallelism: 1 }));
    expect([(upsert as QstashError).status, (upsert as QstashError).message]).toEqual([400, expect.stringContaining("bad name!")]);
    const enqueue = await rejectionOf(client.queue({ queueName: "bad*name" }).enqueue({ url: "https://example.com/x", body: "x" }));
    expect((enqueue as QstashError).status).toBe(400);
  });

  test("enqueue refuses the delay and flow-control options its API does not document", async () => {
    const { client } = await startLocalQstash();
    const queue = client.queue({ queueName: "no-extras" });
    const delayed = await rejectionOf(queue.enqueue({ url: "https://example.com/x", body: "x", delay: 10 }));
    expect([(delayed as QstashError).status, (delayed as QstashError).message]).toEqual([400, expect.stringContaining("Upstash-Delay")]);
    const paced = await rejectionOf(queue.enqueue({ url: "https://example.com/x", body: "x", flowControl: { key: "k", parallelism: 1 } }));
    expect([(paced as QstashError).status, (paced as QstashError).message]).toEqual([400, expect.stringContaining("Upstash-Flow-Control-Key")]);
  });

  test("the plan caps queue parallelism and the number of queues with 412", async () => {
    const { client } = await startLocalQstash({ plan: "free" });
    const tooParallel = await rejectionOf(client.queue({ queueName: "wide" }).upsert({ parallelism: 3 }));
    expect((tooParallel as QstashError).status).toBe(412);
    for (let n = 0; n < 10; n += 1) await client.queue({ queueName: `q${n}` }).upsert({ parallelism: 2 });
    const eleventh = await rejectionOf(client.queue({ queueName: "q10" }).upsert({ parallelism: 1 }));
    expect((eleventh as QstashError).status).toBe(412);
  });
});
