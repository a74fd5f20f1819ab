// The Neon pool is attached for Vercel's Fluid compute: when a client goes back to the pool on
// Vercel, the instance is kept alive (waitUntil) until idle clients can close; off Vercel the
// same release does nothing. Vercel's runtime is played by its request-context symbol.
import { afterEach, describe, expect, it } from "vitest";
import { createNeonPool } from "@/lib/db/pool";

const contextSymbol = Symbol.for("@vercel/request-context");
type ContextHolder = typeof globalThis & { [contextSymbol]?: { get(): { waitUntil(promise: Promise<unknown>): void } } };

function fakeVercelRequest(): Array<Promise<unknown>> {
  const waited: Array<Promise<unknown>> = [];
  (globalThis as ContextHolder)[contextSymbol] = { get: () => ({ waitUntil: (promise) => waited.push(promise) }) };
  return waited;
}

const saved = { url: process.env.VERCEL_URL, region: process.env.VERCEL_REGION };
afterEach(() => {
  delete (globalThis as ContextHolder)[contextSymbol];
  for (const [name, value] of [
    ["VERCEL_URL", saved.url],
    ["VERCEL_REGION", saved.region],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

// Nothing listens on port 1: the pool never connects, the release is emitted as pg would.
const unconnectedPool = () => createNeonPool("postgres://u@127.0.0.1:1/db").pool;

describe("createNeonPool on Vercel", () => {
  it("keeps the function instance alive after a client is released", () => {
    process.env.VERCEL_URL = "switchyard-abc.vercel.app";
    process.env.VERCEL_REGION = "fra1";
    const waited = fakeVercelRequest();
    const pool = unconnectedPool();
    pool.emit("release", undefined, {});
    expect(waited).toHaveLength(1);
  });

  it("does nothing on release off Vercel", () => {
    delete process.env.VERCEL_URL;
    delete process.env.VERCEL_REGION;
    const waited = fakeVercelRequest();
    const pool = unconnectedPool();
    pool.emit("release", undefined, {});
    expect(waited).toHaveLength(0);
  });
});
