// What each hot function ships (issue #18): the files `next build` traces for a Pages API route
// are what Vercel uploads and loads on a cold start. The embedded development database (PGlite)
// and broker (aedes), the dev scripts and test tooling must never be among them. Builds once,
// like the other next-start tests: run under the shared next lock.
import { beforeAll, describe, expect, it } from "vitest";
import { ensureNextBuild } from "@/scripts/lib/next-server";
import { forbiddenFiles, isHotRoute, readRouteTraces, type RouteTrace } from "@/scripts/bench/route-traces";

let traces: RouteTrace[] = [];

beforeAll(async () => {
  await ensureNextBuild();
  traces = readRouteTraces().filter(isHotRoute);
}, 420_000);

describe("hot routes' traced files", () => {
  it("cover every hot route of the build", () => {
    expect(traces.map((trace) => trace.route)).toEqual(
      expect.arrayContaining(["/api/trigger/[token]", "/api/hooks/[...path]", "/api/deliver", "/api/deliver/failed", "/api/alerts/deliver", "/api/alerts/deliver/failed"]),
    );
    for (const trace of traces) expect(trace.files, trace.route).toBeGreaterThan(0);
  });

  it("carry no PGlite, aedes, dev scripts, tests or test tooling", () => {
    expect(Object.fromEntries(traces.map((trace) => [trace.route, trace.forbidden]))).toEqual(Object.fromEntries(traces.map((trace) => [trace.route, []])));
  });

  it("the check names each kind of file it refuses, as a build would list it", () => {
    expect(
      forbiddenFiles([
        ".next/node_modules/@electric-sql/pglite-7966c14983af6418/dist/index.js",
        "node_modules/@electric-sql/pglite/dist/pglite.wasm",
        "node_modules/aedes/aedes.js",
        "scripts/dev/mqtt-broker.ts",
        "test/support/sink.ts",
        "node_modules/vitest/dist/index.js",
        "node_modules/msw/lib/core/index.js",
        "node_modules/playwright-core/index.js",
      ]).map((entry) => entry.split(":")[0]),
    ).toEqual(["PGlite", "PGlite", "aedes", "dev scripts", "tests", "test tooling", "test tooling", "test tooling"]);
    expect(forbiddenFiles(["node_modules/mqtt/build/index.js", "node_modules/@neondatabase/serverless/index.mjs", ".next/server/chunks/ssr/x.js"])).toEqual([]);
  });
});
