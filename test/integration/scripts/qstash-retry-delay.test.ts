// Retry timing on the local QStash, through the official client, against features/retry.mdx:
// an Upstash-Retry-Delay expression sets the wait between attempts (never shortened by the test
// backoff), a receiver's Retry-After (and X-RateLimit-Reset*) replaces it up to a day, and an
// expression QStash would not accept is a 400 at publish.
import { QstashError } from "@upstash/qstash";
import { describe, expect, test } from "vitest";
import { waitFor } from "../../support/api";
import { rejectionOf, startLocalQstash, startTimedSink } from "./qstash-stack";

/** Timers fire late, never early; 5 ms covers Date.now() against the timer's own clock. */
const earlyMs = 5;

async function gapBetweenTwoAttempts(retryDelay: string, firstAnswer: { status: number; headers?: Record<string, string> }): Promise<number> {
  const { client } = await startLocalQstash({ backoffBaseMs: 20 });
  const sink = await startTimedSink();
  sink.on("/attempts", (_arrival, index) => (index === 0 ? firstAnswer : { status: 200 }));
  await client.publish({ url: `${sink.url}/attempts`, body: "x", retries: 2, retryDelay });
  await waitFor(async () => sink.arrivals.length === 2, { what: "the second attempt", timeoutMs: 8_000 });
  expect(sink.arrivals.map((arrival) => arrival.headers["upstash-retried"])).toEqual(["0", "1"]);
  return sink.arrivals[1].at - sink.arrivals[0].at;
}

describe("Upstash-Retry-Delay", () => {
  test("a fixed 2000 waits 2 s between attempts, though the server's test backoff is 20 ms", async () => {
    const gapMs = await gapBetweenTwoAttempts("2000", { status: 500 });
    expect(gapMs).toBeGreaterThanOrEqual(2_000 - earlyMs);
    expect(gapMs).toBeLessThan(2_000 + 500);
  });

  test("retried is 0 for the first retry: 1000 * (1 + retried) waits 1 s, then 2 s", async () => {
    const { client } = await startLocalQstash({ backoffBaseMs: 20 });
    const sink = await startTimedSink();
    sink.on("/linear", (_arrival, index) => ({ status: index < 2 ? 500 : 200 }));
    await client.publish({ url: `${sink.url}/linear`, body: "x", retries: 2, retryDelay: "1000 * (1 + retried)" });

    await waitFor(async () => sink.arrivals.length === 3, { what: "three attempts", timeoutMs: 8_000 });
    const [first, second, third] = sink.arrivals.map((arrival) => arrival.at);
    expect(second - first).toBeGreaterThanOrEqual(1_000 - earlyMs);
    expect(second - first).toBeLessThan(1_500);
    expect(third - second).toBeGreaterThanOrEqual(2_000 - earlyMs);
    expect(third - second).toBeLessThan(2_500);
  });

  test("an expression QStash does not document is a 400 naming the header; in a batch only that entry is refused", async () => {
    const { client } = await startLocalQstash();
    const refused = await rejectionOf(client.publish({ url: "https://example.com/x", body: "x", retryDelay: "1000 * retries" }));
    expect(refused).toBeInstanceOf(QstashError);
    expect([(refused as QstashError).status, (refused as QstashError).message]).toEqual([400, expect.stringContaining('Upstash-Retry-Delay \\"1000 * retries\\"')]);
    expect((refused as QstashError).message).toContain('unknown name \\"retries\\"');

    const replies = (await client.batch([
      { url: "https://example.com/x", body: "bad", retryDelay: "min(1, 2, 3)" },
      { url: "https://example.com/x", body: "good", retryDelay: "1000", delay: 3_600 },
    ])) as unknown as Array<{ messageId?: string; error?: string }>;
    expect(replies[0]).toEqual({ error: expect.stringContaining("min takes 2 arguments, got 3") });
    expect(replies[1].messageId).toEqual(expect.any(String));
  });
});

describe("Retry-After against the retry delay", () => {
  test("a receiver's Retry-After wins over the message's Upstash-Retry-Delay", async () => {
    const gapMs = await gapBetweenTwoAttempts("5000", { status: 503, headers: { "Retry-After": "1" } });
    expect(gapMs).toBeGreaterThanOrEqual(1_000 - earlyMs);
    expect(gapMs).toBeLessThan(2_000);
  });

  test.each([
    ["Retry-After", "1s"],
    ["X-RateLimit-Reset", "1"],
    ["X-RateLimit-Reset-Requests", "1000ms"],
    ["X-RateLimit-Reset-Tokens", "0.5s"],
  ])("%s: %s is honoured (seconds or a duration)", async (name, value) => {
    const gapMs = await gapBetweenTwoAttempts("5000", { status: 429, headers: { [name]: value } });
    const expectedMs = value === "0.5s" ? 500 : 1_000;
    expect(gapMs).toBeGreaterThanOrEqual(expectedMs - earlyMs);
    expect(gapMs).toBeLessThan(expectedMs + 1_000);
  });

  test("a Retry-After beyond one day is ignored and the message's retry delay applies", async () => {
    const gapMs = await gapBetweenTwoAttempts("300", { status: 503, headers: { "Retry-After": "86401" } });
    expect(gapMs).toBeGreaterThanOrEqual(300 - earlyMs);
    expect(gapMs).toBeLessThan(1_000);
  });
});
