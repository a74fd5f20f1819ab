// The token endpoint's answers, including the ones a real peer would rarely give (malformed
// JSON, no access_token), via msw. Tokens are cached in the app's key-value store (the
// in-process one here) until 30 s before they expire.
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { resetEnv } from "@/lib/env";
import { obtainAccessToken, OAuth2Error, tokenCacheKey, tokenLifetimeSeconds, type OAuth2Params } from "@/lib/destinations/http/oauth2";
import { getKeyValueStore } from "@/lib/redis";

const tokenRequests: Array<{ path: string; authorization: string | null; form: URLSearchParams }> = [];
let issued = 0;

const server = setupServer(
  http.post("http://auth.test/:mode", async ({ request, params }) => {
    const form = new URLSearchParams(await request.text());
    tokenRequests.push({ path: String(params.mode), authorization: request.headers.get("authorization"), form });
    switch (params.mode) {
      case "ok":
        issued += 1;
        return HttpResponse.json({ access_token: `token-${issued}`, token_type: "Bearer", expires_in: 120 });
      case "string-expiry":
        return HttpResponse.json({ access_token: "string-expiry-token", expires_in: "3600" });
      case "malformed":
        return new HttpResponse('{"access_token": "abc"', { status: 200, headers: { "content-type": "application/json" } });
      case "no-token":
        return HttpResponse.json({ token_type: "Bearer", expires_in: 60 });
      case "invalid-client":
        return HttpResponse.json({ error: "invalid_client", error_description: "bad secret" }, { status: 401 });
      case "unavailable":
        return new HttpResponse("down", { status: 503 });
      default:
        return new HttpResponse(null, { status: 404 });
    }
  }),
);

const params = (mode: string, extra: Partial<OAuth2Params> = {}): OAuth2Params => ({
  tokenUrl: `http://auth.test/${mode}`,
  clientId: "client id/1",
  clientSecret: "s3cret:with&chars",
  scope: "read write",
  audience: "https://api.example",
  clientAuth: "basic",
  ...extra,
});
const options = () => ({ policy: () => undefined, deadline: Date.now() + 5000, timeoutMs: 5000 });

beforeAll(() => {
  vi.stubEnv("ENCRYPTION_KEY", Buffer.alloc(32, 3).toString("base64"));
  for (const name of ["ADMIN_TOKEN", "SESSION_SECRET", "CRON_SECRET"]) vi.stubEnv(name, `unit-${name}`);
  vi.stubEnv("UPSTASH_REDIS_REST_URL", "");
  vi.stubEnv("LOG_LEVEL", "error");
  resetEnv();
  (globalThis as { __switchyardRedis?: unknown }).__switchyardRedis = undefined;
  server.listen({ onUnhandledRequest: "error" });
});
beforeEach(() => {
  tokenRequests.length = 0;
});
afterEach(() => {
  vi.useRealTimers();
});
afterAll(() => {
  server.close();
  vi.unstubAllEnvs();
  resetEnv();
});

describe("obtainAccessToken", () => {
  it("posts grant_type=client_credentials with scope and audience, client credentials via HTTP Basic", async () => {
    const token = await obtainAccessToken(params("ok", { clientSecret: "basic-check" }), options());
    expect(token.fromCache).toBe(false);
    const [request] = tokenRequests;
    expect(Object.fromEntries(request?.form ?? [])).toEqual({ grant_type: "client_credentials", scope: "read write", audience: "https://api.example" });
    const decoded = Buffer.from((request?.authorization ?? "").replace(/^Basic /, ""), "base64").toString();
    expect(decoded.split(":").map(decodeURIComponent)).toEqual(["client id/1", "basic-check"]);
  });

  it("sends client_id and client_secret as form fields when clientAuth is body", async () => {
    await obtainAccessToken(params("ok", { clientAuth: "body", clientSecret: "body-check" }), options());
    const [request] = tokenRequests;
    expect(request?.authorization).toBeNull();
    expect(request?.form.get("client_id")).toBe("client id/1");
    expect(request?.form.get("client_secret")).toBe("body-check");
  });

  it("reuses the cached token until 30 s before expiry, then fetches a new one", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2030-01-01T00:00:00Z"));
    const config = params("ok", { clientSecret: "expiry-check" });
    const first = await obtainAccessToken(config, options());
    vi.setSystemTime(new Date("2030-01-01T00:01:29Z"));
    const second = await obtainAccessToken(config, options());
    expect(second).toEqual({ value: first.value, fromCache: true });
    vi.setSystemTime(new Date("2030-01-01T00:01:31Z"));
    const third = await obtainAccessToken(config, options());
    expect(third.fromCache).toBe(false);
    expect(third.value).not.toBe(first.value);
    expect(tokenRequests).toHaveLength(2);
  });

  it("stores the token sealed, keyed by a hash that changes with the client secret", async () => {
    const config = params("ok", { clientSecret: "sealed-check" });
    const { value } = await obtainAccessToken(config, options());
    const stored = await getKeyValueStore().get<string>(tokenCacheKey(config));
    expect(stored).toMatch(/^v1\./);
    expect(stored).not.toContain(value);
    expect(tokenCacheKey(config)).not.toContain("sealed-check");
    expect(tokenCacheKey({ ...config, clientSecret: "rotated" })).not.toBe(tokenCacheKey(config));
    const rotated = await obtainAccessToken({ ...config, clientSecret: "rotated" }, options());
    expect(rotated.fromCache).toBe(false);
  });

  it("forceRefresh skips the cache", async () => {
    const config = params("ok", { clientSecret: "force-check" });
    await obtainAccessToken(config, options());
    const refreshed = await obtainAccessToken(config, { ...options(), forceRefresh: true });
    expect(refreshed.fromCache).toBe(false);
    expect(tokenRequests).toHaveLength(2);
  });

  it("accepts expires_in given as a string", async () => {
    await expect(obtainAccessToken(params("string-expiry"), options())).resolves.toMatchObject({ value: "string-expiry-token" });
  });

  it.each([
    ["invalid-client", "OAuth2 token request failed: 401 invalid_client", false],
    ["unavailable", "OAuth2 token request failed: 503", true],
    ["malformed", "OAuth2 token request failed: the token response is not valid JSON", false],
    ["no-token", "OAuth2 token request failed: the token response has no access_token", false],
  ])("%s → %s (retryable: %s)", async (mode, message, retryable) => {
    const failure = await obtainAccessToken(params(mode), options()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OAuth2Error);
    expect((failure as OAuth2Error).message).toBe(message);
    expect((failure as OAuth2Error).retryable).toBe(retryable);
  });

  it("a blocked token URL is a permanent failure saying why", async () => {
    const before = tokenRequests.length;
    const failure = await obtainAccessToken(params("ok", { tokenUrl: "http://10.0.0.1/token" }), { ...options(), policy: () => "private/loopback" }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OAuth2Error);
    expect((failure as OAuth2Error).retryable).toBe(false);
    expect((failure as OAuth2Error).message).toBe("OAuth2 token request failed: destination address 10.0.0.1 is private/loopback; blocked (set ALLOW_PRIVATE_DESTINATIONS=true to allow)");
    expect(tokenRequests.length).toBe(before);
  });
});

describe("tokenLifetimeSeconds", () => {
  it.each([
    [3600, 3570],
    [120, 90],
    [61, 31],
    [60, 30],
    [10, 5],
    [1, 0.5],
    [undefined, 300],
  ])("expires_in %s → reused %s s", (expiresIn, expected) => {
    expect(tokenLifetimeSeconds(expiresIn)).toBe(expected);
  });
});
