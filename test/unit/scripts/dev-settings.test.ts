// npm run dev starts a stand-in only for what the operator did not point elsewhere. Upstash Redis
// set under the Vercel Marketplace's names counts as set: lib/env.ts reads those when
// UPSTASH_REDIS_REST_* are unset, and a bridge started over them would replace the operator's store.
import { describe, expect, it } from "vitest";
import { readDevSettings } from "@/scripts/dev/settings";

describe("readDevSettings", () => {
  it("starts every stand-in when nothing is set", () => {
    expect(readDevSettings({}).external).toEqual({ qstash: false, redis: false, wsProxy: false });
  });

  it.each([
    ["UPSTASH_REDIS_REST_URL", { UPSTASH_REDIS_REST_URL: "https://eu1-x.upstash.io" }],
    ["KV_REST_API_URL", { KV_REST_API_URL: "https://eu1-x.upstash.io" }],
  ])("leaves Redis to the operator when %s is set", (_name, source) => {
    expect(readDevSettings(source).external.redis).toBe(true);
  });
});
