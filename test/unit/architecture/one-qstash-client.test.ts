// Every message the app hands QStash (deliveries, FIFO enqueues, held deliveries published again,
// replays, alerts) must carry Vercel's protection bypass to the delivery and to its failure
// callback. lib/qstash/index.ts builds the one client with those headers as its global publish
// headers; a second client, or a raw call to a publish endpoint, would send messages without them.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnv } from "@/lib/env";
import { qstashForwardHeaders } from "@/lib/qstash/forward-headers";
import { sourceFiles } from "./import-graph";

const root = path.resolve(import.meta.dirname, "../../..");

const appFiles = ["lib", "app", "pages"].flatMap((dir) => sourceFiles(root, dir)).concat("proxy.ts");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

afterEach(() => {
  delete process.env.VERCEL_AUTOMATION_BYPASS_SECRET;
  resetEnv();
});

describe("the app's QStash client", () => {
  it("is constructed in lib/qstash/index.ts only, with the forward headers", () => {
    expect(appFiles.length).toBeGreaterThan(100);
    expect(appFiles.filter((file) => /new Client\(/.test(read(file)))).toEqual(["lib/qstash/index.ts"]);
    expect(read("lib/qstash/index.ts")).toMatch(/headers: qstashForwardHeaders\(\)/);
  });

  it("is the only way app code publishes: no raw call to a publish, batch or enqueue endpoint", () => {
    expect(appFiles.filter((file) => /\/v2\/(publish|batch|enqueue)\b/.test(read(file)))).toEqual([]);
  });

  it("forwards the bypass secret to the delivery and to the failure callback when it is set", () => {
    expect(qstashForwardHeaders()).toBeUndefined();
    process.env.VERCEL_AUTOMATION_BYPASS_SECRET = "bypass-0123456789abcdef";
    resetEnv();
    expect(qstashForwardHeaders()).toEqual({
      "Upstash-Forward-x-vercel-protection-bypass": "bypass-0123456789abcdef",
      "Upstash-Failure-Callback-Forward-x-vercel-protection-bypass": "bypass-0123456789abcdef",
    });
  });
});
