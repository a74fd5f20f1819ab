// Guards the layout of DESIGN.md: a new import against the layers, from destinations into
// deliveries, from app code into test/, or closing a loop between two lib/ folders fails here.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { directionViolations, folderCycles, readImportGraph, type ImportEdge } from "./import-graph";

const root = path.resolve(import.meta.dirname, "../../..");
const graph = readImportGraph(root, ["lib", "app", "pages", "scripts"], ["proxy.ts"]);

const edge = (fromFile: string, toFile: string): ImportEdge => ({ fromFile, toFile });

describe("import directions of the code base", () => {
  it("reads the graph (a parser that found nothing would pass every rule)", () => {
    expect(graph.length).toBeGreaterThan(500);
    expect(graph).toContainEqual(edge("lib/deliveries/run-delivery.ts", "lib/destinations/senders"));
  });

  it("has no import against the layers, from destinations into deliveries, or into test/", () => {
    expect(directionViolations(graph)).toEqual([]);
  });

  it("has no cycle between lib/ folders", () => {
    expect(folderCycles(graph)).toEqual([]);
  });
});

describe("the rules themselves", () => {
  it("refuse a destination importing from deliveries", () => {
    const violations = directionViolations([edge("lib/destinations/http/send-http.ts", "lib/deliveries/job")]);
    expect(violations).toEqual(["lib/destinations/http/send-http.ts imports lib/deliveries/job: destinations never import deliveries"]);
  });

  it("refuse scripts and lib importing test helpers, and allow tests to", () => {
    const violations = directionViolations([
      edge("scripts/bench/stack.ts", "test/support/ports"),
      edge("lib/db/index.ts", "test/support/harness"),
      edge("test/unit/x.test.ts", "test/support/ports"),
    ]);
    expect(violations).toHaveLength(2);
    expect(violations[0]).toContain("only tests import test/");
  });

  it("refuse a platform module importing a capability above it", () => {
    expect(directionViolations([edge("lib/qstash/answer.ts", "lib/destinations/types")])).toEqual([
      "lib/qstash/answer.ts imports lib/destinations/types: lib/qstash (layer 2) imports the higher lib/destinations (layer 4)",
    ]);
    expect(directionViolations([edge("lib/destinations/kinds.ts", "lib/templates")])).toEqual([]);
  });

  it("refuse a folder no layer names, so a new one must be placed", () => {
    expect(directionViolations([edge("lib/reports/x.ts", "lib/db")])).toEqual(["lib/reports/x.ts imports lib/db: lib/reports has no layer"]);
  });

  it("find the three loops issue #13 broke, should one come back", () => {
    const cycles = folderCycles([
      edge("lib/callbacks/manage-callbacks.ts", "lib/triggers/callback-cache"),
      edge("lib/triggers/callback-cache.ts", "lib/callbacks/present-callback"),
      edge("lib/alerts/deliver-alert.ts", "lib/deliveries/job"),
      edge("lib/deliveries/outcome-effects.ts", "lib/alerts/alert-settings"),
      edge("lib/errors.ts", "lib/http/reply"),
      edge("lib/http/reply.ts", "lib/errors"),
    ]);
    expect(cycles).toEqual([
      ["lib/callbacks", "lib/triggers"],
      ["lib/alerts", "lib/deliveries"],
      ["lib/errors", "lib/http"],
    ]);
    expect(directionViolations([edge("lib/errors.ts", "lib/http/reply")])).toEqual(["lib/errors.ts imports lib/http/reply: lib/errors (layer 0) imports the higher lib/http (layer 1)"]);
  });

  it("find two-way and longer loops between lib/ folders", () => {
    const cycles = folderCycles([
      edge("lib/callbacks/a.ts", "lib/triggers/b"),
      edge("lib/triggers/b.ts", "lib/callbacks/a"),
      edge("lib/alerts/a.ts", "lib/deliveries/b"),
      edge("lib/deliveries/b.ts", "lib/retention/c"),
      edge("lib/retention/c.ts", "lib/alerts/a"),
      edge("lib/ui/a.ts", "lib/db/b"),
    ]);
    expect(cycles).toEqual([
      ["lib/callbacks", "lib/triggers"],
      ["lib/alerts", "lib/deliveries", "lib/retention"],
    ]);
  });
});
