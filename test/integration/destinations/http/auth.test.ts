// Destination auth as a real API sees it: Basic decoded, Bearer, API key in a header and in the
// query; OAuth2 client credentials against a token server on loopback (cached across
// deliveries, refetched after expiry, refreshed once on a 401, token endpoint failures).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, waitFor } from "../../../support/api";
import { createCallback, httpDestination, waitForDelivery } from "../../../support/fixtures";
import { useApp } from "../../../support/harness";
import { startSink, type Sink } from "../../../support/sink";
import { startProtectedApi, startTokenServer, type ProtectedApi, type TokenServer } from "../../../support/token-server";
import { fireTrigger, onlyDelivery } from "../../../support/trigger";

const app = useApp();
let sink: Sink;
const passwordSecret = `AUTH_PASSWORD_${process.pid}`;

beforeAll(async () => {
  sink = await startSink();
  expect((await call(app.url, "POST", "/api/secrets", { body: { name: passwordSecret, value: "p@ss:w0rd-from-secret" } })).status).toBe(201);
});
afterAll(async () => {
  await sink.close();
});

async function deliverOnce(name: string, config: Record<string, unknown>, path: string) {
  const callback = await createCallback(app.url, { name, destinations: [httpDestination(`${sink.url}${path}`, config)] });
  const deliveryId = onlyDelivery(await fireTrigger(callback.triggerUrl, { body: { n: 1 } }));
  const detail = await waitForDelivery(app.url, deliveryId, ["succeeded", "failed", "dead"]);
  const seen = sink.requests.find((request) => request.headers["webhook-id"] === deliveryId);
  return { detail, seen };
}

describe("static auth", () => {
  it("basic: the server decodes exactly username:password (password from a secret)", async () => {
    const { detail, seen } = await deliverOnce("basic", { auth: { type: "basic", username: "alice", password: `{secret:${passwordSecret}}` } }, "/basic");
    expect(detail.status).toBe("succeeded");
    const [scheme, encoded] = (seen?.headers.authorization ?? "").split(" ");
    expect(scheme).toBe("Basic");
    expect(Buffer.from(encoded ?? "", "base64").toString("utf8")).toBe("alice:p@ss:w0rd-from-secret");
    expect((detail.attemptsLog[0]?.request.headers as Record<string, string>).authorization).toBe("***");
  });

  it("bearer: Authorization: Bearer <token>", async () => {
    const { seen, detail } = await deliverOnce("bearer", { auth: { type: "bearer", token: "bearer-token-abc123" } }, "/bearer");
    expect(seen?.headers.authorization).toBe("Bearer bearer-token-abc123");
    expect(JSON.stringify(detail)).not.toContain("bearer-token-abc123");
  });

  it("api_key in a header: the named header carries the value", async () => {
    const { seen, detail } = await deliverOnce("key-header", { auth: { type: "api_key", in: "header", name: "X-Api-Key", value: "header-key-778899" } }, "/key-header");
    expect(seen?.headers["x-api-key"]).toBe("header-key-778899");
    expect((detail.attemptsLog[0]?.request.headers as Record<string, string>)["x-api-key"]).toBe("***");
  });

  it("api_key in the query: the named parameter carries the value, masked in the record", async () => {
    const { seen, detail } = await deliverOnce("key-query", { auth: { type: "api_key", in: "query", name: "key", value: "query-key-445566" } }, "/key-query?v=2");
    expect(new URL(seen?.path ?? "/", sink.url).searchParams.get("key")).toBe("query-key-445566");
    expect(new URL(seen?.path ?? "/", sink.url).searchParams.get("v")).toBe("2");
    expect(detail.attemptsLog[0]?.request.url).toBe(`${sink.url}/key-query?v=2&key=***`);
    expect(JSON.stringify(detail)).not.toContain("query-key-445566");
  });
});

describe("oauth2_client_credentials", () => {
  let tokens: TokenServer;
  let api: ProtectedApi;
  const client = { clientId: "switchyard-client", clientSecret: "client-secret-&-symbols:1" };

  beforeAll(async () => {
    tokens = await startTokenServer(client);
    api = await startProtectedApi(tokens);
  });
  afterAll(async () => {
    await Promise.all([tokens.close(), api.close()]);
  });

  async function oauthCallback(name: string, overrides: Record<string, unknown> = {}, retries = 3) {
    return createCallback(app.url, {
      name,
      retries,
      destinations: [
        httpDestination(`${api.url}/${name}`, {
          auth: { type: "oauth2_client_credentials", tokenUrl: `${tokens.url}/token`, ...client, scope: `scope-${name}`, ...overrides },
        }),
      ],
    });
  }

  async function deliver(triggerUrl: string, statuses = ["succeeded", "failed", "dead"]) {
    const deliveryId = onlyDelivery(await fireTrigger(triggerUrl, { body: { n: 1 } }));
    return waitForDelivery(app.url, deliveryId, statuses);
  }

  const requestsFor = (scope: string) => tokens.requests.filter((request) => request.form.scope === scope);

  it("fetches a token once (client credentials via Basic, grant and scope in the form) and reuses it across deliveries", async () => {
    const callback = await oauthCallback("cached");
    expect((await deliver(callback.triggerUrl)).status).toBe("succeeded");
    expect((await deliver(callback.triggerUrl)).status).toBe("succeeded");
    const requests = requestsFor("scope-cached");
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ ...client, form: { grant_type: "client_credentials", scope: "scope-cached" } });
    const accepted = api.calls.filter((entry) => entry.accepted);
    expect(accepted.slice(-2).map((entry) => entry.token)).toEqual([accepted.at(-1)?.token, accepted.at(-1)?.token]);
  });

  it("fetches a new token once the cached one has expired", async () => {
    tokens.expiresIn = 2; // reused for half its life: 1 s
    try {
      const callback = await oauthCallback("expiring");
      expect((await deliver(callback.triggerUrl)).status).toBe("succeeded");
      expect(requestsFor("scope-expiring")).toHaveLength(1);
      await waitFor(
        async () => {
          expect((await deliver(callback.triggerUrl)).status).toBe("succeeded");
          return requestsFor("scope-expiring").length === 2;
        },
        { timeoutMs: 8000, intervalMs: 100, what: "a second token request after expiry" },
      );
    } finally {
      tokens.expiresIn = 3600;
    }
  });

  it("refreshes the token once when the destination answers 401 to the cached one, and re-sends", async () => {
    const callback = await oauthCallback("revoked");
    expect((await deliver(callback.triggerUrl)).status).toBe("succeeded");
    const first = api.calls.at(-1)?.token ?? "";
    tokens.valid.delete(first);
    const detail = await deliver(callback.triggerUrl);
    expect(detail.status).toBe("succeeded");
    expect(detail.attempts).toBe(1);
    expect(detail.attemptsLog[0]?.request).toMatchObject({ oauth2TokenRefreshed: true });
    expect(requestsFor("scope-revoked")).toHaveLength(2);
    const lastTwo = api.calls.slice(-2);
    expect(lastTwo.map((entry) => entry.accepted)).toEqual([false, true]);
    expect(lastTwo[0]?.token).toBe(first);
    expect(lastTwo[1]?.token).not.toBe(first);
  });

  it("a token endpoint answering 401 invalid_client is a permanent failure with a clear error, and the API is never called", async () => {
    const before = api.calls.length;
    const callback = await oauthCallback("bad-client", { clientSecret: "wrong-secret-value" });
    const detail = await deliver(callback.triggerUrl);
    expect(detail.status).toBe("failed");
    expect(detail.attempts).toBe(1);
    expect(detail.lastError).toBe("OAuth2 token request failed: 401 invalid_client");
    expect(api.calls.length).toBe(before);
  });

  it("a token endpoint answering 503 is retryable: the next attempt succeeds", async () => {
    const callback = await oauthCallback("flaky-tokens");
    tokens.script([{ status: 503, error: "temporarily_unavailable" }]);
    const detail = await deliver(callback.triggerUrl, ["succeeded", "dead"]);
    expect(detail.status).toBe("succeeded");
    expect(detail.attemptsLog.map((attempt) => [attempt.outcome, attempt.error])).toEqual([
      ["retryable", "OAuth2 token request failed: 503 temporarily_unavailable"],
      ["succeeded", null],
    ]);
  });
});
