// The queue's message limit is checked per job before publishing, serializing a request shared
// by a trigger's jobs once per kind — yet never skipping a job with a request of its own.
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import type { CapturedRequest, DeliveryJob } from "@/lib/deliveries/job";
import { assertJobSizes, maxJobBytes } from "@/lib/deliveries/publish-jobs";
import { buildJobs } from "@/lib/triggers/accept-trigger";
import { uuidv7 } from "@/lib/ids";

const requestOf = (bodyBytes: number): CapturedRequest => ({
  method: "POST",
  path: "/t",
  query: {},
  headers: { "content-type": "text/plain" },
  body: "x".repeat(bodyBytes),
  bodyEncoding: "utf8",
  receivedAt: new Date().toISOString(),
});

const fanOut = (request: CapturedRequest, kinds: string[]) =>
  buildJobs({ id: uuidv7(), destinations: kinds.map((kind) => ({ id: uuidv7(), kind, enabled: true, maxConcurrency: 8 })) }, request).jobs;

function refusal(jobs: DeliveryJob[]): string {
  try {
    assertJobSizes(jobs);
    return "accepted";
  } catch (error) {
    return error instanceof AppError ? `${error.code}: ${error.message}` : String(error);
  }
}

describe("assertJobSizes", () => {
  it("accepts a fan-out whose jobs fit and refuses one whose shared request does not", () => {
    expect(refusal(fanOut(requestOf(10_000), ["http", "mqtt", "amqp", "http"]))).toBe("accepted");
    expect(refusal(fanOut(requestOf(maxJobBytes), ["http", "mqtt"]))).toMatch(/^payload_too_large: The captured request needs \d+ bytes queued/);
  });

  it("checks every job that carries a request of its own (bulk replay), not just the first", () => {
    const replays = [...fanOut(requestOf(100), ["http"]), ...fanOut(requestOf(200), ["http"]), ...fanOut(requestOf(maxJobBytes), ["http"])];
    expect(refusal(replays)).toMatch(/^payload_too_large/);
    expect(refusal(replays.slice(0, 2))).toBe("accepted");
  });
});
