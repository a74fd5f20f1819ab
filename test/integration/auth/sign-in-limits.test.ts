// Sign-in limits that hold: counted before the password check (parallel guesses cannot slip
// through), keyed on the address the platform wrote (not the client's X-Forwarded-For), with a
// per-username ceiling, and a throttle on wrong bearer tokens.
import { randomInt, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { call } from "../../support/api";
import { withEnv } from "../../support/env-override";
import { useApp } from "../../support/harness";
import { testAdminToken } from "../../support/ports";
import { maxBearerFailures, maxLoginAttemptsPerAddress, maxLoginAttemptsPerUsername } from "@/lib/ratelimit/login-failures";

const app = useApp();
const password = "correct horse battery staple";
const randomAddress = () => `198.51.${randomInt(256)}.${randomInt(1, 255)}`;

async function newViewer(): Promise<string> {
  const username = `limits-${randomUUID().slice(0, 8)}`;
  expect((await call(app.url, "POST", "/api/operators", { body: { username, password, role: "viewer" } })).status).toBe(201);
  return username;
}

function signIn(username: string, secret: string, headers: Record<string, string> = {}) {
  return call(app.url, "POST", "/api/auth/login", { token: null, body: { username, password: secret }, headers });
}

/** On Vercel the address comes from x-vercel-forwarded-for, which Vercel's edge writes. */
const onVercel = <T>(run: () => Promise<T>) => withEnv({ VERCEL: "1" }, run);

describe("sign-in attempts", () => {
  it("20 parallel guesses get exactly 5 password checks; the rest, and then the right password, get 429", async () => {
    const username = await newViewer();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, index) => signIn(username, `guess-${index}`)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(maxLoginAttemptsPerAddress);
    expect(statuses.filter((status) => status === 429)).toHaveLength(20 - maxLoginAttemptsPerAddress);
    const right = await signIn(username, password);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("a rotating X-Forwarded-For does not reset the limit on Vercel", async () => {
    const username = await newViewer();
    const address = randomAddress();
    await onVercel(async () => {
      for (let attempt = 0; attempt < maxLoginAttemptsPerAddress; attempt += 1) {
        const answer = await signIn(username, "wrong", { "x-vercel-forwarded-for": address, "x-forwarded-for": randomAddress() });
        expect(answer.status).toBe(401);
      }
      const rotated = await signIn(username, password, { "x-vercel-forwarded-for": address, "x-forwarded-for": randomAddress() });
      expect(rotated.status).toBe(429);
      // Another client of the same operator is not locked out by this address.
      expect((await signIn(username, password, { "x-vercel-forwarded-for": randomAddress() })).status).toBe(200);
    });
  });

  it("caps attempts on one username across all addresses", { timeout: 120_000 }, async () => {
    const username = await newViewer();
    await onVercel(async () => {
      for (let batch = 0; batch < maxLoginAttemptsPerUsername / 10; batch += 1) {
        const answers = await Promise.all(Array.from({ length: 10 }, () => signIn(username, "wrong", { "x-vercel-forwarded-for": randomAddress() })));
        expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(401));
      }
      const fresh = await signIn(username, password, { "x-vercel-forwarded-for": randomAddress() });
      expect(fresh.status).toBe(429);
    });
  });
});

describe("bearer tokens on the operator API", () => {
  it("an address that sent too many wrong tokens gets 429 with Retry-After; the right token elsewhere still works", async () => {
    const guesser = randomAddress();
    await onVercel(async () => {
      const headers = { "x-vercel-forwarded-for": guesser };
      for (let attempt = 0; attempt < maxBearerFailures; attempt += 1) {
        expect((await call(app.url, "GET", "/api/callbacks", { token: `guess-${attempt}`, headers })).status).toBe(401);
      }
      const blocked = await call<{ error: { code: string } }>(app.url, "GET", "/api/callbacks", { token: "one-more-guess", headers });
      expect(blocked.status).toBe(429);
      expect(blocked.body.error.code).toBe("rate_limited");
      expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
      // Even the right token from the blocked address waits: guessing stops there.
      expect((await call(app.url, "GET", "/api/callbacks", { token: testAdminToken, headers })).status).toBe(429);
      const elsewhere = await call(app.url, "GET", "/api/callbacks", { token: testAdminToken, headers: { "x-vercel-forwarded-for": randomAddress() } });
      expect(elsewhere.status).toBe(200);
    });
  });
});
