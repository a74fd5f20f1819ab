import { describe, expect, it } from "vitest";
import { call, type ErrorBody } from "../../support/api";
import { useApp } from "../../support/harness";

const app = useApp();

const httpDestination = {
  kind: "http",
  name: "sink",
  config: {
    url: "https://example.com/hooks",
    auth: { type: "bearer", token: "super-secret-bearer-token-1" },
  },
};

interface CallbackBody {
  id: string;
  name: string;
  token?: string;
  triggerUrl?: string;
  tokenPrefix: string;
  methods: string[];
  destinations: Array<{ id: string; kind: string; config: Record<string, unknown> }>;
}

describe("operator API: callbacks", () => {
  it("creates a callback with destinations and returns its token exactly once", async () => {
    const created = await call<CallbackBody>(app.url, "POST", "/api/callbacks", {
      body: { name: "orders", methods: ["POST", "PUT"], destinations: [httpDestination] },
    });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^sy_[A-Za-z0-9_-]{43}$/);
    expect(created.body.triggerUrl).toBe(`${app.url}/api/trigger/${created.body.token}`);
    expect(created.body.destinations).toHaveLength(1);

    const fetched = await call<CallbackBody>(app.url, "GET", `/api/callbacks/${created.body.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body.token).toBeUndefined();
    expect(fetched.text).not.toContain(created.body.token);
    expect(fetched.body.tokenPrefix).toBe(created.body.token?.slice(0, 10));
    expect(fetched.body.methods).toEqual(["POST", "PUT"]);

    const list = await call<{ items: CallbackBody[] }>(app.url, "GET", "/api/callbacks");
    expect(list.body.items.map((item) => item.id)).toContain(created.body.id);
    expect(list.text).not.toContain(created.body.token);
  });

  it("stores the token only as a hash", async () => {
    const created = await call<CallbackBody>(app.url, "POST", "/api/callbacks", { body: { name: "hash-check" } });
    const row = await app.db.selectFrom("callbacks").selectAll().where("id", "=", created.body.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(created.body.token);
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("updates and deletes a callback", async () => {
    const created = await call<CallbackBody>(app.url, "POST", "/api/callbacks", { body: { name: "to-change" } });
    const patched = await call<CallbackBody>(app.url, "PATCH", `/api/callbacks/${created.body.id}`, {
      body: { name: "changed", methods: ["GET"], rateLimitPerMinute: 10, path: "/Github/Push/" },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: "changed", methods: ["GET"], rateLimitPerMinute: 10, path: "github/push" });
    const removed = await call(app.url, "DELETE", `/api/callbacks/${created.body.id}`);
    expect(removed.status).toBe(204);
    expect((await call(app.url, "GET", `/api/callbacks/${created.body.id}`)).status).toBe(404);
  });

  it("refuses a custom path another callback already uses with 409 naming the field", async () => {
    const path = `dup-${Date.now()}`;
    expect((await call(app.url, "POST", "/api/callbacks", { body: { name: "a", path } })).status).toBe(201);
    const second = await call<ErrorBody>(app.url, "POST", "/api/callbacks", { body: { name: "b", path } });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: "conflict", field: "path" });
  });

  it("rotates the token: the new one is shown once and differs", async () => {
    const created = await call<CallbackBody>(app.url, "POST", "/api/callbacks", { body: { name: "rotate" } });
    const rotated = await call<CallbackBody>(app.url, "POST", `/api/callbacks/${created.body.id}/rotate-token`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.token).toMatch(/^sy_/);
    expect(rotated.body.token).not.toBe(created.body.token);
  });
});

describe("operator API: validation", () => {
  const cases: Array<[string, unknown, string]> = [
    ["missing name", {}, "name"],
    ["unknown method", { name: "x", methods: ["FETCH"] }, "methods.0"],
    ["path traversal", { name: "x", path: "a/../b" }, "path"],
    ["unknown field", { name: "x", colour: "red" }, ""],
    ["bad destination URL", { name: "x", destinations: [{ kind: "http", name: "d", config: { url: "ftp://x" } }] }, "destinations.0.config.url"],
    ["unknown kind", { name: "x", destinations: [{ kind: "smtp", name: "d", config: {} }] }, "destinations.0.kind"],
    ["QoS 3", { name: "x", destinations: [{ kind: "mqtt", name: "d", config: { url: "mqtt://127.0.0.1:1883", qos: 3 } }] }, "destinations.0.config.qos"],
    ["missing destination config", { name: "x", destinations: [{ kind: "amqp", name: "d" }] }, "destinations.0.config"],
  ];

  it.each(cases)("%s → 422 naming the field", async (_label, body, field) => {
    const result = await call<ErrorBody>(app.url, "POST", "/api/callbacks", { body });
    expect(result.status).toBe(422);
    expect(result.body.error.code).toBe("validation_failed");
    if (field) expect(result.body.error.field).toBe(field);
    expect(result.body.error.message.length).toBeGreaterThan(5);
  });

  it("answers malformed JSON with 400", async () => {
    const result = await call<ErrorBody>(app.url, "POST", "/api/callbacks", {
      raw: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe("bad_request");
  });

  it("writes nothing when one destination of a new callback is invalid", async () => {
    const name = `atomic-${Date.now()}`;
    const result = await call(app.url, "POST", "/api/callbacks", {
      body: {
        name,
        destinations: [httpDestination, { kind: "mqtt", name: "bad", config: { url: "mqtt://127.0.0.1:1883", qos: 3 } }],
      },
    });
    expect(result.status).toBe(422);
    const rows = await app.db.selectFrom("callbacks").select("id").where("name", "=", name).execute();
    expect(rows).toHaveLength(0);
  });
});

describe("operator API: authentication", () => {
  it("refuses a missing token with 401", async () => {
    const result = await call<ErrorBody>(app.url, "GET", "/api/callbacks", { token: null });
    expect(result.status).toBe(401);
    expect(result.body.error.code).toBe("unauthorized");
  });

  it("refuses a wrong token with 401", async () => {
    const result = await call(app.url, "POST", "/api/callbacks", { token: "wrong", body: { name: "x" } });
    expect(result.status).toBe(401);
  });

  it("answers 404 for unknown and malformed ids", async () => {
    expect((await call(app.url, "GET", "/api/callbacks/0190d7a8-0000-7000-8000-000000000000")).status).toBe(404);
    expect((await call(app.url, "GET", "/api/callbacks/not-an-id")).status).toBe(404);
    expect((await call(app.url, "PATCH", "/api/destinations/0190d7a8-0000-7000-8000-000000000000", { body: { name: "x" } })).status).toBe(404);
  });

  it("serves /api/health without authentication and without secrets", async () => {
    const result = await call<{ ok: boolean; checks: Record<string, { ok: boolean }> }>(app.url, "GET", "/api/health", { token: null });
    expect(result.status).toBe(200);
    expect(result.body.ok).toBe(true);
    expect(result.body.checks.database?.ok).toBe(true);
    expect(result.text).not.toMatch(/postgres:\/\/|local-dev-token|sig_/);
  });
});
