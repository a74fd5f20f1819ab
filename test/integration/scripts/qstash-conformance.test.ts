// The local QStash server against what Upstash documents, through the official client: the
// exact header set a destination receives (on every lane: publish, flow-control key, queue and
// batch; on retries and failure callbacks too), flow-control limits held per key (newest
// unpinned message wins, pins hold, one account-wide cap), the plan's message size and longest
// delay, and the daily quota.
import { QstashDailyRatelimitError, QstashError, Receiver, type Client, type PublishRequest } from "@upstash/qstash";
import { describe, expect, test } from "vitest";
import { devCredentials, type QstashServer, type QstashServerOptions } from "@/scripts/qstash-server";
import { waitFor } from "../../support/api";
import { startSink, type Sink } from "../../support/sink";
import { closeAfter, deliveredHeaders, headerNames, rejectionOf, startLocalQstash, startTimedSink, type Arrival } from "./qstash-stack";

async function stack(options: QstashServerOptions = {}): Promise<{ server: QstashServer; client: Client; sink: Sink }> {
  const { server, client } = await startLocalQstash(options);
  const sink = await startSink();
  closeAfter(sink);
  return { server, sink, client };
}

describe("what a destination receives", () => {
  test("a delivery carries exactly QStash's documented headers and the forwarded ones", async () => {
    const { client, sink } = await stack({ region: "US-EAST-1" });
    const { messageId } = await client.publishJSON({ url: `${sink.url}/d`, body: { a: 1 }, headers: { "X-Trace": "t-1" }, retries: 2 });
    await waitFor(async () => sink.requests.length === 1, { what: "the delivery" });
    const { headers } = sink.requests[0];

    expect(headerNames(headers)).toEqual([...deliveredHeaders, "x-trace"].sort());
    expect(headers).toMatchObject({
      "content-type": "application/json",
      "upstash-message-id": messageId,
      "upstash-retried": "0",
      "upstash-region": "US-EAST-1",
      "user-agent": "Upstash-QStash",
      "x-trace": "t-1",
    });
    expect(headers["upstash-caller-ip"]).toMatch(/127\.0\.0\.1/);
  });

  test("a failure callback carries the same set, and never the retry budget", async () => {
    const { client, sink } = await stack();
    sink.script([489], { "upstash-nonretryable-error": "true" });
    await client.publishJSON({ url: `${sink.url}/refuses`, body: { a: 1 }, retries: 3, failureCallback: `${sink.url}/failed` });
    await waitFor(async () => sink.requests.some((request) => request.path === "/failed"), { what: "the failure callback" });
    const callback = sink.requests.find((request) => request.path === "/failed");

    expect(headerNames(callback?.headers ?? {})).toEqual(deliveredHeaders);
    expect(JSON.parse(callback?.body ?? "{}")).toMatchObject({ status: 489, maxRetries: 3, retried: 0 });
  });
});

/** Every way the app hands QStash a message: a plain publish, a flow-control key, a queue, a batch entry to a queue. */
const lanes: Array<[string, (client: Client, request: PublishRequest<unknown>) => Promise<unknown>]> = [
  ["a plain publish", (client, request) => client.publishJSON(request)],
  ["a flow-controlled publish", (client, request) => client.publishJSON({ ...request, flowControl: { key: "fc-headers", parallelism: 2, rate: 10, period: 1 } })],
  ["an enqueue", (client, request) => client.queue({ queueName: "q-headers" }).enqueueJSON(request)],
  ["a batch entry to a queue", (client, request) => client.batchJSON([{ ...request, queueName: "q-batch-headers" }])],
];

describe("the header set on every lane", () => {
  const receiver = new Receiver({ currentSigningKey: devCredentials.currentSigningKey, nextSigningKey: devCredentials.nextSigningKey });

  async function expectSigned(arrival: Arrival, url: string): Promise<void> {
    const signature = String(arrival.headers["upstash-signature"]);
    expect(await receiver.verify({ signature, body: arrival.body, url })).toBe(true);
  }

  test.each(lanes)("%s: both attempts and the failure callback carry exactly QStash's headers", async (_lane, publish) => {
    const { client } = await startLocalQstash();
    const sink = await startTimedSink();
    sink.on("/try", () => ({ status: 503 }));
    await publish(client, { url: `${sink.url}/try`, body: { a: 1 }, headers: { "X-Trace": "t-1" }, retries: 1, failureCallback: `${sink.url}/failed` });
    await waitFor(async () => sink.at("/failed").length === 1, { what: "the failure callback" });

    const attempts = sink.at("/try");
    expect(attempts.map((arrival) => arrival.headers["upstash-retried"])).toEqual(["0", "1"]);
    for (const attempt of attempts) {
      expect(headerNames(attempt.headers)).toEqual([...deliveredHeaders, "x-trace"].sort());
      await expectSigned(attempt, `${sink.url}/try`);
    }
    const [callback] = sink.at("/failed");
    expect(headerNames(callback.headers)).toEqual(deliveredHeaders);
    await expectSigned(callback, `${sink.url}/failed`);
    expect(JSON.parse(callback.body)).toMatchObject({ status: 503, retried: 1, maxRetries: 1 });
  });
});

describe("flow control", () => {
  test("the newest message sets its key's parallelism, also for messages already waiting", async () => {
    const { server, client, sink } = await stack();
    sink.delayMs = 100;
    const key = "fc-latest";
    server.pauseDeliveries();
    for (const parallelism of [3, 3, 3, 1, 1, 1]) {
      await client.publish({ url: `${sink.url}/fc`, body: String(parallelism), flowControl: { key, parallelism } });
    }
    server.resumeDeliveries();

    await waitFor(async () => sink.requests.length === 6, { what: "six deliveries", timeoutMs: 5_000 });
    expect(sink.maxConcurrent).toBe(1);
  });

  test("a pinned parallelism holds whatever the messages ask, and unpinning hands it back to them", async () => {
    const { client, sink } = await stack();
    sink.delayMs = 100;
    const key = "fc-pinned";
    await client.flowControl.pin(key, { parallelism: 2 });
    await Promise.all([1, 2, 3, 4, 5].map((n) => client.publish({ url: `${sink.url}/pin`, body: `${n}`, flowControl: { key, parallelism: 5 } })));

    expect(await client.flowControl.get(key)).toMatchObject({ flowControlKey: key, parallelismMax: 2, isPinnedParallelism: true });
    await waitFor(async () => sink.requests.length === 5, { what: "five deliveries", timeoutMs: 5_000 });
    expect(sink.maxConcurrent).toBe(2);
    await client.flowControl.unpin(key, { parallelism: true });
    await client.publish({ url: `${sink.url}/pin`, body: "6", flowControl: { key, parallelism: 4 } });
    expect(await client.flowControl.get(key)).toMatchObject({ parallelismMax: 4, isPinnedParallelism: false });
  });

  test("the account-wide parallelism caps all keys together", async () => {
    const { client, sink } = await stack({ maxParallelism: 3 });
    sink.delayMs = 100;
    const publishes = ["a", "b"].flatMap((key) =>
      [1, 2, 3, 4, 5].map((n) => client.publish({ url: `${sink.url}/${key}`, body: `${n}`, flowControl: { key: `fc-global-${key}`, parallelism: 8 } })),
    );
    await Promise.all(publishes);

    await waitFor(async () => sink.requests.length === 10, { what: "ten deliveries", timeoutMs: 5_000 });
    expect(sink.maxConcurrent).toBe(3);
    // The sink records a request before it answers: the last ones may still be in flight.
    await waitFor(async () => (await client.flowControl.getGlobalParallelism()).parallelismCount === 0, { what: "no delivery in flight" });
    expect((await client.flowControl.getGlobalParallelism()).parallelismMax).toBe(3);
  });

  test("the free plan's account-wide parallelism is 10 by default", async () => {
    const { client } = await stack();
    expect((await client.flowControl.getGlobalParallelism()).parallelismMax).toBe(10);
  });
});

describe("plan limits", () => {
  test("once the daily quota is used up, publishing is a 429 the SDK raises as QstashDailyRatelimitError", async () => {
    const { client, sink } = await stack({ dailyMessageQuota: 2 });
    await client.publish({ url: `${sink.url}/q`, body: "1" });
    const tooMany = await rejectionOf(
      client.batch([
        { url: `${sink.url}/q`, body: "2" },
        { url: `${sink.url}/q`, body: "3" },
      ]),
    );
    expect(tooMany).toBeInstanceOf(QstashDailyRatelimitError);
    await client.publish({ url: `${sink.url}/q`, body: "2" });

    const refused = await rejectionOf(client.publish({ url: `${sink.url}/q`, body: "3" }));
    expect(refused).toBeInstanceOf(QstashDailyRatelimitError);
    const { limit, remaining, reset } = refused as QstashDailyRatelimitError;
    expect([limit, remaining]).toEqual(["2", "0"]);
    const tomorrow = (Math.floor(Date.now() / 86_400_000) + 1) * 86_400;
    expect(Number(reset)).toBe(tomorrow);
    await waitFor(async () => sink.requests.length === 2, { what: "the two accepted messages" });
  });

  test("one batch call may carry up to 100 MB whatever the plan; each entry keeps the plan's size", async () => {
    const { client, sink } = await stack();
    // 20 entries just under the free plan's 1 MiB: 18 MB in one call, as a 20-destination fan-out of a large body is.
    const body = "x".repeat(900 * 1024);
    const replies = await client.batch(Array.from({ length: 20 }, () => ({ url: `${sink.url}/wide`, body, delay: 60 })));
    expect(replies).toHaveLength(20);
    expect(replies.every((reply) => "messageId" in reply && typeof reply.messageId === "string")).toBe(true);
    const [tooBig] = (await client.batch([{ url: `${sink.url}/wide`, body: "x".repeat(2 * 1024 * 1024), delay: 60 }])) as unknown as Array<{ error?: string }>;
    expect(tooBig?.error).toMatch(/limit is 1048576/);
  });

  test("the longest delay follows the plan: 7 days on free, a year on pay as you go", async () => {
    const eightDays = 8 * 86_400;
    const free = await stack();
    const refused = await rejectionOf(free.client.publish({ url: `${free.sink.url}/later`, body: "x", delay: eightDays }));
    expect(refused).toBeInstanceOf(QstashError);
    expect((refused as QstashError).status).toBe(400);
    await expect(free.client.publish({ url: `${free.sink.url}/later`, body: "x", delay: 7 * 86_400 })).resolves.toMatchObject({ messageId: expect.any(String) });
    const payg = await stack({ plan: "payg" });
    await expect(payg.client.publish({ url: `${payg.sink.url}/later`, body: "x", delay: eightDays })).resolves.toMatchObject({ messageId: expect.any(String) });
  });

  test("the message size limit follows the plan: 1 MiB on free, 10 MiB on pay as you go", async () => {
    const body = "x".repeat(2 * 1024 * 1024);
    const free = await stack();
    const refused = await rejectionOf(free.client.publish({ url: `${free.sink.url}/big`, body, delay: 60 }));
    expect(refused).toBeInstanceOf(QstashError);
    expect((refused as QstashError).status).toBe(413);
    const payg = await stack({ plan: "payg" });
    await expect(payg.client.publish({ url: `${payg.sink.url}/big`, body, delay: 60 })).resolves.toMatchObject({ messageId: expect.any(String) });
  });
});
